/// A request id as the report keeps it: the 128 bits of a canonical (lowercase) UUID, or the text itself for any other
/// id (uppercase UUIDs, WebSocket extended ids, `test-invoke-request`), so that it prints back exactly as it came.
/// Ordering is that of the id texts.
public struct ExampleID: Hashable, Sendable, Comparable {
    @usableFromInline
    enum Storage: Hashable, Sendable {
        case uuid(UInt64, UInt64)
        case text(String)
    }

    @usableFromInline
    var storage: Storage

    public init(_ text: String) {
        var text = text
        if text.utf8.count == 36, let parsed = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) {
            storage = parsed
        } else {
            storage = .text(text)
        }
    }

    /// A canonical lowercase UUID as its 128 bits; nil for anything else (which must keep its text).
    @inline(__always)
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Storage? {
        guard bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D else { return nil }
        let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var bad: UInt8 = 0
        @inline(__always)
        func digits(_ range: Range<Int>, into word: inout UInt64) {
            for i in range {
                // 0-9 and a-f only: an uppercase UUID keeps its text.
                let digit = p[i] &- 0x30, letter = p[i] &- 0x61
                let isDigit = digit < 10
                bad |= isDigit || letter < 6 ? 0 : 1
                word = word << 4 | UInt64(isDigit ? digit : letter &+ 10)
            }
        }
        var high: UInt64 = 0, low: UInt64 = 0
        digits(0..<8, into: &high)
        digits(9..<13, into: &high)
        digits(14..<18, into: &high)
        digits(19..<23, into: &low)
        digits(24..<36, into: &low)
        return bad == 0 ? .uuid(high, low) : nil
    }

    public var text: String {
        switch storage {
        case .uuid(let high, let low): return RequestKey(high: high, low: low).uuidString
        case .text(let text): return text
        }
    }

    public static func < (a: ExampleID, b: ExampleID) -> Bool {
        // Lowercase hex texts of one length order as their numbers.
        if case .uuid(let ah, let al) = a.storage, case .uuid(let bh, let bl) = b.storage { return (ah, al) < (bh, bl) }
        return a.text < b.text
    }
}

/// Counts keyed by a small ordinal (an outcome or a cause), packed as `ordinal << 56 | count` words: the first inline,
/// the rare others in an array. Most routes see one or two keys, so most tallies allocate nothing.
struct PackedCounts: Sendable {
    private var first: UInt64 = 0
    private var rest: [UInt64] = []

    private static let countMask: UInt64 = (1 << 56) - 1

    @inline(__always)
    mutating func add(_ ordinal: UInt8, _ n: Int = 1) {
        let key = UInt64(ordinal) << 56
        if first == 0 { first = key | UInt64(n); return }
        if first & ~Self.countMask == key { first &+= UInt64(n); return }
        for i in rest.indices where rest[i] & ~Self.countMask == key {
            rest[i] &+= UInt64(n)
            return
        }
        rest.append(key | UInt64(n))
    }

    func count(_ ordinal: UInt8) -> Int {
        let key = UInt64(ordinal) << 56
        if first == 0 { return 0 }
        if first & ~Self.countMask == key { return Int(first & Self.countMask) }
        for word in rest where word & ~Self.countMask == key { return Int(word & Self.countMask) }
        return 0
    }

    /// The (ordinal, count) pairs with a non-zero count, in no particular order.
    func forEach(_ body: (UInt8, Int) -> Void) {
        if first == 0 { return }
        body(UInt8(first >> 56), Int(first & Self.countMask))
        for word in rest { body(UInt8(word >> 56), Int(word & Self.countMask)) }
    }

    var isEmpty: Bool { first == 0 }

    /// Sorted words (for equality independent of insertion order).
    var sortedWords: [UInt64] {
        var words: [UInt64] = []
        forEach { words.append(UInt64($0) << 56 | UInt64($1)) }
        return words.sorted()
    }
}

extension Cause {
    /// Position in `Cause.allCases` (declaration order).
    @inline(__always)
    var ordinal: UInt8 { unsafeBitCast(self, to: UInt8.self) }
    static let byOrdinal: [Cause] = Cause.allCases
}

extension Outcome {
    /// Position in `Outcome.allCases` (declaration order).
    @inline(__always)
    var ordinal: UInt8 { unsafeBitCast(self, to: UInt8.self) }
    static let byOrdinal: [Outcome] = Outcome.allCases
}

/// An open-addressing index of table positions (`Int32`), for tables whose rows hold their own keys: the index stores
/// 4 bytes per row plus free slots, the caller supplies the hash and the key comparison.
struct PositionIndex: Sendable {
    private var slots: [Int32] = []
    private var mask = 0
    private(set) var count = 0

    /// The position whose row `matches`, or nil with the slot to `insert` into.
    @inline(__always)
    func find(hash: Int, matches: (Int32) -> Bool) -> (position: Int32?, slot: Int) {
        if slots.isEmpty { return (nil, -1) }
        var slot = hash & mask
        while true {
            let position = slots[slot]
            if position < 0 { return (nil, slot) }
            if matches(position) { return (position, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Records `position` at the slot `find` returned (or, after growth, anew); `rehash` gives each stored position's hash.
    mutating func insert(_ position: Int32, hash: Int, slot: Int, rehash: (Int32) -> Int) {
        if slot < 0 || (count + 1) * 4 > slots.count * 3 {
            grow(rehash: rehash)
            place(position, hash: hash)
        } else {
            slots[slot] = position
        }
        count += 1
    }

    private mutating func place(_ position: Int32, hash: Int) {
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = position
    }

    private mutating func grow(rehash: (Int32) -> Int) {
        let old = slots
        let size = max(16, slots.count * 2)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for position in old where position >= 0 { place(position, hash: rehash(position)) }
    }
}

/// An append-only table of rows kept in fixed-size chunks: growing never copies (or transiently doubles) the rows
/// already stored, so a table of many routes or pairs costs its rows and no growth slack.
public struct ChunkedTable<Row: Sendable>: RandomAccessCollection, Sendable {
    private static var chunkShift: Int { 10 }
    private static var chunkMask: Int { (1 << chunkShift) - 1 }

    private var chunks: [[Row]] = []
    public private(set) var count = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> Row {
        get { chunks[index >> Self.chunkShift][index & Self.chunkMask] }
        _modify { yield &chunks[index >> Self.chunkShift][index & Self.chunkMask] }
    }

    mutating func append(_ row: Row) {
        if count & Self.chunkMask == 0 {
            var chunk: [Row] = []
            chunk.reserveCapacity(1 << Self.chunkShift)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(row)
        count += 1
    }
}
