import CZlib
import Foundation
import Testing
@testable import GateLogKit

/// A fresh temporary folder per test, removed when the value goes away.
final class InputTestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "gatelog-input-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
    }
}

/// Compresses with zlib into one gzip member, feeding it chunk by chunk from `next` (nil ends the data).
func gzipMember(level: Int32 = 6, _ next: () -> [UInt8]?, emit: ([UInt8]) throws -> Void) throws {
    var stream = z_stream()
    let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: 1 << 16)
    var finished = false
    while !finished {
        var chunk = next() ?? []
        let flush = chunk.isEmpty ? Z_FINISH : Z_NO_FLUSH
        if chunk.isEmpty { finished = true }
        try chunk.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = UInt32(input.count)
            repeat {
                let produced: Int = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let rc = deflate(&stream, flush)
                    precondition(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR)
                    return out.count - Int(stream.avail_out)
                }
                if produced > 0 { try emit(Array(output[..<produced])) }
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
        }
    }
}

/// One gzip member holding `bytes`.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    var out: [UInt8] = []
    var pending: [UInt8]? = bytes
    try gzipMember({ defer { pending = nil }; return pending }, emit: { out += $0 })
    return out
}

/// Execution-log lines as CloudWatch Logs writes them to S3 (log-formats.md §7.1), `count` of them, numbered from `first`.
func exportLines(_ count: Int, first: Int = 0) -> [String] {
    (first..<(first + count)).map { i in
        let id = String(format: "515f1e99-39db-11e9-9e96-%012x", i)
        switch i % 3 {
        case 0: return "2019-02-26T15:29:33.734Z (\(id)) Starting execution for request: \(id)"
        case 1: return "2019-02-26T15:29:33.734Z (\(id)) HTTP Method: POST, Resource Path: /verifyReceipt"
        default: return "2019-02-26T15:29:33.762Z (\(id)) Method completed with status: 200"
        }
    }
}

func text(_ lines: [String]) -> [UInt8] {
    Array((lines.joined(separator: "\n") + "\n").utf8)
}

/// Reads every line of `source` through `LineReader`; returns the lines and the error that ended reading, if any.
func readLines<S: ByteSource>(_ source: S, bufferSize: Int = 1 << 16) -> (lines: [String], error: (any Error)?) {
    var reader = LineReader(source: source, bufferSize: bufferSize, maxLineLength: 1 << 12)
    var lines: [String] = []
    do {
        try reader.forEachLine { line, _, _ in lines.append(String(decoding: line, as: UTF8.self)) }
        return (lines, nil)
    } catch {
        return (lines, error)
    }
}

/// Hands out at most `step` bytes per read, like a pipe that delivers data in dribs and drabs.
struct TrickleSource: ByteSource {
    var base: MemorySource
    let step: Int

    init(_ bytes: [UInt8], step: Int) {
        base = MemorySource(bytes)
        self.step = step
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(step, buffer.count)]))
    }
}

@Suite struct InputGzipTests {
    private func openFile(_ path: String) throws -> DecodedSource {
        let enumeration = InputEnumerator.enumerate([path])
        #expect(enumeration.problems.isEmpty)
        let file = try #require(enumeration.files.first)
        return try InputOpener.open(file)
    }

    @Test func plainFilePassesThroughUnchanged() throws {
        let dir = try InputTestDirectory()
        let lines = exportLines(500)
        let path = try dir.write("export.gz", text(lines))   // the name says gzip, the bytes do not: bytes win
        let source = try openFile(path)
        let result = readLines(source)
        #expect(result.error == nil)
        #expect(result.lines == lines)
        #expect(source.gzipLayers == 0)
        #expect(source.bytesRead == Int64(text(lines).count))
    }

