import CZlib
import Foundation
import Testing
@testable import GateLogKit

/// One successful request in S3-export form, with the message texts of log-formats.md §9.1 (2019 Lambda proxy).
func hostileGoodRequest(_ n: Int, second: Int = 33) -> [String] {
    let id = String(format: "515f1e99-39db-11e9-9e96-%012x", n)
    let t = String(format: "2019-02-26T15:29:%02d", second)
    return [
        "\(t).732Z (\(id)) Extended Request Id: Vts2pH6ArPEFcuQ=",
        "\(t).733Z (\(id)) Starting execution for request: \(id)",
        "\(t).733Z (\(id)) HTTP Method: POST, Resource Path: /verifyReceipt",
        "\(t).734Z (\(id)) Method request body before transformations: {\"receiptData\":\"82ca4c4f-26dd-4554-a11e-c3feb5324345\"}",
        "\(t).734Z (\(id)) Endpoint request URI: https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:verify/invocations",
        "\(t).735Z (\(id)) Sending request to https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:verify/invocations",
        "\(t).774Z (\(id)) Received response. Status: 200, Integration latency: 40 ms",
        "\(t).774Z (\(id)) Successfully completed execution",
        "\(t).774Z (\(id)) Method completed with status: 200",
    ]
}

func hostileGoodLog(_ requests: Range<Int>) -> [UInt8] {
    Array((requests.flatMap { hostileGoodRequest($0) }.joined(separator: "\n") + "\n").utf8)
}

/// What one run of the whole pipeline over some paths gave.
struct HostileRun {
    var summary: AnalysisSummary
    var verdicts: [Verdict]
    var lifecycles: [RequestLifecycle]

    init(_ paths: [String]) throws {
        let analysis = Analysis()
        var verdicts: [Verdict] = []
        var lifecycles: [RequestLifecycle] = []
        summary = try analysis.run(paths) { lifecycle, verdict in
            verdicts.append(verdict)
            lifecycles.append(lifecycle)
        }
        self.verdicts = verdicts
        self.lifecycles = lifecycles
    }

    var problems: [InputProblem] { summary.problems }
}

/// Bytes an independent zlib inflate gets out of `gzip` before it runs out of input (for the exact truncation message).
func inflatedLengthBeforeCut(_ gzip: [UInt8]) -> Int {
    var stream = z_stream()
    precondition(inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { inflateEnd(&stream) }
    var input = gzip
    var output = [UInt8](repeating: 0, count: 1 << 16)
    var total = 0
    input.withUnsafeMutableBufferPointer { inputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = UInt32(inputBuffer.count)
        while true {
            let produced: Int = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                _ = inflate(&stream, Z_NO_FLUSH)
                return out.count - Int(stream.avail_out)
            }
            total += produced
            if produced == 0 { break }
        }
    }
    return total
}

/// `mebibytes` MiB of one repeated byte as gzip: 64 MiB members, compressed once and repeated.
func gzipBomb(of byte: UInt8, mebibytes: Int) throws -> [UInt8] {
    var member: [UInt8] = []
    var left = 64
    let chunk = [UInt8](repeating: byte, count: 1 << 20)
    try gzipMember(level: 9, { guard left > 0 else { return nil }; left -= 1; return chunk }, emit: { member += $0 })
    return Array((0..<(mebibytes / 64)).map { _ in member }.joined())
}

/// A deterministic byte generator (xorshift), so "random" garbage gives the same exact problem message every run.
struct GarbageBytes {
    var state: UInt64
    mutating func next(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }
}

