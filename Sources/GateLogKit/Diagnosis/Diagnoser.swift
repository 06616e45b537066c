#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of the diagnosis.
public struct DiagnosisOptions: Sendable {
    /// Authorizer result cache TTL in seconds (`--authorizer-ttl`), the window of the cached-policy analysis.
    public var authorizerTTLSeconds = 300
    /// Mask tokens and keys in evidence (`--no-redact` turns it off).
    public var redact = true

    public init() {}
}

/// Maps each request lifecycle to a verdict — outcome, layer, cause, evidence, hint — the way an expert reads the
/// logs (DESIGN.md §3 rules, log-formats.md §10.4 order). Keeps the authorizer policies of recent requests so that
/// denials served from the authorizer cache can be explained; that state is bounded by the TTL.
public final class Diagnoser {
    public let files: FileTable
    public let options: DiagnosisOptions
    private let cache: AuthorizerPolicyCache
    /// Region and account learned per API id, for rebuilding method ARNs of requests that do not log one.
    private var apiLocation: [String: (region: String, account: String)] = [:]
    /// The API id whose location was known last: its requests skip the dictionary.
    private var lastLocatedApi: String?

    public init(files: FileTable, options: DiagnosisOptions = DiagnosisOptions()) {
        self.files = files
        self.options = options
        self.cache = AuthorizerPolicyCache(ttlSeconds: options.authorizerTTLSeconds)
    }

    /// Authorizer result bodies seen lately, shared and parsed once each.
    private let policyTexts = PolicyTextTable(capacity: 8192)

    private func parsePolicy(_ text: String) -> AuthorizerPolicyParse { policyTexts.parse(text) }

    /// The full verdict of one request, evidence included.
    public func diagnose(_ lifecycle: RequestLifecycle) -> Verdict {
        diagnose(lifecycle, evidence: true)
    }

    /// The verdict of one request; with `evidence: false` its `evidence` is left empty and only references to the
    /// deciding lines are kept, so that `evidence(of:)` can build exactly what `diagnose(_:)` would have cited.
    ///
    /// `facts` may be computed beforehand (on another thread: `RequestFacts(lifecycle)` depends on the lifecycle alone).
    public func diagnose(_ lifecycle: RequestLifecycle, facts: RequestFacts? = nil, evidence: Bool) -> Verdict {
        // The facts are read where they lie (a copy would retain and release each of their fields).
        var verdict: Verdict
        if let facts {
            verdict = withUnsafePointer(to: facts) { decide(lifecycle, facts: $0) }
        } else {
            let read = RequestFacts(lifecycle)
            verdict = withUnsafePointer(to: read) { decide(lifecycle, facts: $0) }
        }
        if evidence { verdict.evidence = materialize(pendingEvidence, of: lifecycle) }
        return verdict
    }

    /// The evidence of the request diagnosed last (pass its lifecycle; call before the next `diagnose`), exactly as
    /// `diagnose(_:)` puts it into `Verdict.evidence`.
    public func evidence(of lifecycle: RequestLifecycle) -> [Evidence] {
        precondition(pendingLifecycle == ObjectIdentifier(lifecycle), "evidence(of:) asks for a request other than the last diagnosed")
        return materialize(pendingEvidence, of: lifecycle)
    }

    /// References to the evidence of the request decided last.
    private var pendingEvidence: [EvidenceRef] = []
    private var pendingLifecycle: ObjectIdentifier?

