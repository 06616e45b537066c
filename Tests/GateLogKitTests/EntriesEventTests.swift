import Testing
@testable import GateLogKit

/// Recognizes one message and parses the values of its text.
private func event(_ message: String) -> Event {
    let got = recognized(message)
    return Event.parse(kind: got.kind, text: got.text)
}

@Suite struct EntriesEventTests {
    // MARK: A

    @Test func envelopeIds() {
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=") == .extendedRequestId("Vwc2MGFUrPEFV_g="))
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) X-ray Tracing ID : 1-5c7674f4-a3491d0a9c8012c191821b83")
                == .xrayTracingId("1-5c7674f4-a3491d0a9c8012c191821b83"))
        #expect(event("(9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14")
                == .xrayTracingId("Root=1-6962324d-273b8749616a929c8bd4fd14"))
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) AWS Integration Endpoint RequestId : 71952965-d5cc-4974-ae08-6e2138b2275c")
                == .integrationEndpointRequestId("71952965-d5cc-4974-ae08-6e2138b2275c"))
        // Insights-style cut value.
        #expect(event("(412e45a2-9321-4077-8b0b-f044a4364918) Extended Request Id: ") == .extendedRequestId(nil))
    }

    // MARK: B

    @Test func authorizerStart() {
        #expect(event("(9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398")
                == .authorizerStart(authorizerId: "4hugyv", requestId: "9cef3834-f42c-46d7-83fe-a6401a431398"))
    }

    @Test func incomingIdentityTokenAndMap() {
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Incoming identity: ****…I1BUdE")
                == .incomingIdentity(MaskedText(raw: "****…I1BUdE", normalized: "****I1BUdE")))
        #expect(event("(29d2b4df-26da-4cae-aeca-f9ef6c338d88) Incoming identity: {method.request.header.Hash=********aaaaaa}")
                == .incomingIdentity(MaskedText(raw: "{method.request.header.Hash=********aaaaaa}",
                                                normalized: "{method.request.header.Hash=****aaaaaa}")))
    }

    @Test func endpointURIAndFunctionArn() {
        let uri = "https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:919586034543:function:ExtensionGatewayAuthorizer/invocations"
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request URI: \(uri)")
                == .endpointRequestURI(EndpointURI(uri: uri, lambdaFunctionArn: "arn:aws:lambda:us-west-2:919586034543:function:ExtensionGatewayAuthorizer")))
        let sending = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:770646514888:function:Authorize-Registrations-Lambda/invocations"
        #expect(event("Sending request to \(sending)")
                == .sendingRequest(EndpointURI(uri: sending, lambdaFunctionArn: "arn:aws:lambda:us-east-1:770646514888:function:Authorize-Registrations-Lambda")))
        // Not a Lambda integration.
        #expect(event("Sending request to https://example.com/orders")
                == .sendingRequest(EndpointURI(uri: "https://example.com/orders", lambdaFunctionArn: nil)))
    }

    @Test func authorizerRequestHeaders() throws {
        let line = "(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request headers: {x-amzn-lambda-integration-tag=cf101403-4a17-11e7-935f-35dfc4618b7d, Authorization=****…9081d0, X-Amz-Date=20170605T175257Z, x-amzn-apigateway-api-id=oo8kadh853, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/elkw5b, Accept=application/json, User-Agent=AmazonAPIGateway_oo8kadh853, X-Amz-Security-Token=FQoDYXdzEBoa… [TRUNCATED]"
        guard case .endpointRequestHeaders(let headers) = event(line) else { Issue.record("wrong case"); return }
        #expect(headers.apiId == "oo8kadh853")
        #expect(headers.sourceArn == "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/authorizers/elkw5b")
        #expect(headers.authorizerId == "elkw5b")
        #expect(headers.isAuthorizerRequest)
        #expect(headers.integrationTag == "cf101403-4a17-11e7-935f-35dfc4618b7d")
        #expect(headers.raw.isTruncated)
        #expect(headers.raw.text.hasSuffix("X-Amz-Security-Token=FQoDYXdzEBoa…"))
    }

    @Test func integrationRequestHeadersKeepTemplateArn() {
        let line = "(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request headers: {x-amzn-lambda-integration-tag=cf101403-4a17-11e7-935f-35dfc4618b7d, Authorization=****…9081d0, x-amzn-apigateway-api-id=oo8kadh853, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/ANY/{resource+}, Accept=application/json}"
        guard case .endpointRequestHeaders(let headers) = event(line) else { Issue.record("wrong case"); return }
        #expect(headers.sourceArn == "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/ANY/{resource+}")
        #expect(headers.authorizerId == nil)
        #expect(!headers.isAuthorizerRequest)
        #expect(!headers.raw.isTruncated)
    }

    @Test func tokenAuthorizerRequestBody() {
        let line = "(cf101403-4a17-11e7-935f-35dfc4618b7d) Endpoint request body after transformations: {\"type\":\"TOKEN\",\"authorizationToken\":\"24u62kim5mn0slhwigdt7v4ybkwef5 eyJ…\",\"methodArn\":\"arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info\"}"
        guard case .endpointRequestBody(let body) = event(line) else { Issue.record("wrong case"); return }
        #expect(body.methodArn == "arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/GET/user_info")
        #expect(body.authorizerType == "TOKEN")
        #expect(body.hasAuthorizationToken)
        #expect(!body.raw.isTruncated)
    }

    @Test func truncatedRequestAuthorizerBodyStillGivesMethodArn() {
        let line = "(29d2b4df-26da-4cae-aeca-f9ef6c338d88) Endpoint request body after transformations: {\"type\":\"REQUEST\",\"methodArn\":\"arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/ESTestInvoke-stage/GET/\",\"resource\":\"/\",\"path\":\"/\",\"httpMethod\":\"GET\",\"headers\":{\"Authorizer\":\"bbbbbbbbbbbb\",\"Hash\":\"aaaaaaaaaaaaaa\"},… [TRUNCATED]"
        guard case .endpointRequestBody(let body) = event(line) else { Issue.record("wrong case"); return }
        #expect(body.methodArn == "arn:aws:execute-api:ap-southeast-2:654888109795:ja8pdvfjf6/ESTestInvoke-stage/GET/")
        #expect(body.authorizerType == "REQUEST")
        #expect(!body.hasAuthorizationToken)
        #expect(body.raw.isTruncated)
    }

    @Test func methodArnCutByTruncationIsNil() {
        let line = "Endpoint request body after transformations: {\"type\":\"TOKEN\",\"methodArn\":\"arn:aws:execute-api:us-east-1:98997 [TRUNCATED]"
        guard case .endpointRequestBody(let body) = event(line) else { Issue.record("wrong case"); return }
        #expect(body.methodArn == nil)
        #expect(body.authorizerType == "TOKEN")
    }

    @Test func proxyIntegrationBodyHasNoAuthorizerFields() {
        let line = "(515f1e99-39db-11e9-9e96-01e5c04505b9) Endpoint request body after transformations: {\"resource\":\"/verifyReceipt\",\"path\":\"/verifyReceipt\",\"httpMethod\":\"POST\",\"headers\":{…},\"multiValueHeaders\":{…Paren [TRUNCATED]"
        #expect(event(line) == .endpointRequestBody(EndpointRequestBody(
            raw: LoggedText(text: "{\"resource\":\"/verifyReceipt\",\"path\":\"/verifyReceipt\",\"httpMethod\":\"POST\",\"headers\":{…},\"multiValueHeaders\":{…Paren",
                            isTruncated: true),
            methodArn: nil, authorizerType: nil, hasAuthorizationToken: false)))
    }

    @Test func authorizerResultBody() {
        #expect(event("(afab46d7-880e-4150-a266-b1fcc783be07) Authorizer result body before parsing: null")
                == .authorizerResultBody(LoggedText(text: "null", isTruncated: false)))
        #expect(event("(afab46d7-880e-4150-a266-b1fcc783be07) Authorizer result body before parsing: {\"errorType\":\"Runtime.ImportModuleError\",\"trace\":[…] [TRUNCATED]")
                == .authorizerResultBody(LoggedText(text: "{\"errorType\":\"Runtime.ImportModuleError\",\"trace\":[…]", isTruncated: true)))
    }

    @Test func policyPrincipal() {
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Using valid authorizer policy for principal: **********************************************bkwef5")
                == .authorizerPolicyPrincipal("****bkwef5"))
        #expect(event("(5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Using valid authorizer policy for principal: **er") == .authorizerPolicyPrincipal("****er"))
        #expect(event("(5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11) Using valid authorizer policy for principal: ") == .authorizerPolicyPrincipal(nil))
    }

    @Test func unauthorizedAndBareLines() {
        #expect(event("(9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398")
                == .unauthorizedRequest(requestId: "9cef3834-f42c-46d7-83fe-a6401a431398"))
        #expect(event("Unauthorized") == .bareUnauthorized)
        #expect(event("AuthorizerConfigurationException") == .authorizerConfigurationException)
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Successfully completed authorizer execution") == .authorizerCompleted)
    }

    @Test func configurationErrorReasons() {
        #expect(event("(PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Invalid permissions on Lambda function")
                == .configurationError(reason: "Invalid permissions on Lambda function"))
        #expect(event("(394365dc-1b10-411f-9668-70521cec1205) Execution failed due to configuration error: Rate Exceeded.")
                == .configurationError(reason: "Rate Exceeded."))
        #expect(event("Execution failed due to configuration error: Invalid JSON in response: Unrecognized field \"errorType\" , not marked as ignorable")
                == .configurationError(reason: "Invalid JSON in response: Unrecognized field \"errorType\" , not marked as ignorable"))
        #expect(event("Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 400")
                == .configurationError(reason: "No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 400"))
    }

    @Test func gatewayResponseType() {
        #expect(event("(PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500")
                == .gatewayResponseType(type: "AUTHORIZER_CONFIGURATION_ERROR", status: 500))
    }

    // MARK: C

    @Test func clientNotAuthorized() {
        #expect(event("(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.") == .clientNotAuthorized)
    }

    @Test func accessDeniedAnonymousImplicit() {
        #expect(event("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/")
                == .accessDeniedMessage(AccessDeniedMessage(
                    exceptionName: nil, principalKind: .anonymous, callerArn: nil,
                    resourceArn: "arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/",
                    isExplicitDeny: false, policySide: .unspecified,
                    message: "User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/")))
    }

    @Test func accessDeniedWithExceptionNameAndExplicitDeny() {
        guard case .accessDeniedMessage(let denied) = event("ExplicitDenyException User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/health with an explicit deny")
        else { Issue.record("wrong case"); return }
        #expect(denied.exceptionName == "ExplicitDenyException")
        #expect(denied.principalKind == .anonymous)
        #expect(denied.resourceArn == "arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/health")
        #expect(denied.isExplicitDeny)
        #expect(denied.policySide == .unspecified)
        #expect(denied.message.hasPrefix("User: anonymous"))
    }

    @Test func accessDeniedIAMCallers() {
        guard case .accessDeniedMessage(let iam) = event("User: arn:aws:iam::*****:user/api-test-user is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:********1633:ehuzqavkg6/dev/GET/items")
        else { Issue.record("wrong case"); return }
        #expect(iam.principalKind == .arn)
        #expect(iam.callerArn == "arn:aws:iam::*****:user/api-test-user")
        #expect(iam.resourceArn == "arn:aws:execute-api:eu-west-1:********1633:ehuzqavkg6/dev/GET/items")

        guard case .accessDeniedMessage(let sts) = event("User: arn:aws:sts::********5355:assumed-role/****VY71/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********1790:****bkva/v1/GET/test")
        else { Issue.record("wrong case"); return }
        #expect(sts.callerArn == "arn:aws:sts::********5355:assumed-role/****VY71/CognitoIdentityCredentials")
        #expect(sts.resourceArn == "arn:aws:execute-api:us-west-2:********1790:****bkva/v1/GET/test")

        guard case .accessDeniedMessage(let newest) = event("User: arn:aws:iam::xxxxxxxxxxxx:user/username is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:xxxxxxxxxxxx:a1b2c3d4e5/stage/GET/path because no identity-based policy allows the execute-api:Invoke action.")
        else { Issue.record("wrong case"); return }
        #expect(newest.policySide == .identityBased)
        #expect(!newest.isExplicitDeny)
        #expect(newest.resourceArn == "arn:aws:execute-api:us-east-1:xxxxxxxxxxxx:a1b2c3d4e5/stage/GET/path")
    }

    @Test func accessDeniedAuthorizerWordings() {
        guard case .accessDeniedMessage(let plain) = event("User is not authorized to access this resource") else { Issue.record("wrong case"); return }
        #expect(plain.principalKind == .unnamed)
        #expect(!plain.isExplicitDeny)
        #expect(plain.resourceArn == nil)

        guard case .accessDeniedMessage(let identity) = event("AccessDeniedException User is not authorized to access this resource with an explicit deny in an identity-based policy")
        else { Issue.record("wrong case"); return }
        #expect(identity.exceptionName == "AccessDeniedException")
        #expect(identity.isExplicitDeny)
        #expect(identity.policySide == .identityBased)

        guard case .accessDeniedMessage(let resource) = event("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/ with an explicit deny in a resource-based policy")
        else { Issue.record("wrong case"); return }
        #expect(resource.policySide == .resourceBased)
        #expect(resource.isExplicitDeny)
    }

    // MARK: D

    @Test func usagePlanVerifyingWithAndWithoutKey() {
        #expect(event("(706499f2-afe6-11e8-b7eb-8d53f824f304) Verifying Usage Plan for request: 706499f2-afe6-11e8-b7eb-8d53f824f304. API Key:  API Stage: abc123def45/dev")
                == .usagePlanVerifying(UsagePlanVerification(requestId: "706499f2-afe6-11e8-b7eb-8d53f824f304", apiKey: nil,
                                                             apiId: "abc123def45", stage: "dev")))
        #expect(event("(515f1e99-39db-11e9-9e96-01e5c04505b9) Verifying Usage Plan for request: 515f1e99-39db-11e9-9e96-01e5c04505b9. API Key: API Stage: h733q2j6gb/Prod")
                == .usagePlanVerifying(UsagePlanVerification(requestId: "515f1e99-39db-11e9-9e96-01e5c04505b9", apiKey: nil,
                                                             apiId: "h733q2j6gb", stage: "Prod")))
        #expect(event("Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev")
                == .usagePlanVerifying(UsagePlanVerification(requestId: "9537d573-87c5-11e6-b3e4-6f23bc206746", apiKey: "****bMZHBg",
                                                             apiId: "ulhoxnm2x2", stage: "dev")))
    }

    @Test func apiKeyNotRequired() {
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) API Key  authorized because method 'ANY /{resource+}' does not require API Key. Request will not contribute to throttle or quota limits")
                == .apiKeyNotRequired(APIKeyMethodCheck(apiKey: nil, httpMethod: "ANY", resource: "/{resource+}", apiId: nil, stage: nil, reason: nil)))
        #expect(event("(515f1e99-39db-11e9-9e96-01e5c04505b9) API Key authorized because method 'POST /verifyReceipt' does not require API Key. Request will not contribute to throttle or quota limits")
                == .apiKeyNotRequired(APIKeyMethodCheck(apiKey: nil, httpMethod: "POST", resource: "/verifyReceipt", apiId: nil, stage: nil, reason: nil)))
    }

    @Test func apiKeyNotRequiredWithAMaskedKey() {
        // D2 with the masked key of the same 2016 request's D1/D3 lines.
        #expect(event("API Key **********************************bMZHBg authorized because method 'GET /all_state' does not require API Key. Request will not contribute to throttle or quota limits")
                == .apiKeyNotRequired(APIKeyMethodCheck(apiKey: "****bMZHBg", httpMethod: "GET", resource: "/all_state", apiId: nil, stage: nil, reason: nil)))
    }

    @Test func usagePlanSucceeded() {
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Usage Plan check succeeded for API Key  and API Stage oo8kadh853/Test")
                == .usagePlanSucceeded(apiKey: nil, apiId: "oo8kadh853", stage: "Test"))
        #expect(event("Usage Plan check succeeded for API Key **********************************bMZHBg and API Stage ulhoxnm2x2/dev")
                == .usagePlanSucceeded(apiKey: "****bMZHBg", apiId: "ulhoxnm2x2", stage: "dev"))
    }

    @Test func apiKeyNotAuthorized() {
        #expect(event("API Key ... not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage")
                == .apiKeyNotAuthorized(APIKeyMethodCheck(apiKey: "...", httpMethod: "GET", resource: "/", apiId: "zsuvlqr7nb", stage: "prod",
                                                          reason: "No Usage Plan found for key and API Stage")))
        guard case .apiKeyNotAuthorized(let empty) = event("API Key  not authorized because method 'GET /pets/{id}' requires API Key and API Key is not associated with a Usage Plan for API Stage zsuvlqr7nb/prod: No Usage Plan found for key and API Stage")
        else { Issue.record("wrong case"); return }
        #expect(empty.apiKey == nil)
        #expect(empty.resource == "/pets/{id}")
    }

    @Test func apiKeyThrottled() {
        #expect(event("(f277a0b4-2bcd-41b3-8e43-4de770663ffb) API Key **********************************F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev, Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10")
                == .apiKeyThrottled(ThrottleLimit(apiKey: "****F0yrv6", apiId: "rohkz08x02", stage: "dev", usagePlanId: "nnpegc",
                                                  resourceId: "f646q2", httpMethod: "GET", rateLimit: 5.0, burst: 10)))
    }

    @Test func stageThrottled() {
        #expect(event("(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1")
                == .stageThrottled(ThrottleLimit(apiKey: nil, apiId: "uwe3g5jm54", stage: "Prod", usagePlanId: nil,
                                                 resourceId: "k0w8mc", httpMethod: "POST", rateLimit: 1.0, burst: 1)))
    }

    @Test func quotaExceededBothWordings() {
        #expect(event("API Key ***************apikey exceeded quota limit for API Stage xxxxx/prod: Key quota exhausted for Usage Plan ID xxxx. Limit: 200 Period: DAY")
                == .apiKeyQuotaExceeded(QuotaLimit(apiKey: "****apikey", apiId: "xxxxx", stage: "prod", usagePlanId: "xxxx", limit: 200, period: "DAY")))
        #expect(event("API Key **********************************F0yrv6 exceeded quota limit for API Stage rohkz08x02/dev: Key quota exhausted for Usage Plan ID nnpegc. Quota Limit: 500 Period: DAY")
                == .apiKeyQuotaExceeded(QuotaLimit(apiKey: "****F0yrv6", apiId: "rohkz08x02", stage: "dev", usagePlanId: "nnpegc", limit: 500, period: "DAY")))
    }

    @Test func standaloneKeyAndInternalError() {
        #expect(event("API Key: **********************************bMZHBg") == .apiKeyStandalone(apiKey: "****bMZHBg"))
        #expect(event("Usage Plan check failed due to an internal error") == .usagePlanInternalError)
    }

    // MARK: E

    @Test func executionStartAndMethodPath() {
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204")
                == .executionStart(requestId: "286364ab-3a83-11e9-8dc8-db3cf4c83204"))
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) HTTP Method: GET, Resource Path: /echo")
                == .httpMethodResourcePath(httpMethod: "GET", path: "/echo"))
        #expect(event("HTTP Method: POST, Resource Path: /api/jazztest/abc") == .httpMethodResourcePath(httpMethod: "POST", path: "/api/jazztest/abc"))
    }

    @Test func methodRequestDumps() {
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Method request path: {resource=user_info}")
                == .methodRequestPath(LoggedText(text: "{resource=user_info}", isTruncated: false)))
        #expect(event("Method request query string: {q=koa-oop}") == .methodRequestQueryString(LoggedText(text: "{q=koa-oop}", isTruncated: false)))
        #expect(event("(cf101403-4a17-11e7-935f-35dfc4618b7d) Method request headers: {Accept=*/*, … [TRUNCATED]")
                == .methodRequestHeaders(LoggedText(text: "{Accept=*/*, …", isTruncated: true)))
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations: ")
                == .methodRequestBody(LoggedText(text: "", isTruncated: false)))
    }

    @Test func validationLines() {
        #expect(event("Request validation succeeded for content type application/json") == .requestValidationSucceeded(contentType: "application/json"))
        #expect(event("Request body does not match model schema for content type application/json: [object has missing required properties ([\"email\",\"password\",\"repeatPassword\"])]")
                == .requestBodyInvalid(contentType: "application/json",
                                       message: "[object has missing required properties ([\"email\",\"password\",\"repeatPassword\"])]"))
        #expect(event("Request body does not match model schema for content type application/json: [Unknown error parsing request body]")
                == .requestBodyInvalid(contentType: "application/json", message: "[Unknown error parsing request body]"))
        #expect(event("Missing required request parameters: [x-header-param]") == .requestParametersInvalid(message: "[x-header-param]"))
    }

    @Test func receivedResponseBothForms() {
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Received response. Integration latency: 11029 ms") == .receivedResponse(status: nil, latencyMs: 11029))
        #expect(event("Received response. Status: 200, Integration latency: 86 ms") == .receivedResponse(status: 200, latencyMs: 86))
    }

    @Test func endpointResponseHeadersOfAFailedFunction() {
        let line = "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response headers: {Date=Wed, 27 Feb 2019 11:31:11 GMT, Content-Type=application/json, Content-Length=115, Connection=keep-alive, x-amzn-RequestId=71952965-d5cc-4974-ae08-6e2138b2275c, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-5c7674f4-a3491d0a9c8012c191821b83;sampled=1}"
        guard case .endpointResponseHeaders(let headers) = event(line) else { Issue.record("wrong case"); return }
        #expect(headers.functionError == "Unhandled")
        #expect(headers.requestId == "71952965-d5cc-4974-ae08-6e2138b2275c")
        #expect(headers.errorType == nil)
        #expect(!headers.raw.isTruncated)
    }

    @Test func endpointResponseHeadersOfAThrottledLambda() {
        let line = "Endpoint response headers: {Date=Mon, 23 Jul 2018 09:12:01 GMT, Content-Length=158, Connection=keep-alive, x-amzn-RequestId=1b6a7c3e-8d59-11e8-9b8f-3b5d5f1c2a10, x-amzn-ErrorType=TooManyRequestsException}"
        guard case .endpointResponseHeaders(let headers) = event(line) else { Issue.record("wrong case"); return }
        #expect(headers.errorType == "TooManyRequestsException")
        #expect(headers.functionError == nil)
    }

    @Test func responseDumpsAndCompletion() {
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response body before transformations: {\"errorMessage\":\"Task timed out after 10.00 seconds\"}")
                == .endpointResponseBody(LoggedText(text: "{\"errorMessage\":\"Task timed out after 10.00 seconds\"}", isTruncated: false)))
        #expect(event("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method response body after transformations: {\"latest_receipt_info\":[…OneWe [TRUNCATED]")
                == .methodResponseBody(LoggedText(text: "{\"latest_receipt_info\":[…OneWe", isTruncated: true)))
        #expect(event("Method response headers: {X-Amzn-Trace-Id=Root=1-5c755b5d-07b29b94e632d3da19d88789;Parent=61e6466ca210cdf8;Sampled=1}")
                == .methodResponseHeaders(LoggedText(text: "{X-Amzn-Trace-Id=Root=1-5c755b5d-07b29b94e632d3da19d88789;Parent=61e6466ca210cdf8;Sampled=1}", isTruncated: false)))
        #expect(event("Successfully completed execution") == .executionSucceeded)
        #expect(event("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504") == .methodCompleted(status: 504))
    }

    // MARK: F

    @Test func integrationFailures() {
        #expect(event("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error") == .timeoutError)
        #expect(event("(286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c")
                == .lambdaFunctionError(status: 200,
                                        errorMessage: "2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds",
                                        lambdaRequestId: "71952965-d5cc-4974-ae08-6e2138b2275c"))
        #expect(event("(5293df93-f895-46ee-8c21-1471f0d0cef0) Lambda execution failed with status 200 due to customer function error: Application error in a Lambda function. Lambda request id: 758a8c2f-35eb-4713-b55e-56879fbc968b")
                == .lambdaFunctionError(status: 200, errorMessage: "Application error in a Lambda function",
                                        lambdaRequestId: "758a8c2f-35eb-4713-b55e-56879fbc968b"))
        #expect(event("(394365dc-1b10-411f-9668-70521cec1205) Lambda invocation failed with status: 429. Lambda request id: dcb2ab89-2d03-4b77-98cd-18d14fd2b850")
                == .lambdaInvocationFailed(status: 429, lambdaRequestId: "dcb2ab89-2d03-4b77-98cd-18d14fd2b850"))
    }

    @Test func truncatedFunctionErrorKeepsWhatIsThere() {
        #expect(event("Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'x') at handler [TRUNCATED]")
                == .lambdaFunctionError(status: 200, errorMessage: "Cannot read properties of undefined (reading 'x') at handler", lambdaRequestId: nil))
    }

    @Test func unrecognizedStaysUnrecognized() {
        #expect(event("(412e45a2-9321-4077-8b0b-f044a4364918) Something AWS has never written") == .unrecognized)
    }
}

