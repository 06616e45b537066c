import Testing
@testable import GateLogKit

/// `authorizer_cached_policy_mismatch` (DESIGN.md §3 "Cached policy", log-formats.md §4.4/§9.6): an earlier request of
/// the same identity got a policy from the authorizer; a later request within the TTL, with no authorizer call, is
/// denied because that cached policy does not cover its method ARN. Lines use the SpaceFinder API of §9.2.
@Suite struct DiagnoserCacheTests {
    static let group = "API-Gateway-Execution-Logs_qyt4c7jmsd/development"
    static let earlierId = "0b1f9a52-32d3-11e7-8f41-6b1c5c0e6a01"
    static let deniedId = "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11"

    /// The first call, GET /locations at 05:41:54: the authorizer runs and returns a policy whose Resource is that
    /// call's own method ARN (the classic `Resource: event.methodArn`), or `resource` when given.
    static func earlierRequest(resource: String = "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations") -> String {
        let id = earlierId
        return """
            2017-05-07T05:41:54.100Z (\(id)) Extended Request Id: Y9a1QFx0IAMEa1a=
            2017-05-07T05:41:54.101Z (\(id)) Starting authorizer: 2egbc3 for request: \(id)
            2017-05-07T05:41:54.101Z (\(id)) Incoming identity: ****…NA6Lu-
            2017-05-07T05:41:54.102Z (\(id)) Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom/invocations
            2017-05-07T05:41:54.102Z (\(id)) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"eyJraWQiOiJBNkx1LSJ9","methodArn":"arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations"}
            2017-05-07T05:41:54.103Z (\(id)) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom/invocations
            2017-05-07T05:41:54.180Z (\(id)) Authorizer result body before parsing: {"principalId":"6527a55d-5498-428b-a997-8213981c70cd","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"\(resource)"}]}}
            2017-05-07T05:41:54.181Z (\(id)) Using valid authorizer policy for principal: ******************************1c70cd
            2017-05-07T05:41:54.181Z (\(id)) Successfully completed authorizer execution
            2017-05-07T05:41:54.181Z (\(id)) Verifying Usage Plan for request: \(id). API Key:  API Stage: qyt4c7jmsd/development
            2017-05-07T05:41:54.181Z (\(id)) API Key  authorized because method 'GET /locations' does not require API Key. Request will not contribute to throttle or quota limits
            2017-05-07T05:41:54.181Z (\(id)) Usage Plan check succeeded for API Key  and API Stage qyt4c7jmsd/development
            2017-05-07T05:41:54.182Z (\(id)) Starting execution for request: \(id)
            2017-05-07T05:41:54.182Z (\(id)) HTTP Method: GET, Resource Path: /locations
            2017-05-07T05:41:54.230Z (\(id)) Successfully completed execution
            2017-05-07T05:41:54.230Z (\(id)) Method completed with status: 200
            """
    }

    /// Shape A: no authorizer lines at all, only the envelope and the denial; `time` is `HH:MM:SS.mmm` on the same day.
    static func shapeA(at time: String) -> String {
        """
        2017-05-07T\(time)Z (\(deniedId)) Extended Request Id: Y9b2QFx0IAMEabc=
        2017-05-07T\(time)Z (\(deniedId)) The client is not authorized to perform this operation.
        """
    }

    /// Shape B: an authorizer block without a Lambda call, naming the masked principal.
    static func shapeB(at time: String) -> String {
        """
        2017-05-07T\(time)Z (\(deniedId)) Extended Request Id: Y9b2QFx0IAMEabc=
        2017-05-07T\(time)Z (\(deniedId)) Starting authorizer: 2egbc3 for request: \(deniedId)
        2017-05-07T\(time)Z (\(deniedId)) Using valid authorizer policy for principal: ******************************1c70cd
        2017-05-07T\(time)Z (\(deniedId)) Successfully completed authorizer execution
        2017-05-07T\(time)Z (\(deniedId)) The client is not authorized to perform this operation.
        """
    }

