import Testing
@testable import GateLogKit

/// The authorizer cache drops entries older than twice the TTL every 4096 filings. Its state must be what filtering
/// every list would give: checked against a plain model over requests arriving out of time order.
@Suite struct AuthorizerPolicyCacheEvictionTests {
    /// The rules written plainly: newest eight per identity, a full filter every 4096 filings.
    struct Model {
        var lists: [String: [(time: Int64, id: String)]] = [:]
        var newest = Int64.min
        var insertions = 0
        let ttl: Int64

        mutating func remember(time: Int64, id: String, identities: [String]) {
            newest = max(newest, time)
            for identity in Set(identities) {
                lists[identity, default: []].append((time, id))
                if lists[identity]!.count > 8 { lists[identity]!.removeFirst(lists[identity]!.count - 8) }
            }
            insertions += 1
            if insertions % 4096 == 0 {
                let horizon = newest - ttl * 2
                for key in Array(lists.keys) {
                    lists[key]!.removeAll { $0.time < horizon }
                    if lists[key]!.isEmpty { lists[key] = nil }
                }
            }
        }

        var count: Int { lists.values.reduce(0) { $0 + $1.count } }

        func lookup(_ identity: String, at time: Int64) -> String? {
            var best: (time: Int64, id: String)?
            for entry in lists[identity] ?? [] where entry.time <= time && time - entry.time <= ttl {
                if best == nil || entry.time > best!.time { best = entry }
            }
            return best?.id
        }
    }

    @Test func evictionMatchesFilteringEveryList() {
        let ttlSeconds = 60
        let cache = AuthorizerPolicyCache(ttlSeconds: ttlSeconds)
        var model = Model(ttl: Int64(ttlSeconds) * 1000)
        var generator = SystemRandomNumberGenerator()
        var clock: Int64 = 1_700_000_000_000
        for n in 0..<30_000 {
            clock += Int64.random(in: 0...40, using: &generator)
            // Requests finish out of order: a start time up to three minutes back.
            let time = clock - Int64.random(in: 0...180_000, using: &generator)
            let identities = ["p:" + String(Int.random(in: 0..<3000, using: &generator)),
                              "t:" + String(Int.random(in: 0..<50, using: &generator))]
            let id = "req-\(n)"
            let entry = AuthorizerPolicyCache.Entry(
                requestId: id, time: time, authorizerId: "auth1", principalId: nil, region: "eu-west-1",
                account: "123456789012", location: SourceLocation(file: "exec.log", line: n + 1), policyText: "{}")
            cache.remember(entry, apiId: "k7x2mq9zt1", stage: "prod", identities: identities)
            model.remember(time: time, id: id, identities: identities)
            if n % 997 == 0 {
                #expect(cache.count == model.count, "after \(n + 1) filings")
                for probe in 0..<40 {
                    let identity = probe % 2 == 0 ? "p:" + String(Int.random(in: 0..<3000, using: &generator))
                                                  : "t:" + String(Int.random(in: 0..<50, using: &generator))
                    let at = clock - Int64.random(in: 0...200_000, using: &generator)
                    let found = cache.lookup(apiId: "k7x2mq9zt1", stage: "prod", identities: [identity], authorizerId: "auth1", at: at)
                    #expect(found?.requestId == model.lookup(identity, at: at), "\(identity) at \(at)")
                }
            }
        }
        #expect(model.count < 30_000 * 2)
    }
}
