import Testing
@testable import GateLogKit

/// The real path of a diagnosis: text inputs → `TextRecordReader` → `RequestGrouper` → `Diagnoser`, one verdict per
/// finished request, in finishing order (so the authorizer-cache state evolves as in a real run).
final class DiagnosisHarness {
    let grouping: GroupingHarness
    let diagnoser: Diagnoser
    /// A twin that decides first and builds the evidence afterwards; it must agree with `diagnoser` on every request.
    let lazyDiagnoser: Diagnoser
    private(set) var verdicts: [Verdict] = []
    /// Requests on which the twin disagreed.
    private(set) var lazyMismatches: [String] = []

    init(ttlSeconds: Int = 300, holdAccessRecords: Bool = false, policy: GroupingPolicy = GroupingPolicy()) {
        var options = DiagnosisOptions()
        options.authorizerTTLSeconds = ttlSeconds
        grouping = GroupingHarness(policy: policy, holdAccessRecords: holdAccessRecords)
        diagnoser = Diagnoser(files: grouping.files, options: options)
        lazyDiagnoser = Diagnoser(files: grouping.files, options: options)
        grouping.onFinished = { [unowned self] lifecycle in
            let verdict = self.diagnoser.diagnose(lifecycle)
            var decided = self.lazyDiagnoser.diagnose(lifecycle, evidence: false)
            decided.evidence = self.lazyDiagnoser.evidence(of: lifecycle)
            if decided != verdict { self.lazyMismatches.append(lifecycle.requestId) }
            #expect(decided == verdict, "evidence built afterwards differs for \(lifecycle.requestId)")
            self.verdicts.append(verdict)
        }
    }

    func feed(_ name: String, _ text: String, origin: RecordOrigin? = nil) throws {
        try grouping.feed(name, text, origin: origin)
    }

    @discardableResult
    func finish() throws -> [Verdict] {
        try grouping.finish()
        return verdicts
    }

    func verdict(_ requestId: String) -> Verdict? { verdicts.first { $0.requestId == requestId } }
}

/// An expected value, or "not checked".
enum ExpectedValue<T: Equatable & Sendable>: Sendable, Equatable {
    case any
    case value(T?)

    func check(_ actual: T?, _ label: String, _ scenario: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if case .value(let expected) = self {
            #expect(actual == expected, "\(scenario): \(label)", sourceLocation: sourceLocation)
        }
    }
}

extension ExpectedValue: ExpressibleByNilLiteral {
    init(nilLiteral: ()) { self = .value(nil) }
}

extension ExpectedValue: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral, ExpressibleByStringLiteral
where T == String {
    init(stringLiteral value: String) { self = .value(value) }
}

extension ExpectedValue: ExpressibleByIntegerLiteral where T == Int {
    init(integerLiteral value: Int) { self = .value(value) }
}

/// One input of a scenario.
struct ScenarioInput: Sendable {
    var file: String
    var text: String
    var logGroup: String?
}

/// A realistic request (log-formats.md §9 lines) and the verdict DESIGN.md §3 gives it.
struct DiagnosisScenario: Sendable, CustomTestStringConvertible {
    var name: String
    var inputs: [ScenarioInput]
    /// Access-log lines, read first (like `LogScanner` does) into `access.jsonl`.
    var access: String?
    var requestId: String
    var ttlSeconds = 300
    var cause: Cause
    var status: ExpectedValue<Int> = .any
    var principal: ExpectedValue<String> = .any
    var apiId: ExpectedValue<String> = .any
    var stage: ExpectedValue<String> = .any
    var httpMethod: ExpectedValue<String> = .any
    var resource: ExpectedValue<String> = .any
    var path: ExpectedValue<String> = .any
    var route: ExpectedValue<String> = .any
    /// `file:line` of lines the evidence must cite.
    var cites: [String] = []

    var testDescription: String { name }

    func run() throws -> (verdict: Verdict, all: [Verdict]) {
        let harness = DiagnosisHarness(ttlSeconds: ttlSeconds, holdAccessRecords: access != nil && !inputs.isEmpty)
        if let access { try harness.feed("access.jsonl", access) }
        for input in inputs {
            try harness.feed(input.file, input.text, origin: input.logGroup.map { RecordOrigin(logGroup: $0, logStream: nil) })
        }
        let all = try harness.finish()
        let verdict = try #require(harness.verdict(requestId), "\(name): no verdict for \(requestId) among \(all.map(\.requestId))")
        return (verdict, all)
    }
}

/// DESIGN.md §3 table, written out independently of `Cause.layer`/`Cause.outcome`.
let designCauseTable: [Cause: (layer: Layer, outcome: Outcome)] = [
    .ok: (.none, .allowed),
    .routeNotFound: (.routing, .denied),
    .iamUnsignedRequest: (.iam, .denied),
    .wafBlocked: (.waf, .denied),
    .resourcePolicyExplicitDeny: (.resourcePolicy, .denied),
    .resourcePolicyImplicitDeny: (.resourcePolicy, .denied),
    .resourcePolicyDeny: (.resourcePolicy, .denied),
    .authorizerIdentityMissing: (.authorizer, .denied),
    .authorizerUnauthorized: (.authorizer, .denied),
    .authorizerExplicitDeny: (.authorizer, .denied),
    .authorizerImplicitDeny: (.authorizer, .denied),
    .authorizerCachedPolicyMismatch: (.authorizer, .denied),
    .authorizerPolicyUndetermined: (.authorizer, .denied),
    .authorizerError: (.authorizer, .gatewayError),
    .cognitoUnauthorized: (.cognito, .denied),
    .iamDenied: (.iam, .denied),
    .iamSignatureInvalid: (.iam, .denied),
    .apiKeyInvalid: (.apiKey, .denied),
    .throttled: (.throttling, .throttled),
    .quotaExceeded: (.throttling, .throttled),
    .requestValidationFailed: (.validation, .rejected),
    .integrationTimeout: (.integration, .gatewayError),
    .integrationFunctionError: (.integration, .gatewayError),
    .integrationMalformedResponse: (.integration, .gatewayError),
    .integrationThrottled: (.integration, .gatewayError),
    .integrationPermissionError: (.integration, .gatewayError),
    .integrationConfigError: (.integration, .gatewayError),
    .backendError: (.backend, .backendError),
    .unexplainedRejection: (.unknown, .denied),
    .incomplete: (.unknown, .incomplete),
    .unknown: (.unknown, .unknown),
]

// MARK: - Lines (log-formats.md §9; ids shown elided there are written out, elided values filled plausibly)

