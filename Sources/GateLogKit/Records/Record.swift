/// The log group and stream a record came from, when the container says so (JSON `logStreamName`, subscription
/// `logGroup`/`logStream`, Insights `@log`, or S3 export folder names). One instance is shared by many records.
public final class RecordOrigin: Sendable, Equatable {
    public let logGroup: String?
    public let logStream: String?
    /// The record came from the API Gateway console's Test output (`Thu Aug 31 01:07:25 UTC 2017 : …`): test traffic.
    public let isConsoleTestInvoke: Bool

    public init(logGroup: String?, logStream: String?, isConsoleTestInvoke: Bool = false) {
        self.logGroup = logGroup
        self.logStream = logStream
        self.isConsoleTestInvoke = isConsoleTestInvoke
    }

    public static func == (a: RecordOrigin, b: RecordOrigin) -> Bool {
        a === b || (a.logGroup == b.logGroup && a.logStream == b.logStream && a.isConsoleTestInvoke == b.isConsoleTestInvoke)
    }
}

/// One log event as its container delivered it. The message bytes are borrowed: valid only during the callback.
public struct Record {
    /// Event time in milliseconds since the Unix epoch (UTC), when the container carries one.
    public var timestamp: Int64?
    /// The CloudWatch `message` field: for execution logs `(<requestId>) <text>`.
    public var message: UnsafeRawBufferPointer
    /// 1-based line in the decompressed input where the record starts; 0 when the format has no meaningful lines.
    public var line: Int
    public var origin: RecordOrigin?

    public init(timestamp: Int64?, message: UnsafeRawBufferPointer, line: Int, origin: RecordOrigin?) {
        self.timestamp = timestamp
        self.message = message
        self.line = line
        self.origin = origin
    }
}

/// Input that carries no log event but is accounted for, so that every input line shows up in the totals.
public enum SkippedInput: String, Sendable, CaseIterable {
    /// Empty or whitespace-only lines.
    case blank
    /// Container syntax: JSON brackets and keys of a pretty-printed document, CSV/Markdown headers, banners.
    case container
    /// CloudWatch `CONTROL_MESSAGE` envelopes and the S3 `aws-logs-write-test` probe.
    case control
}

/// Receives what a container reader finds, in input order.
public protocol RecordSink: AnyObject {
    /// A log event (multi-line messages arrive whole: readers join continuation lines).
    func receive(_ record: Record) throws
    /// Input that holds no event, counted so totals reconcile.
    func skip(_ what: SkippedInput, count: Int)
    /// Something wrong in the input that does not stop reading it.
    func problem(_ problem: InputProblem)
}
