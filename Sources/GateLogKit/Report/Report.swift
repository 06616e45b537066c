/// Counts by outcome and by cause, the building block of every report table. Stored packed (most routes see one or
/// two causes); `outcomes` and `causes` give them as dictionaries.
public struct Tally: Sendable, Equatable {
    public var requests = 0
    var outcomeCounts = PackedCounts()
    var causeCounts = PackedCounts()

    public init() {}

    mutating func add(_ verdict: Verdict) { add(outcome: verdict.outcome, cause: verdict.cause) }

    @inline(__always)
    mutating func add(outcome: Outcome, cause: Cause) {
        requests += 1
        outcomeCounts.add(outcome.ordinal)
        causeCounts.add(cause.ordinal)
    }

    /// Sets a count read back from a report (`count` must not have been set before).
    mutating func restore(_ outcome: Outcome, _ count: Int) { if count > 0 { outcomeCounts.add(outcome.ordinal, count) } }
    mutating func restore(_ cause: Cause, _ count: Int) { if count > 0 { causeCounts.add(cause.ordinal, count) } }

    mutating func merge(_ other: Tally) {
        requests += other.requests
        other.outcomeCounts.forEach { outcomeCounts.add($0, $1) }
        other.causeCounts.forEach { causeCounts.add($0, $1) }
    }

    public static func == (a: Tally, b: Tally) -> Bool {
        a.requests == b.requests && a.outcomeCounts.sortedWords == b.outcomeCounts.sortedWords
            && a.causeCounts.sortedWords == b.causeCounts.sortedWords
    }

    public func count(_ outcome: Outcome) -> Int { outcomeCounts.count(outcome.ordinal) }
    public func count(_ cause: Cause) -> Int { causeCounts.count(cause.ordinal) }

    /// Outcomes seen, with their counts.
    public var outcomes: [Outcome: Int] {
        var out: [Outcome: Int] = [:]
        outcomeCounts.forEach { out[Outcome.byOrdinal[Int($0)]] = $1 }
        return out
    }

    /// Causes seen, with their counts.
    public var causes: [Cause: Int] {
        var out: [Cause: Int] = [:]
        causeCounts.forEach { out[Cause.byOrdinal[Int($0)]] = $1 }
        return out
    }

    /// Causes seen with their counts, in `Cause.allCases` order.
    public var orderedCauses: [(cause: Cause, count: Int)] {
        var out: [(cause: Cause, count: Int)] = []
        causeCounts.forEach { out.append((Cause.byOrdinal[Int($0)], $1)) }
        return out.sorted { $0.cause.ordinal < $1.cause.ordinal }
    }

    /// Outcomes seen with their counts, in `Outcome.allCases` order.
    public var orderedOutcomes: [(outcome: Outcome, count: Int)] {
        var out: [(outcome: Outcome, count: Int)] = []
        outcomeCounts.forEach { out.append((Outcome.byOrdinal[Int($0)], $1)) }
        return out.sorted { $0.outcome.ordinal < $1.outcome.ordinal }
    }

    public var denied: Int { count(.denied) }
    /// Requests that did not end `allowed`.
    public var failed: Int { requests - count(.allowed) }

    /// The most frequent cause other than `ok` (ties broken by identifier), with its count.
    public var topFailure: (cause: Cause, count: Int)? {
        var best: (cause: Cause, count: Int)?
        causeCounts.forEach { ordinal, n in
            let cause = Cause.byOrdinal[Int(ordinal)]
            guard cause != .ok else { return }
            if let b = best, (b.count, cause.rawValue) >= (n, b.cause.rawValue) { return }
            best = (cause, n)
        }
        return best
    }
}

/// One example request: its time (`Int64.max` when unknown) and id.
struct ExampleEntry: Sendable, Equatable {
    var time: Int64
    var id: ExampleID

    @inline(__always)
    static func before(_ a: ExampleEntry, _ b: ExampleEntry) -> Bool {
        a.time != b.time ? a.time < b.time : a.id < b.id
    }
}

/// Example request ids, capped and kept deterministic (earliest first, then by id), so that merged reports equal a
/// single run.
public struct ExampleList: Sendable, Equatable {
    public static let limit = 5
    public let capacity: Int
    var entries: [ExampleEntry] = []

    public init(capacity: Int = ExampleList.limit) {
        self.capacity = capacity
    }

    public static func == (a: ExampleList, b: ExampleList) -> Bool { a.entries == b.entries }

    public var items: [(time: Int64, id: String)] { entries.map { (time: $0.time, id: $0.id.text) } }

    /// Adds an id (no-op when already listed); says whether it was kept and which id it pushed out.
    @discardableResult
    mutating func add(id: String, time: Int64?) -> (inserted: Bool, evicted: String?) {
        let change = add(ExampleID(id), time: time)
        return (change.inserted, change.evicted?.text)
    }

    /// Adds an id (no-op when already listed); says whether it was kept and which id it pushed out.
    @discardableResult
    @inline(__always)
    mutating func add(_ id: ExampleID, time: Int64?) -> (inserted: Bool, evicted: ExampleID?) {
        let entry = ExampleEntry(time: time ?? .max, id: id)
        if entries.count == capacity, let last = entries.last, !ExampleEntry.before(entry, last) { return (false, nil) }
        return insert(entry)
    }