enum DiagnosisLines {
    // §9.1 — success, Lambda proxy, no authorizer (2019, all [V]).
    static let success2019 = """
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Extended Request Id: Vts2pH6ArPEFcuQ=
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Verifying Usage Plan for request: 515f1e99-39db-11e9-9e96-01e5c04505b9. API Key: API Stage: h733q2j6gb/Prod
        (515f1e99-39db-11e9-9e96-01e5c04505b9) API Key authorized because method 'POST /verifyReceipt' does not require API Key. Request will not contribute to throttle or quota limits
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Usage Plan check succeeded for API Key and API Stage h733q2j6gb/Prod
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9
        (515f1e99-39db-11e9-9e96-01e5c04505b9) HTTP Method: POST, Resource Path: /verifyReceipt
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method request path: {}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method request query string: {}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method request headers: {Accept=application/json, text/plain, */*, Debug-Log-Enabled=false, User-Agent=python-requests/2.20.0, X-Forwarded-Proto=https, Content-Type=application/json;charset=utf-8, x-correlation-span-id=LUUMyTw58JG0vhnGfa}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method request body before transformations: {"receiptData":"82ca4c4f-26dd-4554-a11e-c3feb5324345"}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint request URI: https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:mock-receipt-api-2-25-VerifyReceiptFunction-8K5LT90CVKH6/invocations
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint request headers: {x-amzn-lambda-integration-tag=515f1e99-39db-11e9-9e96-01e5c04505b9, Authorization=****7c8ada, X-Amz-Date=20190226T152933Z, x-amzn-apigateway-api-id=h733q2j6gb, X-Amz-Source-Arn=arn:aws:execute-api:eu-west-2:958845080241:h733q2j6gb/Prod/POST/verifyReceipt, Accept=application/json, User-Agent=AmazonAPIGateway_h733q2j6gb, X-Amz-Security-Token=FQoGZXIvYXdzELj//wEaDNnqSl [TRUNCATED]
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint request body after transformations: {"resource":"/verifyReceipt","path":"/verifyReceipt","httpMethod":"POST","headers":{"Accept":"application/json"},"multiValueHeaders":{"Accept":["application/json"],"Paren [TRUNCATED]
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Sending request to https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:mock-receipt-api-2-25-VerifyReceiptFunction-8K5LT90CVKH6/invocations
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Received response. Integration latency: 40 ms
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint response body before transformations: {"body":"{\\"latest_receipt_info\\":[{\\"is_in_billin [TRUNCATED]
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint response headers: {Date=Tue, 26 Feb 2019 15:29:33 GMT, Content-Type=application/json, Content-Length=1136, Connection=keep-alive, x-amzn-RequestId=57593f79-6e46-4a6f-91b1-f5d848cc2059, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-5c755b5d-07b29b94e632d3da19d88789;parent=61e6466ca210cdf8;sampled=1}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method response body after transformations: {"latest_receipt_info":[{"OneWe [TRUNCATED]
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method response headers: {X-Amzn-Trace-Id=Root=1-5c755b5d-07b29b94e632d3da19d88789;Parent=61e6466ca210cdf8;Sampled=1}
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Successfully completed execution
        (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200
        (515f1e99-39db-11e9-9e96-01e5c04505b9) AWS Integration Endpoint RequestId : 57593f79-6e46-4a6f-91b1-f5d848cc2059
        (515f1e99-39db-11e9-9e96-01e5c04505b9) X-ray Tracing ID : 1-5c755b5d-07b29b94e632d3da19d88789
        """

    /// §9.1b authorizer block (2017 S3-export lines), with the policy in `result` (the `context` elision filled with `{}`).
    static func authorizer2017(result: String) -> String {
        """
        2017-06-05T17:52:57.673Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Starting authorizer: elkw5b for request: cf101403-4a17-11e7-935f-35dfc4618b7d
        2017-06-05T17:52:57.673Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Incoming identity: ****…I1BUdE
        2017-06-05T17:52:57.674Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request URI: https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:919586034543:function:ExtensionGatewayAuthorizer/invocations
        2017-06-05T17:52:57.674Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request headers: {x-amzn-lambda-integration-tag=cf101403-4a17-11e7-935f-35dfc4618b7d, Authorization=****…9081d0, X-Amz-Date=20170605T175257Z, x-amzn-apigateway-api-id=oo8kadh853, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/elkw5b, Accept=application/json, User-Agent=AmazonAPIGateway_oo8kadh853, X-Amz-Security-Token=FQoDYXdzEBoa… [TRUNCATED]
        2017-06-05T17:52:57.674Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"24u62kim5mn0slhwigdt7v4ybkwef5 eyJhbGciOiJIUzI1NiJ9","methodArn":"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info"}
        2017-06-05T17:52:57.700Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Authorizer result body before parsing: \(result)
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Using valid authorizer policy for principal: **********************************************bkwef5
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Successfully completed authorizer execution
        """
    }

    static let allowAll2017 = #"{"policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Resource": ["arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/*/*"], "Effect": "Allow"}]}, "context": {}, "principalId": "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5"}"#

    // §9.1b method execution after the authorizer.
    static let execution2017 = """
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Verifying Usage Plan for request: cf101403-4a17-11e7-935f-35dfc4618b7d. API Key:  API Stage: oo8kadh853/Test
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) API Key  authorized because method 'ANY /{resource+}' does not require API Key. Request will not contribute to throttle or quota limits
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Usage Plan check succeeded for API Key  and API Stage oo8kadh853/Test
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Starting execution for request: cf101403-4a17-11e7-935f-35dfc4618b7d
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) HTTP Method: GET, Resource Path: /user_info
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method request path: {resource=user_info}
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method request query string: {}
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method request headers: {Accept=*/*, X-Muxy-Token=eyJhbGciOiJIUzI1NiJ9 [TRUNCATED]
        2017-06-05T17:52:57.701Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method request body before transformations:
        2017-06-05T17:52:57.702Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request URI: https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:919586034543:function:extension_state/invocations
        2017-06-05T17:52:57.702Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request headers: {x-amzn-lambda-integration-tag=cf101403-4a17-11e7-935f-35dfc4618b7d, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/ANY/{resource+}, Accept=application/json [TRUNCATED]
        2017-06-05T17:52:57.702Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request body after transformations: {"resource":"/{resource+}","path":"/user_info","httpMethod":"GET","headers":{"Accept":"*/*"} [TRUNCATED]
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint response body before transformations: {"body": "{\\"ip_address\\": \\"89.64.28.236\\"}", "headers": {"Access-Control-Allow-Origin": "*"}, "statusCode": 200}
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint response headers: {x-amzn-Remapped-Content-Length=0, x-amzn-RequestId=cf154484-4a17-11e7-aa36-15f3676da0c2, Connection=keep-alive, Content-Length=183, Date=Mon, 05 Jun 2017 17:52:57 GMT, X-Amzn-Trace-Id=root=1-59359a79-3f2c1fd185751bfd75aaa3b7;sampled=0, Content-Type=application/json}
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method response body after transformations: {"ip_address": "89.64.28.236"}
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method response headers: {Access-Control-Allow-Origin=*, Access-Control-Allow-Headers=X-Muxy-Token, X-Muxy-Extension-Id, X-Amzn-Trace-Id=sampled=0;root=1-59359a79-3f2c1fd185751bfd75aaa3b7}
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Successfully completed execution
        2017-06-05T17:52:57.738Z (cf101403-4a17-11e7-935f-35dfc4618b7d) Method completed with status: 200
        """

