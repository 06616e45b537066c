import Testing
@testable import GateLogKit

/// Runs the recognizer on one message and returns the id text, the text after the prefix and the kind.
func recognized(_ message: String) -> (id: String?, text: String, kind: MessageKind) {
    let bytes = Array(message.utf8)
    return bytes.withUnsafeBytes { raw in
        let header = MessageRecognizer.recognize(raw)
        let id = header.idRange.map { String(decoding: raw[$0], as: UTF8.self) }
        let text = String(decoding: raw[header.textStart...], as: UTF8.self)
        return (id, text, header.kind)
    }
}

/// Real message texts from log-formats.md §2, §3.1 and §9, one or more per kind.
let catalogueExamples: [(String, MessageKind)] = [
    // A
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=", .extendedRequestId),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) X-ray Tracing ID : 1-5c7674f4-a3491d0a9c8012c191821b83", .xrayTracingId),
    ("(9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14", .xrayTracingId),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) AWS Integration Endpoint RequestId : 71952965-d5cc-4974-ae08-6e2138b2275c",
     .integrationEndpointRequestId),
    // B
    ("(9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398",
     .authorizerStart),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Incoming identity: ****…I1BUdE", .incomingIdentity),
    ("(29d2b4df-26da-4cae-aeca-f9ef6c338d88) Incoming identity: {method.request.header.Hash=********aaaaaa}", .incomingIdentity),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request URI: https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:919586034543:function:ExtensionGatewayAuthorizer/invocations",
     .endpointRequestURI),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request headers: {x-amzn-lambda-integration-tag=cf101403-4a17-11e7-935f-35dfc4618b7d, Authorization=****…9081d0, X-Amz-Date=20170605T175257Z, x-amzn-apigateway-api-id=oo8kadh853, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/elkw5b, Accept=application/json, User-Agent=AmazonAPIGateway_oo8kadh853, X-Amz-Security-Token=FQoDYXdzEBoa… [TRUNCATED]",
     .endpointRequestHeaders),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request body after transformations: {\"type\":\"TOKEN\",\"authorizationToken\":\"24u62kim5mn0slhwigdt7v4ybkwef5 eyJ…\",\"methodArn\":\"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info\"}",
     .endpointRequestBody),
    ("(8a699106-8d59-11e8-905d-b3747276ed60) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations",
     .sendingRequest),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Authorizer result body before parsing: {\"policyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Action\": \"execute-api:Invoke\", \"Resource\": [\"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/*/*\"], \"Effect\": \"Allow\"}]}, \"context\": {…}, \"principalId\": \"UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5\"}",
     .authorizerResultBody),
    ("(afab46d7-880e-4150-a266-b1fcc783be07) Authorizer result body before parsing: null", .authorizerResultBody),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Using valid authorizer policy for principal: **********************************************bkwef5",
     .authorizerPolicyPrincipal),
    ("(5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Using valid authorizer policy for principal: ", .authorizerPolicyPrincipal),
    ("(5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Using valid authorizer policy for principal: **er", .authorizerPolicyPrincipal),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Successfully completed authorizer execution", .authorizerCompleted),
    ("(9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398", .unauthorizedRequest),
    ("Unauthorized", .bareUnauthorized),
    ("(PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Invalid permissions on Lambda function", .configurationError),
    ("(PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Authorizer error", .configurationError),
    ("(afab46d7-880e-4150-a266-b1fcc783be07) Execution failed due to configuration error: Invalid JSON in response: Unrecognized field \"errorType\" , not marked as ignorable",
     .configurationError),
    ("(5cb7ee58-39e6-11e9-be7e-29aff96747f2) Execution failed due to configuration error: Malformed Lambda proxy response",
     .configurationError),
    ("(394365dc-1b10-411f-9668-70521cec1205) Execution failed due to configuration error: Rate Exceeded.", .configurationError),
    ("AuthorizerConfigurationException", .authorizerConfigurationException),
    ("(PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500", .gatewayResponseType),
    // C
    ("(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.", .clientNotAuthorized),
    ("User is not authorized to access this resource with an explicit deny", .accessDeniedMessage),
    ("User is not authorized to access this resource", .accessDeniedMessage),
    ("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/",
     .accessDeniedMessage),
    ("ExplicitDenyException User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/health with an explicit deny",
     .accessDeniedMessage),
    ("AccessDeniedException User is not authorized to access this resource with an explicit deny in an identity-based policy",
     .accessDeniedMessage),
    // D
    ("(706499f2-afe6-11e8-b7eb-8d53f824f304) Verifying Usage Plan for request: 706499f2-afe6-11e8-b7eb-8d53f824f304. API Key:  API Stage: abc123def45/dev",
     .usagePlanVerifying),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) API Key  authorized because method 'ANY /{resource+}' does not require API Key. Request will not contribute to throttle or quota limits",
     .apiKeyNotRequired),
    ("(515f1e99-39db-11e9-9e96-01e5c04505b9) API Key authorized because method 'POST /verifyReceipt' does not require API Key. Request will not contribute to throttle or quota limits",
     .apiKeyNotRequired),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Usage Plan check succeeded for API Key  and API Stage oo8kadh853/Test", .usagePlanSucceeded),
    ("Usage Plan check succeeded for API Key **********************************bMZHBg and API Stage ulhoxnm2x2/dev", .usagePlanSucceeded),
    ("(2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) API Key ... not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage",
     .apiKeyNotAuthorized),
    ("(2b1f4bd4-0c5e-4c8b-9d33-4f0f1f6b8a10) API Key  not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage",
     .apiKeyNotAuthorized),
    ("(f277a0b4-2bcd-41b3-8e43-4de770663ffb) API Key **********************************F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev, Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10",
     .apiKeyThrottled),
    ("(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1",
     .stageThrottled),
    ("API Key ***************apikey exceeded quota limit for API Stage xxxxx/prod: Key quota exhausted for Usage Plan ID xxxx. Limit: 200 Period: DAY",
     .apiKeyQuotaExceeded),
    ("API Key: **********************************bMZHBg", .apiKeyStandalone),
    ("Usage Plan check failed due to an internal error", .usagePlanInternalError),
    // E
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204", .executionStart),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) HTTP Method: GET, Resource Path: /echo", .httpMethodResourcePath),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Method request path: {resource=user_info}", .methodRequestPath),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request query string: {}", .methodRequestQueryString),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Method request headers: {Accept=*/*, … [TRUNCATED]", .methodRequestHeaders),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations: ", .methodRequestBody),
    ("(cf101403-4a17-11e7-935f-35dfc4618b7d) Method request body before transformations:", .methodRequestBody),
    ("Request validation succeeded for content type application/json", .requestValidationSucceeded),
    ("Request body does not match model schema for content type application/json: [object has missing required properties ([\"email\",\"password\",\"repeatPassword\"])]",
     .requestBodyInvalid),
    ("Missing required request parameters: [x-header-param]", .requestParametersInvalid),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Received response. Integration latency: 11029 ms", .receivedResponse),
    ("Received response. Status: 200, Integration latency: 20 ms", .receivedResponse),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response headers: {Date=Wed, 27 Feb 2019 11:31:11 GMT, Content-Type=application/json, Content-Length=115, Connection=keep-alive, x-amzn-RequestId=71952965-d5cc-4974-ae08-6e2138b2275c, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-5c7674f4-a3491d0a9c8012c191821b83;sampled=1}",
     .endpointResponseHeaders),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response body before transformations: {\"errorMessage\":\"2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds\"}",
     .endpointResponseBody),
    ("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method response body after transformations: {\"latest_receipt_info\":[…OneWe [TRUNCATED]",
     .methodResponseBody),
    ("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method response headers: {X-Amzn-Trace-Id=Root=1-5c755b5d-07b29b94e632d3da19d88789;Parent=61e6466ca210cdf8;Sampled=1}",
     .methodResponseHeaders),
    ("(515f1e99-39db-11e9-9e96-01e5c04505b9) Successfully completed execution", .executionSucceeded),
    ("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200", .methodCompleted),
    // F
    ("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error", .timeoutError),
    ("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c",
     .lambdaFunctionError),
    ("(394365dc-1b10-411f-9668-70521cec1205) Lambda invocation failed with status: 429. Lambda request id: dcb2ab89-2d03-4b77-98cd-18d14fd2b850",
     .lambdaInvocationFailed),
]

@Suite struct RecognizerTests {
    @Test(arguments: catalogueExamples)
    func recognizesCatalogueText(_ message: String, _ kind: MessageKind) {
        #expect(recognized(message).kind == kind)
    }

    @Test func everyKindHasARealExample() {
        let covered = Set(catalogueExamples.map(\.1))
        let missing = MessageKind.allCases.filter { $0 != .unrecognized && !covered.contains($0) }
        #expect(missing.isEmpty, "kinds without a catalogue example: \(missing)")
    }

    @Test func splitsUUIDPrefixFromText() {
        let got = recognized("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200")
        #expect(got.id == "515f1e99-39db-11e9-9e96-01e5c04505b9")
        #expect(got.text == "Method completed with status: 200")
    }

    @Test func acceptsUppercaseUUIDs() {
        let got = recognized("(9CEF3834-F42C-46D7-83FE-A6401A431398) Unauthorized request: 9CEF3834-F42C-46D7-83FE-A6401A431398")
        #expect(got.id == "9CEF3834-F42C-46D7-83FE-A6401A431398")
        #expect(got.kind == .unauthorizedRequest)
    }

    @Test func toleratesMissingSpaceAfterUUID() {
        let got = recognized("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8)Execution failed due to a timeout error")
        #expect(got.id == "fbcaf9e5-d535-40a1-891c-7b70118cf7e8")
        #expect(got.kind == .timeoutError)
    }

    @Test func uuidWithoutSpaceMustBeAllHex() {
        for bad in ["g", "G", ":", "/", "@", "`", "\u{7F}"] {
            let message = "(fbcaf9e5-d535-40a1-891c-7b70118cf7e\(bad))Execution failed due to a timeout error"
            #expect(recognized(message).id == nil, "\(message)")
        }
        for good in ["0", "9", "a", "f", "A", "F"] {
            let message = "(\(good)bcaf9e5-d535-40a1-891c-7b70118cf7e8)Execution failed due to a timeout error"
            #expect(recognized(message).id != nil, "\(message)")
        }
    }

    @Test func messageThatIsOnlyThePrefix() {
        let got = recognized("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8)")
        #expect(got.id == "fbcaf9e5-d535-40a1-891c-7b70118cf7e8")
        #expect(got.text == "")
        #expect(got.kind == .unrecognized)
        #expect(recognized("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) ").id == "fbcaf9e5-d535-40a1-891c-7b70118cf7e8")
    }

    @Test func webSocketExtendedIdPrefix() {
        let got = recognized("(PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500")
        #expect(got.id == "PDS1PEC4oAMFpyA=")
        #expect(got.text == "Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500")
        #expect(got.kind == .gatewayResponseType)
    }

    @Test func consoleTestIdsArePrefixes() {
        let invoke = recognized("(test-invoke-request) Starting execution for request: test-invoke-request")
        #expect(invoke.id == "test-invoke-request")
        #expect(invoke.kind == .executionStart)
        #expect(recognized("(test-request) Method completed with status: 200").id == "test-request")
    }

    @Test func shortOrMalformedParenthesesAreNotPrefixes() {
        let short = recognized("(abc) Method completed with status: 200")
        #expect(short.id == nil)
        #expect(short.kind == .unrecognized)
        // A non-UUID id must be followed by a space.
        #expect(recognized("(PDS1PEC4oAMFpyA=)Gateway response type: X with status code: 500").id == nil)
        // Characters outside the id alphabet.
        #expect(recognized("(PDS1PEC4 oAMFpyA=) Method completed with status: 200").id == nil)
        // Over 64 characters.
        let long = String(repeating: "a", count: 65)
        #expect(recognized("(\(long)) Method completed with status: 200").id == nil)
        #expect(recognized("(\(String(repeating: "a", count: 64))) Method completed with status: 200").kind == .methodCompleted)
    }

    @Test func toleratesIndentation() {
        let got = recognized(" \t  (cf101403-4a17-11e7-935f-35dfc4618b7d) Successfully completed authorizer execution")
        #expect(got.id == "cf101403-4a17-11e7-935f-35dfc4618b7d")
        #expect(got.kind == .authorizerCompleted)
        let bare = recognized("             Unauthorized")
        #expect(bare.id == nil)
        #expect(bare.text == "Unauthorized")
        #expect(bare.kind == .bareUnauthorized)
    }

    @Test func legacyLinesWithoutPrefix() {
        let got = recognized("Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev")
        #expect(got.id == nil)
        #expect(got.kind == .usagePlanVerifying)
        #expect(recognized("Starting execution for request: test-invoke-request").kind == .executionStart)
        #expect(recognized("HTTP Method: POST, Resource Path: /Seattle").kind == .httpMethodResourcePath)
    }

    @Test func truncatedMarkerOnWholeTextMessages() {
        #expect(recognized("(29d2b4df-26da-4cae-aeca-f9ef6c338d88) Unauthorized [TRUNCATED]").kind == .bareUnauthorized)
        #expect(recognized("AuthorizerConfigurationException [TRUNCATED]").kind == .authorizerConfigurationException)
        #expect(recognized("(afab46d7-880e-4150-a266-b1fcc783be07) Authorizer result body before parsing: {\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"Error: Cannot find module '../../scaffold/okta'\\nRequire stack:…\",\"trace\":[…] [TRUNCATED]").kind
                == .authorizerResultBody)
    }

    @Test func nearMissesAreNotMistakenForOtherKinds() {
        let cases: [(String, MessageKind)] = [
            ("Unauthorized requests were rejected", .unrecognized),
            ("UnauthorizedException", .unrecognized),
            ("AuthorizerConfigurationException: null", .unrecognized),
            ("Execution failed due to an unknown error", .unrecognized),
            ("Starting execution", .unrecognized),
            ("Method completed", .unrecognized),
            ("API Key authorized", .unrecognized),
            ("API Keys are optional", .unrecognized),
            ("API Key ***abc123 was rotated", .unrecognized),
            ("User: anonymous is not authorized to perform: s3:GetObject", .unrecognized),
            ("User is not authorized", .unrecognized),
            ("Endpoint request timed out", .unrecognized),
            ("Execution log for request test-request", .unrecognized),
            ("Successfully completed authorizer execution", .authorizerCompleted),
            ("Successfully completed execution", .executionSucceeded),
            ("Unauthorized request: test-request", .unauthorizedRequest),
            ("ThrottlingException User: anonymous is not authorized to perform: execute-api:Invoke", .accessDeniedMessage),
            ("DenyExceptionUser is not authorized to access this resource", .unrecognized),
            ("Exception User is not authorized to access this resource", .unrecognized),
            ("method completed with status: 200", .unrecognized),
        ]
        for (text, kind) in cases {
            #expect(recognized(text).kind == kind, "\(text)")
        }
    }

    @Test func unknownTextAfterPrefixKeepsTheId() {
        let got = recognized("(412e45a2-9321-4077-8b0b-f044a4364918) Something AWS has never written")
        #expect(got.id == "412e45a2-9321-4077-8b0b-f044a4364918")
        #expect(got.kind == .unrecognized)
    }

    @Test func emptyAndBinaryInputDoNotCrash() {
        #expect(recognized("").kind == .unrecognized)
        #expect(recognized("   ").kind == .unrecognized)
        #expect(recognized("(").kind == .unrecognized)
        #expect(recognized("()").kind == .unrecognized)
        let binary: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0x28, 0x29, 0x00, 0x41, 0x50, 0x49, 0xC3, 0x28, 0x80]
        binary.withUnsafeBytes { raw in
            let header = MessageRecognizer.recognize(raw)
            #expect(header.kind == .unrecognized)
            #expect(header.idRange == nil)
        }
    }

    /// Every prefix of every example and pseudo-random bytes: ranges stay inside the message, nothing traps.
    @Test func cutMessagesAndRandomBytesStayInBounds() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        var messages: [[UInt8]] = catalogueExamples.map { Array($0.0.utf8) }
        let alphabet = Array("(-)aA0 :*.".utf8)
        for length in 0..<200 {
            messages.append((0..<length).map { _ in next() })
            messages.append((0..<length).map { _ in alphabet[Int(next()) % alphabet.count] })
        }
        for message in messages {
            for cut in 0...message.count {
                message[..<cut].withUnsafeBytes { raw in
                    let header = MessageRecognizer.recognize(raw)
                    #expect(header.textStart >= 0 && header.textStart <= cut)
                    if let id = header.idRange {
                        #expect(id.lowerBound >= 1 && id.upperBound < cut)
                    }
                    let text = UnsafeRawBufferPointer(rebasing: raw[header.textStart...])
                    _ = MessageRecognizer.embeddedRequestId(kind: header.kind, text: text)
                }
            }
        }
    }
}

@Suite struct RecognizerEmbeddedIdTests {
    private func embedded(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            let header = MessageRecognizer.recognize(raw)
            let body = UnsafeRawBufferPointer(rebasing: raw[header.textStart...])
            guard let range = MessageRecognizer.embeddedRequestId(kind: header.kind, text: body) else { return nil }
            return String(decoding: body[range], as: UTF8.self)
        }
    }

    @Test func executionStart() {
        #expect(embedded("Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204") == "286364ab-3a83-11e9-8dc8-db3cf4c83204")
        #expect(embedded("Starting execution for request: test-invoke-request") == "test-invoke-request")
    }

    @Test func usagePlanIdEndsAtThePeriod() {
        #expect(embedded("Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev")
                == "9537d573-87c5-11e6-b3e4-6f23bc206746")
    }

    @Test func authorizerStart() {
        #expect(embedded("Starting authorizer: 62mgrc for request: 3323ffe5-4e6f-11e9-a3c5-0b1f0b5c2c3d") == "3323ffe5-4e6f-11e9-a3c5-0b1f0b5c2c3d")
    }

    @Test func unauthorizedRequest() {
        #expect(embedded("Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398") == "9cef3834-f42c-46d7-83fe-a6401a431398")
    }

    @Test func rangeIsRelativeToTheTextAfterAPrefix() {
        #expect(embedded("(9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398 [TRUNCATED]")
                == "9cef3834-f42c-46d7-83fe-a6401a431398")
    }

    @Test func otherKindsAndEmptyIdsGiveNil() {
        #expect(embedded("Method completed with status: 200") == nil)
        #expect(embedded("Unauthorized request: ") == nil)
        #expect(embedded("Starting authorizer: 62mgrc") == nil)
    }
}
