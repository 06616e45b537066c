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
        private let digest: UInt64

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
    /// One filed answer, shared by the lists of all identities it is filed under.
    private final class Filed {
        let entry: Entry
        init(_ entry: Entry) { self.entry = entry }
    }

    private var entries: [Key: [Filed]] = [:]
    private var newest: Int64 = .min
    private var insertions = 0
    /// For every key, a (time, key) with a time no later than the key's oldest entry, soonest on top: eviction
    /// visits only the keys that may hold an entry older than its horizon instead of walking the whole table.
    private var expiries = ExpiryHeap()

    public init(ttlSeconds: Int) {
        ttlMillis = Int64(max(0, ttlSeconds)) * 1000
    }

    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }

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
        let filed = Filed(entry)
        for (index, identity) in identities.enumerated() where !identities[..<index].contains(identity) {
            let key = Key(apiId: apiId, stage: stage, identity: identity)
            if Self.append(filed, to: &entries[key, default: []]) { expiries.push(entry.time, key) }
        }
        insertions += 1
        if insertions % 4096 == 0 { evict() }
    }

    /// Keeps the newest eight answers of one identity; true when `entry` is older than all the list held before
    /// (then `expiries` needs its time).
    private static func append(_ entry: Filed, to list: inout [Filed]) -> Bool {
        let isOldest = list.allSatisfy { $0.entry.time > entry.entry.time }
        list.append(entry)
        if list.count > 8 { list.removeFirst(list.count - 8) }
        return isOldest
    }

    /// The most recent answer for one of `identities` given at most TTL before `time` (and not after it).
    public func lookup(apiId: String?, stage: String?, identities: [String], authorizerId: String?, at time: Int64?) -> Entry? {
        var best: Entry?
        for identity in identities {
            guard let list = entries[Key(apiId: apiId, stage: stage, identity: identity)] else { continue }
            for filed in list {
                let entry = filed.entry
                if let authorizerId, let other = entry.authorizerId, authorizerId != other { continue }
                if let time {
                    guard entry.time <= time, time - entry.time <= ttlMillis else { continue }
                }
                if best == nil || entry.time > best!.time { best = entry }
            }
        }
        return best
    }

    /// Drops the entries older than twice the TTL. Every key holding such an entry has a (time, key) older than
    /// the horizon in `expiries`: popping those and filtering their keys' lists leaves exactly what filtering every
    /// list would. A key that keeps entries gets its new oldest time back into `expiries`.
    private func evict() {
        let horizon = newest - ttlMillis * 2
        var kept: [(Int64, Key)] = []
        while let (time, key) = expiries.top, time < horizon {
            expiries.pop()
            guard let index = entries.index(forKey: key) else { continue }
            entries.values[index].removeAll { $0.entry.time < horizon }
            if entries.values[index].isEmpty {
                entries.remove(at: index)
            } else if let oldest = entries.values[index].lazy.map(\.entry.time).min() {
                kept.append((oldest, key))
            }
        }
        for (time, key) in kept { expiries.push(time, key) }
    }
}

/// A binary min-heap of (time, key) pairs; keys are boxed so that sifting moves 16 bytes, not a key's strings.
private struct ExpiryHeap {
    private final class Box {
        let key: AuthorizerPolicyCache.Key
        init(_ key: AuthorizerPolicyCache.Key) { self.key = key }
    }

    private var items: [(time: Int64, box: Box)] = []

    var top: (Int64, AuthorizerPolicyCache.Key)? { items.first.map { ($0.time, $0.box.key) } }

    mutating func push(_ time: Int64, _ key: AuthorizerPolicyCache.Key) {
        items.append((time, Box(key)))
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
