/// Reads a CloudWatch Logs Insights "Download table (CSV)" export (log-formats.md §7.4), streaming, one record per row.
///
/// * RFC 4180: fields containing `,`, `"` or line breaks are quoted and inner quotes doubled; a quoted field may span
///   lines (its line breaks are kept as `\n`). A UTF-8 byte order mark may precede the header.
/// * The header row names the fields; `@message` (or `message`) is required, `@timestamp` (`YYYY-MM-DD HH:MM:SS.mmm`,
///   UTC), `@logStream` and `@log` (`<accountId>:<logGroupName>`) are used when present, in any order; other columns
///   are ignored.
/// * Memory is one row: each field is capped at `maxMessageLength` bytes (the rest is counted and reported).
/// * A quoted field still open at the end of input is reported as a problem at the line where its row starts, and
///   that row is dropped.
/// Each record's line is the line where its row starts.
public final class InsightsCSVReader {
    public let sourceName: String
    public let maxMessageLength: Int
    /// Extra physical lines of rows whose quoted fields hold line breaks.
    public private(set) var continuationLines = 0

    private let sink: RecordSink
    private var origins = OriginCache()

    private enum FieldState { case start, unquoted, quoted, afterClosingQuote }
    private var state = FieldState.start
    /// The current row's fields, back to back; `fieldEnds[i]` is where field `i` ends.
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var fieldStart = 0
    private var fieldDropped = 0
    private var rowDropped = 0
    private var rowLine = 0
    private var inRow = false

    private var header: Columns?
    private var headerProblemReported = false

    /// Where the fields gatelog uses sit in a row.
    private struct Columns {
        var message: Int
        var timestamp: Int?
        var logStream: Int?
        var log: Int?
    }

    public init(sink: RecordSink, sourceName: String, maxMessageLength: Int = 1 << 20) {
        self.sink = sink
        self.sourceName = sourceName
        self.maxMessageLength = maxMessageLength
        fieldBytes.reserveCapacity(4096)
    }

    /// Reads every line of `reader`, then reports a row left open by an unbalanced quote.
    public func read<Source: ByteSource>(_ reader: inout LineReader<Source>) throws {
        try reader.forEachLine { line, number, dropped in
            try self.consume(line: line, number: number, dropped: dropped)
        }
        try finish()
    }

