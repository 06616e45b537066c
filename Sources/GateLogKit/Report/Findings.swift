/// Patterns across requests (DESIGN.md §4 `findings`), computed from a report's aggregates so that merged reports
/// find the same patterns as one run.
public enum Findings {
    public static func compute(_ report: Report, authorizerTTLSeconds: Int) -> [Finding] {
        var findings: [Finding] = []
        if let cached = report.totals.causes[.authorizerCachedPolicyMismatch], cached > 0 {
            findings.append(Finding(
                kind: "stale_authorizer_cache",
                message: "\(cached) request(s) were denied by a cached authorizer policy that did not cover the method they called (TTL \(authorizerTTLSeconds) s)",
                examples: report.examples[.authorizerCachedPolicyMismatch]?.ids ?? [],
                hint: Cause.authorizerCachedPolicyMismatch.hint))
        }
        for route in report.sortedRoutes where route.tally.requests >= 3 && route.tally.denied == route.tally.requests {
            let cause = route.tally.causes.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
            findings.append(Finding(
                kind: "route_always_denied",
                message: "every one of \(route.tally.requests) requests to \(route.key) was denied\(cause.map { ", mostly \($0.rawValue)" } ?? ""): likely a misconfiguration rather than bad callers",
                examples: cause.flatMap { route.examples[$0]?.ids } ?? [],
                hint: cause?.hint))
        }
        for principal in report.sortedPrincipals where principal.tally.denied >= 3 && principal.routes.count >= 3 {
            let cause = principal.tally.causes.filter { $0.key.outcome == .denied }.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
            findings.append(Finding(
                kind: "principal_denied_on_many_routes",
                message: "principal \(principal.principal) was denied \(principal.tally.denied) times across \(principal.routes.count) routes",
                examples: cause.flatMap { report.examples[$0]?.ids } ?? [],
                hint: cause?.hint))
        }
        return findings
    }
}