    private func decide(_ lifecycle: RequestLifecycle, facts factsAddress: UnsafePointer<RequestFacts>) -> Verdict {
        if let api = factsAddress.pointee.apiId, api != lastLocatedApi,
           let region = factsAddress.pointee.region, let account = factsAddress.pointee.account {
            if apiLocation[api] == nil { apiLocation[api] = (region, account) }
            lastLocatedApi = api
        }
        var resultText: String?
        var principalId: String?
        if let line = factsAddress.pointee.authorizerResultLine {
            let (text, quick) = lifecycle.withText(of: line) { bytes in
                (policyTexts.text(of: bytes), AuthorizerPolicy.quickPrincipalId(bytes: bytes))
            }
            resultText = text
            // The policy's `principalId`, read without a full parse when the text allows.
            if let quick {
                principalId = quick
            } else if case .policy(let parsed) = parsePolicy(text) {
                principalId = parsed.principalId
            }
        }
        let context = Context(lifecycle: lifecycle, factsAddress: factsAddress, files: files, redact: options.redact,
                              authorizerResultText: resultText, policyPrincipalId: principalId)
        var decision = classify(context)
        rememberPolicy(context, decision: &decision)
        let cause = decision.cause
        // The route and template of a templated request come from a small cache, redacted once per template.
        let redact = options.redact
        var resource = context.facts.resource
        var route: String?
        var path = context.facts.path
        if let template = resource {
            let method = context.facts.configuredMethod ?? context.facts.httpMethod ?? "ANY"
            let slot = templateRouteSlot(method: method, resource: template, redact: redact)
            route = templateRoutes[slot].route
            resource = templateRoutes[slot].resource
        } else {
            route = context.facts.route
            if redact { route = route.map(Redactor.redact) }
        }
        if redact { path = path.map(Redactor.redact) }
        var verdict = Verdict(
            requestId: lifecycle.requestId,
            extendedRequestId: context.facts.extendedRequestId,
            apiId: context.facts.apiId,
            stage: context.facts.stage,
            httpMethod: context.facts.httpMethod,
            resource: resource,
            path: path,
            route: route,
            status: context.facts.status ?? decision.status ?? cause.defaultStatus,
            outcome: cause.outcome,
            layer: cause.layer,
            cause: cause,
            principal: decision.principal ?? context.principal(for: cause),
            authorizerId: context.facts.authorizerId,
            apiKey: context.facts.apiKey ?? context.facts.access.lazy.compactMap { $0.apiKey.map(Self.maskedKey) }.first,
            startTime: context.facts.startTime,
            endTime: context.facts.endTime,
            integrationLatencyMs: context.facts.integrationLatencyMs,
            evidence: [],
            hint: cause.hint
        )
        verdict.isTestInvoke = context.facts.isTestInvoke
        if verdict.apiKey == "" { verdict.apiKey = nil }
        pendingEvidence = decision.evidence
        pendingLifecycle = ObjectIdentifier(lifecycle)
        return verdict
    }

    /// The route (`METHOD /template`) of a templated request and its template, as the verdict carries them
    /// (redacted when `redact`), remembered by method and template.
    private struct TemplateRoute {
        var method = ""
        var template = ""
        var redact = false
        var isFilled = false
        var route = ""
        var resource = ""
    }

    private var templateRoutes = [TemplateRoute](repeating: TemplateRoute(), count: 256)

