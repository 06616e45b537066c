/// Reads what `aws logs get-query-results` prints (the GetQueryResults API, log-formats.md §7.4), streaming:
///
/// ```
/// {"results": [[{"field": "@timestamp", "value": "2024-02-24 00:29:03.163"},
///               {"field": "@message", "value": "(412e45a2-…) …"}, {"field": "@ptr", "value": "Cm…"}], …],
///  "statistics": {…}, "status": "Complete"}
/// ```
///
/// One record per row: `@message` is the message, `@timestamp` (`YYYY-MM-DD HH:MM:SS.mmm`, UTC) its time, `@log`
/// (`<accountId>:<logGroupName>`) and `@logStream` its origin; other fields (`@ptr`, …) are skipped. Pairs may list
/// `value` before `field`. Several documents back to back (saved pages) and a bare array of rows (`--query results`)
/// are accepted. A `status` other than `Complete` is reported: the rows are then partial. Each record's line is the
/// line where its row starts.
public final class QueryResultsReader {
    public let sourceName: String
    public let maxMessageLength: Int
    private let bufferSize: Int
    private var origins = OriginCache()
    private var message: CappedBytes
    private var value: CappedBytes
    private var fieldName: [UInt8] = []
    private var group: [UInt8] = []
    private var stream: [UInt8] = []
    private var timestamp: Int64?
    private var hasMessage = false
    private var hasGroup = false
    private var hasStream = false

    public init(sourceName: String, maxMessageLength: Int = 1 << 20, bufferSize: Int = 1 << 20) {
        self.sourceName = sourceName
        self.maxMessageLength = maxMessageLength
        self.bufferSize = bufferSize
        message = CappedBytes(cap: maxMessageLength)
        value = CappedBytes(cap: maxMessageLength)
    }

    /// Reads `source` to its end. Malformed JSON becomes a problem (records before it are delivered); errors of the
    /// source and of the sink are thrown.
    public func read<Source: ByteSource>(_ source: Source, into sink: RecordSink) throws {
        let scanner = JSONScanner(source: source, bufferSize: bufferSize, maxStringLength: maxMessageLength)
        try forEachTopLevelValue(scanner, file: sourceName, sink: sink) { token in
            switch token {
            case .beginObject:
                try readDocument(scanner, sink: sink)
            case .beginArray:
                try readRows(scanner, sink: sink)
            default:
                try skipUnexpectedTopLevel(token, scanner, file: sourceName, expected: "get-query-results output", sink: sink)
            }
        }
    }

    private func readDocument<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws {
        while true {
            let token = try scanner.next()
            if token == .endObject { return }
            if scanner.textEquals("results") {
                let value = try scanner.next()
                if value == .beginArray { try readRows(scanner, sink: sink) } else { try scanner.skipValue(startingWith: value) }
            } else if scanner.textEquals("status") {
                let line = scanner.tokenLine
                if try scanner.nextIsString(), !scanner.textEquals("Complete") {
                    let status = String(decoding: scanner.text, as: UTF8.self)
                    sink.problem(InputProblem(source: "\(sourceName):\(line)",
                                              message: "query status is \(status), not Complete: the results are partial"))
                }
            } else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }
    }

    /// Reads rows until the `]` of the results array (whose `[` was just returned).
    private func readRows<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws {
        while true {
            let token = try scanner.next()
            if token == .endArray { return }
            if token == .beginArray {
                try readRow(scanner, sink: sink)
            } else {
                try scanner.skipValue(startingWith: token)
            }
        }
    }

    private func readRow<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws {
        let line = scanner.tokenLine
        timestamp = nil
        hasMessage = false
        hasGroup = false
        hasStream = false
        message.clear()
        while true {
            let token = try scanner.next()
            if token == .endArray { break }
            if token == .beginObject { try readPair(scanner) } else { try scanner.skipValue(startingWith: token) }
        }
        guard hasMessage else {
            sink.problem(InputProblem(source: "\(sourceName):\(line)", message: "query result row without an @message field"))
            return
        }
        try sink.deliverInsightsRow(message: message, timestamp: timestamp, line: line, file: sourceName,
                                    group: hasGroup ? group : nil, stream: hasStream ? stream : nil, origins: &origins)
    }

    /// Reads one `{"field": …, "value": …}` object whose `{` was just returned.
    private func readPair<S>(_ scanner: JSONScanner<S>) throws {
        fieldName.removeAll(keepingCapacity: true)
        value.clear()
        var hasValue = false
        while true {
            let token = try scanner.next()
            if token == .endObject { break }
            if scanner.textEquals("field") {
                if try scanner.nextIsString() { fieldName.append(contentsOf: scanner.text) }
            } else if scanner.textEquals("value") {
                let token = try scanner.next()
                if token == .string || token == .number {
                    value.set(scanner.text, alreadyDropped: scanner.textDroppedBytes)
                    hasValue = true
                } else {
                    try scanner.skipValue(startingWith: token)
                }
            } else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }
        guard hasValue else { return }
        switch String(decoding: fieldName, as: UTF8.self) {
        case "@message":
            swap(&message, &value)
            hasMessage = true
        case "@timestamp":
            timestamp = JSONTimestamp.milliseconds(value.bytes)
        case "@log":
            let bytes = value.bytes
            let from = bytes.firstIndex(of: 0x3A).map { $0 + 1 } ?? 0
            group.removeAll(keepingCapacity: true)
            group.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from...]))
            hasGroup = !group.isEmpty
        case "@logStream":
            stream.removeAll(keepingCapacity: true)
            stream.append(contentsOf: value.bytes)
            hasStream = !stream.isEmpty
        default:
            break
        }
    }
}
