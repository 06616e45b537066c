#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inputs of a run in reading order, the paths that could not be read, and the files left out on purpose.
public struct InputEnumeration: Sendable {
    /// Files to read, in run order (`index` matches the position here).
    public var files: [InputFile]
    /// Paths that do not exist or cannot be read, symbolic-link loops, entries that are not regular files.
    public var problems: [InputProblem]
    /// Files deliberately not read because they never hold log data (the S3 export probe object `aws-logs-write-test`).
    public var skipped: [String]

    public init(files: [InputFile] = [], problems: [InputProblem] = [], skipped: [String] = []) {
        self.files = files
        self.problems = problems
        self.skipped = skipped
    }
}

/// Turns the paths given on the command line into an ordered list of input files.
///
/// * `-` is standard input (listed once however often it is given).
/// * A file is taken as is; a symbolic link to a file is followed.
/// * A directory is walked recursively; entries are sorted by the bytes of their names, files and folders interleaved,
///   so every run reads the same files in the same order. Hidden entries (names starting with `.`) are left out, and so is
///   the probe object `aws-logs-write-test` that CloudWatch Logs writes beside an S3 export.
/// * Symbolic links inside directories are followed. A link that leads back to a folder being walked is reported once
///   as a problem and not followed; a folder or file reached a second time by another route is read only once.
/// * A path that cannot be read becomes a problem naming it with the system's reason; the other paths are still read.
public enum InputEnumerator {
    /// Name of the object CloudWatch Logs writes to check bucket permissions before an S3 export.
    public static let probeObjectName = "aws-logs-write-test"

    public static func enumerate(_ paths: [String]) -> InputEnumeration {
        var walker = Walker()
        for path in paths {
            walker.visitArgument(path)
        }
        var result = walker.result
        for i in result.files.indices {
            result.files[i].index = i
        }
        return result
    }
}

/// Device and inode: what makes a file or folder the same one whatever path reaches it.
private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

private enum FileKind {
    case regular, directory, symbolicLink, other(String)

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .other("a named pipe")
        case S_IFSOCK: self = .other("a socket")
        case S_IFCHR: self = .other("a character device")
        case S_IFBLK: self = .other("a block device")
        default: self = .other("not a regular file")
        }
    }
}

private struct Walker {
    var result = InputEnumeration()
    private var standardInputListed = false
    private var filesSeen: Set<FileIdentity> = []
    private var directoriesWalked: Set<FileIdentity> = []
    /// Folders on the current descent, innermost last, with the path that reached them.
    private var ancestors: [(identity: FileIdentity, path: String)] = []

    mutating func visitArgument(_ path: String) {
        if path == "-" {
            if !standardInputListed {
                standardInputListed = true
                result.files.append(InputFile(path: "-"))
            }
            return
        }
        if lastComponent(of: path) == InputEnumerator.probeObjectName {
            result.skipped.append(path)
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            problem(path, "cannot read: \(systemReason())")
            return
        }
        switch FileKind(mode: status.st_mode) {
        case .directory:
            let before = (result.files.count, result.problems.count, result.skipped.count)
            let walkedBefore = directoriesWalked.contains(FileIdentity(status))
            walk(directory: path, status: status)
            if !walkedBefore, (result.files.count, result.problems.count, result.skipped.count) == before {
                problem(path, "folder holds no files to read (hidden files are left out)")
            }
        case .regular:
            addFile(path, status: status, size: Int64(status.st_size))
        case .symbolicLink, .other:
            // Named explicitly: a pipe or device (e.g. `/dev/stdin`, a process substitution) is read as a stream.
            addFile(path, status: status, size: nil)
        }
    }

    private mutating func walk(directory path: String, status: stat) {
        let identity = FileIdentity(status)
        if let ancestor = ancestors.first(where: { $0.identity == identity }) {
            problem(path, "symbolic link loop: leads back to \(ancestor.path), not followed")
            return
        }
        guard directoriesWalked.insert(identity).inserted else { return }

        guard let names = readDirectory(path) else { return }
        ancestors.append((identity, path))
        defer { ancestors.removeLast() }

        for name in names {
            let child = join(path, name)
            if name == InputEnumerator.probeObjectName {
                result.skipped.append(child)
                continue
            }
            var linkStatus = stat()
            guard lstat(child, &linkStatus) == 0 else {
                problem(child, systemReason())
                continue
            }
            var childStatus = linkStatus
            if case .symbolicLink = FileKind(mode: linkStatus.st_mode) {
                guard stat(child, &childStatus) == 0 else {
                    problem(child, "broken symbolic link: \(systemReason())")
                    continue
                }
            }
            switch FileKind(mode: childStatus.st_mode) {
            case .directory:
                walk(directory: child, status: childStatus)
            case .regular:
                addFile(child, status: childStatus, size: Int64(childStatus.st_size))
            case .other(let what):
                problem(child, "not read: \(what)")
            case .symbolicLink:
                problem(child, "not read: unresolvable symbolic link")
            }
        }
    }

    /// Visible entry names of a folder, sorted by their bytes; `nil` (and a problem) when it cannot be read.
    private mutating func readDirectory(_ path: String) -> [String]? {
        guard let handle = opendir(path) else {
            problem(path, "cannot read directory: \(systemReason())")
            return nil
        }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 {
                    problem(path, "cannot read directory: \(systemReason())")
                }
                break
            }
            let decoded: String? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(validatingCString: $0)
                }
            }
            guard let name = decoded else {
                problem(path, "entry with a name that is not valid UTF-8 not read")
                continue
            }
            if name.utf8.first == UInt8(ascii: ".") { continue }   // ".", ".." and hidden entries
            names.append(name)
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return names
    }

    private mutating func addFile(_ path: String, status: stat, size: Int64?) {
        guard filesSeen.insert(FileIdentity(status)).inserted else { return }
        result.files.append(InputFile(path: path, size: size))
    }

    private mutating func problem(_ path: String, _ message: String) {
        result.problems.append(InputProblem(source: path, message: message))
    }

    private func systemReason() -> String {
        String(cString: strerror(errno))
    }

    private func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private func lastComponent(of path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}
