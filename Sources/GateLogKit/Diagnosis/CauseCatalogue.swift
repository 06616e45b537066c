/// One entry of the cause catalogue: the stable identifier with its layer, outcome, a short title and a hint.
public struct CauseCatalogueEntry: Sendable, Hashable {
    public var cause: Cause
    public var title: String
    public var hint: String

    public var identifier: String { cause.rawValue }
    public var layer: Layer { cause.layer }
    public var outcome: Outcome { cause.outcome }
    public var defaultStatus: Int? { cause.defaultStatus }
}

/// The explanation of every cause (DESIGN.md §3): a title and a one-paragraph hint saying what the cause means
/// and which fix to try first. Shown by `gatelog causes` and attached to every diagnosed request.
public enum CauseCatalogue {
    /// Every cause, in pipeline order of its layer (routing first), then in declaration order within a layer.
    public static let all: [CauseCatalogueEntry] = {
        let layerRank = Dictionary(uniqueKeysWithValues: Layer.allCases.enumerated().map { ($1, $0) })
        let declared = Cause.allCases.enumerated().map { (offset: $0, cause: $1) }
        return declared
            .sorted { (layerRank[$0.cause.layer]!, $0.offset) < (layerRank[$1.cause.layer]!, $1.offset) }
            .map { CauseCatalogueEntry(cause: $0.cause, title: title(of: $0.cause), hint: hint(of: $0.cause)) }
    }()

    public static func entry(for cause: Cause) -> CauseCatalogueEntry {
        CauseCatalogueEntry(cause: cause, title: title(of: cause), hint: hint(of: cause))
    }

    static func title(of cause: Cause) -> String {
        switch cause {
        case .ok: return "Allowed"
        case .routeNotFound: return "No matching route (Missing Authentication Token)"
        case .iamUnsignedRequest: return "IAM-authorized method called without a signature"
        case .wafBlocked: return "Blocked by AWS WAF"
        case .resourcePolicyExplicitDeny: return "Resource policy: explicit deny"
        case .resourcePolicyImplicitDeny: return "Resource policy: implicit deny"
        case .resourcePolicyDeny: return "Resource policy: denied"
        case .authorizerIdentityMissing: return "Lambda authorizer: identity source missing or invalid"
        case .authorizerUnauthorized: return "Lambda authorizer: rejected the caller (401)"
        case .authorizerExplicitDeny: return "Lambda authorizer: explicit deny"
        case .authorizerImplicitDeny: return "Lambda authorizer: implicit deny"
        case .authorizerCachedPolicyMismatch: return "Lambda authorizer: cached policy does not cover this method"
        case .authorizerPolicyUndetermined: return "Lambda authorizer: denied, policy could not be evaluated"
        case .authorizerError: return "Lambda authorizer: error or misconfiguration"
        case .cognitoUnauthorized: return "Cognito authorizer: token rejected"
        case .iamDenied: return "IAM: caller not allowed to invoke"
        case .iamSignatureInvalid: return "IAM: invalid or expired signature"
        case .apiKeyInvalid: return "API key missing, invalid or not in a usage plan"
        case .throttled: return "Throttled (rate limit)"
        case .quotaExceeded: return "Usage-plan quota exhausted"
        case .requestValidationFailed: return "Request validation failed"
        case .integrationTimeout: return "Integration timed out"
        case .integrationFunctionError: return "Lambda function error"
        case .integrationMalformedResponse: return "Malformed Lambda proxy response"
        case .integrationThrottled: return "Lambda throttled the integration call"
        case .integrationPermissionError: return "API Gateway may not invoke the Lambda function"
        case .integrationConfigError: return "Integration configuration error"
        case .backendError: return "Backend answered with an error"
        case .unexplainedRejection: return "Rejected without evidence of why"
        case .incomplete: return "Log lines end before a verdict"
        case .unknown: return "Not recognised"
        }
    }

