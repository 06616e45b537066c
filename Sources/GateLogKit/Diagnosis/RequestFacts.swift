#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a request's lines and access records say about it, extracted once (values of DESIGN.md §3 "Values").
/// Only lines the diagnosis needs are parsed into `Event`s.
public struct RequestFacts {
    public var requestId: String
    public var extendedRequestId: String?
    public var apiId: String?
    public var stage: String?
    /// The verb the client used.
    public var httpMethod: String?
    /// The configured method (`ANY` on an ANY method), when a line names it.
    public var configuredMethod: String?
    /// Resource template (`/pets/{id}`).
    public var resource: String?
    /// Concrete path without the stage prefix.
    public var path: String?
    public var region: String?
    public var account: String?
    /// Status stated by a line or access record.
    public var status: Int?
    public var authorizerId: String?
    /// The authorizer call's `methodArn`.
    public var methodArn: String?
    /// Normalized masked `Incoming identity`.
    public var incomingIdentity: String?
    /// Masked `Using valid authorizer policy for principal:` value.
    public var policyPrincipal: String?
    public var apiKey: String?
    public var integrationLatencyMs: Int?
    public var startTime: Int64?
    public var endTime: Int64?
    public var isTestInvoke = false

    // Authorizer block
    public var authorizerStarted = false
    /// The authorizer Lambda was called (its URI, headers, body, `Sending request`, or a result body were logged).
    public var authorizerLambdaCalled = false
    public var authorizerResultLine: LifecycleLine?
    public var authorizerCompleted = false

    /// The parsed access-log records of this request.
    public var access: [AccessLogRecord] = []

    public var phases: [Phase] = []

    /// Route as DESIGN.md defines it: configured method + template, else verb + path.
    public var route: String? {
        if let resource {
            return "\(configuredMethod ?? httpMethod ?? "ANY") \(resource)"
        }
        if let httpMethod, let path { return "\(httpMethod) \(path)" }
        return nil
    }

    /// The method ARN of this request, from its own authorizer call or rebuilt from region/account/api/stage/verb/path.
    public func methodARN(defaultRegion: String? = nil, defaultAccount: String? = nil) -> MethodARN? {
        if let methodArn, let parsed = MethodARN(parsing: methodArn) { return parsed }
        guard let region = region ?? defaultRegion, let account = account ?? defaultAccount,
              let apiId, let stage, let httpMethod, let path else { return nil }
        return MethodARN(region: region, account: account, apiId: apiId, stage: stage, verb: httpMethod, path: path)
    }

