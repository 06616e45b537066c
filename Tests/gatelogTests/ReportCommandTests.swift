import Foundation
import Testing

/// `report` filters, `--fail-on`, exit codes, colour and progress decisions, and `merge`, on SampleLogs.
@Suite(.serialized) struct ReportCommandTests {
    static func jsonReport(_ arguments: [String]) throws -> (result: Executable.Result, json: [String: Any]) {
        let result = try Executable.run(["report", "SampleLogs", "--format", "json"] + arguments)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        return (result, json)
    }

    static func totals(_ json: [String: Any]) -> (requests: Int, outcomes: [String: Int], causes: [String: Int]) {
        let totals = json["totals"] as? [String: Any] ?? [:]
        return (totals["requests"] as? Int ?? -1, totals["outcomes"] as? [String: Int] ?? [:], totals["causes"] as? [String: Int] ?? [:])
    }

    /// The oracle: expected verdicts of SampleLogs, independent of the code.
    static func expected(_ keep: (SampleLogsEndToEndTests.Expectation) -> Bool) throws -> Int {
        try SampleLogsEndToEndTests.expectations().filter(keep).count
    }

    @Test func filterByCauseOutcomeAndPrincipal() throws {
        let byCause = try Self.jsonReport(["--cause", "authorizer_cached_policy_mismatch", "--cause", "iam_denied"])
        #expect(Self.totals(byCause.json).requests == (try Self.expected { ["authorizer_cached_policy_mismatch", "iam_denied"].contains($0.cause) }))
        #expect(Set(Self.totals(byCause.json).causes.keys) == ["authorizer_cached_policy_mismatch", "iam_denied"])
        #expect(byCause.json["filters"] as? [String] == ["cause=authorizer_cached_policy_mismatch", "cause=iam_denied"])

        let byOutcome = try Self.jsonReport(["--outcome", "throttled"])
        #expect(Self.totals(byOutcome.json).requests == (try Self.expected { $0.outcome == "throttled" }))
        #expect(Self.totals(byOutcome.json).outcomes == ["throttled": Self.totals(byOutcome.json).requests])

        let byPrincipal = try Self.jsonReport(["--principal", "usr_bob_19d7e3"])
        #expect(Self.totals(byPrincipal.json).requests == (try Self.expected { $0.principal == "usr_bob_19d7e3" }))
    }

    @Test func filterByApiStageAndRoute() throws {
        let widgets = try Self.jsonReport(["--api", "r4n8wd2ps6"])
        let routes = widgets.json["routes"] as? [[String: Any]] ?? []
        #expect(!routes.isEmpty && routes.allSatisfy { $0["apiId"] as? String == "r4n8wd2ps6" })
        // Every widgets request ran on stage dev, except console test invokes (stage test-invoke-stage).
        let dev = try Self.jsonReport(["--stage", "dev"])
        let widgetTests = (widgets.json["totals"] as? [String: Any])?["testInvokeRequests"] as? Int ?? 0
        #expect(Self.totals(dev.json).requests == Self.totals(widgets.json).requests - widgetTests)
        // Route filters ignore the case of the verb.
        let route = try Self.jsonReport(["--route", "get /pets/{petId}"])
        let routeKeys = (route.json["routes"] as? [[String: Any]] ?? []).map { "\($0["route"] as? String ?? "")" }
        #expect(Set(routeKeys) == ["GET /pets/{petId}"])
        #expect(Self.totals(route.json).requests == (try Self.expected { $0.route == "GET /pets/{petId}" }))
    }

    @Test func filterByTimeWindow() throws {
        let window = try Self.jsonReport(["--since", "2026-11-20T09:00:00Z", "--until", "2026-11-20T10:00:00Z"])
        let w = window.json["window"] as? [String: Any] ?? [:]
        #expect((w["start"] as? String ?? "") >= "2026-11-20T09:00:00.000Z")
        #expect((w["start"] as? String ?? "") < "2026-11-20T10:00:00.000Z")
        let all = Self.totals(try Self.jsonReport([]).json).requests
        let before = Self.totals(try Self.jsonReport(["--until", "2026-11-20T09:00:00Z"]).json).requests
        let after = Self.totals(try Self.jsonReport(["--since", "2026-11-20T10:00:00Z"]).json).requests
        let untimed = Self.totals(try Self.jsonReport(["--since", "2000-01-01"]).json).requests
        #expect(before + Self.totals(window.json).requests + after == untimed)
        #expect(untimed <= all && before > 0 && after > 0)
        // A relative window from now finds nothing in 2026's sample and says which window it used.
        let text = try Executable.run(["report", "SampleLogs", "--since", "24h", "--until", "1h"])
        #expect(text.stdout.contains("Filters: since=") && text.stdout.contains("until="))
    }

