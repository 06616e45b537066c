/// Policies that Lambda authorizers returned, remembered per stage and identity for the authorizer's TTL, so that a
/// later denial without an authorizer call can be checked against the policy API Gateway most likely reused.
/// Entries older than the TTL (relative to the newest request time seen) are dropped: memory follows the TTL window.
public final class AuthorizerPolicyCache {
    /// One remembered authorizer answer.
    public struct Entry: Sendable {
        public var requestId: String
        public var time: Int64
        public var authorizerId: String?
        public var principalId: String?
        /// Region and account of the method ARN of the request that logged it (a later request without its own
        /// may borrow them).
        public var region: String?
        public var account: String?
        /// Where the authorizer result was logged.
        public var location: SourceLocation
        /// The logged authorizer result, parsed only when a later denial is checked against it.
        public var policyText: String

        public var source: String { location.description }
    }

    /// Where entries are filed: one identity of one stage.
    /// Hashes through a digest computed once: the table moves keys around as identities come and go, and hashing
    /// three strings again each time was most of the cost of forgetting one.
    struct Key: Hashable {
        let apiId: String?
        let stage: String?
        let identity: String
        let digest: UInt64

        init(apiId: String?, stage: String?, identity: String) {
            self.apiId = apiId
            self.stage = stage
            self.identity = identity
            var digest = Self.digest(of: identity, seed: 0x51_7CC1_B727_220A)
            digest = Self.digest(of: apiId, seed: digest)
            digest = Self.digest(of: stage, seed: digest)
            self.digest = digest
        }

