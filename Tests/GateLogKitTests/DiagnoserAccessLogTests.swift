import Testing
@testable import GateLogKit

/// Access-log evidence joined to execution lines, or standing alone (DESIGN.md §3 Rules: evidence beats inference),
/// and further execution-log shapes (test-invoke form, empty principal).
let accessLogScenarios: [DiagnosisScenario] = [
    DiagnosisScenario(
        name: "9.4a with its access record: still the identity source",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.identityMissing, logGroup: "API-Gateway-Execution-Logs_tv731cev0j/dev")],
        access: #"{"requestId":"9cef3834-f42c-46d7-83fe-a6401a431398","extendedRequestId":"W9zMPGrHtjMEeFw=","httpMethod":"GET","resourcePath":"/items","path":"/dev/items","stage":"dev","status":"401","errorMessage":"Unauthorized","responseType":"UNAUTHORIZED","responseLength":"26","integrationLatency":"-"}"#,
        requestId: "9cef3834-f42c-46d7-83fe-a6401a431398", cause: .authorizerIdentityMissing, status: 401, principal: nil,
        apiId: "tv731cev0j", stage: "dev", httpMethod: "GET", resource: "/items", path: "/items", route: "GET /items",
        cites: ["paste.txt:6", "access.jsonl:1"]),
    DiagnosisScenario(
        name: "9.4b in console test-invoke form, with the bare Unauthorized line",
        inputs: [.init(file: "test-invoke.txt", text: """
            Execution log for request 29d2b4df-26da-4cae-aeca-f9ef6c338d88
            Thu Sep 05 04:56:39 UTC 2019 : Starting authorizer: 52u008 for request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
            Thu Sep 05 04:56:39 UTC 2019 : Incoming identity: {method.request.header.Hash=********aaaaaa}
            Thu Sep 05 04:56:39 UTC 2019 : Endpoint request URI: https://lambda.ap-southeast-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:ap-southeast-2:654888109795:function:dev-HashMACSHM-Authorizer/invocations
            Thu Sep 05 04:56:39 UTC 2019 : Sending request to https://lambda.ap-southeast-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:ap-southeast-2:654888109795:function:dev-HashMACSHM-Authorizer/invocations
            Thu Sep 05 04:56:39 UTC 2019 : Unauthorized request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
            Unauthorized
            """)],
        requestId: "29d2b4df-26da-4cae-aeca-f9ef6c338d88", cause: .authorizerUnauthorized, status: 401,
        cites: ["test-invoke.txt:5", "test-invoke.txt:6"]),
    DiagnosisScenario(
        name: "policy with an empty principalId and an empty `for principal:`",
        inputs: [.init(file: "paste.txt", text: DiagnosisLines.spaceFinderDenial(
            result: #"{"principalId":"","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"]}]}}"#,
            principal: ""))],
        requestId: "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11", cause: .authorizerExplicitDeny, status: 403, principal: nil,
        cites: ["paste.txt:8"]),
    DiagnosisScenario(
        name: "access-only explicit-deny body of a Lambda authorizer",
        inputs: [],
        access: #"{"requestId":"b719d0a1-c08e-4e13-9d14-d0bfac8b6211","status":"403","responseType":"ACCESS_DENIED","errorMessage":"User is not authorized to access this resource with an explicit deny","httpMethod":"DELETE","path":"/prod/pets/42","stage":"prod","resourcePath":"/pets/{petId}"}"#,
        requestId: "b719d0a1-c08e-4e13-9d14-d0bfac8b6211", cause: .authorizerExplicitDeny, status: 403, route: "DELETE /pets/{petId}",
        cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only THROTTLED",
        inputs: [],
        access: #"{"requestId":"c82ae1b2-d19f-4f24-8e25-e1c0bd9c7322","status":"429","error_responseType":"THROTTLED","error_message":"Too Many Requests"}"#,
        requestId: "c82ae1b2-d19f-4f24-8e25-e1c0bd9c7322", cause: .throttled, status: 429, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only QUOTA_EXCEEDED",
        inputs: [],
        access: #"{"requestId":"d93bf2c3-e2a0-4035-9f36-f2d1ceadb433","status":"429","error_responseType":"QUOTA_EXCEEDED","error_message":"Limit Exceeded"}"#,
        requestId: "d93bf2c3-e2a0-4035-9f36-f2d1ceadb433", cause: .quotaExceeded, status: 429, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only INVALID_API_KEY",
        inputs: [],
        access: #"{"requestId":"ea4c03d4-f3b1-4146-8047-03e2dfbec544","status":"403","error_responseType":"INVALID_API_KEY","error_message":"Forbidden","responseLength":"23"}"#,
        requestId: "ea4c03d4-f3b1-4146-8047-03e2dfbec544", cause: .apiKeyInvalid, status: 403, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only Forbidden without WAF or key evidence: unexplained",
        inputs: [],
        access: #"{"requestId":"fb5d14e5-04c2-4257-9158-14f3e0cf0655","status":"403","errorMessage":"Forbidden","responseLength":"23","integrationLatency":"-"}"#,
        requestId: "fb5d14e5-04c2-4257-9158-14f3e0cf0655", cause: .unexplainedRejection, status: 403, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only INTEGRATION_FAILURE with Rate Exceeded (azul PR #6624)",
        inputs: [],
        access: #"{"requestId":"0c6e25f6-15d3-4368-a26a-2504f1d01766","status":"500","error_responseType":"INTEGRATION_FAILURE","error_message":"Internal server error","integrationErrorMessage":"Execution failed due to configuration error: Rate Exceeded."}"#,
        requestId: "0c6e25f6-15d3-4368-a26a-2504f1d01766", cause: .integrationThrottled, status: 500, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only timeout with the invalid JSON of $context.error.messageString (azul #6284)",
        inputs: [],
        access: #"{"accountId": "542754589326", "apiId": "ccp122p730", "authorizer_claims_property": "-", "authorizer_error": "-", "authorizer_principalId": "-", "authorizer_property": "-", "awsEndpointRequestId": "-", "awsEndpointRequestId2": "-", "customDomain_basePathMatched": "(none)", "dataProcessed": "-", "domainName": "service.azul.data.humancellatlas.org", "domainPrefix": "service", "error_message": "Endpoint request timed out", "error_messageString": " "Endpoint request timed out"", "error_responseType": "INTEGRATION_TIMEOUT", "extendedRequestId": "YIwYiFstIAMESqA=", "httpMethod": "POST", "requestId": "1d7f3607-26e4-4479-b37b-3615a2e12877", "status": "504", "stage": "prod", "path": "/index/files", "resourcePath": "/index/{entity_type}"}"#,
        requestId: "1d7f3607-26e4-4479-b37b-3615a2e12877", cause: .integrationTimeout, status: 504, principal: nil, apiId: "ccp122p730",
        stage: "prod", httpMethod: "POST", resource: "/index/{entity_type}", path: "/index/files", route: "POST /index/{entity_type}",
        cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only 403 from the backend (§5.3 note): not a gateway denial",
        inputs: [],
        access: #"{"apiId":"o5p491t2v9","errorMessage":"-","extendedRequestId":"f4GuA1b2vHcEMxz=","httpMethod":"GET","integrationLatency":"644","integrationStatus":"403","path":"/prod/PythonResource","requestId":"2e804718-37f5-458a-847c-4726b3f23988","resourcePath":"/PythonResource","stage":"prod","status":"403","wafResponseCode":"WAF_ALLOW","wafStatus":"200"}"#,
        requestId: "2e804718-37f5-458a-847c-4726b3f23988", cause: .backendError, status: 403, principal: nil, cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "access-only success",
        inputs: [],
        access: #"{"requestId":"3f915829-4806-469b-958d-5837c4034a99","status":"200","httpMethod":"GET","resourcePath":"/pets","path":"/prod/pets","stage":"prod","apiId":"k7x2mq9zt1","integrationStatus":"200","integrationLatency":"31"}"#,
        requestId: "3f915829-4806-469b-958d-5837c4034a99", cause: .ok, status: 200, route: "GET /pets", cites: ["access.jsonl:1"]),
    DiagnosisScenario(
        name: "the execution log names the anonymous caller (ExplicitDenyException text)",
        inputs: [.init(file: "paste.txt", text: """
            (412e45a2-9321-4077-8b0b-f044a4364918) Extended Request Id: TnVQ3Fg2oAMEfRw=
            (412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.
            (412e45a2-9321-4077-8b0b-f044a4364918) ExplicitDenyException User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/health with an explicit deny
            """)],
        requestId: "412e45a2-9321-4077-8b0b-f044a4364918", cause: .resourcePolicyExplicitDeny, status: 403, principal: "anonymous",
        apiId: "65jyknf3ud", stage: "abrahamsc", httpMethod: "GET", path: "/health", cites: ["paste.txt:3"]),
    DiagnosisScenario(
        name: "a WAF block outranks the execution log's envelope",
        inputs: [.init(file: "paste.txt", text: "(0afb41b6-60d7-4a56-bf47-acf1fbcabec4) Extended Request Id: f4GtaFqHvHcEMuw=")],
        access: DiagnosisAccessLines.wafBlockTail,
        requestId: "0afb41b6-60d7-4a56-bf47-acf1fbcabec4", cause: .wafBlocked, status: 403, cites: ["access.jsonl:1"]),
]

@Suite struct DiagnoserAccessLogTests {
    @Test(arguments: accessLogScenarios)
    func verdictWithAccessLogEvidence(_ scenario: DiagnosisScenario) throws {
        let (verdict, all) = try scenario.run()
        let name = scenario.name
        #expect(all.count == 1, "\(name): \(all.map(\.requestId))")
        try scenario.expectMatches(verdict)
    }

    @Test func evidenceIsRedactedByDefault() throws {
        // The authorizer request body carries the caller's token unmasked (log-formats.md §B5); a verdict citing the
        // authorizer call must not repeat it.
        let harness = DiagnosisHarness()
        try harness.feed("paste.txt", """
            (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Starting authorizer: 52u008 for request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
            (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlcGFydA","methodArn":"arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/prod/GET/"}
            (29d2b4df-26da-4cae-aeca-f9ef6c338d88) Unauthorized request: 29d2b4df-26da-4cae-aeca-f9ef6c338d88
            """)
        let verdict = try #require(try harness.finish().first)
        #expect(verdict.cause == .authorizerUnauthorized)
        #expect(verdict.evidence.map(\.source).contains("paste.txt:2"))
        #expect(!verdict.evidence.contains { $0.text.contains("eyJzdWIiOiJhbGljZSJ9") })
    }
}
