#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level readers for the short lines `RequestFacts` reads on nearly every request (B2 `Incoming identity`,
/// B8 `Using valid authorizer policy for principal`, D1 `Verifying Usage Plan`, D2 `API Key … authorized because
/// method '…'`, E2 `HTTP Method: …, Resource Path: …`). Each reader yields exactly the values `Event.parse` would, read
/// straight from the line's bytes without building the line as a `String`. A reader returns nil when the line is not
/// plain ASCII (or not in the shape it handles); the caller then uses `Event.parse`, so values never differ.
struct ShortLineScan {
    let text: UnsafeRawBufferPointer
    /// The line as `Event.parse` sees it: blanks trimmed at both ends and a trailing ` [TRUNCATED]` removed.
    let line: Range<Int>

    /// Nil when the text holds a non-ASCII byte (character and byte positions could then differ).
    init?(_ text: UnsafeRawBufferPointer) {
        guard Self.isASCII(text) else { return nil }
        self.text = text
        var start = 0, end = text.count
        while start < end, Self.isBlank(text[start]) { start += 1 }
        while end > start, Self.isBlank(text[end - 1]) { end -= 1 }
        let marker: StaticString = "[TRUNCATED]"
        if end - start >= marker.utf8CodeUnitCount,
           memcmp(text.baseAddress! + end - marker.utf8CodeUnitCount, marker.utf8Start, marker.utf8CodeUnitCount) == 0 {
            end -= marker.utf8CodeUnitCount
            while end > start, Self.isBlank(text[end - 1]) { end -= 1 }
        }
        line = start..<end
    }

    /// Whether every byte is below 0x80 (read eight at a time).
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var seen: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            seen |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            seen |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    // MARK: The lines, as ranges of `text`
    //
    // `RequestFacts` reads these and makes strings only of the values it keeps (`string`, `normalized`,
    // `normalizedAll`). A key range is trimmed and non-empty and still to be `normalized`; every other range is non-empty.

    /// The values of the usage-plan and throttle lines, each a range of `text`.
    struct Fields {
        var apiKey: Range<Int>?
        var apiId: Range<Int>?
        var stage: Range<Int>?
        var httpMethod: Range<Int>?
        var resource: Range<Int>?
    }

    /// B2: the identity, to read with `normalizedAll`; nil when the line is not read here.
    func incomingIdentityValue() -> Range<Int>? {
        rest(after: "Incoming identity:", in: line)
    }

    /// B8: the principal (empty when logged empty), to read with `normalized`; nil when the line is not read here.
    func policyPrincipalValue() -> Range<Int>? {
        rest(after: "Using valid authorizer policy for principal:", in: line)
    }

    /// E2: the verb and the concrete path.
    func httpMethodResourcePathValues() -> (verb: Range<Int>?, path: Range<Int>?) {
        let path = rest(after: "Resource Path:", in: line).flatMap { $0.isEmpty ? nil : $0 }
        return (labeledTokenRange("HTTP Method", stoppingAt: 0x2C), path)
    }

    /// D1: the key and the API stage.
    func usagePlanVerifyingFields() -> Fields {
        let stage = apiStage(rest(after: "API Stage:", in: line))
        return Fields(apiKey: keyRange(between("API Key:", and: "API Stage:", in: line)), apiId: stage.apiId, stage: stage.stage)
    }

    /// D3: the key and the API stage.
    func usagePlanSucceededFields() -> Fields {
        let stage = apiStage(rest(after: "and API Stage", in: line))
        return Fields(apiKey: keyRange(between("for API Key", and: "and API Stage", in: line)), apiId: stage.apiId, stage: stage.stage)
    }

    /// D2 (`verdict` = `authorized because method '`): key, configured method, template and stage; nil when the
    /// quoted method is not a plain `VERB /template`.
    func methodCheckFields(verdict: StaticString) -> Fields? {
        var fields = Fields()
        if let at = find(verdict, in: line) {
            fields.apiKey = keyRange(between("API Key", and: nil, in: line.lowerBound..<at))
            let quotedStart = at + verdict.utf8CodeUnitCount
            var quotedEnd = quotedStart
            var space: Int?
            while quotedEnd < line.upperBound, text[quotedEnd] != 0x27 {
                if text[quotedEnd] == 0x20 {
                    guard space == nil else { return nil }
                    space = quotedEnd
                }
                quotedEnd += 1
            }
            guard let space, space > quotedStart, space + 1 < quotedEnd else { return nil }
            fields.httpMethod = quotedStart..<space
            fields.resource = space + 1..<quotedEnd
        }
        let stage = apiStage(rest(after: "for API Stage", in: line))
        fields.apiId = stage.apiId
        fields.stage = stage.stage
        return fields
    }