        private static func digest(of text: String?, seed: UInt64) -> UInt64 {
            guard var text else { return (seed ^ 0xA5A5) &* 0x9E37_79B9_7F4A_7C15 }
            let own = text.withUTF8 { PolicyTextTable.hash(UnsafeRawBufferPointer($0)) }
            return (seed ^ own) &* 0xBF58_476D_1CE4_E5B9 ^ (seed >> 29)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.identity == b.identity && a.apiId == b.apiId && a.stage == b.stage
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    public let ttlMillis: Int64

    /// The identities filed so far: one list of at most eight entries per key, in filing order. Slots are reused
    /// once a key's list empties; `table` finds a key's slot.
    private var filings: [Filing] = []
    private var freeFilings: [Int32] = []
    /// Open addressing over `filings`, linear probing: 0 is empty, else the key digest's high half above the
    /// filing's index + 1 (probing compares digests without visiting the filings).
    private var table = [UInt64](repeating: 0, count: 64)
    private var liveFilings = 0
    /// The remembered answers, shared by the lists of all identities they are filed under; `references` counts
    /// those lists, and an entry's slot is reused once none names it.
    private var stored: [Entry?] = []
    private var references: [Int32] = []
    private var freeEntries: [Int32] = []

    private var newest: Int64 = .min
    private var insertions = 0
    /// For every filed key, a (time, filing) with a time no later than the key's oldest entry, soonest on top:
    /// eviction visits only the keys that may hold an entry older than its horizon instead of walking them all.
    /// A stale pair (its filing since emptied or reused) only filters a list by the current horizon, as evicting does.
    private var expiries = ExpiryHeap()

    /// One identity of one stage and its entries, oldest filed first.
    private struct Filing {
        var key: Key
        var entries: InlineArray<8, Int32>
        /// The entries' times, kept beside them so that filing and evicting need not visit the entries.
        var times: InlineArray<8, Int64>
        var count: Int
        var isLive: Bool
    }

    public init(ttlSeconds: Int) {
        ttlMillis = Int64(max(0, ttlSeconds)) * 1000
    }

    public var count: Int { filings.reduce(0) { $0 + ($1.isLive ? $1.count : 0) } }

    /// The last six visible characters of a principal or token, masked or not: AWS's masks keep exactly these.
    public static func identityTail(_ value: String?) -> String? {
        guard var value else { return nil }
        // Masks and tokens are printable ASCII (one byte per character): take the tail from the bytes when the
        // visible characters it needs are contiguous. Anything else goes by characters.
        let quick: String?? = value.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            func hidden(_ c: UInt8) -> Bool { c == 0x2A || c == 0x2E }
            var end = bytes.count
            while end > 0, hidden(bytes[end - 1]) { end -= 1 }
            guard end > 0 else { return .some(nil) }
            var start = end
            while start > 0, end - start < 6, !hidden(bytes[start - 1]) { start -= 1 }
            if end - start < 6, bytes[..<start].contains(where: { !hidden($0) }) { return nil }
            return .some(String(decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]), as: UTF8.self))
        }
        if let quick { return quick }
        let visible = value.filter { $0 != "*" && $0 != "." && $0 != "…" }
        guard !visible.isEmpty else { return nil }
        return String(visible.suffix(6))
    }

    /// Remembers an authorizer answer under every identity it can be found by.
    public func remember(_ entry: Entry, apiId: String?, stage: String?, identities: [String]) {
        guard ttlMillis > 0 else { return }
        newest = max(newest, entry.time)
        let time = entry.time
        let stored = store(entry)
        for (index, identity) in identities.enumerated() where !identities[..<index].contains(identity) {
            let filing = filingIndex(Key(apiId: apiId, stage: stage, identity: identity))
            if append(stored, time: time, to: filing) { expiries.push(time, filing) }
        }
        if references[Int(stored)] == 0 { release(stored) }
        insertions += 1
        if insertions % 4096 == 0 { evict() }
    }

    private func store(_ entry: Entry) -> Int32 {
        if let slot = freeEntries.popLast() {
            stored[Int(slot)] = entry
            return slot
        }
        stored.append(entry)
        references.append(0)
        return Int32(stored.count - 1)
    }

    /// Drops one list's reference to an entry, forgetting the entry when it was the last.
    @inline(__always)
    private func unreference(_ slot: Int32) {
        references[Int(slot)] -= 1
        if references[Int(slot)] == 0 { release(slot) }
    }

    private func release(_ slot: Int32) {
        stored[Int(slot)] = nil
        freeEntries.append(slot)
    }

    /// Keeps the newest eight answers of one identity; true when the entry is older than all the list held before
    /// (then `expiries` needs its time).
    private func append(_ slot: Int32, time: Int64, to filing: Int32) -> Bool {
        let f = Int(filing)
        var isOldest = true
        let count = filings[f].count
        for i in 0..<count where filings[f].times[i] <= time { isOldest = false; break }
        references[Int(slot)] += 1
        if count == 8 {
            unreference(filings[f].entries[0])
            for i in 0..<7 {
                filings[f].entries[i] = filings[f].entries[i + 1]
                filings[f].times[i] = filings[f].times[i + 1]
            }
            filings[f].entries[7] = slot
            filings[f].times[7] = time
        } else {
            filings[f].entries[count] = slot
            filings[f].times[count] = time
            filings[f].count = count + 1
        }
        return isOldest
    }

    // MARK: Key table

    /// A key's first slot, from the high half of its digest only (the half `table` keeps).
    @inline(__always)
    private func home(_ digest: UInt64) -> Int {
        Int(truncatingIfNeeded: ((digest >> 32) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (table.count - 1)
    }

    @inline(__always)
    private static func tableValue(_ filing: Int32, digest: UInt64) -> UInt64 {
        (digest & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(filing) + 1)
    }

    @inline(__always)
    private static func filing(in value: UInt64) -> Int32 { Int32(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1 }

    /// The slot in `table` holding `key`, else nil.
    private func find(_ key: Key) -> (slot: Int, filing: Int32?) {
        let mask = table.count - 1
        var slot = home(key.digest)
        let high = key.digest & 0xFFFF_FFFF_0000_0000
        while true {
            let value = table[slot]
            if value == 0 { return (slot, nil) }
            if value & 0xFFFF_FFFF_0000_0000 == high {
                let filing = Self.filing(in: value)
                if filings[Int(filing)].key == key { return (slot, filing) }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The filing of `key`, created empty when new.
    private func filingIndex(_ key: Key) -> Int32 {
        let found = find(key)
        if let filing = found.filing { return filing }
        let filing: Int32
        let fresh = Filing(key: key, entries: InlineArray(repeating: 0), times: InlineArray(repeating: 0), count: 0, isLive: true)
        if let reused = freeFilings.popLast() {
            filing = reused
            filings[Int(reused)] = fresh
        } else {
            filing = Int32(filings.count)
            filings.append(fresh)
        }
        table[found.slot] = Self.tableValue(filing, digest: key.digest)
        liveFilings += 1
        if liveFilings * 2 > table.count { grow() }
        return filing
    }

    private func grow() {
        var bigger = [UInt64](repeating: 0, count: table.count * 2)
        swap(&table, &bigger)
        let mask = table.count - 1
        for value in bigger where value != 0 {
            var slot = home(value)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = value
        }
    }

    /// Removes an emptied filing from the table (backward-shift deletion keeps every probe run unbroken).
    private func removeFiling(_ filing: Int32) {
        let mask = table.count - 1
        var hole = home(filings[Int(filing)].key.digest)
        while table[hole] == 0 || Self.filing(in: table[hole]) != filing { hole = (hole + 1) & mask }
        var next = hole
        while true {
            next = (next + 1) & mask
            let value = table[next]
            if value == 0 { break }
            let natural = home(value)
            // Stays when its home lies cyclically in (hole, next].
            let stays = hole <= next ? (natural > hole && natural <= next) : (natural > hole || natural <= next)
            if !stays {
                table[hole] = value
                hole = next
            }
        }
        table[hole] = 0
        filings[Int(filing)] = Filing(key: Key(apiId: nil, stage: nil, identity: ""), entries: InlineArray(repeating: 0), times: InlineArray(repeating: 0), count: 0, isLive: false)
        freeFilings.append(filing)
        liveFilings -= 1
    }

    /// The most recent answer for one of `identities` given at most TTL before `time` (and not after it).
    public func lookup(apiId: String?, stage: String?, identities: [String], authorizerId: String?, at time: Int64?) -> Entry? {
        var best: Entry?
        for identity in identities {
            guard let filing = find(Key(apiId: apiId, stage: stage, identity: identity)).filing else { continue }
            let f = Int(filing)
            for i in 0..<filings[f].count {
                let entry = stored[Int(filings[f].entries[i])].unsafelyUnwrapped
                if let authorizerId, let other = entry.authorizerId, authorizerId != other { continue }
                if let time {
                    guard entry.time <= time, time - entry.time <= ttlMillis else { continue }
                }
                if best == nil || entry.time > best!.time { best = entry }
            }
        }
        return best
    }

    /// Drops the entries older than twice the TTL. Every key holding such an entry has a (time, filing) older than
    /// the horizon in `expiries`: popping those and filtering their lists leaves exactly what filtering every list
    /// would. A key that keeps entries gets its new oldest time back into `expiries`.
    private func evict() {
        let horizon = newest - ttlMillis * 2
        var kept: [(Int64, Int32)] = []
        while let (time, filing) = expiries.top, time < horizon {
            expiries.pop()
            let f = Int(filing)
            guard filings[f].isLive else { continue }
            var remaining = 0
            var oldest = Int64.max
            for i in 0..<filings[f].count {
                let slot = filings[f].entries[i]
                let entryTime = filings[f].times[i]
                if entryTime < horizon {
                    unreference(slot)
                } else {
                    filings[f].entries[remaining] = slot
                    filings[f].times[remaining] = entryTime
                    remaining += 1
                    oldest = min(oldest, entryTime)
                }
            }
            filings[f].count = remaining
            if remaining == 0 {
                removeFiling(filing)
            } else {
                kept.append((oldest, filing))
            }
        }
        for (time, filing) in kept { expiries.push(time, filing) }
    }
}

/// A binary min-heap of (time, filing) pairs.
private struct ExpiryHeap {
    private var items: [(time: Int64, filing: Int32)] = []

    var top: (Int64, Int32)? { items.first.map { ($0.time, $0.filing) } }

    mutating func push(_ time: Int64, _ filing: Int32) {
        items.append((time, filing))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].time < items[parent].time else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left].time < items[smallest].time { smallest = left }
            if right < items.count, items[right].time < items[smallest].time { smallest = right }
            guard smallest != parent else { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
