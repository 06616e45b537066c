import Foundation
import Testing

/// Every report format on SampleLogs, compared byte for byte with `Fixtures/golden/report.*`.
/// After an intended change, rewrite them with `GATELOG_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests` and
/// review the diff.
@Suite(.serialized) struct ReportGoldenTests {
    static let formats = [("text", "txt"), ("markdown", "md"), ("json", "json"), ("csv", "csv"), ("html", "html")]
    static var updating: Bool { ProcessInfo.processInfo.environment["GATELOG_UPDATE_GOLDEN"] == "1" }

    static func check(_ output: String, golden name: String) throws {
        let url = Executable.fixture("golden").appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(output.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if output != expected {
            let got = output.components(separatedBy: "\n"), want = expected.components(separatedBy: "\n")
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("""
                \(name) differs from the golden file at line \(line + 1):
                  got:  \(line < got.count ? got[line] : "<end>")
                  want: \(line < want.count ? want[line] : "<end>")
                (GATELOG_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests rewrites the golden files)
                """)
        }
    }

    @Test(arguments: formats)
    func reportOnSampleLogsMatchesTheGoldenFile(format: String, ext: String) throws {
        // A relative path, so the evidence sources in the output do not depend on where the checkout lives.
        let result = try Executable.run(["report", "SampleLogs", "--format", format, "--color", "never"])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        try Self.check(result.stdout, golden: "report.\(ext)")
    }

    @Test func outputIsDeterministic() throws {
        let first = try Executable.run(["report", "SampleLogs", "--format", "html"])
        let second = try Executable.run(["report", "SampleLogs", "--format", "html"])
        #expect(first.stdout == second.stdout)
    }
}
