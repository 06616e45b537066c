/// Replays bytes already read (for format sniffing) before continuing with the rest of the upstream source.
public struct PrefixedSource<Upstream: ByteSource>: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    public private(set) var upstream: Upstream
    /// An error met while the prefix was read; thrown once the prefix has been handed over, instead of reading on.
    private let deferredError: (any Error)?

    public init(prefix: [UInt8], upstream: Upstream, deferredError: (any Error)? = nil) {
        self.prefix = prefix
        self.upstream = upstream
        self.deferredError = deferredError
    }

    /// Like `peek`, but an error after some bytes were read does not lose them: the bytes come back with the error,
    /// to be passed to `init(prefix:upstream:deferredError:)` (a gzip file cut short inside its first 64 KiB still
    /// yields the lines before the cut). An error before any byte is thrown.
    public static func peekKeepingError(_ source: inout Upstream, count: Int) throws -> (bytes: [UInt8], error: (any Error)?) {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        var failure: (any Error)?
        bytes.withUnsafeMutableBytes { buffer in
            while filled < count {
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                    if n == 0 { break }
                    filled += n
                } catch {
                    failure = error
                    break
                }
            }
        }
        if let failure, filled == 0 { throw failure }
        bytes.removeSubrange(filled...)
        return (bytes, failure)
    }

    /// Reads up to `count` bytes from `source` (fewer only at end of stream) for sniffing.
    public static func peek(_ source: inout Upstream, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while filled < count {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { break }
                filled += n
            }
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < prefix.count {
            let n = min(buffer.count, prefix.count - offset)
            prefix.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: n)
            }
            offset += n
            if offset == prefix.count { prefix = [] ; offset = Int.max / 2 }
            return n
        }
        if let deferredError { throw deferredError }
        return try upstream.read(into: buffer)
    }
}
