import Foundation
import Testing

/// The bundled SampleLogs, run through the built executable and checked request by request against the oracle
/// `Fixtures/sample-expectations.tsv` (written from DESIGN.md's rules, independently of the code).
@Suite(.serialized) struct SampleLogsEndToEndTests {
    struct Expectation {
        var requestId, cause, outcome, status, route, principal: String
    }

    static func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: Executable.fixture("sample-expectations.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Expectation(requestId: f[0], cause: f[1], outcome: f[2], status: f[3], route: f[4], principal: f[5])
        }
    }

    @Test func everyRequestGetsTheExpectedVerdict() throws {
        let result = try Executable.run(["requests", Executable.sampleLogs, "--format", "jsonl"])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let records = try Executable.jsonLines(result.stdout)
        var byId: [String: [String: Any]] = [:]
        for record in records { byId[record["requestId"] as! String] = record }
        let expected = try Self.expectations()
        #expect(records.count == expected.count, "one record per request")
        for e in expected {
            guard let got = byId[e.requestId] else {
                Issue.record("request \(e.requestId) (\(e.cause)) missing")
                continue
            }
            func s(_ key: String) -> String {
                switch got[key] {
                case let v as String: return v
                case let v as NSNumber: return v.stringValue
                default: return ""
                }
            }
            #expect(s("cause") == e.cause, "\(e.requestId)")
            #expect(s("outcome") == e.outcome, "\(e.requestId)")
            #expect(s("status") == e.status, "\(e.requestId)")
            #expect(s("route") == e.route, "\(e.requestId)")
            #expect(s("principal") == e.principal, "\(e.requestId)")
        }
    }

    @Test func jsonlRecordsCarryExactlyTheDesignKeys() throws {
        let keys = ["requestId", "extendedRequestId", "apiId", "stage", "httpMethod", "resource", "path", "route", "status",
                    "outcome", "layer", "cause", "principal", "authorizerId", "apiKey", "startTime", "endTime",
                    "integrationLatencyMs", "evidence", "hint"]
        let result = try Executable.run(["requests", Executable.sampleLogs])
        let records = try Executable.jsonLines(result.stdout)
        #expect(!records.isEmpty)
        for record in records {
            #expect(Set(record.keys) == Set(keys))
            let evidence = record["evidence"] as? [[String: Any]]
            #expect(evidence != nil)
            for item in evidence ?? [] {
                #expect(Set(item.keys) == ["source", "text"])
            }
            #expect((record["hint"] as? String)?.isEmpty == false)
        }
        // Keys come in the documented order.
        let firstLine = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        var position = firstLine.startIndex
        for key in keys {
            guard let range = firstLine.range(of: "\"\(key)\":", range: position..<firstLine.endIndex) else {
                Issue.record("key \(key) out of order")
                break
            }
            position = range.upperBound
        }
    }

    @Test func reportCountsReconcile() throws {
        let result = try Executable.run(["report", Executable.sampleLogs, "--format", "json"])
        #expect(result.exitCode == 0)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let totals = report["totals"] as! [String: Any]
        let requests = (totals["requests"] as! NSNumber).intValue
        #expect(requests == (try Self.expectations()).count)
        let outcomes = (totals["outcomes"] as! [String: NSNumber]).values.map(\.intValue).reduce(0, +)
        let causes = (totals["causes"] as! [String: NSNumber]).values.map(\.intValue).reduce(0, +)
        #expect(outcomes == requests)
        #expect(causes == requests)
        let routes = (report["routes"] as! [[String: Any]]).map { ($0["requests"] as! NSNumber).intValue }.reduce(0, +)
        #expect(routes == requests)
        let inputs = report["inputs"] as! [String: Any]
        func n(_ key: String) -> Int { (inputs[key] as! NSNumber).intValue }
        // Every record is recognized, unrecognized, orphaned, or an access record.
        #expect(n("records") == n("recognizedLines") + n("unrecognizedLines") + n("orphanLines") + n("accessRecords"))
        #expect(n("files") == 20)
        #expect((inputs["problems"] as! [Any]).isEmpty)
    }

    @Test func reportIsTheDefaultCommand() throws {
        let result = try Executable.run([Executable.sampleLogs])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("gatelog report — 121 requests"))
        #expect(result.stdout.contains("authorizer_cached_policy_mismatch"))
    }
}
