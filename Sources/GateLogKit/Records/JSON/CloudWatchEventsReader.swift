/// Reads the JSON that `aws logs get-log-events` and `aws logs filter-log-events` print
/// (`{"events":[{"logStreamName","timestamp","message","ingestionTime","eventId"},…],…}`), streaming, one record per event.
///
/// Accepted shapes, mixed freely and back to back in one input: whole documents (several saved CLI pages), bare event
/// objects one per line (`aws logs tail --format none`, NDJSON), a top-level array of event objects (`--query events`),
/// and an array of message strings (`--query 'events[].message'`). Keys may come in any order; unknown keys are skipped.
/// Each record's line is the line where its event object starts; its origin is the event's `logStreamName` (or the
/// given default stream) in the given default log group, one shared `RecordOrigin` per distinct stream.
public final class CloudWatchEventsReader {
    public let sourceName: String
    public let logGroup: String?
    public let logStream: String?
    public let maxMessageLength: Int
    private let bufferSize: Int
    private var origins = OriginCache()
    private let message: CappedBytes
    private var groupName: [UInt8] = []
    private var streamName: [UInt8] = []

    /// - Parameters:
    ///   - sourceName: the input as users see it, for problems (`file:line`).
    ///   - logGroup: the log group to attach when events do not name one (the CLI output never does).
    ///   - logStream: the stream to attach when an event has no `logStreamName` (`get-log-events` output).
    public init(
        sourceName: String, logGroup: String? = nil, logStream: String? = nil,
        maxMessageLength: Int = 1 << 20, bufferSize: Int = 1 << 20
    ) {
        self.sourceName = sourceName
        self.logGroup = logGroup
        self.logStream = logStream
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
            case .beginObject:
                try readObject(scanner, sink: sink, topLevel: true)
            case .beginArray:
                try readEventArray(scanner, sink: sink)
            default:
                try skipUnexpectedTopLevel(token, scanner, file: sourceName, expected: "CloudWatch Logs events", sink: sink)
            }
        }
    }

    private func readEventArray<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws {
        while true {
            let token = try scanner.next()
            switch token {
            case .endArray:
                return
            case .beginObject:
                try readObject(scanner, sink: sink, topLevel: false)
            case .string:
                // `--query 'events[].message'`: the message alone.
                let line = scanner.tokenLine
                message.set(scanner.text, alreadyDropped: scanner.textDroppedBytes)
                try deliver(timestamp: nil, origin: defaultOrigin(), line: line, sink: sink)
            default:
                try scanner.skipValue(startingWith: token)
            }
        }
    }

    /// Reads the members of an object whose `{` was just returned: an event, or (at top level) a CLI document.
    private func readObject<S>(_ scanner: JSONScanner<S>, sink: RecordSink, topLevel: Bool) throws {
        let line = scanner.tokenLine
        let objectOffset = scanner.tokenOffset
        var isEvent = false
        var sawEventsArray = false
        var hasMessage = false
        var hasGroup = false
        var hasStream = false
        var timestamp: Int64?
        message.clear()

        while true {
            let token = try scanner.next()
            if token == .endObject { break }
            // token == .key
            if scanner.textEquals("message") {
                isEvent = true
                let value = try scanner.next()
                if value == .string {
                    message.set(scanner.text, alreadyDropped: scanner.textDroppedBytes)
                    hasMessage = true
                } else {
                    try scanner.skipValue(startingWith: value)
                }
            } else if scanner.textEquals("timestamp") {
                isEvent = true
                let value = try scanner.next()
                switch value {
                case .number: timestamp = scanner.integerValue()
                case .string: timestamp = JSONTimestamp.milliseconds(scanner.text)
                default: try scanner.skipValue(startingWith: value)
                }
            } else if scanner.textEquals("logStreamName") {
                isEvent = true
                if try scanner.nextIsString() {
                    streamName.removeAll(keepingCapacity: true)
                    streamName.append(contentsOf: scanner.text)
                    hasStream = true
                }
            } else if scanner.textEquals("logGroupName") {
                if try scanner.nextIsString() {
                    groupName.removeAll(keepingCapacity: true)
                    groupName.append(contentsOf: scanner.text)
                    hasGroup = true
                }
            } else if topLevel && scanner.textEquals("events") {
                let value = try scanner.next()
                if value == .beginArray {
                    sawEventsArray = true
                    try readEventArray(scanner, sink: sink)
                } else {
                    sink.problem(InputProblem(
                        source: "\(sourceName):\(scanner.tokenLine)",
                        message: "\"events\" at byte \(scanner.tokenOffset) is not an array of log events; skipped"))
                    try scanner.skipValue(startingWith: value)
                    sawEventsArray = true   // reported here, not again below
                }
            } else {
                if scanner.textEquals("eventId") || scanner.textEquals("ingestionTime") { isEvent = true }
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }

        if topLevel && !isEvent && !sawEventsArray {
            sink.problem(InputProblem(
                source: "\(sourceName):\(line)",
                message: "JSON object at byte \(objectOffset) is neither a log event nor a get-log-events/filter-log-events page (no \"events\" array); skipped"))
        }
        guard isEvent && !sawEventsArray else { return }
        guard hasMessage else {
            sink.problem(InputProblem(source: "\(sourceName):\(line)", message: "log event without a \"message\" string"))
            return
        }
        let origin = groupName.withUnsafeBytes { group in
            streamName.withUnsafeBytes { stream in
                origins.origin(
                    group: hasGroup ? group : nil, stream: hasStream ? stream : nil,
                    defaultGroup: logGroup, defaultStream: logStream)
            }
        }
        try deliver(timestamp: timestamp, origin: origin, line: line, sink: sink)
    }

    private func defaultOrigin() -> RecordOrigin? {
        origins.origin(group: nil, stream: nil, defaultGroup: logGroup, defaultStream: logStream)
    }

    private func deliver(timestamp: Int64?, origin: RecordOrigin?, line: Int, sink: RecordSink) throws {
        if message.dropped > 0 {
            sink.reportCutMessage(file: sourceName, line: line, kept: message.count, dropped: message.dropped)
        }
        try sink.receive(Record(timestamp: timestamp, message: message.bytes, line: line, origin: origin))
    }
}
