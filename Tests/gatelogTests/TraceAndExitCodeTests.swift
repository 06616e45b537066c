import Foundation
import Testing

@Suite(.serialized) struct TraceEndToEndTests {
    /// A request that starts at the end of 000000.gz and finishes in 000001.gz of the same stream.
    static let straddling = "10b8765e-07c2-4046-8823-9fa1753ed5f6"

    @Test func traceShowsEveryLineInOrderWithPhasesAndVerdict() throws {
        let expectations = try SampleLogsEndToEndTests.expectations()
        let cached = try #require(expectations.first { $0.cause == "authorizer_cached_policy_mismatch" })
        let result = try Executable.run(["trace", cached.requestId, Executable.sampleLogs, "--format", "json"])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let trace = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(trace["requestId"] as? String == cached.requestId)
        let lines = trace["lines"] as! [[String: Any]]
        #expect(!lines.isEmpty)
        let phases = Set(["envelope", "authorizer", "access", "usage_plan", "method", "integration", "response", "trailer", "unknown"])
        for line in lines {
            #expect(Set(line.keys) == ["time", "source", "phase", "text"])
            #expect(phases.contains(line["phase"] as! String))
        }
        let times = lines.compactMap { $0["time"] as? String }
        #expect(times == times.sorted(), "lines are in time order")
        let verdict = trace["verdict"] as! [String: Any]
        // The cache analysis needs the earlier request's policy: trace reads the rest of the input for it.
        #expect(verdict["cause"] as? String == "authorizer_cached_policy_mismatch")
    }

    @Test func traceFindsARequestByItsExtendedIdAndAcrossFiles() throws {
        let byId = try Executable.run(["trace", Self.straddling, Executable.sampleLogs, "--format", "json"])
        guard byId.exitCode == 0 else {
            Issue.record("trace by id failed: \(byId.stderr)")
            return
        }
        let trace = try JSONSerialization.jsonObject(with: Data(byId.stdout.utf8)) as! [String: Any]
        let sources = (trace["lines"] as! [[String: Any]]).map { $0["source"] as! String }
        #expect(sources.contains { $0.contains("000000.gz") } && sources.contains { $0.contains("000001.gz") })
        let extended = try #require(trace["extendedRequestId"] as? String)
        let byExtended = try Executable.run(["trace", extended, Executable.sampleLogs])
        #expect(byExtended.exitCode == 0)
        #expect(byExtended.stdout.contains("Request \(Self.straddling)"))
        #expect(byExtended.stdout.contains("Verdict:"))
        #expect(byExtended.stdout.contains("Hint:"))
    }

    @Test func unknownIdSaysSoAndExitsTwo() throws {
        let result = try Executable.run(["trace", "00000000-0000-0000-0000-000000000000", Executable.sampleLogs])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("not found"))
    }
}

@Suite(.serialized) struct ExitCodeTests {
    @Test func usageErrorsExitTwoAndPointToHelp() throws {
        let result = try Executable.run(["report", "--format", "yaml", Executable.sampleLogs])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("unknown format 'yaml'"))
        #expect(result.stderr.contains("--help"))
    }

    @Test func helpAndVersion() throws {
        let help = try Executable.run(["--help"])
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("EXAMPLES"))
        let traceHelp = try Executable.run(["trace", "--help"])
        #expect(traceHelp.stdout.contains("extended request id"))
        let version = try Executable.run(["--version"])
        #expect(version.stdout.hasPrefix("gatelog "))
    }

    @Test func readsStandardInputWhenNoPathIsGiven() throws {
        let lines = """
        (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
        (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504

        """
        let result = try Executable.run(["requests"], stdin: Data(lines.utf8))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let records = try Executable.jsonLines(result.stdout)
        #expect(records.count == 1)
        #expect(records.first?["cause"] as? String == "integration_timeout")
        #expect(records.first?["status"] as? Int == 504)
    }

    @Test func missingInputExitsTwoAndNamesThePath() throws {
        let result = try Executable.run(["report", "/nonexistent/exports"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("/nonexistent/exports"))
    }

    @Test func corruptInputNextToGoodInputExitsThreeAndKeepsTheGoodResults() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-exit3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 200\n".utf8)
            .write(to: directory.appendingPathComponent("a.log"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02]).write(to: directory.appendingPathComponent("b.gz"))
        let result = try Executable.run(["requests", directory.path])
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("b.gz"))
        #expect(try Executable.jsonLines(result.stdout).count == 1)
    }

    @Test func failOnThresholdExitsOneAndSaysWhichRuleFired() throws {
        let result = try Executable.run(["report", Executable.sampleLogs, "--fail-on", "cause:authorizer_error>0", "-o", "/dev/null"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("cause:authorizer_error>0"))
        let quiet = try Executable.run(["report", Executable.sampleLogs, "--fail-on", "denied>1000", "-o", "/dev/null"])
        #expect(quiet.exitCode == 0)
    }
}
