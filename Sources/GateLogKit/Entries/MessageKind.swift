/// Every execution-log message gatelog recognizes, named after what it says (see shared/log-formats.md §2, ids in brackets).
///
/// Recognition only decides the kind (cheap, on the per-line hot path); values are extracted later, on demand,
/// by `Event.parse(kind:text:)` for the few lines the diagnosis needs.
public enum MessageKind: UInt8, Sendable, CaseIterable, Hashable {
    case unrecognized

    // A — request envelope
    case extendedRequestId            // A1 `Extended Request Id: <id>`
    case xrayTracingId                // A2 `X-ray Tracing ID : <id>`
    case integrationEndpointRequestId // A3 `AWS Integration Endpoint RequestId : <id>`

    // B — Lambda authorizer
    case authorizerStart              // B1 `Starting authorizer: <authorizerId> for request: <requestId>`
    case incomingIdentity             // B2 `Incoming identity: <masked>`
    case endpointRequestURI           // B3/E9 `Endpoint request URI: <uri>` (phase from position)
    case endpointRequestHeaders       // B4/E10 `Endpoint request headers: {…}`
    case endpointRequestBody          // B5/E11 `Endpoint request body after transformations: <body>`
    case sendingRequest               // B6/E12 `Sending request to <uri>`
    case authorizerResultBody         // B7 `Authorizer result body before parsing: <json>`
    case authorizerPolicyPrincipal    // B8 `Using valid authorizer policy for principal: <masked>`
    case authorizerCompleted          // B9 `Successfully completed authorizer execution`
    case unauthorizedRequest          // B10 `Unauthorized request: <requestId>`
    case bareUnauthorized             // B11 `Unauthorized` (test invoke)
    case configurationError           // B12/F2/F3/F5/F6/F7 `Execution failed due to configuration error: <reason>`
    case authorizerConfigurationException // B13 `AuthorizerConfigurationException` (test invoke)
    case gatewayResponseType          // B14 `Gateway response type: <TYPE> with status code: <code>`

    // C — access decision
    case clientNotAuthorized          // C1 `The client is not authorized to perform this operation.`
    case accessDeniedMessage          // ACCESS_DENIED body texts: `User: … is not authorized to perform: execute-api:Invoke …`,
                                      // `User is not authorized to access this resource…` (also behind `ExplicitDenyException `)

    // D — usage plans, API keys, throttling
    case usagePlanVerifying           // D1 `Verifying Usage Plan for request: <id>. API Key: <k> API Stage: <api>/<stage>`
    case apiKeyNotRequired            // D2 `API Key <k> authorized because method '<VERB> <resource>' does not require API Key…`
    case usagePlanSucceeded           // D3 `Usage Plan check succeeded for API Key <k> and API Stage <api>/<stage>`
    case apiKeyNotAuthorized          // D4 `API Key <k> not authorized because method '<VERB> <resource>' requires API Key…`
    case apiKeyThrottled              // D5 `API Key <k> exceeded throttle limit for API Stage <api>/<stage>: …`
    case stageThrottled               // D6 `Key throttle limit exceeded for RestApi <api>, Stage <stage>, …`
    case apiKeyQuotaExceeded          // D7 `API Key <k> exceeded quota limit for API Stage <api>/<stage>: …`
    case apiKeyStandalone             // D8 `API Key: <k>`
    case usagePlanInternalError       // D9 `Usage Plan check failed due to an internal error`

    // E — method execution
    case executionStart               // E1 `Starting execution for request: <id>`
    case httpMethodResourcePath       // E2 `HTTP Method: <VERB>, Resource Path: <path>`
    case methodRequestPath            // E3 `Method request path: {…}`
    case methodRequestQueryString     // E4 `Method request query string: {…}`
    case methodRequestHeaders         // E5 `Method request headers: {…}`
    case methodRequestBody            // E6 `Method request body before transformations: <body>`
    case requestValidationSucceeded   // E7 `Request validation succeeded for content type <ct>`
    case requestBodyInvalid           // E8 `Request body does not match model schema for content type <ct>: [...]`
    case requestParametersInvalid     // `Missing required request parameters: [...]` (validator, parameters)
    case receivedResponse             // E13 `Received response. [Status: <n>, ]Integration latency: <ms> ms`
    case endpointResponseHeaders      // E14 `Endpoint response headers: {…}`
    case endpointResponseBody         // E15 `Endpoint response body before transformations: <body>`
    case methodResponseBody           // E16 `Method response body after transformations: <body>`
    case methodResponseHeaders        // E17 `Method response headers: {…}`
    case executionSucceeded           // E18 `Successfully completed execution`
    case methodCompleted              // E19 `Method completed with status: <n>`

    // F — integration failures
    case timeoutError                 // F1 `Execution failed due to a timeout error`
    case lambdaFunctionError          // F4 `Lambda execution failed with status <n> due to customer function error: …`
    case lambdaInvocationFailed       // F5 `Lambda invocation failed with status: <n>. Lambda request id: <id>`

    /// Lines that end a request's pipeline: after one of these only trailers (A2, A3) are expected.
    public var isVerdict: Bool {
        switch self {
        case .methodCompleted, .unauthorizedRequest, .clientNotAuthorized, .apiKeyNotAuthorized,
             .gatewayResponseType, .authorizerConfigurationException, .bareUnauthorized:
            return true
        default:
            return false
        }
    }

    /// Lines that normally come after the verdict line and still belong to the request.
    public var isTrailer: Bool {
        self == .xrayTracingId || self == .integrationEndpointRequestId
    }
}