    private mutating func insert(_ entry: ExampleEntry) -> (inserted: Bool, evicted: ExampleID?) {
        if entries.contains(where: { $0.id == entry.id }) { return (false, nil) }
        let index = entries.firstIndex { ExampleEntry.before(entry, $0) } ?? entries.count
        entries.insert(entry, at: index)
        if entries.count > capacity { return (true, entries.removeLast().id) }
        return (true, nil)
    }

    mutating func merge(_ other: ExampleList) {
        for entry in other.entries { add(entry.id, time: entry.time == .max ? nil : entry.time) }
    }

    public var ids: [String] { entries.map(\.id.text) }
    var isEmpty: Bool { entries.isEmpty }
}

/// The example lists of one route, one per cause seen, as one sequence grouped by cause (each group earliest first).
/// The first example is stored inline and the others in one array, so a route seen once allocates nothing.
public struct CauseExamples: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var example: ExampleEntry
        var cause: UInt8
    }

    private var head: Entry?
    private var tail: [Entry] = []

    public init() {}

    private var count: Int { head == nil ? 0 : 1 + tail.count }

    @inline(__always)
    private subscript(index: Int) -> Entry { index == 0 ? head! : tail[index - 1] }

    private var all: [Entry] { head.map { [$0] + tail } ?? [] }

    private mutating func replace(with entries: [Entry]) {
        head = entries.first
        tail = Array(entries.dropFirst())
    }

    /// The group of `cause`: where it starts and how long it is (where it would start when empty).
    @inline(__always)
    private func group(_ cause: UInt8) -> (start: Int, count: Int) {
        let total = count
        var start = 0
        while start < total, self[start].cause < cause { start += 1 }
        var end = start
        while end < total, self[end].cause == cause { end += 1 }
        return (start, end - start)
    }

    mutating func add(_ cause: Cause, _ id: ExampleID, time: Int64?) {
        let ordinal = cause.ordinal
        let entry = ExampleEntry(time: time ?? .max, id: id)
        if head == nil {
            head = Entry(example: entry, cause: ordinal)
            return
        }
        let (start, count) = group(ordinal)
        let end = start + count
        if count == ExampleList.limit, !ExampleEntry.before(entry, self[end - 1].example) { return }
        var index = end
        for i in start..<end {
            if self[i].example.id == id { return }
            if index == end, ExampleEntry.before(entry, self[i].example) { index = i }
        }
        var entries = all
        entries.insert(Entry(example: entry, cause: ordinal), at: index)
        if count + 1 > ExampleList.limit { entries.remove(at: end) }
        replace(with: entries)
    }

    /// The list of `cause`, nil when the route saw no request of it.
    public subscript(cause: Cause) -> ExampleList? {
        let (start, count) = group(cause.ordinal)
        guard count > 0 else { return nil }
        var list = ExampleList()
        list.entries = (start..<start + count).map { self[$0].example }
        return list
    }

    /// Causes with examples, in `Cause.allCases` order.
    public var causes: [Cause] {
        var out: [Cause] = []
        for i in 0..<count where out.last?.ordinal != self[i].cause { out.append(Cause.byOrdinal[Int(self[i].cause)]) }
        return out
    }

    mutating func merge(_ cause: Cause, _ list: ExampleList) {
        for entry in list.entries { add(cause, entry.id, time: entry.time == .max ? nil : entry.time) }
    }

    mutating func merge(_ other: CauseExamples) {
        for entry in other.all {
            add(Cause.byOrdinal[Int(entry.cause)], entry.example.id, time: entry.example.time == .max ? nil : entry.example.time)
        }
    }
}

/// Integration latency of one route: how close its requests came to API Gateway's 29-second integration timeout.
public struct LatencySummary: Sendable, Equatable {
    /// Requests (not timed out) whose integration took at least `Report.nearTimeoutMillis`.
    public var nearTimeout = 0
    /// The longest integration latency seen on a request that did not time out.
    public var maxMillis: Int?
    /// The near-timeout requests, earliest first.
    public var examples = ExampleList()
}

/// One route of one stage (`apiId/stage route`).
public struct RouteSummary: Sendable, Equatable {
    public var apiId: String?
    public var stage: String?
    public var route: String?
    /// The row of requests without a resource template, keyed by their path shape (`GET /pets/{id}`, see `PathShape`)
    /// and not (yet) folded into a configured template: never confused with a template that reads the same.
    public var isPathShape = false
    public var tally = Tally()
    public var examples = CauseExamples()
    /// Kept apart (none, or one) since most routes never reach an integration.
    private var latencies: [LatencySummary] = []

    public var latency: LatencySummary {
        get { latencies.first ?? LatencySummary() }
        _modify {
            if latencies.isEmpty { latencies = [LatencySummary()] }
            yield &latencies[0]
        }
    }

    var hasLatency: Bool { !latencies.isEmpty }

    public static func == (a: RouteSummary, b: RouteSummary) -> Bool {
        a.apiId == b.apiId && a.stage == b.stage && a.route == b.route && a.isPathShape == b.isPathShape && a.tally == b.tally
            && a.examples == b.examples && a.latency == b.latency
    }

    public init(apiId: String?, stage: String?, route: String?, isPathShape: Bool = false) {
        self.apiId = apiId
        self.stage = stage
        self.route = route
        self.isPathShape = isPathShape
    }

    public var key: String { "\(apiId ?? "-")/\(stage ?? "-") \(route ?? "-")" }