    @Test func singleMemberGzipIsInflated() throws {
        let dir = try InputTestDirectory()
        let lines = exportLines(3000)
        let compressed = try gzip(text(lines))
        let path = try dir.write("000000", compressed)   // no extension: detected by magic bytes
        let source = try openFile(path)
        let result = readLines(source)
        #expect(result.error == nil)
        #expect(result.lines == lines)
        #expect(source.gzipLayers == 1)
        #expect(source.bytesRead == Int64(compressed.count))
        #expect(source.bytesDecoded == Int64(text(lines).count))
    }

    @Test func concatenatedMembersDecodeAsOneStreamInOrder() throws {
        let dir = try InputTestDirectory()
        let first = exportLines(1000)
        let second = exportLines(1000, first: 1000)
        // Trailing zero padding after the last member is tolerated.
        let bytes = try gzip(text(first)) + gzip(text(second)) + [UInt8](repeating: 0, count: 512)
        let source = try openFile(try dir.write("firehose-object", bytes))
        let result = readLines(source)
        #expect(result.error == nil)
        #expect(result.lines == first + second)
        #expect(source.gzipLayers == 1)
    }

    @Test func nestedGzipIsInflatedTwice() throws {
        let dir = try InputTestDirectory()
        let first = exportLines(700)
        let second = exportLines(700, first: 700)
        let inner = try gzip(text(first)) + gzip(text(second))
        let source = try openFile(try dir.write("nested.gz", try gzip(inner)))
        let result = readLines(source)
        #expect(result.error == nil)
        #expect(result.lines == first + second)
        #expect(source.gzipLayers == 2)
    }

    @Test func truncatedGzipDeliversEarlierLinesThenNamesTheFile() throws {
        let dir = try InputTestDirectory()
        let lines = exportLines(5000)
        let compressed = try gzip(text(lines))
        let path = try dir.write("API-Gateway-Execution-Logs_a1b2c3d4e5/prod/000000.gz", Array(compressed.dropLast(20)))
        let result = readLines(try openFile(path))
        let error = try #require(result.error as? InputError)
        #expect(error.problem.source == "\(path)@\(compressed.count - 20)")
        #expect(error.problem.message.hasPrefix("truncated gzip stream: input ended inside a compressed member ("))
        #expect(result.lines.count > 4900)
        let isPrefix = Array(lines.prefix(result.lines.count)) == result.lines
        #expect(isPrefix)
    }

    @Test func corruptMemberReportsZlibReason() throws {
        let dir = try InputTestDirectory()
        let lines = exportLines(5000)
        var compressed = try gzip(text(lines))
        let middle = compressed.count / 2
        for i in middle..<(middle + 16) { compressed[i] ^= 0x55 }
        let path = try dir.write("corrupt.gz", compressed)
        let result = readLines(try openFile(path))
        let error = try #require(result.error as? InputError)
        #expect(error.problem.source.hasPrefix(path + "@"))
        #expect(error.problem.message.hasPrefix("corrupt gzip data: "))
        #expect(error.problem.message.count > "corrupt gzip data: ".count + 5)
        // Lines decoded before the damaged spot arrive intact; deflate can emit garbage between the damage and the
        // point where zlib notices it (at worst the CRC check), so only the undamaged start is compared.
        #expect(result.lines.count > 1000)
        let intactStart = Array(result.lines.prefix(1000)) == Array(lines.prefix(1000))
        #expect(intactStart)
    }

    @Test func garbageAfterMemberIsReportedWithItsOffset() throws {
        let dir = try InputTestDirectory()
        let lines = exportLines(200)
        let member = try gzip(text(lines))
        let path = try dir.write("trailing.gz", member + Array("Permission Check Successful".utf8))
        let result = readLines(try openFile(path))
        #expect(result.lines == lines)
        let error = try #require(result.error as? InputError)
        #expect(error.problem.source == "\(path)@\(member.count)")
        #expect(error.problem.message.hasPrefix("trailing data after gzip member at byte \(member.count)"))
    }