@Suite struct EntriesMaskingTests {
    @Test func shortensStarRuns() {
        #expect(Masking.normalize("**********************************************bkwef5") == "****bkwef5")
        #expect(Masking.normalize("**er") == "****er")
        #expect(Masking.normalize("****...afc190") == "****afc190")
        #expect(Masking.normalize("******…I1BUdE") == "****I1BUdE")
        #expect(Masking.normalize("****bkwef5") == "****bkwef5")
        #expect(Masking.normalize("********") == "****")
    }

    @Test func leavesUnmaskedValuesAlone() {
        #expect(Masking.normalize("anonymous") == "anonymous")
        #expect(Masking.normalize("*") == "*")
        #expect(Masking.normalize("...") == "...")
        #expect(Masking.normalize("") == "")
        #expect(!Masking.isMasked("*/*"))
        #expect(Masking.isMasked("**er"))
    }

    @Test func normalizesEveryMaskInAText() {
        #expect(Masking.normalizeAll(in: "{method.request.header.Hash=********aaaaaa, method.request.header.Auth=**…bb}")
                == "{method.request.header.Hash=****aaaaaa, method.request.header.Auth=****bb}")
        #expect(Masking.normalizeAll(in: "{Accept=*/*}") == "{Accept=*/*}")
        #expect(Masking.normalizeAll(in: "no masks here") == "no masks here")
    }
}

