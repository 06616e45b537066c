import Foundation
import Testing
@testable import GateLogKit

/// The compact report storage (packed tallies, 16-byte UUID ids, route/principal/pair tables), the streamed JSON and
/// `add(_:evidence:)`.
@Suite struct ReportStorageTests {
    typealias F = ReportFixtures

    /// Authorizer denials on concrete paths (one route each), allowed calls on the template, two principals, a
    /// console test id and an uppercase UUID (kept as text), a near-timeout request: every table of the report.
    static func verdicts() -> [Verdict] {
        var verdicts: [Verdict] = []
        for i in 0..<40 {
            let principal = ["usr_bob_19d7e3", "usr_carol_5b0a9e"][i % 2]
            verdicts.append(F.verdict(F.uuid(i), minute: Double(i), cause: .ok, principal: principal))
            verdicts.append(F.verdict(F.uuid(100 + i), minute: Double(i) + 0.5, cause: .authorizerImplicitDeny,
                                      route: "GET /pets/\(4000 + i % 7)", principal: principal, path: "/pets/\(4000 + i % 7)"))
        }
        verdicts.append(F.verdict("test-invoke-request", minute: 3, cause: .throttled, principal: nil))
        verdicts.append(F.verdict("0000000A-0000-4000-8000-000000000001", minute: 2.2, cause: .throttled, principal: nil))
        verdicts.append(F.verdict(F.uuid(900), minute: 4, cause: .ok, route: "GET /reports", latency: 26_500))
        return verdicts
    }

    @Test func ordinalsFollowTheDeclarationOrder() {
        #expect(Cause.allCases.enumerated().allSatisfy { Int($0.element.ordinal) == $0.offset })
        #expect(Outcome.allCases.enumerated().allSatisfy { Int($0.element.ordinal) == $0.offset })
    }

    @Test func requestIdsPrintBackAsTheyCameAndOrderAsTheirText() {
        let ids = ["0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", "0F1E2D3C-4B5A-4978-8A6B-5C4D3E2F1A0B", "test-invoke-request",
                   "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-4000-8000-000000000002", "a", ""]
        for id in ids { #expect(ExampleID(id).text == id) }
        let sortedByID = ids.map(ExampleID.init).sorted().map(\.text)
        #expect(sortedByID == ids.sorted())
    }

    @Test func tallyCountsMatchTheVerdicts() {
        let report = F.report(Self.verdicts())
        #expect(report.totals.requests == 83)
        #expect(report.totals.count(.authorizerImplicitDeny) == 40)
        #expect(report.totals.causes == [.ok: 41, .authorizerImplicitDeny: 40, .throttled: 2])
        #expect(report.totals.outcomes == [.allowed: 41, .denied: 40, .throttled: 2])
        #expect(report.routeCount == 9)
        let bob = report.principals["usr_bob_19d7e3"]
        #expect(bob?.routeCount == 9)  // the template route, the 7 concrete paths and GET /reports
        #expect(report.routeKeys(of: bob!).first == "k7x2mq9zt1/prod GET /pets/4000")
    }

    @Test func streamedJSONEqualsTheEncodedValue() {
        let report = F.report(Self.verdicts())
        for pretty in [true, false] {
            var pieces: [String] = []
            ReportJSON.write(report, pretty: pretty, chunk: 256) { pieces.append($0) }
            #expect(pieces.count > 10)
            #expect(pieces.joined() == ReportJSON.encode(report).serialized(pretty: pretty))
        }
        var empty = ""
        ReportJSON.write(Report(toolVersion: "test")) { empty += $0 }
        #expect(empty == ReportJSON.encode(Report(toolVersion: "test")).serialized(pretty: true))
    }

    @Test func mergedHalvesEqualOneRun() throws {
        let verdicts = Self.verdicts()
        let single = F.report(verdicts)
        var merged = F.report(Array(verdicts[..<37]))
        // Through JSON, as `gatelog merge` reads its parts.
        let second = F.report(Array(verdicts[37...]))
        merged.merge(try ReportJSON.decode(Array(ReportJSON.encode(second).serialized().utf8), source: "part2.json"))
        merged.findings = Findings.compute(merged)
        #expect(ReportJSON.encode(merged).serialized(pretty: true) == ReportJSON.encode(single).serialized(pretty: true))
    }

    @Test func evidenceIsAskedForOnlyForKeptExamples() {
        let evidence = [Evidence(source: "prod.log:7", text: "Method completed with status: 403")]
        var report = Report(toolVersion: "test")
        var asked: [String] = []
        // Later requests of the same cause and route are not kept once five earlier ones are.
        for i in 0..<8 {
            let verdict = F.verdict(F.uuid(i), minute: Double(i), cause: .authorizerExplicitDeny)
            report.add(verdict) { asked.append(verdict.requestId); return evidence }
        }
        #expect(asked == (0..<5).map(F.uuid))
        #expect(report.exampleVerdicts[F.uuid(0)]?.evidence == evidence)
        // A verdict that came with its evidence keeps it.
        let own = [Evidence(source: "prod.log:9", text: "Execution failed due to a timeout error")]
        report.add(F.verdict(F.uuid(20), minute: 0, cause: .integrationTimeout, evidence: own)) { evidence }
        #expect(report.exampleVerdicts[F.uuid(20)]?.evidence == own)
        // The same report as with full verdicts.
        var full = Report(toolVersion: "test")
        for i in 0..<8 { full.add(F.verdict(F.uuid(i), minute: Double(i), cause: .authorizerExplicitDeny, evidence: evidence)) }
        full.add(F.verdict(F.uuid(20), minute: 0, cause: .integrationTimeout, evidence: own))
        #expect(ReportJSON.encode(report).serialized() == ReportJSON.encode(full).serialized())
    }
}
