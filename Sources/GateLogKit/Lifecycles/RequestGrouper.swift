/// Counts that let every input line be accounted for (DESIGN.md §4 `inputs`).
public struct InputTotals: Sendable, Equatable, Codable {
    public var files = 0
    public var bytes: Int64 = 0
    /// Log events delivered by the containers.
    public var records = 0
    /// Records attributed to a request and recognized.
    public var recognizedLines = 0
    /// Records attributed to a request whose message gatelog does not know.
    public var unrecognizedLines = 0
    /// Records that name no request (no id prefix, no access-log request id), or arrive after their request was closed.
    public var orphanLines = 0
    /// Access-log records.
    public var accessRecords = 0
    /// Extra lines joined to the record before them (multi-line messages).
    public var continuationLines = 0
    /// Blank lines, container syntax, control messages.
    public var skippedLines = 0
    public var controlMessages = 0

    public init() {}
}

/// How long a request stays open while more of its lines may arrive.
///
/// The rule: a request is finished once it has seen its verdict line (`Method completed with status`,
/// `Unauthorized request`, the access-denied line, an API-key refusal, …) and `settleRecords` further records have
/// been read without touching it (trailers such as `X-ray Tracing ID` come right after the verdict); a request that
/// never shows a verdict is finished at the first check after `idleRecords` records without a line of its own (checks
/// run every `min(idleRecords, 65,536)` records, so within twice that window); everything left is
/// finished at end of input. Memory is therefore bounded by the requests seen in those windows, not by input size.
public struct GroupingPolicy: Sendable {
    public var settleRecords: Int64 = 20_000
    public var idleRecords: Int64 = 2_000_000
    /// How many closed request ids are remembered to recognise lines that arrive after their request closed.
    public var closedMemory = 65_536
    /// How many access-log records wait at most for their execution-log lines (see `RequestGrouper.holdAccessRecords`);
    /// past that the oldest stand alone.
    public var pendingAccessLimit = 1_000_000
    /// Lines and text bytes kept per request (real requests have tens of lines). Past either, further lines of the
    /// request are counted but not kept — verdict lines still are, up to twice the limits — and one problem says so:
    /// one request id repeated through a huge or hostile input cannot grow memory without bound.
    public var maxRequestLines = 10_000
    public var maxRequestBytes = 16 << 20
    /// Bytes all open requests may hold together (their text and line records). Past it the requests seen least
    /// recently are finished early, down to three quarters of it, and one problem says so: many request ids that never
    /// reach a verdict (hostile or cut input) cannot grow memory without bound.
    public var maxOpenBytes = 256 << 20

    public init() {}
}

/// Groups records into per-request lifecycles (the Lifecycles stage). It is the `RecordSink` of the container
/// readers; finished requests go to `onFinished` in a deterministic order that depends only on the input order.
public final class RequestGrouper: RecordSink {
    public let files: FileTable
    public private(set) var totals = InputTotals()
    public private(set) var problems: [InputProblem] = []
    /// The file being read; set by the driver before each input.
    public var currentFile: Int32 = -1 {
        didSet {
            legacyRequest = nil
            closeProblemCount(file: oldValue)
        }
    }
    /// Problems kept per input file; past that they are only counted, and one closing problem says how many more
    /// there were (a hostile file cannot grow the problem list, or stderr, without bound).
    public var maxProblemsPerFile = 100
    private var problemsInFile = 0

    private let policy: GroupingPolicy
    private let onFinished: (RequestLifecycle) throws -> Void
    private let onAccessRecord: ((String, SourceLocation, Int64?) -> AccessLogRecord?)?
    private var open = OpenRequestTable()
    private var settling: [(key: RequestKey, touch: Int64)] = []
    private var settlingHead = 0
    private var closed: ClosedRequestMemory
    private var sequence: Int64 = 0
    private var nextSweep: Int64 = 65_536
    private let interner = RequestIdInterner()
    /// The request that prefix-less (legacy, test-invoke) lines of the current file belong to.
    private var legacyRequest: RequestKey?
    /// Access records waiting for the execution-log lines of their request.
    private var pendingAccess: [RequestKey: (id: String, entries: [AccessEntry])] = [:]
    private var pendingOrder: [RequestKey] = []
    private var pendingHead = 0

    /// When true, access-log records that arrive before any line of their request wait (up to
    /// `GroupingPolicy.pendingAccessLimit`) for the request's execution-log lines instead of standing alone.
    /// The scan driver sets it when access logs are read ahead of execution logs.
    public var holdAccessRecords = false

