import Foundation

/// A blocking FIFO of at most `capacity` elements between threads, used to hand work from one pipeline stage to the
/// next. `put` waits while the queue is full (so memory stays bounded), `take` waits while it is empty.
///
/// Thread safety: every access to the stored state happens under `condition`; that is why the class can be
/// `@unchecked Sendable`. The elements themselves are handed over, never shared: once `put`, the producer does not
/// touch an element again.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        items = Array(repeating: nil, count: max(1, capacity))
    }

    /// Appends `element`, waiting for room. Returns false (and drops the element) once the consumer has cancelled.
    @discardableResult
    func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == items.count && !cancelled { condition.wait() }
        if cancelled { return false }
        items[(head + count) % items.count] = element
        count += 1
        condition.broadcast()
        return true
    }

    /// The next element, waiting for one; nil once the producer has closed the queue and it is empty.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed && !cancelled { condition.wait() }
        guard count > 0, !cancelled else { return nil }
        let element = items[head]
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
        condition.broadcast()
        return element
    }

    /// Elements waiting to be taken.
    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Producer side: no more elements will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer side: stop; pending and future elements are dropped and a waiting producer is released.
    func cancel() {
        condition.lock()
        cancelled = true
        for i in items.indices { items[i] = nil }
        count = 0
        condition.broadcast()
        condition.unlock()
    }
}

/// Moves a value that is not `Sendable` to another thread. Safe only when the sender stops using the value once it
/// is sent (each use below documents that hand-over).
struct Handover<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Starts `body` on a new thread with a large stack; `done` is signalled when it returns.
func startThread(name: String, _ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.name = name
    thread.stackSize = 8 << 20
    thread.start()
    return done
}

/// The buffers a `ReadAheadPool` decodes into, allocated once and recycled: memory stays bounded however many files
/// and bytes go through.
///
/// Workers may run ahead across files, but the file the reading thread is on (the head) always gets a buffer: a file
/// ahead of it takes one only while more than `reserve` are free. So the head never waits on buffers parked in files
/// the reader has not reached, and the pool cannot deadlock.
final class ChunkPool: @unchecked Sendable {
    let chunkSize: Int
    private let condition = NSCondition()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var all: [UnsafeMutableRawBufferPointer] = []
    private var head = 0
    private let reserve: Int
    private var cancelled = false

    init(count: Int, chunkSize: Int, reserve: Int) {
        self.chunkSize = chunkSize
        self.reserve = min(reserve, count - 1)
        for _ in 0..<count {
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
            all.append(chunk)
            free.append(chunk)
        }
    }

    deinit {
        for chunk in all { chunk.deallocate() }
    }

    /// A free buffer for decoding file `file`, waiting for one; nil once the pool is cancelled.
    func take(for file: Int) -> UnsafeMutableRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && (free.isEmpty || (file > head && free.count <= reserve)) { condition.wait() }
        return cancelled ? nil : free.removeLast()
    }

    /// Returns a buffer once its bytes have been used.
    func give(_ chunk: UnsafeMutableRawBufferPointer) {
        condition.lock()
        free.append(chunk)
        condition.broadcast()
        condition.unlock()
    }

    /// The reading thread has moved on to file `file`.
    func moveHead(to file: Int) {
        condition.lock()
        head = file
        condition.broadcast()
        condition.unlock()
    }

    /// Shutdown: wakes and stops every waiting worker.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The decoded bytes of input files, produced ahead by worker threads (`--jobs`): each worker opens a file, undoes
/// gzip, and queues the decoded bytes in large buffers while the reading thread parses an earlier file (or the earlier
/// part of the same file: a single gzip file is inflated on a worker while the reading thread scans what came before).
/// Files are handed out to workers strictly in input order and consumed in input order, so the result never depends on
/// thread timing. Workers run ahead across as many files as the shared `ChunkPool` allows (bounded memory).
final class ReadAheadPool: @unchecked Sendable {
    /// One file's decoded bytes as they come from its worker.
    final class Stream: ByteSource, @unchecked Sendable {
        enum Piece {
            /// Decoded bytes, with the UTF-8 census of the file's bytes up to the end of this chunk and the raw bytes
            /// read from the file so far.
            case bytes(UnsafeMutableRawBufferPointer, count: Int, census: UTF8Census, rawBytes: Int64)
            /// A read error, after the bytes decoded before it; raw bytes read from the file until then.
            case failed(any Error, rawBytes: Int64)
            /// End of the file: raw (compressed) bytes read from it.
            case end(rawBytes: Int64)
        }

