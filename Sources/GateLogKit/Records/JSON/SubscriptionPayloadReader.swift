/// Reads CloudWatch Logs subscription-filter payloads (decoded envelopes
/// `{"messageType","owner","logGroup","logStream","subscriptionFilters","logEvents":[{"id","timestamp","message"}]}`),
/// any number back to back with or without separators (Firehose → S3 objects are `…]}{"messageType":…`).
///
/// * `DATA_MESSAGE` events become records whose origin is the envelope's `logGroup`/`logStream`.
///   `CONTROL_MESSAGE` envelopes are counted with `sink.skip(.control, count: 1)` and deliver nothing.
/// * Key order is free. Events are delivered as they are read when `messageType`, `logGroup` and `logStream` came
///   before `logEvents` (the order AWS writes); otherwise that envelope's events are kept in a reusable buffer until the
///   envelope closes, because until then it is unknown whether they are data and which stream they belong to. This is
///   bounded by the envelope (AWS batches are about 1 MB); past `maxBufferedEnvelopeBytes` the buffered events are
///   delivered with what is known so far.
/// * The Lambda form `{"awslogs":{"data":"<base64 of gzip>"}}` is base64-decoded and handed to `decodeNested`, whose
///   byte source (normally a gunzip decoder) is then read as envelopes; its records carry the line of the `data` string.
public final class SubscriptionPayloadReader {
    public let sourceName: String
    public let maxMessageLength: Int
    public let maxPayloadLength: Int
    public let maxBufferedEnvelopeBytes: Int
    private let bufferSize: Int
    private let decodeNested: ([UInt8]) throws -> any ByteSource
    private var origins = OriginCache()
    private let message: CappedBytes

    private enum MessageType { case unknown, data, control, other }

    private struct PendingEvent {
        var start: Int
        var count: Int
        var dropped: Int
        var timestamp: Int64?
        var line: Int
    }

    /// Per-envelope state, reused from one envelope to the next.
    private var messageType = MessageType.unknown
    private var group: [UInt8] = []
    private var stream: [UInt8] = []
    private var hasGroup = false
    private var hasStream = false
    private var pendingBytes: [UInt8] = []
    private var pendingEvents: [PendingEvent] = []

    /// - Parameters:
    ///   - sourceName: the input as users see it, for problems.
    ///   - maxPayloadLength: longest string kept by the scanner; bounds the base64 `awslogs.data` text.
    ///   - decodeNested: turns the base64-decoded `awslogs.data` bytes (gzip) into the decoded envelope bytes.
    public init(
        sourceName: String, maxMessageLength: Int = 1 << 20, maxPayloadLength: Int = 16 << 20,
        maxBufferedEnvelopeBytes: Int = 64 << 20, bufferSize: Int = 1 << 20,
        decodeNested: @escaping ([UInt8]) throws -> any ByteSource
    ) {
        self.sourceName = sourceName
        self.maxMessageLength = maxMessageLength
        self.maxPayloadLength = max(maxPayloadLength, maxMessageLength)
        self.maxBufferedEnvelopeBytes = maxBufferedEnvelopeBytes
        self.bufferSize = bufferSize
        self.decodeNested = decodeNested
        message = CappedBytes(cap: maxMessageLength)
    }

    /// Reads `source` to its end. Malformed JSON becomes a problem (records before it are delivered); errors of the
    /// source and of the sink are thrown.
    public func read<Source: ByteSource>(_ source: Source, into sink: RecordSink) throws {
        try read(source, into: sink, outerLine: nil, nesting: 0)
    }

