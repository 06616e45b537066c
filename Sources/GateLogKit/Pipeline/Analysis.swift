import Foundation

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

    /// Runs the pipeline over `paths`; `onRequest` receives each finished request with its full verdict.
    public func run(_ paths: [String], onRequest: @escaping (RequestLifecycle, Verdict) throws -> Void) throws -> AnalysisSummary {
        try run(paths, handle: { lifecycle, facts, diagnoser in
            try onRequest(lifecycle, diagnoser.diagnose(lifecycle, facts: facts, evidence: true))
        })
    }

    /// Like `run(_:onRequest:)`, but each verdict comes without its evidence; the third argument builds it (valid only
    /// during that call). For callers that keep the evidence of a few requests only (the report's examples): citing
    /// and redacting lines is a large part of the per-request cost.
    public func run(_ paths: [String],
                    onRequestDeferringEvidence onRequest: @escaping (RequestLifecycle, Verdict, () -> [Evidence]) throws -> Void)
        throws -> AnalysisSummary {
        try run(paths, handle: { lifecycle, facts, diagnoser in
            let verdict = diagnoser.diagnose(lifecycle, facts: facts, evidence: false)
            try onRequest(lifecycle, verdict) { diagnoser.evidence(of: lifecycle) }
        })
    }

    /// `handle` gets each finished request, its facts when they were computed ahead (on the grouping thread, to share
    /// the per-request work between the two threads), and the diagnoser.
    private func run(_ paths: [String], handle: @escaping (RequestLifecycle, RequestFacts?, Diagnoser) throws -> Void) throws -> AnalysisSummary {
        let diagnoser = Diagnoser(files: files, options: options.diagnosis)
        let pool = LifecyclePool()
        let diagnosis = options.scan.jobs > 1 ? DiagnosisThread(diagnoser: diagnoser, pool: pool, handle: handle) : nil
        let grouper = RequestGrouper(
            files: files, policy: options.grouping,
            onAccessRecord: { text, _, _ in AccessLogRecord.parse(text) },
            onFinished: { lifecycle in
                if let diagnosis { try diagnosis.send(lifecycle) } else { try handle(lifecycle, nil, diagnoser) }
            })
        if diagnosis != nil { grouper.pool = pool }
        let scanner = LogScanner(options: options.scan)
        scanner.onProgress = onProgress
        let result: ScanResult
        do {
            result = try scanner.scan(paths, into: grouper)
            try diagnosis?.finish()
        } catch {
            diagnosis?.abandon()
            throw error
        }
        return AnalysisSummary(totals: grouper.totals, problems: grouper.problems, readableInputs: result.readableInputs,
                               unreadableInputs: result.unreadableInputs, skipped: result.skipped)
    }
}

/// Runs the diagnosis and the caller's per-request work on a thread of its own, fed with finished requests in the order
/// the grouper finishes them (a bounded queue of batches), so grouping and diagnosis overlap on two cores and the
/// order of verdicts stays exactly that of the single-threaded run.
///
/// Hand-over: a finished `RequestLifecycle` is never touched again by the grouper, so moving it to this thread is safe;
/// the `Diagnoser` and `handle` are used only by this thread until `finish` returns.
///
/// Balance: reading a request's facts is work either thread can do (the result is the same). The grouping thread does
/// it while the diagnosis thread has batches waiting (diagnosis is the slower stage), and leaves it to the diagnosis
/// thread while that one is about to run dry (grouping is the slower stage), so the two threads finish together.
final class DiagnosisThread: @unchecked Sendable {
    private static let queueCapacity = 4
    private let queue = BoundedQueue<[(RequestLifecycle, RequestFacts?)]>(capacity: DiagnosisThread.queueCapacity)
    private var batch: [(RequestLifecycle, RequestFacts?)] = []
    private let batchSize = 128
    /// Whether `send` reads the facts here (see "Balance").
    private var factsHere = true
    private let errorLock = NSLock()
    private var failure: (any Error)?
    private var done: DispatchSemaphore?

    init(diagnoser: Diagnoser, pool: LifecyclePool, handle: @escaping (RequestLifecycle, RequestFacts?, Diagnoser) throws -> Void) {
        let diagnoserBox = Handover(diagnoser)
        let handleBox = Handover(handle)
        done = startThread(name: "gatelog-diagnose") { [self] in
            let diagnoser = diagnoserBox.value
            let handle = handleBox.value
            while var lifecycles = queue.take() {
                do {
                    for (lifecycle, facts) in lifecycles { try handle(lifecycle, facts, diagnoser) }
                    pool.takeBack(&lifecycles)
                } catch {
                    errorLock.lock()
                    failure = error
                    errorLock.unlock()
                    queue.cancel()
                    return
                }
            }
        }
        batch.reserveCapacity(batchSize)
    }

    private func recordedFailure() -> (any Error)? {
        errorLock.lock()
        defer { errorLock.unlock() }
        return failure
    }

    /// Queues a finished request, with its facts read here on the sending (grouping) thread when that thread is ahead.
    func send(_ lifecycle: RequestLifecycle) throws {
        batch.append((lifecycle, factsHere ? RequestFacts(lifecycle) : nil))
        if batch.count >= batchSize { try flush() }
    }

    private func flush() throws {
        guard !batch.isEmpty else { return }
        let full = batch
        batch = []
        batch.reserveCapacity(batchSize)
        if !queue.put(full) || recordedFailure() != nil {
            throw recordedFailure() ?? CancellationError()
        }
        // Batches waiting: the diagnosis thread is behind, so help it; at most one: it is waiting for this thread.
        let waiting = queue.depth
        if waiting >= Self.queueCapacity - 1 { factsHere = true } else if waiting <= 1 { factsHere = false }
    }

    /// Sends the last batch and waits until every request has been diagnosed; rethrows the first error of `handle`.
    func finish() throws {
        try flush()
        queue.close()
        done?.wait()
        done = nil
        if let failure = recordedFailure() { throw failure }
    }

    /// Stops early (the scan failed): drops what is queued and waits for the thread.
    func abandon() {
        queue.cancel()
        done?.wait()
        done = nil
    }
}
