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

/// The decoded bytes of input files, produced ahead by worker threads (`--jobs`): each worker opens a file, undoes
/// gzip, and queues the decoded bytes in large chunks while the reading thread parses an earlier file. Files are handed
/// out to workers strictly in input order and consumed in input order, so the result never depends on thread timing;
/// at most `workers` files are in flight, each with at most `chunksPerFile` chunks queued (bounded memory).
final class ReadAheadPool: @unchecked Sendable {
    /// One file's decoded bytes as they come from its worker.
    final class Stream: ByteSource, @unchecked Sendable {
        enum Piece {
            case bytes(UnsafeMutableRawBufferPointer, count: Int)
            /// A read error, after the bytes decoded before it; raw bytes read from the file until then.
            case failed(any Error, rawBytes: Int64)
            /// End of the file: raw (compressed) bytes read from it.
            case end(rawBytes: Int64)
        }

        let queue: BoundedQueue<Piece>
        /// Set by the worker before the first piece: why the file could not be opened.
        fileprivate(set) var openError: InputError?
        private let opened = DispatchSemaphore(value: 0)
        private var current: UnsafeMutableRawBufferPointer?
        private var currentCount = 0
        private var offset = 0
        private var pendingError: (any Error)?
        private var failedAlready: (any Error)?
        private var finished = false
        /// Raw bytes of the file (compressed bytes for gzip), known once the whole file has been read (`isFinished`).
        private(set) var rawBytes: Int64 = 0
        var isFinished: Bool { finished }
        private let recycle: BoundedQueue<UnsafeMutableRawBufferPointer>

        init(chunks: Int, recycle: BoundedQueue<UnsafeMutableRawBufferPointer>) {
            queue = BoundedQueue(capacity: chunks)
            self.recycle = recycle
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

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            while true {
                if let chunk = current {
                    if offset < currentCount {
                        let n = min(buffer.count, currentCount - offset)
                        base.copyMemory(from: chunk.baseAddress! + offset, byteCount: n)
                        offset += n
                        return n
                    }
                    current = nil
                    recycle.put(chunk)
                }
                if let error = pendingError {
                    pendingError = nil
                    failedAlready = error
                    throw error
                }
                if let error = failedAlready { throw error }
                if finished { return 0 }
                switch queue.take() {
                case .bytes(let chunk, let count)?:
                    current = chunk
                    currentCount = count
                    offset = 0
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
            }
        }

        /// Reads and drops the rest of an input abandoned early, so its worker and chunks move on.
        func skipRest() {
            if let chunk = current { recycle.put(chunk); current = nil }
            while !finished {
                switch queue.take() {
                case .bytes(let chunk, _)?: recycle.put(chunk)
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
        }
    }

    let chunkSize: Int
    private let files: [InputFile]
    private var streams: [Stream?]
    private let lock = NSCondition()
    private var nextFile = 0
    /// The file the reading thread is on; workers start a file only while fewer than `workerCount` are in flight.
    private var readerIndex = 0
    private let workerCount: Int
    private var stopped = false
    private let recycle: BoundedQueue<UnsafeMutableRawBufferPointer>
    private var allocated: [UnsafeMutableRawBufferPointer] = []
    private var workerDone: [DispatchSemaphore] = []
    /// Streams announced to the reading thread, one slot per file; the semaphore per slot says "stream created".
    private var ready: [DispatchSemaphore]

    init(files: [InputFile], workers: Int, chunkSize: Int = 1 << 20, chunksPerFile: Int = 4) {
        self.files = files
        self.chunkSize = chunkSize
        streams = Array(repeating: nil, count: files.count)
        ready = files.map { _ in DispatchSemaphore(value: 0) }
        let workerCount = max(1, min(workers, files.count))
        self.workerCount = workerCount
        // Every chunk in flight comes from this pool: (chunks per file + 2) per worker, allocated once.
        let total = workerCount * (chunksPerFile + 2)
        recycle = BoundedQueue(capacity: total)
        for _ in 0..<total {
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
            allocated.append(chunk)
            recycle.put(chunk)
        }
        for index in 0..<workerCount {
            let chunks = chunksPerFile
            workerDone.append(startThread(name: "gatelog-decode-\(index)") { [self] in work(chunksPerFile: chunks) })
        }
    }

    deinit {
        for chunk in allocated { chunk.deallocate() }
    }

    /// The decoded stream of file `index`; files must be asked for in order.
    func stream(_ index: Int) -> Stream {
        lock.lock()
        readerIndex = index
        if index > 0 { streams[index - 1] = nil }
        lock.broadcast()
        lock.unlock()
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
        recycle.cancel()
        for done in workerDone { done.wait() }
        lock.lock()
        for i in streams.indices where streams[i] != nil { streams[i] = nil }
        lock.unlock()
    }

    private func work(chunksPerFile: Int) {
        while true {
            lock.lock()
            while !stopped, nextFile < files.count, nextFile >= readerIndex + workerCount { lock.wait() }
            if stopped || nextFile >= files.count {
                lock.unlock()
                return
            }
            let index = nextFile
            nextFile += 1
            let stream = Stream(chunks: chunksPerFile, recycle: recycle)
            streams[index] = stream
            lock.unlock()
            ready[index].signal()
            decode(files[index], into: stream)
        }
    }

    private func decode(_ file: InputFile, into stream: Stream) {
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
        stream.markOpened(nil)
        while true {
            guard let chunk = recycle.take() else { break }
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
                guard stream.queue.put(.bytes(chunk, count: filled)) else { recycle.put(chunk); break }
            } else {
                recycle.put(chunk)
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
