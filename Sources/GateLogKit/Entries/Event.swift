/// The values one execution-log message carries, typed per `MessageKind` (log-formats.md §2, ids in brackets).
///
/// Built lazily by `Event.parse(kind:text:)` for the lines the diagnosis looks at. Every value is optional where AWS
/// may omit it or a truncated line may cut it off; masked secrets are given in their normalized form (`****abc123`).
public enum Event: Sendable, Equatable {
    case unrecognized

    // A — request envelope
    case extendedRequestId(String?)                              // A1
    case xrayTracingId(String?)                                  // A2, as printed (`1-…` or `Root=1-…`)
    case integrationEndpointRequestId(String?)                   // A3

    // B — Lambda authorizer
    case authorizerStart(authorizerId: String?, requestId: String?)  // B1
    case incomingIdentity(MaskedText)                            // B2
    case endpointRequestURI(EndpointURI)                         // B3/E9
    case endpointRequestHeaders(EndpointRequestHeaders)          // B4/E10
    case endpointRequestBody(EndpointRequestBody)                // B5/E11
    case sendingRequest(EndpointURI)                             // B6/E12
    case authorizerResultBody(LoggedText)                        // B7
    case authorizerPolicyPrincipal(String?)                      // B8, normalized mask; nil when logged empty
    case authorizerCompleted                                     // B9
    case unauthorizedRequest(requestId: String?)                 // B10
    case bareUnauthorized                                        // B11
    case configurationError(reason: String)                      // B12/F2/F3/F5/F6/F7
    case authorizerConfigurationException                        // B13
    case gatewayResponseType(type: String?, status: Int?)        // B14

    // C — access decision
    case clientNotAuthorized                                     // C1
    case accessDeniedMessage(AccessDeniedMessage)                // ACCESS_DENIED texts (§3.1)

    // D — usage plans, API keys, throttling
    case usagePlanVerifying(UsagePlanVerification)               // D1
    case apiKeyNotRequired(APIKeyMethodCheck)                    // D2
    case usagePlanSucceeded(apiKey: String?, apiId: String?, stage: String?)  // D3
    case apiKeyNotAuthorized(APIKeyMethodCheck)                  // D4
    case apiKeyThrottled(ThrottleLimit)                          // D5
    case stageThrottled(ThrottleLimit)                           // D6 (apiKey and usagePlanId are nil)
    case apiKeyQuotaExceeded(QuotaLimit)                         // D7
    case apiKeyStandalone(apiKey: String?)                       // D8
    case usagePlanInternalError                                  // D9

    // E — method execution
    case executionStart(requestId: String?)                      // E1
    case httpMethodResourcePath(httpMethod: String?, path: String?)  // E2
    case methodRequestPath(LoggedText)                           // E3
    case methodRequestQueryString(LoggedText)                    // E4
    case methodRequestHeaders(LoggedText)                        // E5
    case methodRequestBody(LoggedText)                           // E6
    case requestValidationSucceeded(contentType: String?)        // E7
    case requestBodyInvalid(contentType: String?, message: String?)  // E8
    case requestParametersInvalid(message: String)               // `Missing required request parameters: […]`
    case receivedResponse(status: Int?, latencyMs: Int?)         // E13a/E13b
    case endpointResponseHeaders(EndpointResponseHeaders)        // E14
    case endpointResponseBody(LoggedText)                        // E15
    case methodResponseBody(LoggedText)                          // E16
    case methodResponseHeaders(LoggedText)                       // E17
    case executionSucceeded                                      // E18
    case methodCompleted(status: Int?)                           // E19

    // F — integration failures
    case timeoutError                                            // F1
    case lambdaFunctionError(status: Int?, errorMessage: String?, lambdaRequestId: String?)  // F4
    case lambdaInvocationFailed(status: Int?, lambdaRequestId: String?)                     // F5
}

/// A header map or body dumped by data tracing, without the ` [TRUNCATED]` marker, and whether AWS cut it.
public struct LoggedText: Sendable, Equatable {
    public var text: String
    public var isTruncated: Bool

    public init(text: String, isTruncated: Bool) {
        self.text = text
        self.isTruncated = isTruncated
    }
}

