import CZlib
import Foundation
import Testing

/// A temporary folder of generated hostile inputs, removed when the value goes away.
final class HostileFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "gatelog-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }
}

/// One gzip member of `bytes` (zlib, as the S3 export writes it).
func gzipped(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let written: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            stream.next_out = outputBuffer.baseAddress
            stream.avail_out = UInt32(outputBuffer.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outputBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<written])
}

/// The bad inputs of the hostile suite: none of them holds a request, so a run over good and bad files together must
/// give exactly the good files' requests. Each comes with the exact problem gatelog must report for it.
struct BadInputs {
    var paths: [String] = []
    var problems: [String] = []

    init(in folder: HostileFolder) throws {
        let p = folder.path
        try folder.write("bad/01-empty.log", [])
        problems.append("\(p)/bad/01-empty.log: empty input: no data")

        var garbage = [UInt8](repeating: 0, count: 3000)
        var state: UInt32 = 2_463_534_242
        for i in garbage.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            garbage[i] = UInt8(truncatingIfNeeded: state)
        }
        try folder.write("bad/02-garbage.bin", garbage)
        let nuls = garbage.filter { $0 == 0 }.count
        problems.append("\(p)/bad/02-garbage.bin: binary data, not a text log (\(nuls) NUL bytes in the first 3000 bytes); not read")

