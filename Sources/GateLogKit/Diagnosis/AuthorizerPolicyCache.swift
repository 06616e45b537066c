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
    struct Key: Hashable {
        var apiId: String?
        var stage: String?
        var identity: String
    }

    public let ttlMillis: Int64
    private var entries: [Key: [Entry]] = [:]
    private var newest: Int64 = .min
    /// No entry filed is older than this.
    private var oldest: Int64 = .max
    private var insertions = 0

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
        for (index, identity) in identities.enumerated() where !identities[..<index].contains(identity) {
            Self.append(entry, to: &entries[Key(apiId: apiId, stage: stage, identity: identity), default: []])
        }
        oldest = min(oldest, entry.time)
        insertions += 1
        if insertions % 4096 == 0 { evict() }
    }

    /// Keeps the newest eight answers of one identity.
    private static func append(_ entry: Entry, to list: inout [Entry]) {
        list.append(entry)
        if list.count > 8 { list.removeFirst(list.count - 8) }
    }

    /// The most recent answer for one of `identities` given at most TTL before `time` (and not after it).
    public func lookup(apiId: String?, stage: String?, identities: [String], authorizerId: String?, at time: Int64?) -> Entry? {
        var best: Entry?
        for identity in identities {
            guard let list = entries[Key(apiId: apiId, stage: stage, identity: identity)] else { continue }
            for entry in list {
                if let authorizerId, let other = entry.authorizerId, authorizerId != other { continue }
                if let time {
                    guard entry.time <= time, time - entry.time <= ttlMillis else { continue }
                }
                if best == nil || entry.time > best!.time { best = entry }
            }
        }
        return best
    }

    /// Drops the entries older than twice the TTL, in place (filtering while iterating copied the whole table).
    private func evict() {
        let horizon = newest - ttlMillis * 2
        // Nothing filed is that old yet: the walk would change nothing.
        guard oldest < horizon else { return }
        var emptied: [Key] = []
        var kept = Int64.max
        for index in entries.indices {
            entries.values[index].removeAll { $0.time < horizon }
            if entries.values[index].isEmpty { emptied.append(entries.keys[index]) }
            for entry in entries.values[index] { kept = min(kept, entry.time) }
        }
        for key in emptied { entries[key] = nil }
        oldest = kept
    }
}
