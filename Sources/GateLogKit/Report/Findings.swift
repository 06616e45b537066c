/// Patterns across requests (DESIGN.md §4 `findings`), computed from a report's aggregates so that merged reports
/// find the same patterns as one run. Each finding names example request ids and the hint to try first.
public enum Findings {
    /// At most this many findings of one kind (the worst first).
    public static let perKindLimit = 10
    /// A route is called always denied from this many requests on.
    public static let alwaysDeniedMinimum = 3
    /// A principal denied on at least this many routes (and this many times) is reported.
    public static let manyRoutesMinimum = 3
    /// A spike needs at least this many requests of one cause in one bucket…
    public static let spikeMinimum = 5
    /// …and this many times the cause's average per bucket over the report's window.
    public static let spikeFactor = 4.0

    public static func compute(_ report: Report) -> [Finding] {
        staleCache(report) + intermittentDenials(report) + alwaysDenied(report) + principalsOnManyRoutes(report)
            + spikes(report) + nearTimeouts(report)
    }

    static func staleCache(_ report: Report) -> [Finding] {
        let cached = report.totals.count(.authorizerCachedPolicyMismatch)
        guard cached > 0 else { return [] }
        return [Finding(
            kind: "stale_authorizer_cache",
            message: "\(cached) request(s) were denied by a cached authorizer policy that did not cover the method they called (TTL \(report.authorizerTTLSeconds) s)",
            examples: report.examples(of: .authorizerCachedPolicyMismatch)?.ids ?? [],
            hint: Cause.authorizerCachedPolicyMismatch.hint)]
    }

    static let intermittentHint = "The same caller was allowed and denied on the same route within the authorizer cache TTL. "
        + "With authorizer caching on, API Gateway reuses the policy the authorizer returned for the first request of a token; "
        + "if that policy's Resource names only the first caller's methodArn, later calls to other paths of the route are denied "
        + "until the cache entry expires. Return a policy that covers every method the principal may call (e.g. "
        + "arn:aws:execute-api:region:account:api/stage/*), or add the path to the authorizer's identity sources, or lower the TTL."

    static func intermittentDenials(_ report: Report) -> [Finding] {
        let flapping = report.pairs.compactMap { row in
            row.state.flatMap { $0.intermittentDenials > 0 ? (key: report.key(of: row), value: $0) : nil }
        }.sorted { ($0.value.intermittentDenials, $1.key) > ($1.value.intermittentDenials, $0.key) }
        return flapping.prefix(perKindLimit).map { key, state in
            Finding(
                kind: "intermittent_denials",
                message: "principal \(key.principal) was denied \(state.intermittentDenials) time(s) on \(key.route) within \(report.authorizerTTLSeconds) s of being allowed there: likely a stale authorizer cache entry",
                examples: state.examples.ids,
                hint: intermittentHint)
        }
    }

    static func alwaysDenied(_ report: Report) -> [Finding] {
        let routes = report.sortedRoutes.filter { $0.tally.requests >= alwaysDeniedMinimum && $0.tally.denied == $0.tally.requests }
        return routes.prefix(perKindLimit).map { route in
            let cause = route.tally.topFailure?.cause
            return Finding(
                kind: "route_always_denied",
                message: "every one of \(route.tally.requests) requests to \(route.key) was denied\(cause.map { ", mostly \($0.rawValue)" } ?? ""): likely a misconfiguration rather than bad callers",
                examples: cause.flatMap { route.examples[$0]?.ids } ?? [],
                hint: cause?.hint)
        }
    }

    static func principalsOnManyRoutes(_ report: Report) -> [Finding] {
        // `anonymous` stands for every unauthenticated caller of a resource policy, not one identity.
        let principals = report.sortedPrincipals.filter { principal in
            principal.principal != "anonymous"
                && principal.tally.denied >= manyRoutesMinimum && principal.routeCount >= manyRoutesMinimum
        }
        return principals.prefix(perKindLimit).map { principal in
            let cause = principal.tally.causes.filter { $0.key.outcome == .denied }
                .max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
            return Finding(
                kind: "principal_denied_on_many_routes",
                message: "principal \(principal.principal) was denied \(principal.tally.denied) times across \(principal.routeCount) routes\(cause.map { ", mostly \($0.rawValue)" } ?? "")",
                examples: principal.failureExamples.ids,
                hint: cause?.hint)
        }
    }

    static func spikes(_ report: Report) -> [Finding] {
        guard let start = report.windowStart, let end = report.windowEnd else { return [] }
        let width = Report.spikeBucketMillis
        let bucketsInWindow = (Report.bucket(end, width: width) - Report.bucket(start, width: width)) / width + 1
        guard bucketsInWindow >= 4 else { return [] }
        var totals: [Cause: Int] = [:]
        var peaks: [Cause: (bucket: Int64, counts: CauseBucket)] = [:]
        for bucket in report.causeTimeline.keys.sorted() {
            for (cause, counts) in report.causeTimeline[bucket]! {
                totals[cause, default: 0] += counts.count
                if peaks[cause].map({ counts.count > $0.counts.count }) ?? true { peaks[cause] = (bucket, counts) }
            }
        }
        var found: [(cause: Cause, bucket: Int64, counts: CauseBucket)] = []
        for (cause, peak) in peaks {
            let average = Double(totals[cause]!) / Double(bucketsInWindow)
            if peak.counts.count >= spikeMinimum, Double(peak.counts.count) >= spikeFactor * average {
                found.append((cause, peak.bucket, peak.counts))
            }
        }
        found.sort { ($0.counts.count, $1.cause.rawValue) > ($1.counts.count, $0.cause.rawValue) }
        return found.prefix(perKindLimit).map { spike in
            let minutes = width / 60_000
            return Finding(
                kind: "cause_spike",
                message: "\(spike.counts.count) of \(totals[spike.cause]!) \(spike.cause.rawValue) requests came in the \(minutes) minutes from \(Timestamp.iso8601(spike.bucket))",
                examples: spike.counts.examples.ids,
                hint: spike.cause.hint)
        }
    }

    static func nearTimeouts(_ report: Report) -> [Finding] {
        let routes = report.routeList.filter { $0.latency.nearTimeout > 0 }
            .sorted { ($0.latency.nearTimeout, $1.key) > ($1.latency.nearTimeout, $0.key) }
        return routes.prefix(perKindLimit).map { route in
            let maxSeconds = Double(route.latency.maxMillis ?? 0) / 1000
            let timeouts = route.tally.count(.integrationTimeout)
            return Finding(
                kind: "integration_near_timeout",
                message: "\(route.latency.nearTimeout) request(s) to \(route.key) spent \(Report.nearTimeoutMillis / 1000) s or more in the integration (longest \(maxSeconds) s), close to the \(Report.integrationTimeoutMillis / 1000) s integration timeout\(timeouts > 0 ? "; \(timeouts) timed out" : "")",
                examples: route.latency.examples.ids,
                hint: Cause.integrationTimeout.hint)
        }
    }
}