        try folder.write("bad/03-wrong-shape.json", #"{"events": {"message": "(515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution"}}"#)
        problems.append(#"\#(p)/bad/03-wrong-shape.json:1: "events" at byte 11 is not an array of log events; skipped"#)

        try folder.write("bad/04-settings.json", #"[{"restApiId": "k7x2mq9zt1", "stageName": "prod"}]"#)
        problems.append("\(p)/bad/04-settings.json: JSON, but not a log format gatelog reads (an array of objects); expected `aws logs filter-log-events`/`get-log-events`/`get-query-results` output, a subscription-filter payload, a Logs Insights JSON download or JSON access-log lines; not read")

        var corrupt = gzipped(Array("2019-02-26T15:29:33.733Z (515f1e99-39db-11e9-9e96-000000000001) Starting execution for request: 515f1e99-39db-11e9-9e96-000000000001\n".utf8))
        corrupt[10] = 0x07   // first deflate block: reserved block type
        try folder.write("bad/05-corrupt.gz", corrupt)
        problems.append("\(p)/bad/05-corrupt.gz@11: corrupt gzip data: invalid block type (0 bytes decoded)")

        // Text gatelog can read but that names no request: a Latin-1 note and one endless line.
        try folder.write("bad/06-latin1.txt", Array("Notes for the caf".utf8) + [0xE9] + Array(" team\n".utf8))
        problems.append("\(p)/bad/06-latin1.txt: invalid UTF-8 at byte 17 of the decoded text; kept as read, shown with U+FFFD replacement characters")
        problems.append("\(p)/bad/06-latin1.txt: no API Gateway log records recognized (unknown text format)")
        try folder.write("bad/07-one-line.txt", [UInt8](repeating: 0x7A, count: 20 << 20))
        problems.append("\(p)/bad/07-one-line.txt:1: line of \(20 << 20) bytes cut to its first 1048576 bytes")
        problems.append("\(p)/bad/07-one-line.txt: no API Gateway log records recognized (unknown text format)")

        // A gzip bomb: 1 GiB of zeros (sixteen 64 MiB members of about 64 KB each).
        let member = gzipped([UInt8](repeating: 0, count: 64 << 20), level: 9)
        try folder.write("bad/08-bomb.gz", Array((0..<16).map { _ in member }.joined()))
        problems.append("\(p)/bad/08-bomb.gz: binary data, not a text log (65536 NUL bytes in the first 65536 bytes); not read")

        // A folder whose only entry is a link back to it.
        try FileManager.default.createDirectory(atPath: p + "/loop/inner", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: p + "/loop/inner/up", withDestinationPath: "..")
        problems.insert("\(p)/loop/inner/up: symbolic link loop: leads back to \(p)/loop, not followed", at: 0)
        problems.insert("\(p)/missing.log: cannot read: No such file or directory", at: 1)
        paths = [p + "/bad", p + "/loop", p + "/missing.log"]
    }
}

@Suite(.serialized) struct HostileInputEndToEndTests {
    @Test func goodFilesGiveTheSameResultsWhateverBadFilesSurroundThem() throws {
        let folder = try HostileFolder()
        let bad = try BadInputs(in: folder)
        let alone = try Executable.run(["requests", Executable.sampleLogs, "--format", "jsonl"])
        #expect(alone.exitCode == 0)
        #expect(alone.stderr == "")
        // Bad inputs before and after the good ones.
        let mixed = try Executable.run(["requests", bad.paths[0], Executable.sampleLogs, bad.paths[1], bad.paths[2], "--format", "jsonl"])
        #expect(mixed.exitCode == 3)
        #expect(mixed.stdout == alone.stdout)
        // Enumeration problems come first, then the files in reading order.
        let expectedStderr = bad.problems.map { "gatelog: \($0)\n" }.joined()
        #expect(mixed.stderr == expectedStderr)
    }

    @Test func theReportListsEveryProblemAndKeepsTheGoodTotals() throws {
        let folder = try HostileFolder()
        let bad = try BadInputs(in: folder)
        let alone = try Executable.run(["report", Executable.sampleLogs, "--format", "json"])
        let mixed = try Executable.run(["report", Executable.sampleLogs] + bad.paths + ["--format", "json", "--quiet"])
        #expect(mixed.exitCode == 3)
        #expect(mixed.stderr == "", "--quiet keeps problems off stderr")
        let good = try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as! [String: Any]
        let report = try JSONSerialization.jsonObject(with: Data(mixed.stdout.utf8)) as! [String: Any]
        #expect(NSDictionary(dictionary: report["totals"] as! [String: Any]) == NSDictionary(dictionary: good["totals"] as! [String: Any]))
        #expect((report["routes"] as! [Any]).count == (good["routes"] as! [Any]).count)
        let problems = ((report["inputs"] as! [String: Any])["problems"] as! [[String: String]]).map { "\($0["source"]!): \($0["message"]!)" }
        #expect(problems == bad.problems)
        // The text report says the results are partial and lists them too.
        let text = try Executable.run(["report", Executable.sampleLogs] + bad.paths + ["--quiet", "--top", "50"])
        #expect(text.exitCode == 3)
        #expect(text.stdout.contains("Input problems (results are partial)"))
        for problem in bad.problems { #expect(text.stdout.contains("  " + problem + "\n"), "\(problem)") }
    }

    @Test func eachBadInputAloneGivesItsProblemAndExitCode() throws {
        let folder = try HostileFolder()
        let bad = try BadInputs(in: folder)
        let p = folder.path
        // Nothing readable at all: exit 2, with the problem and "no readable input".
        for name in ["01-empty.log", "02-garbage.bin", "04-settings.json", "05-corrupt.gz", "08-bomb.gz"] {
            let result = try Executable.run(["requests", p + "/bad/" + name])
            #expect(result.exitCode == 2, "\(name)")
            let problem = try #require(bad.problems.first { $0.hasPrefix("\(p)/bad/\(name)") })
            #expect(result.stderr == "gatelog: \(problem)\ngatelog: no readable input\n")
        }
        // Read, but with a problem: exit 3.
        for name in ["03-wrong-shape.json", "06-latin1.txt", "07-one-line.txt"] {
            let result = try Executable.run(["requests", p + "/bad/" + name])
            #expect(result.exitCode == 3, "\(name)")
            let problems = bad.problems.filter { $0.hasPrefix("\(p)/bad/\(name)") }
            #expect(!problems.isEmpty)
            #expect(result.stderr == problems.map { "gatelog: \($0)\n" }.joined())
        }
    }

    @Test func truncatedGzipKeepsItsRequestsAndExitsThree() throws {
        let folder = try HostileFolder()
        let text = try String(contentsOfFile: Executable.sampleLogs + "/console-paste.txt", encoding: .utf8)
        let whole = gzipped(Array(text.utf8))
        let cut = try folder.write("cut.gz", Array(whole[..<(whole.count * 2 / 3)]))
        let full = try Executable.run(["requests", Executable.sampleLogs + "/console-paste.txt"])
        let partial = try Executable.run(["requests", cut])
        #expect(partial.exitCode == 3)
        #expect(partial.stderr.hasPrefix("gatelog: \(cut)@\(whole.count * 2 / 3): truncated gzip stream: input ended inside a compressed member ("))
        let fullIds = try Executable.jsonLines(full.stdout).map { $0["requestId"] as! String }
        let partialIds = try Executable.jsonLines(partial.stdout).map { $0["requestId"] as! String }
        #expect(!partialIds.isEmpty)
        #expect(Set(partialIds).isSubset(of: Set(fullIds)))
    }

    @Test func aTextGzipBombIsStreamedInBoundedMemory() throws {
        let folder = try HostileFolder()
        // 1 GiB of text in about 1 MB: one endless line of log-like text, as sixteen 64 MiB gzip members. Inflated
        // as a stream, cut at the line cap, never held whole.
        let piece = "(515f1e99-39db-11e9-9e96-01e5c04505b9) Method request query string: {} "
        let repeats = (64 << 20) / piece.utf8.count
        let member = gzipped(Array(String(repeating: piece, count: repeats).utf8), level: 9)
        let decoded = 16 * repeats * piece.utf8.count
        let bomb = try folder.write("bomb.gz", Array((0..<16).map { _ in member }.joined()))
        // Run with its address space limited to 256 MiB: a reader that held the bomb (or a quarter of it) would fail.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", Executable.binary.path, "requests", bomb]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 3, "stderr: \(errors)")
        #expect(errors == "gatelog: \(bomb):1: line of \(decoded) bytes cut to its first 1048576 bytes\n")
        // The request is there, its evidence cut to the line cap.
        let verdict = try #require(try Executable.jsonLines(String(decoding: output, as: UTF8.self)).first)
        #expect(verdict["cause"] as? String == "incomplete")
    }
}
