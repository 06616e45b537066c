import Foundation
import Testing
@testable import GateLogKit

/// Builds verdicts as the Diagnosis stage would for the sample pet shop (times are minutes after 09:00 on 2026-11-20).
enum ReportFixtures {
    static let nine = Timestamp.parseISO("2026-11-20T09:00:00Z")!

    static func verdict(_ id: String, minute: Double, cause: Cause, route: String = "GET /pets/{petId}", principal: String? = "usr_bob_19d7e3",
                        latency: Int? = nil, path: String = "/pets/7", evidence: [Evidence] = []) -> Verdict {
        let time = nine + Int64(minute * 60_000)
        return Verdict(requestId: id, extendedRequestId: nil, apiId: "k7x2mq9zt1", stage: "prod", httpMethod: String(route.split(separator: " ")[0]),
                       resource: String(route.split(separator: " ")[1]), path: path, route: route, status: cause.outcome == .allowed ? 200 : 403,
                       outcome: cause.outcome, layer: cause.layer, cause: cause, principal: principal, authorizerId: "a1b2c3",
                       apiKey: nil, startTime: time, endTime: time + 40, integrationLatencyMs: latency, evidence: evidence, hint: cause.hint)
    }

    static func uuid(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    static func report(_ verdicts: [Verdict], ttl: Int = 300) -> Report {
        var report = Report(toolVersion: "test", authorizerTTLSeconds: ttl)
        for v in verdicts { report.add(v) }
        report.findings = Findings.compute(report)
        return report
    }
}

@Suite struct ReportFindingsTests {
    typealias F = ReportFixtures

    @Test func allowedThenDeniedOnTheSameRouteWithinTheTTLIsAnIntermittentDenial() {
        let report = F.report([
            F.verdict(F.uuid(1), minute: 0, cause: .ok, path: "/pets/4"),
            F.verdict(F.uuid(2), minute: 2, cause: .authorizerImplicitDeny, path: "/pets/7"),
            // Outside the TTL of the allowed request: not counted.
            F.verdict(F.uuid(3), minute: 30, cause: .authorizerImplicitDeny, path: "/pets/9"),
            // Another principal on the same route: its own pair.
            F.verdict(F.uuid(4), minute: 3, cause: .authorizerImplicitDeny, principal: "usr_carol_5b0a9e"),
        ])
        let findings = report.findings.filter { $0.kind == "intermittent_denials" }
        #expect(findings.count == 1)
        #expect(findings.first?.examples == [F.uuid(2)])
        #expect(findings.first?.message.contains("usr_bob_19d7e3") == true)
        #expect(findings.first?.message.contains("k7x2mq9zt1/prod GET /pets/{petId}") == true)
        #expect(findings.first?.hint?.isEmpty == false)
        // A shorter TTL makes the same requests unremarkable.
        let short = F.report([F.verdict(F.uuid(1), minute: 0, cause: .ok), F.verdict(F.uuid(2), minute: 2, cause: .authorizerImplicitDeny)], ttl: 60)
        #expect(!short.findings.contains { $0.kind == "intermittent_denials" })
    }

    @Test func deniedThenAllowedWithinTheTTLAlsoCounts() {
        let report = F.report([
            F.verdict(F.uuid(1), minute: 0, cause: .authorizerExplicitDeny),
            F.verdict(F.uuid(2), minute: 1, cause: .ok),
        ])
        #expect(report.principalRoutes.values.first?.intermittentDenials == 1)
    }

    @Test func intermittentDenialsAcrossTwoMergedRunsAreFoundAtTheirEdges() {
        let first = F.report([F.verdict(F.uuid(1), minute: 0, cause: .ok)])
        let second = F.report([F.verdict(F.uuid(2), minute: 1, cause: .authorizerImplicitDeny)])
        var merged = first
        merged.merge(second)
        merged.findings = Findings.compute(merged)
        let single = F.report([F.verdict(F.uuid(1), minute: 0, cause: .ok), F.verdict(F.uuid(2), minute: 1, cause: .authorizerImplicitDeny)])
        #expect(merged.findings == single.findings)
        #expect(merged.principalRoutes == single.principalRoutes)
    }

    @Test func routeWhereEveryRequestIsDeniedIsReportedWithItsMainCause() {
        let report = F.report((1...4).map { F.verdict(F.uuid($0), minute: Double($0) * 10, cause: .resourcePolicyDeny, route: "GET /internal/metrics", principal: nil) })
        let finding = report.findings.first { $0.kind == "route_always_denied" }
        #expect(finding?.message.contains("every one of 4 requests") == true)
        #expect(finding?.examples.count == 4)
        #expect(finding?.hint == Cause.resourcePolicyDeny.hint)
    }

