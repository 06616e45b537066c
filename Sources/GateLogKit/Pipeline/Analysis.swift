/// Settings of one analysis run.
public struct AnalysisOptions: Sendable {
    public var scan = ScanOptions()
    public var diagnosis = DiagnosisOptions()
    public var grouping = GroupingPolicy()

    public init() {}
}

/// What a run read: input totals and problems, and how many inputs could be read.
public struct AnalysisSummary: Sendable {
    public var totals: InputTotals
    public var problems: [InputProblem]
    public var readableInputs: Int
    public var unreadableInputs: Int
    public var skipped: [String]
}

/// Runs the whole pipeline — input, records, entries, lifecycles, diagnosis — and hands each finished request and its
/// verdict to the caller, in a deterministic order that depends only on the input.
public final class Analysis {
    public let options: AnalysisOptions
    public let files = FileTable()
    /// Progress of the scan (see `LogScanner.onProgress`).
    public var onProgress: ((ScanProgress) -> Void)?

    public init(options: AnalysisOptions = AnalysisOptions()) {
        self.options = options
    }

    public func run(_ paths: [String], onRequest: @escaping (RequestLifecycle, Verdict) throws -> Void) throws -> AnalysisSummary {
        let diagnoser = Diagnoser(files: files, options: options.diagnosis)
        let grouper = RequestGrouper(
            files: files, policy: options.grouping,
            onAccessRecord: { text, _, _ in AccessLogRecord.parse(text)?.requestId },
            onFinished: { lifecycle in try onRequest(lifecycle, diagnoser.diagnose(lifecycle)) })
        let scanner = LogScanner(options: options.scan)
        scanner.onProgress = onProgress
        let result = try scanner.scan(paths, into: grouper)
        return AnalysisSummary(totals: grouper.totals, problems: grouper.problems, readableInputs: result.readableInputs,
                               unreadableInputs: result.unreadableInputs, skipped: result.skipped)
    }
}
