import Foundation
import Testing
@testable import GateLogKit

/// Every line a reader delivers, with its number and dropped bytes, plus the error that ended the loop.
private struct Lines: Equatable {
    var lines: [[UInt8]] = []
    var numbers: [Int] = []
    var dropped: [Int] = []
    var error: String?
}

private func collect<Source: ByteSource>(_ reader: inout LineReader<Source>) -> Lines {
    var out = Lines()
    do {
        try reader.forEachLine { line, number, dropped in
            out.lines.append(Array(line))
            out.numbers.append(number)
            out.dropped.append(dropped)
        }
    } catch {
        out.error = "\(error)"
    }
    return out
}

/// Lines read in place from a read-ahead worker's chunks (`DecodedSource.lendChunk`) must be exactly those read by
/// copying: lines and CRLF endings split across chunks, lines longer than the cut, a last line without a newline.
@Suite struct InputLentChunkTests {
    private func sample() -> [UInt8] {
        var bytes: [UInt8] = []
        let lines = exportLines(120, first: 42)
        for (i, line) in lines.enumerated() {
            bytes += Array(line.utf8)
            if i % 7 == 3 { bytes += Array(String(repeating: "x", count: 300 + i * 13).utf8) }
            bytes += i % 5 == 0 ? [0x0D, 0x0A] : [0x0A]
            if i % 11 == 0 { bytes += [0x0A, 0x0D, 0x0A] }
        }
        bytes += Array("2019-02-26T15:29:33.734Z (c0ffee00-0000-4000-8000-000000000001) last line without newline\r".utf8)
        return bytes
    }

    @Test func lentChunksGiveTheSameLinesAsCopies() throws {
        let folder = try InputTestDirectory()
        let bytes = sample()
        let plain = try folder.write("plain.log", bytes)
        let zipped = try folder.write("zipped.gz", try gzip(bytes))
        for path in [plain, zipped] {
            let file = InputFile(path: path, displayName: path, size: nil)
            for maxLineLength in [64, 1000, 1 << 20] {
                for peek in [0, 333, 4096] {
                    var sequential = try InputOpener.open(file)
                    let head = try PrefixedSource.peek(&sequential, count: peek)
                    var copying = LineReader(source: PrefixedSource(prefix: head, upstream: sequential), bufferSize: 512,
                                             maxLineLength: maxLineLength)
                    let expected = collect(&copying)
                    #expect(expected.lines.count > 120)
                    #expect(expected.dropped.contains { $0 > 0 } == (maxLineLength < 1 << 20))
                    for chunkSize in [3, 97, 4096] {
                        let pool = ReadAheadPool(files: [file], workers: 1, chunkSize: chunkSize, chunks: 4)
                        defer { pool.shutdown() }
                        let stream = pool.stream(0)
                        #expect(stream.waitOpened() == nil)
                        var upstream = DecodedSource(prefetched: stream, displayName: path)
                        let prefix = try PrefixedSource.peek(&upstream, count: peek)
                        upstream.pushBack(prefix, error: nil)
                        var lending = LineReader(source: upstream, bufferSize: 512, maxLineLength: maxLineLength)
                        let got = collect(&lending)
                        #expect(got == expected, "chunk \(chunkSize), peek \(peek), cut \(maxLineLength), \(path)")
                        #expect(lending.bytesConsumed == copying.bytesConsumed)
                        #expect(upstream.utf8.invalidSequences == 0)
                        stream.skipRest()
                    }
                }
            }
        }
    }
}
