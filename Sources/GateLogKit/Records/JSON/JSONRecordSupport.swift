#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands out one shared `RecordOrigin` per distinct (log group, log stream) pair, looked up by bytes so that a repeated
/// stream name costs no allocation; only a new pair creates strings.
struct OriginCache {
    private struct Entry {
        var key: [UInt8]
        var origin: RecordOrigin
    }

    private var table: [UInt64: [Entry]] = [:]
    private var key: [UInt8] = []
    private var lastKey: [UInt8] = []
    private var lastOrigin: RecordOrigin?

    /// `nil` group/stream bytes fall back to the defaults; nil when neither group nor stream is known.
    mutating func origin(
        group: UnsafeRawBufferPointer?, stream: UnsafeRawBufferPointer?,
        defaultGroup: String?, defaultStream: String?
    ) -> RecordOrigin? {
        if group == nil && stream == nil && defaultGroup == nil && defaultStream == nil { return nil }
        key.removeAll(keepingCapacity: true)
        // Tag bytes keep "absent" apart from "empty" and separate the two parts.
        if let group { key.append(1); key.append(contentsOf: group) } else { key.append(0) }
        key.append(0xFF)
        if let stream { key.append(1); key.append(contentsOf: stream) } else { key.append(0) }
        if let lastOrigin, key == lastKey { return lastOrigin }

        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        if let bucket = table[hash], let hit = bucket.first(where: { $0.key == key }) {
            lastKey.removeAll(keepingCapacity: true)
            lastKey.append(contentsOf: key)
            lastOrigin = hit.origin
            return hit.origin
        }
        let origin = RecordOrigin(
            logGroup: group.map { String(decoding: $0, as: UTF8.self) } ?? defaultGroup,
            logStream: stream.map { String(decoding: $0, as: UTF8.self) } ?? defaultStream)
        table[hash, default: []].append(Entry(key: key, origin: origin))
        lastKey.removeAll(keepingCapacity: true)
        lastKey.append(contentsOf: key)
        lastOrigin = origin
        return origin
    }

    /// Number of distinct origins created so far.
    var count: Int { table.values.reduce(0) { $0 + $1.count } }
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

    func clear() {
        count = 0
        dropped = 0
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
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