@Suite struct EntriesHeaderMapTests {
    private let responseHeaders: Substring = "{Date=Wed, 27 Feb 2019 11:31:11 GMT, Content-Type=application/json, Content-Length=115, Connection=keep-alive, x-amzn-RequestId=71952965-d5cc-4974-ae08-6e2138b2275c, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-5c7674f4-a3491d0a9c8012c191821b83;sampled=1}"

    @Test func valuesMayContainCommaSpace() {
        #expect(HeaderMap.value(of: "Date", in: responseHeaders) == "Wed, 27 Feb 2019 11:31:11 GMT")
        let request: Substring = "{Accept=application/json, text/plain, */*, Debug-Log-Enabled=false, User-Agent=python-requests/2.20.0}"
        #expect(HeaderMap.value(of: "Accept", in: request) == "application/json, text/plain, */*")
        #expect(HeaderMap.value(of: "User-Agent", in: request) == "python-requests/2.20.0")
    }

    @Test func lastValueLosesTheClosingBrace() {
        #expect(HeaderMap.value(of: "X-Amzn-Trace-Id", in: responseHeaders) == "root=1-5c7674f4-a3491d0a9c8012c191821b83;sampled=1")
    }

    @Test func namesMatchWholeAndCaseInsensitively() {
        #expect(HeaderMap.value(of: "x-amzn-requestid", in: responseHeaders) == "71952965-d5cc-4974-ae08-6e2138b2275c")
        #expect(HeaderMap.value(of: "Content", in: responseHeaders) == nil)
        #expect(HeaderMap.value(of: "Length", in: responseHeaders) == nil)
        #expect(HeaderMap.value(of: "Anything", in: "{}") == nil)
    }
}
