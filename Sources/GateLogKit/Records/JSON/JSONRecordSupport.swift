#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands out one shared `RecordOrigin` per distinct (log group, log stream) pair, looked up by bytes so that a repeated
/// stream name costs no allocation; only a new pair creates strings.
struct OriginCache {
    /// Where one pair's name bytes sit in `names`; a negative start marks an absent part.
    private struct Entry {
        var hash: UInt64
        var groupStart: Int
        var groupCount: Int
        var streamStart: Int
        var streamCount: Int
    }

    private var entries: [Entry] = []
    private var originsByEntry: [RecordOrigin] = []
    private var names: [UInt8] = []
    /// Open addressing over `entries` (index + 1; 0 is empty), kept at most half full.
    private var slots = [Int32](repeating: 0, count: 64)
    private var lastEntry = -1

    /// `nil` group/stream bytes fall back to the defaults; nil when neither group nor stream is known.
    mutating func origin(
        group: UnsafeRawBufferPointer?, stream: UnsafeRawBufferPointer?,
        defaultGroup: String?, defaultStream: String?
    ) -> RecordOrigin? {
        if group == nil && stream == nil && defaultGroup == nil && defaultStream == nil { return nil }
        if lastEntry >= 0 && matches(lastEntry, group: group, stream: stream) { return originsByEntry[lastEntry] }

        // Each part's bytes eight at a time, with its length (+1, so that "absent" differs from "empty").
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ word: UInt64) {
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
        }
        @inline(__always) func mix(_ part: UnsafeRawBufferPointer?) {
            guard let part else { return mix(0) }
            guard let start = part.baseAddress, part.count > 0 else { return mix(1) }
            mix(UInt64(part.count + 1))
            var i = 0
            while i + 8 <= part.count {
                mix(start.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < part.count {
                tail |= UInt64(start.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            mix(tail)
        }
        mix(group)
        mix(stream)

        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { break }
            let index = stored - 1
            if entries[index].hash == hash && matches(index, group: group, stream: stream) {
                lastEntry = index
                return originsByEntry[index]
            }
            slot = (slot + 1) & mask
        }

        let origin = RecordOrigin(
            logGroup: group.map { String(decoding: $0, as: UTF8.self) } ?? defaultGroup,
            logStream: stream.map { String(decoding: $0, as: UTF8.self) } ?? defaultStream)
        var entry = Entry(hash: hash, groupStart: -1, groupCount: 0, streamStart: -1, streamCount: 0)
        if let group {
            entry.groupStart = names.count
            entry.groupCount = group.count
            names.append(contentsOf: group)
        }
        if let stream {
            entry.streamStart = names.count
            entry.streamCount = stream.count
            names.append(contentsOf: stream)
        }
        entries.append(entry)
        originsByEntry.append(origin)
        lastEntry = entries.count - 1
        if entries.count * 2 > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            slots[slot] = Int32(entries.count)
        }
        return origin
    }

    private func matches(_ index: Int, group: UnsafeRawBufferPointer?, stream: UnsafeRawBufferPointer?) -> Bool {
        let entry = entries[index]
        return names.withUnsafeBytes { stored in
            @inline(__always) func same(_ start: Int, _ count: Int, _ part: UnsafeRawBufferPointer?) -> Bool {
                guard let part else { return start < 0 }
                guard start >= 0, count == part.count else { return false }
                return count == 0 || memcmp(stored.baseAddress! + start, part.baseAddress!, count) == 0
            }
            return same(entry.streamStart, entry.streamCount, stream) && same(entry.groupStart, entry.groupCount, group)
        }
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// Number of distinct origins created so far.
    var count: Int { entries.count }
}

/// A reusable byte buffer with a fixed cap, for a message that must outlive the scanner's next token.
final class CappedBytes {
    let cap: Int
    private(set) var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    /// Bytes that did not fit, plus any the scanner already dropped.
    private(set) var dropped = 0

    init(cap: Int) {
        self.cap = cap
        capacity = min(cap, 4096)
        storage = .allocate(byteCount: max(capacity, 1), alignment: 16)
    }

    deinit { storage.deallocate() }

    func set(_ bytes: UnsafeRawBufferPointer, alreadyDropped: Int = 0) {
        count = 0
        dropped = alreadyDropped
        append(bytes)
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        let kept = min(bytes.count, cap - count)
        if kept > 0 {
            if count + kept > capacity {
                var grown = capacity
                while grown < count + kept { grown *= 2 }
                grown = min(grown, cap)
                let fresh = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
                fresh.copyMemory(from: storage, byteCount: count)
                storage.deallocate()
                storage = fresh
                capacity = grown
            }
            (storage + count).copyMemory(from: bytes.baseAddress!, byteCount: kept)
            count += kept
        }
        dropped += bytes.count - kept
    }

    /// `append` of a single byte, without the general bookkeeping when it fits.
    @inline(__always)
    func append(byte: UInt8) {
        if count < capacity && count < cap {
            storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count += 1
        } else {
            var copy = byte
            withUnsafeBytes(of: &copy) { append($0) }
        }
    }

    func clear() {
        count = 0
        dropped = 0
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
}

/// JSON string contents read straight from a buffer that holds the whole string, for readers' fast paths. The results
/// are exactly those of `JSONScanner` for the same bytes.
enum JSONStringBytes {
    /// Index of the quote that closes the string whose contents start at `from`, searching `[from, to)`, and whether the
    /// contents hold a backslash; nil when the closing quote is not in the range.
    @inline(__always)
    static func closingQuote(_ base: UnsafeRawPointer, from: Int, to: Int) -> (index: Int, escaped: Bool)? {
        var p = from
        var escaped = false
        while p < to {
            guard let q = memchr(base + p, 0x22, to - p) else { return nil }
            let quote = base.distance(to: UnsafeRawPointer(q))
            if !escaped, memchr(base + p, 0x5C, quote - p) == nil { return (quote, false) }
            escaped = true
            // The quote closes the string unless an odd run of backslashes precedes it.
            var backslashes = 0
            var b = quote - 1
            while b >= from && base.load(fromByteOffset: b, as: UInt8.self) == 0x5C {
                backslashes += 1
                b -= 1
            }
            if backslashes & 1 == 0 { return (quote, true) }
            p = quote + 1
        }
        return nil
    }

    /// Like `closingQuote`, for short strings (keys, names, ids): looks at eight bytes at a time instead of calling
    /// `memchr` twice. Nil also when the string holds a raw newline (so that callers can count lines between tokens).
    @inline(__always)
    static func closingQuoteOfShort(_ base: UnsafeRawPointer, from: Int, to: Int) -> (index: Int, escaped: Bool)? {
        var p = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while p + 8 <= to {
            let word = base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let newlines = word ^ (ones &* 0x0A)
            // The lowest flagged byte is exactly the first quote, backslash or newline (flags above it may be false).
            let found = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes
                         | (newlines &- ones) & ~newlines) & highs
            if found != 0 {
                let at = p + found.trailingZeroBitCount >> 3
                let c = base.load(fromByteOffset: at, as: UInt8.self)
                if c == 0x22 { return (at, false) }
                if c == 0x0A { return nil }
                return closingQuoteWithoutNewline(base, from: from, to: to)
            }
            p += 8
        }
        while p < to {
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            if c == 0x22 { return (p, false) }
            if c == 0x0A { return nil }
            if c == 0x5C { return closingQuoteWithoutNewline(base, from: from, to: to) }
            p += 1
        }
        return nil
    }

    private static func closingQuoteWithoutNewline(_ base: UnsafeRawPointer, from: Int, to: Int) -> (index: Int, escaped: Bool)? {
        guard let found = closingQuote(base, from: from, to: to), memchr(base + from, 0x0A, found.index - from) == nil else {
            return nil
        }
        return found
    }

    /// Appends the unescaped contents `[from, to)` (`to` is the closing quote) to `out`, as `JSONScanner` decodes them:
    /// surrogate pairs joined, invalid escapes and lone surrogates as U+FFFD, other bytes unchanged.
    static func decode(_ base: UnsafeRawPointer, from: Int, to end: Int, into out: CappedBytes) {
        var runStart = from
        var index = from
        while index < end {
            guard let found = memchr(base + index, 0x5C, end - index) else { break }
            let b = base.distance(to: UnsafeRawPointer(found))
            if b > runStart { out.append(UnsafeRawBufferPointer(start: base + runStart, count: b - runStart)) }
            index = decodeEscape(base, at: b, end: end, into: out)
            runStart = index
        }
        if end > runStart { out.append(UnsafeRawBufferPointer(start: base + runStart, count: end - runStart)) }
    }

    @inline(__always)
    private static func byte(_ base: UnsafeRawPointer, _ index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    private static func decodeEscape(_ base: UnsafeRawPointer, at index: Int, end: Int, into out: CappedBytes) -> Int {
        // A backslash before the closing quote always has a byte after it.
        let c = byte(base, index + 1)
        let simple: UInt8
        switch (c, JSONEscapes.simpleEscape(c)) {
        case (_, let byte?): simple = byte
        case (0x75, nil):
            return decodeUnicodeEscape(base, at: index, end: end, into: out)
        default:
            appendScalar(0xFFFD, into: out)
            return index + (c < 0x80 ? 2 : 1)
        }
        out.append(byte: simple)
        return index + 2
    }

    private static func decodeUnicodeEscape(_ base: UnsafeRawPointer, at index: Int, end: Int, into out: CappedBytes) -> Int {
        let (scalar, length) = JSONEscapes.unicodeEscape(base, at: index, end: end)
        appendScalar(scalar, into: out)
        return index + length
    }

    private static func appendScalar(_ value: UInt32, into out: CappedBytes) {
        JSONEscapes.withUTF8(of: value) { out.append($0) }
    }
}

/// Parses the timestamp texts found in JSON exports into epoch milliseconds (UTC).
enum JSONTimestamp {
    /// `YYYY-MM-DD HH:MM:SS[.fff…]` (Insights, no zone = UTC) or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`;
    /// also a plain integer of epoch milliseconds. Nil for anything else.
    static func milliseconds(_ t: UnsafeRawBufferPointer) -> Int64? {
        if !t.isEmpty, t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), t.count <= 18 {
            var v: Int64 = 0
            for b in t { v = v * 10 + Int64(b - 0x30) }
            return v
        }
        guard t.count >= 19 else { return nil }
        func digits(_ from: Int, _ n: Int) -> Int? {
            var v = 0
            for i in from..<(from + n) {
                let c = t[i]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard t[4] == 0x2D, t[7] == 0x2D, t[10] == 0x20 || t[10] == 0x54 || t[10] == 0x74, t[13] == 0x3A, t[16] == 0x3A,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < t.count, t[i] == 0x2E {
            i += 1
            var scale = 100
            let fractionStart = i
            while i < t.count, t[i] >= 0x30, t[i] <= 0x39 {
                millis += Int(t[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == fractionStart { return nil }
        }
        var offsetMinutes = 0
        if i < t.count {
            switch t[i] {
            case 0x5A, 0x7A:
                i += 1
            case 0x2B, 0x2D:
                guard t.count >= i + 6, t[i + 3] == 0x3A, let oh = digits(i + 1, 2), let om = digits(i + 4, 2) else { return nil }
                offsetMinutes = (oh * 60 + om) * (t[i] == 0x2D ? -1 : 1)
                i += 6
            default:
                return nil
            }
        }
        guard i == t.count else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }
}

/// Standard base64 (RFC 4648, `+/`, optional `=` padding); whitespace is ignored, anything else makes it fail.
enum Base64 {
    static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            let value: UInt32
            switch c {
            case 0x41...0x5A: value = UInt32(c - 0x41)
            case 0x61...0x7A: value = UInt32(c - 0x61 + 26)
            case 0x30...0x39: value = UInt32(c - 0x30 + 52)
            case 0x2B, 0x2D: value = 62
            case 0x2F, 0x5F: value = 63
            case 0x3D:
                padding += 1
                continue
            case 0x20, 0x0A, 0x0D, 0x09:
                continue
            default:
                return nil
            }
            if padding > 0 { return nil }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return padding <= 2 ? out : nil
    }
}

/// Removes the whitespace between the tokens of raw JSON text (string contents are kept as they are), so that a
/// nested object exported pretty-printed becomes the one-line message CloudWatch originally stored.
func compactJSONText(_ raw: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var inString = false
    var escaped = false
    for c in raw {
        if inString {
            out.append(c)
            if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
            continue
        }
        switch c {
        case 0x20, 0x0A, 0x0D, 0x09: continue
        case 0x22: inString = true
        default: break
        }
        out.append(c)
    }
    return out
}

extension RecordSink {
    /// Reports a message that was cut to `kept` bytes.
    /// Delivers one Logs Insights result row (a downloaded JSON row or a `get-query-results` row) as a record whose
    /// origin comes from its `@log` / `@logStream` fields.
    func deliverInsightsRow(message: CappedBytes, timestamp: Int64?, line: Int, file: String, group: [UInt8]?, stream: [UInt8]?,
                            origins: inout OriginCache) throws {
        let origin = (group ?? []).withUnsafeBytes { g in
            (stream ?? []).withUnsafeBytes { s in
                origins.origin(group: group == nil ? nil : g, stream: stream == nil ? nil : s, defaultGroup: nil, defaultStream: nil)
            }
        }
        if message.dropped > 0 {
            reportCutMessage(file: file, line: line, kept: message.count, dropped: message.dropped)
        }
        try receive(Record(timestamp: timestamp, message: message.bytes, line: line, origin: origin))
    }

    func reportCutMessage(file: String, line: Int, kept: Int, dropped: Int) {
        problem(InputProblem(
            source: "\(file):\(line)",
            message: "message longer than \(kept) bytes was cut (\(dropped) bytes dropped)"))
    }
}

/// Reads top-level values one after another, handing each first token to `handle`, which must consume the whole value.
///
/// Malformed JSON is reported as a problem naming `file:line` and the byte offset. Reading then goes on at the next line
/// only when the input has shown itself to be newline-delimited (every value so far sat on one line), so one bad NDJSON
/// line costs one problem; inside a multi-line document the rest of the input is abandoned rather than misread.
/// Reports a top-level JSON value a reader does not expect (naming what it expected) and skips over it.
func skipUnexpectedTopLevel<Source: ByteSource>(
    _ token: JSONToken, _ scanner: JSONScanner<Source>, file: String, line: Int? = nil, expected: String, sink: RecordSink
) throws {
    sink.problem(InputProblem(
        source: "\(file):\(line ?? scanner.tokenLine)",
        message: "unexpected top-level JSON value at byte \(scanner.tokenOffset) (expected \(expected))"))
    try scanner.skipValue(startingWith: token)
}

func forEachTopLevelValue<Source: ByteSource>(
    _ scanner: JSONScanner<Source>, file: String, sink: RecordSink, maxResynchronizations: Int = 100,
    _ handle: (JSONToken) throws -> Void
) throws {
    var completed = 0
    var allSingleLine = true
    var resynchronizations = 0
    while true {
        do {
            let token = try scanner.next()
            if token == .endOfInput { return }
            let startLine = scanner.tokenLine
            try handle(token)
            if scanner.currentLine != startLine { allSingleLine = false }
            completed += 1
        } catch let error as JSONSyntaxError {
            sink.problem(error.problem(in: file))
            guard allSingleLine, completed > 0, resynchronizations < maxResynchronizations else { return }
            resynchronizations += 1
            guard try scanner.resynchronizeAtLineStart() else { return }
        }
    }
}