        let queue: BoundedQueue<Piece>
        /// Set by the worker before the first piece: why the file could not be opened.
        fileprivate(set) var openError: InputError?
        /// Set by the worker with `openError`: gzip layers found in the file.
        fileprivate(set) var gzipLayers = 0
        private let opened = DispatchSemaphore(value: 0)
        private var current: UnsafeMutableRawBufferPointer?
        private var currentCount = 0
        private var offset = 0
        /// Census of the bytes before `current`, and of those up to its end.
        private var censusBefore = UTF8Census()
        private var censusAfter = UTF8Census()
        private var sawEnd = false
        private var pendingError: (any Error)?
        private var failedAlready: (any Error)?
        private var finished = false
        /// Raw bytes of the file (compressed bytes for gzip) read by the worker for the bytes handed over so far; all
        /// of them once the whole file has been read (`isFinished`).
        private(set) var rawBytes: Int64 = 0
        var isFinished: Bool { finished }
        private let chunks: ChunkPool

        init(chunks: ChunkPool, queueCapacity: Int) {
            queue = BoundedQueue(capacity: queueCapacity)
            self.chunks = chunks
        }

        fileprivate func markOpened(_ error: InputError?) {
            openError = error
            opened.signal()
        }

        /// Waits until the worker has tried to open the file.
        func waitOpened() -> InputError? {
            opened.wait()
            opened.signal()
            return openError
        }

        /// The UTF-8 census of exactly the bytes `read` has returned (finished once it returned 0), as if the reading
        /// thread had fed them itself; the worker did the counting.
        var utf8: UTF8Census {
            var census = censusBefore
            if let chunk = current, offset > 0 {
                census.feed(UnsafeRawBufferPointer(rebasing: chunk[..<offset]))
            }
            if sawEnd { census.finish() }
            return census
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            giveBackLent()
            while true {
                if let chunk = current {
                    let n = min(buffer.count, currentCount - offset)
                    base.copyMemory(from: chunk.baseAddress! + offset, byteCount: n)
                    offset += n
                    if offset == currentCount {
                        // Used up: back to the workers at once, not on the next call.
                        current = nil
                        censusBefore = censusAfter
                        chunks.give(chunk)
                    }
                    return n
                }
                guard try takeNextChunk() else { return 0 }
            }
        }

        /// Takes the worker's next chunk into `current` (or its error or end); false at the end of the file. The
        /// worker's error is thrown once it is reached, and again on every later call.
        private func takeNextChunk() throws -> Bool {
            if let error = pendingError {
                pendingError = nil
                failedAlready = error
                throw error
            }
            if let error = failedAlready { throw error }
            if finished {
                sawEnd = true
                return false
            }
            switch queue.take() {
            case .bytes(let chunk, let count, let census, let raw)?:
                current = chunk
                currentCount = count
                offset = 0
                censusAfter = census
                rawBytes = raw
            case .failed(let error, let raw)?:
                pendingError = error
                rawBytes = raw
                finished = true
            case .end(let raw)?:
                rawBytes = raw
                finished = true
            case nil:
                finished = true
            }
            return true
        }

        /// The chunk `lend` handed out last, given back on the next `lend`, `read` or `skipRest`.
        private var lent: UnsafeMutableRawBufferPointer?

        @inline(__always)
        private func giveBackLent() {
            if let chunk = lent {
                lent = nil
                chunks.give(chunk)
            }
        }

        /// The next decoded bytes in place, without copying them: valid until the next `lend`, `read` or `skipRest`
        /// (the chunk then goes back to the workers). Empty at the end of the file; throws like `read`.
        func lend() throws -> UnsafeRawBufferPointer {
            giveBackLent()
            while true {
                if let chunk = current {
                    let region = UnsafeRawBufferPointer(start: chunk.baseAddress! + offset, count: currentCount - offset)
                    current = nil
                    offset = 0
                    censusBefore = censusAfter
                    lent = chunk
                    return region
                }
                guard try takeNextChunk() else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            }
        }

        /// Reads and drops the rest of an input abandoned early, so its worker and chunks move on.
        func skipRest() {
            giveBackLent()
            if let chunk = current {
                current = nil
                chunks.give(chunk)
            }
            while !finished {
                switch queue.take() {
                case .bytes(let chunk, _, _, let raw)?: rawBytes = raw; chunks.give(chunk)
                case .failed(_, let raw)?: rawBytes = raw; finished = true
                case .end(let raw)?: rawBytes = raw; finished = true
                case nil: finished = true
                }
            }
        }

        /// Stops at shutdown: queued chunks are dropped, a worker waiting for room is released.
        fileprivate func cancel() {
            queue.cancel()
            current = nil
            lent = nil
        }
    }