    /// §9.2/§9.3 SpaceFinder authorizer block for request 5c0e2f52 (DELETE /locations/03cb…), with the policy in `result`
    /// and the principal mask in `principal`; then the denial line.
    static func spaceFinderDenial(result: String, principal: String) -> String {
        """
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Extended Request Id: Y9b2QFx0IAMEabc=
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Starting authorizer: 2egbc3 for request: 5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Incoming identity: ****…NA6Lu-
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom/invocations
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Endpoint request headers: {x-amzn-lambda-integration-tag=5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11, Authorization=****…0fbbc0, X-Amz-Date=20170507T054154Z, x-amzn-apigateway-api-id=qyt4c7jmsd, X-Amz-Source-Arn=arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/authorizers/2egbc3, Accept=application/json, User-Agent=AmazonAPIGateway_qyt4c7jmsd, X-Amz-Security-Token=FQoDYXdzEFAa… [TRUNCATED]
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"eyJraWQiOiJBNkx1LSJ9","methodArn":"arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2"}
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom/invocations
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Authorizer result body before parsing: \(result)
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Using valid authorizer policy for principal: \(principal)
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Successfully completed authorizer execution
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) The client is not authorized to perform this operation.
        (5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) X-ray Tracing ID : Root=1-590eb3a2-6f1c0f3e2b1d4c5a6e7f8a9b
        """
    }

    static let spaceFinderPolicy = #"{"principalId":"6527a55d-5498-428b-a997-8213981c70cd","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"]},{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/*","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/POST/locations","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/POST/locations/*"]}]}}"#
    static let implicitPolicy = #"{"principalId":"user","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations"}]}}"#
    static let truncatedPolicy = #"{"principalId":"6527a55d-5498-428b-a997-8213981c70cd","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"]},{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:98997 [TRUNCATED]"#

    // §9.4 (a) — as pasted: timestamp line, then message line (2026, all [V]).
    static let identityMissing = """
        2026-01-10T11:04:45.964Z
        (9cef3834-f42c-46d7-83fe-a6401a431398) Extended Request Id: W9zMPGrHtjMEeFw=
        2026-01-10T11:04:45.966Z
        (9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398
        2026-01-10T11:04:45.966Z
        (9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398
        2026-01-10T11:04:45.966Z
        (9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14
        """

    // §9.4 (b) — the authorizer Lambda answered Unauthorized ([T], prefix form).
    static let authorizerUnauthorized = """
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Starting authorizer: 52u008 for request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Incoming identity: {method.request.header.Hash=********aaaaaa}
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Endpoint request URI: https://lambda.ap-southeast-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:ap-southeast-2:654888109795:function:dev-HashMACSHM-Authorizer/invocations
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Endpoint request headers: {x-amzn-lambda-integration-tag=29d2b4df-26da-4cae-aeca-f9ef6c338d88, Authorization=****…90bbd8, X-Amz-Date=20190905T045639Z, x-amzn-apigateway-api-id=ja8pdvfjf6, X-Amz-Source-Arn=arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/authorizers/52u008, Accept=application/json, User-Agent=AmazonAPIGateway_ja8pdvfjf6, X-Amz-Security-Token=IQoJb3JpZ2luX2Vj… [TRUNCATED]
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Endpoint request body after transformations: {"type":"REQUEST","methodArn":"arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/ESTestInvoke-stage/GET/","resource":"/","path":"/","httpMethod":"GET","headers":{"Authorizer":"bbbbbbbbbbbb","Hash":"aaaaaaaaaaaaaa"},"multiValueHeaders":{"Auth [TRUNCATED]
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Sending request to https://lambda.ap-southeast-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:ap-southeast-2:654888109795:function:dev-HashMACSHM-Authorizer/invocations
        (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Unauthorized request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
        """

    // §9.5 (a) — the authorizer function crashed ([T]; B3–B6 abridged in the source, filled here).
    static let authorizerCrashed = """
        (afab46d7-880e-4150-a266-b1fcc783be07) Starting authorizer: q8togz for request: afab46d7-880e-4150-a266-b1fcc783be07
        (afab46d7-880e-4150-a266-b1fcc783be07) Incoming identity: ****…Xk2Pq1
        (afab46d7-880e-4150-a266-b1fcc783be07) Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:770646514888:function:Authorize-Registrations-Lambda/invocations
        (afab46d7-880e-4150-a266-b1fcc783be07) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:770646514888:function:Authorize-Registrations-Lambda/invocations
        (afab46d7-880e-4150-a266-b1fcc783be07) Authorizer result body before parsing: {"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module '../../scaffold/okta'\\nRequire stack:\\n- /var/task/index.js","trace":["Runtime.ImportModuleError: Error: Cannot find module [TRUNCATED]
        (afab46d7-880e-4150-a266-b1fcc783be07) Execution failed due to configuration error: Invalid JSON in response: Unrecognized field "errorType" , not marked as ignorable
        """

    // §9.5 (b) — ERROR-level: only the failure lines.
    static let authorizerRole = """
        (e0c5a7d2-3b41-4f6e-9a8d-1c2b3d4e5f60) Execution failed due to configuration error: API Gateway does not have permission to assume the provided role arn:aws:iam::770646514888:role/lambda_execution_role_Authorize-Registrations-Lambda
        (e0c5a7d2-3b41-4f6e-9a8d-1c2b3d4e5f60) Execution failed due to configuration error: Authorizer error
        """

    // §9.5 (c) — the authorizer returned null.
    static let authorizerNull = """
        (7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70) Starting authorizer: x1y2z3 for request: 7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70
        (7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda_authorizer/invocations
        (7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70) Authorizer result body before parsing: null
        (7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70) Execution failed due to configuration error: Could not parse policy
        """

    // §9.5 (d) — WebSocket API, extended-id prefix ([V]).
    static let webSocketAuthorizer = """
        (PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Invalid permissions on Lambda function
        (PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Authorizer error
        (PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500
        """

    // §9.7 — resource policy IP deny, Logs Insights copy (the Extended Request Id value is cut in the source).
    static let resourcePolicy2024 = """
        2024-02-24 00:29:03.156 | (412e45a2-9321-4077-8b0b-f044a4364918) Extended Request Id: TnVQ3Fg2oAMEfRw=
        2024-02-24 00:29:03.163 | (412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.
        """

