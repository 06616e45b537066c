#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The container format of one input, as `--input-format` names it (DESIGN.md §2). `auto` sniffs each file.
public enum InputFormat: String, Sendable, CaseIterable {
    case auto
    case export
    case plain
    case cliJSON = "cli-json"
    case tail
    case insightsCSV = "insights-csv"
    case insightsJSON = "insights-json"
    case subscription
    case accessJSON = "access-json"

    /// Formats read line by line by `TextRecordReader`.
    var isLineText: Bool { self == .export || self == .plain || self == .tail }
}

/// What the scan driver needs to know beyond the paths.
public struct ScanOptions: Sendable {
    public var inputFormat: InputFormat = .auto
    /// Longest line kept whole; longer lines are cut and reported.
    public var maxLineLength = 1 << 20
    /// When not empty, only records whose message contains one of these byte strings are grouped (`trace`'s fast path).
    public var needles: [[UInt8]] = []

    public init() {}
}

/// The outcome of reading all inputs.
public struct ScanResult: Sendable {
    /// Inputs that could be opened and read at least in part.
    public var readableInputs = 0
    /// Inputs that could not be read at all.
    public var unreadableInputs = 0
    /// Probe objects and other inputs skipped on purpose.
    public var skipped: [String] = []
}

/// Reads every input in order (Input stage), picks its container reader (Records stage), and feeds the records to a
/// `RequestGrouper` (Lifecycles stage). Problems with one input are recorded on the grouper and reading goes on.
public final class LogScanner {
    public let options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    public func scan(_ paths: [String], into grouper: RequestGrouper) throws -> ScanResult {
        var result = ScanResult()
        let enumeration = InputEnumerator.enumerate(paths)
        for problem in enumeration.problems { grouper.problem(problem) }
        result.unreadableInputs += enumeration.problems.count
        result.skipped = enumeration.skipped
        grouper.skip(.control, count: enumeration.skipped.count)
        // Access logs first: their records then wait for the execution-log lines of the same request, whatever the
        // order of the files (a request's access record is written before its execution-log events anyway).
        var accessFiles: [InputFile] = []
        var otherFiles: [InputFile] = []
        for file in enumeration.files {
            if !file.isStandardInput, options.needles.isEmpty, isAccessLog(file) { accessFiles.append(file) } else { otherFiles.append(file) }
        }
        grouper.holdAccessRecords = !accessFiles.isEmpty && !otherFiles.isEmpty
        for file in accessFiles + otherFiles {
            if try read(file, into: grouper) { result.readableInputs += 1 } else { result.unreadableInputs += 1 }
        }
        try grouper.finishAll()
        return result
    }

    /// Whether an input holds access-log records (peeks at its first bytes; unreadable inputs say no).
    func isAccessLog(_ file: InputFile) -> Bool {
        if options.inputFormat == .accessJSON { return true }
        guard options.inputFormat == .auto, var source = try? InputOpener.open(file),
              let prefix = try? PrefixedSource.peek(&source, count: 16 * 1024) else { return false }
        return ContainerSniffer.holdsAccessLog(prefix)
    }

    /// Reads one input; returns false when nothing of it could be read.
    @discardableResult
    public func read(_ file: InputFile, into grouper: RequestGrouper) throws -> Bool {
        grouper.currentFile = grouper.files.add(file.displayName)
        let source: DecodedSource
        do {
            source = try InputOpener.open(file)
        } catch let error as InputError {
            grouper.problem(error.problem)
            return false
        }
        var upstream = source
        let sink: RecordSink = options.needles.isEmpty ? grouper : NeedleFilter(next: grouper, needles: options.needles)
        let origin = RecordOrigin(logGroup: file.logGroupHint, logStream: file.logStreamHint)
        var delivered = false
        do {
            // An error after some bytes (gzip cut short) keeps those bytes; it is reported once they are read.
            let sniffLength = 64 * 1024
            let (prefix, peekError) = try PrefixedSource.peekKeepingError(&upstream, count: sniffLength)
            let isWhole = peekError == nil && prefix.count < sniffLength
            let format = options.inputFormat == .auto ? ContainerSniffer.sniff(prefix) : options.inputFormat
            if prefix.isEmpty {
                grouper.problem(InputProblem(source: file.displayName, message: "empty input: no data"))
            } else if let reason = InputScreening.notText(prefix)
                        ?? (options.inputFormat == .auto && format == .plain ? InputScreening.unknownJSON(prefix, isWhole: isWhole) : nil) {
                grouper.problem(InputProblem(source: file.displayName, message: reason))
            } else {
                delivered = true
                try readContainer(format: format, prefix: prefix, peekError: peekError, upstream: upstream, file: file,
                                  origin: origin, sink: sink, grouper: grouper)
            }
        } catch let error as InputError {
            grouper.problem(error.problem)
        }
        if delivered, let problem = InputScreening.invalidUTF8Problem(file: file.displayName, census: source.utf8) {
            grouper.problem(problem)
        }
        grouper.addFile(bytes: source.bytesRead)
        return delivered
    }

