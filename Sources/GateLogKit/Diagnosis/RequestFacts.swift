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
        self = Self.read(lifecycle)
    }

    private init(requestId: String) {
        self.requestId = requestId
    }

    /// The facts of `lifecycle`, built in a local the result is moved from (built in `init`'s own `self`, they would
    /// be copied out, every field retained and released).
    private static func read(_ lifecycle: RequestLifecycle) -> RequestFacts {
        var facts = RequestFacts(requestId: lifecycle.requestId)
        facts.isTestInvoke = (!lifecycle.key.isUUID && lifecycle.requestId.hasPrefix("test-")) || lifecycle.origin?.isConsoleTestInvoke == true
        if let group = lifecycle.origin?.logGroup, let parsed = Self.executionLogGroup(group) {
            facts.apiId = parsed.apiId
            facts.stage = parsed.stage
        }
        facts.absorbLines(of: lifecycle)
        facts.absorb(access: lifecycle.accessLogRecords)
        return facts
    }

    /// The access-log records, after the lines: they fill in what the lines did not state.
    private mutating func absorb(access records: [AccessLogRecord]) {
        for record in records {
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

    /// One pass over the lines, with the lines and their text borrowed once for the whole request.
    private mutating func absorbLines(of lifecycle: RequestLifecycle) {
        lifecycle.lines.withUnsafeBufferPointer { lines in
            lifecycle.arena.withUnsafeBytes { arena in absorb(lines: lines, arena: arena) }
        }
    }

    /// Phases, times and the values of every line, in order. A value is read (and made a `String`) only when a line
    /// can still change it: most are kept from the first line that states them.
    private mutating func absorb(lines: UnsafeBufferPointer<LifecycleLine>, arena: UnsafeRawBufferPointer) {
        var phases: [Phase] = []
        phases.reserveCapacity(lines.count)
        var tracker = Phase.Tracker()
        var earliest: Int64?
        var latest: Int64?
        for line in lines {
            let phase = tracker.phase(of: line.kind)
            phases.append(phase)
            if let time = line.timestamp {
                if let first = earliest, first <= time {} else { earliest = time }
                if let last = latest, last >= time {} else { latest = time }
            }
            let text = UnsafeRawBufferPointer(rebasing: arena[Int(line.textStart)..<Int(line.textEnd)])
            switch line.kind {
            case .endpointRequestURI, .sendingRequest:
                // Only whether the authorizer Lambda was called matters; the region comes from ARNs elsewhere, or
                // from the function ARN in the URI when nothing else names it.
                if phase == .authorizer { authorizerLambdaCalled = true }
                if region == nil, let value = Self.value(in: text, after: "arn:aws:lambda:", until: 0x3A) {
                    region = Self.string(text, value)
                }
            case .endpointRequestHeaders:
                absorbHeaders(text, phase: phase)
            case .endpointRequestBody:
                if phase == .authorizer { authorizerLambdaCalled = true }
                if methodArn == nil, let value = Self.methodArnRange(in: text) {
                    absorb(methodArn: UnsafeRawBufferPointer(rebasing: text[value]))
                }
            case .methodCompleted:
                if let value = Self.value(in: text, after: "status: ", until: 0x20),
                   let code = Self.integer(UnsafeRawBufferPointer(rebasing: text[value])) {
                    status = code
                }
            case .extendedRequestId:
                if extendedRequestId == nil, let value = Self.value(in: text, after: "Extended Request Id: ", until: 0x20) {
                    extendedRequestId = Self.string(text, value)
                }
            case .authorizerStart:
                authorizerStarted = true
                if authorizerId == nil, let value = Self.value(in: text, after: "Starting authorizer: ", until: 0x20) {
                    authorizerId = Self.string(text, value)
                }
            case .receivedResponse:
                if let value = Self.value(in: text, after: "Integration latency: ", until: 0x20),
                   let latency = Self.integer(UnsafeRawBufferPointer(rebasing: text[value])) {
                    integrationLatencyMs = latency
                }
            case .incomingIdentity, .authorizerPolicyPrincipal, .usagePlanVerifying, .apiKeyNotRequired,
                 .httpMethodResourcePath, .apiKeyThrottled, .stageThrottled, .usagePlanSucceeded:
                absorbShortLine(line.kind, text, phase: phase)
            case .apiKeyNotAuthorized, .apiKeyQuotaExceeded,
                 .gatewayResponseType,
                 .accessDeniedMessage:
                absorb(Event.parse(kind: line.kind, text: String(decoding: text, as: UTF8.self)), phase: phase)
            case .authorizerResultBody:
                authorizerLambdaCalled = true
                if authorizerResultLine == nil { authorizerResultLine = line }
            case .authorizerCompleted:
                authorizerCompleted = true
            default:
                break
            }
        }
        self.phases = phases
        startTime = earliest
        endTime = latest
    }

    /// A B2, B8, D1, D2, D3, D5, D6 or E2 line, present on most requests: read from the bytes, `Event.parse` only for
    /// lines in an unusual shape. Skipped when every value the line could give is known already.
    private mutating func absorbShortLine(_ kind: MessageKind, _ text: UnsafeRawBufferPointer, phase: Phase) {
        switch kind {
        case .incomingIdentity:
            guard incomingIdentity == nil else { return }
        case .authorizerPolicyPrincipal:
            guard policyPrincipal == nil else { return }
        case .usagePlanVerifying, .usagePlanSucceeded:
            guard apiId == nil || stage == nil || apiKey == nil else { return }
        case .apiKeyNotRequired:
            guard apiId == nil || stage == nil || apiKey == nil || configuredMethod == nil || resource == nil else { return }
        case .apiKeyThrottled, .stageThrottled:
            guard apiId == nil || stage == nil || apiKey == nil || httpMethod == nil else { return }
        default:
            break
        }
        if let scan = ShortLineScan(text), absorb(kind, scan) { return }
        absorb(Event.parse(kind: kind, text: String(decoding: text, as: UTF8.self)), phase: phase)
    }

    /// Takes the values of a short line as `absorb(Event.parse(…))` would; false when the line is left to
    /// `Event.parse` (an unusual shape).
    private mutating func absorb(_ kind: MessageKind, _ scan: ShortLineScan) -> Bool {
        switch kind {
        case .incomingIdentity:
            guard let value = scan.incomingIdentityValue() else { return false }
            if incomingIdentity == nil { incomingIdentity = scan.normalizedAll(value) }
        case .authorizerPolicyPrincipal:
            guard let value = scan.policyPrincipalValue() else { return false }
            if policyPrincipal == nil, !value.isEmpty { policyPrincipal = scan.normalized(value) }
        case .usagePlanVerifying:
            fill(scan.usagePlanVerifyingFields(), of: scan)
        case .apiKeyNotRequired:
            guard let fields = scan.methodCheckFields(verdict: "authorized because method '") else { return false }
            fill(fields, of: scan, methodIsConfigured: true)
        case .httpMethodResourcePath:
            let values = scan.httpMethodResourcePathValues()
            if let verb = values.verb { httpMethod = scan.string(verb) }
            if let path = values.path { self.path = scan.string(path) }
        case .usagePlanSucceeded:
            fill(scan.usagePlanSucceededFields(), of: scan)
        case .apiKeyThrottled, .stageThrottled:
            fill(scan.throttleFields(keyed: kind == .apiKeyThrottled), of: scan)
        default:
            return false
        }
        return true
    }

    /// The values of a usage-plan or throttle line, each kept only when not known yet. The method a D2 line quotes
    /// is the configured one; a throttle line names the verb.
    private mutating func fill(_ fields: ShortLineScan.Fields, of scan: ShortLineScan, methodIsConfigured: Bool = false) {
        if apiKey == nil, let key = fields.apiKey { apiKey = scan.normalized(key) }
        if apiId == nil, let api = fields.apiId { apiId = scan.string(api) }
        if stage == nil, let name = fields.stage { stage = scan.string(name) }
        if let method = fields.httpMethod {
            if methodIsConfigured {
                if configuredMethod == nil { configuredMethod = scan.string(method) }
            } else if httpMethod == nil {
                httpMethod = scan.string(method)
            }
        }
        if resource == nil, let template = fields.resource { resource = scan.string(template) }
    }

    /// B4/E10 `Endpoint request headers: {…}`. Header dumps are long: the values needed are read straight from the
    /// bytes. A resource template holds braces, so the source ARN ends at a comma or space; a `}` left over when the
    /// header is the last of the map is the map's own.
    private mutating func absorbHeaders(_ text: UnsafeRawBufferPointer, phase: Phase) {
        // Nothing left to learn from a header line.
        if authorizerLambdaCalled, region != nil, account != nil, authorizerId != nil, apiId != nil, stage != nil,
           configuredMethod != nil, resource != nil {
            return
        }
        var arn: Range<Int>?
        if let at = ByteSearch.firstIndex(of: Self.sourceArnKey, in: text, probing: 6) {
            let start = at + Self.sourceArnKey.count
            let comma = Self.index(of: 0x2C, in: text, from: start, to: text.count)
            var end = Self.index(of: 0x20, in: text, from: start, to: comma)
            if end > start {
                if text[end - 1] == 0x7D {
                    var opening = 0, closing = 0
                    for i in start..<end {
                        if text[i] == 0x7B { opening += 1 } else if text[i] == 0x7D { closing += 1 }
                    }
                    if closing > opening { end -= 1 }
                }
                arn = start..<end
            }
        }
        let isAuthorizerCall = arn.map { Self.isAuthorizerSourceArn(UnsafeRawBufferPointer(rebasing: text[$0])) } ?? false
        if phase == .authorizer || isAuthorizerCall { authorizerLambdaCalled = true }
        if apiId == nil, let at = ByteSearch.firstIndex(of: Self.apiIdHeaderKey, in: text) {
            let start = at + Self.apiIdHeaderKey.count
            var end = start
            while end < text.count, text[end] != 0x2C, text[end] != 0x7D, text[end] != 0x20 { end += 1 }
            if end > start { apiId = Self.string(text, start..<end) }
        }
        guard let arn else { return }
        let value = UnsafeRawBufferPointer(rebasing: text[arn])
        // Characters and bytes split alike on ASCII; anything else takes the String path.
        guard ShortLineScan.isASCII(value) else {
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
                if end > start { authorizerId = Self.string(value, start..<end) }
            }
        } else if apiId == nil || stage == nil || configuredMethod == nil || resource == nil, let cuts = MethodARN.cuts(value) {
            // `MethodARN(parsing:)`'s fields, made strings only when kept.
            if apiId == nil { apiId = Self.string(value, cuts[4] + 1..<cuts[5]) }
            if stage == nil { stage = Self.string(value, cuts[5] + 1..<cuts[6]) }
            if configuredMethod == nil { configuredMethod = Self.string(value, cuts[6] + 1..<cuts[7]) }
            if resource == nil { resource = "/" + Self.string(value, cuts[7] + 1..<value.count) }
        }
    }

    /// An authorizer event's `methodArn` (its text, from `methodArnRange`): kept, and its fields learned as
    /// `MethodARN(parsing:)` reads them.
    private mutating func absorb(methodArn value: UnsafeRawBufferPointer) {
        let arn = String(decoding: value, as: UTF8.self)
        guard ShortLineScan.isASCII(value) else {
            absorb(methodArn: arn)
            return
        }
        methodArn = arn
        guard let cuts = MethodARN.cuts(value) else { return }
        if apiId == nil { apiId = Self.string(value, cuts[4] + 1..<cuts[5]) }
        if stage == nil { stage = Self.string(value, cuts[5] + 1..<cuts[6]) }
        if httpMethod == nil { httpMethod = Self.string(value, cuts[6] + 1..<cuts[7]) }
        if region == nil { region = Self.string(value, cuts[2] + 1..<cuts[3]) }
        if account == nil { account = Self.string(value, cuts[3] + 1..<cuts[4]) }
    }

    /// `RequestLifecycle.scanValue` with one terminator: the range after the first `key` up to `terminator` or the
    /// end; nil when the key is absent or the value empty.
    @inline(__always)
    static func value(in text: UnsafeRawBufferPointer, after key: StaticString, until terminator: UInt8) -> Range<Int>? {
        let needle = bytes(key)
        // Most lines start with their key: a match at 0 is the first one.
        let atStart = text.count >= needle.count && memcmp(text.baseAddress!, needle.baseAddress!, needle.count) == 0
        guard let at = atStart ? 0 : ByteSearch.firstIndex(of: needle, in: text) else { return nil }
        let start = at + needle.count
        var end = start
        while end < text.count, text[end] != terminator { end += 1 }
        return end > start ? start..<end : nil
    }

    /// `Int(String(decoding: digits, as: UTF8.self))`: an optional sign, then decimal digits only; nil on overflow.
    static func integer(_ digits: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        var negative = false
        if i < digits.count, digits[i] == 0x2B || digits[i] == 0x2D {
            negative = digits[i] == 0x2D
            i += 1
        }
        guard i < digits.count else { return nil }
        var value = 0
        while i < digits.count {
            let digit = digits[i] &- 0x30
            guard digit < 10 else { return nil }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, carried) = negative ? shifted.subtractingReportingOverflow(Int(digit)) : shifted.addingReportingOverflow(Int(digit))
            guard !overflowed, !carried else { return nil }
            value = next
            i += 1
        }
        return value
    }

    @inline(__always)
    static func string(_ text: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: text[range]), as: UTF8.self)
    }

    /// The string value of the first `"methodArn"` key of an authorizer event:
    /// nil when the key is not followed by `:` and a string, or the string is empty, cut, or holds an escape.
    static func methodArnValue(in text: UnsafeRawBufferPointer) -> String? {
        methodArnRange(in: text).map { string(text, $0) }
    }

    /// `methodArnValue`'s range in `text`.
    static func methodArnRange(in text: UnsafeRawBufferPointer) -> Range<Int>? {
        let key = bytes("\"methodArn\"")
        guard let at = ByteSearch.firstIndex(of: key, in: text, probing: 7) else { return nil }
        var i = at + key.count
        while i < text.count, text[i] == 0x20 { i += 1 }
        guard i < text.count, text[i] == 0x3A else { return nil }
        i += 1
        while i < text.count, text[i] == 0x20 { i += 1 }
        guard i < text.count, text[i] == 0x22 else { return nil }
        let start = i + 1
        let end = index(of: 0x22, in: text, from: start, to: text.count)
        guard end < text.count, end > start, index(of: 0x5C, in: text, from: start, to: end) == end else { return nil }
        return start..<end
    }

    /// The first `byte` in `from..<to` of `text`, else `to`.
    @inline(__always)
    static func index(of byte: UInt8, in text: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard from < to, let base = text.baseAddress, let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return base.distance(to: UnsafeRawPointer(hit))
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
            i = index(of: 0x2F, in: arn, from: i, to: arn.count)
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
        var from = 0
        while found < 5 {
            let colon = Self.index(of: 0x3A, in: arn, from: from, to: arn.count)
            guard colon < arn.count else { break }
            cuts[found] = colon
            found += 1
            from = colon + 1
        }
        guard found >= 4, cuts[0] == 3, arn[0] == 0x61, arn[1] == 0x72, arn[2] == 0x6E else { return }
        let regionRange = cuts[2] + 1..<cuts[3]
        let accountRange = cuts[3] + 1..<cuts[4]
        if region == nil, !regionRange.isEmpty {
            region = String(decoding: UnsafeRawBufferPointer(rebasing: arn[regionRange]), as: UTF8.self)
        }
        if accountToo, account == nil, !accountRange.isEmpty,
           Self.index(of: 0x2A, in: arn, from: accountRange.lowerBound, to: accountRange.upperBound) == accountRange.upperBound {
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