    /// Consumes one physical line (without its line break).
    public func consume(line raw: UnsafeRawBufferPointer, number: Int, dropped: Int) throws {
        if dropped > 0 {
            sink.problem(InputProblem(source: "\(sourceName):\(number)",
                                      message: "line of \(raw.count + dropped) bytes cut to its first \(raw.count) bytes"))
        }
        var line = raw
        if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeRawBufferPointer(rebasing: line[3...])
        }
        if !inRow {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                sink.skip(.blank, count: 1)
                return
            }
            beginRow(line: number)
        } else {
            // A quoted field continues on this line.
            appendToField(0x0A)
            continuationLines += 1
        }
        scan(line)
        if state == .quoted { return }
        endField()
        try endRow()
    }

    /// Call at end of input.
    public func finish() throws {
        guard inRow else { return }
        sink.problem(InputProblem(
            source: "\(sourceName):\(rowLine)",
            message: "unbalanced double quote: the quoted field opened in this row runs to the end of the input; row dropped"))
        inRow = false
        state = .start
    }

    private func beginRow(line: Int) {
        inRow = true
        rowLine = line
        rowDropped = 0
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStart = 0
        fieldDropped = 0
        state = .start
    }

    private func scan(_ line: UnsafeRawBufferPointer) {
        var i = 0
        let n = line.count
        while i < n {
            let c = line[i]
            switch state {
            case .start:
                if c == 0x22 {
                    state = .quoted
                } else if c == 0x2C {
                    endField()
                } else {
                    state = .unquoted
                    appendToField(c)
                }
                i += 1
            case .unquoted:
                if c == 0x2C { endField() } else { appendToField(c) }
                i += 1
            case .quoted:
                // Copy the run up to the next quote at once.
                var j = i
                while j < n, line[j] != 0x22 { j += 1 }
                if j > i { appendToField(UnsafeRawBufferPointer(rebasing: line[i..<j])) }
                if j == n { return }
                if j + 1 < n, line[j + 1] == 0x22 {
                    appendToField(0x22)
                    i = j + 2
                } else {
                    state = .afterClosingQuote
                    i = j + 1
                }
            case .afterClosingQuote:
                // RFC 4180 allows only a comma here; text after a closing quote is kept rather than lost.
                if c == 0x2C { endField() } else { appendToField(c) }
                i += 1
            }
        }
    }

    @inline(__always)
    private func appendToField(_ byte: UInt8) {
        if fieldBytes.count - fieldStart < maxMessageLength {
            fieldBytes.append(byte)
        } else {
            fieldDropped += 1
        }
    }

    private func appendToField(_ bytes: UnsafeRawBufferPointer) {
        let room = maxMessageLength - (fieldBytes.count - fieldStart)
        let kept = max(0, min(room, bytes.count))
        if kept > 0 { fieldBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<kept])) }
        fieldDropped += bytes.count - kept
    }

    private func endField() {
        fieldEnds.append(fieldBytes.count)
        fieldStart = fieldBytes.count
        state = .start
        if fieldDropped > 0 {
            rowDropped = max(rowDropped, fieldDropped)
            fieldDropped = 0
        }
    }

    private func field(_ index: Int, in all: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard index < fieldEnds.count else { return nil }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return UnsafeRawBufferPointer(rebasing: all[start..<fieldEnds[index]])
    }

    private func endRow() throws {
        inRow = false
        guard let columns = header else {
            readHeader()
            sink.skip(.container, count: 1)
            return
        }
        if columns.message < 0 {
            sink.skip(.container, count: 1)
            return
        }
        try fieldBytes.withUnsafeBytes { all in
            guard let message = field(columns.message, in: all) else {
                sink.problem(InputProblem(source: "\(sourceName):\(rowLine)",
                                          message: "Logs Insights CSV row has \(fieldEnds.count) fields, no @message field"))
                return
            }
            let timestamp = columns.timestamp.flatMap { field($0, in: all) }.flatMap { JSONTimestamp.milliseconds($0) }
            var group = columns.log.flatMap { field($0, in: all) }
            if let log = group, let colon = log.firstIndex(of: 0x3A) {
                group = UnsafeRawBufferPointer(rebasing: log[(colon + 1)...])
            }
            if group?.isEmpty == true { group = nil }
            var stream = columns.logStream.flatMap { field($0, in: all) }
            if stream?.isEmpty == true { stream = nil }
            let origin = origins.origin(group: group, stream: stream, defaultGroup: nil, defaultStream: nil)
            if rowDropped > 0 {
                sink.reportCutMessage(file: sourceName, line: rowLine, kept: maxMessageLength, dropped: rowDropped)
            }
            try sink.receive(Record(timestamp: timestamp, message: message, line: rowLine, origin: origin))
        }
    }

    private func readHeader() {
        var names: [String] = []
        fieldBytes.withUnsafeBytes { all in
            for index in fieldEnds.indices {
                let raw = String(decoding: field(index, in: all)!, as: UTF8.self)
                names.append(raw.trimmedOfBlanks())
            }
        }
        let message = names.firstIndex(of: "@message") ?? names.firstIndex(of: "message")
        header = Columns(message: message ?? -1, timestamp: names.firstIndex(of: "@timestamp"),
                         logStream: names.firstIndex(of: "@logStream"), log: names.firstIndex(of: "@log"))
        if message == nil {
            sink.problem(InputProblem(source: "\(sourceName):\(rowLine)",
                                      message: "Logs Insights CSV header has no @message column (columns: \(names.joined(separator: ", "))); rows skipped"))
        }
    }

    /// Whether a first line is a Logs Insights CSV header: comma-separated field names (optionally quoted), one of
    /// them `@message` or `@timestamp`, none with spaces inside.
    public static func isHeader(_ line: some Collection<UInt8>) -> Bool {
        var text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.hasSuffix("\r") { text.removeLast() }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { cell -> Substring in
            var name = cell
            if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
            return name
        }
        guard names.contains(where: { $0 == "@message" || $0 == "@timestamp" }) else { return false }
        return names.allSatisfy { name in
            !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || "@_.-".contains($0) }
        }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    func trimmedOfBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
