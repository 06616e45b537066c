import Foundation

/// One line of a request's lifecycle: where it came from, when, and which message it is.
/// The text lives in the owning `RequestLifecycle`'s byte arena.
public struct LifecycleLine: Sendable {
    public var timestamp: Int64?
    /// Index into the run's `FileTable`.
    public var file: Int32
    /// 1-based line in the decompressed input, 0 when unknown.
    public var line: Int32
    public var kind: MessageKind
    /// Position in the whole run's input order (ties between equal timestamps keep this order).
    public var sequence: Int64
    @usableFromInline var textStart: Int32
    @usableFromInline var textEnd: Int32
}

/// The names of the inputs of one run, indexed by `LifecycleLine.file`.
/// Thread safe (a lock guards `names`): the reading thread adds files while the diagnosis thread cites them.
public final class FileTable: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
    public init() {}
    @discardableResult
    public func add(_ name: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        storage.append(name)
        return Int32(storage.count - 1)
    }
    public subscript(index: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return index >= 0 && Int(index) < storage.count ? storage[Int(index)] : "?"
    }
    /// `file:line` for a lifecycle line.
    public func source(of line: LifecycleLine) -> SourceLocation {
        SourceLocation(file: self[line.file], line: line.line > 0 ? Int(line.line) : nil)
    }
}

/// Every line gatelog saw for one request, in order (timestamp, then input order), plus the access-log records
/// that joined it. Created by `RequestGrouper`; immutable once handed out.
public final class RequestLifecycle {
    public private(set) var key: RequestKey
    /// The request id as AWS wrote it.
    public private(set) var requestId: String
    public internal(set) var lines: [LifecycleLine] = []
    public internal(set) var origin: RecordOrigin?
    /// Raw access-log records (their message text) that name this request.
    public internal(set) var accessRecords: [String] = []
    /// Sources of `accessRecords`, in the same order.
    public internal(set) var accessSources: [SourceLocation] = []
    /// `accessRecords` parsed (once, when the grouper met them), in the same order.
    public internal(set) var accessLogRecords: [AccessLogRecord] = []

    /// One bit per `MessageKind` present among `lines`, for O(1) "does this request have a … line?".
    public internal(set) var kinds: UInt64 = 0

    @usableFromInline var arena: [UInt8] = []
    var lastTouch: Int64 = 0
    /// Bytes the grouper counted against its open-request budget for this request.
    var accountedBytes = 0
    var verdictAt: Int64 = -1
    /// Lines of this request were dropped (over `GroupingPolicy.maxRequestLines`/`maxRequestBytes`).
    var linesDropped = false

    init(key: RequestKey, requestId: String) {
        self.key = key
        self.requestId = requestId
    }

    /// The message text (after the `(<id>) ` prefix) of one of this request's lines.
    public func text(of line: LifecycleLine) -> String {
        arena.withUnsafeBytes { bytes in
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(line.textStart)..<Int(line.textEnd)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the raw bytes of one line's text.
    public func withText<R>(of line: LifecycleLine, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes[Int(line.textStart)..<Int(line.textEnd)]))
        }
    }

    /// The text after `key` in one line, up to the first of `terminators` (or the end, or ` [TRUNCATED]`), read
    /// straight from the bytes; nil when the key is absent or the value empty.
    public func scanValue(of line: LifecycleLine, after key: StaticString, until terminators: [UInt8]) -> String? {
        withText(of: line) { text in
            let needle = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            guard let at = ByteSearch.firstIndex(of: needle, in: text) else { return nil }
            let start = at + needle.count
            var end = start
            while end < text.count, !terminators.contains(text[end]) { end += 1 }
            guard end > start else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
        }
    }

    /// The first line of the given kind.
    public func first(_ kind: MessageKind) -> LifecycleLine? {
        lines.first { $0.kind == kind }
    }

    /// The text of the first line of the given kind.
    public func firstText(_ kind: MessageKind) -> String? {
        first(kind).map { text(of: $0) }
    }

    public func contains(_ kind: MessageKind) -> Bool {
        kinds & (1 << UInt64(kind.rawValue)) != 0
    }

    /// Whether any line is of one of `kinds`.
    public func containsAny(_ kinds: [MessageKind]) -> Bool {
        kinds.contains { contains($0) }
    }

    public var startTime: Int64? { lines.lazy.compactMap(\.timestamp).min() }
    public var endTime: Int64? { lines.lazy.compactMap(\.timestamp).max() }

    func addAccess(_ access: AccessEntry) {
        accessRecords.append(access.text)
        accessSources.append(access.source)
        accessLogRecords.append(access.record)
    }

    /// Empties a finished lifecycle for another request, keeping the capacity of its line list and text arena.
    func reuse(key: RequestKey, requestId: String) {
        self.key = key
        self.requestId = requestId
        lines.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        origin = nil
        if !accessRecords.isEmpty {
            accessRecords = []
            accessSources = []
            accessLogRecords = []
        }
        kinds = 0
        lastTouch = 0
        accountedBytes = 0
        verdictAt = -1
        linesDropped = false
    }

    /// Room for a typical request (tens of lines, a few KiB of text), so appends rarely reallocate.
    func reserveForLines() {
        lines.reserveCapacity(24)
        arena.reserveCapacity(4096)
    }

    @inline(__always)
    func append(text: UnsafeRawBufferPointer, kind: MessageKind, timestamp: Int64?, file: Int32, line: Int, sequence: Int64) {
        let start = Int32(arena.count)
        if text.count > 0 { arena.append(contentsOf: text) }
        kinds |= 1 << UInt64(kind.rawValue)
        lines.append(LifecycleLine(timestamp: timestamp, file: file, line: Int32(clamping: line), kind: kind,
                                   sequence: sequence, textStart: start, textEnd: Int32(arena.count)))
    }

    /// Orders lines by timestamp, then input order. Lines without a timestamp keep their input position
    /// (a paste without timestamps is already in order).
    func sortLines() {
        guard lines.count > 1, lines.allSatisfy({ $0.timestamp != nil }) else { return }
        var sorted = true
        for i in 1..<lines.count where lines[i - 1].timestamp! > lines[i].timestamp! {
            sorted = false
            break
        }
        if !sorted {
            lines.sort { a, b in
                a.timestamp! != b.timestamp! ? a.timestamp! < b.timestamp! : a.sequence < b.sequence
            }
        }
    }
}

/// An access-log record as the grouper keeps it: its text (for evidence), where it was, and its parsed fields.
struct AccessEntry {
    var text: String
    var source: SourceLocation
    var record: AccessLogRecord
}
