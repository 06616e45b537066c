#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source that can hand out its next bytes where they already lie (no copy into the reader's buffer).
public protocol ChunkLendingSource: AnyObject, ByteSource {
    /// The next bytes, lent: valid until the next call of `lendChunk` or `read`. Empty at the end of the source; nil
    /// when the bytes cannot be lent now (the caller reads them instead).
    func lendChunk() throws -> UnsafeRawBufferPointer?
}

/// Splits a `ByteSource` into lines on `\n` (a trailing `\r` is removed), reading in large chunks and handing each line
/// to the caller as borrowed bytes: no allocation per line.
///
/// A line longer than `maxLineLength` is cut: the caller gets its first `maxLineLength` bytes and the number of bytes
/// that were dropped, so nothing is lost silently and memory stays bounded whatever the input holds.
public struct LineReader<Source: ByteSource> {
    public private(set) var source: Source
    public let maxLineLength: Int
    private let bufferSize: Int
    /// Bytes consumed from the source so far (decompressed bytes when the source decodes).
    public private(set) var bytesConsumed: Int64 = 0

    public init(source: Source, bufferSize: Int = 1 << 20, maxLineLength: Int = 1 << 20) {
        precondition(maxLineLength > 0 && bufferSize > 0)
        self.source = source
        self.maxLineLength = maxLineLength
        self.bufferSize = max(bufferSize, maxLineLength + 1)
    }

