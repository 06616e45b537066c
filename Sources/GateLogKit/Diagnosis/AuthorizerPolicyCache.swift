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
        public var methodArn: MethodARN?
        public var source: String
        /// The logged authorizer result, parsed only when a later denial is checked against it.
        public var policyText: String
    }

    public let ttlMillis: Int64
    private var entries: [String: [Entry]] = [:]
    private var newest: Int64 = .min
    private var insertions = 0

    public init(ttlSeconds: Int) {
        ttlMillis = Int64(max(0, ttlSeconds)) * 1000
    }

    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    /// The last six visible characters of a principal or token, masked or not: AWS's masks keep exactly these.
    public static func identityTail(_ value: String?) -> String? {
        guard let value else { return nil }
        let visible = value.filter { $0 != "*" && $0 != "." && $0 != "…" }
        guard !visible.isEmpty else { return nil }
        return String(visible.suffix(6))
    }

    static func key(apiId: String?, stage: String?, identity: String) -> String {
        "\(apiId ?? "?")/\(stage ?? "?")|\(identity)"
    }

    /// Remembers an authorizer answer under every identity it can be found by.
    public func remember(_ entry: Entry, apiId: String?, stage: String?, identities: [String]) {
        guard ttlMillis > 0 else { return }
        newest = max(newest, entry.time)
        for identity in Set(identities) {
            let key = Self.key(apiId: apiId, stage: stage, identity: identity)
            var list = entries[key] ?? []
            list.append(entry)
            if list.count > 8 { list.removeFirst(list.count - 8) }
            entries[key] = list
        }
        insertions += 1
        if insertions % 4096 == 0 { evict() }
    }

    /// The most recent answer for one of `identities` given at most TTL before `time` (and not after it).
    public func lookup(apiId: String?, stage: String?, identities: [String], authorizerId: String?, at time: Int64?) -> Entry? {
        var best: Entry?
        for identity in identities {
            guard let list = entries[Self.key(apiId: apiId, stage: stage, identity: identity)] else { continue }
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

    private func evict() {
        let horizon = newest - ttlMillis * 2
        for (key, list) in entries {
            let kept = list.filter { $0.time >= horizon }
            entries[key] = kept.isEmpty ? nil : kept
        }
    }
}