    /// - Parameters:
    ///   - onAccessRecord: given a record that is not an execution-log line, returns it parsed when it
    ///     is an access-log record (nil otherwise). Access records join their request's lifecycle.
    ///   - onFinished: receives each finished request.
    public init(files: FileTable, policy: GroupingPolicy = GroupingPolicy(),
                onAccessRecord: ((String, SourceLocation, Int64?) -> AccessLogRecord?)? = nil,
                onFinished: @escaping (RequestLifecycle) throws -> Void) {
        self.files = files
        self.policy = policy
        self.onAccessRecord = onAccessRecord
        self.onFinished = onFinished
        self.closed = ClosedRequestMemory(limit: policy.closedMemory)
        self.nextSweep = sweepInterval
    }

    deinit {
        open.release()
        closed.release()
    }

    public var openRequests: Int { open.count }

    // MARK: RecordSink

    public func receive(_ record: Record) throws {
        try receive(timestamp: record.timestamp, message: record.message, line: record.line,
                    origin: record.origin.map { Unmanaged.passUnretained($0) })
    }

    /// `receive(_:)` without a `Record`: the origin is passed unretained (the caller keeps it alive during the call), so
    /// a line costs no reference counting for it. Container readers that know their sink is a grouper call this.
    func receive(timestamp: Int64?, message: UnsafeRawBufferPointer, line: Int, origin: Unmanaged<RecordOrigin>?) throws {
        sequence += 1
        totals.records += 1
        let header = MessageRecognizer.recognize(message)
        var key: RequestKey?
        var idRange = header.idRange
        if let range = idRange {
            key = keyFor(UnsafeRawBufferPointer(rebasing: message[range]))
        } else if header.kind != .unrecognized {
            let text = UnsafeRawBufferPointer(rebasing: message[header.textStart...])
            if let embedded = MessageRecognizer.embeddedRequestId(kind: header.kind, text: text) {
                let range = (embedded.lowerBound + header.textStart)..<(embedded.upperBound + header.textStart)
                idRange = range
                key = keyFor(UnsafeRawBufferPointer(rebasing: message[range]))
                legacyRequest = key
            } else {
                key = legacyRequest
            }
        }
        guard let key else {
            try unattributed(Record(timestamp: timestamp, message: message, line: line, origin: origin?.takeUnretainedValue()),
                             header: header)
            return
        }
        let kept: Bool
        if let existing = open.find(key) {
            // The table keeps the lifecycle alive; `add` does not finish requests, so no retain is needed here.
            kept = existing._withUnsafeGuaranteedRef {
                add(to: $0, key: key, header: header, message: message, timestamp: timestamp, line: line, origin: origin)
            }
        } else if closed.contains(key) {
            totals.orphanLines += 1
            return
        } else {
            let id: String
            if key.isUUID, let range = idRange {
                id = String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
            } else {
                id = interner.text(for: key).split(separator: "\u{1F}").last.map(String.init) ?? "?"
            }
            let lifecycle = makeLifecycle(key: key, requestId: id)
            open.insert(lifecycle)
            if !pendingAccess.isEmpty, let waiting = pendingAccess.removeValue(forKey: key) {
                for entry in waiting.entries { lifecycle.addAccess(entry) }
            }
            kept = add(to: lifecycle, key: key, header: header, message: message, timestamp: timestamp, line: line, origin: origin)
        }
        try settle()
        if kept, openBytes > policy.maxOpenBytes { try shedIfOverBudget() }
    }

    /// Where finished lifecycles come back for reuse (set by the driver when another thread diagnoses them).
    public var pool: LifecyclePool?
    private var spare: [RequestLifecycle] = []

    private func makeLifecycle(key: RequestKey, requestId: String) -> RequestLifecycle {
        if spare.isEmpty { pool?.refill(&spare) }
        if let reused = spare.popLast() {
            reused.reuse(key: key, requestId: requestId)
            return reused
        }
        let lifecycle = RequestLifecycle(key: key, requestId: requestId)
        lifecycle.reserveForLines()
        return lifecycle
    }

    /// Adds one attributed line to its open request. Returns false when the line was counted but not kept (the request
    /// is over `maxRequestLines`/`maxRequestBytes`).
    @inline(__always)
    private func add(to lifecycle: RequestLifecycle, key: RequestKey, header: MessageHeader, message: UnsafeRawBufferPointer,
                     timestamp: Int64?, line: Int, origin: Unmanaged<RecordOrigin>?) -> Bool {
        if header.kind == .unrecognized { totals.unrecognizedLines += 1 } else { totals.recognizedLines += 1 }
        if lifecycle.lines.count >= policy.maxRequestLines || lifecycle.arena.count >= policy.maxRequestBytes {
            let hardLimit = lifecycle.lines.count >= 2 * policy.maxRequestLines || lifecycle.arena.count >= 2 * policy.maxRequestBytes
            if !header.kind.isVerdict || hardLimit {
                dropLine(of: lifecycle, line: line)
                return false
            }
        }
        if lifecycle.origin == nil, let origin { lifecycle.origin = origin.takeUnretainedValue() }
        lifecycle.append(text: UnsafeRawBufferPointer(rebasing: message[header.textStart...]), kind: header.kind,
                         timestamp: timestamp, file: currentFile, line: line, sequence: sequence)
        account(lifecycle, bytes: message.count - header.textStart + MemoryLayout<LifecycleLine>.stride)
        lifecycle.lastTouch = sequence
        // `Execution failed due to configuration error` ends an authorizer failure (no `Method completed` follows,
        // log-formats.md §9.5); for integration failures the status line follows it at once and restarts the window.
        let ends = header.kind.isVerdict || header.kind == .configurationError
        if ends || lifecycle.verdictAt >= 0 {
            if lifecycle.verdictAt < 0 || ends { lifecycle.verdictAt = sequence }
            settling.append((key, sequence))
        }
        return true
    }