    // §9.10 — API key in no usage plan.
    static let apiKeyInvalid = """
        (2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) Extended Request Id: Z1c3RGy1IAMEbcd=
        (2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) Verifying Usage Plan for request: 2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10. API Key: **********************************bMZHBg API Stage: zsuvlqr7nb/prod
        (2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) API Key **********************************bMZHBg not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage
        """

    // §9.11 (a) — stage throttle (2019, [V]).
    static let stageThrottle = """
        (4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Extended Request Id: Vts2FFmArPEFh8g=
        (4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Verifying Usage Plan for request: 4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998. API Key:  API Stage: uwe3g5jm54/Prod
        (4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1
        (4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Method completed with status: 429
        """

    // §9.14 (a) — Lambda proxy function timed out at its own limit (2019, [V]).
    static let functionError2019 = """
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key: API Stage: uwe3g5jm54/Prod
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) API Key authorized because method 'GET /echo' does not require API Key. Request will not contribute to throttle or quota limits
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Usage Plan check succeeded for API Key and API Stage uwe3g5jm54/Prod
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) HTTP Method: GET, Resource Path: /echo
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request path: {}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request query string: {}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request headers: {Accept=application/json, CloudFront-Viewer-Country=GB, CloudFront-Is-Desktop-Viewer=true}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations:\u{20}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint request URI: https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:log-test-1-EchoFunction-175HKORAF18IO/invocations
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint request headers: {x-amzn-lambda-integration-tag=286364ab-3a83-11e9-8dc8-db3cf4c83204, Authorization=****…37c4d7, X-Amz-Date=20190227T113100Z, x-amzn-apigateway-api-id=uwe3g5jm54, X-Amz-Source-Arn=arn:aws:execute-api:eu-west-2:958845080241:uwe3g5jm54/Prod/GET/echo, Accept=application/json, User-Agent=AmazonAPIGateway_uwe3g5jm54, X-Amz-Security-Token=FQoGZXIvYXdzEJH… [TRUNCATED]
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint request body after transformations: {"resource":"/echo","path":"/echo","httpMethod":"GET","headers":{"Accept":"application/json"} [TRUNCATED]
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Sending request to https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:log-test-1-EchoFunction-175HKORAF18IO/invocations
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Received response. Integration latency: 11029 ms
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response body before transformations: {"errorMessage":"2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds"}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response headers: {Date=Wed, 27 Feb 2019 11:31:11 GMT, Content-Type=application/json, Content-Length=115, Connection=keep-alive, x-amzn-RequestId=71952965-d5cc-4974-ae08-6e2138b2275c, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-5c7674f4-a3491d0a9c8012c191821b83;sampled=1}
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) AWS Integration Endpoint RequestId : 71952965-d5cc-4974-ae08-6e2138b2275c
        (286364ab-3a83-11e9-8dc8-db3cf4c83204) X-ray Tracing ID : 1-5c7674f4-a3491d0a9c8012c191821b83
        """

    // §9.15 — the 2018 shape of a Lambda throttle: the 429 body, x-amzn-ErrorType, then "Malformed" (lambda-ngrok notes).
    static let lambdaThrottled2018 = """
        2018-07-21T18:02:10.101Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Starting execution for request: 9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a
        2018-07-21T18:02:10.101Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) HTTP Method: GET, Resource Path: /hello
        2018-07-21T18:02:10.102Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations
        2018-07-21T18:02:10.107Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Received response. Integration latency: 5 ms
        2018-07-21T18:02:10.107Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Endpoint response body before transformations: {
          "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
          "Type": "User",
          "message": "Rate Exceeded."
        }
        2018-07-21T18:02:10.107Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Endpoint response headers: {Date=Sat, 21 Jul 2018 18:02:10 GMT, Content-Type=application/json, Content-Length=107, Connection=keep-alive, x-amzn-RequestId=4f6e2a1b-8d59-11e8-8c1d-2b3a4c5d6e7f, x-amzn-ErrorType=TooManyRequestsException}
        2018-07-21T18:02:10.107Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Execution failed due to configuration error: Malformed Lambda proxy response
        2018-07-21T18:02:10.107Z (9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a) Method completed with status: 502
        """
}

// MARK: - Access-log lines

enum DiagnosisAccessLines {
    // §5.3, verbatim (as `aws logs tail` printed them; the messages are JSON access records).
    static let wafBlockTail = #"2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe {"apiId":"o5p491t2v9","dynamoDBErrorMessage":"-","dynamoDBItemId":"-","dynamoDBOperation":"-","dynamoDBTableName":"-","errorMessage":"Forbidden","extendedRequestId":"f4GtaFqHvHcEMuw=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","protocol":"HTTP/1.1","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","requestTime":"02/Jul/2026:11:54:48 +0000","requestTimeEpoch":"1782993288684","resourcePath":"/PythonResource","responseLength":"23","sourceIp":"76.33.40.125","stage":"prod","status":"403","userAgent":"curl/8.13.0","wafLatency":"4","wafResponseCode":"WAF_BLOCK","wafStatus":"403","webAclArn":"arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#
    static let unauthorizedTail = #"2026-07-02T11:54:44.094000+00:00 938e048323d4ebc7c85671187092a0c1 {"apiId":"o5p491t2v9","dynamoDBErrorMessage":"-","dynamoDBItemId":"-","dynamoDBOperation":"-","dynamoDBTableName":"-","errorMessage":"Unauthorized","extendedRequestId":"f4GssEp9vHcEbdQ=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","protocol":"HTTP/1.1","requestId":"60838619-695e-45bc-8d3d-331626f88932","requestTime":"02/Jul/2026:11:54:44 +0000","requestTimeEpoch":"1782993284094","resourcePath":"/PythonResource","responseLength":"26","sourceIp":"76.33.40.125","stage":"prod","status":"401","userAgent":"curl/8.13.0","wafLatency":"6","wafResponseCode":"WAF_ALLOW","wafStatus":"200","webAclArn":"arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#
}

// MARK: - Scenarios

let accessOnlyApi = "k7x2mq9zt1"

