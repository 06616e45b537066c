/// Reads a CloudWatch Logs Insights "Download table (JSON)" export: an array of flat objects keyed by field name
/// (`@timestamp`, `@message`, `@logStream`, `@log`, …). Objects one per line outside an array are accepted too.
///
/// * `@message` is usually a string; when the original message was JSON (access logs) the export nests it as an object,
///   which is passed on as its JSON text with the pretty-printing whitespace removed (string contents untouched).
/// * `@timestamp` is `YYYY-MM-DD HH:MM:SS.mmm` in UTC.
/// * `@log` is `<accountId>:<logGroupName>`; the group is the part after the first colon.
/// Each record's line is the line where its object starts.
public final class InsightsJSONReader {
    public let sourceName: String
    public let maxMessageLength: Int
    private let bufferSize: Int
    private var origins = OriginCache()
    private let message: CappedBytes
    private var group: [UInt8] = []
    private var stream: [UInt8] = []

    public init(sourceName: String, maxMessageLength: Int = 1 << 20, bufferSize: Int = 1 << 20) {
        self.sourceName = sourceName
        self.maxMessageLength = maxMessageLength
        self.bufferSize = bufferSize
        message = CappedBytes(cap: maxMessageLength)
    }

    /// Reads `source` to its end. Malformed JSON becomes a problem (records before it are delivered); errors of the
    /// source and of the sink are thrown.
    public func read<Source: ByteSource>(_ source: Source, into sink: RecordSink) throws {
        let scanner = JSONScanner(source: source, bufferSize: bufferSize, maxStringLength: maxMessageLength)
        try forEachTopLevelValue(scanner, file: sourceName, sink: sink) { token in
            switch token {
            case .beginArray:
                while true {
                    let element = try scanner.next()
                    if element == .endArray { break }
                    if element == .beginObject {
                        try readRow(scanner, sink: sink)
                    } else {
                        try scanner.skipValue(startingWith: element)
                    }
                }
            case .beginObject:
                try readRow(scanner, sink: sink)
            default:
                try skipUnexpectedTopLevel(token, scanner, file: sourceName, expected: "Logs Insights rows", sink: sink)
            }
        }
    }

    private func readRow<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws {
        let line = scanner.tokenLine
        var timestamp: Int64?
        var hasMessage = false
        var hasGroup = false
        var hasStream = false
        message.clear()

        while true {
            let token = try scanner.next()
            if token == .endObject { break }
            if scanner.textEquals("@message") {
                let value = try scanner.next()
                switch value {
                case .string, .number:
                    message.set(scanner.text, alreadyDropped: scanner.textDroppedBytes)
                    hasMessage = true
                case .beginObject, .beginArray:
                    scanner.beginCapture(limit: 4 * maxMessageLength)
                    try scanner.skipValue(startingWith: value)
                    let raw = scanner.endCapture()
                    compactJSONText(raw.bytes).withUnsafeBytes { message.set($0, alreadyDropped: raw.dropped) }
                    hasMessage = true
                default:
                    break
                }
            } else if scanner.textEquals("@timestamp") {
                let value = try scanner.next()
                switch value {
                case .string: timestamp = JSONTimestamp.milliseconds(scanner.text)
                case .number: timestamp = scanner.integerValue()
                default: try scanner.skipValue(startingWith: value)
                }
            } else if scanner.textEquals("@log") {
                if try scanner.nextIsString() {
                    let text = scanner.text
                    let groupStart = text.firstIndex(of: 0x3A).map { $0 + 1 } ?? 0
                    group.removeAll(keepingCapacity: true)
                    group.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[groupStart...]))
                    hasGroup = true
                }
            } else if scanner.textEquals("@logStream") {
                if try scanner.nextIsString() {
                    stream.removeAll(keepingCapacity: true)
                    stream.append(contentsOf: scanner.text)
                    hasStream = true
                }
            } else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }

        guard hasMessage else {
            sink.problem(InputProblem(source: "\(sourceName):\(line)", message: "Logs Insights row without an \"@message\" field"))
            return
        }
        try sink.deliverInsightsRow(message: message, timestamp: timestamp, line: line, file: sourceName,
                                    group: hasGroup ? group : nil, stream: hasStream ? stream : nil, origins: &origins)
    }
}
