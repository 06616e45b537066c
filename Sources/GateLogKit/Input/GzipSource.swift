import CZlib

/// Inflates a gzip stream read from another `ByteSource`, streaming: memory stays bounded whatever the ratio.
///
/// * Concatenated members (Firehose objects, `cat a.gz b.gz`) decode as one stream; zero bytes after a member are padding.
/// * Anything else after a member, a stream that ends inside a member, and corrupt data are `InputError`s whose source is
///   `<displayName>@<compressed byte offset>`.
/// * Bytes decoded before an error are returned first; the error is thrown by the following `read(into:)` and by every
///   later one.
public final class GzipSource<Upstream: ByteSource>: ByteSource {
    public let displayName: String
    /// 1 for a gzip read straight from the file, 2 for a gzip found inside it, and so on (named in error messages).
    public let layer: Int
    public private(set) var upstream: Upstream
    /// Decompressed bytes returned so far.
    public private(set) var bytesDecoded: Int64 = 0
    /// Gzip members started so far.
    public private(set) var members = 0

    private enum State {
        case betweenMembers
        case insideMember
        case finished
        case failed(any Error)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity: Int
    /// Compressed-stream offset of `input[0]`.
    private var inputBase: Int64 = 0
    /// Valid bytes in `input`; the unconsumed ones run from `stream.next_in` to here.
    private var inputEnd = 0
    private var upstreamAtEnd = false
    private var state = State.betweenMembers

    /// - Parameters:
    ///   - prefix: bytes already taken from `upstream` (while sniffing) that belong at the start of the stream.
    ///   - inputBufferSize: bytes read from `upstream` at a time: large for throughput (512 KiB by default), small
    ///     only to peek at the first decoded bytes (at least 4 KiB are used).
    public init(
        upstream: Upstream, displayName: String, layer: Int = 1,
        prefix: [UInt8] = [], inputBufferSize: Int = 1 << 19
    ) throws {
        self.upstream = upstream
        self.displayName = displayName
        self.layer = layer
        inputCapacity = min(max(inputBufferSize, 1 << 12, prefix.count), Int(UInt32.max))
        input = .allocate(capacity: inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw InputError(source: displayName, message: "cannot start gzip decoder (zlib status \(status))")
        }
        prefix.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { input.update(from: base, count: bytes.count) }
        }
        inputEnd = prefix.count
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(prefix.count)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Offset in the compressed stream of the next byte zlib will consume.
    public var compressedOffset: Int64 {
        inputBase + Int64(input.distance(to: stream.pointee.next_in))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            if case .failed(let error) = state { throw error }
            return 0
        }
        let output = base.assumingMemoryBound(to: UInt8.self)
        var produced = 0
        while produced < buffer.count {
            switch state {
            case .finished:
                return produced
            case .failed(let error):
                if produced > 0 { return produced }
                throw error
            case .betweenMembers:
                // Do not wait for more input when there is output to hand over already.
                if stream.pointee.avail_in == 0 && produced > 0 { return produced }
                startNextMember()
            case .insideMember:
                if stream.pointee.avail_in == 0 {
                    if produced > 0 { return produced }
                    guard refill() else {
                        if case .insideMember = state {
                            fail("truncated gzip stream: input ended inside a compressed member (\(bytesDecoded) bytes decoded)")
                        }
                        continue
                    }
                }
                let room = min(buffer.count - produced, Int(UInt32.max))
                stream.pointee.next_out = output + produced
                stream.pointee.avail_out = UInt32(room)
                let status = inflate(stream, Z_NO_FLUSH)
                let written = room - Int(stream.pointee.avail_out)
                produced += written
                bytesDecoded += Int64(written)
                switch status {
                case Z_OK:
                    break
                case Z_BUF_ERROR where stream.pointee.avail_in == 0 || written > 0:
                    break   // more input needed: fetched above on the next turn
                case Z_BUF_ERROR:
                    fail("gzip decoder made no progress (\(bytesDecoded) bytes decoded)")
                case Z_STREAM_END:
                    state = .betweenMembers
                case Z_MEM_ERROR:
                    fail("out of memory while decoding gzip data")
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    fail("corrupt gzip data: \(reason) (\(bytesDecoded) bytes decoded)")
                }
            }
        }
        return produced
    }

    /// After a member (or at the start): skip zero padding, then expect the next member's `1F 8B` header, or the end.
    private func startNextMember() {
        while true {
            guard ensureInput(1) else {
                if case .failed = state { return }
                state = .finished
                return
            }
            let next = stream.pointee.next_in!
            let available = Int(stream.pointee.avail_in)
            var zeros = 0
            while zeros < available && next[zeros] == 0 { zeros += 1 }
            if zeros == 0 { break }
            stream.pointee.next_in = next + zeros
            stream.pointee.avail_in -= UInt32(zeros)
        }
        let hasMagic = ensureInput(2) && stream.pointee.next_in[0] == 0x1F && stream.pointee.next_in[1] == 0x8B
        if case .failed = state { return }
        guard hasMagic else {
            if members == 0 {
                fail("not gzip data: the stream does not start with the gzip signature 1F 8B")
            } else {
                fail("trailing data after gzip member at byte \(compressedOffset) (\(bytesDecoded) bytes decoded before it)")
            }
            return
        }
        if members > 0 { inflateReset(stream) }
        members += 1
        state = .insideMember
    }

    /// Makes at least `count` unconsumed input bytes available, moving leftovers to the front of the buffer;
    /// `false` at the end of the upstream (or after an upstream error, which then sets the failed state).
    private func ensureInput(_ count: Int) -> Bool {
        while Int(stream.pointee.avail_in) < count {
            let available = Int(stream.pointee.avail_in)
            let consumed = input.distance(to: stream.pointee.next_in)
            if consumed > 0 {
                if available > 0 { input.update(from: stream.pointee.next_in, count: available) }
                inputBase += Int64(consumed)
                inputEnd = available
                stream.pointee.next_in = input
            }
            guard let n = readUpstream(into: input + inputEnd, count: inputCapacity - inputEnd), n > 0 else {
                return false
            }
            inputEnd += n
            stream.pointee.avail_in += UInt32(n)
        }
        return true
    }

    /// Replaces the fully consumed input buffer with the next chunk; `false` at the end (or on an upstream error).
    private func refill() -> Bool {
        inputBase += Int64(inputEnd)
        inputEnd = 0
        stream.pointee.next_in = input
        guard let n = readUpstream(into: input, count: inputCapacity), n > 0 else { return false }
        inputEnd = n
        stream.pointee.avail_in = UInt32(n)
        return true
    }

    /// Reads once from the upstream; `nil` after an error (recorded as the failed state), `0` at the end (remembered,
    /// so an interactive upstream is never asked again after it said "end").
    private func readUpstream(into destination: UnsafeMutablePointer<UInt8>, count: Int) -> Int? {
        if upstreamAtEnd { return 0 }
        do {
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(start: destination, count: count))
            if n == 0 { upstreamAtEnd = true }
            return n
        } catch {
            state = .failed(error)
            return nil
        }
    }

    private func fail(_ message: String) {
        var text = message
        if layer > 1 {
            text += " [gzip nested inside gzip, layer \(layer); offsets count the decompressed bytes of layer \(layer - 1)]"
        }
        state = .failed(InputError(source: "\(displayName)@\(compressedOffset)", message: text))
    }
}