@Suite struct HostileInputTests {
    @Test func truncatedGzipKeepsTheLinesBeforeTheCutAndNamesTheOffset() throws {
        let dir = try InputTestDirectory()
        let whole = try gzip(hostileGoodLog(0..<200))
        let cutAt = whole.count / 2
        let file = try dir.write("cut.gz", Array(whole[..<cutAt]))
        let run = try HostileRun([file])
        let decoded = inflatedLengthBeforeCut(Array(whole[..<cutAt]))
        #expect(run.problems == [InputProblem(
            source: "\(file)@\(cutAt)",
            message: "truncated gzip stream: input ended inside a compressed member (\(decoded) bytes decoded)")])
        // Every request whose last line was decoded before the cut is there, in full.
        let completed = run.verdicts.filter { $0.cause == .ok }
        let completeLines = hostileGoodLog(0..<200).prefix(decoded).filter { $0 == 0x0A }.count
        #expect(completed.count == completeLines / 9)
        #expect(completed.count > 50)
        #expect(run.summary.readableInputs == 1)
    }

    @Test func truncatedGzipInsideTheSniffingWindowStillYieldsItsLines() throws {
        // The cut comes before 64 KiB of decoded text: the bytes read while sniffing the format must not be lost.
        let dir = try InputTestDirectory()
        let whole = try gzip(hostileGoodLog(0..<20))
        let file = try dir.write("small-cut.gz", Array(whole[..<(whole.count - 12)]))
        let run = try HostileRun([file])
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.message.hasPrefix("truncated gzip stream: input ended inside a compressed member (") == true)
        #expect(run.verdicts.filter { $0.cause == .ok }.count >= 19)
    }

    @Test func corruptSecondMemberKeepsTheFirstMember() throws {
        let dir = try InputTestDirectory()
        let first = try gzip(hostileGoodLog(0..<10))
        var second = try gzip(hostileGoodLog(10..<20))
        // The first deflate byte after the 10-byte gzip header: BFINAL=1, BTYPE=11 (reserved) — an invalid block.
        second[10] = 0x07
        let file = try dir.write("members.gz", first + second)
        let run = try HostileRun([file])
        #expect(run.problems == [InputProblem(
            source: "\(file)@\(first.count + 11)",
            message: "corrupt gzip data: invalid block type (\(hostileGoodLog(0..<10).count) bytes decoded)")])
        #expect(run.verdicts.filter { $0.cause == .ok }.count == 10)
    }

    @Test func emptyFileIsAProblemAndTheOtherFilesAreRead() throws {
        let dir = try InputTestDirectory()
        let empty = try dir.write("a-empty.log", [])
        let good = try dir.write("b-good.log", hostileGoodLog(0..<3))
        let run = try HostileRun([empty, good])
        #expect(run.problems == [InputProblem(source: empty, message: "empty input: no data")])
        #expect(run.verdicts.count == 3)
        #expect(run.summary.readableInputs == 1 && run.summary.unreadableInputs == 1)
    }

    @Test func binaryGarbageIsNotReadLineByLine() throws {
        let dir = try InputTestDirectory()
        var generator = GarbageBytes(state: 0x9E37_79B9_7F4A_7C15)
        let garbage = generator.next(5000)
        let file = try dir.write("garbage.bin", garbage)
        let nuls = garbage.filter { $0 == 0 }.count
        let run = try HostileRun([file])
        #expect(nuls > 0)
        #expect(run.problems == [InputProblem(
            source: file, message: "binary data, not a text log (\(nuls) NUL bytes in the first 5000 bytes); not read")])
        #expect(run.summary.totals.records == 0)
        #expect(run.summary.readableInputs == 0)
    }

    @Test func binaryWithoutNULBytesIsCaughtByItsControlBytesAndInvalidUTF8() throws {
        let dir = try InputTestDirectory()
        var generator = GarbageBytes(state: 42)
        let noise = generator.next(4000).map { $0 == 0 ? 1 : $0 }
        let file = try dir.write("noise.dat", noise)
        let run = try HostileRun([file])
        let message = try #require(run.problems.first?.message)
        #expect(message.hasPrefix("binary data, not a text log ("))
        #expect(message.hasSuffix(" in the first 4000 bytes); not read"))
        #expect(run.summary.totals.records == 0)
    }

    @Test func archivesAndUTF16AreNamedForWhatTheyAre() throws {
        let dir = try InputTestDirectory()
        var tar = [UInt8](repeating: 0, count: 1024)
        tar.replaceSubrange(0..<10, with: Array("000000.gz\0".utf8))
        tar.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
        let tarFile = try dir.write("export.tar", tar)
        let zip = try dir.write("export.zip", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 60))
        let utf16 = try dir.write("powershell.json", [0xFF, 0xFE] + Array("{\"events\":[]}".utf8).flatMap { [$0, 0] })
        let run = try HostileRun([tarFile, zip, utf16])
        #expect(run.problems == [
            InputProblem(source: tarFile, message: "a tar archive, not a log: extract it and give gatelog the files inside; not read"),
            InputProblem(source: zip, message: "a zip archive, not a log: extract it and give gatelog the files inside; not read"),
            InputProblem(source: utf16, message: "UTF-16 text (it starts with a UTF-16 byte-order mark); gatelog reads UTF-8: convert it first (e.g. iconv -f UTF-16 -t UTF-8); not read"),
        ])
    }

    @Test func invalidUTF8IsKeptAsReadReportedOnceAndRenderedWithReplacementCharacters() throws {
        let dir = try InputTestDirectory()
        let id = "515f1e99-39db-11e9-9e96-0000000000ff"
        var bytes = Array("2019-02-26T15:29:33.733Z (\(id)) Starting execution for request: \(id)\n".utf8)
        let firstBad = bytes.count + "2019-02-26T15:29:33.734Z (\(id)) Method request body before transformations: {\"name\":\"caf".utf8.count
        bytes += Array("2019-02-26T15:29:33.734Z (\(id)) Method request body before transformations: {\"name\":\"caf".utf8)
        bytes += [0xE9]   // Latin-1 é
        bytes += Array("\",\"b\":\"".utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
        bytes += Array("2019-02-26T15:29:33.774Z (\(id)) Method completed with status: 200\n".utf8)
        let file = try dir.write("latin1.log", bytes)
        let run = try HostileRun([file])
        #expect(run.problems == [InputProblem(
            source: file,
            message: "invalid UTF-8 at byte \(firstBad) of the decoded text (3 invalid sequences in all); kept as read, shown with U+FFFD replacement characters")])
        // Lossless: the request's bytes are the bytes of the file.
        let lifecycle = try #require(run.lifecycles.first)
        #expect(lifecycle.arena.contains(0xE9) && lifecycle.arena.contains(0xFF))
        // Shown with U+FFFD, and JSON output stays valid UTF-8.
        let trace = TraceRenderer.lines(of: lifecycle, files: FileTable(), redact: true)
        #expect(trace.contains { $0.text.contains("caf\u{FFFD}\",\"b\":\"\u{FFFD}\u{FFFD}\"") })
        let json = TraceRenderer.json(lifecycle: lifecycle, lines: trace, verdict: try #require(run.verdicts.first)).serialized()
        #expect(String(validating: Array(json.utf8), as: UTF8.self) != nil)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func utf8CensusFollowsSequencesAcrossChunks() {
        var census = UTF8Census()
        let text = Array("ok é € 𝄞 ".utf8)
        for byte in text { [byte].withUnsafeBytes { census.feed($0) } }   // one byte at a time
        census.finish()
        #expect(census.invalidSequences == 0)
        var bad = UTF8Census()
        let bytes: [UInt8] = [0x41, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xE2, 0x82]  // overlong, surrogate, > U+10FFFF, cut
        bytes.withUnsafeBytes { bad.feed($0) }
        bad.finish()
        #expect(bad.firstInvalidOffset == 1)
        #expect(bad.invalidSequences == 2 + 3 + 4 + 1)
    }

    @Test func aLineOfTensOfMegabytesIsCutCountedAndTheRequestStillDiagnosed() throws {
        let dir = try InputTestDirectory()
        let id = "515f1e99-39db-11e9-9e96-00000000abcd"
        let prefix = "2019-02-26T15:29:33.734Z (\(id)) Method request body before transformations: "
        var bytes = Array("2019-02-26T15:29:33.733Z (\(id)) Starting execution for request: \(id)\n".utf8)
        bytes += Array(prefix.utf8) + [UInt8](repeating: 0x61, count: 30 << 20) + [0x0A]
        bytes += Array("2019-02-26T15:29:33.774Z (\(id)) Method completed with status: 200\n".utf8)
        let file = try dir.write("huge-line.log", bytes)
        let run = try HostileRun([file])
        let lineLength = prefix.utf8.count + (30 << 20)
        #expect(run.problems == [InputProblem(source: "\(file):2", message: "line of \(lineLength) bytes cut to its first 1048576 bytes")])
        #expect(run.verdicts.map(\.cause) == [.ok])
        // What is kept of the line is the cap, not the line.
        #expect(try #require(run.lifecycles.first).arena.count < 1_200_000)
    }

    @Test func jsonOfTheWrongShapeIsNamed() throws {
        let dir = try InputTestDirectory()
        let eventsNotArray = try dir.write("a.json", Array(#"{"events": 5, "nextForwardToken": "f/1"}"#.utf8) + [0x0A])
        let numbers = try dir.write("b.json", Array("[1, 2, 3]\n".utf8))
        let config = try dir.write("c.json", Array(#"{"restApiId": "k7x2mq9zt1", "stageName": "prod", "tracingEnabled": false}"#.utf8) + [0x0A])
        let queryResults = try dir.write("d.json", Array(#"{"results":[[{"field":"@message","value":"x"}]],"status":"Complete"}"#.utf8))
        let page = #"{"events":[{"timestamp":1551194973732,"message":"(515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9"}]}"#
        let noEvents = try dir.write("e.json", Array((page + #"{"nextToken":"x","searchedLogStreams":[]}"#).utf8))
        let run = try HostileRun([eventsNotArray, numbers, config, queryResults, noEvents])
        let expected = "; expected `aws logs filter-log-events`/`get-log-events`/`get-query-results` output, a subscription-filter payload, a Logs Insights JSON download or JSON access-log lines; not read"
        #expect(run.problems == [
            InputProblem(source: "\(eventsNotArray):1", message: "\"events\" at byte 11 is not an array of log events; skipped"),
            InputProblem(source: numbers, message: "JSON, but not a log format gatelog reads (an array of numbers)" + expected),
            InputProblem(source: config, message: "JSON, but not a log format gatelog reads (an object with keys \"restApiId\", \"stageName\", \"tracingEnabled\")" + expected),
            // get-query-results output is read; its one row is no API Gateway line.
            InputProblem(source: queryResults, message: "no API Gateway log records recognized (1 log events, none of them API Gateway execution or access log lines)"),
            InputProblem(source: "\(noEvents):1", message: "JSON object at byte \(page.utf8.count) is neither a log event nor a get-log-events/filter-log-events page (no \"events\" array); skipped"),
        ])
        // The good event beside the bad object is still read (and the query-results row).
        #expect(run.summary.totals.records == 2)
    }

    @Test func unreadableInputsAreProblemsAndReadingGoesOn() throws {
        let dir = try InputTestDirectory()
        let good = try dir.write("good.log", hostileGoodLog(0..<2))
        let gone = try dir.write("gone.log", hostileGoodLog(2..<4))
        try dir.makeFolder("folder")
        // Enumerated, then removed before it is opened.
        let scanner = LogScanner()
        let files = FileTable()
        var verdicts = 0
        let grouper = RequestGrouper(files: files) { _ in verdicts += 1 }
        let listed = InputEnumerator.enumerate([gone, good]).files
        try FileManager.default.removeItem(atPath: gone)
        // A folder handed to the opener as if it were a file (EISDIR on read).
        let folder = InputFile(path: dir.path + "/folder")
        var read: [Bool] = []
        for file in listed + [folder] { read.append(try scanner.read(file, into: grouper)) }
        try grouper.finishAll()
        #expect(read == [false, true, false])
        #expect(grouper.problems == [
            InputProblem(source: gone, message: "cannot open: No such file or directory"),
            InputProblem(source: dir.path + "/folder@0", message: "read failed: Is a directory"),
        ])
        #expect(verdicts == 2)
    }

    @Test func symbolicLinkLoopsAndEmptyFoldersAreProblems() throws {
        let dir = try InputTestDirectory()
        try dir.write("logs/a/000000", hostileGoodLog(0..<1))
        try dir.symlink("logs/a/again", to: "..")
        try dir.makeFolder("nothing-here")
        let run = try HostileRun([dir.path + "/logs", dir.path + "/nothing-here", dir.path + "/missing"])
        #expect(run.problems == [
            InputProblem(source: dir.path + "/logs/a/again", message: "symbolic link loop: leads back to \(dir.path)/logs, not followed"),
            InputProblem(source: dir.path + "/nothing-here", message: "folder holds no files to read (hidden files are left out)"),
            InputProblem(source: dir.path + "/missing", message: "cannot read: No such file or directory"),
        ])
        #expect(run.verdicts.count == 1)
    }

    @Test func gzipBombOfZerosIsRecognisedWithoutInflatingIt() throws {
        let dir = try InputTestDirectory()
        // 1 GiB of zeros in about 1 MB: sixteen gzip members of 64 MiB each (one stream to a reader). Only the first
        // 64 KiB are ever inflated.
        let bomb = try gzipBomb(of: 0, mebibytes: 1024)
        #expect(bomb.count < 2 << 20)
        let file = try dir.write("bomb.gz", bomb)
        let run = try HostileRun([file])
        #expect(run.problems == [InputProblem(source: file, message: "binary data, not a text log (65536 NUL bytes in the first 65536 bytes); not read")])
        #expect(run.summary.totals.bytes < Int64(bomb.count))
    }

    @Test func gzipBombOfTextIsStreamedWithBoundedMemory() throws {
        let dir = try InputTestDirectory()
        // 256 MiB of one endless line: streamed, cut at the line cap, counted.
        let bomb = try gzipBomb(of: 0x41, mebibytes: 256)
        let file = try dir.write("textbomb.gz", bomb)
        let run = try HostileRun([file])
        #expect(run.problems == [
            InputProblem(source: "\(file):1", message: "line of 268435456 bytes cut to its first 1048576 bytes"),
            InputProblem(source: file, message: "no API Gateway log records recognized (unknown text format)"),
        ])
        #expect(run.summary.totals.orphanLines == 1)
    }

    @Test func problemsPerFileAreCapped() throws {
        let dir = try InputTestDirectory()
        // A filter-log-events page of 5,000 events without a message: one problem each, only the first 100 kept.
        let events = (0..<5000).map { "{\"timestamp\":\(1551194973732 + $0),\"logStreamName\":\"s\"}" }.joined(separator: ",")
        let file = try dir.write("events.json", Array("{\"events\":[\(events)]}".utf8))
        let run = try HostileRun([file])
        #expect(run.problems.count == 101)
        #expect(run.problems.first == InputProblem(source: "\(file):1", message: "log event without a \"message\" string"))
        #expect(run.problems.last == InputProblem(source: file, message: "4900 more problems in this input not listed (the first 100 are)"))
    }

    @Test func aMultiLineRecordIsCappedLikeALine() throws {
        // One message followed by 600,000 continuation lines (a pasted body that never ends): 58 MB in one record.
        let dir = try InputTestDirectory()
        let id = "515f1e99-39db-11e9-9e96-01e5c04505b9"
        let head = "2019-02-26T15:29:33.734Z (\(id)) Method request body before transformations: {"
        let field = "    \"field\": \"" + String(repeating: "v", count: 80) + "\","
        let body = String(repeating: field + "\n", count: 600_000)
        let file = try dir.write("endless-body.log", Array((head + "\n" + body + "}\n").utf8))
        let run = try HostileRun([file])
        // The record is the message after the timestamp, then "\n" + each continuation line while it fits in 1 MiB.
        let message = head.utf8.count - "2019-02-26T15:29:33.734Z ".utf8.count
        var kept = message
        while (1 << 20) - kept > field.utf8.count { kept += 1 + field.utf8.count }
        let total = message + 600_000 * (1 + field.utf8.count) + 2
        #expect(run.problems == [InputProblem(
            source: "\(file):1", message: "multi-line record of \(total) bytes cut to its first \(kept) bytes")])
        #expect(run.summary.totals.continuationLines == 600_001)
        #expect(try #require(run.lifecycles.first).arena.count < 1 << 20)
    }

    @Test func oneRequestIdRepeatedWithoutEndIsCapped() throws {
        let dir = try InputTestDirectory()
        let id = "515f1e99-39db-11e9-9e96-01e5c04505b9"
        var lines = (0..<10_500).map { _ in "2019-02-26T15:29:33.734Z (\(id)) Method request query string: {}" }
        lines.append("2019-02-26T15:29:33.774Z (\(id)) Method completed with status: 200")
        let file = try dir.write("same-id.log", Array(lines.joined(separator: "\n").utf8))
        let run = try HostileRun([file])
        #expect(run.problems == [InputProblem(
            source: "\(file):10001",
            message: "request \(id) has more than 10000 lines or 16 MiB of text; its further lines are counted but not kept")])
        let lifecycle = try #require(run.lifecycles.first)
        #expect(lifecycle.lines.count == 10_001)   // the verdict line past the limit is still kept
        #expect(run.verdicts.map(\.cause) == [.ok])
        #expect(run.summary.totals.recognizedLines == 10_501)
    }

    @Test func jsonOfALongTextWithManyEscapesIsLinear() {
        // Used to copy the whole output for every escaped character: quadratic, minutes for a few MB.
        let text = String(repeating: "a\"b\n", count: 500_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = JSONValue.string(text).serialized() }
        #expect(elapsed < .seconds(5))
        #expect(JSONValue.string("a\"b\nc\u{1B}").serialized() == #""a\"b\nc\u001b""#)
    }

    @Test func insightsCSVWithAnUnbalancedQuoteKeepsTheRowsBeforeIt() throws {
        let dir = try InputTestDirectory()
        let id = "44de1039-d905-4b33-8590-5ad8dec9617e"
        let log = "123456789012:API-Gateway-Execution-Logs_r4n8wd2ps6/dev"
        var csv = "@timestamp,@message,@logStream,@log\n"
        csv += "2026-11-20 12:21:30.118,(\(id)) Extended Request Id: bzKMxCGciTiypkZ=,bc1af203a2eb9534c0ed6c81cc6ecd25,\(log)\n"
        csv += "2026-11-20 12:21:30.121,(\(id)) Method completed with status: 429,bc1af203a2eb9534c0ed6c81cc6ecd25,\(log)\n"
        // A row cut inside its quoted message, followed by 20 MB that never close it: one problem, memory bounded.
        csv += "2026-11-20 12:21:31.000,\"(\(id)) Endpoint response body before transformations: {\n"
        csv += String(repeating: String(repeating: "x", count: 99) + "\n", count: 200_000)
        let file = try dir.write("insights.csv", Array(csv.utf8))
        let run = try HostileRun([file])
        #expect(run.problems == [InputProblem(
            source: "\(file):4",
            message: "unbalanced double quote: the quoted field opened in this row runs to the end of the input; row dropped")])
        #expect(run.summary.totals.records == 2)
        #expect(run.verdicts.map(\.status) == [429])
    }
}
