/// The filters shared by `report`, `requests` and `trace` (`--since`, `--until`, `--api`, `--stage`, `--route`,
/// `--principal`, `--cause`, `--outcome`). Empty lists match everything; several values of one filter are alternatives.
public struct VerdictFilter: Sendable, Equatable {
    public var since: Int64?
    public var until: Int64?
    public var apis: [String] = []
    public var stages: [String] = []
    public var routes: [String] = []
    public var principals: [String] = []
    public var causes: [Cause] = []
    public var outcomes: [Outcome] = []

    public init() {}

    public var isEmpty: Bool { self == VerdictFilter() }

    public func matches(_ verdict: Verdict) -> Bool {
        if since != nil || until != nil {
            guard let time = verdict.startTime ?? verdict.endTime else { return false }
            if let since, time < since { return false }
            if let until, time >= until { return false }
        }
        if !apis.isEmpty, !apis.contains(verdict.apiId ?? "") { return false }
        if !stages.isEmpty, !stages.contains(verdict.stage ?? "") { return false }
        if !routes.isEmpty {
            let route = verdict.route ?? ""
            guard routes.contains(where: { Self.normalizeRoute($0) == Self.normalizeRoute(route) || $0 == verdict.routeKey }) else { return false }
        }
        if !principals.isEmpty, !principals.contains(verdict.principal ?? "") { return false }
        if !causes.isEmpty, !causes.contains(verdict.cause) { return false }
        if !outcomes.isEmpty, !outcomes.contains(verdict.outcome) { return false }
        return true
    }

    /// `get /pets/{id}` and `GET  /pets/{id}` are the same route.
    static func normalizeRoute(_ route: String) -> String {
        let parts = route.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return route }
        return parts[0].uppercased() + " " + parts[1]
    }

    /// The filters as `name=value` words, for the report header.
    public var descriptions: [String] {
        var out: [String] = []
        if let since { out.append("since=\(Timestamp.iso8601(since))") }
        if let until { out.append("until=\(Timestamp.iso8601(until))") }
        out += apis.map { "api=\($0)" } + stages.map { "stage=\($0)" } + routes.map { "route=\($0)" }
        out += principals.map { "principal=\($0)" } + causes.map { "cause=\($0.rawValue)" } + outcomes.map { "outcome=\($0.rawValue)" }
        return out
    }

    /// Parses `--since`/`--until` values: ISO 8601 (date, or date and time) or a duration before `now` (`30m`, `24h`, `7d`, `2w`).
    public static func parseTime(_ text: String, now: Int64) -> Int64? {
        if let last = text.last, let amount = Int64(text.dropLast()), amount >= 0 {
            let unit: Int64?
            switch last {
            case "s": unit = 1000
            case "m": unit = 60_000
            case "h": unit = 3_600_000
            case "d": unit = 86_400_000
            case "w": unit = 604_800_000
            default: unit = nil
            }
            if let unit { return now - amount * unit }
        }
        if let millis = Timestamp.parseISO(text) { return millis }
        if text.count == 10, let millis = Timestamp.parseISO(text + "T00:00:00Z") { return millis }
        return nil
    }
}
