/// Where the request id and the text sit inside one execution-log message, and which message it is.
public struct MessageHeader: Sendable, Equatable {
    /// Byte range of the request id (without the parentheses) inside the message; nil when the message has no prefix.
    public var idRange: Range<Int>?
    /// Offset of the text after `(<id>) ` (after leading blanks when there is no prefix).
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
///
/// Matching follows log-formats.md §10.2: templates are anchored at the start of the text, spaces next to a value that
/// may be empty (API keys) are matched leniently, and a trailing ` [TRUNCATED]` is tolerated on whole-text messages.
public enum MessageRecognizer {
    /// Recognizes one message (the CloudWatch `message` field, container prefix already removed).
    public static func recognize(_ message: UnsafeRawBufferPointer) -> MessageHeader {
        guard let base = message.baseAddress, message.count > 0 else {
            return MessageHeader(idRange: nil, textStart: 0, kind: .unrecognized)
        }
        let bytes = Bytes(base: base, end: message.count)
        var start = 0
        while start < bytes.end, isBlank(bytes[start]) { start += 1 }

        if start < bytes.end, bytes[start] == ascii("("), let close = bytes.idPrefixEnd(openAt: start) {
            var text = close + 1
            while text < bytes.end, bytes[text] == ascii(" ") { text += 1 }
            return MessageHeader(idRange: (start + 1)..<close, textStart: text, kind: bytes.classify(text))
        }
        return MessageHeader(idRange: nil, textStart: start, kind: bytes.classify(start))
    }

    /// For legacy prefix-less lines: the request id that the text itself carries
    /// (`Starting execution for request: <id>`, `Verifying Usage Plan for request: <id>.`,
    /// `Starting authorizer: … for request: <id>`, `Unauthorized request: <id>`). Range is relative to `text`.
    public static func embeddedRequestId(kind: MessageKind, text: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let base = text.baseAddress, text.count > 0 else { return nil }
        let bytes = Bytes(base: base, end: text.count)
        var at = 0
        while at < bytes.end, isBlank(bytes[at]) { at += 1 }

        let idStart: Int
        switch kind {
        case .executionStart:
            guard bytes.has("Starting execution for request:", at: at) else { return nil }
            idStart = bytes.skipSpaces(at + 31)
        case .usagePlanVerifying:
            guard bytes.has("Verifying Usage Plan for request:", at: at) else { return nil }
            idStart = bytes.skipSpaces(at + 33)
        case .unauthorizedRequest:
            guard bytes.has("Unauthorized request:", at: at) else { return nil }
            idStart = bytes.skipSpaces(at + 21)
        case .authorizerStart:
            guard bytes.has("Starting authorizer:", at: at),
                  let marker = bytes.find(" for request:", from: at + 20)
            else { return nil }
            idStart = bytes.skipSpaces(marker + 13)
        default:
            return nil
        }

        var idEnd = idStart
        while idEnd < bytes.end {
            let c = bytes[idEnd]
            // The usage-plan line ends the id with `.`; ids never contain dots, spaces or tabs.
            if c == ascii(" ") || c == ascii("\t") || c == ascii(".") || c == ascii(",") { break }
            idEnd += 1
        }
        return idEnd > idStart ? idStart..<idEnd : nil
    }
}

// MARK: - Byte helpers (no allocation, no String)

@inline(__always)
func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(truncatingIfNeeded: scalar.value) }

@inline(__always)
func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

/// Characters allowed in a non-UUID request-id prefix: `[A-Za-z0-9+/_=-]`.
@inline(__always)
func isIdByte(_ c: UInt8) -> Bool {
    let lower = c | 0x20
    if lower &- 0x61 < 26 { return true }        // a-z, A-Z
    if c &- 0x30 < 10 { return true }            // 0-9
    return c == 0x2B || c == 0x2F || c == 0x5F || c == 0x3D || c == 0x2D  // + / _ = -
}

/// Whether all eight bytes of `w` are ASCII hex digits (either case), tested on the whole word at once.
@inline(__always)
func allHex(_ w: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    guard w & high == 0 else { return false }
    // With every byte below 0x80, adding (0x80 - k) sets a byte's high bit exactly when the byte is >= k.
    let digit = (w &+ ones &* (0x80 - 0x30)) & ~(w &+ ones &* (0x80 - 0x3A))
    let folded = w | (ones &* 0x20)
    let letter = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x80 - 0x67))
    return (digit | letter) & high == high
}

/// A read-only view of one message's bytes with cheap prefix tests.
struct Bytes {
    let base: UnsafeRawPointer
    let end: Int

