/// One input of a run: a file found on disk or standard input, with what its path tells about the log group and stream.
///
/// Hints come only from the path's folder names (the CloudWatch Logs S3-export layout, a folder named after the log group);
/// the content of the file may later say otherwise and wins.
public struct InputFile: Hashable, Sendable, CustomStringConvertible {
    /// The path to open, or `-` for standard input.
    public var path: String
    /// The file as the user recognises it: the path as given or joined under the given directory; `<stdin>` for `-`.
    public var displayName: String
    /// Size in bytes of a regular file, `nil` for standard input, pipes and devices.
    public var size: Int64?
    /// Position in the run order (0-based): arguments in the order given, directory contents sorted by name.
    public var index: Int
    /// `API-Gateway-Execution-Logs_{apiId}/{stage}` when two consecutive folders of the path spell it.
    public var logGroupHint: String?
    /// The log stream name when the path has the S3-export layout `…/<exportTaskId>/<logStreamName>/000000.gz`.
    public var logStreamHint: String?

    /// The display name used for standard input.
    public static let standardInputName = "<stdin>"

    /// Creates an input; the hints are derived from `path` (or from `displayName` for standard input, which has none).
    public init(path: String, displayName: String? = nil, size: Int64? = nil, index: Int = 0) {
        self.path = path
        self.displayName = displayName ?? (path == "-" ? Self.standardInputName : path)
        self.size = size
        self.index = index
        if path == "-" {
            logGroupHint = nil
            logStreamHint = nil
        } else {
            let hints = Self.pathHints(path)
            logGroupHint = hints.logGroup
            logStreamHint = hints.logStream
        }
    }

    /// Whether this input is standard input.
    public var isStandardInput: Bool { path == "-" }

    public var description: String { displayName }

    /// Log group and log stream names that the folders of `path` reveal.
    ///
    /// * Log group: the innermost pair of consecutive segments `API-Gateway-Execution-Logs_{apiId}` / `{stage}`.
    /// * Log stream: the folder holding a file named with six digits (`000000`, `000001.gz`), as CloudWatch Logs
    ///   writes exports to S3, unless that folder is the stage folder of the log group.
    public static func pathHints(_ path: String) -> (logGroup: String?, logStream: String?) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var logGroup: String?
        var stageSegmentIndex: Int?
        if segments.count >= 2 {
            for i in stride(from: segments.count - 2, through: 0, by: -1) {
                guard let apiId = segments[i].dropPrefix(logGroupPrefix), isApiIdentifier(apiId),
                      isStageName(segments[i + 1]) else { continue }
                logGroup = "\(segments[i])/\(segments[i + 1])"
                stageSegmentIndex = i + 1
                break
            }
        }
        var logStream: String?
        if segments.count >= 2, isExportChunkName(segments[segments.count - 1]) {
            let parentIndex = segments.count - 2
            let parent = segments[parentIndex]
            if parentIndex != stageSegmentIndex, parent != ".", parent != "..", !parent.hasPrefix(logGroupPrefix) {
                logStream = String(parent)
            }
        }
        return (logGroup, logStream)
    }

    static let logGroupPrefix = "API-Gateway-Execution-Logs_"

    /// REST API ids are 10 lowercase alphanumerics; accept any non-empty alphanumeric run so hand-made ids still work.
    private static func isApiIdentifier(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isASCIIAlphanumeric($0) }
    }

    /// Stage names: letters, digits, `_` and `-`.
    private static func isStageName(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// `000000`, `000001.gz`: six digits, optionally followed by `.gz`.
    private static func isExportChunkName(_ s: Substring) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count == 6 || (bytes.count == 9 && bytes[6...] == [0x2E, 0x67, 0x7A]) else { return false }
        return bytes[..<6].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}

private extension Substring {
    func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
