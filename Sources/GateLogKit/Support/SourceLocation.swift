/// Where a piece of input came from: a file (as the user named it) and a 1-based line, when known.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file as shown to users (`-` for standard input).
    public var file: String
    /// 1-based line number inside the decompressed text, or `nil` when the format has no lines (e.g. a JSON event).
    public var line: Int?

    public init(file: String, line: Int?) {
        self.file = file
        self.line = line
    }

    /// `file:line`, or just `file` when no line is known.
    public var description: String {
        if let line { return "\(file):\(line)" }
        return file
    }
}

/// Something wrong with the input that the user must be told about: it names the file (and line or byte offset)
/// and says what happened. Problems never stop the run by themselves; they make the exit code 3.
public struct InputProblem: Hashable, Sendable, CustomStringConvertible {
    /// `file`, `file:line` or `file@byteOffset`.
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// An error that stops reading one input (the run goes on with the next input).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var problem: InputProblem
    public init(source: String, message: String) {
        problem = InputProblem(source: source, message: message)
    }
    public var description: String { problem.description }
}
