import Foundation
import Testing
@testable import GateLogKit

/// `requests --format jsonl` writes each verdict without building a `JSONValue` tree; it must be byte-for-byte the
/// contract object (`Verdict.json`) serialized compactly.
struct VerdictJSONLineTests {
    static let sampleLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs").path

    @Test func everySampleLogsVerdictIsWrittenAsItsContractObject() throws {
        var checked = 0
        let analysis = Analysis()
        _ = try analysis.run([Self.sampleLogs]) { _, verdict in
            #expect(VerdictRenderers.jsonLine(verdict) == verdict.json.serialized() + "\n")
            checked += 1
        }
        #expect(checked >= 100)
    }

    @Test func escapesAndNullsMatchTheTree() {
        var verdict = Verdict(
            requestId: "r\"1\\", extendedRequestId: nil, apiId: "a\u{2028}b", stage: "\t", httpMethod: nil, resource: nil,
            path: "/p\u{7F}", route: nil, status: nil, outcome: .denied, layer: .authorizer, cause: .authorizerExplicitDeny,
            principal: "ünï", authorizerId: nil, apiKey: nil, startTime: 0, endTime: nil, integrationLatencyMs: 12,
            evidence: [Evidence(source: "f:1", text: "line\n\"q\""), Evidence(source: "f:2", text: "")], hint: "h")
        #expect(VerdictRenderers.jsonLine(verdict) == verdict.json.serialized() + "\n")
        verdict.evidence = []
        #expect(VerdictRenderers.jsonLine(verdict) == verdict.json.serialized() + "\n")
    }
}
