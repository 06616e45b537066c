import Foundation
import Testing
@testable import GateLogKit

/// What reading one input gave: its bytes, the error that ended it, and the counts kept about it.
private struct ReadOutcome: Equatable {
    var bytes: [UInt8] = []
    var error: String?
    var invalidUTF8 = 0
    var firstInvalidUTF8: Int64?
    var rawBytes: Int64 = 0
}

/// Reads `source` in steps of `step` bytes (at most `limit` bytes when given).
private func drain(_ source: DecodedSource, step: Int, limit: Int? = nil) -> ReadOutcome {
    var outcome = ReadOutcome()
    var buffer = [UInt8](repeating: 0, count: step)
    do {
        while outcome.bytes.count < (limit ?? Int.max) {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            outcome.bytes += buffer[..<n]
        }
    } catch {
        outcome.error = "\(error)"
    }
    outcome.invalidUTF8 = source.utf8.invalidSequences
    outcome.firstInvalidUTF8 = source.utf8.firstInvalidOffset
    return outcome
}

/// A folder of inputs of every kind a read-ahead worker meets: gzip (one and several members, nested), plain text,
/// empty, cut short, corrupt, invalid UTF-8, plus a file that disappears before it is read.
private func mixedInputs(in folder: InputTestDirectory) throws -> [String] {
    var paths: [String] = []
    for i in 0..<12 {
        let lines = exportLines(200 + 150 * i, first: i * 10_000)
        let bytes = text(lines)
        switch i % 4 {
        case 0: paths.append(try folder.write("s3/\(i)/000000.gz", try gzip(bytes)))
        case 1:
            let half = bytes.count / 2
            paths.append(try folder.write("s3/\(i)/000000.gz", try gzip(Array(bytes[..<half])) + gzip(Array(bytes[half...]))))
        case 2: paths.append(try folder.write("s3/\(i)/000000.log", bytes))
        default: paths.append(try folder.write("s3/\(i)/000000.gz", try gzip(try gzip(bytes))))
        }
    }
    let whole = try gzip(text(exportLines(3000, first: 500_000)))
    paths.append(try folder.write("cut.gz", Array(whole[..<(whole.count * 2 / 3)])))
    var corrupt = whole
    for k in (corrupt.count / 2)..<(corrupt.count / 2 + 64) { corrupt[k] ^= 0x5A }
    paths.append(try folder.write("corrupt.gz", corrupt))
    paths.append(try folder.write("empty.log", []))
    paths.append(try folder.write("trailing.gz", whole + Array("not gzip at all".utf8)))
    var latin1 = text(exportLines(40, first: 700_000))
    latin1[300] = 0xE9
    latin1[latin1.count - 2] = 0xC3
    paths.append(try folder.write("latin1.gz", try gzip(latin1)))
    paths.append(folder.path + "/missing.log")
    return paths
}

@Suite struct InputReadAheadTests {
    @Test func readAheadGivesExactlyTheSequentialBytesErrorsAndCounts() throws {
        let folder = try InputTestDirectory()
        let paths = try mixedInputs(in: folder)
        let files = paths.map { InputFile(path: $0, displayName: $0, size: nil) }
        let expected: [ReadOutcome] = files.map { file in
            guard let source = try? InputOpener.open(file) else { return ReadOutcome(error: "cannot open") }
            var outcome = drain(source, step: 7000)
            outcome.rawBytes = source.bytesRead
            return outcome
        }
        #expect(expected.contains { $0.error?.contains("truncated gzip stream") == true })
        #expect(expected.contains { $0.error?.contains("corrupt gzip data") == true })
        #expect(expected.contains { $0.error?.contains("trailing data after gzip member") == true })
        #expect(expected.contains { $0.invalidUTF8 == 2 })
        // Tiny chunks and a small pool: files ahead park chunks while the head file must still get its own.
        for (workers, chunkSize, chunks) in [(1, 4096, 4), (2, 4096, 5), (3, 1 << 14, 12), (8, 1 << 20, 12)] {
            let pool = ReadAheadPool(files: files, workers: workers, chunkSize: chunkSize, chunks: chunks)
            defer { pool.shutdown() }
            for (index, file) in files.enumerated() {
                let stream = pool.stream(index)
                if stream.waitOpened() != nil {
                    #expect(expected[index].error == "cannot open")
                    continue
                }
                let source = DecodedSource(prefetched: stream, displayName: file.displayName)
                var outcome = drain(source, step: 5000)
                stream.skipRest()
                outcome.rawBytes = stream.rawBytes
                #expect(outcome == expected[index], "file \(index) with \(workers) workers, \(chunkSize)-byte chunks")
            }
        }
    }

