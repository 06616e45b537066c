/// Reads the Logs Insights "Copy as Markdown" form (log-formats.md §7.4), line by line, one record per table row:
///
/// ```
/// **CloudWatch Logs Insights**
/// region: us-east-1
/// log-group-names: API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc
/// …
/// | @timestamp | @message | stream |
/// | --- | --- | --- |
/// | 2024-02-24 00:29:03.163 | (412e45a2-…) The client is not authorized to perform this operation. | API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc |
/// ```
///
/// * Cells are HTML-unescaped (`&#x27;` `&#x2f;` `&quot;` `&amp;` `&lt;` `&gt;`, any `&#NNN;`/`&#xHH;`) and `\|` becomes `|`.
/// * The message column is `@message`, else the first column whose name contains `message`, else the last column.
///   A row with more cells than the header (a raw `|` inside a message) gives the surplus to the message column.
/// * `@timestamp` is `YYYY-MM-DD HH:MM:SS.mmm` (UTC). A `@log`, `@logStream`, `stream` or `log` column names the origin
///   when its value is a log group (`account:group`, a name with `/`) or a 32-hex stream; a single group in the
///   header's `log-group-names:` is the default.
/// * Everything outside the table (the header block, the query, fences, rules) is counted as container syntax.
public final class InsightsMarkdownReader {
    public let sourceName: String
    public let maxMessageLength: Int

    private let sink: RecordSink
    private var origins = OriginCache()

    private enum Stage { case preamble, separator, rows }
    private var stage = Stage.preamble
    /// Inside a ``` fence (the query string, whose `| sort …` lines are not table rows).
    private var inFence = false
    private var columns = Columns(count: 0, message: 0)
    private var defaultGroup: String?
    private var cellRanges: [Range<Int>] = []
    private var message: [UInt8] = []
    private var cell: [UInt8] = []
    private var group: [UInt8] = []
    private var stream: [UInt8] = []

    private struct Columns {
        var count: Int
        var message: Int
        var timestamp: Int?
        var origin: [Int] = []
    }

    public init(sink: RecordSink, sourceName: String, maxMessageLength: Int = 1 << 20) {
        self.sink = sink
        self.sourceName = sourceName
        self.maxMessageLength = maxMessageLength
    }

    /// Reads every line of `reader`.
    public func read<Source: ByteSource>(_ reader: inout LineReader<Source>) throws {
        try reader.forEachLine { line, number, dropped in
            try self.consume(line: line, number: number, dropped: dropped)
        }
    }

    /// Consumes one line (without its line break).
    public func consume(line raw: UnsafeRawBufferPointer, number: Int, dropped: Int) throws {
        if dropped > 0 {
            sink.problem(InputProblem(source: "\(sourceName):\(number)",
                                      message: "line of \(raw.count + dropped) bytes cut to its first \(raw.count) bytes"))
        }
        var start = 0
        if number == 1, raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { start = 3 }
        while start < raw.count, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        var end = raw.count
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
        if start == end {
            sink.skip(.blank, count: 1)
            return
        }
        let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        if Self.hasPrefix(line, "```") || Self.hasPrefix(line, "~~~") {
            inFence.toggle()
            sink.skip(.container, count: 1)
            return
        }
        if inFence {
            sink.skip(.container, count: 1)
            return
        }
        if Self.hasPrefix(line, "**CloudWatch Logs Insights**") {
            // A new copy starts (several may be pasted one after another).
            stage = .preamble
            defaultGroup = nil
            sink.skip(.container, count: 1)
            return
        }
        guard line[0] == 0x7C else {  // "|"
            if stage == .preamble, Self.hasPrefix(line, "log-group-names:") { readGroupNames(line) }
            sink.skip(.container, count: 1)
            return
        }
        splitCells(line)
        switch stage {
        case .preamble:
            readHeader(line)
            stage = .separator
            sink.skip(.container, count: 1)
        case .separator:
            if isSeparator(line) {
                stage = .rows
                sink.skip(.container, count: 1)
            } else {
                stage = .rows
                try readRow(line, number: number)
            }
        case .rows:
            if isSeparator(line) {
                sink.skip(.container, count: 1)
            } else {
                try readRow(line, number: number)
            }
        }
    }