    public init(_ lifecycle: RequestLifecycle) {
        requestId = lifecycle.requestId
        isTestInvoke = (!lifecycle.key.isUUID && lifecycle.requestId.hasPrefix("test-")) || lifecycle.origin?.isConsoleTestInvoke == true
        phases = Phase.assign(lifecycle.lines)
        startTime = lifecycle.startTime
        endTime = lifecycle.endTime
        if let group = lifecycle.origin?.logGroup, let parsed = Self.executionLogGroup(group) {
            apiId = parsed.apiId
            stage = parsed.stage
        }
        for (index, line) in lifecycle.lines.enumerated() {
            let phase = phases[index]
            switch line.kind {
            case .endpointRequestURI, .sendingRequest:
                // Only whether the authorizer Lambda was called matters; the region comes from ARNs elsewhere, or
                // from the function ARN in the URI when nothing else names it.
                if phase == .authorizer { authorizerLambdaCalled = true }
                if region == nil, let function = lifecycle.scanValue(of: line, after: "arn:aws:lambda:", until: [0x3A]) {
                    region = function
                }
            case .endpointRequestHeaders:
                lifecycle.withText(of: line) { absorbHeaders($0, phase: phase) }
            case .endpointRequestBody:
                if phase == .authorizer { authorizerLambdaCalled = true }
                if methodArn == nil, let arn = lifecycle.withText(of: line, { Self.methodArnValue(in: $0) }) { absorb(methodArn: arn) }
            case .methodCompleted:
                if let code = lifecycle.scanValue(of: line, after: "status: ", until: [0x20]).flatMap({ Int($0) }) { status = code }
            case .extendedRequestId:
                if extendedRequestId == nil {
                    extendedRequestId = lifecycle.scanValue(of: line, after: "Extended Request Id: ", until: [0x20])
                }
            case .authorizerStart:
                authorizerStarted = true
                if authorizerId == nil { authorizerId = lifecycle.scanValue(of: line, after: "Starting authorizer: ", until: [0x20]) }
            case .receivedResponse:
                if let latency = lifecycle.scanValue(of: line, after: "Integration latency: ", until: [0x20]).flatMap({ Int($0) }) {
                    integrationLatencyMs = latency
                }
            case .incomingIdentity, .authorizerPolicyPrincipal, .usagePlanVerifying, .apiKeyNotRequired,
                 .httpMethodResourcePath, .apiKeyThrottled, .stageThrottled, .usagePlanSucceeded:
                // Present on most requests: read from the bytes, `Event.parse` only for lines in an unusual shape.
                if !absorbShortLine(line, of: lifecycle) {
                    absorb(Event.parse(kind: line.kind, text: lifecycle.text(of: line)), phase: phase)
                }
            case .apiKeyNotAuthorized, .apiKeyQuotaExceeded,
                 .gatewayResponseType,
                 .accessDeniedMessage:
                absorb(Event.parse(kind: line.kind, text: lifecycle.text(of: line)), phase: phase)
            case .authorizerResultBody:
                authorizerLambdaCalled = true
                if authorizerResultLine == nil { authorizerResultLine = line }
            case .authorizerCompleted:
                authorizerCompleted = true
            default:
                break
            }
        }
        for record in lifecycle.accessLogRecords {
            access.append(record)
            extendedRequestId = extendedRequestId ?? record.extendedRequestId
            apiId = apiId ?? record.apiId
            stage = stage ?? record.stage
            httpMethod = httpMethod ?? record.httpMethod
            if resource == nil, let template = record.resourcePath, template.hasPrefix("/") { resource = template }
            // `$context.path` starts with `/{stage}`; the stage may be known only from the log group.
            path = path ?? (record.stage == nil ? record.path.map { Self.stripStage($0, stage: stage) } : record.pathWithoutStage)
            status = status ?? record.status
            integrationLatencyMs = integrationLatencyMs ?? record.integrationLatency
            if startTime == nil { startTime = record.timestamp }
            if endTime == nil { endTime = record.timestamp }
        }
        if path == nil, let methodArn, let parsed = MethodARN(parsing: methodArn) { path = parsed.resourcePath }
    }

    /// Takes the values of a B2, B8, D1, D2, D3, D5, D6 or E2 line as `absorb(Event.parse(…))` would; false when the line is
    /// left to `Event.parse` (not plain ASCII, or an unusual shape).
    private mutating func absorbShortLine(_ line: LifecycleLine, of lifecycle: RequestLifecycle) -> Bool {
        lifecycle.withText(of: line) { text in
            guard let scan = ShortLineScan(text) else { return false }
            switch line.kind {
            case .incomingIdentity:
                guard let identity = scan.incomingIdentity() else { return false }
                incomingIdentity = incomingIdentity ?? identity
            case .authorizerPolicyPrincipal:
                guard let principal = scan.policyPrincipal() else { return false }
                policyPrincipal = policyPrincipal ?? principal
            case .usagePlanVerifying:
                let check = scan.usagePlanVerifying()
                apiId = apiId ?? check.apiId
                stage = stage ?? check.stage
                apiKey = apiKey ?? check.apiKey
            case .apiKeyNotRequired:
                guard let check = scan.methodCheck(verdict: "authorized because method '") else { return false }
                configuredMethod = configuredMethod ?? check.httpMethod
                resource = resource ?? check.resource
                apiId = apiId ?? check.apiId
                stage = stage ?? check.stage
                apiKey = apiKey ?? check.apiKey
            case .httpMethodResourcePath:
                let values = scan.httpMethodResourcePath()
                httpMethod = values.verb ?? httpMethod
                if let path = values.path { self.path = path }
            case .usagePlanSucceeded:
                let check = scan.usagePlanSucceeded()
                apiKey = apiKey ?? check.apiKey
                apiId = apiId ?? check.apiId
                stage = stage ?? check.stage
            case .apiKeyThrottled, .stageThrottled:
                let limit = scan.throttle(keyed: line.kind == .apiKeyThrottled)
                apiKey = apiKey ?? limit.apiKey
                apiId = apiId ?? limit.apiId
                stage = stage ?? limit.stage
                httpMethod = httpMethod ?? limit.httpMethod
            default:
                return false
            }
            return true
        }
    }

