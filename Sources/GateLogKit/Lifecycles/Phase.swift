/// The part of API Gateway's pipeline a line belongs to (DESIGN.md §4 `trace` phases).
public enum Phase: String, Sendable, CaseIterable, Codable {
    case envelope
    case authorizer
    case access
    case usagePlan = "usage_plan"
    case method
    case integration
    case response
    case trailer
    case unknown

    /// Assigns a phase to each line of a lifecycle, in order. Messages that appear both in the authorizer call and in
    /// the integration call (`Endpoint request URI`, `Sending request to`, …) take the phase of the block they sit in:
    /// after `Starting authorizer` and before the authorizer's outcome they are the authorizer's.
    public static func assign(_ lines: [LifecycleLine]) -> [Phase] {
        var phases: [Phase] = []
        phases.reserveCapacity(lines.count)
        var tracker = Tracker()
        for line in lines { phases.append(tracker.phase(of: line.kind)) }
        return phases
    }

    /// `assign` one line at a time: the phase of each next line of a lifecycle.
    struct Tracker {
        private var inAuthorizer = false
        private var inMethod = false

        @inline(__always)
        mutating func phase(of kind: MessageKind) -> Phase {
            switch kind {
            case .extendedRequestId:
                return .envelope
            case .authorizerStart:
                inAuthorizer = true
                return .authorizer
            case .incomingIdentity, .authorizerResultBody, .authorizerPolicyPrincipal, .bareUnauthorized,
                 .authorizerConfigurationException:
                return .authorizer
            case .authorizerCompleted, .unauthorizedRequest:
                inAuthorizer = false
                return .authorizer
            case .endpointRequestURI, .endpointRequestHeaders, .endpointRequestBody, .sendingRequest:
                return inAuthorizer && !inMethod ? .authorizer : .integration
            case .configurationError, .gatewayResponseType:
                return inAuthorizer && !inMethod ? .authorizer : (inMethod ? .integration : .response)
            case .clientNotAuthorized, .accessDeniedMessage:
                inAuthorizer = false
                return .access
            case .usagePlanVerifying, .apiKeyNotRequired, .usagePlanSucceeded, .apiKeyNotAuthorized, .apiKeyThrottled,
                 .stageThrottled, .apiKeyQuotaExceeded, .apiKeyStandalone, .usagePlanInternalError:
                inAuthorizer = false
                return .usagePlan
            case .executionStart:
                inAuthorizer = false
                inMethod = true
                return .method
            case .httpMethodResourcePath, .methodRequestPath, .methodRequestQueryString, .methodRequestHeaders,
                 .methodRequestBody, .requestValidationSucceeded, .requestBodyInvalid, .requestParametersInvalid:
                return .method
            case .receivedResponse, .endpointResponseHeaders, .endpointResponseBody, .timeoutError,
                 .lambdaFunctionError, .lambdaInvocationFailed:
                return .integration
            case .methodResponseBody, .methodResponseHeaders, .executionSucceeded, .methodCompleted:
                return .response
            case .xrayTracingId, .integrationEndpointRequestId:
                return .trailer
            case .unrecognized:
                return .unknown
            }
        }
    }
}