    private func readGroupNames(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line.dropFirst("log-group-names:".utf8.count), as: UTF8.self)
        let names = text.split(separator: ",").map { String($0).trimmedOfBlanks() }.filter { !$0.isEmpty }
        defaultGroup = names.count == 1 ? names[0] : nil
    }

    /// Splits `| a | b |` at the pipes that are not escaped; `cellRanges` get each cell's bytes without the padding.
    private func splitCells(_ line: UnsafeRawBufferPointer) {
        cellRanges.removeAll(keepingCapacity: true)
        var i = 1
        var cellStart = 1
        while i < line.count {
            let c = line[i]
            if c == 0x5C, i + 1 < line.count {  // "\" escapes the next byte
                i += 2
                continue
            }
            if c == 0x7C {
                cellRanges.append(cellStart..<i)
                cellStart = i + 1
            }
            i += 1
        }
        if cellStart < line.count { cellRanges.append(cellStart..<line.count) }
        for index in cellRanges.indices { cellRanges[index] = trim(cellRanges[index], in: line) }
    }

    private func trim(_ range: Range<Int>, in line: UnsafeRawBufferPointer) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, line[lower] == 0x20 || line[lower] == 0x09 { lower += 1 }
        while upper > lower, line[upper - 1] == 0x20 || line[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    private func isSeparator(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x7C || $0 == 0x2D || $0 == 0x3A || $0 == 0x20 || $0 == 0x09 }
    }

    private func readHeader(_ line: UnsafeRawBufferPointer) {
        let names = cellRanges.map { range -> String in
            cell.removeAll(keepingCapacity: true)
            Self.unescape(UnsafeRawBufferPointer(rebasing: line[range]), into: &cell)
            return String(decoding: cell, as: UTF8.self)
        }
        let message = names.firstIndex(of: "@message")
            ?? names.firstIndex(where: { $0.lowercased().contains("message") })
            ?? max(0, names.count - 1)
        columns = Columns(count: names.count, message: message,
                          timestamp: names.firstIndex(of: "@timestamp") ?? names.firstIndex(of: "timestamp"))
        for (index, name) in names.enumerated() where index != message {
            if ["@log", "@logStream", "stream", "log", "logStream", "@logGroup", "logGroup"].contains(name) {
                columns.origin.append(index)
            }
        }
    }

    private func readRow(_ line: UnsafeRawBufferPointer, number: Int) throws {
        guard !cellRanges.isEmpty else {
            sink.skip(.container, count: 1)
            return
        }
        // Surplus cells (an unescaped "|" inside the message) belong to the message column.
        let surplus = max(0, cellRanges.count - columns.count)
        func cellIndex(_ column: Int) -> Int? {
            let index = column > columns.message ? column + surplus : column
            return index < cellRanges.count ? index : nil
        }
        let messageFirst = min(columns.message, cellRanges.count - 1)
        let messageLast = min(messageFirst + surplus, cellRanges.count - 1)
        message.removeAll(keepingCapacity: true)
        Self.unescape(UnsafeRawBufferPointer(rebasing: line[cellRanges[messageFirst].lowerBound..<cellRanges[messageLast].upperBound]),
                      into: &message)
        var dropped = 0
        if message.count > maxMessageLength {
            dropped = message.count - maxMessageLength
            message.removeLast(dropped)
        }

        var timestamp: Int64?
        if let column = columns.timestamp, let index = cellIndex(column) {
            timestamp = JSONTimestamp.milliseconds(UnsafeRawBufferPointer(rebasing: line[cellRanges[index]]))
        }
        var hasGroup = false
        var hasStream = false
        for column in columns.origin {
            guard let index = cellIndex(column) else { continue }
            cell.removeAll(keepingCapacity: true)
            Self.unescape(UnsafeRawBufferPointer(rebasing: line[cellRanges[index]]), into: &cell)
            switch Self.classifyOrigin(cell) {
            case .group(let from):
                group.removeAll(keepingCapacity: true)
                group.append(contentsOf: cell[from...])
                hasGroup = true
            case .stream:
                stream.removeAll(keepingCapacity: true)
                stream.append(contentsOf: cell)
                hasStream = true
            case .none:
                break
            }
        }
        let origin = group.withUnsafeBytes { g in
            stream.withUnsafeBytes { s in
                origins.origin(group: hasGroup ? g : nil, stream: hasStream ? s : nil, defaultGroup: defaultGroup, defaultStream: nil)
            }
        }
        if dropped > 0 { sink.reportCutMessage(file: sourceName, line: number, kept: message.count, dropped: dropped) }
        try message.withUnsafeBytes { bytes in
            try sink.receive(Record(timestamp: timestamp, message: bytes, line: number, origin: origin))
        }
    }

    private enum OriginValue { case group(from: Int), stream, none }

    /// `123456789012:API-Gateway-Execution-Logs_x/prod` and `API-Gateway-Execution-Logs_x/prod` (or any name with a
    /// `/`) are log groups; 32 hex digits are a log stream.
    private static func classifyOrigin(_ value: [UInt8]) -> OriginValue {
        guard !value.isEmpty else { return .none }
        var from = 0
        if let colon = value.firstIndex(of: 0x3A), colon > 0, value[..<colon].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            from = colon + 1
        }
        if value.count == 32, value.allSatisfy({ RequestKey.hexValue[Int($0)] < 16 }) { return .stream }
        if value[from...].contains(0x2F) || value[from...].starts(with: Array("API-Gateway-Execution-Logs_".utf8)) {
            return .group(from: from)
        }
        return .none
    }

    /// Appends `text` with HTML character references decoded and `\|` turned into `|`.
    static func unescape(_ text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = text.count
        while i < n {
            let c = text[i]
            if c == 0x5C, i + 1 < n, text[i + 1] == 0x7C {
                out.append(0x7C)
                i += 2
                continue
            }
            if c == 0x26, let (scalar, length) = entity(text, at: i) {
                appendUTF8(scalar, to: &out)
                i += length
                continue
            }
            out.append(c)
            i += 1
        }
    }

    /// The character reference at `start` (`&…;`, at most 10 bytes): its scalar and length.
    private static func entity(_ text: UnsafeRawBufferPointer, at start: Int) -> (UInt32, Int)? {
        var end = start + 1
        while end < text.count, end - start <= 10, text[end] != 0x3B { end += 1 }
        guard end < text.count, text[end] == 0x3B, end > start + 1 else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: text[(start + 1)..<end])
        let length = end - start + 1
        if body[0] == 0x23 {  // "#"
            var value: UInt32 = 0
            var digits = 0
            if body.count > 1, body[1] == 0x78 || body[1] == 0x58 {
                for b in body.dropFirst(2) {
                    guard let d = hexDigit(b), value < 0x110000 else { return nil }
                    value = value * 16 + d
                    digits += 1
                }
            } else {
                for b in body.dropFirst() {
                    guard b >= 0x30, b <= 0x39, value < 0x110000 else { return nil }
                    value = value * 10 + UInt32(b - 0x30)
                    digits += 1
                }
            }
            guard digits > 0, Unicode.Scalar(value) != nil else { return nil }
            return (value, length)
        }
        switch String(decoding: body, as: UTF8.self) {
        case "amp": return (0x26, length)
        case "lt": return (0x3C, length)
        case "gt": return (0x3E, length)
        case "quot": return (0x22, length)
        case "apos": return (0x27, length)
        case "nbsp": return (0x20, length)
        default: return nil
        }
    }

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(value) else { return }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for i in 0..<count where bytes[i] != prefix.utf8Start[i] { return false }
        return true
    }

    /// Whether a first non-blank line starts a Logs Insights Markdown copy.
    public static func isStart(_ line: UnsafeRawBufferPointer) -> Bool {
        if hasPrefix(line, "**CloudWatch Logs Insights**") { return true }
        guard hasPrefix(line, "|") else { return false }
        let text = String(decoding: line, as: UTF8.self)
        return text.contains("@message") || text.contains("@timestamp")
    }
}