    @Test func failOnFormsExitOneAndNameEveryRuleThatFired() throws {
        func run(_ specs: [String]) throws -> Executable.Result {
            try Executable.run(["report", "SampleLogs", "-o", "/dev/null"] + specs.flatMap { ["--fail-on", $0] })
        }
        // Thresholds around the oracle's counts.
        let all = try Self.expected { _ in true }
        let denied = try Self.expected { $0.outcome == "denied" }
        let authorizerErrors = try Self.expected { $0.cause == "authorizer_error" }
        let gatewayErrors = try Self.expected { $0.outcome == "gateway_error" }
        let gatewayPercent = Double(gatewayErrors) * 100 / Double(all)
        #expect(try run(["denied>\(denied - 1)"]).exitCode == 1)
        #expect(try run(["denied>\(denied)"]).exitCode == 0)
        #expect(try run(["denied>=\(denied)"]).exitCode == 1)
        #expect(try run(["cause:authorizer_error>\(authorizerErrors - 1)"]).exitCode == 1)
        #expect(try run(["authorizer_error>\(authorizerErrors)"]).exitCode == 0)
        #expect(try run(["outcome:gateway_error>\(Int(gatewayPercent))%"]).exitCode == 1)
        #expect(try run(["outcome:gateway_error>\(Int(gatewayPercent) + 1)%"]).exitCode == 0)
        #expect(try run(["requests<\(all + 1)"]).exitCode == 1)
        let both = try run(["denied>1000", "cause:authorizer_error>0", "outcome:gateway_error>1%"])
        #expect(both.exitCode == 1)
        #expect(!both.stderr.contains("denied>1000"))
        #expect(both.stderr.contains("--fail-on cause:authorizer_error>0 crossed: cause:authorizer_error is \(authorizerErrors) of \(all) requests (threshold >0)"))
        let percent = (gatewayPercent * 100).rounded() / 100
        #expect(both.stderr.contains("--fail-on outcome:gateway_error>1% crossed: outcome:gateway_error is \(percent)% of \(all) requests (threshold >1%)"))
        let bad = try run(["teapot>1"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("neither an outcome nor a cause"))
    }

    @Test func aCrossedThresholdWinsOverPartialInput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-failon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error\n(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504\n".utf8)
            .write(to: directory.appendingPathComponent("a.log"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02]).write(to: directory.appendingPathComponent("b.gz"))
        let partial = try Executable.run(["report", directory.path, "-o", "/dev/null"])
        #expect(partial.exitCode == 3)
        let crossed = try Executable.run(["report", directory.path, "-o", "/dev/null", "--fail-on", "cause:integration_timeout>0"])
        #expect(crossed.exitCode == 1)
        #expect(crossed.stderr.contains("b.gz"), "the input problem is still reported")
        let notCrossed = try Executable.run(["report", directory.path, "-o", "/dev/null", "--fail-on", "cause:integration_timeout>5"])
        #expect(notCrossed.exitCode == 3)
    }

    @Test func colourOnlyWhenAskedAndProgressNeverOnStdout() throws {
        let plain = try Executable.run(["report", "SampleLogs"])
        #expect(!plain.stdout.contains("\u{1B}["), "stdout is a pipe: no colour")
        let always = try Executable.run(["report", "SampleLogs", "--color", "always"])
        #expect(always.stdout.contains("\u{1B}[1mgatelog report"))
        let progress = try Executable.run(["report", "SampleLogs", "--format", "json", "--progress", "always"])
        #expect(try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) is [String: Any])
        #expect(!progress.stdout.contains("files ·"))
        let silent = try Executable.run(["report", "SampleLogs", "--format", "json"])
        #expect(silent.stderr.isEmpty, "stderr is a pipe: no progress line")
        #expect(try Executable.run(["report", "SampleLogs", "--progress", "sometimes"]).exitCode == 2)
    }

    /// Each part holds whole requests: the access logs join requests of the S3 export, the tail files and the Insights
    /// downloads, so those go together; the other top-level entries of SampleLogs stand alone.
    static let parts = [
        ["SampleLogs/access-logs", "SampleLogs/s3-export", "SampleLogs/tail", "SampleLogs/insights"],
        ["SampleLogs/filter-log-events.json"], ["SampleLogs/console-paste.txt"], ["SampleLogs/subscription"], ["SampleLogs/test-invoke.txt"],
    ]

    @Test func mergeOfPerFolderReportsEqualsOneReportOverAllFolders() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (index, part) in Self.parts.enumerated() {
            let file = directory.appendingPathComponent("part-\(index).json").path
            let result = try Executable.run(["report"] + part + ["--format", "json", "-o", file])
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            files.append(file)
        }
        let single = try Executable.run(["report", "SampleLogs", "--format", "json"])
        // In reverse order too: merging is order-independent.
        for order in [files, files.reversed()] {
            let merged = try Executable.run(["merge"] + order + ["--format", "json"])
            #expect(merged.exitCode == 0, "stderr: \(merged.stderr)")
            #expect(merged.stdout == single.stdout, "merged JSON equals one run over all of SampleLogs")
        }
        for format in ["markdown", "html", "csv", "text"] {
            let merged = try Executable.run(["merge"] + files + ["--format", format])
            let one = try Executable.run(["report", "SampleLogs", "--format", format])
            #expect(merged.stdout == one.stdout, "\(format)")
        }
        let failing = try Executable.run(["merge"] + files + ["--fail-on", "cause:authorizer_error>0", "-o", "/dev/null"])
        #expect(failing.exitCode == 1)
        #expect(failing.stderr.contains("cause:authorizer_error>0"))
    }

    @Test func mergeRejectsWhatIsNotAReport() throws {
        let result = try Executable.run(["merge", "SampleLogs/access-logs/access-prod.jsonl"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("access-prod.jsonl"))
    }
}
