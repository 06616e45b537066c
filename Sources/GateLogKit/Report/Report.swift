/// Counts by outcome and by cause, the building block of every report table.
public struct Tally: Sendable, Equatable {
    public var requests = 0
    public var outcomes: [Outcome: Int] = [:]
    public var causes: [Cause: Int] = [:]

    public init() {}

    mutating func add(_ verdict: Verdict) {
        requests += 1
        outcomes[verdict.outcome, default: 0] += 1
        causes[verdict.cause, default: 0] += 1
    }

    mutating func merge(_ other: Tally) {
        requests += other.requests
        for (k, v) in other.outcomes { outcomes[k, default: 0] += v }
        for (k, v) in other.causes { causes[k, default: 0] += v }
    }

    public var denied: Int { outcomes[.denied, default: 0] }
    /// Requests that did not end `allowed`.
    public var failed: Int { requests - outcomes[.allowed, default: 0] }

    /// The most frequent cause other than `ok` (ties broken by identifier), with its count.
    public var topFailure: (cause: Cause, count: Int)? {
        causes.filter { $0.key != .ok }
            .max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }
            .map { (cause: $0.key, count: $0.value) }
    }
}

/// Example request ids, capped and kept deterministic (earliest first, then by id), so that merged reports equal a
/// single run.
public struct ExampleList: Sendable, Equatable {
    public static let limit = 5
    public let capacity: Int
    public private(set) var items: [(time: Int64, id: String)] = []

    public init(capacity: Int = ExampleList.limit) {
        self.capacity = capacity
    }

    public static func == (a: ExampleList, b: ExampleList) -> Bool {
        a.items.map(\.id) == b.items.map(\.id) && a.items.map(\.time) == b.items.map(\.time)
    }

    /// Adds an id (no-op when already listed); says whether it was kept and which id it pushed out.
    @discardableResult
    mutating func add(id: String, time: Int64?) -> (inserted: Bool, evicted: String?) {
        let entry = (time: time ?? .max, id: id)
        if items.contains(where: { $0.id == id }) { return (false, nil) }
        if items.count == capacity, let last = items.last, !Self.before(entry, last) { return (false, nil) }
        let index = items.firstIndex { Self.before(entry, $0) } ?? items.count
        items.insert(entry, at: index)
        if items.count > capacity { return (true, items.removeLast().id) }
        return (true, nil)
    }

    mutating func merge(_ other: ExampleList) {
        for item in other.items { add(id: item.id, time: item.time == .max ? nil : item.time) }
    }

    static func before(_ a: (time: Int64, id: String), _ b: (time: Int64, id: String)) -> Bool {
        a.time != b.time ? a.time < b.time : a.id < b.id
    }

    public var ids: [String] { items.map(\.id) }
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
    public var tally = Tally()
    public var examples: [Cause: ExampleList] = [:]
    public var latency = LatencySummary()

    public var key: String { "\(apiId ?? "-")/\(stage ?? "-") \(route ?? "-")" }
}

/// One principal (authorizer principal, IAM caller or `anonymous`).
public struct PrincipalSummary: Sendable, Equatable {
    public var principal: String
    public var tally = Tally()
    public var routes: Set<String> = []
    /// Requests of this principal that did not end `allowed`, earliest first.
    public var failureExamples = ExampleList()
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
    public var id: String
    /// For denials: whether it was already counted as intermittent (an allowed request within the TTL was seen).
    public var counted = false

    public init(time: Int64, id: String, counted: Bool = false) {
        self.time = time
        self.id = id
        self.counted = counted
    }
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
        examples.add(id: mark.id, time: mark.time)
    }

    mutating func markCounted(_ id: String) {
        if firstDenied?.id == id { firstDenied?.counted = true }
        if lastDenied?.id == id { lastDenied?.counted = true }
    }

    mutating func addAllowed(_ mark: RequestMark, ttlMillis: Int64) {
        if let denied = lastDenied, !denied.counted, Self.near(denied.time, mark.time, ttlMillis: ttlMillis) {
            count(denied)
            markCounted(denied.id)
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
            guard let denied, !denied.counted, !crossed.contains(where: { $0.id == denied.id }) else { return }
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
            markCounted(denied.id)
        }
    }
}