    /// D5/D6 throttle lines: the key, API, stage and method `Event.parseThrottle` reads.
    func throttleFields(keyed: Bool) -> Fields {
        var fields = Fields(apiId: labeledTokenRange("RestApi", stoppingAt: 0x2C, 0x2E),
                            stage: labeledTokenRange(", Stage", stoppingAt: 0x2C, 0x2E))
        if keyed {
            fields.apiKey = keyRange(between("API Key", and: "exceeded throttle limit", in: line))
            let keyStage = apiStage(rest(after: "for API Stage", in: line))
            fields.apiId = keyStage.apiId ?? fields.apiId
            fields.stage = keyStage.stage ?? fields.stage
        }
        fields.httpMethod = labeledTokenRange("HttpMethod", stoppingAt: 0x2C, 0x2E)
        return fields
    }

    // MARK: The lines, as strings

    /// B2: the normalized masked identity (`Masking.normalizeAll`); nil when the line is not read here.
    func incomingIdentity() -> String? {
        incomingIdentityValue().map(normalizedAll)
    }

    /// B8: `.some(nil)` when the principal is logged empty, nil when the line is not read here.
    func policyPrincipal() -> String?? {
        guard let value = policyPrincipalValue() else { return nil }
        return .some(value.isEmpty ? nil : normalized(value))
    }

    /// E2: the verb and the concrete path.
    func httpMethodResourcePath() -> (verb: String?, path: String?) {
        let values = httpMethodResourcePathValues()
        return (values.verb.map(string), values.path.map(string))
    }

    /// D1: the masked key and the API stage.
    func usagePlanVerifying() -> (apiKey: String?, apiId: String?, stage: String?) {
        let fields = usagePlanVerifyingFields()
        return (fields.apiKey.map(normalized), fields.apiId.map(string), fields.stage.map(string))
    }

    /// D3: the masked key and the API stage.
    func usagePlanSucceeded() -> (apiKey: String?, apiId: String?, stage: String?) {
        let fields = usagePlanSucceededFields()
        return (fields.apiKey.map(normalized), fields.apiId.map(string), fields.stage.map(string))
    }

    /// D2 (`verdict` = `authorized because method '`): key, configured method, template and stage; nil when the
    /// quoted method is not a plain `VERB /template`.
    func methodCheck(verdict: StaticString) -> (apiKey: String?, httpMethod: String?, resource: String?, apiId: String?, stage: String?)? {
        guard let fields = methodCheckFields(verdict: verdict) else { return nil }
        return (fields.apiKey.map(normalized), fields.httpMethod.map(string), fields.resource.map(string),
                fields.apiId.map(string), fields.stage.map(string))
    }

    /// D5/D6 throttle lines: the key, API, stage and method `Event.parseThrottle` reads.
    func throttle(keyed: Bool) -> (apiKey: String?, apiId: String?, stage: String?, httpMethod: String?) {
        let fields = throttleFields(keyed: keyed)
        return (fields.apiKey.map(normalized), fields.apiId.map(string), fields.stage.map(string), fields.httpMethod.map(string))
    }

    /// F-block `Method completed with status: <code>` (`TextScan.labeledInt`).
    func methodCompletedStatus() -> Int? {
        guard let token = labeledTokenRange("Method completed with status", stoppingAt: nil) else { return nil }
        return Int(string(token).prefix { $0.isASCII && $0.isNumber })
    }

