#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the line-oriented containers, deciding per line (so mixed pastes work):
/// S3 export (`2019-02-26T15:29:33.734Z <message>`), `aws logs tail` detailed/short (`<iso> <stream> <message>`, `<iso> <message>`),
/// console copies (`<iso> | <message>`, or a timestamp alone on the line before its message), console test-invoke
/// (`Thu Aug 31 01:07:25 UTC 2017 : <message>`), and bare `(<requestId>) <message>` lines.
///
/// A line that starts none of these and is not itself a known execution-log message continues the previous record
/// (multi-line messages such as mapping-template bodies); records are delivered whole, with their continuation lines
/// joined by `\n`. ANSI colour codes (`aws logs tail` on a terminal) are removed first.
public final class TextRecordReader {
    private let sink: RecordSink
    /// The sink when it is the grouper itself: records then go to it without a `Record` (no reference counting).
    /// Unretained: `sink` holds it.
    private let grouper: Unmanaged<RequestGrouper>?
    private let fileOrigin: RecordOrigin?
    private let displayName: String

    private var pending: [UInt8] = []
    /// When set, the pending record's message is these bytes of the line reader's buffer (not copied into `pending`);
    /// they are copied before the buffer changes (`keepPending`).
    private var borrowed: UnsafeRawBufferPointer?
    /// Lines handed to `consume` may be kept borrowed (`read` sets it for lines that lie in the reader's buffer).
    private var lineIsBorrowable = false
    /// The last S3-export timestamp seen, up to its seconds (`YYYY-MM-DDTHH:MM:SS`, 19 bytes as three words) and its
    /// value, so that the many lines of one second parse only their milliseconds.
    private var cachedSecondWords: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var cachedSecondMillis: Int64 = 0
    private var cachedSecondValid = false
    private var pendingTimestamp: Int64?
    private var pendingLine = 0
    /// Not retained per record: every origin a record can have is kept alive by this reader (`fileOrigin`,
    /// `testInvokeOrigin`, `streamOrigins`), so storing it costs no reference counting per line.
    private var pendingOrigin: Unmanaged<RecordOrigin>?
    private var hasPending = false
    /// The pending record began with an empty message: the `aws logs tail --format json` header line
    /// (`<ts> <stream>`), whose JSON message follows pretty-printed on the next lines.
    private var pendingStartedEmpty = false
    /// Origin of console test-invoke records (test traffic).
    private lazy var testInvokeOrigin = RecordOrigin(logGroup: fileOrigin?.logGroup, logStream: fileOrigin?.logStream,
                                                     isConsoleTestInvoke: true)
    /// A timestamp that stood alone on its line; it belongs to the next message.
    private var loneTimestamp: Int64?
    private var streamOrigins: [[UInt8]: RecordOrigin] = [:]
    private var scratch: [UInt8] = []

    /// Lines that continued a previous record.
    public private(set) var continuationLines = 0
    /// Longest record kept, continuation lines included; the rest of a longer record is counted and reported.
    public var maxRecordLength = 1 << 20
    /// Bytes of the pending record's continuation lines that did not fit under `maxRecordLength`.
    private var pendingDropped = 0

    public init(sink: RecordSink, origin: RecordOrigin?, displayName: String) {
        self.sink = sink
        self.grouper = (sink as? RequestGrouper).map { Unmanaged.passUnretained($0) }
        self.fileOrigin = origin
        self.displayName = displayName
        pending.reserveCapacity(64 * 1024)
    }

    /// Reads every line of `reader`, then flushes the last record.
    public func read<Source: ByteSource>(_ reader: inout LineReader<Source>) throws {
        do {
            try reader.forEachLine({ line, number, dropped, bufferEnd in
                if let bufferEnd {
                    self.lineIsBorrowable = true
                    try self.consume(line: line, number: number, dropped: dropped,
                                     mayHoldEscape: self.escapeAhead(line, bufferEnd: bufferEnd))
                    self.lineIsBorrowable = false
                } else {
                    try self.consume(line: line, number: number, dropped: dropped)
                }
            }, beforeBufferChange: {
                self.keepPending()
                self.nextEscape = nil
            })
        } catch {
            lineIsBorrowable = false
            try finish()
            throw error
        }
        try finish()
    }

    /// Where the next ESC byte lies in the line reader's buffer, at or after the line last checked (the buffer's end when
    /// there is none); nil when not looked for since the buffer last changed. One search covers many lines.
    private var nextEscape: UnsafeRawPointer?

