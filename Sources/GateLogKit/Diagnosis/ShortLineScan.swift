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
        guard !text.contains(where: { $0 >= 0x80 }) else { return nil }
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

    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    // MARK: The lines

    /// B2: the normalized masked identity (`Masking.normalizeAll`); nil when the line is not read here.
    func incomingIdentity() -> String? {
        guard let value = rest(after: "Incoming identity:", in: line) else { return nil }
        return normalizedAll(value)
    }

    /// B8: `.some(nil)` when the principal is logged empty, nil when the line is not read here.
    func policyPrincipal() -> String?? {
        guard let value = rest(after: "Using valid authorizer policy for principal:", in: line) else { return nil }
        return .some(value.isEmpty ? nil : normalized(value))
    }

    /// E2: the verb and the concrete path.
    func httpMethodResourcePath() -> (verb: String?, path: String?) {
        let path = rest(after: "Resource Path:", in: line).flatMap { $0.isEmpty ? nil : string($0) }
        return (labeledToken("HTTP Method", stoppingAt: 0x2C), path)
    }

    /// D1: the masked key and the API stage.
    func usagePlanVerifying() -> (apiKey: String?, apiId: String?, stage: String?) {
        let stage = apiStage(rest(after: "API Stage:", in: line))
        return (maskedKey(between("API Key:", and: "API Stage:", in: line)), stage.apiId, stage.stage)
    }

    /// D3: the masked key and the API stage.
    func usagePlanSucceeded() -> (apiKey: String?, apiId: String?, stage: String?) {
        let stage = apiStage(rest(after: "and API Stage", in: line))
        return (maskedKey(between("for API Key", and: "and API Stage", in: line)), stage.apiId, stage.stage)
    }

    /// D2 (`verdict` = `authorized because method '`): key, configured method, template and stage; nil when the
    /// quoted method is not a plain `VERB /template`.
    func methodCheck(verdict: StaticString) -> (apiKey: String?, httpMethod: String?, resource: String?, apiId: String?, stage: String?)? {
        var apiKey: String?, httpMethod: String?, resource: String?
        if let at = find(verdict, in: line) {
            apiKey = maskedKey(between("API Key", and: nil, in: line.lowerBound..<at))
            let quotedStart = at + verdict.utf8CodeUnitCount
            var quotedEnd = quotedStart
            while quotedEnd < line.upperBound, text[quotedEnd] != 0x27 { quotedEnd += 1 }
            let spaces = (quotedStart..<quotedEnd).filter { text[$0] == 0x20 }
            guard spaces.count == 1, let space = spaces.first, space > quotedStart, space + 1 < quotedEnd else { return nil }
            httpMethod = string(quotedStart..<space)
            resource = string(space + 1..<quotedEnd)
        }
        let stage = apiStage(rest(after: "for API Stage", in: line))
        return (apiKey, httpMethod, resource, stage.apiId, stage.stage)
    }

    /// D5/D6 throttle lines: the key, API, stage and method `Event.parseThrottle` reads.
    func throttle(keyed: Bool) -> (apiKey: String?, apiId: String?, stage: String?, httpMethod: String?) {
        var apiId = labeledToken("RestApi", stoppingAt: 0x2C, 0x2E)
        var stage = labeledToken(", Stage", stoppingAt: 0x2C, 0x2E)
        var apiKey: String?
        if keyed {
            apiKey = maskedKey(between("API Key", and: "exceeded throttle limit", in: line))
            let keyStage = apiStage(rest(after: "for API Stage", in: line))
            apiId = keyStage.apiId ?? apiId
            stage = keyStage.stage ?? stage
        }
        return (apiKey, apiId, stage, labeledToken("HttpMethod", stoppingAt: 0x2C, 0x2E))
    }

    /// F-block `Method completed with status: <code>` (`TextScan.labeledInt`).
    func methodCompletedStatus() -> Int? {
        guard let token = labeledToken("Method completed with status", stoppingAt: nil) else { return nil }
        return Int(token.prefix { $0.isASCII && $0.isNumber })
    }

    // MARK: TextScan's helpers, on bytes

    private func string(_ range: Range<Int>) -> String {
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

    /// `TextScan.labeledToken`.
    private func labeledToken(_ label: StaticString, stoppingAt stopper: UInt8?, _ other: UInt8? = nil) -> String? {
        guard let at = find(label, in: line) else { return nil }
        var value = trimmedLeading(at + label.utf8CodeUnitCount..<line.upperBound)
        if value.lowerBound < value.upperBound, text[value.lowerBound] == 0x3A {
            value = trimmedLeading(value.lowerBound + 1..<value.upperBound)
        }
        let token = prefixToken(value, stoppingAt: stopper, other)
        return token.isEmpty ? nil : string(token)
    }

    /// `TextScan.apiStage`: `<apiId>/<stage>` up to a blank or `:`.
    private func apiStage(_ range: Range<Int>?) -> (apiId: String?, stage: String?) {
        guard let range else { return (nil, nil) }
        let pair = prefixToken(trimmedLeading(range), stoppingAt: 0x3A)
        guard let slash = pair.first(where: { text[$0] == 0x2F }) else { return (pair.isEmpty ? nil : string(pair), nil) }
        let api = pair.lowerBound..<slash, stage = slash + 1..<pair.upperBound
        return (api.isEmpty ? nil : string(api), stage.isEmpty ? nil : string(stage))
    }

    /// `TextScan.maskedKey`.
    private func maskedKey(_ range: Range<Int>?) -> String? {
        guard let range else { return nil }
        let key = trimmed(range)
        return key.isEmpty ? nil : normalized(key)
    }

    /// `Masking.normalize` on ASCII: a leading run of two or more `*` (and a following `...`) becomes `****`.
    private func normalized(_ range: Range<Int>) -> String {
        var i = range.lowerBound
        while i < range.upperBound, text[i] == 0x2A { i += 1 }
        guard i - range.lowerBound >= 2 else { return string(range) }
        return "****" + string(afterEllipsis(i, end: range.upperBound)..<range.upperBound)
    }

    /// `Masking.normalizeAll` on ASCII: every run of two or more `*` (and a following `...`) becomes `****`.
    private func normalizedAll(_ range: Range<Int>) -> String {
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
