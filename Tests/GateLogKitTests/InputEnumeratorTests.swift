import Foundation
import Testing
@testable import GateLogKit

@Suite struct InputEnumeratorTests {
    private let line = Array("2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9\n".utf8)

    @Test func walksDirectoriesInByteOrderSkippingHiddenEntriesAndTheProbeObject() throws {
        let dir = try InputTestDirectory()
        for name in ["c.log", "a.log", "a-1.log", "B.log", "a/z.log", "a/y.log", "a/.partial.log", ".hidden.log",
                     ".cache/x.log", "aws-logs-write-test", "a/sub/aws-logs-write-test", "ä.log"] {
            try dir.write(name, name == "aws-logs-write-test" ? Array("Permission Check Successful".utf8) : line)
        }
        let result = InputEnumerator.enumerate([dir.path + "/"])
        let root = dir.path + "/"
        // Bytes: "B" (42) < "a" < "a-1.log" ("-" 2D) < "a.log" ("." 2E) < "c.log" < "ä.log" (C3 A4).
        #expect(result.files.map(\.displayName) == [
            root + "B.log", root + "a/y.log", root + "a/z.log", root + "a-1.log", root + "a.log", root + "c.log", root + "ä.log",
        ])
        #expect(result.files.map(\.index) == Array(0..<7))
        #expect(result.files.allSatisfy { $0.size == Int64(line.count) })
        #expect(result.skipped == [root + "a/sub/aws-logs-write-test", root + "aws-logs-write-test"])
        #expect(result.problems.isEmpty)
    }

    @Test func argumentsKeepTheirOrderAndStandardInputIsListedOnce() throws {
        let dir = try InputTestDirectory()
        let second = try dir.write("logs/2.log", line)
        let first = try dir.write("logs/1.log", line)
        let result = InputEnumerator.enumerate([second, "-", dir.path + "/logs", "-"])
        // 2.log is named first; walking the folder later does not list it again.
        #expect(result.files.map(\.displayName) == [second, "<stdin>", first])
        #expect(result.files[1].path == "-")
        #expect(result.files[1].size == nil)
        #expect(result.files[1].isStandardInput)
        #expect(result.problems.isEmpty)
    }

    @Test func missingPathIsAProblemAndTheRestIsStillRead() throws {
        let dir = try InputTestDirectory()
        let present = try dir.write("present.log", line)
        let missing = dir.path + "/missing.log.gz"
        let result = InputEnumerator.enumerate([missing, present])
        #expect(result.files.map(\.path) == [present])
        #expect(result.files.first?.index == 0)
        #expect(result.problems == [InputProblem(source: missing, message: "cannot read: No such file or directory")])
    }

    @Test func directorySymlinkLoopIsReportedOnceAndDoesNotHang() throws {
        let dir = try InputTestDirectory()
        try dir.write("logs/a.log", line)
        try dir.write("logs/sub/b.log", line)
        try dir.symlink("logs/sub/back", to: "..")
        try dir.symlink("logs/sub/self", to: ".")
        let result = InputEnumerator.enumerate([dir.path + "/logs"])
        #expect(result.files.map(\.displayName) == [dir.path + "/logs/a.log", dir.path + "/logs/sub/b.log"])
        #expect(result.problems.map(\.source) == [dir.path + "/logs/sub/back", dir.path + "/logs/sub/self"])
        #expect(result.problems.first?.message == "symbolic link loop: leads back to \(dir.path)/logs, not followed")
    }

    @Test func symlinksAreFollowedAndBrokenOnesReported() throws {
        let dir = try InputTestDirectory()
        let target = try dir.write("data/000000.gz", line)
        try dir.makeFolder("links")
        try dir.symlink("links/export.gz", to: target)
        try dir.symlink("links/gone.gz", to: dir.path + "/nowhere.gz")
        let direct = InputEnumerator.enumerate([dir.path + "/links/export.gz"])
        #expect(direct.files.map(\.displayName) == [dir.path + "/links/export.gz"])
        #expect(direct.files.first?.size == Int64(line.count))

        let walked = InputEnumerator.enumerate([dir.path + "/links"])
        #expect(walked.files.map(\.displayName) == [dir.path + "/links/export.gz"])
        #expect(walked.problems == [
            InputProblem(source: dir.path + "/links/gone.gz", message: "broken symbolic link: No such file or directory"),
        ])
    }

    @Test func s3ExportLayoutGivesLogGroupAndStreamHints() throws {
        let dir = try InputTestDirectory()
        let taskId = "0f4d8c7e-2b1a-4e5f-9a3c-6d7e8f901234"
        let prefix = "exports/API-Gateway-Execution-Logs_a1b2c3d4e5/prod/\(taskId)"
        try dir.write("exports/aws-logs-write-test", Array("Permission Check Successful".utf8))
        try dir.write("\(prefix)/2a38a4a9316c49e5a833517c45d31070/000000.gz", try gzip(line))
        try dir.write("\(prefix)/2a38a4a9316c49e5a833517c45d31070/000001.gz", try gzip(line))
        try dir.write("\(prefix)/e369853df766fa44e1ed0ff613f563bd/000000.gz", try gzip(line))
        let result = InputEnumerator.enumerate([dir.path + "/exports"])
        #expect(result.problems.isEmpty)
        #expect(result.skipped == [dir.path + "/exports/aws-logs-write-test"])
        #expect(result.files.count == 3)
        #expect(result.files.allSatisfy { $0.logGroupHint == "API-Gateway-Execution-Logs_a1b2c3d4e5/prod" })
        #expect(result.files.map(\.logStreamHint) == [
            "2a38a4a9316c49e5a833517c45d31070", "2a38a4a9316c49e5a833517c45d31070", "e369853df766fa44e1ed0ff613f563bd",
        ])
        // The files themselves are gzip and decode to the exported line.
        let decoded = readLines(try InputOpener.open(result.files[2]))
        #expect(decoded.lines == [String(decoding: line.dropLast(), as: UTF8.self)])
    }

    @Test func pathHintsNeedTheRealNamingPatterns() {
        let group = InputFile.pathHints("/data/API-Gateway-Execution-Logs_uwe3g5jm54/Prod/000000.gz")
        #expect(group.logGroup == "API-Gateway-Execution-Logs_uwe3g5jm54/Prod")
        #expect(group.logStream == nil)   // the folder holding the chunk is the stage, not a stream

        let unpacked = InputFile.pathHints("c0b2d1a1-7e3f-4c55-8a5e-2f1e0d9c8b7a/072b030ba126b2f4b2374f342be9ed44/000001")
        #expect(unpacked.logGroup == nil)
        #expect(unpacked.logStream == "072b030ba126b2f4b2374f342be9ed44")

        let plain = InputFile.pathHints("/var/log/API-Gateway-Execution-Logs/prod/app.log")   // no "_{apiId}"
        #expect(plain.logGroup == nil)
        #expect(plain.logStream == nil)

        let notChunk = InputFile.pathHints("exports/task/072b030ba126b2f4b2374f342be9ed44/0000001.gz")   // 7 digits
        #expect(notChunk.logStream == nil)

        let stdin = InputFile(path: "-")
        #expect(stdin.displayName == "<stdin>")
        #expect(stdin.logGroupHint == nil && stdin.logStreamHint == nil)
    }
}
