import Testing
@testable import GateLogKit

@Suite struct RedactorTests {
    @Test(arguments: [
        // authorizer event body (log-formats.md §9.1b shape)
        (#"{"type":"TOKEN","authorizationToken":"24u62kim5mn0slhwigdt7v4ybkwef5 eyJhbGci","methodArn":"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info"}"#,
         #"{"type":"TOKEN","authorizationToken":"****JhbGci","methodArn":"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info"}"#),
        // header map with security token and a value holding ", "
        ("{Authorization=Bearer abcdefghijklmnop, Accept-Encoding=gzip, deflate, br, X-Amz-Security-Token=FQoGZXIvYXdzELj1234567890abcd}",
         "{Authorization=Bearer ****klmnop, Accept-Encoding=gzip, deflate, br, X-Amz-Security-Token=****90abcd}"),
        ("Cookie=session=abc123secret; theme=dark, x-api-key=k9Xz8QwErTy7uIoP",
         "Cookie=****e=dark, x-api-key=****y7uIoP"),
        (#"headers: {"authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig-nature_value"}"#,
         #"headers: {"authorization":"Bearer ****_value"}"#),
    ])
    func masksSecretShapes(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test func masksBareJWTsAndSecretKeys() {
        let jwt = "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl end"
        #expect(Redactor.redact(jwt) == "token ****ZhbHVl end")
        let secret = "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here"
        #expect(Redactor.redact(secret) == "key ****PLEKEY here")
    }

    @Test func leavesAWSMasksAndOrdinaryTextAlone() {
        let masked = "Using valid authorizer policy for principal: ****bkwef5"
        #expect(Redactor.redact(masked) == masked)
        let headers = "{Authorization=****...afc190, X-Amz-Date=20190226T152933Z}"
        #expect(Redactor.redact(headers) == headers)
        let arn = "arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/GET/pets/42"
        #expect(Redactor.redact(arn) == arn)
    }
}
