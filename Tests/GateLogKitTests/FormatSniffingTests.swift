import Foundation
import Testing
@testable import GateLogKit

/// Format detection on every SampleLogs file, and what happens to inputs that match no format.
@Suite struct FormatSniffingTests {
    static let sampleLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs").path

    /// The format each SampleLogs file must be sniffed as (by content, after gunzip), keyed by path below SampleLogs.
    static let expected: [(suffix: String, format: InputFormat, access: Bool)] = [
        ("access-logs/access-dev-clf.log", .plain, true),
        ("access-logs/access-dev.csv", .plain, true),
        ("access-logs/access-dev.xml", .plain, true),
        ("access-logs/access-prod.jsonl", .accessJSON, true),
        ("console-paste.txt", .plain, false),
        ("filter-log-events.json", .cliJSON, false),
        ("insights/get-query-results.json", .queryResults, false),
        ("insights/logs-insights-results.csv", .insightsCSV, false),
        ("insights/logs-insights-results.json", .insightsJSON, false),
        ("insights/logs-insights-results.md", .insightsMarkdown, false),
        ("c44a35864dfeb1e02dc41c5440337324/000000.gz", .plain, false),
        ("ec84c3b182b5719cab5aae4e7fac51d9/000000.gz", .plain, false),
        ("ec84c3b182b5719cab5aae4e7fac51d9/000001.gz", .plain, false),
        ("firehose/2026/11/20/12/petstore-exec-logs-1-2026-11-20-12-35-29-6f1e0c52-8d2b-4c3e-9a57-0b4d2e1f3a68.gz", .subscription, false),
        ("subscription/lambda-event.json", .subscription, false),
        ("subscription/petstore-prod-payload.gz", .subscription, false),
        ("tail/access-prod-json.txt", .plain, false),
        ("tail/petstore-prod-detailed-color.txt", .plain, false),
        ("tail/widgets-dev-short.txt", .plain, false),
        ("test-invoke.txt", .plain, false),
    ]

    static func prefix(_ file: InputFile) throws -> [UInt8] {
        var source = try InputOpener.open(file)
        return try PrefixedSource.peek(&source, count: 64 * 1024)
    }

    @Test func everySampleLogsFileIsSniffedAsItsFormat() throws {
        let enumeration = InputEnumerator.enumerate([Self.sampleLogs])
        #expect(enumeration.problems.isEmpty)
        #expect(enumeration.skipped.count == 1, "the aws-logs-write-test probe")
        var seen = Set<String>()
        for file in enumeration.files {
            guard let entry = Self.expected.first(where: { file.path.hasSuffix("/" + $0.suffix) }) else {
                Issue.record("\(file.path): a SampleLogs file without an expected format in this test")
                continue
            }
            seen.insert(entry.suffix)
            let prefix = try Self.prefix(file)
            #expect(ContainerSniffer.sniff(prefix) == entry.format, "\(entry.suffix)")
            #expect(ContainerSniffer.holdsAccessLog(prefix) == entry.access, "\(entry.suffix)")
            #expect(!ContainerSniffer.looksBinary(prefix), "\(entry.suffix)")
        }
        #expect(seen.count == Self.expected.count, "every expected file exists")
    }

    /// Each file alone, read with automatic detection, yields requests and no problem: the sniffed reader fits.
    @Test func everySampleLogsFileAloneYieldsRequestsWithoutProblems() throws {
        for file in InputEnumerator.enumerate([Self.sampleLogs]).files {
            var requests = 0
            let summary = try Analysis().run([file.path]) { _, _ in requests += 1 }
            #expect(summary.problems.isEmpty, "\(file.displayName): \(summary.problems)")
            #expect(requests > 0, "\(file.displayName)")
            #expect(summary.totals.orphanLines == 0, "\(file.displayName)")
        }
    }

    @Test func binaryAndTextHeuristics() {
        #expect(ContainerSniffer.looksBinary([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]))
        #expect(!ContainerSniffer.looksBinary(Array("2026-11-20T08:00:12.041Z (e5e65c71-6077-45ad-a562-033f42f81567) Extended Request Id: x7eDVk9dqGXr5Tk=\n".utf8)))
        #expect(!ContainerSniffer.looksBinary(Array("{\"note\":\"über café 😀\"}\n".utf8)))
        var noise: [UInt8] = []
        var state: UInt32 = 12345
        for _ in 0..<4096 {
            state = state &* 1_103_515_245 &+ 12345
            noise.append(UInt8(truncatingIfNeeded: state >> 16) | 0x01)
        }
        #expect(ContainerSniffer.looksBinary(noise))
    }
}