    /// The same for a shape row and a template row that read alike (`Report.shapePosition` finds both in one probe).
    /// A multiply-xorshift hash over the bytes (no SipHash: it runs once per request). Only finds rows in memory; never
    /// decides an order.
    static func hash(apiId: String?, stage: String?, route: String?) -> Int {
        var digest: UInt64 = 0x243F_6A88_85A3_08D3
        digest = mix(digest, apiId)
        digest = mix(digest, stage)
        digest = mix(digest, route)
        return Int(truncatingIfNeeded: digest)
    }

    @inline(__always)
    private static func mix(_ seed: UInt64, _ text: String?) -> UInt64 {
        guard var text else { return (seed ^ 0xA5A5) &* 0x9E37_79B9_7F4A_7C15 }
        let own = text.withUTF8 { PolicyTextTable.hash(UnsafeRawBufferPointer($0)) }
        let mixed = (seed ^ own) &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 31)
    }
}

/// One principal (authorizer principal, IAM caller or `anonymous`).
public struct PrincipalSummary: Sendable, Equatable {
    public var principal: String
    public var tally = Tally()
    /// Distinct routes the principal called (their keys: `Report.routeKeys(of:)`).
    public var routeCount = 0
    /// Requests of this principal that did not end `allowed`, earliest first.
    public var failureExamples = ExampleList()

    public init(principal: String) {
        self.principal = principal
    }
}

/// A pattern across requests worth a human's attention (DESIGN.md §4 `findings`).
public struct Finding: Sendable, Equatable {
    public var kind: String
    public var message: String
    public var examples: [String]
    public var hint: String?

    public init(kind: String, message: String, examples: [String], hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.examples = examples
        self.hint = hint
    }
}

/// Non-`ok` causes counted in one `Report.spikeBucketMillis` bucket, with a few example ids each (spike findings).
public struct CauseBucket: Sendable, Equatable {
    public var count = 0
    public var examples = ExampleList(capacity: 3)
}

/// One request of a principal on a route, remembered for the intermittent-denial analysis.
public struct RequestMark: Sendable, Equatable {
    public var time: Int64
    var exampleID: ExampleID
    /// For denials: whether it was already counted as intermittent (an allowed request within the TTL was seen).
    public var counted = false

    public init(time: Int64, id: String, counted: Bool = false) {
        self.init(time: time, exampleID: ExampleID(id), counted: counted)
    }

    init(time: Int64, exampleID: ExampleID, counted: Bool = false) {
        self.time = time
        self.exampleID = exampleID
        self.counted = counted
    }

    public var id: String { exampleID.text }
}

/// What the intermittent-denial analysis keeps per (principal, route): the first and last allowed and denied
/// requests and the denials that came within the authorizer TTL of an allowed request of the same principal on the
/// same route — the stale-cache pattern. Memory per pair is constant.
public struct PrincipalRouteState: Sendable, Equatable {
    public var firstAllowed: RequestMark?
    public var lastAllowed: RequestMark?
    public var firstDenied: RequestMark?
    public var lastDenied: RequestMark?
    /// Denials within the TTL of an allowed request of the same principal on the same route.
    public var intermittentDenials = 0
    public var examples = ExampleList()

    public init() {}

    static func near(_ a: Int64, _ b: Int64, ttlMillis: Int64) -> Bool { abs(a - b) <= ttlMillis }

    mutating func count(_ mark: RequestMark) {
        intermittentDenials += 1
        examples.add(mark.exampleID, time: mark.time)
    }

    mutating func markCounted(_ id: ExampleID) {
        if firstDenied?.exampleID == id { firstDenied?.counted = true }
        if lastDenied?.exampleID == id { lastDenied?.counted = true }
    }

    mutating func addAllowed(_ mark: RequestMark, ttlMillis: Int64) {
        if let denied = lastDenied, !denied.counted, Self.near(denied.time, mark.time, ttlMillis: ttlMillis) {
            count(denied)
            markCounted(denied.exampleID)
        }
        if lastAllowed.map({ mark.time >= $0.time }) ?? true { lastAllowed = mark }
        if firstAllowed.map({ mark.time < $0.time }) ?? true { firstAllowed = mark }
    }

    mutating func addDenied(_ mark: RequestMark, ttlMillis: Int64) {
        var mark = mark
        if let allowed = lastAllowed, Self.near(allowed.time, mark.time, ttlMillis: ttlMillis) {
            mark.counted = true
            count(mark)
        }
        if lastDenied.map({ mark.time >= $0.time }) ?? true { lastDenied = mark }
        if firstDenied.map({ mark.time < $0.time }) ?? true { firstDenied = mark }
    }

    /// Adds another run's state for the same pair. Denials of one run that meet an allowed request of the other within
    /// the TTL are found at the runs' edges (first and last requests), the only ones each run remembers.
    mutating func merge(_ other: PrincipalRouteState, ttlMillis: Int64) {
        var crossed: [RequestMark] = []
        func pair(_ denied: RequestMark?, _ allowed: [RequestMark?]) {
            guard let denied, !denied.counted, !crossed.contains(where: { $0.exampleID == denied.exampleID }) else { return }
            if allowed.contains(where: { $0.map { Self.near($0.time, denied.time, ttlMillis: ttlMillis) } ?? false }) {
                crossed.append(denied)
            }
        }
        pair(other.firstDenied, [lastAllowed, firstAllowed])
        pair(other.lastDenied, [lastAllowed, firstAllowed])
        pair(firstDenied, [other.firstAllowed, other.lastAllowed])
        pair(lastDenied, [other.firstAllowed, other.lastAllowed])
        intermittentDenials += other.intermittentDenials
        examples.merge(other.examples)
        for mark in [other.firstAllowed, other.lastAllowed].compactMap({ $0 }) {
            if lastAllowed.map({ mark.time >= $0.time }) ?? true { lastAllowed = mark }
            if firstAllowed.map({ mark.time < $0.time }) ?? true { firstAllowed = mark }
        }
        for mark in [other.firstDenied, other.lastDenied].compactMap({ $0 }) {
            if lastDenied.map({ mark.time >= $0.time }) ?? true { lastDenied = mark }
            if firstDenied.map({ mark.time < $0.time }) ?? true { firstDenied = mark }
        }
        for denied in crossed {
            count(denied)
            markCounted(denied.exampleID)
        }
    }
}

