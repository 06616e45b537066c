import Foundation

/// Finished lifecycles handed back for another request once nothing else holds them, so that the grouper does not
/// allocate — and the diagnosis thread free — a line list and a text arena for every request. Thread safe.
public final class LifecyclePool: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [RequestLifecycle] = []
    /// Lifecycles kept at most.
    let limit: Int
    /// A lifecycle whose arena grew past this is let go: one huge request must not pin its memory.
    let largestArena: Int

    public init(limit: Int = 512, largestArena: Int = 64 << 10) {
        self.limit = limit
        self.largestArena = largestArena
    }

    /// Keeps the lifecycles of `batch` that only `batch` refers to (the caller kept no reference), up to `limit`.
    func takeBack<Extra>(_ batch: inout [(RequestLifecycle, Extra)]) {
        var unused: [RequestLifecycle] = []
        unused.reserveCapacity(batch.count)
        for index in batch.indices where isKnownUniquelyReferenced(&batch[index].0) {
            let lifecycle = batch[index].0
            if lifecycle.arena.capacity <= largestArena { unused.append(lifecycle) }
        }
        batch = []
        guard !unused.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        let room = limit - spare.count
        if room > 0 { spare.append(contentsOf: unused.prefix(room)) }
    }

    /// Moves the spare lifecycles into `stash` (when it is empty), one lock for many requests.
    func refill(_ stash: inout [RequestLifecycle]) {
        lock.lock()
        defer { lock.unlock() }
        swap(&stash, &spare)
    }
}