/// Inputs that match no format are reported by name; the others are still read.
@Suite struct FormatUnknownInputTests {
    static func temporaryFolder(_ files: [String: [UInt8]]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    static let validLines = """
        (c50b3a43-fa6f-4edb-ae09-072aa411d3f7) Execution failed due to a timeout error
        (c50b3a43-fa6f-4edb-ae09-072aa411d3f7) Method completed with status: 504

        """

    static func run(_ folder: URL, format: InputFormat = .auto) throws -> (summary: AnalysisSummary, verdicts: [Verdict]) {
        var options = AnalysisOptions()
        options.scan.inputFormat = format
        var verdicts: [Verdict] = []
        let summary = try Analysis(options: options).run([folder.path]) { _, verdict in verdicts.append(verdict) }
        return (summary, verdicts)
    }

    @Test func unknownFilesAreProblemsNamingThemAndTheRestIsRead() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
        png += (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let folder = try Self.temporaryFolder([
            "a-valid.txt": Array(Self.validLines.utf8),
            "b-nginx.log": Array("""
                192.168.1.1 - - [20/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 612 "-" "curl/8.0"
                10.0.0.2 - - [20/Nov/2026:10:00:01 +0000] "GET /x HTTP/1.1" 404 12 "-" "curl/8.0"

                """.utf8),
            "c-stacktrace.txt": Array("""
                Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"
                \tat com.example.Foo.bar(Foo.java:10)
                \tat com.example.Main.main(Main.java:5)

                """.utf8),
            "d-image.png": png,
            "e-blank.txt": Array("\n  \n".utf8),
            "f-no-events.json": Array(#"{"events": [], "searchedLogStreams": []}"#.utf8),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (summary, verdicts) = try Self.run(folder)
        #expect(verdicts.map(\.cause) == [.integrationTimeout])
        let problems = Dictionary(uniqueKeysWithValues: summary.problems.map { (URL(fileURLWithPath: $0.source).lastPathComponent, $0.message) })
        #expect(problems.count == 3, "\(summary.problems)")
        #expect(problems["b-nginx.log"] == "no API Gateway log records recognized (unknown text format)")
        #expect(problems["c-stacktrace.txt"] == "no API Gateway log records recognized (unknown text format)")
        #expect(problems["d-image.png"]?.hasPrefix("binary data, not a text log (") == true)
    }

    @Test func controlMessagesAloneAreNotAProblem() throws {
        let control = #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1432826855000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#
        let folder = try Self.temporaryFolder(["control.json": Array(control.utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (summary, verdicts) = try Self.run(folder)
        #expect(summary.problems.isEmpty)
        #expect(verdicts.isEmpty)
        #expect(summary.totals.controlMessages == 1)
    }

    @Test func aForcedFormatThatDoesNotFitIsAProblemNamingTheFile() throws {
        let folder = try Self.temporaryFolder(["lines.txt": Array(Self.validLines.utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (summary, verdicts) = try Self.run(folder, format: .cliJSON)
        #expect(verdicts.isEmpty)
        #expect(summary.problems.contains { $0.source.hasSuffix("lines.txt:1") && $0.message.contains("malformed JSON") })
        #expect(summary.problems.contains {
            $0.source.hasSuffix("lines.txt") && $0.message == "no API Gateway log records recognized (read as --input-format cli-json)"
        })
    }

    @Test func aForcedFormatThatFitsReadsTheFile() throws {
        let csv = "@timestamp,@message\n2026-11-20 12:00:01.120,(c50b3a43-fa6f-4edb-ae09-072aa411d3f7) Method completed with status: 504\n"
        let folder = try Self.temporaryFolder(["export.txt": Array(csv.utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (summary, verdicts) = try Self.run(folder, format: .insightsCSV)
        #expect(summary.problems.isEmpty)
        #expect(verdicts.count == 1)
    }
}