/// The aggregate of a run (the Report stage): totals, per route, per principal, per cause, over time, the verdicts of
/// the example requests, and the state the findings need. Every part is additive, so reports of several runs merge
/// into the report of one run over all inputs.
///
/// Storage is compact: routes, principals and (principal, route) pairs are rows of tables found through integer
/// indexes (one lookup per table per request), tallies are packed, request ids are kept as 16-byte UUIDs.
public struct Report: Sendable {
    public static let schemaVersion = 1
    /// Width of the stored timeline buckets; renderers may coarsen them.
    public static let bucketMillis: Int64 = 60_000
    /// Width of the buckets in which a spike of one cause is looked for.
    public static let spikeBucketMillis: Int64 = 300_000
    /// API Gateway's default (and, for most accounts, maximum) integration timeout.
    public static let integrationTimeoutMillis = 29_000
    /// Integration latency from which a request counts as close to the timeout.
    public static let nearTimeoutMillis = 25_000

    public var toolVersion: String
    public var inputs = InputTotals()
    public var problems: [InputProblem] = []
    public var windowStart: Int64?
    public var windowEnd: Int64?
    public var totals = Tally()
    /// Every route, in the order first seen (`sortedRoutes` for the report order).
    public private(set) var routeList = ChunkedTable<RouteSummary>()
    private var routeIndex = PositionIndex()
    /// Every principal, in the order first seen (`sortedPrincipals` for the report order).
    public private(set) var principalList = ChunkedTable<PrincipalSummary>()
    private var principalIndex: [String: Int32] = [:]
    /// (principal, route) pairs seen: the principal's routes and the intermittent-denial state.
    private(set) var pairs = ChunkedTable<PairRow>()
    private var pairIndex = PositionIndex()
    /// Report-wide examples per cause ordinal (empty: none).
    private var causeExamples = [ExampleList](repeating: ExampleList(), count: Cause.allCases.count)
    /// Requests per `bucketMillis` bucket, by outcome ordinal.
    private var timelineCounts: [Int64: SIMD8<Int64>] = [:]
    /// Non-`ok` causes per `spikeBucketMillis` bucket.
    public var causeTimeline: [Int64: [Cause: CauseBucket]] = [:]
    /// The verdicts of the report-wide example requests (bounded by the number of causes).
    public private(set) var exampleVerdicts: [String: Verdict] = [:]
    private var exampleReferences: [String: Int] = [:]
    public var findings: [Finding] = []
    /// Filters and settings the run used, as `name=value` strings (shown in reports).
    public var filters: [String] = []
    /// Authorizer cache TTL the run assumed (cached-policy and intermittent-denial analysis).
    public var authorizerTTLSeconds = 300
    /// Console test-invoke requests counted (they are test traffic, not callers).
    public var testInvokeRequests = 0

    /// A principal on a route (positions in `principalList` and `routeList`), with its intermittent-denial state once
    /// an allowed or denied request with a time was seen.
    struct PairRow: Sendable {
        var principal: Int32
        var route: Int32
        var state: PrincipalRouteState?