    @Test func aReaderThatStopsEarlyCountsOnlyWhatItRead() throws {
        let folder = try InputTestDirectory()
        var bytes = text(exportLines(2000))
        bytes[100] = 0xFF
        bytes[bytes.count - 100] = 0xFF
        let files = [try folder.write("a.gz", try gzip(bytes)), try folder.write("b.gz", try gzip(bytes))]
            .map { InputFile(path: $0, displayName: $0, size: nil) }
        let pool = ReadAheadPool(files: files, workers: 2, chunkSize: 8192, chunks: 6)
        defer { pool.shutdown() }
        let first = pool.stream(0)
        #expect(first.waitOpened() == nil)
        let partial = drain(DecodedSource(prefetched: first, displayName: "a.gz"), step: 3000, limit: 12_000)
        #expect(partial.bytes.count >= 12_000 && partial.bytes.count < 20_000)
        #expect(partial.bytes[...] == bytes[..<partial.bytes.count])
        // Only the first bad byte was handed over; the worker had counted further ahead.
        #expect(partial.invalidUTF8 == 1)
        #expect(partial.firstInvalidUTF8 == 100)
        first.skipRest()
        let second = pool.stream(1)
        #expect(second.waitOpened() == nil)
        let whole = drain(DecodedSource(prefetched: second, displayName: "b.gz"), step: 1 << 16)
        #expect(whole.bytes.count == bytes.count && whole.bytes == bytes)
        #expect(whole.invalidUTF8 == 2)
    }

    @Test func analysisGivesTheSameRequestsAndProblemsWhateverTheJobs() throws {
        let folder = try InputTestDirectory()
        _ = try mixedInputs(in: folder)
        func run(jobs: Int) throws -> (verdicts: [Verdict], problems: [InputProblem], totals: InputTotals, readable: Int, unreadable: Int) {
            var options = AnalysisOptions()
            options.scan.jobs = jobs
            let analysis = Analysis(options: options)
            var verdicts: [Verdict] = []
            let summary = try analysis.run([folder.path, folder.path + "/missing.log"]) { _, verdict in verdicts.append(verdict) }
            return (verdicts, summary.problems, summary.totals, summary.readableInputs, summary.unreadableInputs)
        }
        let sequential = try run(jobs: 1)
        #expect(sequential.verdicts.count > 5000)
        #expect(sequential.problems.contains { $0.message.hasPrefix("truncated gzip stream: input ended inside a compressed member (") })
        #expect(sequential.problems.contains { $0.message.contains("invalid UTF-8") })
        for jobs in [2, 3, 8] {
            let parallel = try run(jobs: jobs)
            #expect(parallel.verdicts == sequential.verdicts, "--jobs \(jobs)")
            #expect(parallel.problems == sequential.problems, "--jobs \(jobs)")
            #expect(parallel.totals == sequential.totals, "--jobs \(jobs)")
            #expect(parallel.readable == sequential.readable && parallel.unreadable == sequential.unreadable)
        }
    }
}

@Suite struct AccessLogPeekTests {
    static let clf = #"198.51.100.40 - - [20/Nov/2026:12:10:05 +0000] "GET /widgets HTTP/1.1" 200 318 f2f1b303-d017-452a-8059-456398906f3f"#

    @Test func theFirstLineWithTextDecidesAfterAByteOrderMarkAndBlankLines() {
        let prefix = Array("\u{FEFF}\n  \t\n\n\(Self.clf)\nsecond line\n".utf8)
        #expect(ContainerSniffer.firstNonBlankLine(prefix) == Substring(Self.clf))
        #expect(ContainerSniffer.holdsAccessLog(prefix))
        #expect(ContainerSniffer.firstNonBlankLine(Array(" \n\t\n".utf8)) == nil)
    }

    @Test func aCRLFPairDoesNotEndALineAsOneCharacterNeverSplitsThere() {
        let prefix = Array("\r\n\(Self.clf)\r\nnext\n".utf8)
        // The decoded text split on "\n" saw "\r\n" as one Character: the first piece runs to the bare newline.
        #expect(ContainerSniffer.firstNonBlankLine(prefix) == Substring("\r\n\(Self.clf)\r\nnext"))
    }
}
