#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull-based stream of bytes: a file, standard input, or a decoder wrapped around another source.
///
/// `read(into:)` fills as much of the buffer as it can and returns the number of bytes written; `0` means end of stream.
/// Errors are `InputError`s that name the input.
public protocol ByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file descriptor with `read(2)`. Owns the descriptor when created from a path.
public final class FileDescriptorSource: ByteSource {
    public let displayName: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` for reading; throws an `InputError` naming the file when it cannot be opened.
    public init(path: String, displayName: String? = nil) throws {
        let name = displayName ?? path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(source: name, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.fd = descriptor
        self.displayName = name
        self.ownsDescriptor = true
    }

    /// Wraps an already open descriptor (standard input) without taking ownership.
    public init(descriptor: Int32, displayName: String) {
        self.fd = descriptor
        self.displayName = displayName
        self.ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 {
                bytesRead += Int64(n)
                return n
            }
            if errno == EINTR { continue }
            throw InputError(source: "\(displayName)@\(bytesRead)", message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// An in-memory byte source, for tests and for payloads decoded from inside another format (base64 subscription data).
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
