/// Opens input files for reading, undoing gzip compression wherever the bytes say so.
public enum InputOpener {
    /// Gzip inside gzip is undone this many times at most (a gzip "quine" would otherwise never end).
    public static let maxGzipLayers = 8

    /// Opens `file` (standard input for `-`) as a `DecodedSource`. Throws an `InputError` naming the file when it
    /// cannot be opened or when its first bytes already cannot be decoded. `readSize` is how many compressed bytes gzip
    /// input is read at a time: the default suits reading the whole file; a peek at its first bytes wants little.
    public static func open(_ file: InputFile, readSize: Int = 1 << 19) throws -> DecodedSource {
        let raw: FileDescriptorSource
        if file.isStandardInput {
            raw = FileDescriptorSource(descriptor: 0, displayName: file.displayName)
        } else {
            raw = try FileDescriptorSource(path: file.path, displayName: file.displayName)
        }
        return try DecodedSource(upstream: raw, displayName: file.displayName, gzipReadSize: readSize)
    }
}

/// The decoded bytes of one input: gzip is recognised by its magic bytes `1F 8B` (never by the file name) and
/// inflated, again and again while the decompressed bytes start with `1F 8B` (Firehose gzip-of-gzip objects);
/// anything else passes through unchanged.
public final class DecodedSource: ChunkLendingSource {
    public let displayName: String
    /// How many gzip layers were found (0 for plain input).
    public private(set) var gzipLayers = 0
    /// Decoded bytes returned so far.
    public private(set) var bytesDecoded: Int64 = 0
    /// Invalid UTF-8 among the decoded bytes returned so far (complete once `read` has returned 0).
    public var utf8: UTF8Census { prefetched?.utf8 ?? census }
    /// Whether `read` takes the UTF-8 census (a read-ahead worker turns it off and counts per chunk itself).
    var countsUTF8 = true

    private var census = UTF8Census()
    private let raw: CountingSource?
    private var top: AnyByteSource
    /// The bytes of a file decoded ahead by a `ReadAheadPool` worker: read straight through, nothing to sniff.
    private let prefetched: ReadAheadPool.Stream?
    /// Bytes read from `top` while sniffing, returned before anything else.
    private var head: [UInt8] = []
    private var headOffset = 0
    /// An error met while sniffing, thrown once the bytes read before it have been returned.
    private var deferredError: (any Error)?

    /// Raw bytes read from the underlying file or source (compressed bytes for gzip input).
    public var bytesRead: Int64 { prefetched?.rawBytes ?? raw?.count ?? 0 }

    /// Wraps any source (a file, standard input, an in-memory payload) and sniffs its first bytes; gzip layers read
    /// `gzipReadSize` bytes from below at a time.
    public init(upstream: some ByteSource, displayName: String, gzipReadSize: Int = 1 << 19) throws {
        self.displayName = displayName
        let raw = CountingSource(upstream)
        self.raw = raw
        prefetched = nil
        top = AnyByteSource(raw)
        while true {
            var sniffed: [UInt8] = []
            var sniffError: (any Error)?
            do {
                try Self.readHead(of: &top, into: &sniffed, count: 2)
            } catch {
                sniffError = error
            }
            guard sniffError == nil, sniffed == [0x1F, 0x8B] else {
                head = sniffed
                deferredError = sniffError
                break
            }
            guard gzipLayers < InputOpener.maxGzipLayers else {
                throw InputError(
                    source: displayName,
                    message: "gzip nested more than \(InputOpener.maxGzipLayers) layers deep; not decoded further")
            }
            gzipLayers += 1
            let layer = try GzipSource(upstream: top, displayName: displayName, layer: gzipLayers, prefix: sniffed,
                                       inputBufferSize: gzipReadSize)
            top = AnyByteSource(layer)
        }
    }

    /// The bytes a `ReadAheadPool` worker decoded (gzip layers already undone there, census already taken).
    init(prefetched stream: ReadAheadPool.Stream, displayName: String) {
        self.displayName = displayName
        gzipLayers = stream.gzipLayers
        raw = nil
        prefetched = stream
        top = AnyByteSource(stream)
    }

    /// Whether the bytes come from a `ReadAheadPool` worker (they can then be lent in place, see `lendChunk`).
    var isPrefetched: Bool { prefetched != nil }

    /// Puts bytes already read from a prefetched source (a sniffed prefix) back in front of it, with the error met
    /// while reading them, thrown once they have been returned (as `PrefixedSource` does).
    func pushBack(_ bytes: [UInt8], error: (any Error)?) {
        precondition(prefetched != nil && headOffset >= head.count)
        head = bytes
        headOffset = 0
        deferredError = error
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let prefetched {
            if headOffset < head.count {
                // Pushed-back bytes: counted when they were first read.
                guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
                let n = min(buffer.count, head.count - headOffset)
                head.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + headOffset, byteCount: n) }
                headOffset += n
                return n
            }
            if let deferredError { throw deferredError }
            let n = try prefetched.read(into: buffer)
            bytesDecoded += Int64(n)
            return n
        }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var filled = 0
        if headOffset < head.count {
            filled = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + headOffset, byteCount: filled) }
            headOffset += filled
            if filled == buffer.count {
                bytesDecoded += Int64(filled)
                if countsUTF8 { census.feed(UnsafeRawBufferPointer(start: base, count: filled)) }
                return filled
            }
        }
        if let deferredError {
            if filled > 0 {
                bytesDecoded += Int64(filled)
                if countsUTF8 { census.feed(UnsafeRawBufferPointer(start: base, count: filled)) }
                return filled
            }
            throw deferredError
        }
        do {
            filled += try top.read(into: UnsafeMutableRawBufferPointer(start: base + filled, count: buffer.count - filled))
        } catch {
            guard filled > 0 else { throw error }
            deferredError = error
        }
        bytesDecoded += Int64(filled)
        if countsUTF8 {
            census.feed(UnsafeRawBufferPointer(start: base, count: filled))
            if filled == 0 { census.finish() }
        }
        return filled
    }

    /// The next decoded bytes of a prefetched source in place (see `ReadAheadPool.Stream.lend`); nil while pushed-back
    /// bytes remain or when the source is not prefetched (read instead).
    public func lendChunk() throws -> UnsafeRawBufferPointer? {
        guard let prefetched, headOffset >= head.count else { return nil }
        if let deferredError { throw deferredError }
        let region = try prefetched.lend()
        bytesDecoded += Int64(region.count)
        return region
    }

    /// Reads until `count` bytes are in `bytes` or the source ends.
    private static func readHead(of source: inout AnyByteSource, into bytes: inout [UInt8], count: Int) throws {
        var scratch = [UInt8](repeating: 0, count: count)
        while bytes.count < count {
            let wanted = count - bytes.count
            let n = try scratch.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted]))
            }
            if n == 0 { return }
            bytes += scratch[..<n]
        }
    }
}

/// Counts the bytes read from the source at the bottom of a decoding chain.
private final class CountingSource: ByteSource {
    private var base: any ByteSource
    private(set) var count: Int64 = 0

    init(_ base: any ByteSource) { self.base = base }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        count += Int64(n)
        return n
    }
}

/// A `ByteSource` of any concrete type, so decoders can be stacked as deep as the input requires.
struct AnyByteSource: ByteSource {
    private var base: any ByteSource

    init(_ base: any ByteSource) { self.base = base }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try base.read(into: buffer)
    }
}