    @Test func principalDeniedOnManyRoutesNamesItsOwnRequests() {
        var verdicts = ["GET /pets", "POST /pets", "DELETE /pets/{petId}"].enumerated().map { i, route in
            F.verdict(F.uuid(i), minute: Double(i) * 20, cause: .authorizerExplicitDeny, route: route, principal: "usr_dave_c3e871")
        }
        // Someone else's denial of the same cause must not become dave's example.
        verdicts.append(F.verdict(F.uuid(9), minute: -30, cause: .authorizerExplicitDeny, principal: "usr_erin_2d4f6a"))
        let report = F.report(verdicts)
        let finding = report.findings.first { $0.kind == "principal_denied_on_many_routes" }
        #expect(finding?.examples == [F.uuid(0), F.uuid(1), F.uuid(2)])
    }

    @Test func spikeOfOneCauseInOneBucket() {
        var verdicts = (0..<12).map { F.verdict(F.uuid($0), minute: 60 + Double($0) * 0.2, cause: .throttled, principal: nil) }
        // Background: the same cause once an hour, and traffic over six hours.
        verdicts += (0..<6).map { F.verdict(F.uuid(100 + $0), minute: Double($0) * 60 + 30, cause: .ok, principal: nil) }
        verdicts.append(F.verdict(F.uuid(200), minute: 200, cause: .throttled, principal: nil))
        let report = F.report(verdicts)
        let spike = report.findings.first { $0.kind == "cause_spike" }
        #expect(spike?.message.hasPrefix("12 of 13 throttled requests came in the 5 minutes from 2026-11-20T10:00:00.000Z") == true)
        #expect(spike?.examples == [F.uuid(0), F.uuid(1), F.uuid(2)])
        // Evenly spread failures are no spike.
        let even = F.report((0..<12).map { F.verdict(F.uuid($0), minute: Double($0) * 30, cause: .throttled, principal: nil) })
        #expect(!even.findings.contains { $0.kind == "cause_spike" })
    }

    @Test func integrationLatencyCloseToTheTimeout() {
        let report = F.report([
            F.verdict(F.uuid(1), minute: 0, cause: .ok, route: "GET /reports", latency: 27_400),
            F.verdict(F.uuid(2), minute: 1, cause: .ok, route: "GET /reports", latency: 800),
            F.verdict(F.uuid(3), minute: 2, cause: .integrationTimeout, route: "GET /reports", latency: 29_001),
            F.verdict(F.uuid(4), minute: 3, cause: .ok, route: "GET /pets", latency: 24_000),
        ])
        let findings = report.findings.filter { $0.kind == "integration_near_timeout" }
        #expect(findings.count == 1)
        #expect(findings.first?.message == "1 request(s) to k7x2mq9zt1/prod GET /reports spent 25 s or more in the integration (longest 27.4 s), close to the 29 s integration timeout; 1 timed out")
        #expect(findings.first?.examples == [F.uuid(1)])
    }

    @Test func exampleVerdictsAreKeptOnlyWhileAnExampleListNamesThem() {
        // 8 ok requests on one route: only the 5 earliest stay examples, so only their verdicts are kept.
        let report = F.report((0..<8).reversed().map { F.verdict(F.uuid($0), minute: Double($0), cause: .ok, principal: nil) })
        #expect(Set(report.exampleVerdicts.keys) == Set((0..<5).map(F.uuid)))
        #expect(report.exampleVerdicts[F.uuid(0)]?.path == "/pets/7")
    }

    @Test func reportJSONRoundTripsEverythingMergeNeeds() throws {
        let evidence = [Evidence(source: "s3/000000.gz:12", text: "Method completed with status: 403")]
        let report = F.report([
            F.verdict(F.uuid(1), minute: 0, cause: .ok),
            F.verdict(F.uuid(2), minute: 2, cause: .authorizerImplicitDeny, evidence: evidence),
            F.verdict(F.uuid(3), minute: 4, cause: .ok, route: "GET /reports", latency: 26_000),
        ], ttl: 600)
        let text = ReportJSON.encode(report).serialized(pretty: true)
        let decoded = try ReportJSON.decode(Array(text.utf8), source: "test.json")
        #expect(decoded.authorizerTTLSeconds == 600)
        #expect(decoded.exampleVerdicts == report.exampleVerdicts)
        #expect(decoded.principalRoutes == report.principalRoutes)
        #expect(decoded.causeTimeline == report.causeTimeline)
        #expect(decoded.routes == report.routes)
        var again = decoded
        again.findings = Findings.compute(again)
        #expect(ReportJSON.encode(again).serialized(pretty: true) == text)
    }
}