    /// Calls `body` once per line, in order. `lineNumber` is 1-based; `droppedBytes` is non-zero only for a cut line.
    /// A final line without a newline is delivered too. Errors from the source or from `body` end the loop.
    public mutating func forEachLine(
        _ body: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ droppedBytes: Int) throws -> Void
    ) throws {
        try forEachLine({ line, number, dropped, _ in try body(line, number, dropped) }, beforeBufferChange: {})
    }

    /// Like `forEachLine(_:)`, for callers that keep lines beyond the callback or look ahead: when `bufferEnd` is not
    /// nil the line's bytes lie in the reader's buffer, whose bytes up to `bufferEnd` (the lines that follow) stay valid
    /// until `beforeBufferChange` is called (before each refill moves or overwrites the buffer, and before the loop
    /// ends, whether normally or by an error). Other lines (`bufferEnd` nil: the head of a cut line) are valid only
    /// during the callback.
    @inline(__always)
    public mutating func forEachLine(
        _ body: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ droppedBytes: Int, _ bufferEnd: UnsafeRawPointer?) throws -> Void,
        beforeBufferChange: () -> Void
    ) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        defer { beforeBufferChange() }
        var start = 0          // first byte of the current (incomplete) line
        var end = 0            // one past the last valid byte
        var lineNumber = 0
        var skippingOverlong = false   // inside a cut line: discard until the next newline
        var overlongHead: [UInt8] = []
        var dropped = 0
        var droppedEndsWithCR = false  // the last byte discarded from a cut line was `\r` (part of a CRLF ending)
        var atEOF = false
        /// Where [start, end) lie: the reader's own buffer, or a chunk the source lent (scanned in place).
        var base = UnsafeRawPointer(buffer)
        /// The rest of a lent chunk whose first bytes completed the line carried over in the buffer.
        var lentRest: UnsafeRawBufferPointer?
        let lender = source as? any ChunkLendingSource

        /// Bytes of a cut line's tail in [from, to) that count as dropped: a `\r` right before the line end is not content.
        func droppedTail(from: Int, to: Int) -> Int {
            if to > from {
                return base.load(fromByteOffset: to - 1, as: UInt8.self) == 0x0D ? to - from - 1 : to - from
            }
            return droppedEndsWithCR ? -1 : 0
        }

        while true {
            // Deliver every complete line in [start, end).
            var scan = start
            while scan < end, let nl = memchr(base + scan, 0x0A, end - scan) {
                let newline = base.distance(to: UnsafeRawPointer(nl))
                if skippingOverlong {
                    dropped += droppedTail(from: scan, to: newline)
                    lineNumber += 1
                    try Self.deliver(overlongHead, dropped: dropped, lineNumber: lineNumber, body)
                    skippingOverlong = false
                    overlongHead = []
                    dropped = 0
                } else {
                    var lineEnd = newline
                    if lineEnd > start, base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    let length = lineEnd - start
                    if length > maxLineLength {
                        try body(UnsafeRawBufferPointer(start: base + start, count: maxLineLength), lineNumber, length - maxLineLength, base + end)
                    } else {
                        try body(UnsafeRawBufferPointer(start: base + start, count: length), lineNumber, 0, base + end)
                    }
                }
                start = newline + 1
                scan = start
            }
            if atEOF {
                // Final line without a newline.
                if skippingOverlong {
                    dropped += droppedTail(from: start, to: end)
                    lineNumber += 1
                    try Self.deliver(overlongHead, dropped: dropped, lineNumber: lineNumber, body)
                    skippingOverlong = false
                } else if end > start {
                    var lineEnd = end
                    if base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    let length = lineEnd - start
                    try body(UnsafeRawBufferPointer(start: base + start, count: min(length, maxLineLength)), lineNumber, max(0, length - maxLineLength), base + end)
                }
                start = end
                break
            }
            // Keep the partial line, then refill.
            beforeBufferChange()
            if skippingOverlong {
                dropped += end - start
                if end > start { droppedEndsWithCR = base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D }
                start = 0
                end = 0
            } else if end - start > maxLineLength {
                overlongHead = Array(UnsafeRawBufferPointer(start: base + start, count: maxLineLength))
                dropped = end - start - maxLineLength
                droppedEndsWithCR = base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D
                skippingOverlong = true
                start = 0
                end = 0
            } else if base != UnsafeRawPointer(buffer) {
                // The partial last line of a lent chunk moves to the buffer (the chunk is about to go back).
                if end > start { buffer.copyMemory(from: base + start, byteCount: end - start) }
                end -= start
                start = 0
            } else if start > 0 {
                if end > start { memmove(buffer, buffer + start, end - start) }
                end -= start
                start = 0
            }
            base = UnsafeRawPointer(buffer)
            var chunk = lentRest
            lentRest = nil
            if chunk == nil, let lender, let lent = try lender.lendChunk() {
                chunk = lent
                bytesConsumed += Int64(lent.count)
            }
            if let chunk {
                if chunk.count == 0 {
                    atEOF = true
                } else if end == 0 {
                    // Nothing carried over: the chunk's lines are read where they lie.
                    base = chunk.baseAddress!
                    end = chunk.count
                } else {
                    // The carried line is completed in the buffer with the chunk's bytes up to its first newline (as
                    // many as fit); the rest of the chunk is read in place next.
                    let wanted = memchr(chunk.baseAddress!, 0x0A, chunk.count)
                        .map { chunk.baseAddress!.distance(to: UnsafeRawPointer($0)) + 1 } ?? chunk.count
                    let taken = min(wanted, bufferSize - end)
                    (buffer + end).copyMemory(from: chunk.baseAddress!, byteCount: taken)
                    end += taken
                    if taken < chunk.count { lentRest = UnsafeRawBufferPointer(rebasing: chunk[taken...]) }
                }
            } else {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: bufferSize - end))
                if n == 0 {
                    atEOF = true
                } else {
                    end += n
                    bytesConsumed += Int64(n)
                }
            }
        }
    }

    private static func deliver(
        _ head: [UInt8], dropped: Int, lineNumber: Int,
        _ body: (UnsafeRawBufferPointer, Int, Int, UnsafeRawPointer?) throws -> Void
    ) throws {
        try head.withUnsafeBytes { try body($0, lineNumber, dropped, nil) }
    }
}
