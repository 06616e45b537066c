import Testing
@testable import GateLogKit

@Suite struct MethodARNTests {
    struct Parsed: Sendable, CustomTestStringConvertible {
        var text: String
        var partition: String
        var region: String
        var account: String
        var apiId: String
        var stage: String
        var verb: String
        var path: String
        var testDescription: String { text }
    }

    static let valid: [Parsed] = [
        // B5 methodArn of the 2017 fixture (§9.1b).
        Parsed(
            text: "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info", partition: "aws",
            region: "us-west-2", account: "919586034543", apiId: "oo8kadh853", stage: "Test", verb: "GET",
            path: "user_info"),
        // Root resource: the ARN ends with a slash (§4.1, hyp3#2283 body; masked account as AWS prints it).
        Parsed(
            text: "arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/", partition: "aws",
            region: "us-west-2", account: "********2543", apiId: "vd2gh6uqw3", stage: "api", verb: "GET", path: ""),
        // Nested path (§9.2).
        Parsed(
            text:
                "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2",
            partition: "aws", region: "us-east-1", account: "989972760655", apiId: "qyt4c7jmsd", stage: "development",
            verb: "DELETE", path: "locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2"),
        // Test-invoke stage names (§1.3, §9.4b).
        Parsed(
            text: "arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/ESTestInvoke-stage/GET/", partition: "aws",
            region: "ap-southeast-2", account: "654888109795", apiId: "ja8pdvfjf6", stage: "ESTestInvoke-stage",
            verb: "GET", path: ""),
        // Integration X-Amz-Source-Arn carries the resource template (§9.1b).
        Parsed(
            text: "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/ANY/{resource+}", partition: "aws",
            region: "us-west-2", account: "919586034543", apiId: "oo8kadh853", stage: "Test", verb: "ANY",
            path: "{resource+}"),
        Parsed(
            text: "arn:aws:execute-api:eu-west-2:958845080241:h733q2j6gb/Prod/POST/verifyReceipt", partition: "aws",
            region: "eu-west-2", account: "958845080241", apiId: "h733q2j6gb", stage: "Prod", verb: "POST",
            path: "verifyReceipt"),
        // Other partitions, and a path holding a colon and a trailing slash.
        Parsed(
            text: "arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/prod/PUT/a:b/c/", partition: "aws-cn",
            region: "cn-north-1", account: "123456789012", apiId: "abc123", stage: "prod", verb: "PUT", path: "a:b/c/"),
        Parsed(
            text: "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/v1/GET/pets/{id}",
            partition: "aws-us-gov", region: "us-gov-west-1", account: "123456789012", apiId: "abc123", stage: "v1",
            verb: "GET", path: "pets/{id}"),
    ]

    @Test(arguments: valid)
    func parsesAndRebuildsExactly(_ expected: Parsed) throws {
        let arn = try #require(MethodARN(parsing: expected.text))
        #expect(arn.partition == expected.partition)
        #expect(arn.region == expected.region)
        #expect(arn.account == expected.account)
        #expect(arn.apiId == expected.apiId)
        #expect(arn.stage == expected.stage)
        #expect(arn.verb == expected.verb)
        #expect(arn.path == expected.path)
        #expect(arn.arn == expected.text)
        #expect(arn.description == expected.text)
        #expect(MethodARN(parsing: arn.arn) == arn)
    }

    static let invalid: [String] = [
        "",
        "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/authorizers/2egbc3",  // authorizer call, not a method
        "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET",  // no slash after the verb
        "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd",
        "arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom",
        "arn:aws:execute-api:us-east-1::qyt4c7jmsd/development/GET/",  // empty account
        "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd//GET/",  // empty stage
        "xarn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/",
        "arn:azure:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/",
    ]

    @Test(arguments: invalid)
    func rejectsWhatIsNotAMethodARN(_ text: String) {
        #expect(MethodARN(parsing: text) == nil)
    }

    @Test(arguments: ["/locations/42", "locations/42"])
    func memberwiseInitAcceptsPathWithOrWithoutLeadingSlash(_ path: String) {
        let arn = MethodARN(
            region: "us-east-1", account: "989972760655", apiId: "qyt4c7jmsd", stage: "development", verb: "GET",
            path: path)
        #expect(arn.path == "locations/42")
        #expect(arn.resourcePath == "/locations/42")
        #expect(arn.arn == "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations/42")
    }

    @Test(arguments: ["/", ""])
    func memberwiseRootEndsWithSlash(_ path: String) {
        let arn = MethodARN(
            region: "us-west-2", account: "********2543", apiId: "vd2gh6uqw3", stage: "api", verb: "GET", path: path)
        #expect(arn.arn == "arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/")
        #expect(arn.resourcePath == "/")
        #expect(MethodARN(parsing: arn.arn) == arn)
    }

    @Test func parsesAuthorizerCallARN() throws {
        let text = "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/elkw5b"
        let arn = try #require(AuthorizerARN(parsing: text))
        #expect(arn.region == "us-west-2")
        #expect(arn.account == "919586034543")
        #expect(arn.apiId == "oo8kadh853")
        #expect(arn.authorizerId == "elkw5b")
        #expect(arn.arn == text)
        #expect(AuthorizerARN(parsing: "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info") == nil)
        #expect(AuthorizerARN(parsing: "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/") == nil)
    }
}