    @Test func emptyAndTinyFilesDecodeWithoutGzip() throws {
        let dir = try InputTestDirectory()
        let empty = readLines(try openFile(try dir.write("empty.gz", [])))
        #expect(empty.error == nil)
        #expect(empty.lines.isEmpty)
        // A lone 1F byte is not the gzip signature: passed through as text.
        let lone = readLines(try openFile(try dir.write("lone", [0x1F])))
        #expect(lone.error == nil)
        #expect(lone.lines == ["\u{1F}"])
        let emptyMember = readLines(try openFile(try dir.write("empty-member.gz", try gzip([]))))
        #expect(emptyMember.error == nil)
        #expect(emptyMember.lines.isEmpty)
    }

    @Test func byteByByteUpstreamStillSniffsAndInflates() throws {
        // A pipe may deliver one byte at a time: sniffing, member boundaries and padding must not depend on chunking.
        let first = exportLines(50)
        let second = exportLines(50, first: 50)
        let bytes = try gzip(try gzip(text(first)) + [0, 0] + gzip(text(second)))
        for step in [1, 2, 3, 7] {
            let source = try DecodedSource(upstream: TrickleSource(bytes, step: step), displayName: "<stdin>")
            let result = readLines(source, bufferSize: 4096 + step)
            #expect(result.error == nil)
            #expect(result.lines == first + second)
            #expect(source.gzipLayers == 2)
            #expect(source.bytesRead == Int64(bytes.count))
        }
    }

    @Test func pipeLikeStandardInputIsSniffedWithoutSeeking() throws {
        // Standard input is usually a pipe: it cannot seek, so the sniffed bytes must be pushed back, not re-read.
        let lines = exportLines(20_000)
        let bytes = try gzip(try gzip(text(lines)))
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let writer = Thread {
            bytes.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let n = write(writeEnd, all.baseAddress! + offset, min(4093, all.count - offset))
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(readEnd) }
        let source = try DecodedSource(upstream: FileDescriptorSource(descriptor: readEnd, displayName: "<stdin>"),
                                       displayName: "<stdin>")
        let result = readLines(source)
        #expect(result.error == nil)
        #expect(result.lines.count == lines.count)
        #expect(result.lines == lines)
        #expect(source.gzipLayers == 2)
        #expect(source.bytesRead == Int64(bytes.count))
    }

    @Test func gzipSourceRejectsDataThatIsNotGzip() throws {
        let source = try GzipSource(upstream: MemorySource(Array("{\"messageType\":\"DATA_MESSAGE\"}".utf8)),
                                    displayName: "payload")
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(throws: InputError.self) {
            _ = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        }
    }

    @Test func hugeCompressibleStreamDecodesWithBoundedMemory() throws {
        let dir = try InputTestDirectory()
        let path = dir.path + "/bomb.gz"
        let lineText = "2019-02-26T15:29:33.762Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200\n"
        let chunk = Array(String(repeating: lineText, count: (1 << 20) / lineText.utf8.count).utf8)
        let chunks = 200
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var produced = 0
        try gzipMember(level: 1, {
            guard produced < chunks else { return nil }
            produced += 1
            return chunk
        }, emit: { handle.write(Data($0)) })
        try handle.close()

        let before = peakResidentBytes()
        let source = try openFile(path)
        var reader = LineReader(source: source)
        var lineCount = 0
        var byteCount = 0
        var droppedCount = 0
        try reader.forEachLine { line, _, dropped in
            lineCount += 1
            byteCount += line.count + 1
            droppedCount += dropped
        }
        #expect(droppedCount == 0)
        let growth = peakResidentBytes() - before
        #expect(lineCount == chunks * (chunk.count / lineText.utf8.count))
        #expect(byteCount == chunks * chunk.count)
        #expect(source.bytesDecoded == Int64(chunks * chunk.count))
        #expect(growth < 64 << 20, "peak memory grew by \(growth >> 20) MiB")
    }

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
