/// Counts the invalid UTF-8 in a byte stream fed chunk by chunk (sequences may straddle chunks), and remembers where
/// the first one was. The bytes themselves are never changed: gatelog keeps what it read and only shows invalid
/// sequences as U+FFFD when it turns them into text. ASCII is checked eight bytes at a time.
public struct UTF8Census: Sendable {
    /// Invalid sequences seen (a stray continuation byte, a bad lead byte, a sequence cut short, an overlong or
    /// surrogate encoding each count once).
    public private(set) var invalidSequences = 0
    /// Stream offset of the first byte of the first invalid sequence.
    public private(set) var firstInvalidOffset: Int64?
    /// Bytes fed so far.
    public private(set) var bytesSeen: Int64 = 0

    /// Continuation bytes still expected by the sequence in progress.
    private var pending = 0
    /// Allowed range of the next continuation byte (narrower right after E0, ED, F0, F4).
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF
    /// Offset of the lead byte of the sequence in progress.
    private var sequenceStart: Int64 = 0

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var i = 0
        while i < count {
            if pending == 0 {
                // Fast path over ASCII: 32 bytes, then a word, at a time.
                while i + 32 <= count {
                    let any = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        | base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                        | base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                        | base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                    if any & 0x8080_8080_8080_8080 != 0 { break }
                    i += 32
                }
                while i + 8 <= count, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= count { break }
            }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if pending > 0 {
                if b >= low && b <= high {
                    pending -= 1
                    low = 0x80
                    high = 0xBF
                    i += 1
                    continue
                }
                // The sequence ended early; this byte starts afresh.
                invalid(at: sequenceStart)
                pending = 0
                low = 0x80
                high = 0xBF
                continue
            }
            let offset = bytesSeen + Int64(i)
            switch b {
            case 0x00...0x7F:
                break
            case 0xC2...0xDF:
                start(at: offset, needing: 1)
            case 0xE0:
                start(at: offset, needing: 2, low: 0xA0)
            case 0xE1...0xEC, 0xEE, 0xEF:
                start(at: offset, needing: 2)
            case 0xED:
                start(at: offset, needing: 2, high: 0x9F)
            case 0xF0:
                start(at: offset, needing: 3, low: 0x90)
            case 0xF1...0xF3:
                start(at: offset, needing: 3)
            case 0xF4:
                start(at: offset, needing: 3, high: 0x8F)
            default:
                invalid(at: offset)
            }
            i += 1
        }
        bytesSeen += Int64(count)
    }

    /// Call at the end of the stream: a sequence still waiting for bytes is invalid.
    public mutating func finish() {
        if pending > 0 {
            invalid(at: sequenceStart)
            pending = 0
        }
    }

    private mutating func start(at offset: Int64, needing count: Int, low: UInt8 = 0x80, high: UInt8 = 0xBF) {
        pending = count
        sequenceStart = offset
        self.low = low
        self.high = high
    }

    private mutating func invalid(at offset: Int64) {
        invalidSequences += 1
        if firstInvalidOffset == nil { firstInvalidOffset = offset }
    }
}