/// A value that contains AWS masks, as logged and with every mask shortened to four stars.
public struct MaskedText: Sendable, Equatable {
    public var raw: String
    public var normalized: String

    public init(raw: String, normalized: String) {
        self.raw = raw
        self.normalized = normalized
    }
}

/// An integration or authorizer endpoint URI; for Lambda, the function ARN inside `…/functions/<arn>/invocations`.
public struct EndpointURI: Sendable, Equatable {
    public var uri: String
    public var lambdaFunctionArn: String?

    public init(uri: String, lambdaFunctionArn: String?) {
        self.uri = uri
        self.lambdaFunctionArn = lambdaFunctionArn
    }
}

/// `Endpoint request headers: {…}` (B4/E10) with the headers that tell which API called which endpoint.
public struct EndpointRequestHeaders: Sendable, Equatable {
    public var raw: LoggedText
    /// `x-amzn-apigateway-api-id`.
    public var apiId: String?
    /// `X-Amz-Source-Arn`: the method ARN with the resource template, or `…/authorizers/<id>` for an authorizer call.
    public var sourceArn: String?
    /// The authorizer id when `sourceArn` is `…/authorizers/<id>`.
    public var authorizerId: String?
    /// `x-amzn-lambda-integration-tag` (the request id, or `test-request` in console tests).
    public var integrationTag: String?

    /// Whether this is the call to a Lambda authorizer rather than to the method's integration.
    public var isAuthorizerRequest: Bool { authorizerId != nil }

    public init(raw: LoggedText, apiId: String?, sourceArn: String?, authorizerId: String?, integrationTag: String?) {
        self.raw = raw
        self.apiId = apiId
        self.sourceArn = sourceArn
        self.authorizerId = authorizerId
        self.integrationTag = integrationTag
    }
}

/// `Endpoint request body after transformations: …` (B5/E11); for authorizer calls the fields of the authorizer event.
public struct EndpointRequestBody: Sendable, Equatable {
    public var raw: LoggedText
    /// `"methodArn"` of an authorizer event (nil when absent or cut off).
    public var methodArn: String?
    /// `"type"` of an authorizer event: `TOKEN` or `REQUEST`.
    public var authorizerType: String?
    /// Whether the body carries an `"authorizationToken"` key (the token itself is a secret and is not kept).
    public var hasAuthorizationToken: Bool

    public init(raw: LoggedText, methodArn: String?, authorizerType: String?, hasAuthorizationToken: Bool) {
        self.raw = raw
        self.methodArn = methodArn
        self.authorizerType = authorizerType
        self.hasAuthorizationToken = hasAuthorizationToken
    }
}

/// `Endpoint response headers: {…}` (E14) with the Lambda error markers.
public struct EndpointResponseHeaders: Sendable, Equatable {
    public var raw: LoggedText
    /// `X-Amz-Function-Error` (`Unhandled` / `Handled`): the Lambda function failed.
    public var functionError: String?
    /// `x-amzn-ErrorType` (e.g. `TooManyRequestsException` when Lambda throttled).
    public var errorType: String?
    /// `x-amzn-RequestId`: the Lambda request id.
    public var requestId: String?

    public init(raw: LoggedText, functionError: String?, errorType: String?, requestId: String?) {
        self.raw = raw
        self.functionError = functionError
        self.errorType = errorType
        self.requestId = requestId
    }
}

/// Who is named in an ACCESS_DENIED text.
public enum DeniedPrincipalKind: String, Sendable, Equatable {
    /// `User: anonymous …` — a resource-policy decision on an unauthenticated caller.
    case anonymous
    /// `User: arn:aws:iam::…` / `arn:aws:sts::…` — an IAM caller.
    case arn
    /// `User: <something else> …`.
    case other
    /// `User is not authorized to access this resource…` — no principal named (Lambda authorizer policy).
    case unnamed
}

/// Which policy an ACCESS_DENIED text blames (newest IAM wording only; older texts leave it unspecified).
public enum DeniedPolicySide: String, Sendable, Equatable {
    case identityBased = "identity_based"
    case resourceBased = "resource_based"
    case unspecified
}

