import Foundation
import Testing
@testable import GateLogKit

/// `diagnose(_:evidence: false)` followed by `evidence(of:)` must give exactly the verdict `diagnose(_:)` gives, on
/// every request: two diagnosers see the same requests in the same order (their authorizer caches evolve alike), one
/// diagnosing in full, the other deciding first and building the evidence afterwards.
@Suite struct DiagnoserLazyEvidenceTests {
    static let sampleLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs").path

    /// Runs `paths` through the scanner and grouper, diagnosing each finished request both ways; returns the
    /// full verdicts and how many requests differed.
    static func compareBothWays(_ paths: [String], redact: Bool) throws -> (verdicts: [Verdict], mismatches: [String]) {
        let files = FileTable()
        var options = DiagnosisOptions()
        options.redact = redact
        let full = Diagnoser(files: files, options: options)
        let lazy = Diagnoser(files: files, options: options)
        var verdicts: [Verdict] = []
        var mismatches: [String] = []
        let grouper = RequestGrouper(
            files: files, policy: GroupingPolicy(),
            onAccessRecord: { text, _, _ in AccessLogRecord.parse(text) },
            onFinished: { lifecycle in
                let expected = full.diagnose(lifecycle)
                var decided = lazy.diagnose(lifecycle, evidence: false)
                if !decided.evidence.isEmpty { mismatches.append("\(lifecycle.requestId): evidence built though not asked for") }
                decided.evidence = lazy.evidence(of: lifecycle)
                if decided != expected { mismatches.append(lifecycle.requestId) }
                verdicts.append(expected)
            })
        var scanOptions = ScanOptions()
        scanOptions.jobs = 1
        _ = try LogScanner(options: scanOptions).scan(paths, into: grouper)
        return (verdicts, mismatches)
    }

    @Test(arguments: [true, false])
    func everySampleLogsRequestGetsTheSameVerdictWithLazyEvidence(redact: Bool) throws {
        let result = try Self.compareBothWays([Self.sampleLogs], redact: redact)
        #expect(result.verdicts.count > 100)
        #expect(result.verdicts.contains { !$0.evidence.isEmpty })
        #expect(result.mismatches.isEmpty, "\(result.mismatches)")
    }

    @Test func evidenceIsLeftOutUntilAskedFor() throws {
        let harness = DiagnosisHarness()
        try harness.feed("exec.log", """
            2024-05-01T10:00:00.000Z (6f1c2a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6) Extended Request Id: RQa1bFbqIAMFkLw=
            2024-05-01T10:00:00.010Z (6f1c2a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6) Starting execution for request: 6f1c2a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6
            2024-05-01T10:00:00.011Z (6f1c2a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6) HTTP Method: GET, Resource Path: /pets/7
            2024-05-01T10:00:00.090Z (6f1c2a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6) Method completed with status: 200
            """)
        let verdicts = try harness.finish()
        #expect(verdicts.count == 1)
        // The harness diagnoses in full; the lazy twin in the harness checked the same request both ways.
        #expect(verdicts.first?.evidence.map(\.text) == ["Method completed with status: 200"])
        #expect(verdicts.first?.evidence.first?.source == "exec.log:4")
        #expect(harness.lazyMismatches.isEmpty)
    }
}
