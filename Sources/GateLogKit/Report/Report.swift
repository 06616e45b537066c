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
}

/// Example request ids per cause, capped and kept deterministic (earliest first, then by id), so that merged
/// reports equal a single run.
public struct ExampleList: Sendable, Equatable {
    public static let limit = 5
    public private(set) var items: [(time: Int64, id: String)] = []

    public static func == (a: ExampleList, b: ExampleList) -> Bool {
        a.items.map(\.id) == b.items.map(\.id) && a.items.map(\.time) == b.items.map(\.time)
    }

    mutating func add(id: String, time: Int64?) {
        let entry = (time: time ?? .max, id: id)
        if items.count == Self.limit, let last = items.last, !Self.before(entry, last) { return }
        let index = items.firstIndex { Self.before(entry, $0) } ?? items.count
        items.insert(entry, at: index)
        if items.count > Self.limit { items.removeLast() }
    }

    mutating func merge(_ other: ExampleList) {
        for item in other.items { add(id: item.id, time: item.time == .max ? nil : item.time) }
    }

    static func before(_ a: (time: Int64, id: String), _ b: (time: Int64, id: String)) -> Bool {
        a.time != b.time ? a.time < b.time : a.id < b.id
    }

    public var ids: [String] { items.map(\.id) }
}

/// One route of one stage (`apiId/stage route`).
public struct RouteSummary: Sendable, Equatable {
    public var apiId: String?
    public var stage: String?
    public var route: String?
    public var tally = Tally()
    public var examples: [Cause: ExampleList] = [:]

    public var key: String { "\(apiId ?? "-")/\(stage ?? "-") \(route ?? "-")" }
}

/// One principal (authorizer principal, IAM caller or `anonymous`).
public struct PrincipalSummary: Sendable, Equatable {
    public var principal: String
    public var tally = Tally()
    public var routes: Set<String> = []
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

/// The aggregate of a run (the Report stage): totals, per route, per principal, per cause, over time.
/// Every part is additive, so reports of several runs merge into the report of one run over all inputs.
public struct Report: Sendable {
    public static let schemaVersion = 1
    /// Width of the stored timeline buckets; renderers may coarsen them.
    public static let bucketMillis: Int64 = 60_000

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
    public var findings: [Finding] = []
    /// Filters and settings the run used, as `name=value` strings (shown in reports).
    public var filters: [String] = []
    /// Console test-invoke requests counted (they are test traffic, not callers).
    public var testInvokeRequests = 0

    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    public mutating func add(_ verdict: Verdict) {
        totals.add(verdict)
        if verdict.isTestInvoke { testInvokeRequests += 1 }
        let time = verdict.startTime ?? verdict.endTime
        if let start = verdict.startTime ?? verdict.endTime {
            windowStart = min(windowStart ?? start, start)
            windowEnd = max(windowEnd ?? start, verdict.endTime ?? start)
            let bucket = start - ((start % Self.bucketMillis) + Self.bucketMillis) % Self.bucketMillis
            timeline[bucket, default: [:]][verdict.outcome, default: 0] += 1
        }
        let key = verdict.routeKey
        var route = routes[key] ?? RouteSummary(apiId: verdict.apiId, stage: verdict.stage, route: verdict.route)
        route.tally.add(verdict)
        route.examples[verdict.cause, default: ExampleList()].add(id: verdict.requestId, time: time)
        routes[key] = route
        examples[verdict.cause, default: ExampleList()].add(id: verdict.requestId, time: time)
        if let principal = verdict.principal, !principal.isEmpty {
            var summary = principals[principal] ?? PrincipalSummary(principal: principal)
            summary.tally.add(verdict)
            summary.routes.insert(key)
            principals[principal] = summary
        }
    }

    /// Adds another run's report (counts, windows, timelines, examples; findings are recomputed by the caller).
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
            routes[key] = mine
        }
        for (key, principal) in other.principals {
            var mine = principals[key] ?? PrincipalSummary(principal: key)
            mine.tally.merge(principal.tally)
            mine.routes.formUnion(principal.routes)
            principals[key] = mine
        }
        for (cause, list) in other.examples { examples[cause, default: ExampleList()].merge(list) }
        for (bucket, counts) in other.timeline {
            for (outcome, n) in counts { timeline[bucket, default: [:]][outcome, default: 0] += n }
        }
        for filter in other.filters where !filters.contains(filter) { filters.append(filter) }
    }

    /// Routes ordered by failures, then requests, then key.
    public var sortedRoutes: [RouteSummary] {
        routes.values.sorted {
            ($0.tally.failed, $0.tally.requests) != ($1.tally.failed, $1.tally.requests)
                ? ($0.tally.failed, $0.tally.requests) > ($1.tally.failed, $1.tally.requests) : $0.key < $1.key
        }
    }

    /// Principals ordered by denials, then requests, then name.
    public var sortedPrincipals: [PrincipalSummary] {
        principals.values.sorted {
            ($0.tally.failed, $0.tally.requests) != ($1.tally.failed, $1.tally.requests)
                ? ($0.tally.failed, $0.tally.requests) > ($1.tally.failed, $1.tally.requests) : $0.principal < $1.principal
        }
    }
}