        @inline(__always)
        static func hash(principal: Int32, route: Int32) -> Int {
            let h = (UInt64(UInt32(bitPattern: principal)) << 32 | UInt64(UInt32(bitPattern: route))) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: h ^ (h >> 31))
        }
    }

    /// Key of the intermittent-denial state: a principal on one route (`apiId/stage route`).
    public struct PrincipalRouteKey: Hashable, Sendable, Comparable {
        public var principal: String
        public var route: String

        public init(principal: String, route: String) {
            self.principal = principal
            self.route = route
        }

        public static func < (a: Self, b: Self) -> Bool { (a.principal, a.route) < (b.principal, b.route) }
    }

    public init(toolVersion: String, authorizerTTLSeconds: Int = 300) {
        self.toolVersion = toolVersion
        self.authorizerTTLSeconds = authorizerTTLSeconds
    }

    var ttlMillis: Int64 { Int64(authorizerTTLSeconds) * 1000 }

    static func bucket(_ time: Int64, width: Int64) -> Int64 {
        time - ((time % width) + width) % width
    }

    // MARK: Views in the shape of dictionaries (built on demand)

    /// Routes by key (`apiId/stage route`).
    public var routes: [String: RouteSummary] {
        Dictionary(routeList.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Principals by name.
    public var principals: [String: PrincipalSummary] {
        Dictionary(principalList.map { ($0.principal, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public var routeCount: Int { routeList.count }

    /// Intermittent-denial state per principal and route key.
    public var principalRoutes: [PrincipalRouteKey: PrincipalRouteState] {
        var out: [PrincipalRouteKey: PrincipalRouteState] = [:]
        for row in pairs { if let state = row.state { out[key(of: row)] = state } }
        return out
    }

    func key(of row: PairRow) -> PrincipalRouteKey {
        PrincipalRouteKey(principal: principalList[Int(row.principal)].principal, route: routeList[Int(row.route)].key)
    }

    /// Report-wide example requests per cause.
    public var examples: [Cause: ExampleList] {
        get {
            var out: [Cause: ExampleList] = [:]
            for (i, list) in causeExamples.enumerated() where !list.isEmpty { out[Cause.byOrdinal[i]] = list }
            return out
        }
        set {
            causeExamples = [ExampleList](repeating: ExampleList(), count: Cause.allCases.count)
            for (cause, list) in newValue { causeExamples[Int(cause.ordinal)] = list }
        }
    }

    /// The report-wide example list of `cause` (nil when no request had it).
    public func examples(of cause: Cause) -> ExampleList? {
        let list = causeExamples[Int(cause.ordinal)]
        return list.isEmpty ? nil : list
    }

    /// Requests per `bucketMillis` bucket, by outcome.
    public var timeline: [Int64: [Outcome: Int]] {
        timelineCounts.mapValues { counts in
            var out: [Outcome: Int] = [:]
            for (i, outcome) in Outcome.byOrdinal.enumerated() where counts[i] != 0 { out[outcome] = Int(counts[i]) }
            return out
        }
    }

    /// Adds `count` requests of `outcome` to the timeline bucket starting at `bucket` (reading a report back).
    mutating func restoreTimeline(_ bucket: Int64, _ outcome: Outcome, _ count: Int) {
        timelineCounts[bucket, default: SIMD8()][Int(outcome.ordinal)] += Int64(count)
    }

    /// Sorted keys of the routes `principal` called.
    public func routeKeys(of principal: PrincipalSummary) -> [String] {
        guard let position = principalIndex[principal.principal] else { return [] }
        return pairs.filter { $0.principal == position }.map { routeList[Int($0.route)].key }.sorted()
    }

    // MARK: Tables

    @inline(__always)
    mutating func routePosition(apiId: String?, stage: String?, route: String?, isPathShape: Bool) -> Int {
        let hash = RouteSummary.hash(apiId: apiId, stage: stage, route: route)
        let found = routeIndex.find(hash: hash) { position in
            let row = routeList[Int(position)]
            return row.route == route && row.isPathShape == isPathShape && row.apiId == apiId && row.stage == stage
        }
        if let position = found.position { return Int(position) }
        return insertRoute(RouteSummary(apiId: apiId, stage: stage, route: route, isPathShape: isPathShape), hash: hash, slot: found.slot)
    }

    /// The row for requests without a template whose shape is `shape`: the template row that reads as the shape when
    /// there is one (the row the shape folds into), else the shape's own row. One probe finds either.
    @inline(__always)
    mutating func shapePosition(apiId: String?, stage: String?, shape: String) -> Int {
        let hash = RouteSummary.hash(apiId: apiId, stage: stage, route: shape)
        var shapeRow: Int32?
        let found = routeIndex.find(hash: hash) { position in
            let row = routeList[Int(position)]
            guard row.route == shape, row.apiId == apiId, row.stage == stage else { return false }
            if row.isPathShape { shapeRow = position; return false }
            return true
        }
        if let template = found.position { return Int(template) }
        if let shapeRow { return Int(shapeRow) }
        return insertRoute(RouteSummary(apiId: apiId, stage: stage, route: shape, isPathShape: true), hash: hash, slot: found.slot)
    }

    private mutating func insertRoute(_ row: RouteSummary, hash: Int, slot: Int) -> Int {
        let position = Int32(routeList.count)
        routeList.append(row)
        let table = routeList
        routeIndex.insert(position, hash: hash, slot: slot) { p in
            let row = table[Int(p)]
            return RouteSummary.hash(apiId: row.apiId, stage: row.stage, route: row.route)
        }
        return Int(position)
    }

    @inline(__always)
    mutating func principalPosition(_ name: String) -> Int {
        if let position = principalIndex[name] { return Int(position) }
        let position = Int32(principalList.count)
        principalList.append(PrincipalSummary(principal: name))
        principalIndex[name] = position
        return Int(position)
    }

    /// The pair row of a principal on a route, created (and counted among the principal's routes) when new.
    @inline(__always)
    mutating func pairPosition(principal: Int, route: Int) -> Int {
        let p = Int32(principal), r = Int32(route)
        let hash = PairRow.hash(principal: p, route: r)
        let found = pairIndex.find(hash: hash) { position in
            let row = pairs[Int(position)]
            return row.principal == p && row.route == r
        }
        if let position = found.position { return Int(position) }
        let position = Int32(pairs.count)
        pairs.append(PairRow(principal: p, route: r, state: nil))
        let table = pairs
        pairIndex.insert(position, hash: hash, slot: found.slot) { p in
            PairRow.hash(principal: table[Int(p)].principal, route: table[Int(p)].route)
        }
        principalList[principal].routeCount += 1
        return Int(position)
    }

    // MARK: Adding

    public mutating func add(_ verdict: Verdict) {
        record(verdict, evidence: nil)
    }

    /// Adds `verdict` as `add(_:)` does, for verdicts made without evidence: `evidence` is called only when the
    /// verdict is kept as an example request (report-wide or near-timeout), and the kept verdict carries what it returns.
    public mutating func add(_ verdict: Verdict, evidence: () -> [Evidence]) {
        withoutActuallyEscaping(evidence) { record(verdict, evidence: $0) }
    }

    /// `evidence` nil: the verdict's own.
    private mutating func record(_ verdict: Verdict, evidence: (() -> [Evidence])?) {
        let outcome = verdict.outcome, cause = verdict.cause
        totals.add(outcome: outcome, cause: cause)
        if verdict.isTestInvoke { testInvokeRequests += 1 }
        let time = verdict.startTime ?? verdict.endTime
        let id = ExampleID(verdict.requestId)
        if let start = time {
            windowStart = min(windowStart ?? start, start)
            windowEnd = max(windowEnd ?? start, verdict.endTime ?? start)
            timelineCounts[Self.bucket(start, width: Self.bucketMillis), default: SIMD8()][Int(outcome.ordinal)] += 1
            if cause != .ok {
                let bucket = Self.bucket(start, width: Self.spikeBucketMillis)
                causeTimeline[bucket, default: [:]][cause, default: CauseBucket()].record(id, time: time)
            }
        }
        // A request without a template is counted on its path shape (`GET /pets/{id}`), folded into a matching
        // template when the report is finalized (`foldPathShapes`): rows stay as many as the shapes, not the paths.
        // A template that reads exactly as the shape (`POST /pets`) is the one it folds into: such requests join its
        // row as they come, so that the intermittent-denial state sees them among the template's requests.
        let route: Int
        if let shape = verdict.resource == nil ? verdict.route.flatMap(PathShape.shape(ofRoute:)) : nil {
            route = shapePosition(apiId: verdict.apiId, stage: verdict.stage, shape: shape)
        } else {
            route = routePosition(apiId: verdict.apiId, stage: verdict.stage, route: verdict.route, isPathShape: false)
        }
        routeList[route].tally.add(outcome: outcome, cause: cause)
        // Route example lists keep ids only: routes can be as many as the distinct paths of failed requests, so
        // full verdicts (for the HTML drill-down) are kept for the report-wide examples alone.
        routeList[route].examples.add(cause, id, time: time)
        if let latency = verdict.integrationLatencyMs, cause != .integrationTimeout {
            routeList[route].latency.maxMillis = max(routeList[route].latency.maxMillis ?? latency, latency)
            if latency >= Self.nearTimeoutMillis {
                routeList[route].latency.nearTimeout += 1
                keep(verdict, id, routeList[route].latency.examples.add(id, time: time), evidence: evidence)
            }
        }
        keep(verdict, id, causeExamples[Int(cause.ordinal)].add(id, time: time), evidence: evidence)
        if let name = verdict.principal, !name.isEmpty {
            let principal = principalPosition(name)
            principalList[principal].tally.add(outcome: outcome, cause: cause)
            if outcome != .allowed { principalList[principal].failureExamples.add(id, time: time) }
            let pair = pairPosition(principal: principal, route: route)
            if let time, outcome == .allowed || outcome == .denied {
                let mark = RequestMark(time: time, exampleID: id)
                if pairs[pair].state == nil { pairs[pair].state = PrincipalRouteState() }
                if outcome == .allowed {
                    pairs[pair].state!.addAllowed(mark, ttlMillis: ttlMillis)
                } else {
                    pairs[pair].state!.addDenied(mark, ttlMillis: ttlMillis)
                }
            }
        }
    }

    /// Keeps the verdict while an example list names it; forgets the one a list pushed out once no list names it.
    @inline(__always)
    private mutating func keep(_ verdict: Verdict, _ id: ExampleID, _ change: (inserted: Bool, evicted: ExampleID?),
                               evidence: (() -> [Evidence])?) {
        if change.inserted {
            exampleReferences[verdict.requestId, default: 0] += 1
            if exampleVerdicts[verdict.requestId] == nil {
                var kept = verdict
                if kept.evidence.isEmpty, let evidence { kept.evidence = evidence() }
                exampleVerdicts[verdict.requestId] = kept
            }
        }
        if let evicted = change.evicted?.text, let count = exampleReferences[evicted] {
            if count <= 1 {
                exampleReferences[evicted] = nil
                exampleVerdicts[evicted] = nil
            } else {
                exampleReferences[evicted] = count - 1
            }
        }
    }

    /// The example lists whose requests keep their full verdict: the report-wide examples per cause and the
    /// near-timeout examples (both bounded by the number of causes and of slow routes, not by input size).
    var verdictExampleLists: [ExampleList] {
        var lists = causeExamples.filter { !$0.isEmpty }
        for route in routeList where !route.latency.examples.isEmpty { lists.append(route.latency.examples) }
        return lists
    }

    /// Adds verdicts read back from a report (`merge`); only those an example list names are kept.
    public mutating func restoreExampleVerdicts(_ verdicts: [Verdict]) {
        for verdict in verdicts { exampleVerdicts[verdict.requestId] = verdict }
        recountExampleReferences()
    }

    /// Recomputes which verdicts the example lists still name and drops the others.
    mutating func recountExampleReferences() {
        var references: [String: Int] = [:]
        for list in verdictExampleLists { for id in list.ids { references[id, default: 0] += 1 } }
        exampleReferences = references.filter { exampleVerdicts[$0.key] != nil }
        exampleVerdicts = exampleVerdicts.filter { references[$0.key] != nil }
    }

    // MARK: Reading back and merging

    /// Adds a route read back from a report; returns its position.
    @discardableResult
    mutating func restoreRoute(_ summary: RouteSummary) -> Int {
        let position = routePosition(apiId: summary.apiId, stage: summary.stage, route: summary.route, isPathShape: summary.isPathShape)
        mergeRoute(summary, into: position)
        return position
    }

    private mutating func mergeRoute(_ route: RouteSummary, into position: Int) {
        routeList[position].tally.merge(route.tally)
        routeList[position].examples.merge(route.examples)
        guard route.hasLatency else { return }
        routeList[position].latency.nearTimeout += route.latency.nearTimeout
        if let m = route.latency.maxMillis {
            routeList[position].latency.maxMillis = max(routeList[position].latency.maxMillis ?? m, m)
        }
        routeList[position].latency.examples.merge(route.latency.examples)
    }

    /// Adds a principal read back from a report, with the routes it called (positions in `routeList`).
    mutating func restorePrincipal(_ summary: PrincipalSummary, routes: [Int]) {
        let position = principalPosition(summary.principal)
        principalList[position].tally.merge(summary.tally)
        principalList[position].failureExamples.merge(summary.failureExamples)
        for route in routes { _ = pairPosition(principal: position, route: route) }
    }

    /// Adds the intermittent-denial state of a principal on a route read back from a report.
    mutating func restorePrincipalRoute(principal: String, route: Int, state: PrincipalRouteState) {
        let pair = pairPosition(principal: principalPosition(principal), route: route)
        if pairs[pair].state == nil {
            pairs[pair].state = state
        } else {
            pairs[pair].state!.merge(state, ttlMillis: ttlMillis)
        }
    }

    /// Adds another run's report (counts, windows, timelines, examples and their verdicts, finding state); findings are
    /// recomputed by the caller (`Findings.compute`).
    public mutating func merge(_ other: Report) {
        inputs.files += other.inputs.files
        inputs.bytes += other.inputs.bytes
        inputs.records += other.inputs.records
        inputs.recognizedLines += other.inputs.recognizedLines
        inputs.unrecognizedLines += other.inputs.unrecognizedLines
        inputs.orphanLines += other.inputs.orphanLines
        inputs.accessRecords += other.inputs.accessRecords
        inputs.continuationLines += other.inputs.continuationLines
        inputs.skippedLines += other.inputs.skippedLines
        inputs.controlMessages += other.inputs.controlMessages
        problems += other.problems
        if let s = other.windowStart { windowStart = min(windowStart ?? s, s) }
        if let e = other.windowEnd { windowEnd = max(windowEnd ?? e, e) }
        totals.merge(other.totals)
        testInvokeRequests += other.testInvokeRequests
        // Positions of the other report's routes and principals in this one.
        var routeMap: [Int] = []
        routeMap.reserveCapacity(other.routeList.count)
        for route in other.routeList { routeMap.append(restoreRoute(route)) }
        var principalMap: [Int] = []
        for principal in other.principalList {
            let position = principalPosition(principal.principal)
            principalList[position].tally.merge(principal.tally)
            principalList[position].failureExamples.merge(principal.failureExamples)
            principalMap.append(position)
        }
        for row in other.pairs {
            let pair = pairPosition(principal: principalMap[Int(row.principal)], route: routeMap[Int(row.route)])
            guard let state = row.state else { continue }
            if pairs[pair].state == nil {
                pairs[pair].state = state
            } else {
                pairs[pair].state!.merge(state, ttlMillis: ttlMillis)
            }
        }
        for (i, list) in other.causeExamples.enumerated() { causeExamples[i].merge(list) }
        for (bucket, counts) in other.timelineCounts { timelineCounts[bucket, default: SIMD8()] &+= counts }
        for (bucket, causes) in other.causeTimeline {
            for (cause, counts) in causes {
                causeTimeline[bucket, default: [:]][cause, default: CauseBucket()].merge(counts)
            }
        }
        for (id, verdict) in other.exampleVerdicts where exampleVerdicts[id] == nil { exampleVerdicts[id] = verdict }
        recountExampleReferences()
        for filter in other.filters where !filters.contains(filter) { filters.append(filter) }
    }

    // MARK: Folding path shapes

    /// Folds every path-shape row into the configured template of the same API and stage that covers it (see
    /// `PathShape.Template.covers`; the most specific wins): its counts, examples, latency, principals' routes and
    /// intermittent-denial state join the template's row. Shapes no template covers keep their row. Call once the
    /// report holds everything (after a run, after `merge`), before `Findings.compute`: the result does not depend
    /// on the order requests or parts came in.
    public mutating func foldPathShapes() {
        var templates: [APIStage: [(key: String, template: PathShape.Template, position: Int)]] = [:]
        var shapes: [Int] = []
        for (position, row) in routeList.enumerated() {
            if row.isPathShape {
                shapes.append(position)
            } else if let route = row.route, let template = PathShape.Template(route) {
                templates[APIStage(apiId: row.apiId, stage: row.stage), default: []].append((row.key, template, position))
            }
        }
        guard !shapes.isEmpty, !templates.isEmpty else { return }
        var target: [Int: Int] = [:]
        for position in shapes {
            let row = routeList[position]
            guard let route = row.route, let candidates = templates[APIStage(apiId: row.apiId, stage: row.stage)] else { continue }
            let choice = PathShape.bestMatch(for: route, among: candidates.map { ($0.key, $0.template) })
            if let choice { target[position] = candidates[choice].position }
        }
        guard !target.isEmpty else { return }

        // Rebuild the route table without the folded rows; they join their template's row in key order.
        let oldRoutes = routeList
        routeList = ChunkedTable()
        routeIndex = PositionIndex()
        var newPosition = [Int](repeating: -1, count: oldRoutes.count)
        for (position, row) in oldRoutes.enumerated() where target[position] == nil {
            let new = routePosition(apiId: row.apiId, stage: row.stage, route: row.route, isPathShape: row.isPathShape)
            routeList[new] = row
            newPosition[position] = new
        }
        let folded = target.keys.sorted { oldRoutes[$0].key < oldRoutes[$1].key }
        var foldRank = [Int](repeating: 0, count: oldRoutes.count)
        for (rank, position) in folded.enumerated() {
            foldRank[position] = rank + 1
            newPosition[position] = newPosition[target[position]!]
            mergeRoute(oldRoutes[position], into: newPosition[position])
        }

        // Rebuild the pairs the same way: a template's own pair first, then those of the shapes folded into it.
        let oldPairs = pairs
        pairs = ChunkedTable()
        pairIndex = PositionIndex()
        for i in principalList.indices { principalList[i].routeCount = 0 }
        let order = oldPairs.indices.sorted { a, b in
            let x = foldRank[Int(oldPairs[a].route)], y = foldRank[Int(oldPairs[b].route)]
            return x != y ? x < y : a < b
        }
        for index in order {
            let row = oldPairs[index]
            let pair = pairPosition(principal: Int(row.principal), route: newPosition[Int(row.route)])
            guard let state = row.state else { continue }
            if pairs[pair].state == nil {
                pairs[pair].state = state
            } else {
                pairs[pair].state!.merge(state, ttlMillis: ttlMillis)
            }
        }
        // Merged near-timeout lists may have pushed out an example whose verdict was kept.
        recountExampleReferences()
    }

    /// An API stage (`apiId/stage`), the scope in which a shape folds into a template.
    private struct APIStage: Hashable {
        var apiId: String?
        var stage: String?
    }

    // MARK: Report order

    /// Routes ordered by failures, then requests, then key.
    public var sortedRoutes: [RouteSummary] { routeOrder(keys: routeList.map(\.key)).map { routeList[$0] } }

    /// Positions in `routeList` in report order; `keys` are the routes' keys (built once by the caller).
    func routeOrder(keys: [String]) -> [Int] {
        routeList.indices.sorted { a, b in
            let x = routeList[a].tally, y = routeList[b].tally
            return (x.failed, x.requests) != (y.failed, y.requests) ? (x.failed, x.requests) > (y.failed, y.requests) : keys[a] < keys[b]
        }
    }

    /// Positions in `principalList` in report order.
    func principalOrder() -> [Int] {
        principalList.indices.sorted { a, b in
            let x = principalList[a], y = principalList[b]
            return (x.tally.failed, x.tally.requests) != (y.tally.failed, y.tally.requests)
                ? (x.tally.failed, x.tally.requests) > (y.tally.failed, y.tally.requests) : x.principal < y.principal
        }
    }

    /// The routes (positions in `routeList`) each principal called, by position in `principalList`.
    func routePositionsByPrincipal() -> [[Int32]] {
        var out = [[Int32]](repeating: [], count: principalList.count)
        for row in pairs { out[Int(row.principal)].append(row.route) }
        return out
    }

    /// Positions in `pairs` of the pairs with intermittent-denial state, ordered by principal, then route key.
    func pairOrder(routeKeys: [String]) -> [Int] {
        pairs.indices.filter { pairs[$0].state != nil }.sorted { a, b in
            let x = principalList[Int(pairs[a].principal)].principal, y = principalList[Int(pairs[b].principal)].principal
            return x != y ? x < y : routeKeys[Int(pairs[a].route)] < routeKeys[Int(pairs[b].route)]
        }
    }

    /// Calls `body` with every example list of the report: routes, latency, report-wide, principals, cause
    /// timeline and intermittent denials.
    func forEachExampleList(_ body: (ExampleList) -> Void) {
        for list in causeExamples where !list.isEmpty { body(list) }
        for route in routeList {
            for cause in route.examples.causes { body(route.examples[cause]!) }
            body(route.latency.examples)
        }
        for principal in principalList { body(principal.failureExamples) }
        for causes in causeTimeline.values { for bucket in causes.values { body(bucket.examples) } }
        for row in pairs { if let state = row.state { body(state.examples) } }
    }

    /// Principals ordered by failures, then requests, then name.
    public var sortedPrincipals: [PrincipalSummary] {
        principalList.sorted {
            ($0.tally.failed, $0.tally.requests) != ($1.tally.failed, $1.tally.requests)
                ? ($0.tally.failed, $0.tally.requests) > ($1.tally.failed, $1.tally.requests) : $0.principal < $1.principal
        }
    }

    /// Causes seen, most frequent first (ties by identifier).
    public var sortedCauses: [Cause] {
        totals.orderedCauses.sorted { ($0.count, $1.cause.rawValue) > ($1.count, $0.cause.rawValue) }.map(\.cause)
    }
}

extension CauseBucket {
    @inline(__always)
    mutating func record(_ id: ExampleID, time: Int64?) {
        count += 1
        examples.add(id, time: time)
    }

    mutating func merge(_ other: CauseBucket) {
        count += other.count
        examples.merge(other.examples)
    }
}