    private func read<Source: ByteSource>(_ source: Source, into sink: RecordSink, outerLine: Int?, nesting: Int) throws {
        let scanner = JSONScanner(source: source, bufferSize: bufferSize, maxStringLength: maxPayloadLength)
        let file = outerLine.map { "\(sourceName):\($0) awslogs.data" } ?? sourceName
        try forEachTopLevelValue(scanner, file: file, sink: sink) { token in
            switch token {
            case .beginObject:
                try readEnvelope(scanner, sink: sink, outerLine: outerLine, nesting: nesting)
            case .beginArray:
                // A JSON array of envelopes (payloads collected by hand).
                while true {
                    let element = try scanner.next()
                    if element == .endArray { break }
                    if element == .beginObject {
                        try readEnvelope(scanner, sink: sink, outerLine: outerLine, nesting: nesting)
                    } else {
                        try scanner.skipValue(startingWith: element)
                    }
                }
            default:
                try skipUnexpectedTopLevel(token, scanner, file: sourceName, line: outerLine ?? scanner.tokenLine, expected: "a subscription payload", sink: sink)
            }
        }
    }

    private var readyToDeliver: Bool { messageType != .unknown && hasGroup && hasStream }

    private func readEnvelope<S>(_ scanner: JSONScanner<S>, sink: RecordSink, outerLine: Int?, nesting: Int) throws {
        messageType = .unknown
        hasGroup = false
        hasStream = false
        pendingBytes.removeAll(keepingCapacity: true)
        pendingEvents.removeAll(keepingCapacity: true)
        var isEnvelope = false
        var forcedDelivery = false

        while true {
            let token = try scanner.next()
            if token == .endObject { break }
            if scanner.textEquals("messageType") {
                isEnvelope = true
                if try scanner.nextIsString() {
                    messageType = scanner.textEquals("DATA_MESSAGE") ? .data
                        : scanner.textEquals("CONTROL_MESSAGE") ? .control : .other
                }
            } else if scanner.textEquals("logGroup") {
                isEnvelope = true
                if try scanner.nextIsString() {
                    group.removeAll(keepingCapacity: true)
                    group.append(contentsOf: scanner.text)
                    hasGroup = true
                }
            } else if scanner.textEquals("logStream") {
                isEnvelope = true
                if try scanner.nextIsString() {
                    stream.removeAll(keepingCapacity: true)
                    stream.append(contentsOf: scanner.text)
                    hasStream = true
                }
            } else if scanner.textEquals("logEvents") {
                isEnvelope = true
                let value = try scanner.next()
                guard value == .beginArray else {
                    try scanner.skipValue(startingWith: value)
                    continue
                }
                while true {
                    let element = try scanner.next()
                    if element == .endArray { break }
                    guard element == .beginObject else {
                        try scanner.skipValue(startingWith: element)
                        continue
                    }
                    let deliverNow = readyToDeliver || forcedDelivery
                    try readLogEvent(scanner, sink: sink, outerLine: outerLine, deliverNow: deliverNow)
                    if !deliverNow && pendingBytes.count > maxBufferedEnvelopeBytes {
                        try flushPending(sink: sink)
                        forcedDelivery = true
                    }
                }
            } else if scanner.textEquals("awslogs") {
                let value = try scanner.next()
                if value == .beginObject {
                    try readLambdaWrapper(scanner, sink: sink, nesting: nesting)
                } else {
                    try scanner.skipValue(startingWith: value)
                }
            } else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }

        guard isEnvelope else { return }
        if messageType == .control {
            sink.skip(.control, count: 1)
        } else {
            try flushPending(sink: sink)
        }
    }