let diagnosisScenarios: [DiagnosisScenario] = [
    DiagnosisScenario(
        name: "9.1 success, Lambda proxy", inputs: [.init(file: "paste.txt", text: DiagnosisLines.success2019, logGroup: "API-Gateway-Execution-Logs_h733q2j6gb/Prod")],
        requestId: "515f1e99-39db-11e9-9e96-01e5c04505b9", cause: .ok, status: 200, principal: nil, apiId: "h733q2j6gb", stage: "Prod",
        httpMethod: "POST", resource: "/verifyReceipt", path: "/verifyReceipt", route: "POST /verifyReceipt", cites: ["paste.txt:21"]),
    DiagnosisScenario(
        name: "9.1b success behind a TOKEN authorizer",
        inputs: [.init(file: "000000.txt", text: DiagnosisLines.authorizer2017(result: DiagnosisLines.allowAll2017) + "\n" + DiagnosisLines.execution2017)],
        requestId: "cf101403-4a17-11e7-935f-35dfc4618b7d", cause: .ok, status: 200,
        principal: "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5", apiId: "oo8kadh853", stage: "Test", httpMethod: "GET",
        resource: "/{resource+}", path: "/user_info", route: "ANY /{resource+}", cites: ["000000.txt:26"]),
    DiagnosisScenario(
        name: "9.2 authorizer explicit deny (SpaceFinder policy)",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.spaceFinderDenial(result: DiagnosisLines.spaceFinderPolicy, principal: "******************************1c70cd"))],
        requestId: "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11", cause: .authorizerExplicitDeny, status: 403,
        principal: "6527a55d-5498-428b-a997-8213981c70cd", apiId: "qyt4c7jmsd", stage: "development", httpMethod: "DELETE", resource: nil,
        path: "/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2", route: "DELETE /locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2",
        cites: ["paste.txt:8", "paste.txt:11"]),
    DiagnosisScenario(
        name: "9.3 authorizer implicit deny",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.spaceFinderDenial(result: DiagnosisLines.implicitPolicy, principal: "**user"))],
        requestId: "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11", cause: .authorizerImplicitDeny, status: 403, principal: "user",
        apiId: "qyt4c7jmsd", stage: "development", httpMethod: "DELETE", path: "/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2",
        cites: ["paste.txt:8", "paste.txt:11"]),
    DiagnosisScenario(
        name: "truncated policy: undetermined, masked principal shortened",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.spaceFinderDenial(result: DiagnosisLines.truncatedPolicy, principal: "******************************1c70cd"))],
        requestId: "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11", cause: .authorizerPolicyUndetermined, status: 403, principal: "****1c70cd",
        apiId: "qyt4c7jmsd", stage: "development", cites: ["paste.txt:8", "paste.txt:11"]),
    DiagnosisScenario(
        name: "9.4a identity source missing (timestamps on their own lines)",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.identityMissing, logGroup: "API-Gateway-Execution-Logs_tv731cev0j/dev")],
        requestId: "9cef3834-f42c-46d7-83fe-a6401a431398", cause: .authorizerIdentityMissing, status: 401, principal: nil,
        apiId: "tv731cev0j", stage: "dev", httpMethod: nil, resource: nil, path: nil, route: nil, cites: ["paste.txt:4", "paste.txt:6"]),
    DiagnosisScenario(
        name: "9.4b authorizer Lambda answered Unauthorized",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.authorizerUnauthorized)],
        requestId: "29d2b4df-26da-4cae-aeca-f9ef6c338d88", cause: .authorizerUnauthorized, status: 401, principal: nil,
        apiId: "ja8pdvfjf6", stage: "ESTestInvoke-stage", httpMethod: "GET", path: "/", cites: ["paste.txt:6", "paste.txt:7"]),
    DiagnosisScenario(
        name: "9.5a authorizer crashed: Invalid JSON in response",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.authorizerCrashed)],
        requestId: "afab46d7-880e-4150-a266-b1fcc783be07", cause: .authorizerError, status: 500, principal: nil,
        cites: ["paste.txt:5", "paste.txt:6"]),
    DiagnosisScenario(
        name: "9.5b ERROR level: cannot assume the authorizer role",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.authorizerRole)],
        requestId: "e0c5a7d2-3b41-4f6e-9a8d-1c2b3d4e5f60", cause: .authorizerError, status: 500, principal: nil,
        cites: ["paste.txt:1", "paste.txt:2"]),
    DiagnosisScenario(
        name: "9.5c authorizer returned null: Could not parse policy",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.authorizerNull)],
        requestId: "7d1e2f3a-87c5-11e6-9f1a-2b3c4d5e6f70", cause: .authorizerError, status: 500, cites: ["paste.txt:4"]),
    DiagnosisScenario(
        name: "9.5d WebSocket extended-id prefix: authorizer error wins over the permission text",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.webSocketAuthorizer, logGroup: "API-Gateway-Execution-Logs_w3bs0ck3t1/production")],
        requestId: "PDS1PEC4oAMFpyA=", cause: .authorizerError, status: 500, apiId: "w3bs0ck3t1", stage: "production",
        cites: ["paste.txt:2", "paste.txt:3"]),
    DiagnosisScenario(
        name: "9.7 resource policy explicit deny (access log says so)",
        inputs: [.init(file: "insights.txt", text: DiagnosisLines.resourcePolicy2024, logGroup: "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc")],
        access: #"{"requestId":"412e45a2-9321-4077-8b0b-f044a4364918","apiId":"65jyknf3ud","stage":"abrahamsc","httpMethod":"GET","resourcePath":"/health","path":"/abrahamsc/health","status":"403","error_responseType":"ACCESS_DENIED","error_message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/health with an explicit deny","integrationLatency":"-"}"#,
        requestId: "412e45a2-9321-4077-8b0b-f044a4364918", cause: .resourcePolicyExplicitDeny, status: 403, principal: "anonymous",
        apiId: "65jyknf3ud", stage: "abrahamsc", httpMethod: "GET", resource: "/health", path: "/health", route: "GET /health",
        cites: ["insights.txt:2", "access.jsonl:1"]),
    DiagnosisScenario(
        name: "9.7 execution log only: resource policy deny",
        inputs: [.init(file: "insights.txt", text: DiagnosisLines.resourcePolicy2024, logGroup: "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc")],
        requestId: "412e45a2-9321-4077-8b0b-f044a4364918", cause: .resourcePolicyDeny, status: 403, principal: "anonymous",
        apiId: "65jyknf3ud", stage: "abrahamsc", httpMethod: nil, route: nil, cites: ["insights.txt:2"]),
    DiagnosisScenario(
        name: "9.8 resource policy implicit deny (root path ARN)",
        inputs: [.init(file: "insights.txt", text: """
            (7b2c9d40-1e5f-4a3b-8c6d-9e0f1a2b3c4d) Extended Request Id: Uq1wEHv0PHcEZ3g=
            (7b2c9d40-1e5f-4a3b-8c6d-9e0f1a2b3c4d) The client is not authorized to perform this operation.
            """, logGroup: "API-Gateway-Execution-Logs_vd2gh6uqw3/api")],
        access: #"{"requestId":"7b2c9d40-1e5f-4a3b-8c6d-9e0f1a2b3c4d","httpMethod":"GET","path":"/api/","resourcePath":"/","status":"403","errorMessage":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/"}"#,
        requestId: "7b2c9d40-1e5f-4a3b-8c6d-9e0f1a2b3c4d", cause: .resourcePolicyImplicitDeny, status: 403, principal: "anonymous",
        apiId: "vd2gh6uqw3", stage: "api", httpMethod: "GET", resource: "/", path: "/", route: "GET /",
        cites: ["insights.txt:2", "access.jsonl:1"]),
    DiagnosisScenario(
        name: "resource policy deny in phase 2, after an allowing authorizer",
        inputs: [.init(file: "000000.txt", text: DiagnosisLines.authorizer2017(result: DiagnosisLines.allowAll2017)
                       + "\n2017-06-05T17:52:57.702Z (cf101403-4a17-11e7-935f-35dfc4618b7d) The client is not authorized to perform this operation.")],
        requestId: "cf101403-4a17-11e7-935f-35dfc4618b7d", cause: .resourcePolicyDeny, status: 403,
        principal: "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5", apiId: "oo8kadh853", stage: "Test", httpMethod: "GET",
        path: "/user_info", cites: ["000000.txt:6", "000000.txt:9"]),
    DiagnosisScenario(
        name: "IAM caller denied (access record names the user)",
        inputs: [.init(file: "paste.txt", text: """
            (c3e1f0a9-2b4d-4e6f-8a1b-3c5d7e9f1a2b) Extended Request Id: Xk3pRGz2IAMEq9w=
            (c3e1f0a9-2b4d-4e6f-8a1b-3c5d7e9f1a2b) The client is not authorized to perform this operation.
            """)],
        access: #"{"requestId":"c3e1f0a9-2b4d-4e6f-8a1b-3c5d7e9f1a2b","apiId":"ehuzqavkg6","stage":"dev","httpMethod":"GET","resourcePath":"/items","path":"/dev/items","status":"403","responseType":"ACCESS_DENIED","errorMessage":"User: arn:aws:iam::*****:user/api-test-user is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:********1633:ehuzqavkg6/dev/GET/items"}"#,
        requestId: "c3e1f0a9-2b4d-4e6f-8a1b-3c5d7e9f1a2b", cause: .iamDenied, status: 403, principal: "arn:aws:iam::*****:user/api-test-user",
        apiId: "ehuzqavkg6", stage: "dev", httpMethod: "GET", resource: "/items", path: "/items", route: "GET /items",
        cites: ["paste.txt:2", "access.jsonl:1"]),
    DiagnosisScenario(
        name: "route not found: MISSING_AUTHENTICATION_TOKEN without a template",
        inputs: [],
        access: #"{"requestId":"3d7f9a10-5b2c-4e8d-9f1a-6c4b2e0d8a11","apiId":"k7x2mq9zt1","stage":"prod","httpMethod":"GET","resourcePath":"-","path":"/prod/petz","status":"403","error_responseType":"MISSING_AUTHENTICATION_TOKEN","error_message":"Missing Authentication Token","integrationLatency":"-"}"#,
        requestId: "3d7f9a10-5b2c-4e8d-9f1a-6c4b2e0d8a11", cause: .routeNotFound, status: 403, principal: nil, apiId: "k7x2mq9zt1",
        stage: "prod", httpMethod: "GET", resource: nil, path: "/petz", route: "GET /petz", cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "unsigned call to an AWS_IAM method: MISSING_AUTHENTICATION_TOKEN on a real template",
        inputs: [],
        access: #"{"requestId":"4e8a0b21-6c3d-4f9e-8a2b-7d5c3f1e9b22","apiId":"k7x2mq9zt1","stage":"prod","httpMethod":"DELETE","resourcePath":"/pets/{petId}","path":"/prod/pets/42","status":"403","error_responseType":"MISSING_AUTHENTICATION_TOKEN","error_message":"Missing Authentication Token","integrationLatency":"-"}"#,
        requestId: "4e8a0b21-6c3d-4f9e-8a2b-7d5c3f1e9b22", cause: .iamUnsignedRequest, status: 403, principal: nil,
        httpMethod: "DELETE", resource: "/pets/{petId}", path: "/pets/42", route: "DELETE /pets/{petId}", cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "expired SigV4 signature",
        inputs: [],
        access: #"{"requestId":"5f9b1c32-7d4e-4a0f-9b3c-8e6d4a2f0c33","apiId":"k7x2mq9zt1","stage":"prod","httpMethod":"GET","resourcePath":"/orders","path":"/prod/orders","status":"403","error_responseType":"INVALID_SIGNATURE","error_message":"Signature expired: 20191205T142350Z is now earlier than 20191205T211850Z (20191205T212350Z - 5 min.)"}"#,
        requestId: "5f9b1c32-7d4e-4a0f-9b3c-8e6d4a2f0c33", cause: .iamSignatureInvalid, status: 403, route: "GET /orders",
        cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "SigV4 mismatch under DEFAULT_4XX: the message decides",
        inputs: [],
        access: #"{"requestId":"6a0c2d43-8e5f-4b1a-8c4d-9f7e5b3a1d44","status":"403","responseType":"DEFAULT_4XX","errorMessage":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}"#,
        requestId: "6a0c2d43-8e5f-4b1a-8c4d-9f7e5b3a1d44", cause: .iamSignatureInvalid, status: 403, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "WAF_FILTERED response type",
        inputs: [],
        access: #"{"requestId":"7b1d3e54-9f6a-4c2b-9d5e-0a8f6c4b2e55","status":"403","error_responseType":"WAF_FILTERED","error_message":"Forbidden"}"#,
        requestId: "7b1d3e54-9f6a-4c2b-9d5e-0a8f6c4b2e55", cause: .wafBlocked, status: 403, principal: nil, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "§5.3 real WAF line: wafResponseCode WAF_BLOCK without a response type",
        inputs: [],
        access: DiagnosisAccessLines.wafBlockTail,
        requestId: "0afb41b6-60d7-4a56-bf47-acf1fbcabec4", cause: .wafBlocked, status: 403, principal: nil, apiId: "o5p491t2v9",
        stage: "prod", httpMethod: "GET", resource: "/PythonResource", path: "/PythonResource", route: "GET /PythonResource",
        cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "§5.3 401 line with the Cognito expired-token message",
        inputs: [],
        access: DiagnosisAccessLines.unauthorizedTail.replacingFirst(#""errorMessage":"Unauthorized""#, with: #""errorMessage":"The incoming token has expired""#),
        requestId: "60838619-695e-45bc-8d3d-331626f88932", cause: .cognitoUnauthorized, status: 401, principal: nil,
        apiId: "o5p491t2v9", stage: "prod", route: "GET /PythonResource", cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "§5.3 401 line with authenticate.* fields: Cognito",
        inputs: [],
        access: DiagnosisAccessLines.unauthorizedTail.replacingFirst(#""integrationLatency":"-""#, with: #""authenticateStatus":"401","authenticateError":"-","integrationLatency":"-""#),
        requestId: "60838619-695e-45bc-8d3d-331626f88932", cause: .cognitoUnauthorized, status: 401, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "§5.3 401 line verbatim: any other access-only 401 is the authorizer's",
        inputs: [],
        access: DiagnosisAccessLines.unauthorizedTail,
        requestId: "60838619-695e-45bc-8d3d-331626f88932", cause: .authorizerUnauthorized, status: 401, principal: nil,
        cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "9.10 API key in no usage plan",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.apiKeyInvalid)],
        requestId: "2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10", cause: .apiKeyInvalid, status: 403, principal: nil, apiId: "zsuvlqr7nb",
        stage: "prod", resource: "/", route: "GET /", cites: ["paste.txt:3"]),
    DiagnosisScenario(
        name: "9.10 ERROR level: only the refusal line",
        inputs: [.init(file: "paste.txt", text: "(2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) API Key **********************************bMZHBg not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage")],
        requestId: "2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10", cause: .apiKeyInvalid, status: 403, apiId: "zsuvlqr7nb", stage: "prod",
        cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "9.11a stage throttle",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.stageThrottle)],
        requestId: "4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998", cause: .throttled, status: 429, principal: nil, apiId: "uwe3g5jm54",
        stage: "Prod", httpMethod: "POST", cites: ["paste.txt:3", "paste.txt:4"]),
    DiagnosisScenario(
        name: "9.11b API-key throttle, one line",
        inputs: [.init(file: "paste.txt", text: "(f277a0b4-2bcd-41b3-8e43-4de770663ffb) API Key **********************************F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev, Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10")],
        requestId: "f277a0b4-2bcd-41b3-8e43-4de770663ffb", cause: .throttled, status: 429, apiId: "rohkz08x02", stage: "dev",
        httpMethod: "GET", cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "bare 429 (account or regional throttle)",
        inputs: [.init(file: "paste.txt", text: "(0c8e4f65-1a7b-4d3c-8e6f-2b0a9d7c5f66) Method completed with status: 429")],
        requestId: "0c8e4f65-1a7b-4d3c-8e6f-2b0a9d7c5f66", cause: .throttled, status: 429, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "9.11c usage-plan quota",
        inputs: [.init(file: "paste.txt", text: "(1d9f5a76-2b8c-4e4d-9f7a-3c1b0e8d6a77) API Key ***************apikey exceeded quota limit for API Stage xxxxx/prod: Key quota exhausted for Usage Plan ID xxxx. Limit: 200 Period: DAY")],
        requestId: "1d9f5a76-2b8c-4e4d-9f7a-3c1b0e8d6a77", cause: .quotaExceeded, status: 429, stage: "prod", cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "E8 request body does not match the model",
        inputs: [.init(file: "paste.txt", text: """
            (2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88) Starting execution for request: 2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88
            (2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88) HTTP Method: POST, Resource Path: /signup
            (2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88) Method request body before transformations: {"name":"x"}
            (2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88) Request body does not match model schema for content type application/json: [object has missing required properties (["email","password","repeatPassword"])]
            (2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88) Method completed with status: 400
            """)],
        requestId: "2e0a6b87-3c9d-4f5e-8a8b-4d2c1f9e7b88", cause: .requestValidationFailed, status: 400, httpMethod: "POST",
        path: "/signup", route: "POST /signup", cites: ["paste.txt:4", "paste.txt:5"]),
    DiagnosisScenario(
        name: "9.13a ERROR level integration timeout",
        inputs: [.init(file: "paste.txt", text: """
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            """)],
        requestId: "fbcaf9e5-d535-40a1-891c-7b70118cf7e8", cause: .integrationTimeout, status: 504, cites: ["paste.txt:1", "paste.txt:2"]),
    DiagnosisScenario(
        name: "9.13b integration timeout after Sending request",
        inputs: [.init(file: "paste.txt", text: """
            (8a699106-8d59-11e8-905d-b3747276ed60) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations
            (8a699106-8d59-11e8-905d-b3747276ed60) Execution failed due to a timeout error
            (8a699106-8d59-11e8-905d-b3747276ed60) Method completed with status: 504
            """)],
        requestId: "8a699106-8d59-11e8-905d-b3747276ed60", cause: .integrationTimeout, status: 504, cites: ["paste.txt:2"]),
    DiagnosisScenario(
        name: "9.14a function timed out at its own limit",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.functionError2019)],
        requestId: "286364ab-3a83-11e9-8dc8-db3cf4c83204", cause: .integrationFunctionError, status: 502, principal: nil,
        apiId: "uwe3g5jm54", stage: "Prod", httpMethod: "GET", resource: "/echo", path: "/echo", route: "GET /echo",
        cites: ["paste.txt:18", "paste.txt:19"]),
    DiagnosisScenario(
        name: "9.14b ERROR level function error",
        inputs: [.init(file: "paste.txt", text: """
            (5293df93-f895-46ee-8c21-1471f0d0cef0) Lambda execution failed with status 200 due to customer function error: Application error in a Lambda function. Lambda request id: 758a8c2f-35eb-4713-b55e-56879fbc968b
            (5293df93-f895-46ee-8c21-1471f0d0cef0) Method completed with status: 502
            """)],
        requestId: "5293df93-f895-46ee-8c21-1471f0d0cef0", cause: .integrationFunctionError, status: 502, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "9.15 malformed Lambda proxy response",
        inputs: [.init(file: "paste.txt", text: """
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) Endpoint response body before transformations: {"statusCode":500,"body":{"message":"boom"}}
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) Execution failed due to configuration error: Malformed Lambda proxy response
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) Method completed with status: 502
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) AWS Integration Endpoint RequestId : 15aba189-6719-4153-b214-46824db50ffa
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) X-ray Tracing ID : 1-5c756de5-f69ee0aea16ccb26b0eb5c51
            """)],
        requestId: "5cb7ee58-39e6-11e9-be7e-29aff96747f2", cause: .integrationMalformedResponse, status: 502, cites: ["paste.txt:2"]),
    DiagnosisScenario(
        name: "F5 Lambda throttled (2025): 429 + Rate Exceeded",
        inputs: [.init(file: "paste.txt", text: """
            (394365dc-1b10-411f-9668-70521cec1205) Lambda invocation failed with status: 429. Lambda request id: dcb2ab89-2d03-4b77-98cd-18d14fd2b850
            (394365dc-1b10-411f-9668-70521cec1205) Execution failed due to configuration error: Rate Exceeded.
            (394365dc-1b10-411f-9668-70521cec1205) Method completed with status: 500
            """)],
        requestId: "394365dc-1b10-411f-9668-70521cec1205", cause: .integrationThrottled, status: 500, cites: ["paste.txt:1", "paste.txt:2"]),
    DiagnosisScenario(
        name: "Lambda throttled, 2018 shape: TooManyRequestsException outranks Malformed",
        inputs: [.init(file: "000000.txt", text: DiagnosisLines.lambdaThrottled2018)],
        requestId: "9b7a6c5d-8d59-11e8-a0b1-3f5e6d7c8b9a", cause: .integrationThrottled, status: 502, httpMethod: "GET", path: "/hello",
        cites: ["000000.txt:10", "000000.txt:11"]),
    DiagnosisScenario(
        name: "F3 missing invoke permission",
        inputs: [.init(file: "paste.txt", text: """
            (73737819-c94c-48d7-86d7-b1700e4be29b) Execution failed due to configuration error: Invalid permissions on Lambda function
            (73737819-c94c-48d7-86d7-b1700e4be29b) Method completed with status: 500
            """)],
        requestId: "73737819-c94c-48d7-86d7-b1700e4be29b", cause: .integrationPermissionError, status: 500, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "F6 no output mapping",
        inputs: [.init(file: "paste.txt", text: """
            (3f1b7c98-4d0e-4a6f-9b9c-5e3d2a0f8c99) Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 400
            (3f1b7c98-4d0e-4a6f-9b9c-5e3d2a0f8c99) Method completed with status: 500
            """)],
        requestId: "3f1b7c98-4d0e-4a6f-9b9c-5e3d2a0f8c99", cause: .integrationConfigError, status: 500, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "backend answered 404",
        inputs: [.init(file: "paste.txt", text: """
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) Starting execution for request: 40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) HTTP Method: GET, Resource Path: /pets/99
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) Received response. Status: 200, Integration latency: 86 ms
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) Endpoint response body before transformations: {"statusCode":404,"body":"{\\"message\\":\\"no such pet\\"}"}
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) Successfully completed execution
            (40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa) Method completed with status: 404
            """)],
        requestId: "40a2c8a9-5e1f-4b7a-8cad-6f4e3b1a9daa", cause: .backendError, status: 404, httpMethod: "GET", path: "/pets/99",
        route: "GET /pets/99", cites: ["paste.txt:5", "paste.txt:6"]),
    DiagnosisScenario(
        name: "backend answered 503",
        inputs: [.init(file: "paste.txt", text: """
            (51b3d9ba-6f2a-4c8b-9dbe-7a5f4c2b0ebb) Successfully completed execution
            (51b3d9ba-6f2a-4c8b-9dbe-7a5f4c2b0ebb) Method completed with status: 503
            """)],
        requestId: "51b3d9ba-6f2a-4c8b-9dbe-7a5f4c2b0ebb", cause: .backendError, status: 503, cites: ["paste.txt:2"]),
    DiagnosisScenario(
        name: "only Extended Request Id and X-ray: unexplained rejection",
        inputs: [.init(file: "paste.txt", text: """
            (62c4eacb-7a3b-4d9c-8ecf-8b6a5d3c1fcc) Extended Request Id: N7Sb5GwpDoEEf9A=
            (62c4eacb-7a3b-4d9c-8ecf-8b6a5d3c1fcc) X-ray Tracing ID : Root=1-6962324d-3b8749616a929c8bd4fd14aa
            """)],
        requestId: "62c4eacb-7a3b-4d9c-8ecf-8b6a5d3c1fcc", cause: .unexplainedRejection, status: 403, principal: nil,
        cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "only Extended Request Id: unexplained rejection",
        inputs: [.init(file: "paste.txt", text: "(73d5fbdc-8b4c-4eaf-9fd0-9c7b6e4d2add) Extended Request Id: N7Sb5GwpDoEEf9A=")],
        requestId: "73d5fbdc-8b4c-4eaf-9fd0-9c7b6e4d2add", cause: .unexplainedRejection, status: 403, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "lines stop after Sending request: incomplete",
        inputs: [.init(file: "paste.txt", text: """
            (84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee) Extended Request Id: Vwc3NHGVsPEFW_h=
            (84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee) Starting execution for request: 84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee
            (84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee) HTTP Method: GET, Resource Path: /reports/2026
            (84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee) Sending request to https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:reports/invocations
            """)],
        requestId: "84e6acdd-9c5d-4fb0-8ae1-ad8c7f5e3bee", cause: .incomplete, status: nil, httpMethod: "GET", path: "/reports/2026",
        cites: ["paste.txt:4"]),
    DiagnosisScenario(
        name: "a 500 with nothing else: unknown",
        inputs: [.init(file: "paste.txt", text: "(95f7bdee-ad6e-4ac1-9bf2-be9d8a6f4cff) Method completed with status: 500")],
        requestId: "95f7bdee-ad6e-4ac1-9bf2-be9d8a6f4cff", cause: .unknown, status: 500, cites: ["paste.txt:1"]),
    DiagnosisScenario(
        name: "only lines gatelog does not know: unknown",
        inputs: [.init(file: "paste.txt", text: "(a608ceff-be7f-4bd2-8c03-cfae9b7a5100) Some message a future gateway writes")],
        requestId: "a608ceff-be7f-4bd2-8c03-cfae9b7a5100", cause: .unknown, status: nil, cites: ["paste.txt:1"]),
]

