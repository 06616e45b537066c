/// How a request ended, as seen by its caller (DESIGN.md §3). Raw values are the stable identifiers.
public enum Outcome: String, Sendable, CaseIterable, Codable, Hashable {
    case allowed
    case denied
    case throttled
    case rejected
    case gatewayError = "gateway_error"
    case backendError = "backend_error"
    case incomplete
    case unknown
}

/// The part of API Gateway's request pipeline that decided the outcome, in pipeline order (DESIGN.md §3).
public enum Layer: String, Sendable, CaseIterable, Codable, Hashable {
    case routing
    case waf
    case resourcePolicy = "resource_policy"
    case authorizer
    case cognito
    case iam
    case apiKey = "api_key"
    case throttling
    case validation
    case integration
    case backend
    case none
    case unknown
}

/// Why a request ended as it did: the stable cause identifiers of DESIGN.md §3, each tied to one layer and outcome.
public enum Cause: String, Sendable, CaseIterable, Codable, Hashable {
    case ok
    case routeNotFound = "route_not_found"
    case iamUnsignedRequest = "iam_unsigned_request"
    case wafBlocked = "waf_blocked"
    case resourcePolicyExplicitDeny = "resource_policy_explicit_deny"
    case resourcePolicyImplicitDeny = "resource_policy_implicit_deny"
    case resourcePolicyDeny = "resource_policy_deny"
    case authorizerIdentityMissing = "authorizer_identity_missing"
    case authorizerUnauthorized = "authorizer_unauthorized"
    case authorizerExplicitDeny = "authorizer_explicit_deny"
    case authorizerImplicitDeny = "authorizer_implicit_deny"
    case authorizerCachedPolicyMismatch = "authorizer_cached_policy_mismatch"
    case authorizerPolicyUndetermined = "authorizer_policy_undetermined"
    case authorizerError = "authorizer_error"
    case cognitoUnauthorized = "cognito_unauthorized"
    case iamDenied = "iam_denied"
    case iamSignatureInvalid = "iam_signature_invalid"
    case apiKeyInvalid = "api_key_invalid"
    case throttled
    case quotaExceeded = "quota_exceeded"
    case requestValidationFailed = "request_validation_failed"
    case integrationTimeout = "integration_timeout"
    case integrationFunctionError = "integration_function_error"
    case integrationMalformedResponse = "integration_malformed_response"
    case integrationThrottled = "integration_throttled"
    case integrationPermissionError = "integration_permission_error"
    case integrationConfigError = "integration_config_error"
    case backendError = "backend_error"
    case unexplainedRejection = "unexplained_rejection"
    case incomplete
    case unknown

    /// The layer this cause belongs to.
    public var layer: Layer {
        switch self {
        case .ok: return .none
        case .routeNotFound: return .routing
        case .iamUnsignedRequest, .iamDenied, .iamSignatureInvalid: return .iam
        case .wafBlocked: return .waf
        case .resourcePolicyExplicitDeny, .resourcePolicyImplicitDeny, .resourcePolicyDeny: return .resourcePolicy
        case .authorizerIdentityMissing, .authorizerUnauthorized, .authorizerExplicitDeny, .authorizerImplicitDeny,
             .authorizerCachedPolicyMismatch, .authorizerPolicyUndetermined, .authorizerError:
            return .authorizer
        case .cognitoUnauthorized: return .cognito
        case .apiKeyInvalid: return .apiKey
        case .throttled, .quotaExceeded: return .throttling
        case .requestValidationFailed: return .validation
        case .integrationTimeout, .integrationFunctionError, .integrationMalformedResponse, .integrationThrottled,
             .integrationPermissionError, .integrationConfigError:
            return .integration
        case .backendError: return .backend
        case .unexplainedRejection, .incomplete, .unknown: return .unknown
        }
    }

    /// The outcome this cause implies (DESIGN.md §3 table).
    public var outcome: Outcome {
        switch self {
        case .ok: return .allowed
        case .throttled, .quotaExceeded: return .throttled
        case .requestValidationFailed: return .rejected
        case .authorizerError, .integrationTimeout, .integrationFunctionError, .integrationMalformedResponse,
             .integrationThrottled, .integrationPermissionError, .integrationConfigError:
            return .gatewayError
        case .backendError: return .backendError
        case .incomplete: return .incomplete
        case .unknown: return .unknown
        default: return .denied
        }
    }

    /// The status API Gateway answers with by default for this cause, used when no line states one.
    public var defaultStatus: Int? {
        switch self {
        case .authorizerIdentityMissing, .authorizerUnauthorized, .cognitoUnauthorized: return 401
        case .throttled, .quotaExceeded: return 429
        case .requestValidationFailed: return 400
        case .integrationTimeout: return 504
        case .integrationFunctionError, .integrationMalformedResponse: return 502
        case .authorizerError, .integrationThrottled, .integrationPermissionError, .integrationConfigError: return 500
        case .ok, .backendError, .incomplete, .unknown: return nil
        default: return 403
        }
    }
}