    /// Reads one `{"id","timestamp","message"}` object whose `{` was just returned.
    private func readLogEvent<S>(_ scanner: JSONScanner<S>, sink: RecordSink, outerLine: Int?, deliverNow: Bool) throws {
        let line = outerLine ?? scanner.tokenLine
        var timestamp: Int64?
        var hasMessage = false
        while true {
            let token = try scanner.next()
            if token == .endObject { break }
            if scanner.textEquals("message") {
                if try scanner.nextIsString() {
                    message.set(scanner.text, alreadyDropped: scanner.textDroppedBytes)
                    hasMessage = true
                }
            } else if scanner.textEquals("timestamp") {
                let value = try scanner.next()
                switch value {
                case .number: timestamp = scanner.integerValue()
                case .string: timestamp = JSONTimestamp.milliseconds(scanner.text)
                default: try scanner.skipValue(startingWith: value)
                }
            } else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
            }
        }
        guard hasMessage else {
            sink.problem(InputProblem(source: "\(sourceName):\(line)", message: "subscription log event without a \"message\" string"))
            return
        }
        if deliverNow {
            guard messageType != .control else { return }
            try deliver(message.bytes, dropped: message.dropped, timestamp: timestamp, line: line, sink: sink)
        } else {
            pendingEvents.append(PendingEvent(
                start: pendingBytes.count, count: message.count, dropped: message.dropped, timestamp: timestamp, line: line))
            pendingBytes.append(contentsOf: message.bytes)
        }
    }

    private func flushPending(sink: RecordSink) throws {
        guard !pendingEvents.isEmpty else { return }
        try pendingBytes.withUnsafeBytes { all in
            for event in pendingEvents {
                let bytes = UnsafeRawBufferPointer(rebasing: all[event.start..<(event.start + event.count)])
                try deliver(bytes, dropped: event.dropped, timestamp: event.timestamp, line: event.line, sink: sink)
            }
        }
        pendingEvents.removeAll(keepingCapacity: true)
        pendingBytes.removeAll(keepingCapacity: true)
    }

    private func deliver(
        _ bytes: UnsafeRawBufferPointer, dropped: Int, timestamp: Int64?, line: Int, sink: RecordSink
    ) throws {
        let origin = group.withUnsafeBytes { g in
            stream.withUnsafeBytes { s in
                origins.origin(group: hasGroup ? g : nil, stream: hasStream ? s : nil, defaultGroup: nil, defaultStream: nil)
            }
        }
        if dropped > 0 { sink.reportCutMessage(file: sourceName, line: line, kept: bytes.count, dropped: dropped) }
        try sink.receive(Record(timestamp: timestamp, message: bytes, line: line, origin: origin))
    }

    /// Reads `{"data":"<base64>"}` (the value of `awslogs`) and the envelopes inside it.
    private func readLambdaWrapper<S>(_ scanner: JSONScanner<S>, sink: RecordSink, nesting: Int) throws {
        while true {
            let token = try scanner.next()
            if token == .endObject { return }
            guard scanner.textEquals("data") else {
                try scanner.skipValue(startingWith: try scanner.next(decodingStrings: false))
                continue
            }
            guard try scanner.nextIsString() else { continue }
            let line = scanner.tokenLine
            let here = "\(sourceName):\(line)"
            guard scanner.textDroppedBytes == 0 else {
                sink.problem(InputProblem(source: here, message: "awslogs.data longer than \(maxPayloadLength) bytes; payload skipped"))
                continue
            }
            guard let compressed = Base64.decode(scanner.text) else {
                sink.problem(InputProblem(source: here, message: "awslogs.data is not valid base64; payload skipped"))
                continue
            }
            guard nesting < 2 else {
                sink.problem(InputProblem(source: here, message: "awslogs.data nested too deeply; payload skipped"))
                continue
            }
            // The wrapper's own state is per envelope; save it around the nested read.
            let saved = (messageType, group, stream, hasGroup, hasStream, pendingBytes, pendingEvents)
            defer { (messageType, group, stream, hasGroup, hasStream, pendingBytes, pendingEvents) = saved }
            let nested: any ByteSource
            do {
                nested = try decodeNested(compressed)
            } catch {
                sink.problem(InputProblem(source: here, message: "awslogs.data could not be decoded: \(error)"))
                continue
            }
            do {
                try read(nested, into: sink, outerLine: line, nesting: nesting + 1)
            } catch let error as InputError {
                sink.problem(InputProblem(source: here, message: "awslogs.data: \(error.problem.message)"))
            }
        }
    }
}