fileprivate extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}

@Suite struct DiagnoserTests {
    @Test(arguments: diagnosisScenarios)
    func verdictOfARealisticLifecycle(_ scenario: DiagnosisScenario) throws {
        let (verdict, _) = try scenario.run()
        let name = scenario.name
        try scenario.expectMatches(verdict)
        #expect(!verdict.evidence.isEmpty, "\(name)")
        #expect(verdict.hint == CauseCatalogue.entry(for: verdict.cause).hint)
    }

    @Test func scenariosCoverEveryCause() {
        let covered = Set(diagnosisScenarios.map(\.cause)).union([.authorizerCachedPolicyMismatch])  // see DiagnoserCacheTests
        #expect(covered == Set(Cause.allCases), "missing: \(Set(Cause.allCases).subtracting(covered))")
        #expect(Set(designCauseTable.keys) == Set(Cause.allCases))
    }
}

extension DiagnosisScenario {
    /// Checks a verdict against this scenario: cause, the DESIGN.md layer and outcome of that cause, every expected
    /// value, and the evidence sources it must cite.
    func expectMatches(_ verdict: Verdict) throws {
        #expect(verdict.cause == cause, "\(name): evidence \(verdict.evidence)")
        let design = try #require(designCauseTable[cause])
        #expect(verdict.layer == design.layer, "\(name)")
        #expect(verdict.outcome == design.outcome, "\(name)")
        status.check(verdict.status, "status", name)
        principal.check(verdict.principal, "principal", name)
        apiId.check(verdict.apiId, "apiId", name)
        stage.check(verdict.stage, "stage", name)
        httpMethod.check(verdict.httpMethod, "httpMethod", name)
        resource.check(verdict.resource, "resource", name)
        path.check(verdict.path, "path", name)
        route.check(verdict.route, "route", name)
        let cited = Set(verdict.evidence.map(\.source))
        for source in cites {
            #expect(cited.contains(source), "\(name): evidence should cite \(source); cites \(verdict.evidence.map(\.source))")
        }
    }
}