    static func hint(of cause: Cause) -> String {
        switch cause {
        case .ok:
            return "The request passed every layer and the method finished with a success status. Nothing to fix."
        case .routeNotFound:
            return """
                API Gateway found no resource and method for this verb and path, and answers that with 403 \
                "Missing Authentication Token" even though no token is involved. Execution logs stay silent about it. \
                Check the URL first: the stage name must follow the host (`/prod/pets`, not `/pets`), the verb must \
                be one the resource defines (or ANY), the path must match a resource template, and the change must \
                have been deployed to this stage.
                """
        case .iamUnsignedRequest:
            return """
                The route exists but its method uses AWS_IAM authorization, and the call carried no SigV4 signature, \
                so API Gateway replies 403 "Missing Authentication Token". Unlike a wrong URL, the resource template \
                is real here. Sign the request with the caller's AWS credentials (an SDK, `awscurl`, or the \
                Amplify/Cognito identity-pool credentials), or change the method's authorization type if it was not \
                meant to require IAM.
                """
        case .wafBlocked:
            return """
                An AWS WAF web ACL attached to the stage blocked the request before API Gateway's own checks ran; \
                the client sees 403 "Forbidden", just as for a bad API key. Look up the request in the WAF logs or \
                sampled requests to find the rule that matched (`terminatingRuleId`), then relax or scope down that \
                rule, or add an allow rule for the legitimate traffic.
                """
        case .resourcePolicyExplicitDeny:
            return """
                The API's resource policy has a Deny statement that matches this caller and method ARN (often a \
                source-IP, VPC or VPC-endpoint condition), and an explicit deny overrides every Allow. Find the Deny \
                statement in the API's resource policy, check its conditions against the caller's address or \
                endpoint, and remember that policy changes only apply after the API is redeployed.
                """
        case .resourcePolicyImplicitDeny:
            return """
                The API has a resource policy, and no Allow statement in it covers this caller and method ARN, so \
                the request is refused by default. Add an Allow for `execute-api:Invoke` on the ARN (mind the stage, \
                verb and path parts; `*` spans slashes) or widen the condition that excluded the caller, then \
                redeploy the API.
                """
        case .resourcePolicyDeny:
            return """
                API Gateway refused the request on authorization grounds with no authorizer or IAM evidence in the \
                logs, which points at the API's resource policy; the logs do not say whether a Deny matched or no \
                Allow did. If an authorizer ran and allowed first, the resource policy refused in its second phase. \
                Read the resource policy against the method ARN, and add an access log with `$context.error.message` \
                to see the exact denial text next time.
                """
        case .authorizerIdentityMissing:
            return """
                The request reached a Lambda authorizer but the identity source (for example the Authorization \
                header, or one of a REQUEST authorizer's identity sources) was missing, empty or failed the token \
                validation expression, so API Gateway answered 401 without calling the function. Make the client \
                send every configured identity source with the exact header name, and check the validation regex.
                """
        case .authorizerUnauthorized:
            return """
                The Lambda authorizer was called and answered with the error `Unauthorized`, which API Gateway turns \
                into 401. A 401 means the caller was not authenticated; a 403 would mean it was authenticated but \
                not allowed. Check the token the client sends (expiry, audience, issuer, signing key) and the \
                authorizer's own logs for why it rejected it.
                """
        case .authorizerExplicitDeny:
            return """
                The Lambda authorizer returned a policy whose Deny statement matches this method ARN, and an \
                explicit deny always wins over an Allow. If this caller should get in, change the authorizer logic \
                that emits the Deny, or narrow the Deny statement's Resource so it no longer covers this verb and path.
                """
        case .authorizerImplicitDeny:
            return """
                The Lambda authorizer returned a policy, but no Allow statement covers this method ARN (resource \
                and `execute-api:Invoke` action), so the request was denied by default. A common cause is a policy \
                whose Resource is the exact `methodArn` of the call that produced it: with caching on, that policy is \
                reused for other paths and verbs. Return a wildcard resource such as \
                `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/*/*`, or key the cache on the path, or set the \
                authorizer TTL to 0.
                """
        case .authorizerCachedPolicyMismatch:
            return """
                This request was denied without calling the authorizer: API Gateway reused a cached policy for the \
                same identity, and that policy was built for an earlier call (its Resource is the first caller's \
                method ARN), so it does not cover this verb or path. The cache is shared by every method of the stage \
                that uses the authorizer. Return a policy whose Resource covers every method the identity may call \
                (a wildcard such as `…/{stage}/*/*`), add the path or method to a REQUEST authorizer's identity \
                sources, or set the authorizer's result TTL to 0.
                """
        case .authorizerPolicyUndetermined:
            return """
                The request was denied after the Lambda authorizer returned a policy, but the logged policy was \
                truncated or could not be read, so gatelog cannot tell an explicit deny from a missing Allow. Make \
                the policy smaller (fewer, wildcarded resources) so it is logged whole, or log the policy from the \
                authorizer function itself, and compare its Resource entries with the method ARN.
                """
        case .authorizerError:
            return """
                The Lambda authorizer could not produce a usable answer: the function threw an error other than \
                `Unauthorized` or timed out, returned invalid JSON or a policy API Gateway could not parse (for \
                example a nested `context` value), or API Gateway lacks permission to invoke it. The client gets 500 \
                with `{"message":null}`. Read the authorizer function's own logs first, then check that it returns \
                `principalId` and `policyDocument` and that API Gateway may invoke it.
                """
        case .cognitoUnauthorized:
            return """
                The Cognito user-pool authorizer rejected the token with 401: missing, expired, malformed, or issued \
                by another user pool or app client. Send the ID token (or an access token with the scopes the method \
                requires) in the configured header, refresh it when it expires, and check the authorizer's user pool.
                """
        case .iamDenied:
            return """
                The caller signed the request with valid AWS credentials, but no policy allows that identity to call \
                `execute-api:Invoke` on this method ARN (or a Deny matches). Add an identity policy that allows \
                `execute-api:Invoke` on the API's ARN to the caller's user or role; for a cross-account caller the \
                API's resource policy must allow it too.
                """
        case .iamSignatureInvalid:
            return """
                The SigV4 signature did not verify: the signature does not match the request, the credentials or \
                session token are invalid or expired, or the signing time is too far from the server's clock. Sign \
                with the region and service `execute-api`, sign exactly the path, query and headers you send, refresh \
                temporary credentials, and fix the client clock.
                """
        case .apiKeyInvalid:
            return """
                The method requires an API key, and the `x-api-key` header was missing, unknown, disabled, or the key \
                is not in a usage plan that includes this API stage; the client sees 403 "Forbidden". Send the key \
                value (not its id), add the key to a usage plan attached to this stage, and allow a short delay after \
                creating or attaching a key.
                """
        case .throttled:
            return """
                The request exceeded a rate limit (usage-plan key limit, method or stage throttling, or the account \
                limit) and got 429 "Too Many Requests"; this is throttling, not an authorization problem, and unlike a \
                quota it clears within seconds. Retry with backoff and jitter on the client, or raise the rate and \
                burst limits that the log line names.
                """
        case .quotaExceeded:
            return """
                The API key used up its usage-plan quota for the period (day, week or month) and got 429 "Limit \
                Exceeded". Waiting a moment will not help until the period resets. Raise the quota in the usage plan, \
                move the key to a larger plan, or spread the calls over more periods.
                """
        case .requestValidationFailed:
            return """
                A request validator rejected the call with 400 before the integration ran: a required parameter or \
                header is missing, or the body does not match the method's model. Compare the request with the model \
                and required parameters named in the log line, and fix whichever side is wrong.
                """
        case .integrationTimeout:
            return """
                The backend did not answer within the integration timeout (29 seconds by default for REST APIs), so \
                API Gateway returned 504 "Endpoint request timed out" while the backend may still have finished its \
                work. Make the backend faster, move long work to an asynchronous job, or raise the integration \
                timeout where your account allows it.
                """
        case .integrationFunctionError:
            return """
                The Lambda function behind the method failed (it threw, crashed or hit its own timeout), and API \
                Gateway answered 502. The log line quotes the function's error and its Lambda request id: open that \
                invocation in the function's logs and fix the error, or raise the function's timeout and memory if \
                it ran out.
                """
        case .integrationMalformedResponse:
            return """
                The Lambda proxy integration returned something API Gateway could not use as an HTTP response, so the \
                client got 502. A proxy function must return an object with a numeric `statusCode`, optional \
                `headers`/`multiValueHeaders` of strings, and `body` as a string (serialize JSON bodies yourself), \
                plus `isBase64Encoded` for binary bodies.
                """
        case .integrationThrottled:
            return """
                Lambda refused to run the integration function because of its concurrency limits (reserved \
                concurrency or the account limit), and API Gateway answered 5xx. Raise or remove the function's \
                reserved concurrency, request a higher account concurrency limit, or throttle the stage so callers \
                get 429 instead.
                """
        case .integrationPermissionError:
            return """
                API Gateway has no permission to invoke the integration's Lambda function, so the call fails with \
                500. Add a resource-based permission on the function allowing `lambda:InvokeFunction` for the \
                principal `apigateway.amazonaws.com` with this API's execute-api ARN as source, or give the \
                integration an execution role that may invoke it.
                """
        case .integrationConfigError:
            return """
                The integration is misconfigured in a way API Gateway reports as a configuration error: a bad \
                endpoint or function ARN, a mapping template or integration response that cannot be applied, or a \
                body that could not be decoded. The log line after "configuration error:" names the problem; fix that \
                setting and redeploy the stage.
                """
        case .backendError:
            return """
                API Gateway let the request through and the integration itself answered with an error status, which \
                was passed on. This is not a gateway denial: a 403 from the backend looks like a gateway 403 to the \
                client, but here the integration status is the error and no gateway response type was involved. \
                Debug the backend service with the integration request id from the logs.
                """
        case .unexplainedRejection:
            return """
                The gateway rejected the request but its execution log lines hold no evidence of which layer did it \
                (often only the Extended Request Id line). Enable an access log with `$context.error.responseType` \
                and `$context.error.message`, or raise the execution log level to INFO, to see the reason next time.
                """
        case .incomplete:
            return """
                The request's log lines stop before any verdict, either because the logs were cut at the edge of the \
                time window or export, or because lines were lost. Widen the time range or include the neighbouring \
                log streams and files.
                """
        case .unknown:
            return """
                The request's lines did not fit any known pattern. Its lines are kept as evidence; please check them \
                and report the pattern if it is a real AWS message gatelog should know.
                """
        }
    }
}

extension Cause {
    /// Short human title of the cause, e.g. "Lambda authorizer: implicit deny".
    public var title: String { CauseCatalogue.title(of: self) }

    /// One paragraph: what the cause means and the first fix to try.
    public var hint: String { CauseCatalogue.hint(of: self) }
}
