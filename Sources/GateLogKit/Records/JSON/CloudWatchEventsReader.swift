#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
                if try !readBufferedEvent(scanner, sink: sink) {
                    try readObject(scanner, sink: sink, topLevel: false)
                }
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

    /// The fast path for an event object in an events array, whose `{` was just returned: when the whole object is
    /// already in the scanner's buffer and has the usual shape (plain keys; string and integer values), it is parsed
    /// from the raw bytes and delivered exactly as `readObject` would. Returns false, having consumed nothing, otherwise.
    private func readBufferedEvent<S>(_ scanner: JSONScanner<S>, sink: RecordSink) throws -> Bool {
        let raw = scanner.bufferedUnread
        guard let base = raw.baseAddress else { return false }
        let end = raw.count
        var i = 0
        var hasMessage = false
        var timestamp: Int64?
        var stream: UnsafeRawBufferPointer?
        var group: UnsafeRawBufferPointer?
        // Newlines between the tokens; raw newlines inside the message make the count unknown.
        var newlines = 0
        var newlinesKnown = true

        @inline(__always) func byte(_ index: Int) -> UInt8 { base.load(fromByteOffset: index, as: UInt8.self) }
        @inline(__always) func skipWhitespace() {
            // Eight bytes at a time: a run of spaces (indentation) is stepped over whole, then one other byte is judged.
            while i + 8 <= end {
                let notSpaces = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x2020_2020_2020_2020
                if notSpaces == 0 {
                    i += 8
                    continue
                }
                i += notSpaces.trailingZeroBitCount >> 3
                let c = byte(i)
                if c == 0x0A {
                    newlines += 1
                } else if c != 0x0D && c != 0x09 {
                    return
                }
                i += 1
            }
            while i < end {
                let c = byte(i)
                if c == 0x0A {
                    newlines += 1
                } else if c != 0x20 && c != 0x0D && c != 0x09 {
                    return
                }
                i += 1
            }
        }
        @inline(__always) func keyIs(_ start: Int, _ count: Int, _ literal: StaticString) -> Bool {
            count == literal.utf8CodeUnitCount && memcmp(base + start, literal.utf8Start, count) == 0
        }

        while true {
            skipWhitespace()
            guard i < end, byte(i) == 0x22 else { return false }
            let keyStart = i + 1
            guard let keyQuote = JSONStringBytes.closingQuoteOfShort(base, from: keyStart, to: end), !keyQuote.escaped else {
                return false
            }
            // The scanner keeps at most `maxMessageLength` bytes of any string, keys and names included.
            let cap = maxMessageLength
            let keyCount = min(keyQuote.index - keyStart, cap)
            i = keyQuote.index + 1
            skipWhitespace()
            guard i < end, byte(i) == 0x3A else { return false }
            i += 1
            skipWhitespace()
            guard i < end else { return false }
            let first = byte(i)

            if first == 0x22 {
                let valueStart = i + 1
                let isMessage = keyIs(keyStart, keyCount, "message")
                guard let close = isMessage ? JSONStringBytes.closingQuote(base, from: valueStart, to: end)
                        : JSONStringBytes.closingQuoteOfShort(base, from: valueStart, to: end) else { return false }
                if isMessage {
                    if newlinesKnown, memchr(base + valueStart, 0x0A, close.index - valueStart) != nil { newlinesKnown = false }
                    message.clear()
                    if close.escaped {
                        JSONStringBytes.decode(base, from: valueStart, to: close.index, into: message)
                    } else {
                        message.append(UnsafeRawBufferPointer(start: base + valueStart, count: close.index - valueStart))
                    }
                    hasMessage = true
                } else if keyIs(keyStart, keyCount, "logStreamName") {
                    guard !close.escaped else { return false }
                    stream = UnsafeRawBufferPointer(start: base + valueStart, count: min(close.index - valueStart, cap))
                } else if keyIs(keyStart, keyCount, "logGroupName") {
                    guard !close.escaped else { return false }
                    group = UnsafeRawBufferPointer(start: base + valueStart, count: min(close.index - valueStart, cap))
                } else if keyIs(keyStart, keyCount, "timestamp") {
                    return false   // a timestamp text: the general path parses it
                }
                i = close.index + 1
            } else if first == 0x2D || (first >= 0x30 && first <= 0x39) {
                // Only the plain integers JSON allows: `-?(0|[1-9][0-9]*)`, at most 18 digits, then a delimiter.
                var p = i
                let negative = first == 0x2D
                if negative { p += 1 }
                let digitsStart = p
                var value: Int64 = 0
                while p < end {
                    let c = byte(p)
                    guard c >= 0x30 && c <= 0x39 else { break }
                    value = value &* 10 &+ Int64(c - 0x30)
                    p += 1
                }
                let digits = p - digitsStart
                guard p < end, digits > 0, digits <= 18, digits == 1 || byte(digitsStart) != 0x30 else { return false }
                let after = byte(p)
                guard after != 0x2E && after != 0x65 && after != 0x45 && after != 0x2B && after != 0x2D else { return false }
                if keyIs(keyStart, keyCount, "timestamp") {
                    timestamp = negative ? -value : value
                } else if keyIs(keyStart, keyCount, "message") || keyIs(keyStart, keyCount, "logStreamName")
                            || keyIs(keyStart, keyCount, "logGroupName") {
                    return false
                }
                i = p
            } else {
                return false
            }

            skipWhitespace()
            guard i < end else { return false }
            let c = byte(i)
            i += 1
            if c == 0x7D { break }
            guard c == 0x2C else { return false }
        }
        guard hasMessage else { return false }

        let line = scanner.tokenLine
        scanner.finishObject(consumedBytes: i, newlines: newlinesKnown ? newlines : nil)
        let origin = origins.origin(group: group, stream: stream, defaultGroup: logGroup, defaultStream: logStream)
        try deliver(timestamp: timestamp, origin: origin, line: line, sink: sink)
        return true
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