/// The aggregate of a run (the Report stage): totals, per route, per principal, per cause, over time, the verdicts of
/// the example requests, and the state the findings need. Every part is additive, so reports of several runs merge
/// into the report of one run over all inputs.
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
    public var routes: [String: RouteSummary] = [:]
    public var principals: [String: PrincipalSummary] = [:]
    public var examples: [Cause: ExampleList] = [:]
    public var timeline: [Int64: [Outcome: Int]] = [:]
    /// Non-`ok` causes per `spikeBucketMillis` bucket.
    public var causeTimeline: [Int64: [Cause: CauseBucket]] = [:]
    /// Intermittent-denial state per principal and route key.
    public var principalRoutes: [PrincipalRouteKey: PrincipalRouteState] = [:]
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

    public mutating func add(_ verdict: Verdict) {
        totals.add(verdict)
        if verdict.isTestInvoke { testInvokeRequests += 1 }
        let time = verdict.startTime ?? verdict.endTime
        let id = verdict.requestId
        if let start = time {
            windowStart = min(windowStart ?? start, start)
            windowEnd = max(windowEnd ?? start, verdict.endTime ?? start)
            timeline[Self.bucket(start, width: Self.bucketMillis), default: [:]][verdict.outcome, default: 0] += 1
            if verdict.cause != .ok {
                let bucket = Self.bucket(start, width: Self.spikeBucketMillis)
                var counts = causeTimeline[bucket, default: [:]][verdict.cause, default: CauseBucket()]
                counts.count += 1
                counts.examples.add(id: id, time: time)
                causeTimeline[bucket, default: [:]][verdict.cause] = counts
            }
        }
        let key = verdict.routeKey
        var route = routes[key] ?? RouteSummary(apiId: verdict.apiId, stage: verdict.stage, route: verdict.route)
        route.tally.add(verdict)
        // Route example lists keep ids only: routes can be as many as the distinct paths of failed requests, so
        // full verdicts (for the HTML drill-down) are kept for the report-wide examples alone.
        route.examples[verdict.cause, default: ExampleList()].add(id: id, time: time)
        if let latency = verdict.integrationLatencyMs, verdict.cause != .integrationTimeout {
            route.latency.maxMillis = max(route.latency.maxMillis ?? latency, latency)
            if latency >= Self.nearTimeoutMillis {
                route.latency.nearTimeout += 1
                keep(verdict, route.latency.examples.add(id: id, time: time))
            }
        }
        routes[key] = route
        let globalChange = examples[verdict.cause, default: ExampleList()].add(id: id, time: time)
        keep(verdict, globalChange)
        if let principal = verdict.principal, !principal.isEmpty {
            var summary = principals[principal] ?? PrincipalSummary(principal: principal)
            summary.tally.add(verdict)
            summary.routes.insert(key)
            if verdict.outcome != .allowed { summary.failureExamples.add(id: id, time: time) }
            principals[principal] = summary
            if let time, verdict.outcome == .allowed || verdict.outcome == .denied {
                let pairKey = PrincipalRouteKey(principal: principal, route: key)
                var state = principalRoutes[pairKey] ?? PrincipalRouteState()
                let mark = RequestMark(time: time, id: id)
                if verdict.outcome == .allowed { state.addAllowed(mark, ttlMillis: ttlMillis) } else { state.addDenied(mark, ttlMillis: ttlMillis) }
                principalRoutes[pairKey] = state
            }
        }
    }

    /// Keeps the verdict while an example list names it; forgets the one a list pushed out once no list names it.
    private mutating func keep(_ verdict: Verdict, _ change: (inserted: Bool, evicted: String?)) {
        if change.inserted {
            exampleReferences[verdict.requestId, default: 0] += 1
            exampleVerdicts[verdict.requestId] = verdict
        }
        if let evicted = change.evicted, let count = exampleReferences[evicted] {
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
        var lists = Array(examples.values)
        for route in routes.values where !route.latency.examples.ids.isEmpty { lists.append(route.latency.examples) }
        return lists
    }

    /// Every example list of the report (routes, latency, global, principals).
    var allExampleLists: [ExampleList] {
        var lists = Array(examples.values)
        for route in routes.values { lists += route.examples.values; lists.append(route.latency.examples) }
        for principal in principals.values { lists.append(principal.failureExamples) }
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
        for (key, route) in other.routes {
            var mine = routes[key] ?? RouteSummary(apiId: route.apiId, stage: route.stage, route: route.route)
            mine.tally.merge(route.tally)
            for (cause, list) in route.examples { mine.examples[cause, default: ExampleList()].merge(list) }
            mine.latency.nearTimeout += route.latency.nearTimeout
            if let m = route.latency.maxMillis { mine.latency.maxMillis = max(mine.latency.maxMillis ?? m, m) }
            mine.latency.examples.merge(route.latency.examples)
            routes[key] = mine
        }
        for (key, principal) in other.principals {
            var mine = principals[key] ?? PrincipalSummary(principal: key)
            mine.tally.merge(principal.tally)
            mine.routes.formUnion(principal.routes)
            mine.failureExamples.merge(principal.failureExamples)
            principals[key] = mine
        }
        for (cause, list) in other.examples { examples[cause, default: ExampleList()].merge(list) }
        for (bucket, counts) in other.timeline {
            for (outcome, n) in counts { timeline[bucket, default: [:]][outcome, default: 0] += n }
        }
        for (bucket, causes) in other.causeTimeline {
            for (cause, counts) in causes {
                var mine = causeTimeline[bucket, default: [:]][cause, default: CauseBucket()]
                mine.count += counts.count
                mine.examples.merge(counts.examples)
                causeTimeline[bucket, default: [:]][cause] = mine
            }
        }
        for (key, state) in other.principalRoutes {
            if var mine = principalRoutes[key] {
                mine.merge(state, ttlMillis: ttlMillis)
                principalRoutes[key] = mine
            } else {
                principalRoutes[key] = state
            }
        }
        for (id, verdict) in other.exampleVerdicts where exampleVerdicts[id] == nil { exampleVerdicts[id] = verdict }
        recountExampleReferences()
        for filter in other.filters where !filters.contains(filter) { filters.append(filter) }
    }

    /// Routes ordered by failures, then requests, then key.
    public var sortedRoutes: [RouteSummary] {
        routes.values.sorted {
            ($0.tally.failed, $0.tally.requests) != ($1.tally.failed, $1.tally.requests)
                ? ($0.tally.failed, $0.tally.requests) > ($1.tally.failed, $1.tally.requests) : $0.key < $1.key
        }
    }

    /// Principals ordered by failures, then requests, then name.
    public var sortedPrincipals: [PrincipalSummary] {
        principals.values.sorted {
            ($0.tally.failed, $0.tally.requests) != ($1.tally.failed, $1.tally.requests)
                ? ($0.tally.failed, $0.tally.requests) > ($1.tally.failed, $1.tally.requests) : $0.principal < $1.principal
        }
    }

    /// Causes seen, most frequent first (ties by identifier).
    public var sortedCauses: [Cause] {
        Cause.allCases.filter { totals.causes[$0] != nil }
            .sorted { (totals.causes[$0]!, $1.rawValue) > (totals.causes[$1]!, $0.rawValue) }
    }
}
