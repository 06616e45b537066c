/// A compact, hashable identity for one request: the 128 bits of its UUID request id, decoded straight from bytes.
///
/// Request ids that are not UUIDs (WebSocket extended ids, console test ids such as `test-invoke-request`) get a key
/// from a `RequestIdInterner`, marked by `high == RequestKey.internedMarker`.
public struct RequestKey: Hashable, Sendable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public static let internedMarker: UInt64 = 0xFFFF_FFFF_FFFF_FFFF

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var isUUID: Bool { high != Self.internedMarker }

    public static func < (a: RequestKey, b: RequestKey) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    /// Decodes `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case). Returns nil for anything else.
    ///
    /// Works on whole words: the 32 hex digits are loaded as four 8-byte words, checked and decoded eight at a time.
    @inline(__always)
    public static func uuid(_ bytes: UnsafeRawBufferPointer) -> RequestKey? {
        guard bytes.count == 36, let base = bytes.baseAddress,
              base.load(fromByteOffset: 8, as: UInt8.self) == 0x2D, base.load(fromByteOffset: 13, as: UInt8.self) == 0x2D,
              base.load(fromByteOffset: 18, as: UInt8.self) == 0x2D, base.load(fromByteOffset: 23, as: UInt8.self) == 0x2D
        else { return nil }
        // The digits as four words: 0..<8, 9..<13 + 14..<18, 19..<23 + 24..<28, 28..<36.
        let w0 = base.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let w1 = UInt64(base.loadUnaligned(fromByteOffset: 9, as: UInt32.self))
            | UInt64(base.loadUnaligned(fromByteOffset: 14, as: UInt32.self)) << 32
        let w2 = UInt64(base.loadUnaligned(fromByteOffset: 19, as: UInt32.self))
            | UInt64(base.loadUnaligned(fromByteOffset: 24, as: UInt32.self)) << 32
        let w3 = base.loadUnaligned(fromByteOffset: 28, as: UInt64.self)
        guard allHex(w0), allHex(w1), allHex(w2), allHex(w3) else { return nil }
        let high = UInt64(hexWord(w0)) << 32 | UInt64(hexWord(w1))
        let low = UInt64(hexWord(w2)) << 32 | UInt64(hexWord(w3))
        guard high != internedMarker else { return nil }
        return RequestKey(high: high, low: low)
    }

    /// The value of eight ASCII hex digits (loaded little-endian, first digit in the lowest byte; already checked
    /// with `allHex`), the first digit most significant.
    @inline(__always)
    static func hexWord(_ w: UInt64) -> UInt32 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        // Letters have bit 6 set and a low nibble of 1...6: adding 9 gives 10...15.
        let nibbles = (w & (ones &* 0x0F)) &+ ((w >> 6) & ones) &* 9
        // Pair the digits of each 16-bit lane into one byte: the lane's first (lower) digit is the high nibble.
        let pairs = ((nibbles & 0x000F_000F_000F_000F) << 4) | ((nibbles >> 8) & 0x000F_000F_000F_000F)
        let b0 = UInt32(truncatingIfNeeded: pairs) & 0xFF
        let b1 = UInt32(truncatingIfNeeded: pairs >> 16) & 0xFF
        let b2 = UInt32(truncatingIfNeeded: pairs >> 32) & 0xFF
        let b3 = UInt32(truncatingIfNeeded: pairs >> 48) & 0xFF
        return b0 << 24 | b1 << 16 | b2 << 8 | b3
    }

    /// The canonical lowercase UUID text of a UUID key.
    public var uuidString: String {
        String(unsafeUninitializedCapacity: 36) { out in
            var at = 0
            for i in 0..<32 {
                if i == 8 || i == 12 || i == 16 || i == 20 {
                    out[at] = 0x2D
                    at += 1
                }
                let word = i < 16 ? high : low
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (i % 16))) & 0xF
                out[at] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                at += 1
            }
            return 36
        }
    }

    /// Hex digit values; 0x80 marks a non-hex byte.
    @usableFromInline
    static let hexValue: [UInt8] = {
        var table = [UInt8](repeating: 0x80, count: 256)
        for (i, c) in "0123456789".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        for (i, c) in "abcdef".utf8.enumerated() { table[Int(c)] = UInt8(10 + i) }
        for (i, c) in "ABCDEF".utf8.enumerated() { table[Int(c)] = UInt8(10 + i) }
        return table
    }()
}

/// Gives stable keys to request ids that are not UUIDs, and remembers their text.
public final class RequestIdInterner {
    private var keys: [[UInt8]: RequestKey] = [:]
    private var texts: [String] = []

    public init() {}

    public func key(for id: UnsafeRawBufferPointer) -> RequestKey {
        let bytes = Array(id)
        if let key = keys[bytes] { return key }
        let key = RequestKey(high: RequestKey.internedMarker, low: UInt64(texts.count))
        keys[bytes] = key
        texts.append(String(decoding: bytes, as: UTF8.self))
        return key
    }

    /// The id text for an interned key, or the UUID text for a UUID key.
    public func text(for key: RequestKey) -> String {
        if key.isUUID { return key.uuidString }
        let index = Int(key.low)
        return index < texts.count ? texts[index] : "?"
    }
}