/// An ACCESS_DENIED message (log-formats.md §3.1), in any of its three wording generations.
public struct AccessDeniedMessage: Sendable, Equatable {
    /// An exception name written before the text (`ExplicitDenyException`, `AccessDeniedException`).
    public var exceptionName: String?
    public var principalKind: DeniedPrincipalKind
    /// The caller ARN for `principalKind == .arn`.
    public var callerArn: String?
    /// The `on resource:` ARN.
    public var resourceArn: String?
    /// The text says `explicit deny`.
    public var isExplicitDeny: Bool
    public var policySide: DeniedPolicySide
    /// The text from `User` on, without ` [TRUNCATED]`.
    public var message: String

    public init(exceptionName: String?, principalKind: DeniedPrincipalKind, callerArn: String?, resourceArn: String?,
                isExplicitDeny: Bool, policySide: DeniedPolicySide, message: String) {
        self.exceptionName = exceptionName
        self.principalKind = principalKind
        self.callerArn = callerArn
        self.resourceArn = resourceArn
        self.isExplicitDeny = isExplicitDeny
        self.policySide = policySide
        self.message = message
    }
}

/// `Verifying Usage Plan for request: <id>. API Key: <k> API Stage: <api>/<stage>` (D1).
public struct UsagePlanVerification: Sendable, Equatable {
    public var requestId: String?
    /// Normalized mask; nil when the request carried no key.
    public var apiKey: String?
    public var apiId: String?
    public var stage: String?

    public init(requestId: String?, apiKey: String?, apiId: String?, stage: String?) {
        self.requestId = requestId
        self.apiKey = apiKey
        self.apiId = apiId
        self.stage = stage
    }
}

/// `API Key <k> [not ]authorized because method '<VERB> <resource>' …` (D2 and D4).
public struct APIKeyMethodCheck: Sendable, Equatable {
    /// Normalized mask; nil when the request carried no key.
    public var apiKey: String?
    public var httpMethod: String?
    /// The resource template (`/{resource+}`), not the concrete path.
    public var resource: String?
    /// D4 only: `… for API Stage <api>/<stage>: <reason>`.
    public var apiId: String?
    public var stage: String?
    public var reason: String?

    public init(apiKey: String?, httpMethod: String?, resource: String?, apiId: String?, stage: String?, reason: String?) {
        self.apiKey = apiKey
        self.httpMethod = httpMethod
        self.resource = resource
        self.apiId = apiId
        self.stage = stage
        self.reason = reason
    }
}

/// A throttle line: per API key (D5) or per stage/method (D6).
public struct ThrottleLimit: Sendable, Equatable {
    public var apiKey: String?
    public var apiId: String?
    public var stage: String?
    public var usagePlanId: String?
    public var resourceId: String?
    public var httpMethod: String?
    /// Requests per second (`Limit: 5.00`).
    public var rateLimit: Double?
    public var burst: Int?

    public init(apiKey: String?, apiId: String?, stage: String?, usagePlanId: String?, resourceId: String?,
                httpMethod: String?, rateLimit: Double?, burst: Int?) {
        self.apiKey = apiKey
        self.apiId = apiId
        self.stage = stage
        self.usagePlanId = usagePlanId
        self.resourceId = resourceId
        self.httpMethod = httpMethod
        self.rateLimit = rateLimit
        self.burst = burst
    }
}

/// `API Key <k> exceeded quota limit for API Stage <api>/<stage>: Key quota exhausted for Usage Plan ID <id>. Limit: <n> Period: <P>` (D7).
public struct QuotaLimit: Sendable, Equatable {
    public var apiKey: String?
    public var apiId: String?
    public var stage: String?
    public var usagePlanId: String?
    public var limit: Int?
    /// `DAY`, `WEEK` or `MONTH`.
    public var period: String?

    public init(apiKey: String?, apiId: String?, stage: String?, usagePlanId: String?, limit: Int?, period: String?) {
        self.apiKey = apiKey
        self.apiId = apiId
        self.stage = stage
        self.usagePlanId = usagePlanId
        self.limit = limit
        self.period = period
    }
}