    // MARK: TextScan's helpers, on bytes

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: text[range]), as: UTF8.self)
    }

    private func find(_ label: StaticString, in range: Range<Int>) -> Int? {
        let needle = UnsafeRawBufferPointer(start: label.utf8Start, count: label.utf8CodeUnitCount)
        return ByteSearch.firstIndex(of: needle, in: UnsafeRawBufferPointer(rebasing: text[range])).map { range.lowerBound + $0 }
    }

    private func trimmedLeading(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        while start < range.upperBound, Self.isBlank(text[start]) { start += 1 }
        return start..<range.upperBound
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        let leading = trimmedLeading(range)
        var end = leading.upperBound
        while end > leading.lowerBound, Self.isBlank(text[end - 1]) { end -= 1 }
        return leading.lowerBound..<end
    }

    /// `TextScan.rest`: after the first `label`, leading blanks removed.
    private func rest(after label: StaticString, in range: Range<Int>) -> Range<Int>? {
        guard let at = find(label, in: range) else { return nil }
        return trimmedLeading(at + label.utf8CodeUnitCount..<range.upperBound)
    }

    /// `TextScan.between`: from the first `start` to the next `end` (or the range's end), trimmed.
    private func between(_ start: StaticString, and end: StaticString?, in range: Range<Int>) -> Range<Int>? {
        guard let from = find(start, in: range) else { return nil }
        let tail = from + start.utf8CodeUnitCount..<range.upperBound
        guard let end else { return trimmed(tail) }
        guard let to = find(end, in: tail) else { return nil }
        return trimmed(tail.lowerBound..<to)
    }

    /// Up to the first blank or `stopper` (or `other`).
    private func prefixToken(_ range: Range<Int>, stoppingAt stopper: UInt8?, _ other: UInt8? = nil) -> Range<Int> {
        var end = range.lowerBound
        while end < range.upperBound, !Self.isBlank(text[end]), text[end] != stopper, text[end] != other { end += 1 }
        return range.lowerBound..<end
    }

    /// `TextScan.labeledToken`, non-empty.
    private func labeledTokenRange(_ label: StaticString, stoppingAt stopper: UInt8?, _ other: UInt8? = nil) -> Range<Int>? {
        guard let at = find(label, in: line) else { return nil }
        var value = trimmedLeading(at + label.utf8CodeUnitCount..<line.upperBound)
        if value.lowerBound < value.upperBound, text[value.lowerBound] == 0x3A {
            value = trimmedLeading(value.lowerBound + 1..<value.upperBound)
        }
        let token = prefixToken(value, stoppingAt: stopper, other)
        return token.isEmpty ? nil : token
    }

    /// `TextScan.apiStage`: `<apiId>/<stage>` up to a blank or `:`; each part non-empty.
    private func apiStage(_ range: Range<Int>?) -> (apiId: Range<Int>?, stage: Range<Int>?) {
        guard let range else { return (nil, nil) }
        let pair = prefixToken(trimmedLeading(range), stoppingAt: 0x3A)
        guard let slash = pair.first(where: { text[$0] == 0x2F }) else { return (pair.isEmpty ? nil : pair, nil) }
        let api = pair.lowerBound..<slash, stage = slash + 1..<pair.upperBound
        return (api.isEmpty ? nil : api, stage.isEmpty ? nil : stage)
    }

    /// `TextScan.maskedKey` before its `normalized`: the trimmed key, nil when empty.
    private func keyRange(_ range: Range<Int>?) -> Range<Int>? {
        guard let range else { return nil }
        let key = trimmed(range)
        return key.isEmpty ? nil : key
    }

    /// `Masking.normalize` on ASCII: a leading run of two or more `*` (and a following `...`) becomes `****`.
    func normalized(_ range: Range<Int>) -> String {
        var i = range.lowerBound
        while i < range.upperBound, text[i] == 0x2A { i += 1 }
        guard i - range.lowerBound >= 2 else { return string(range) }
        return "****" + string(afterEllipsis(i, end: range.upperBound)..<range.upperBound)
    }

    /// `Masking.normalizeAll` on ASCII: every run of two or more `*` (and a following `...`) becomes `****`.
    func normalizedAll(_ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count + 4)
        var i = range.lowerBound
        while i < range.upperBound {
            guard text[i] == 0x2A else {
                out.append(text[i])
                i += 1
                continue
            }
            var runEnd = i
            while runEnd < range.upperBound, text[runEnd] == 0x2A { runEnd += 1 }
            if runEnd - i >= 2 {
                for _ in 0..<4 { out.append(0x2A) }
                i = afterEllipsis(runEnd, end: range.upperBound)
            } else {
                out.append(0x2A)
                i = runEnd
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Past exactly three dots at `start`, else `start`.
    private func afterEllipsis(_ start: Int, end: Int) -> Int {
        var i = start
        while i < end, text[i] == 0x2E, i - start < 3 { i += 1 }
        return i - start == 3 ? i : start
    }
}
