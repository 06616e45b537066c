#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor (standard output, or a file given with `-o`), used by every renderer.
/// Write errors are remembered (not thrown per call) and reported by `close()`.
public final class OutputWriter {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    public private(set) var failure: String?
    /// Whether the destination is a terminal (colour, progress decisions).
    public let isTerminal: Bool

    public init(descriptor: Int32, capacity: Int = 1 << 16) {
        self.fd = descriptor
        self.ownsDescriptor = false
        self.capacity = capacity
        self.isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(capacity)
    }

    /// Creates (or truncates) `path` for writing.
    public init(path: String, capacity: Int = 1 << 16) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(source: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        self.fd = descriptor
        self.ownsDescriptor = true
        self.capacity = capacity
        self.isTerminal = false
        buffer.reserveCapacity(capacity)
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func write(bytes: UnsafeRawBufferPointer) {
        if buffer.count + bytes.count > capacity { flush() }
        if bytes.count >= capacity {
            writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; returns the first write error, if any.
    @discardableResult
    public func close() -> String? {
        flush()
        if ownsDescriptor {
            #if canImport(Glibc)
            Glibc.close(fd)
            #else
            Darwin.close(fd)
            #endif
        }
        return failure
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fd, pointer, remaining)
            #else
            let n = Darwin.write(fd, pointer, remaining)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            pointer += n
            remaining -= n
        }
    }
}