    /// A line of a request that already holds `maxRequestLines` lines or `maxRequestBytes` bytes: counted, not kept.
    private func dropLine(of lifecycle: RequestLifecycle, line: Int) {
        if !lifecycle.linesDropped {
            lifecycle.linesDropped = true
            problem(InputProblem(
                source: "\(files[currentFile]):\(line)",
                message: "request \(lifecycle.requestId) has more than \(policy.maxRequestLines) lines or \(policy.maxRequestBytes >> 20) MiB "
                    + "of text; its further lines are counted but not kept"))
        }
        lifecycle.lastTouch = sequence
    }

    public func skip(_ what: SkippedInput, count: Int) {
        totals.skippedLines += count
        if what == .control { totals.controlMessages += count }
    }

    public func problem(_ problem: InputProblem) {
        if currentFile >= 0 {
            problemsInFile += 1
            if problemsInFile > maxProblemsPerFile { return }
        }
        problems.append(problem)
    }

    /// Adds the "… more problems" line for the file just read, if it had more than `maxProblemsPerFile`.
    private func closeProblemCount(file: Int32) {
        if problemsInFile > maxProblemsPerFile {
            problems.append(InputProblem(
                source: files[file], message: "\(problemsInFile - maxProblemsPerFile) more problems in this input not listed (the first \(maxProblemsPerFile) are)"))
        }
        problemsInFile = 0
    }

    /// Adds lines that a container reader joined onto records (multi-line messages) to the totals.
    public func addContinuationLines(_ count: Int) {
        totals.continuationLines += count
    }

    public func addFile(bytes: Int64) {
        totals.files += 1
        totals.bytes += bytes
    }

    /// Finishes every open request (end of input), in the order their last line arrived.
    public func finishAll() throws {
        closeProblemCount(file: currentFile)
        let remaining = open.all.sorted { $0.lastTouch < $1.lastTouch }
        for lifecycle in remaining { try finish(lifecycle) }
        settling.removeAll()
        settlingHead = 0
        while pendingHead < pendingOrder.count {
            try releasePending(pendingOrder[pendingHead])
            pendingHead += 1
        }
        pendingOrder.removeAll()
        pendingHead = 0
    }

    /// Finishes an access record that never met execution-log lines as a request of its own.
    private func releasePending(_ key: RequestKey) throws {
        guard let waiting = pendingAccess.removeValue(forKey: key) else { return }
        sequence += 1
        let lifecycle = RequestLifecycle(key: key, requestId: waiting.id)
        for entry in waiting.entries { lifecycle.addAccess(entry) }
        lifecycle.lastTouch = sequence
        try finish(lifecycle)
    }

    // MARK: Internals

    @inline(__always)
    private func keyFor(_ id: UnsafeRawBufferPointer) -> RequestKey {
        if let key = RequestKey.uuid(id) { return key }
        return internedKey(id)
    }

    private func internedKey(_ id: UnsafeRawBufferPointer) -> RequestKey {
        // Ids that are not UUIDs: console test ids repeat across pastes, so they are scoped to their file.
        var scoped = Array("\(currentFile)\u{1F}".utf8)
        scoped.append(contentsOf: id)
        return scoped.withUnsafeBytes { interner.key(for: $0) }
    }

    private func unattributed(_ record: Record, header: MessageHeader) throws {
        let message = record.message
        var start = 0
        while start < message.count, message[start] == 0x20 || message[start] == 0x09 { start += 1 }
        if let onAccessRecord, start < message.count, message[start] == 0x7B || message[start] == 0x3C || Self.mayBeAccessLine(message) {
            let text = String(decoding: message, as: UTF8.self)
            let source = SourceLocation(file: files[currentFile], line: record.line > 0 ? record.line : nil)
            if let parsed = onAccessRecord(text, source, record.timestamp) {
                totals.accessRecords += 1
                try joinAccessRecord(AccessEntry(text: text, source: source, record: parsed))
                return
            }
        }
        totals.orphanLines += 1
    }

