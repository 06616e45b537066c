import Testing
@testable import GateLogKit

/// Finished lifecycles are reused only when nothing but the diagnosis batch holds them, and come back empty.
struct LifecyclePoolTests {
    static func key(_ id: String) -> RequestKey {
        var text = id
        return text.withUTF8 { RequestKey.uuid(UnsafeRawBufferPointer($0))! }
    }

    static func finished(_ id: String, lines: Int) -> RequestLifecycle {
        let lifecycle = RequestLifecycle(key: key(id), requestId: id)
        for n in 0..<lines {
            var text = "Method request body before transformations: \(n)"
            text.withUTF8 {
                lifecycle.append(text: UnsafeRawBufferPointer($0), kind: .methodRequestBody, timestamp: 1_000 + Int64(n),
                                 file: 0, line: n + 1, sequence: Int64(n))
            }
        }
        return lifecycle
    }

    @Test func onlyLifecyclesNobodyElseHoldsAreTakenBackAndTheyComeBackEmpty() throws {
        let pool = LifecyclePool()
        let kept = Self.finished("0b1f2c6e-3d4a-4f5b-8c6d-7e8f9a0b1c2d", lines: 3)
        var batch = [kept, Self.finished("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", lines: 5)].map { ($0, RequestFacts($0)) }
        pool.takeBack(&batch)
        #expect(batch.isEmpty)
        var stash: [RequestLifecycle] = []
        pool.refill(&stash)
        #expect(stash.count == 1)
        let reused = try #require(stash.first)
        #expect(reused !== kept)
        #expect(reused.requestId == "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
        reused.reuse(key: Self.key("2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a"), requestId: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a")
        #expect(reused.lines.isEmpty && reused.arena.isEmpty && reused.kinds == 0 && reused.origin == nil)
        #expect(reused.arena.capacity > 0)
        #expect(reused.requestId == "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a")
        #expect(!reused.contains(.methodRequestBody))
        #expect(kept.lines.count == 3)
    }

    @Test func aLifecycleWithAHugeArenaIsLetGo() {
        let pool = LifecyclePool(largestArena: 64)
        var batch = [Self.finished("3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b", lines: 10)].map { ($0, RequestFacts($0)) }
        pool.takeBack(&batch)
        var stash: [RequestLifecycle] = []
        pool.refill(&stash)
        #expect(stash.isEmpty)
    }
}
