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
    case insightsMarkdown = "insights-markdown"
    case queryResults = "query-results"
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
    /// Threads that open and decode (gunzip) files ahead of the parsing thread (`--jobs`); 1 reads everything on the
    /// calling thread. Files are still parsed and grouped in input order, so results do not depend on this.
    public var jobs = 1

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

/// How far a scan has got, for a progress line: inputs finished and raw bytes read (compressed bytes for gzip input),
/// against the total size of the inputs when every size is known (not for standard input or pipes).
public struct ScanProgress: Sendable, Equatable {
    public var filesDone = 0
    public var filesTotal = 0
    public var bytesDone: Int64 = 0
    public var bytesTotal: Int64?
    /// Whether the scan has finished (the last call).
    public var finished = false
}

/// Reads every input in order (Input stage), picks its container reader (Records stage), and feeds the records to a
/// `RequestGrouper` (Lifecycles stage). Problems with one input are recorded on the grouper and reading goes on.
public final class LogScanner {
    public let options: ScanOptions

    /// Called every few thousand records and after each input with the scan's progress (`--progress`).
    public var onProgress: ((ScanProgress) -> Void)?
    private var progress = ScanProgress()

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
        progress = ScanProgress(filesTotal: enumeration.files.count,
                                bytesTotal: enumeration.files.allSatisfy { $0.size != nil } ? enumeration.files.reduce(0) { $0 + ($1.size ?? 0) } : nil)
        let ordered = accessFiles + otherFiles
        let pool = options.jobs > 1 && !ordered.isEmpty ? ReadAheadPool(files: ordered, workers: options.jobs) : nil
        defer { pool?.shutdown() }
        for (index, file) in ordered.enumerated() {
            if try read(file, into: grouper, prefetched: pool?.stream(index)) {
                result.readableInputs += 1
            } else {
                result.unreadableInputs += 1
            }
            progress.filesDone += 1
            onProgress?(progress)
        }
        try grouper.finishAll()
        progress.finished = true
        onProgress?(progress)
        return result
    }

    /// Whether an input holds access-log records (peeks at its first bytes; unreadable inputs say no).
    func isAccessLog(_ file: InputFile) -> Bool {
        if options.inputFormat == .accessJSON { return true }
        // An execution-log group never holds access logs (they go to a group the user names): no need to open the
        // bulk of an S3 export twice.
        if file.logGroupHint?.contains("API-Gateway-Execution-Logs_") == true { return false }
        guard options.inputFormat == .auto, var source = try? InputOpener.open(file, readSize: 16 * 1024),
              let prefix = try? PrefixedSource.peek(&source, count: 16 * 1024) else { return false }
        return ContainerSniffer.holdsAccessLog(prefix)
    }

    /// Reads one input; returns false when nothing of it could be read.
    ///
    /// An input that holds data but yields no API Gateway record at all (no line of a request, no access-log record,
    /// no subscription control message) is reported as a problem naming the file: it is binary data, an unrelated
    /// log, or a format gatelog does not know.
    @discardableResult
    public func read(_ file: InputFile, into grouper: RequestGrouper) throws -> Bool {
        try read(file, into: grouper, prefetched: nil)
    }

    /// Reads one input, from `prefetched` (its bytes decoded by a `ReadAheadPool` worker) when given.
    func read(_ file: InputFile, into grouper: RequestGrouper, prefetched: ReadAheadPool.Stream?) throws -> Bool {
        grouper.currentFile = grouper.files.add(file.displayName)
        let source: DecodedSource
        defer { prefetched?.skipRest() }
        do {
            if let prefetched {
                if let error = prefetched.waitOpened() { throw error }
                source = DecodedSource(prefetched: prefetched, displayName: file.displayName)
            } else {
                source = try InputOpener.open(file)
            }
        } catch let error as InputError {
            grouper.problem(error.problem)
            return false
        }
        var upstream = source
        var sink: RecordSink = options.needles.isEmpty ? grouper : NeedleFilter(next: grouper, needles: options.needles)
        if let onProgress {
            let before = progress
            sink = ProgressSink(next: sink) { onProgress(ScanProgress(filesDone: before.filesDone, filesTotal: before.filesTotal,
                                                                     bytesDone: before.bytesDone + source.bytesRead, bytesTotal: before.bytesTotal)) }
        }
        defer { progress.bytesDone += source.bytesRead }
        let origin = RecordOrigin(logGroup: file.logGroupHint, logStream: file.logStreamHint)
        var delivered = false
        let before = grouper.totals
        var prefix: [UInt8] = []
        var format = options.inputFormat
        do {
            // An error after some bytes (gzip cut short) keeps those bytes; it is reported once they are read.
            let sniffLength = 64 * 1024
            let peeked = try PrefixedSource.peekKeepingError(&upstream, count: sniffLength)
            prefix = peeked.bytes
            let isWhole = peeked.error == nil && prefix.count < sniffLength
            if format == .auto, !prefix.isEmpty { format = ContainerSniffer.sniff(prefix) }
            if prefix.isEmpty {
                grouper.problem(InputProblem(source: file.displayName, message: "empty input: no data"))
            } else if let reason = InputScreening.notText(prefix)
                        ?? (options.inputFormat == .auto && format == .plain ? InputScreening.unknownJSON(prefix, isWhole: isWhole) : nil) {
                // Binary data, UTF-16, an archive, JSON of another shape: one problem, not a file of meaningless lines.
                grouper.problem(InputProblem(source: file.displayName, message: reason))
            } else {
                delivered = true
                try readContainer(format: format, prefix: prefix, peekError: peeked.error, upstream: upstream, file: file,
                                  origin: origin, sink: sink, grouper: grouper)
            }
        } catch let error as InputError {
            grouper.problem(error.problem)
        }
        if delivered, let problem = InputScreening.invalidUTF8Problem(file: file.displayName, census: source.utf8) {
            grouper.problem(problem)
        }
        if delivered, options.needles.isEmpty,
           let reason = Self.unrecognizedContent(before: before, after: grouper.totals, prefix: prefix, format: format,
                                                 forced: options.inputFormat != .auto) {
            grouper.problem(InputProblem(source: file.displayName, message: "no API Gateway log records recognized (\(reason))"))
        }
        if let prefetched {
            prefetched.skipRest()
            grouper.addFile(bytes: prefetched.rawBytes)
        } else {
            grouper.addFile(bytes: source.bytesRead)
        }
        return delivered
    }

    /// Why an input that was read counts as holding no API Gateway logs, or nil when it held some (or held nothing but
    /// blank lines, or a JSON container with no events, or only subscription control messages).
    static func unrecognizedContent(before: InputTotals, after: InputTotals, prefix: [UInt8], format: InputFormat,
                                    forced: Bool) -> String? {
        let attributed = (after.recognizedLines - before.recognizedLines) + (after.unrecognizedLines - before.unrecognizedLines)
            + (after.accessRecords - before.accessRecords)
        guard attributed == 0, after.controlMessages == before.controlMessages else { return nil }
        let records = after.records - before.records
        let isJSONContainer = format == .cliJSON || format == .subscription || format == .insightsJSON || format == .queryResults
        if records == 0 && isJSONContainer && !forced { return nil }
        if records == 0 && !prefix.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) { return nil }
        if ContainerSniffer.looksBinary(prefix) { return "looks like binary data" }
        if forced { return "read as --input-format \(format.rawValue)" + (records > 0 ? ": \(records) records, none from API Gateway" : "") }
        if records > 0 && format != .plain { return "\(records) log events, none of them API Gateway execution or access log lines" }
        return "unknown text format"
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
        case .queryResults:
            let reader = QueryResultsReader(sourceName: file.displayName, maxMessageLength: options.maxLineLength, bufferSize: 1 << 20)
            try reader.read(source, into: sink)
        case .insightsCSV:
            var reader = LineReader(source: source, maxLineLength: options.maxLineLength)
            let csv = InsightsCSVReader(sink: sink, sourceName: file.displayName, maxMessageLength: options.maxLineLength)
            defer { grouper.addContinuationLines(csv.continuationLines) }
            try csv.read(&reader)
        case .insightsMarkdown:
            var reader = LineReader(source: source, maxLineLength: options.maxLineLength)
            let markdown = InsightsMarkdownReader(sink: sink, sourceName: file.displayName, maxMessageLength: options.maxLineLength)
            try markdown.read(&reader)
        case .auto, .export, .plain, .tail, .accessJSON:
            let text = TextRecordReader(sink: sink, origin: origin, displayName: file.displayName)
            text.maxRecordLength = options.maxLineLength
            defer { grouper.addContinuationLines(text.continuationLines) }
            if upstream.isPrefetched {
                // Bytes decoded ahead are split into lines where the worker put them (no copy into the line buffer).
                upstream.pushBack(prefix, error: peekError)
                var reader = LineReader(source: upstream, maxLineLength: options.maxLineLength)
                try readText(&reader, into: text)
            } else {
                var reader = LineReader(source: source, maxLineLength: options.maxLineLength)
                try readText(&reader, into: text)
            }
        }
    }

    private func readText<Source: ByteSource>(_ reader: inout LineReader<Source>, into text: TextRecordReader) throws {
        if options.needles.isEmpty {
            try text.read(&reader)
        } else {
            try readScreened(&reader, into: text)
        }
    }

    /// `trace`'s fast path: lines are screened on their raw bytes before any parsing. A line that starts a record is
    /// kept only when it holds one of the needles; a continuation line shares the fate of its record; a timestamp alone
    /// on its line is always kept (it dates the next line). The reader then sees exactly the records the needle filter
    /// would have passed, with their continuation lines.
    private func readScreened<Source: ByteSource>(_ reader: inout LineReader<Source>, into text: TextRecordReader) throws {
        let needles = options.needles
        let uuidNeedles = needles.map(LineScreen.isUUID)
        var keepingRecord = false
        do {
            try reader.forEachLine { line, number, dropped in
                let keep: Bool
                switch LineScreen.classify(line) {
                case .loneTimestamp:
                    keep = true
                case .recordStart:
                    keepingRecord = needles.indices.contains { LineScreen.contains(needles[$0], in: line, needleIsUUID: uuidNeedles[$0]) }
                    keep = keepingRecord
                case .continuation:
                    keep = keepingRecord
                }
                if keep { try text.consume(line: line, number: number, dropped: dropped) }
            }
        } catch {
            try text.finish()
            throw error
        }
        try text.finish()
    }
}

