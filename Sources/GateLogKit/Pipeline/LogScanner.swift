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
        for file in enumeration.files {
            if try read(file, into: grouper) { result.readableInputs += 1 } else { result.unreadableInputs += 1 }
        }
        try grouper.finishAll()
        return result
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
            let prefix = try PrefixedSource.peek(&upstream, count: 64 * 1024)
            delivered = !prefix.isEmpty
            if prefix.isEmpty {
                grouper.problem(InputProblem(source: file.displayName, message: "empty input: no data"))
            } else {
                try readContainer(prefix: prefix, upstream: upstream, file: file, origin: origin, sink: sink, grouper: grouper)
            }
        } catch let error as InputError {
            grouper.problem(error.problem)
        }
        grouper.addFile(bytes: source.bytesRead)
        return delivered
    }

    private func readContainer(prefix: [UInt8], upstream: DecodedSource, file: InputFile, origin: RecordOrigin,
                               sink: RecordSink, grouper: RequestGrouper) throws {
        let format = options.inputFormat == .auto ? ContainerSniffer.sniff(prefix) : options.inputFormat
        switch format {
        default:
            var reader = LineReader(source: PrefixedSource(prefix: prefix, upstream: upstream), maxLineLength: options.maxLineLength)
            let text = TextRecordReader(sink: sink, origin: origin, displayName: file.displayName)
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
        return .plain
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
