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
        var inAuthorizer = false
        var inMethod = false
        for line in lines {
            let phase: Phase
            switch line.kind {
            case .extendedRequestId:
                phase = .envelope
            case .authorizerStart:
                inAuthorizer = true
                phase = .authorizer
            case .incomingIdentity, .authorizerResultBody, .authorizerPolicyPrincipal, .bareUnauthorized,
                 .authorizerConfigurationException:
                phase = .authorizer
            case .authorizerCompleted, .unauthorizedRequest:
                phase = .authorizer
                inAuthorizer = false
            case .endpointRequestURI, .endpointRequestHeaders, .endpointRequestBody, .sendingRequest:
                phase = inAuthorizer && !inMethod ? .authorizer : .integration
            case .configurationError, .gatewayResponseType:
                phase = inAuthorizer && !inMethod ? .authorizer : (inMethod ? .integration : .response)
            case .clientNotAuthorized, .accessDeniedMessage:
                inAuthorizer = false
                phase = .access
            case .usagePlanVerifying, .apiKeyNotRequired, .usagePlanSucceeded, .apiKeyNotAuthorized, .apiKeyThrottled,
                 .stageThrottled, .apiKeyQuotaExceeded, .apiKeyStandalone, .usagePlanInternalError:
                inAuthorizer = false
                phase = .usagePlan
            case .executionStart:
                inAuthorizer = false
                inMethod = true
                phase = .method
            case .httpMethodResourcePath, .methodRequestPath, .methodRequestQueryString, .methodRequestHeaders,
                 .methodRequestBody, .requestValidationSucceeded, .requestBodyInvalid, .requestParametersInvalid:
                phase = .method
            case .receivedResponse, .endpointResponseHeaders, .endpointResponseBody, .timeoutError,
                 .lambdaFunctionError, .lambdaInvocationFailed:
                phase = .integration
            case .methodResponseBody, .methodResponseHeaders, .executionSucceeded, .methodCompleted:
                phase = .response
            case .xrayTracingId, .integrationEndpointRequestId:
                phase = .trailer
            case .unrecognized:
                phase = .unknown
            }
            phases.append(phase)
        }
        return phases
    }
}