/// Byte-level screening of text lines for `trace` (see `LogScanner.readScreened`).
enum LineScreen {
    enum Kind { case recordStart, continuation, loneTimestamp }

    /// A record starts with a timestamp, a `(` prefix, a JSON object, a test-invoke date or a known message; anything
    /// else continues the record before it.
    static func classify(_ line: UnsafeRawBufferPointer) -> Kind {
        guard let first = line.first else { return .continuation }
        switch first {
        case 0x30...0x39:
            if line.count <= 35, let parsed = Timestamp.parseISO(line), line[parsed.length...].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                return .loneTimestamp
            }
            return .recordStart
        case 0x28, 0x7B, 0x3C:
            return .recordStart
        case 0x20, 0x09, 0x7D, 0x5D, 0x22:
            return .continuation
        default:
            return TextRecordReader.startsRecord(line) || (line.count >= 31 && Timestamp.parseTestInvoke(line) != nil)
                ? .recordStart : .continuation
        }
    }

    /// Whether `needle` occurs in `line`. S3-export lines put the `(requestId)` at byte 25: that spot is checked first.
    /// A request id is written only in its own request's lines, so when the needle and that prefix are both UUIDs the
    /// prefix decides; other needles (extended ids) are searched for in the whole line.
    static func contains(_ needle: [UInt8], in line: UnsafeRawBufferPointer, needleIsUUID: Bool) -> Bool {
        let n = needle.count
        if line.count >= 26 + n, line[25] == 0x28 {
            let hit = needle.withUnsafeBytes { memcmp(line.baseAddress! + 26, $0.baseAddress!, n) == 0 }
            if hit { return true }
            if needleIsUUID, line.count > 62, line[62] == 0x29 { return false }
            let rest = UnsafeRawBufferPointer(rebasing: line[26...])
            return ByteSearch.contains(needle, in: rest)
        }
        return ByteSearch.contains(needle, in: line)
    }

    static func isUUID(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { RequestKey.uuid($0) != nil }
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
            case .queryResults?: return .queryResults
            case nil: return .plain
            }
        }
        // The first non-blank line decides between the Insights table forms and line text.
        var end = start
        while end < prefix.count, prefix[end] != 0x0A { end += 1 }
        let firstLine = prefix[start..<end]
        if InsightsCSVReader.isHeader(firstLine) { return .insightsCSV }
        if firstLine.withUnsafeBytes({ InsightsMarkdownReader.isStart($0) }) { return .insightsMarkdown }
        return .plain
    }

    /// Whether the first bytes of an input look like binary data rather than text: NUL bytes, or many control bytes
    /// or invalid UTF-8 sequences.
    public static func looksBinary(_ prefix: [UInt8]) -> Bool {
        let sample = prefix.prefix(8192)
        guard !sample.isEmpty else { return false }
        if sample.contains(0) { return true }
        var suspicious = 0
        var i = sample.startIndex
        while i < sample.endIndex {
            let b = sample[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D && b != 0x1B && b != 0x0C { suspicious += 1 }
                i += 1
            } else if b < 0x80 {
                i += 1
            } else {
                // A UTF-8 sequence: lead byte then continuation bytes.
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
                var valid = length > 0 && i + length <= sample.endIndex
                if valid { for k in 1..<length where sample[i + k] & 0xC0 != 0x80 { valid = false } }
                if valid { i += length } else { suspicious += 1; i += 1 }
            }
        }
        return suspicious * 20 > sample.count
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
        guard let line = firstNonBlankLine(prefix) else { return false }
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

    /// The first line of `prefix` (a leading byte-order mark removed) that holds more than whitespace, found without
    /// turning all of it into a `String`. Lines end at a `\n` that does not follow `\r`: a CRLF pair is one `Character`,
    /// so splitting the decoded text on `"\n"` (as this once did) never split there.
    static func firstNonBlankLine(_ prefix: [UInt8]) -> Substring? {
        var start = 0
        var isFirst = true
        while start < prefix.count {
            var end = start
            while end < prefix.count, !(prefix[end] == 0x0A && (end == 0 || prefix[end - 1] != 0x0D)) { end += 1 }
            var line = String(decoding: prefix[start..<end], as: UTF8.self)
            if isFirst, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            isFirst = false
            if !line.allSatisfy(\.isWhitespace) { return Substring(line) }
            start = end + 1
        }
        return nil
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

/// Passes records on and calls `report` every 4,096 records (progress of a long scan).
final class ProgressSink: RecordSink {
    let next: RecordSink
    let report: () -> Void
    var records = 0

    init(next: RecordSink, report: @escaping () -> Void) {
        self.next = next
        self.report = report
    }

    func receive(_ record: Record) throws {
        records &+= 1
        if records & 4095 == 0 { report() }
        try next.receive(record)
    }

    func skip(_ what: SkippedInput, count: Int) { next.skip(what, count: count) }
    func problem(_ problem: InputProblem) { next.problem(problem) }
}

/// Passes on only the records whose message contains one of the needles (memmem); counts the rest as skipped.
final class NeedleFilter: RecordSink {
    let next: RecordSink
    let needles: [[UInt8]]

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

    func skip(_ what: SkippedInput, count: Int) { next.skip(what, count: count) }
    func problem(_ problem: InputProblem) { next.problem(problem) }
}
