/// Where the request id and the text sit inside one execution-log message, and which message it is.
public struct MessageHeader: Sendable, Equatable {
    /// Byte range of the request id (without the parentheses) inside the message; nil when the message has no prefix.
    public var idRange: Range<Int>?
    /// Offset of the text after `(<id>) ` (0 when there is no prefix).
    public var textStart: Int
    public var kind: MessageKind

    public init(idRange: Range<Int>?, textStart: Int, kind: MessageKind) {
        self.idRange = idRange
        self.textStart = textStart
        self.kind = kind
    }
}

/// Recognizes execution-log messages on bytes: finds the `(<requestId>) ` prefix and dispatches on the first bytes of
/// the text to one `MessageKind`, without allocating.
public enum MessageRecognizer {
    /// Recognizes one message (the CloudWatch `message` field, container prefix already removed).
    public static func recognize(_ message: UnsafeRawBufferPointer) -> MessageHeader {
        MessageHeader(idRange: nil, textStart: 0, kind: .unrecognized)  // placeholder until the recognizer lands
    }

    /// For legacy prefix-less lines: the request id that the text itself carries
    /// (`Starting execution for request: <id>`, `Verifying Usage Plan for request: <id>.`,
    /// `Starting authorizer: … for request: <id>`, `Unauthorized request: <id>`). Range is relative to `text`.
    public static func embeddedRequestId(kind: MessageKind, text: UnsafeRawBufferPointer) -> Range<Int>? {
        nil  // placeholder until the recognizer lands
    }
}
