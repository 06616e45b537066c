/// Replays bytes already read (for format sniffing) before continuing with the rest of the upstream source.
public struct PrefixedSource<Upstream: ByteSource>: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    public private(set) var upstream: Upstream

    public init(prefix: [UInt8], upstream: Upstream) {
        self.prefix = prefix
        self.upstream = upstream
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
        return try upstream.read(into: buffer)
    }
}