    /// B4/E10 `Endpoint request headers: {…}`. Header dumps are long: the values needed are read straight from the
    /// bytes. A resource template holds braces, so the source ARN ends at a comma or space; a `}` left over when the
    /// header is the last of the map is the map's own.
    private mutating func absorbHeaders(_ text: UnsafeRawBufferPointer, phase: Phase) {
        var arn: Range<Int>?
        if let at = Self.firstIndex(of: Self.sourceArnKey, in: text, probing: 6) {
            let start = at + Self.sourceArnKey.count
            var end = start
            while end < text.count, text[end] != 0x2C, text[end] != 0x20 { end += 1 }
            if end > start {
                var opening = 0, closing = 0
                for i in start..<end {
                    if text[i] == 0x7B { opening += 1 } else if text[i] == 0x7D { closing += 1 }
                }
                if text[end - 1] == 0x7D, closing > opening { end -= 1 }
                arn = start..<end
            }
        }
        let isAuthorizerCall = arn.map { Self.isAuthorizerSourceArn(UnsafeRawBufferPointer(rebasing: text[$0])) } ?? false
        if phase == .authorizer || isAuthorizerCall { authorizerLambdaCalled = true }
        if apiId == nil, let at = ByteSearch.firstIndex(of: Self.apiIdHeaderKey, in: text) {
            let start = at + Self.apiIdHeaderKey.count
            var end = start
            while end < text.count, text[end] != 0x2C, text[end] != 0x7D, text[end] != 0x20 { end += 1 }
            if end > start { apiId = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self) }
        }
        guard let arn else { return }
        let value = UnsafeRawBufferPointer(rebasing: text[arn])
        // Characters and bytes split alike on ASCII; anything else takes the String path.
        guard !value.contains(where: { $0 >= 0x80 }) else {
            absorb(sourceArn: String(decoding: value, as: UTF8.self), isAuthorizerCall: isAuthorizerCall)
            return
        }
        learnRegionAccount(fromARN: value, accountToo: true)
        if isAuthorizerCall {
            if authorizerId == nil {
                var end = value.count
                while end > 0, value[end - 1] == 0x2F { end -= 1 }
                var start = end
                while start > 0, value[start - 1] != 0x2F { start -= 1 }
                if end > start { authorizerId = String(decoding: UnsafeRawBufferPointer(rebasing: value[start..<end]), as: UTF8.self) }
            }
        } else if apiId == nil || stage == nil || configuredMethod == nil || resource == nil,
                  let parsed = MethodARN(parsing: String(decoding: value, as: UTF8.self)) {
            apiId = apiId ?? parsed.apiId
            stage = stage ?? parsed.stage
            configuredMethod = configuredMethod ?? parsed.verb
            resource = resource ?? parsed.resourcePath
        }
    }

    /// `ByteSearch.firstIndex`, but `memchr` looks for the needle's byte at `probe` (one rarer in the haystack than
    /// its first, e.g. not the `"` of a JSON key); the first occurrence all the same.
    static func firstIndex(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer, probing probe: Int) -> Int? {
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        let byte = Int32(needle[probe])
        let lastStart = haystack.count - needle.count
        var start = 0
        while start <= lastStart {
            guard let hit = memchr(base + start + probe, byte, lastStart - start + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit)) - probe
            if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
            start = at + 1
        }
        return nil
    }

    /// The string value of the first `"methodArn"` key of an authorizer event (`RequestLifecycle.scanJSONString`):
    /// nil when the key is not followed by `:` and a string, or the string is empty, cut, or holds an escape.
    static func methodArnValue(in text: UnsafeRawBufferPointer) -> String? {
        let key = bytes("\"methodArn\"")
        guard let at = firstIndex(of: key, in: text, probing: 7) else { return nil }
        var i = at + key.count
        while i < text.count, text[i] == 0x20 { i += 1 }
        guard i < text.count, text[i] == 0x3A else { return nil }
        i += 1
        while i < text.count, text[i] == 0x20 { i += 1 }
        guard i < text.count, text[i] == 0x22 else { return nil }
        let start = i + 1
        var end = start
        while end < text.count, text[end] != 0x22 {
            if text[end] == 0x5C { return nil }
            end += 1
        }
        guard end < text.count, end > start else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
    }

    private static var sourceArnKey: UnsafeRawBufferPointer { bytes("X-Amz-Source-Arn=") }
    private static var apiIdHeaderKey: UnsafeRawBufferPointer { bytes("x-amzn-apigateway-api-id=") }

    @inline(__always)
    private static func bytes(_ literal: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// `…:{apiId}/authorizers/{authorizerId}`, the call to a Lambda authorizer rather than to the integration: three
    /// non-empty `/`-separated parts, the middle one `authorizers`.
    static func isAuthorizerSourceArn(_ arn: UnsafeRawBufferPointer) -> Bool {
        var parts = 0
        var i = 0
        var isAuthorizers = false
        while i < arn.count {
            if arn[i] == 0x2F { i += 1; continue }
            let start = i
            while i < arn.count, arn[i] != 0x2F { i += 1 }
            parts += 1
            if parts == 2 {
                let word: StaticString = "authorizers"
                isAuthorizers = i - start == word.utf8CodeUnitCount
                    && memcmp(arn.baseAddress! + start, word.utf8Start, word.utf8CodeUnitCount) == 0
            }
            if parts > 3 { return false }
        }
        return parts == 3 && isAuthorizers
    }


    private mutating func absorb(sourceArn source: String, isAuthorizerCall: Bool) {
        learnRegionAccount(fromARN: source, accountToo: true)
        if isAuthorizerCall {
            if authorizerId == nil, let id = source.split(separator: "/").last {
                authorizerId = String(id)
            }
        } else if let arn = MethodARN(parsing: source) {
            apiId = apiId ?? arn.apiId
            stage = stage ?? arn.stage
            configuredMethod = configuredMethod ?? arn.verb
            resource = resource ?? arn.resourcePath
        }
    }

    private mutating func absorb(methodArn arn: String) {
        methodArn = arn
        if let parsed = MethodARN(parsing: arn) {
            apiId = apiId ?? parsed.apiId
            stage = stage ?? parsed.stage
            httpMethod = httpMethod ?? parsed.verb
            region = region ?? parsed.region
            account = account ?? parsed.account
        }
    }

    /// Facts from the lines read through `Event.parse` (rare kinds, and short lines in an unusual shape).
    private mutating func absorb(_ event: Event, phase: Phase) {
        switch event {
        case .incomingIdentity(let masked):
            incomingIdentity = incomingIdentity ?? masked.normalized
        case .authorizerPolicyPrincipal(let principal):
            policyPrincipal = policyPrincipal ?? principal
        case .usagePlanVerifying(let check):
            apiId = apiId ?? check.apiId
            stage = stage ?? check.stage
            apiKey = apiKey ?? check.apiKey
        case .apiKeyNotRequired(let check), .apiKeyNotAuthorized(let check):
            configuredMethod = configuredMethod ?? check.httpMethod
            resource = resource ?? check.resource
            apiId = apiId ?? check.apiId
            stage = stage ?? check.stage
            apiKey = apiKey ?? check.apiKey
        case .usagePlanSucceeded(let key, let api, let stageName):
            apiKey = apiKey ?? key
            apiId = apiId ?? api
            stage = stage ?? stageName
        case .apiKeyThrottled(let limit), .stageThrottled(let limit):
            apiKey = apiKey ?? limit.apiKey
            apiId = apiId ?? limit.apiId
            stage = stage ?? limit.stage
            httpMethod = httpMethod ?? limit.httpMethod
        case .apiKeyQuotaExceeded(let quota):
            apiKey = apiKey ?? quota.apiKey
            apiId = apiId ?? quota.apiId
            stage = stage ?? quota.stage
        case .httpMethodResourcePath(let verb, let requestPath):
            httpMethod = verb ?? httpMethod
            if let requestPath { path = requestPath }
        case .gatewayResponseType(_, let code):
            status = status ?? code
        case .accessDeniedMessage(let message):
            if let resource = message.resourceArn, let parsed = MethodARN(parsing: resource) {
                apiId = apiId ?? parsed.apiId
                stage = stage ?? parsed.stage
                httpMethod = httpMethod ?? parsed.verb
                path = path ?? parsed.resourcePath
                region = region ?? parsed.region
                if !parsed.account.contains("*") { account = account ?? parsed.account }
            }
        default:
            break
        }
    }

    /// `learnRegionAccount` on the bytes of an ASCII ARN.
    private mutating func learnRegionAccount(fromARN arn: UnsafeRawBufferPointer, accountToo: Bool) {
        guard region == nil || (accountToo && account == nil) else { return }
        // The first five colons cut the ARN; the fifth field runs to the sixth colon or the end.
        var cuts = InlineArray<5, Int>(repeating: arn.count)
        var found = 0
        for i in 0..<arn.count where arn[i] == 0x3A {
            cuts[found] = i
            found += 1
            if found == 5 { break }
        }
        guard found >= 4, cuts[0] == 3, arn[0] == 0x61, arn[1] == 0x72, arn[2] == 0x6E else { return }
        let regionRange = cuts[2] + 1..<cuts[3]
        let accountRange = cuts[3] + 1..<cuts[4]
        if region == nil, !regionRange.isEmpty {
            region = String(decoding: UnsafeRawBufferPointer(rebasing: arn[regionRange]), as: UTF8.self)
        }
        if accountToo, account == nil, !accountRange.isEmpty, !arn[accountRange].contains(0x2A) {
            account = String(decoding: UnsafeRawBufferPointer(rebasing: arn[accountRange]), as: UTF8.self)
        }
    }

    private mutating func learnRegionAccount(fromARN arn: String, accountToo: Bool) {
        guard region == nil || (accountToo && account == nil) else { return }
        let parts = arn.utf8.split(separator: 0x3A, maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0].elementsEqual("arn".utf8) else { return }
        if region == nil, !parts[3].isEmpty { region = String(Substring(parts[3])) }
        if accountToo, account == nil, !parts[4].isEmpty, !parts[4].contains(0x2A) { account = String(Substring(parts[4])) }
    }

    /// `API-Gateway-Execution-Logs_{apiId}/{stage}` → (apiId, stage); also `account:group` as in Insights `@log`.
    public static func executionLogGroup(_ group: String) -> (apiId: String, stage: String)? {
        let marker = "API-Gateway-Execution-Logs_"
        guard let range = group.range(of: marker) else { return nil }
        let rest = group[range.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let api = rest[..<slash]
        let stage = rest[rest.index(after: slash)...].prefix { $0 != "/" }
        guard !api.isEmpty, !stage.isEmpty else { return nil }
        return (String(api), String(stage))
    }

    /// A leading `/{stage}` is dropped when the path carries it (access-log `$context.path`).
    static func stripStage(_ path: String, stage: String?) -> String {
        guard let stage, path.hasPrefix("/\(stage)/") || path == "/\(stage)" else { return path }
        let rest = path.dropFirst(stage.count + 1)
        return rest.isEmpty ? "/" : String(rest)
    }
}