    /// The slot of `templateRoutes` that holds `method` and `resource`, filled now when it held another.
    private func templateRouteSlot(method: String, resource: String, redact: Bool) -> Int {
        var methodText = method, resourceText = resource
        let digest = resourceText.withUTF8 { PolicyTextTable.hash(UnsafeRawBufferPointer($0)) }
            ^ methodText.withUTF8 { PolicyTextTable.hash(UnsafeRawBufferPointer($0)) } &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: digest >> 40) & (templateRoutes.count - 1)
        if templateRoutes[slot].isFilled, templateRoutes[slot].redact == redact,
           templateRoutes[slot].template == resource, templateRoutes[slot].method == method {
            return slot
        }
        // As `RequestFacts.route` and `redactDerivedText` make them.
        let route = "\(method) \(resource)"
        templateRoutes[slot] = TemplateRoute(method: method, template: resource, redact: redact, isFilled: true,
                                             route: redact ? Redactor.redact(route) : route,
                                             resource: redact ? Redactor.redact(resource) : resource)
        return slot
    }

    /// Log lines are redacted as they are cited; what gatelog derived from them is redacted here: the concrete path
    /// and route (a token in a URL path, e.g. a magic-link JWT). The `→` notes, which quote method ARNs, are redacted
    /// when the evidence is built (`materialize`).
    static func redactDerivedText(_ verdict: inout Verdict) {
        verdict.path = verdict.path.map(Redactor.redact)
        verdict.route = verdict.route.map(Redactor.redact)
        verdict.resource = verdict.resource.map(Redactor.redact)
    }

    /// Builds the cited lines and notes of a decision, redacted as the options say.
    private func materialize(_ refs: [EvidenceRef], of lifecycle: RequestLifecycle) -> [Evidence] {
        let redact = options.redact
        func cited(_ text: String) -> String { redact ? Redactor.redact(text) : text }
        func noteSource(_ line: LifecycleLine?) -> String {
            line.map { files.source(of: $0).description } ?? (lifecycle.accessSources.first?.description ?? "gatelog")
        }
        var evidence: [Evidence] = []
        evidence.reserveCapacity(refs.count)
        for ref in refs {
            switch ref {
            case .line(let line):
                evidence.append(Evidence(source: files.source(of: line).description, text: cited(lifecycle.text(of: line))))
            case .access(let index):
                evidence.append(Evidence(source: lifecycle.accessSources[index].description, text: cited(lifecycle.accessRecords[index])))
            case .note(let line, let text):
                evidence.append(Evidence(source: noteSource(line), text: "→ " + text))
            case .policyNote(let line, let decision, let arn):
                evidence.append(Evidence(source: noteSource(line), text: "→ \(decision.explanation) — method ARN \(arn.arn)"))
            case .built(let built):
                evidence.append(built)
            }
        }
        if redact {
            for index in evidence.indices where evidence[index].text.hasPrefix("→ ") {
                evidence[index].text = Redactor.redact(evidence[index].text)
            }
        }
        return evidence
    }

    /// API keys are reported as a masked tail whatever the log held (access logs carry the raw key).
    static func maskedKey(_ key: String) -> String {
        Masking.isMasked(key) ? Masking.normalize(key) : Redactor.mask(key)
    }

    // MARK: - Decision

    /// One piece of evidence, kept as a reference until its text is asked for.
    enum EvidenceRef {
        /// A cited log line.
        case line(LifecycleLine)
        /// The lifecycle's access record at this index.
        case access(Int)
        /// A `→` note about a line (nil: about the first access record, or gatelog itself).
        case note(LifecycleLine?, String)
        /// The `→` note on a re-evaluated authorizer policy.
        case policyNote(LifecycleLine, PolicyDecision, MethodARN)
        /// Evidence already built (cached-policy analysis).
        case built(Evidence)
    }

    struct Decision {
        var cause: Cause
        var evidence: [EvidenceRef]
        var principal: String?
        var status: Int?
    }

    /// A lifecycle with its facts and helpers to cite lines.
    struct Context {
        let lifecycle: RequestLifecycle
        /// The request's facts, borrowed for the time of one `decide`.
        let factsAddress: UnsafePointer<RequestFacts>
        var facts: RequestFacts { unsafeAddress { factsAddress } }
        let files: FileTable
        let redact: Bool
        /// The text of `facts.authorizerResultLine`.
        let authorizerResultText: String?
        /// The `principalId` of the authorizer result.
        let policyPrincipalId: String?

        func lines(_ kind: MessageKind) -> [LifecycleLine] {
            lifecycle.contains(kind) ? lifecycle.lines.filter { $0.kind == kind } : []
        }
        /// The first line of `kind`; the lifecycle's kind set answers for absent kinds without a walk over the lines.
        func first(_ kind: MessageKind) -> LifecycleLine? { lifecycle.contains(kind) ? lifecycle.first(kind) : nil }
        func lastLine(_ kind: MessageKind) -> LifecycleLine? {
            lifecycle.contains(kind) ? lifecycle.lines.last { $0.kind == kind } : nil
        }
        /// The status of a `Method completed with status:` line, as `Event.parse` reads it.
        func completedStatus(_ line: LifecycleLine) -> Int? {
            if let status = lifecycle.withText(of: line, { Self.plainCompletedStatus($0) }) { return status }
            if let status = lifecycle.withText(of: line, { ShortLineScan($0).map { $0.methodCompletedStatus() } }) {
                return status
            }
            if case .methodCompleted(let status) = event(line) { return status }
            return nil
        }
        /// The status of a line that is exactly `Method completed with status: <1 to 9 digits>`, the way AWS writes it
        /// (what `ShortLineScan.methodCompletedStatus` reads from it); nil for any other shape.
        static func plainCompletedStatus(_ text: UnsafeRawBufferPointer) -> Int? {
            let label: StaticString = "Method completed with status: "
            let count = label.utf8CodeUnitCount
            guard text.count > count, text.count - count <= 9,
                  memcmp(text.baseAddress!, label.utf8Start, count) == 0 else { return nil }
            var status = 0
            for i in count..<text.count {
                let digit = text[i] &- 0x30
                guard digit < 10 else { return nil }
                status = status * 10 + Int(digit)
            }
            return status
        }
        func has(_ kind: MessageKind) -> Bool { lifecycle.contains(kind) }
        /// Whether any line is of one of `kinds`.
        @inline(__always)
        func hasAny(_ kinds: MessageKind...) -> Bool {
            var mask: UInt64 = 0
            for kind in kinds { mask |= 1 << UInt64(kind.rawValue) }
            return lifecycle.kinds & mask != 0
        }
        /// `text(line).contains(needle)`, on the bytes when the line is ASCII (characters are then bytes).
        func text(_ line: LifecycleLine, contains needle: String) -> Bool {
            let quick = lifecycle.withText(of: line) { bytes -> Bool? in
                guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
                return needle.utf8.withContiguousStorageIfAvailable { ByteSearch.firstIndex(of: UnsafeRawBufferPointer($0), in: bytes) != nil }
            }
            if let quick = quick ?? nil { return quick }
            return text(line).contains(needle)
        }
        func text(_ line: LifecycleLine) -> String { lifecycle.text(of: line) }
        func event(_ line: LifecycleLine) -> Event { Event.parse(kind: line.kind, text: text(line)) }

        func cite(_ line: LifecycleLine?) -> [EvidenceRef] {
            guard let line else { return [] }
            return [.line(line)]
        }

        func cite(_ lines: [LifecycleLine]) -> [EvidenceRef] { lines.map { .line($0) } }

        func note(about line: LifecycleLine?, _ text: String) -> EvidenceRef { .note(line, text) }

        func citeAccess() -> [EvidenceRef] {
            let count = min(lifecycle.accessSources.count, lifecycle.accessRecords.count)
            return count == 0 ? [] : (0..<count).map { .access($0) }
        }

        /// The access record that states the outcome (the last one with a status).
        var access: AccessLogRecord? { facts.access.last { $0.status != nil } ?? facts.access.last }

        /// DESIGN.md principal: policy principalId, masked `for principal:`, IAM caller, anonymous for resource-policy denials.
        func principal(for cause: Cause) -> String? {
            if let id = policyPrincipalId, !id.isEmpty { return id }
            if let masked = facts.policyPrincipal, !masked.isEmpty { return masked }
            if let principal = access?.principalId, !principal.isEmpty { return principal }
            for line in lines(.accessDeniedMessage) {
                if case .accessDeniedMessage(let message) = event(line), message.principalKind == .arn, let arn = message.callerArn {
                    return arn
                }
            }
            if case .iamCaller(let arn, _)? = access?.accessDeniedKind { return arn }
            if cause.layer == .resourcePolicy, cause != .resourcePolicyDeny || !facts.authorizerStarted { return "anonymous" }
            return nil
        }
    }

    func classify(_ c: Context) -> Decision {
        if let decision = fromAccessLog(c) { return decision }
        return fromExecutionLog(c)
    }

    // MARK: Access-log evidence (outranks inference)

    private func fromAccessLog(_ c: Context) -> Decision? {
        guard let record = c.access else { return nil }
        let accessEvidence = c.citeAccess()
        let type = record.responseType?.uppercased()
        let message = record.errorMessage ?? ""

        func decide(_ cause: Cause, _ extra: [EvidenceRef] = []) -> Decision {
            Decision(cause: cause, evidence: extra + accessEvidence, principal: nil, status: nil)
        }
        func routing() -> Decision {
            if let template = record.resourcePath, template.hasPrefix("/") {
                return decide(.iamUnsignedRequest)
            }
            return decide(.routeNotFound)
        }

        switch type {
        case "MISSING_AUTHENTICATION_TOKEN"?: return routing()
        case "WAF_FILTERED"?: return decide(.wafBlocked)
        case "INVALID_SIGNATURE"?, "EXPIRED_TOKEN"?: return decide(.iamSignatureInvalid)
        case "THROTTLED"?: return decide(.throttled, c.cite(c.lines(.apiKeyThrottled) + c.lines(.stageThrottled)))
        case "QUOTA_EXCEEDED"?: return decide(.quotaExceeded, c.cite(c.lines(.apiKeyQuotaExceeded)))
        case "INVALID_API_KEY"?: return decide(.apiKeyInvalid, c.cite(c.lines(.apiKeyNotAuthorized)))
        case "UNAUTHORIZED"?: return unauthorized(c, access: record)
        case "AUTHORIZER_CONFIGURATION_ERROR"?, "AUTHORIZER_FAILURE"?:
            return authorizerError(c) ?? decide(.authorizerError)
        case "ACCESS_DENIED"?: return denial(c, access: record)
        case "BAD_REQUEST_BODY"?, "BAD_REQUEST_PARAMETERS"?, "REQUEST_TOO_LARGE"?, "UNSUPPORTED_MEDIA_TYPE"?:
            return decide(.requestValidationFailed, c.cite(c.lines(.requestBodyInvalid) + c.lines(.requestParametersInvalid)))
        case "INTEGRATION_TIMEOUT"?:
            return decide(.integrationTimeout, c.cite(c.lines(.timeoutError)))
        case "INTEGRATION_FAILURE"?, "API_CONFIGURATION_ERROR"?:
            if let decision = integration(c) { return Decision(cause: decision.cause, evidence: decision.evidence + accessEvidence) }
            if let failure = record.integrationErrorMessage, failure.contains("Rate Exceeded") { return decide(.integrationThrottled) }
            if let failure = record.integrationErrorMessage, failure.contains("timeout") { return decide(.integrationTimeout) }
            return decide(.integrationConfigError)
        case "RESOURCE_NOT_FOUND"?: return decide(.routeNotFound)
        default: break
        }
        // No (or a generic) response type: the message text counts as evidence.
        if record.isSignatureError { return decide(.iamSignatureInvalid) }
        if message == "Missing Authentication Token" { return routing() }
        let wafBlocked = record.wafResponseCode?.uppercased() == "WAF_BLOCK" || record.wafStatus == 403
        if wafBlocked { return decide(.wafBlocked) }
        if record.accessDeniedKind != nil { return denial(c, access: record) }
        if record.isCognitoTokenMessage || message == "Unauthorized" || (record.status == 401 && type == nil && !c.has(.methodCompleted)) {
            return unauthorized(c, access: record)
        }
        switch message {
        case "Too Many Requests": return decide(.throttled, c.cite(c.lines(.apiKeyThrottled) + c.lines(.stageThrottled)))
        case "Limit Exceeded": return decide(.quotaExceeded, c.cite(c.lines(.apiKeyQuotaExceeded)))
        case "Endpoint request timed out": return decide(.integrationTimeout, c.cite(c.lines(.timeoutError)))
        case "Invalid request body": return decide(.requestValidationFailed, c.cite(c.lines(.requestBodyInvalid)))
        default: break
        }
        if message.hasPrefix("Missing required request parameters") { return decide(.requestValidationFailed) }
        if message == "Forbidden" {
            if c.has(.apiKeyNotAuthorized) { return decide(.apiKeyInvalid, c.cite(c.lines(.apiKeyNotAuthorized))) }
            if c.facts.apiKey == nil, !c.has(.methodCompleted) {
                return decide(.unexplainedRejection, [c.note(about: nil, "403 Forbidden without WAF or API-key evidence: either AWS WAF or an API key check refused it")])
            }
        }
        // Anything else: let the execution log decide, with the access record as supporting evidence.
        if !c.lifecycle.lines.isEmpty {
            var decision = fromExecutionLog(c)
            decision.evidence += accessEvidence
            return decision
        }
        if let status = record.status {
            if (200..<400).contains(status) { return decide(.ok) }
            if let integrationStatus = record.integrationStatus, integrationStatus >= 400 {
                return decide(.backendError)
            }
            if status == 429 { return decide(.throttled) }
            if status == 401 { return unauthorized(c, access: record) }
            if status == 403 { return decide(.unexplainedRejection) }
            if status >= 500, record.integrationErrorMessage != nil { return decide(.integrationConfigError) }
        }
        return decide(.unknown)
    }

    // MARK: Execution-log rules (log-formats.md §10.4 order)

    private func fromExecutionLog(_ c: Context) -> Decision {
        let throttles = c.lines(.apiKeyThrottled) + c.lines(.stageThrottled)
        if !throttles.isEmpty { return Decision(cause: .throttled, evidence: c.cite(throttles) + c.cite(c.lines(.methodCompleted))) }
        if let quota = c.first(.apiKeyQuotaExceeded) { return Decision(cause: .quotaExceeded, evidence: c.cite(quota) + c.cite(c.lines(.methodCompleted))) }
        if let refusal = c.first(.apiKeyNotAuthorized) {
            return Decision(cause: .apiKeyInvalid, evidence: c.cite(c.first(.usagePlanVerifying)) + c.cite(refusal))
        }
        if c.has(.unauthorizedRequest) || c.has(.bareUnauthorized) { return unauthorized(c, access: nil) }
        if let decision = authorizerError(c) { return decision }
        if c.has(.clientNotAuthorized) || c.has(.accessDeniedMessage) { return denial(c, access: nil) }
        if let decision = integration(c) { return decision }
        let validation = c.lines(.requestBodyInvalid) + c.lines(.requestParametersInvalid)
        if !validation.isEmpty { return Decision(cause: .requestValidationFailed, evidence: c.cite(validation + c.lines(.methodCompleted))) }
        if let completed = c.lastLine(.methodCompleted), let status = c.completedStatus(completed) {
            if status < 400 { return Decision(cause: .ok, evidence: c.cite(completed)) }
            if c.has(.executionSucceeded) {
                return Decision(cause: .backendError, evidence: c.cite(c.first(.executionSucceeded)) + c.cite(completed)
                                + c.cite(c.lines(.endpointResponseBody).suffix(1)))
            }
            if status == 429 { return Decision(cause: .throttled, evidence: c.cite(completed)) }
            if status == 401 || status == 403 { return Decision(cause: .unexplainedRejection, evidence: c.cite(completed)) }
            return Decision(cause: .unknown, evidence: c.cite(completed))
        }
        if c.has(.methodCompleted) {
            return Decision(cause: .unknown, evidence: c.cite(c.lines(.methodCompleted)))
        }
        let envelopeOnly = !c.lifecycle.lines.isEmpty && c.lifecycle.lines.allSatisfy {
            $0.kind == .extendedRequestId || $0.kind.isTrailer
        }
        if envelopeOnly {
            return Decision(cause: .unexplainedRejection, evidence: c.cite(c.lifecycle.lines)
                            + [c.note(about: c.lifecycle.lines.first, "only the envelope was logged: the gateway refused the request before any logged step (WAF or API key when the method needs one)")])
        }
        let pipelineStarted = c.lifecycle.lines.contains { $0.kind != .unrecognized && !$0.kind.isTrailer }
        if pipelineStarted {
            let last = c.lifecycle.lines.last { $0.kind != .unrecognized }
            return Decision(cause: .incomplete, evidence: c.cite(last) + [c.note(about: last, "the request's lines end here, before any verdict line")])
        }
        return Decision(cause: .unknown, evidence: c.cite(Array(c.lifecycle.lines.prefix(5))))
    }

    private func unauthorized(_ c: Context, access: AccessLogRecord?) -> Decision {
        let accessEvidence = access == nil ? [] : c.citeAccess()
        let lambdaLines = c.lifecycle.lines.enumerated().filter { index, line in
            [.endpointRequestURI, .endpointRequestHeaders, .endpointRequestBody, .sendingRequest, .authorizerResultBody].contains(line.kind)
                && c.facts.phases[index] == .authorizer
        }.map(\.element)
        let start = c.first(.authorizerStart)
        let refusal = c.first(.unauthorizedRequest) ?? c.first(.bareUnauthorized)
        if refusal != nil || start != nil {
            if c.facts.authorizerLambdaCalled {
                return Decision(cause: .authorizerUnauthorized,
                                evidence: c.cite(start) + c.cite(lambdaLines.last) + c.cite(refusal)
                                + [c.note(about: refusal, "the authorizer Lambda was called and answered Unauthorized")] + accessEvidence)
            }
            return Decision(cause: .authorizerIdentityMissing,
                            evidence: c.cite(start) + c.cite(refusal)
                            + [c.note(about: refusal, "no authorizer Lambda call was logged: the identity source was missing or failed validation")] + accessEvidence)
        }
        if let access, access.isCognitoTokenMessage || access.hasCognitoClaims || access.authenticateError != nil {
            return Decision(cause: .cognitoUnauthorized, evidence: accessEvidence)
        }
        return Decision(cause: .authorizerUnauthorized, evidence: accessEvidence)
    }

    /// Authorizer-specific failure texts anywhere, or any configuration error inside the authorizer block.
    private func authorizerError(_ c: Context) -> Decision? {
        guard c.hasAny(.configurationError, .authorizerConfigurationException, .gatewayResponseType) else { return nil }
        let specific = ["Authorizer error", "Could not parse policy", "Invalid JSON in response",
                        "does not have permission to assume the provided role"]
        var decisive: [LifecycleLine] = []
        for (index, line) in c.lifecycle.lines.enumerated() {
            switch line.kind {
            case .configurationError:
                if specific.contains(where: { c.text(line, contains: $0) }) || c.facts.phases[index] == .authorizer { decisive.append(line) }
            case .authorizerConfigurationException:
                decisive.append(line)
            case .gatewayResponseType:
                if c.text(line, contains: "AUTHORIZER_") { decisive.append(line) }
            default:
                break
            }
        }
        guard !decisive.isEmpty else { return nil }
        return Decision(cause: .authorizerError,
                        evidence: c.cite(c.first(.authorizerStart)) + c.cite(c.facts.authorizerResultLine) + c.cite(decisive))
    }

    /// ACCESS_DENIED: which policy refused, from the logged authorizer policy, the cache, or the denial text.
    private func denial(_ c: Context, access: AccessLogRecord?) -> Decision {
        let deniedLines = c.lines(.clientNotAuthorized) + c.lines(.accessDeniedMessage)
        let accessEvidence = access == nil ? [] : c.citeAccess()
        let denialEvidence = c.cite(deniedLines) + accessEvidence

        // 1. The authorizer ran and its policy was logged: re-evaluate it.
        if let resultLine = c.facts.authorizerResultLine {
            let parsed = parsePolicy(c.authorizerResultText ?? c.text(resultLine))
            guard case .policy(let policy) = parsed else {
                let reason: String
                switch parsed {
                case .truncated: reason = "the logged policy was cut off ([TRUNCATED]); its decision cannot be evaluated"
                case .null: reason = "the authorizer returned null instead of a policy"
                case .lambdaError: reason = "the authorizer returned an error object instead of a policy"
                case .unparsable(let why): reason = "the logged policy cannot be read: \(why)"
                case .policy: reason = ""
                }
                return Decision(cause: .authorizerPolicyUndetermined,
                                evidence: c.cite(resultLine) + [c.note(about: resultLine, reason)] + denialEvidence)
            }
            guard let arn = methodARN(c) else {
                return Decision(cause: .authorizerPolicyUndetermined,
                                evidence: c.cite(resultLine) + [c.note(about: resultLine, "the request's method ARN is not in the logs, so the policy cannot be evaluated")] + denialEvidence)
            }
            let decision = PolicyEvaluator.evaluate(policy, method: arn)
            let note = EvidenceRef.policyNote(resultLine, decision, arn)
            switch decision {
            case .explicitDeny:
                return Decision(cause: .authorizerExplicitDeny, evidence: c.cite(resultLine) + [note] + denialEvidence)
            case .implicitDeny:
                return Decision(cause: .authorizerImplicitDeny, evidence: c.cite(resultLine) + [note] + denialEvidence)
            case .allow:
                return Decision(cause: .resourcePolicyDeny,
                                evidence: c.cite(resultLine) + [note, c.note(about: deniedLines.first ?? resultLine, "the authorizer allowed, so the resource policy denied (phase 2)")] + denialEvidence)
            }
        }

        // 2. The denial text names the caller.
        var deniedKind: AccessDeniedMessage?
        for line in c.lines(.accessDeniedMessage) {
            if case .accessDeniedMessage(let message) = c.event(line) { deniedKind = message; break }
        }
        let accessKind = access?.accessDeniedKind
        let anonymous = deniedKind?.principalKind == .anonymous || { if case .anonymous? = accessKind { return true }; return false }()
        let iamCaller = deniedKind?.principalKind == .arn || { if case .iamCaller? = accessKind { return true }; return false }()
        let explicit = deniedKind?.isExplicitDeny == true || {
            switch accessKind {
            case .anonymous(let e)?: return e
            case .iamCaller(_, let e)?: return e
            case .authorizer(let e)?: return e
            default: return false
            }
        }()
        if anonymous {
            return Decision(cause: explicit ? .resourcePolicyExplicitDeny : .resourcePolicyImplicitDeny, evidence: denialEvidence, principal: "anonymous")
        }
        if iamCaller {
            var caller = deniedKind?.callerArn
            if caller == nil, case .iamCaller(let arn, _)? = accessKind { caller = arn }
            return Decision(cause: .iamDenied, evidence: denialEvidence, principal: caller)
        }

        // 3. No authorizer call: the authorizer cache may have answered with an earlier, narrower policy.
        if !c.facts.authorizerLambdaCalled, let decision = cachedPolicyMismatch(c, denialEvidence: denialEvidence) {
            return decision
        }
        if deniedKind?.principalKind == .unnamed || { if case .authorizer? = accessKind { return true }; return false }() {
            return Decision(cause: explicit ? .authorizerExplicitDeny : .authorizerImplicitDeny, evidence: denialEvidence)
        }
        // 4. Nothing tells which policy: the resource policy.
        return Decision(cause: .resourcePolicyDeny, evidence: c.cite(c.first(.authorizerStart)) + c.cite(c.first(.authorizerPolicyPrincipal)) + denialEvidence)
    }

    private func cachedPolicyMismatch(_ c: Context, denialEvidence: [EvidenceRef]) -> Decision? {
        let identities = identities(of: c)
        guard !identities.isEmpty else { return nil }
        guard let entry = cacheLookup(c, identities: identities) else { return nil }
        guard let arn = methodARN(c, fallbackRegion: entry.region, fallbackAccount: entry.account) else { return nil }
        guard case .policy(let cachedPolicy) = parsePolicy(entry.policyText) else { return nil }
        let decision = PolicyEvaluator.evaluate(cachedPolicy, method: arn)
        guard !decision.isAllowed else { return nil }
        let note = Evidence(source: entry.source,
                            text: "→ cached policy from request \(entry.requestId) at \(Timestamp.iso8601(entry.time)) (principal \(entry.principalId ?? "?")): \(decision.explanation) — this request's method ARN \(arn.arn)")
        let policy = Evidence(source: entry.source, text: c.redact ? Redactor.redact(entry.policyText) : entry.policyText)
        return Decision(cause: .authorizerCachedPolicyMismatch, evidence: [.built(policy), .built(note)] + denialEvidence,
                        principal: entry.principalId ?? c.facts.policyPrincipal)
    }

    private func cacheLookup(_ c: Context, identities: [String]) -> AuthorizerPolicyCache.Entry? {
        cache.lookup(apiId: c.facts.apiId, stage: c.facts.stage, identities: identities,
                     authorizerId: c.facts.authorizerId, at: c.facts.startTime)
    }

    private func identities(of c: Context) -> [String] {
        var identities: [String] = []
        if let tail = AuthorizerPolicyCache.identityTail(c.facts.policyPrincipal) { identities.append("p:" + tail) }
        for record in c.facts.access {
            if let tail = AuthorizerPolicyCache.identityTail(record.principalId) { identities.append("p:" + tail) }
        }
        if let tail = AuthorizerPolicyCache.identityTail(c.facts.incomingIdentity) { identities.append("t:" + tail) }
        return identities
    }

    private func methodARN(_ c: Context, fallbackRegion: String? = nil, fallbackAccount: String? = nil) -> MethodARN? {
        let known = c.facts.apiId.flatMap { apiLocation[$0] }
        if let arn = c.facts.methodARN(defaultRegion: known?.region ?? fallbackRegion, defaultAccount: known?.account ?? fallbackAccount) {
            return arn
        }
        return nil
    }

    /// Integration failures, by DESIGN.md precedence: throttled > timeout > function error > malformed > permission > config.
    private func integration(_ c: Context) -> Decision? {
        // Every integration cause needs one of these lines; a throttled Lambda's response headers only count with one.
        guard c.hasAny(.lambdaInvocationFailed, .timeoutError, .lambdaFunctionError, .configurationError) else {
            return nil
        }
        var throttled: [LifecycleLine] = [], timeout: [LifecycleLine] = [], function: [LifecycleLine] = []
        var malformed: [LifecycleLine] = [], permission: [LifecycleLine] = [], config: [LifecycleLine] = []
        for (index, line) in c.lifecycle.lines.enumerated() {
            switch line.kind {
            case .lambdaInvocationFailed:
                if case .lambdaInvocationFailed(let status, _) = c.event(line), status == 429 { throttled.append(line) } else { config.append(line) }
            case .endpointResponseHeaders:
                if c.lifecycle.scanValue(of: line, after: "x-amzn-ErrorType=", until: [0x2C, 0x7D, 0x20, 0x3A]) == "TooManyRequestsException" {
                    throttled.append(line)
                }
            case .timeoutError:
                timeout.append(line)
            case .lambdaFunctionError:
                function.append(line)
            case .configurationError where c.facts.phases[index] != .authorizer:
                if c.text(line, contains: "Rate Exceeded") { throttled.append(line) }
                else if c.text(line, contains: "Malformed Lambda proxy response") { malformed.append(line) }
                else if c.text(line, contains: "Invalid permissions on Lambda function") { permission.append(line) }
                else { config.append(line) }
            default:
                break
            }
        }
        let completed = c.lines(.methodCompleted)
        let ranked: [(Cause, [LifecycleLine])] = [
            (.integrationThrottled, throttled), (.integrationTimeout, timeout), (.integrationFunctionError, function),
            (.integrationMalformedResponse, malformed), (.integrationPermissionError, permission), (.integrationConfigError, config),
        ]
        guard let (cause, lines) = ranked.first(where: { !$0.1.isEmpty }) else { return nil }
        let others = ranked.filter { $0.0 != cause }.flatMap(\.1)
        return Decision(cause: cause, evidence: c.cite(lines) + c.cite(others) + c.cite(completed))
    }

    // MARK: Cache bookkeeping

    private func rememberPolicy(_ c: Context, decision: inout Decision) {
        guard let line = c.facts.authorizerResultLine, let text = c.authorizerResultText, let time = c.facts.startTime else { return }
        let principalId = c.policyPrincipalId
        var identities: [String] = []
        if let tail = AuthorizerPolicyCache.identityTail(principalId) { identities.append("p:" + tail) }
        if let tail = AuthorizerPolicyCache.identityTail(c.facts.policyPrincipal) { identities.append("p:" + tail) }
        if let tail = AuthorizerPolicyCache.identityTail(c.facts.incomingIdentity) { identities.append("t:" + tail) }
        guard !identities.isEmpty else { return }
        // Only the region and account of this request's method ARN serve a later request; read just those.
        let location = c.facts.methodArn.flatMap { MethodARN.regionAndAccount(parsing: $0) }
            ?? methodARN(c).map { ($0.region, $0.account) }
        let entry = AuthorizerPolicyCache.Entry(
            requestId: c.lifecycle.requestId, time: time, authorizerId: c.facts.authorizerId, principalId: principalId,
            region: location?.region, account: location?.account, location: c.files.source(of: line), policyText: text)
        cache.remember(entry, apiId: c.facts.apiId, stage: c.facts.stage, identities: identities)
    }
}