    private let files: [InputFile]
    private var streams: [Stream?]
    private let lock = NSCondition()
    private var nextFile = 0
    /// The file the reading thread is on; workers start a file at most `maxFilesAhead` beyond it.
    private var readerIndex = 0
    private let maxFilesAhead: Int
    private var stopped = false
    private let chunks: ChunkPool
    private let queueCapacity: Int
    private var workerDone: [DispatchSemaphore] = []
    /// Streams announced to the reading thread, one slot per file; the semaphore per slot says "stream created".
    private var ready: [DispatchSemaphore]

    /// - Parameters:
    ///   - chunkSize: bytes per buffer handed over (zlib inflates straight into it).
    ///   - chunks: buffers in all, shared by every file in flight (memory is `chunks * chunkSize`).
    ///   - chunksPerFile: decoded buffers queued for one file at most (a single big file uses no more).
    init(files: [InputFile], workers: Int, chunkSize: Int = 1 << 20, chunks chunkCount: Int = 6, chunksPerFile: Int = 3,
         maxFilesAhead: Int = 256) {
        self.files = files
        streams = Array(repeating: nil, count: files.count)
        ready = files.map { _ in DispatchSemaphore(value: 0) }
        let workerCount = max(1, min(workers, files.count))
        self.maxFilesAhead = max(workerCount, maxFilesAhead)
        // The head file keeps two buffers for itself (one being filled, one being read) whatever the files ahead hold.
        let count = max(chunkCount, workerCount + 3)
        chunks = ChunkPool(count: count, chunkSize: chunkSize, reserve: 2)
        // Room for the file's end piece too. A worker waiting to queue holds one buffer at most, and the head's two
        // stay free for it whatever the others wait for.
        queueCapacity = max(1, chunksPerFile) + 1
        for index in 0..<workerCount {
            workerDone.append(startThread(name: "gatelog-decode-\(index)") { [self] in work() })
        }
    }

    /// The decoded stream of file `index`; files must be asked for in order.
    func stream(_ index: Int) -> Stream {
        lock.lock()
        readerIndex = index
        if index > 0 { streams[index - 1] = nil }
        lock.broadcast()
        lock.unlock()
        chunks.moveHead(to: index)
        ready[index].wait()
        lock.lock()
        defer { lock.unlock() }
        return streams[index]!
    }

    /// Lets the workers finish (after the reader stopped early or at the end) and waits for them.
    func shutdown() {
        lock.lock()
        stopped = true
        lock.broadcast()
        let pending = streams.compactMap { $0 }
        lock.unlock()
        for stream in pending { stream.cancel() }
        chunks.cancel()
        for done in workerDone { done.wait() }
        lock.lock()
        for i in streams.indices where streams[i] != nil { streams[i] = nil }
        lock.unlock()
    }

    private func work() {
        while true {
            lock.lock()
            while !stopped, nextFile < files.count, nextFile > readerIndex + maxFilesAhead { lock.wait() }
            if stopped || nextFile >= files.count {
                lock.unlock()
                return
            }
            let index = nextFile
            nextFile += 1
            let stream = Stream(chunks: chunks, queueCapacity: queueCapacity)
            streams[index] = stream
            lock.unlock()
            ready[index].signal()
            decode(files[index], index: index, into: stream)
        }
    }

    private func decode(_ file: InputFile, index: Int, into stream: Stream) {
        let source: DecodedSource
        do {
            source = try InputOpener.open(file)
        } catch let error as InputError {
            stream.markOpened(error)
            stream.queue.close()
            return
        } catch {
            stream.markOpened(InputError(source: file.displayName, message: "\(error)"))
            stream.queue.close()
            return
        }
        stream.gzipLayers = source.gzipLayers
        stream.markOpened(nil)
        // The census is taken here, chunk by chunk, instead of on the reading thread.
        source.countsUTF8 = false
        var census = UTF8Census()
        while true {
            guard let chunk = chunks.take(for: index) else { break }
            var filled = 0
            var failure: (any Error)?
            do {
                while filled < chunk.count {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[filled...]))
                    if n == 0 { break }
                    filled += n
                }
            } catch {
                failure = error
            }
            if filled > 0 {
                census.feed(UnsafeRawBufferPointer(start: chunk.baseAddress, count: filled))
                let piece = Stream.Piece.bytes(chunk, count: filled, census: census, rawBytes: source.bytesRead)
                guard stream.queue.put(piece) else { chunks.give(chunk); break }
            } else {
                chunks.give(chunk)
            }
            if let failure {
                stream.queue.put(.failed(failure, rawBytes: source.bytesRead))
                break
            }
            if filled < chunk.count {
                stream.queue.put(.end(rawBytes: source.bytesRead))
                break
            }
        }
        stream.queue.close()
    }
}