    @inline(__always)
    subscript(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    @inline(__always)
    func word64(_ offset: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }

    @inline(__always)
    func word32(_ offset: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }

    /// Whether `literal` occurs at `offset`. Compares eight bytes at a time.
    @inline(__always)
    func has(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, end - offset >= count else { return false }
        let expected = UnsafeRawPointer(literal.utf8Start)
        var i = 0
        while i + 8 <= count {
            if base.loadUnaligned(fromByteOffset: offset + i, as: UInt64.self)
                != expected.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < count {
            if self[offset + i] != expected.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// First offset at or after `from` where `literal` occurs.
    func find(_ literal: StaticString, from: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        guard count > 0 else { return from }
        let first = UnsafeRawPointer(literal.utf8Start).load(as: UInt8.self)
        var i = max(from, 0)
        while i + count <= end {
            if self[i] == first, has(literal, at: i) { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    func skipSpaces(_ from: Int) -> Int {
        var i = from
        while i < end, self[i] == 0x20 { i += 1 }
        return i
    }

    /// Whether nothing but blanks and an optional ` [TRUNCATED]` follows `from`.
    func isTrivialTail(_ from: Int) -> Bool {
        var i = from
        while i < end, isBlank(self[i]) { i += 1 }
        if i == end { return true }
        guard has("[TRUNCATED]", at: i) else { return false }
        i += 11
        while i < end, isBlank(self[i]) { i += 1 }
        return i == end
    }

    /// Given `(` at `open`, the offset of the closing `)` of a request-id prefix, or nil when there is none.
    ///
    /// UUIDs (either case) may be followed directly by the text; other ids (`[A-Za-z0-9+/_=-]{10,64}`: WebSocket
    /// extended ids, `test-invoke-request`) need a space or the end of the message after `)`.
    @inline(__always)
    func idPrefixEnd(openAt open: Int) -> Int? {
        let first = open + 1
        if end - first >= 37, self[first + 36] == ascii(")"),
           self[first + 8] == 0x2D, self[first + 13] == 0x2D, self[first + 18] == 0x2D, self[first + 23] == 0x2D {
            // The 32 hex digits as four words: 0..<8, 9..<13 + 14..<18, 19..<23 + 24..<28, 28..<36.
            let w0 = word64(first)
            let w1 = UInt64(word32(first + 9)) | UInt64(word32(first + 14)) << 32
            let w2 = UInt64(word32(first + 19)) | UInt64(word32(first + 24)) << 32
            let w3 = word64(first + 28)
            if allHex(w0) && allHex(w1) && allHex(w2) && allHex(w3) { return first + 36 }
        }
        var close = first
        let limit = min(end, first + 65)
        while close < limit, isIdByte(self[close]) { close += 1 }
        let length = close - first
        guard close < end, self[close] == ascii(")"), length >= 10, length <= 64 else { return nil }
        if close + 1 < end, self[close + 1] != ascii(" ") { return nil }
        return close
    }

    // MARK: Dispatch

    /// The kind of the message text starting at `t`.
    @inline(__always)
    func classify(_ t: Int) -> MessageKind {
        guard t < end else { return .unrecognized }
        let kind = classifyByFirstByte(t)
        if kind == .unrecognized, self[t] &- 0x41 < 26 { return exceptionPrefixedAccessDenied(t) }
        return kind
    }

    private func classifyByFirstByte(_ t: Int) -> MessageKind {
        switch self[t] {
        case 0x41 /* A */:
            if has("API Key", at: t) {
                let k = t + 7
                if k < end, self[k] == ascii(":") { return .apiKeyStandalone }
                if k < end, self[k] == ascii(" ") { return apiKeyVerdict(afterLabel: k) }
                return .unrecognized
            }
            if has("AWS Integration Endpoint RequestId", at: t) { return .integrationEndpointRequestId }
            if has("Authorizer result body before parsing:", at: t) { return .authorizerResultBody }
            if has("AuthorizerConfigurationException", at: t), isTrivialTail(t + 32) {
                return .authorizerConfigurationException
            }
            return .unrecognized
        case 0x45 /* E */:
            if has("Endpoint re", at: t) {
                if has("Endpoint request URI:", at: t) { return .endpointRequestURI }
                if has("Endpoint request headers:", at: t) { return .endpointRequestHeaders }
                if has("Endpoint request body after transformations:", at: t) { return .endpointRequestBody }
                if has("Endpoint response headers:", at: t) { return .endpointResponseHeaders }
                if has("Endpoint response body before transformations:", at: t) { return .endpointResponseBody }
                return .unrecognized
            }
            if has("Execution failed due to ", at: t) {
                if has("configuration error:", at: t + 24) { return .configurationError }
                if has("a timeout error", at: t + 24) { return .timeoutError }
                return .unrecognized
            }
            if has("Extended Request Id:", at: t) { return .extendedRequestId }
            return .unrecognized
        case 0x58 /* X */:
            return has("X-ray Tracing ID", at: t) ? .xrayTracingId : .unrecognized
        case 0x53 /* S */:
            if has("Starting ", at: t) {
                if has("authorizer:", at: t + 9) { return .authorizerStart }
                if has("execution for request:", at: t + 9) { return .executionStart }
                return .unrecognized
            }
            if has("Sending request to ", at: t) { return .sendingRequest }
            if has("Successfully completed ", at: t) {
                if has("authorizer execution", at: t + 23) { return .authorizerCompleted }
                if has("execution", at: t + 23) { return .executionSucceeded }
            }
            return .unrecognized
        case 0x49 /* I */:
            return has("Incoming identity:", at: t) ? .incomingIdentity : .unrecognized
        case 0x55 /* U */:
            return classifyU(t)
        case 0x47 /* G */:
            return has("Gateway response type:", at: t) ? .gatewayResponseType : .unrecognized
        case 0x54 /* T */:
            return has("The client is not authorized to perform this operation", at: t) ? .clientNotAuthorized : .unrecognized
        case 0x56 /* V */:
            return has("Verifying Usage Plan for request:", at: t) ? .usagePlanVerifying : .unrecognized
        case 0x4B /* K */:
            return has("Key throttle limit exceeded for RestApi ", at: t) ? .stageThrottled : .unrecognized
        case 0x48 /* H */:
            return has("HTTP Method:", at: t) ? .httpMethodResourcePath : .unrecognized
        case 0x4D /* M */:
            return classifyM(t)
        case 0x52 /* R */:
            if has("Received response.", at: t) { return .receivedResponse }
            if has("Request validation succeeded for content type", at: t) { return .requestValidationSucceeded }
            if has("Request body does not match model schema", at: t) { return .requestBodyInvalid }
            return .unrecognized
        case 0x4C /* L */:
            if has("Lambda execution failed with status ", at: t) { return .lambdaFunctionError }
            if has("Lambda invocation failed with status", at: t) { return .lambdaInvocationFailed }
            return .unrecognized
        default:
            return .unrecognized
        }
    }

    private func classifyU(_ t: Int) -> MessageKind {
        if has("Us", at: t) {
            if has("Using valid authorizer policy for principal:", at: t) { return .authorizerPolicyPrincipal }
            if has("Usage Plan check succeeded for API Key", at: t) { return .usagePlanSucceeded }
            if has("Usage Plan check failed due to an internal error", at: t) { return .usagePlanInternalError }
            if has("User", at: t) { return accessDeniedText(t) }
            return .unrecognized
        }
        if has("Unauthorized", at: t) {
            if has(" request:", at: t + 12) { return .unauthorizedRequest }
            if isTrivialTail(t + 12) { return .bareUnauthorized }
        }
        return .unrecognized
    }

    private func classifyM(_ t: Int) -> MessageKind {
        if has("Method re", at: t) {
            if has("Method request path:", at: t) { return .methodRequestPath }
            if has("Method request query string:", at: t) { return .methodRequestQueryString }
            if has("Method request headers:", at: t) { return .methodRequestHeaders }
            if has("Method request body before transformations:", at: t) { return .methodRequestBody }
            if has("Method response body after transformations:", at: t) { return .methodResponseBody }
            if has("Method response headers:", at: t) { return .methodResponseHeaders }
            return .unrecognized
        }
        if has("Method completed with status:", at: t) { return .methodCompleted }
        if has("Missing required request parameters:", at: t) { return .requestParametersInvalid }
        return .unrecognized
    }

    /// After `API Key` (at the space `label`): the key may be empty (one or two spaces) or a masked token;
    /// what follows it decides D2/D4/D5/D7.
    private func apiKeyVerdict(afterLabel label: Int) -> MessageKind {
        var i = skipSpaces(label)
        if let kind = apiKeyClause(i) { return kind }
        while i < end, self[i] != ascii(" ") { i += 1 }
        i = skipSpaces(i)
        return apiKeyClause(i) ?? .unrecognized
    }

    private func apiKeyClause(_ i: Int) -> MessageKind? {
        guard i < end else { return nil }
        switch self[i] {
        case 0x61 /* a */:
            return has("authorized because method '", at: i) ? .apiKeyNotRequired : nil
        case 0x6E /* n */:
            return has("not authorized because method '", at: i) ? .apiKeyNotAuthorized : nil
        case 0x65 /* e */:
            if has("exceeded throttle limit for API Stage", at: i) { return .apiKeyThrottled }
            if has("exceeded quota limit for API Stage", at: i) { return .apiKeyQuotaExceeded }
            return nil
        default:
            return nil
        }
    }

    /// ACCESS_DENIED texts (log-formats.md §3.1): `User: <who> is not authorized to perform: execute-api:Invoke …`
    /// and `User is not authorized to access this resource…`.
    private func accessDeniedText(_ t: Int) -> MessageKind {
        if has("User is not authorized to access this resource", at: t) { return .accessDeniedMessage }
        if has("User: ", at: t), find(" is not authorized to perform: execute-api:Invoke", from: t + 6) != nil {
            return .accessDeniedMessage
        }
        return .unrecognized
    }

    /// An exception name token (`ExplicitDenyException `, `AccessDeniedException `) in front of an ACCESS_DENIED text.
    private func exceptionPrefixedAccessDenied(_ t: Int) -> MessageKind {
        var i = t
        let limit = min(end, t + 64)
        while i < limit, (self[i] | 0x20) &- ascii("a") < 26 { i += 1 }
        guard i - t > 9, i < end, self[i] == ascii(" "), has("Exception", at: i - 9) else { return .unrecognized }
        let text = skipSpaces(i)
        guard text < end, self[text] == ascii("U") else { return .unrecognized }
        return accessDeniedText(text)
    }
}