    /// CLF and CSV access logs start with an IP address or a quoted field.
    static func mayBeAccessLine(_ message: UnsafeRawBufferPointer) -> Bool {
        guard let first = message.first else { return false }
        return (first >= 0x30 && first <= 0x39) || first == 0x22 || first == 0x3A
    }

    private func joinAccessRecord(_ entry: AccessEntry) throws {
        let requestId = entry.record.requestId
        var idText = requestId
        let key: RequestKey = idText.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            return RequestKey.uuid(bytes) ?? keyFor(bytes)
        }
        sequence += 1
        let lifecycle: RequestLifecycle
        if let existing = open.find(key) {
            lifecycle = existing.takeUnretainedValue()
        } else if closed.contains(key) {
            // Its request was already finished: counted, not diagnosed twice.
            totals.accessRecords -= 1
            totals.orphanLines += 1
            return
        } else if holdAccessRecords {
            if pendingAccess[key] != nil {
                pendingAccess[key]!.entries.append(entry)
            } else {
                pendingAccess[key] = (requestId, [entry])
                pendingOrder.append(key)
                if pendingAccess.count > policy.pendingAccessLimit {
                    while pendingHead < pendingOrder.count, pendingAccess.count > policy.pendingAccessLimit {
                        try releasePending(pendingOrder[pendingHead])
                        pendingHead += 1
                    }
                }
                if pendingHead > 65_536, pendingHead * 2 > pendingOrder.count {
                    pendingOrder.removeFirst(pendingHead)
                    pendingHead = 0
                }
            }
            return
        } else {
            lifecycle = RequestLifecycle(key: key, requestId: requestId)
            open.insert(lifecycle)
        }
        lifecycle.addAccess(entry)
        lifecycle.lastTouch = sequence
        // An access record states the outcome: the request may finish once it has settled.
        if lifecycle.verdictAt < 0 { lifecycle.verdictAt = sequence }
        settling.append((key, sequence))
        try settle()
    }

    /// Idle requests are looked for every `min(idleRecords, 65,536)` records.
    private var sweepInterval: Int64 { max(1, min(65_536, policy.idleRecords)) }

    /// Finishes the requests whose settle window or idle time is over. Called for every record: the common case (nothing
    /// due) is decided inline.
    @inline(__always)
    private func settle() throws {
        if sequence >= nextSweep
            || (settlingHead < settling.count && sequence - settling[settlingHead].touch > policy.settleRecords) {
            try settleDue()
        }
    }

    private func settleDue() throws {
        while settlingHead < settling.count {
            let entry = settling[settlingHead]
            guard sequence - entry.touch > policy.settleRecords else { break }
            settlingHead += 1
            if let lifecycle = open.find(entry.key)?.takeUnretainedValue(), lifecycle.lastTouch == entry.touch {
                try finish(lifecycle)
            }
        }
        if settlingHead > 4096, settlingHead * 2 > settling.count {
            settling.removeFirst(settlingHead)
            settlingHead = 0
        }
        if sequence >= nextSweep {
            nextSweep = sequence + sweepInterval
            let idle = open.all.filter { sequence - $0.lastTouch > policy.idleRecords }
            for lifecycle in idle.sorted(by: { $0.lastTouch < $1.lastTouch }) { try finish(lifecycle) }
        }
    }

    /// Bytes held by open requests, as `account` counted them.
    public private(set) var openBytes = 0
    /// Requests finished early to stay within `GroupingPolicy.maxOpenBytes`.
    public private(set) var earlyFinishes = 0

    private func account(_ lifecycle: RequestLifecycle, bytes: Int) {
        lifecycle.accountedBytes += bytes
        openBytes += bytes
    }

    /// Finishes the requests seen least recently until the open ones hold three quarters of the budget.
    private func shedIfOverBudget() throws {
        guard openBytes > policy.maxOpenBytes else { return }
        if earlyFinishes == 0 {
            problem(InputProblem(
                source: files[currentFile],
                message: "more than \(policy.maxOpenBytes >> 20) MiB of unfinished requests were open at once: the least recently seen were finished before their last lines (their verdicts may be incomplete)"))
        }
        let target = policy.maxOpenBytes / 4 * 3
        for lifecycle in open.all.sorted(by: { $0.lastTouch < $1.lastTouch }) where openBytes > target {
            earlyFinishes += 1
            try finish(lifecycle)
        }
    }

    private func finish(_ lifecycle: RequestLifecycle) throws {
        openBytes -= lifecycle.accountedBytes
        lifecycle.accountedBytes = 0
        open.remove(lifecycle.key)
        closed.remember(lifecycle.key)
        lifecycle.sortLines()
        try onFinished(lifecycle)
    }
}