    private func readContainer(format: InputFormat, prefix: [UInt8], peekError: (any Error)?, upstream: DecodedSource,
                               file: InputFile, origin: RecordOrigin, sink: RecordSink, grouper: RequestGrouper) throws {
        let source = PrefixedSource(prefix: prefix, upstream: upstream, deferredError: peekError)
        switch format {
        case .cliJSON:
            let reader = CloudWatchEventsReader(sourceName: file.displayName, logGroup: origin.logGroup, logStream: origin.logStream,
                                                maxMessageLength: options.maxLineLength)
            try reader.read(source, into: sink)
        case .subscription:
            let reader = SubscriptionPayloadReader(sourceName: file.displayName, maxMessageLength: options.maxLineLength) { bytes in
                try DecodedSource(upstream: MemorySource(bytes), displayName: "\(file.displayName) (awslogs.data)")
            }
            try reader.read(source, into: sink)
        case .insightsJSON:
            let reader = InsightsJSONReader(sourceName: file.displayName, maxMessageLength: options.maxLineLength, bufferSize: 1 << 20)
            try reader.read(source, into: sink)
        case .auto, .export, .plain, .tail, .accessJSON, .insightsCSV:
            var reader = LineReader(source: source, maxLineLength: options.maxLineLength)
            let text = TextRecordReader(sink: sink, origin: origin, displayName: file.displayName)
            text.maxRecordLength = options.maxLineLength
            defer { grouper.addContinuationLines(text.continuationLines) }
            try text.read(&reader)
        }
    }
}

/// Decides the container format of an input from its first bytes (log-formats.md §10.1).
public enum ContainerSniffer {
    public static func sniff(_ prefix: [UInt8]) -> InputFormat {
        var start = 0
        if prefix.count >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { start = 3 }
        while start < prefix.count, prefix[start] == 0x20 || prefix[start] == 0x09 || prefix[start] == 0x0A || prefix[start] == 0x0D {
            start += 1
        }
        guard start < prefix.count else { return .plain }
        if prefix[start] == 0x7B || prefix[start] == 0x5B {
            let kind = prefix.withUnsafeBytes { JSONContainerSniffer.sniff(prefix: UnsafeRawBufferPointer(rebasing: $0[start...])) }
            switch kind {
            case .cloudWatchEvents?: return .cliJSON
            case .subscription?, .lambdaSubscription?: return .subscription
            case .insightsJSONArray?: return .insightsJSON
            case .accessLogNDJSON?: return .accessJSON
            case .queryResults?, nil: return .plain
            }
        }
        return .plain
    }
}

extension ContainerSniffer {
    /// Whether the first record of an input is an access-log record: an NDJSON/one-line JSON object, an access line
    /// behind an S3-export or `aws logs tail` timestamp, a CLF/CSV/XML preset line, or CloudWatch events whose first
    /// message is one of those.
    public static func holdsAccessLog(_ prefix: [UInt8]) -> Bool {
        let format = sniff(prefix)
        if format == .accessJSON { return true }
        if format == .cliJSON || format == .subscription {
            return firstJSONMessage(prefix).map { AccessLogRecord.parse($0) != nil } ?? false
        }
        guard format == .plain else { return false }
        var text = String(decoding: prefix, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: true).first(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return false
        }
        var candidate = Substring(line.drop { $0 == " " || $0 == "\t" })
        if candidate.last == "\r" { candidate = candidate.dropLast() }
        // Strip an S3-export / tail timestamp and a stream name.
        var bytes = Array(candidate.utf8)
        if let first = bytes.first, first >= 0x30, first <= 0x39,
           let parsed = bytes.withUnsafeBytes({ Timestamp.parseISO($0) }), parsed.length < bytes.count, bytes[parsed.length] == 0x20 {
            bytes.removeFirst(parsed.length + 1)
            if let firstByte = bytes.first, firstByte != 0x7B, firstByte != 0x3C, let space = bytes.firstIndex(of: 0x20),
               !TextRecordReader.looksLikeIPAddressStart(bytes.withUnsafeBytes { $0 }) {
                bytes.removeFirst(space + 1)
            }
        }
        return AccessLogRecord.parse(String(decoding: bytes, as: UTF8.self)) != nil
    }

    /// The first `"message"` string value in a JSON prefix, unescaped roughly (enough to sniff its shape).
    static func firstJSONMessage(_ prefix: [UInt8]) -> String? {
        let text = String(decoding: prefix, as: UTF8.self)
        guard let key = text.firstRange(of: "\"message\"") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        var out = ""
        var escaped = false
        for c in rest {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { return out }
            out.append(c)
        }
        return nil
    }
}

/// Passes on only the records whose message contains one of the needles (memmem); counts the rest as skipped.
final class NeedleFilter: RecordSink {
    let next: RecordSink
    let needles: [[UInt8]]
    var passedPrevious = false

    init(next: RecordSink, needles: [[UInt8]]) {
        self.next = next
        self.needles = needles
    }

    func receive(_ record: Record) throws {
        guard let base = record.message.baseAddress, record.message.count > 0 else {
            next.skip(.container, count: 1)
            return
        }
        for needle in needles {
            let found = ByteSearch.contains(needle, in: UnsafeRawBufferPointer(start: base, count: record.message.count))
            if found {
                try next.receive(record)
                return
            }
        }
        next.skip(.container, count: 1)
    }

    func receiveContinuation(_ text: UnsafeRawBufferPointer, line: Int) throws {
        try next.receiveContinuation(text, line: line)
    }

    func skip(_ what: SkippedInput, count: Int) { next.skip(what, count: count) }
    func problem(_ problem: InputProblem) { next.problem(problem) }
}