    /// The denied call's access record: DELETE /locations/03cb… with or without the authorizer principal.
    static func accessRecord(principal: String?) -> String {
        let principalField = principal.map { #","principalId":"\#($0)""# } ?? ""
        return #"{"requestId":"\#(deniedId)","apiId":"qyt4c7jmsd","stage":"development","httpMethod":"DELETE","resourcePath":"/locations/{locationId}","path":"/development/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2","status":"403","error_responseType":"ACCESS_DENIED","integrationLatency":"-"\#(principalField)}"#
    }

    private func run(earlier: String = earlierRequest(), denial: String, access: String, ttl: Int = 300) throws -> (Verdict, Verdict) {
        let harness = DiagnosisHarness(ttlSeconds: ttl, holdAccessRecords: true)
        try harness.feed("access.jsonl", access)
        try harness.feed("day.txt", earlier + "\n" + denial, origin: RecordOrigin(logGroup: Self.group, logStream: nil))
        try harness.finish()
        #expect(harness.verdicts.map(\.requestId) == [Self.earlierId, Self.deniedId], "the earlier request is diagnosed first")
        let first = try #require(harness.verdict(Self.earlierId))
        let denied = try #require(harness.verdict(Self.deniedId))
        return (first, denied)
    }

    @Test func shapeAWithAccessLogPrincipalWithinTTL() throws {
        let (first, denied) = try run(denial: Self.shapeA(at: "05:43:54.300"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"))
        #expect(first.cause == .ok)
        #expect(denied.cause == .authorizerCachedPolicyMismatch)
        #expect(denied.layer == .authorizer)
        #expect(denied.outcome == .denied)
        #expect(denied.status == 403)
        #expect(denied.principal == "6527a55d-5498-428b-a997-8213981c70cd")
        #expect(denied.apiId == "qyt4c7jmsd")
        #expect(denied.stage == "development")
        #expect(denied.httpMethod == "DELETE")
        #expect(denied.path == "/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2")
        #expect(denied.route == "DELETE /locations/{locationId}")
        // The evidence cites the earlier request's policy line (day.txt:7), names that request, and cites the denial.
        let sources = denied.evidence.map(\.source)
        #expect(sources.contains("day.txt:7"))
        #expect(sources.contains("day.txt:18"))
        #expect(sources.contains("access.jsonl:1"))
        #expect(denied.evidence.contains { $0.source == "day.txt:7" && $0.text.contains(Self.earlierId) })
        #expect(denied.evidence.contains { $0.text.contains("development/GET/locations") })
    }

    @Test func shapeBWithMaskedPrincipalWithinTTL() throws {
        let (_, denied) = try run(denial: Self.shapeB(at: "05:44:10.000"), access: Self.accessRecord(principal: nil))
        #expect(denied.cause == .authorizerCachedPolicyMismatch)
        #expect(denied.status == 403)
        #expect(denied.principal == "6527a55d-5498-428b-a997-8213981c70cd")
        #expect(denied.authorizerId == "2egbc3")
        #expect(denied.evidence.contains { $0.source == "day.txt:7" && $0.text.contains(Self.earlierId) })
        #expect(denied.evidence.map(\.source).contains("day.txt:21"))
    }

    @Test func notAMismatchOutsideTheTTL() throws {
        // 05:41:54.100 + 300 s = 05:46:54.100; one second later the cached policy has expired.
        let (_, denied) = try run(denial: Self.shapeA(at: "05:46:55.100"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"))
        #expect(denied.cause != .authorizerCachedPolicyMismatch)
        #expect(denied.cause == .resourcePolicyDeny)
        #expect(!denied.evidence.contains { $0.text.contains(Self.earlierId) })
    }

    @Test func aShorterTTLExpiresTheCacheSooner() throws {
        let (_, within) = try run(denial: Self.shapeA(at: "05:42:54.000"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"), ttl: 60)
        #expect(within.cause == .authorizerCachedPolicyMismatch)
        let (_, after) = try run(denial: Self.shapeA(at: "05:42:55.000"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"), ttl: 60)
        #expect(after.cause != .authorizerCachedPolicyMismatch)
    }

    @Test func notAMismatchWhenTheCachedPolicyCoversTheARN() throws {
        let (_, denied) = try run(
            earlier: Self.earlierRequest(resource: "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"),
            denial: Self.shapeA(at: "05:43:54.300"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"))
        #expect(denied.cause != .authorizerCachedPolicyMismatch)
        #expect(denied.cause == .resourcePolicyDeny)
    }

    @Test func notAMismatchForAnotherIdentity() throws {
        let (_, denied) = try run(denial: Self.shapeA(at: "05:43:54.300"), access: Self.accessRecord(principal: "1f0e9d8c-7b6a-4c5d-9e8f-0a1b2c3d4e5f"))
        #expect(denied.cause != .authorizerCachedPolicyMismatch)
    }

    @Test func notAMismatchWhenTheDenialIsOlderThanThePolicy() throws {
        // Read after the earlier request, but stamped before it: no cache could have served it.
        let (_, denied) = try run(denial: Self.shapeA(at: "05:40:00.000"), access: Self.accessRecord(principal: "6527a55d-5498-428b-a997-8213981c70cd"))
        #expect(denied.cause != .authorizerCachedPolicyMismatch)
    }
}
