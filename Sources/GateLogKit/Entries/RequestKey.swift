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
    @inlinable
    public static func uuid(_ bytes: UnsafeRawBufferPointer) -> RequestKey? {
        guard bytes.count == 36,
              bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D
        else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        var bad: UInt8 = 0
        for i in 0..<36 where i != 8 && i != 13 && i != 18 && i != 23 {
            let v = hexValue[Int(bytes[i])]
            bad |= v
            if nibbles < 16 {
                high = (high << 4) | UInt64(v & 0x0F)
            } else {
                low = (low << 4) | UInt64(v & 0x0F)
            }
            nibbles += 1
        }
        guard bad & 0x80 == 0, high != internedMarker else { return nil }
        return RequestKey(high: high, low: low)
    }

    /// The canonical lowercase UUID text of a UUID key.
    public var uuidString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(0x2D) }
            let word = i < 16 ? high : low
            let shift = UInt64(60 - 4 * (i % 16))
            out.append(digits[Int((word >> shift) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
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