    /// Whether a line in the reader's buffer holds an ESC byte (start of an ANSI colour code).
    @inline(__always)
    private func escapeAhead(_ line: UnsafeRawBufferPointer, bufferEnd: UnsafeRawPointer) -> Bool {
        guard let start = line.baseAddress else { return false }
        if nextEscape == nil || nextEscape! < start {
            nextEscape = memchr(start, 0x1B, bufferEnd - start).map { UnsafeRawPointer($0) } ?? bufferEnd
        }
        return nextEscape! < start + line.count
    }

    /// Copies a borrowed pending message into `pending` (its bytes are about to change).
    private func keepPending() {
        guard let bytes = borrowed else { return }
        borrowed = nil
        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: bytes)
    }

    /// Delivers the record still held back (call at end of input).
    public func finish() throws {
        if hasPending { try flush() }
        loneTimestamp = nil
    }

    /// Consumes one line (without its newline).
    public func consume(line raw: UnsafeRawBufferPointer, number: Int, dropped: Int) throws {
        try consume(line: raw, number: number, dropped: dropped,
                    mayHoldEscape: raw.count > 0 && memchr(raw.baseAddress!, 0x1B, raw.count) != nil)
    }

    /// `consume`, told already whether the line holds an ESC byte.
    @inline(__always)
    private func consume(line raw: UnsafeRawBufferPointer, number: Int, dropped: Int, mayHoldEscape: Bool) throws {
        if dropped > 0 {
            sink.problem(InputProblem(source: "\(displayName):\(number)",
                                      message: "line of \(raw.count + dropped) bytes cut to its first \(raw.count) bytes"))
        }
        if mayHoldEscape {
            scratch.removeAll(keepingCapacity: true)
            Self.stripANSI(raw, into: &scratch)
            lineIsBorrowable = false
            try scratch.withUnsafeBytes { try classify(line: $0, number: number) }
        } else {
            try classify(line: raw, number: number)
        }
    }

    private func classify(line full: UnsafeRawBufferPointer, number: Int) throws {
        var start = 0
        while start < full.count, full[start] == 0x20 || full[start] == 0x09 { start += 1 }
        if start == full.count {
            // No container continues a record across a blank line.
            sink.skip(.blank, count: 1)
            return
        }
        let line = UnsafeRawBufferPointer(rebasing: full[start...])
        let first = line[0]

        if first >= 0x30 && first <= 0x39 {
            if let millis = cachedExportTimestamp(line) {
                try timestamped(line: line, millis: millis, length: 24, number: number)
                return
            }
            if let (millis, length) = Timestamp.parseISO(line) {
                if length == 24 { rememberExportTimestamp(line, millis: millis) }
                try timestamped(line: line, millis: millis, length: length, number: number)
                return
            }
        }
        if first == 0x28 {  // "("
            try begin(timestamp: takeLoneTimestamp(), message: line, number: number, origin: fileOrigin)
            return
        }
        if first >= 0x41 && first <= 0x5A, line.count >= 31, let (millis, length) = Timestamp.parseTestInvoke(line),
           line[length] == 0x20, line[length + 1] == 0x3A {
            let messageStart = min(line.count, length + 3)
            try begin(timestamp: millis, message: UnsafeRawBufferPointer(rebasing: line[messageStart...]), number: number,
                      origin: testInvokeOrigin)
            return
        }
        if first == 0x45, Self.hasPrefix(line, "Execution log for request ") {
            try flushIfPending()
            sink.skip(.container, count: 1)
            return
        }
        // A prefix-less line: a legacy message or a one-line access record of its own, or the continuation of the
        // previous record.
        if !hasPending || Self.startsRecord(line) {
            try begin(timestamp: takeLoneTimestamp(), message: line, number: number, origin: fileOrigin)
        } else {
            appendContinuation(pendingStartedEmpty ? line : full)
        }
    }

    /// The value of an S3-export timestamp `YYYY-MM-DDTHH:MM:SS.mmmZ` whose second is that of the last one parsed.
    @inline(__always)
    private func cachedExportTimestamp(_ line: UnsafeRawBufferPointer) -> Int64? {
        guard cachedSecondValid, line.count >= 24, let base = line.baseAddress,
              base.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == cachedSecondWords.0,
              base.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == cachedSecondWords.1,
              base.loadUnaligned(fromByteOffset: 11, as: UInt64.self) == cachedSecondWords.2,
              base.load(fromByteOffset: 19, as: UInt8.self) == 0x2E, base.load(fromByteOffset: 23, as: UInt8.self) == 0x5A
        else { return nil }
        let d0 = Int64(base.load(fromByteOffset: 20, as: UInt8.self)) &- 0x30
        let d1 = Int64(base.load(fromByteOffset: 21, as: UInt8.self)) &- 0x30
        let d2 = Int64(base.load(fromByteOffset: 22, as: UInt8.self)) &- 0x30
        guard UInt64(bitPattern: d0) < 10, UInt64(bitPattern: d1) < 10, UInt64(bitPattern: d2) < 10 else { return nil }
        return cachedSecondMillis + d0 * 100 + d1 * 10 + d2
    }

    /// Keeps the second of a timestamp `parseISO` read as `YYYY-MM-DDTHH:MM:SS.mmmZ` for `cachedExportTimestamp`.
    private func rememberExportTimestamp(_ line: UnsafeRawBufferPointer, millis: Int64) {
        guard line.count >= 24, let base = line.baseAddress,
              base.load(fromByteOffset: 19, as: UInt8.self) == 0x2E, base.load(fromByteOffset: 23, as: UInt8.self) == 0x5A
        else { return }
        var fraction: Int64 = 0
        for i in 20..<23 {
            let digit = Int64(base.load(fromByteOffset: i, as: UInt8.self)) &- 0x30
            guard digit >= 0, digit <= 9 else { return }
            fraction = fraction * 10 + digit
        }
        cachedSecondWords = (base.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                             base.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                             base.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
        cachedSecondMillis = millis - fraction
        cachedSecondValid = true
    }

    /// Joins a continuation line onto the pending record, up to `maxRecordLength` bytes in all.
    private func appendContinuation(_ line: UnsafeRawBufferPointer) {
        continuationLines += 1
        keepPending()
        let separator = pending.isEmpty ? 0 : 1
        // Once a line did not fit, the rest of the record is dropped too: what is kept is a prefix.
        guard pendingDropped == 0, pending.count + separator + line.count <= maxRecordLength else {
            pendingDropped += separator + line.count
            return
        }
        if separator > 0 { pending.append(0x0A) }
        pending.append(contentsOf: line)
    }

    private func timestamped(line: UnsafeRawBufferPointer, millis: Int64, length: Int, number: Int) throws {
        var rest = length
        // A timestamp alone on its line: it dates the next message.
        var tail = rest
        while tail < line.count, line[tail] == 0x20 || line[tail] == 0x09 { tail += 1 }
        if tail == line.count {
            try flushIfPending()
            loneTimestamp = millis
            sink.skip(.container, count: 1)
            return
        }
        guard line[rest] == 0x20 || line[rest] == 0x09 else {
            // Digits that are not a record header: treat as text.
            try textLine(line, number: number)
            return
        }
        rest += 1
        // Console copy: "<ts> | <message>"
        if rest + 1 < line.count, line[rest] == 0x7C, line[rest + 1] == 0x20 {
            try begin(timestamp: millis, message: UnsafeRawBufferPointer(rebasing: line[(rest + 2)...]), number: number, origin: fileOrigin)
            return
        }
        let afterStamp = UnsafeRawBufferPointer(rebasing: line[rest...])
        let c = afterStamp.first ?? 0
        if c != 0x28 && c != 0x7B && c != 0x5B, let space = afterStamp.firstIndex(of: 0x20),
           Self.looksLikeStreamName(UnsafeRawBufferPointer(rebasing: afterStamp[..<space]), zoneGiven: Self.hasExplicitOffset(line, length)) {
            // aws logs tail detailed: "<ts> <stream> <message>"
            let stream = UnsafeRawBufferPointer(rebasing: afterStamp[..<space])
            let origin = originFor(stream: stream)
            try begin(timestamp: millis, message: UnsafeRawBufferPointer(rebasing: afterStamp[(space + 1)...]), number: number, origin: origin)
            return
        }
        if c != 0x28 && c != 0x7B, afterStamp.firstIndex(of: 0x20) == nil,
           Self.looksLikeStreamName(afterStamp, zoneGiven: Self.hasExplicitOffset(line, length)) {
            // `tail --format json`: "<ts> <stream>" then the message pretty-printed on the following lines.
            try begin(timestamp: millis, message: UnsafeRawBufferPointer(start: nil, count: 0), number: number, origin: originFor(stream: afterStamp))
            return
        }
        try begin(timestamp: millis, message: afterStamp, number: number, origin: fileOrigin)
    }

    private func textLine(_ line: UnsafeRawBufferPointer, number: Int) throws {
        if !hasPending || Self.startsRecord(line) {
            try begin(timestamp: takeLoneTimestamp(), message: line, number: number, origin: fileOrigin)
        } else {
            appendContinuation(line)
        }
    }

    private func takeLoneTimestamp() -> Int64? {
        defer { loneTimestamp = nil }
        return loneTimestamp
    }

    private func begin(timestamp: Int64?, message: UnsafeRawBufferPointer, number: Int, origin: RecordOrigin?) throws {
        try flushIfPending()
        if lineIsBorrowable, message.count > 0 {
            borrowed = message
        } else {
            pending.removeAll(keepingCapacity: true)
            if message.count > 0 { pending.append(contentsOf: message) }
        }
        pendingStartedEmpty = message.count == 0
        pendingTimestamp = timestamp
        pendingLine = number
        pendingOrigin = origin.map { Unmanaged.passUnretained($0) }
        pendingDropped = 0
        hasPending = true
    }

    @inline(__always)
    private func flushIfPending() throws {
        if hasPending { try flush() }
    }

    private func flush() throws {
        hasPending = false
        let timestamp = pendingTimestamp
        let line = pendingLine
        if pendingDropped > 0 {
            sink.problem(InputProblem(
                source: "\(displayName):\(line)",
                message: "multi-line record of \(pending.count + pendingDropped) bytes cut to its first \(pending.count) bytes"))
        }
        if let bytes = borrowed {
            borrowed = nil
            try deliver(timestamp: timestamp, message: bytes, line: line)
            return
        }
        if pendingStartedEmpty, let first = pending.first, first == 0x7B || first == 0x5B {
            // `tail --format json` printed the message as indented JSON: restore the one-line text CloudWatch stored.
            pending = compactJSONText(pending)
        }
        try pending.withUnsafeBytes { bytes in
            try deliver(timestamp: timestamp, message: bytes, line: line)
        }
    }

    @inline(__always)
    private func deliver(timestamp: Int64?, message: UnsafeRawBufferPointer, line: Int) throws {
        if let grouper {
            let origin = pendingOrigin
            try grouper._withUnsafeGuaranteedRef {
                try $0.receive(timestamp: timestamp, message: message, line: line, origin: origin)
            }
        } else {
            try sink.receive(Record(timestamp: timestamp, message: message, line: line, origin: pendingOrigin?.takeUnretainedValue()))
        }
    }

    private func originFor(stream: UnsafeRawBufferPointer) -> RecordOrigin {
        let key = Array(stream)
        if let origin = streamOrigins[key] { return origin }
        let origin = RecordOrigin(logGroup: fileOrigin?.logGroup, logStream: String(decoding: key, as: UTF8.self))
        streamOrigins[key] = origin
        return origin
    }

    /// Whether a line without a container prefix begins a record of its own: a known execution-log message, a
    /// one-line JSON object (access log), an XML access record, or a CLF/CSV access line (starts with an IP address).
    static func startsRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let first = line.first else { return false }
        switch first {
        case 0x7B:  // {
            var end = line.count - 1
            while end > 0, line[end] == 0x20 || line[end] == 0x09 { end -= 1 }
            return line[end] == 0x7D && line.count > 2
        case 0x3C:  // <
            return hasPrefix(line, "<request ")
        case 0x30...0x39:
            return looksLikeIPAddressStart(line)
        default:
            return MessageRecognizer.recognize(line).kind != .unrecognized
        }
    }

    static func looksLikeIPAddressStart(_ line: UnsafeRawBufferPointer) -> Bool {
        var dots = 0
        var i = 0
        while i < line.count, i < 16 {
            let b = line[i]
            if b == 0x2E { dots += 1 } else if b == 0x20 || b == 0x2C { break } else if b < 0x30 || b > 0x39 { return false }
            i += 1
        }
        return dots == 3 && i < line.count
    }

    static func hasExplicitOffset(_ line: UnsafeRawBufferPointer, _ length: Int) -> Bool {
        length >= 6 && (line[length - 6] == 0x2B || line[length - 6] == 0x2D) && line[length - 3] == 0x3A
    }

    /// CloudWatch stream names of API Gateway are 32 hex digits; Lambda-style names hold `/` and `[$LATEST]`.
    /// With an explicit `+00:00` offset (only `aws logs tail` writes one) any token counts as a stream name.
    static func looksLikeStreamName(_ token: UnsafeRawBufferPointer, zoneGiven: Bool) -> Bool {
        guard !token.isEmpty else { return false }
        if zoneGiven { return true }
        if token.count == 32, token.allSatisfy({ RequestKey.hexValue[Int($0)] < 16 }) { return true }
        return token.contains(0x2F) && token.contains(0x5B)
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return memcmp(bytes.baseAddress!, prefix.utf8Start, count) == 0
    }

    /// Removes `ESC [ … letter` sequences (SGR colour codes and other CSI sequences).
    static func stripANSI(_ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        while i < line.count {
            let b = line[i]
            if b == 0x1B, i + 1 < line.count, line[i + 1] == 0x5B {
                var j = i + 2
                while j < line.count, !(line[j] >= 0x40 && line[j] <= 0x7E) { j += 1 }
                i = j + 1
                continue
            }
            out.append(b)
            i += 1
        }
    }
}
