/// Where a request key starts probing in a table of `mask + 1` slots. UUID bits are already random, but interned keys
/// and hostile inputs are not: each half is mixed with a random seed through a bijective multiply-xorshift
/// (far cheaper than SipHash), so colliding keys cannot be prepared in advance. Nothing about the output depends on
/// the seed: tables are never iterated in slot order where order matters.
@inline(__always)
func requestKeySlot(_ key: RequestKey, mask: Int, seed: RequestKeySeed) -> Int {
    @inline(__always)
    func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 29)
    }
    let mixed = (mix(key.high ^ seed.high) ^ mix(key.low ^ seed.low)) &* 0x94D0_49BB_1331_11EB
    return Int(truncatingIfNeeded: mixed >> 32) & mask
}

/// The seed of `requestKeySlot`, drawn once per table (kept in the table: a global would cost a `swift_once` per use).
struct RequestKeySeed {
    let high = UInt64.random(in: .min ... .max)
    let low = UInt64.random(in: .min ... .max)
}

/// A key no request can have: interned keys number their texts from 0, UUID keys never have the interned marker.
@usableFromInline let vacantRequestKey = RequestKey(high: RequestKey.internedMarker, low: .max)

/// The open requests of a `RequestGrouper`, by key: open addressing with linear probing over plain memory (no
/// hashing through `Hasher`, no copy-on-write checks). Deletion shifts later entries back, so there are no tombstones.
/// The table holds one reference to each lifecycle (taken on `insert`, given up on `remove`), and hands them out
/// unretained, so a lookup costs no reference counting. The owner calls `release()` once it is done with the table.
struct OpenRequestTable {
    /// Key and lifecycle side by side: a lookup touches one cache line.
    private struct Slot {
        var key: RequestKey
        var lifecycle: Unmanaged<RequestLifecycle>?
    }

    private var slots: UnsafeMutablePointer<Slot>
    private let seed = RequestKeySeed()
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Slot(key: vacantRequestKey, lifecycle: nil), count: size)
    }

    func release() {
        for slot in 0...mask { slots[slot].lifecycle?.release() }
        slots.deallocate()
    }

    /// The open lifecycle of `key`, unretained: valid while it stays in the table.
    @inline(__always)
    func find(_ key: RequestKey) -> Unmanaged<RequestLifecycle>? {
        var slot = requestKeySlot(key, mask: mask, seed: seed)
        while true {
            let here = slots[slot].key
            if here == key { return slots[slot].lifecycle }
            if here == vacantRequestKey { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a lifecycle whose key is not in the table.
    mutating func insert(_ lifecycle: RequestLifecycle) {
        if (count + 1) * 2 > mask + 1 { grow() }
        var slot = requestKeySlot(lifecycle.key, mask: mask, seed: seed)
        while slots[slot].key != vacantRequestKey { slot = (slot + 1) & mask }
        slots[slot] = Slot(key: lifecycle.key, lifecycle: Unmanaged.passRetained(lifecycle))
        count += 1
    }

    mutating func remove(_ key: RequestKey) {
        var slot = requestKeySlot(key, mask: mask, seed: seed)
        while true {
            let here = slots[slot].key
            if here == vacantRequestKey { return }
            if here == key { break }
            slot = (slot + 1) & mask
        }
        slots[slot].lifecycle?.release()
        // Backward-shift deletion: move each later entry of the cluster into the hole when its home allows it.
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next].key != vacantRequestKey {
            let home = requestKeySlot(slots[next].key, mask: mask, seed: seed)
            // The entry at `next` may move to `hole` when its home is not within (hole, next] (cyclically).
            if (next &- home) & mask >= (next &- hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = Slot(key: vacantRequestKey, lifecycle: nil)
        count -= 1
    }

    /// Every open lifecycle, in no particular order.
    var all: [RequestLifecycle] {
        var out: [RequestLifecycle] = []
        out.reserveCapacity(count)
        for slot in 0...mask { if let lifecycle = slots[slot].lifecycle { out.append(lifecycle.takeUnretainedValue()) } }
        return out
    }

    private mutating func grow() {
        let old = slots
        let oldSize = mask + 1
        let size = oldSize * 2
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Slot(key: vacantRequestKey, lifecycle: nil), count: size)
        for index in 0..<oldSize where old[index].key != vacantRequestKey {
            var slot = requestKeySlot(old[index].key, mask: mask, seed: seed)
            while slots[slot].key != vacantRequestKey { slot = (slot + 1) & mask }
            slots[slot] = old[index]
        }
        old.deallocate()
    }
}

/// The ids of the last `limit` finished requests: a set (same open addressing as `OpenRequestTable`) plus a ring that
/// says which to forget first. Remembering a key already remembered adds it to the ring again, as a `Set` plus a list
/// would; forgetting then drops it from the set at its first ring entry.
struct ClosedRequestMemory {
    private var keys: UnsafeMutablePointer<RequestKey>
    private let seed = RequestKeySeed()
    private var mask: Int
    private var count = 0
    private let ring: UnsafeMutablePointer<RequestKey>
    private let ringSize: Int
    private var ringHead = 0
    private var ringCount = 0
    let limit: Int

    init(limit: Int) {
        self.limit = max(0, limit)
        ringSize = self.limit + 1
        ring = .allocate(capacity: ringSize)
        let size = 1024
        mask = size - 1
        keys = .allocate(capacity: size)
        keys.initialize(repeating: vacantRequestKey, count: size)
    }

    func release() {
        keys.deallocate()
        ring.deallocate()
    }

    @inline(__always)
    func contains(_ key: RequestKey) -> Bool {
        var slot = requestKeySlot(key, mask: mask, seed: seed)
        while true {
            let here = keys[slot]
            if here == key { return true }
            if here == vacantRequestKey { return false }
            slot = (slot + 1) & mask
        }
    }

    mutating func remember(_ key: RequestKey) {
        insert(key)
        ring[(ringHead + ringCount) % ringSize] = key
        ringCount += 1
        if ringCount > limit {
            let oldest = ring[ringHead]
            ringHead = (ringHead + 1) % ringSize
            ringCount -= 1
            remove(oldest)
        }
    }

    private mutating func insert(_ key: RequestKey) {
        if (count + 1) * 2 > mask + 1 { grow() }
        var slot = requestKeySlot(key, mask: mask, seed: seed)
        while true {
            let here = keys[slot]
            if here == key { return }
            if here == vacantRequestKey { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        count += 1
    }

    private mutating func remove(_ key: RequestKey) {
        var slot = requestKeySlot(key, mask: mask, seed: seed)
        while true {
            let here = keys[slot]
            if here == vacantRequestKey { return }
            if here == key { break }
            slot = (slot + 1) & mask
        }
        var hole = slot
        var next = (hole + 1) & mask
        while keys[next] != vacantRequestKey {
            let home = requestKeySlot(keys[next], mask: mask, seed: seed)
            if (next &- home) & mask >= (next &- hole) & mask {
                keys[hole] = keys[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = vacantRequestKey
        count -= 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSize = mask + 1
        let size = oldSize * 2
        mask = size - 1
        keys = .allocate(capacity: size)
        keys.initialize(repeating: vacantRequestKey, count: size)
        for old in 0..<oldSize where oldKeys[old] != vacantRequestKey {
            var slot = requestKeySlot(oldKeys[old], mask: mask, seed: seed)
            while keys[slot] != vacantRequestKey { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[old]
        }
        oldKeys.deallocate()
    }
}
