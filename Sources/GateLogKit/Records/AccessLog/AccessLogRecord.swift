/// One API Gateway access-log record (REST or HTTP API), whatever format and field names the user configured.
///
/// Access logs are the only evidence for unmatched routes, WAF blocks, SigV4 failures and Cognito 401s, and their
/// `responseType` outranks anything inferred from execution logs (DESIGN.md §3). Values written as `-`, empty, or `null`
/// are absent (`nil`). `fields` keeps every key/value as written (nested keys joined with `.`).
public struct AccessLogRecord: Sendable, Equatable {
    /// The layout the record was written in.
    public enum Format: String, Sendable, Equatable {
        case json, clf, csv, xml
    }

    public var format: Format
    /// `$context.requestId`: the join key to execution logs.
    public var requestId: String
    public var extendedRequestId: String?
    public var apiId: String?
    public var stage: String?
    /// The verb the client used (`GET`, also on an `ANY` method).
    public var httpMethod: String?
    /// `$context.resourcePath`: the matched resource template (`/pets/{id}`); absent for an unmatched route.
    public var resourcePath: String?
    /// `$context.path`: the concrete path, including the `/{stage}` prefix on the default endpoint.
    public var path: String?
    /// `$context.routeKey` (HTTP APIs): `GET /items` or `$default`.
    public var routeKey: String?
    public var `protocol`: String?
    public var resourceId: String?
    public var status: Int?
    public var responseLength: Int?
    public var responseLatency: Int?

    /// `$context.error.responseType`: the gateway response type (`ACCESS_DENIED`, `WAF_FILTERED`, …).
    public var responseType: String?
    /// `$context.error.message` (or, when only that was logged, the unquoted `messageString`, or a loose `message` field).
    public var errorMessage: String?
    /// `$context.error.messageString` without its JSON quotes.
    public var errorMessageString: String?
    public var validationErrorString: String?

    /// `$context.wafResponseCode`: `WAF_ALLOW` or `WAF_BLOCK`.
    public var wafResponseCode: String?
    public var wafStatus: Int?
    public var wafError: String?
    public var wafLatency: Int?
    public var webaclArn: String?

    public var authorizerError: String?
    public var authorizerStatus: Int?
    public var authorizerLatency: Int?
    /// The Lambda request id of the authorizer invocation.
    public var authorizerRequestId: String?
    public var authorizerIntegrationStatus: Int?
    public var authorizerIntegrationLatency: Int?
    /// `$context.authorize.*`: the policy-evaluation step (authorizer policy, resource policy, IAM).
    public var authorizeError: String?
    public var authorizeStatus: Int?
    public var authorizeLatency: Int?
    /// `$context.authenticate.*`: the authentication step (Cognito token, SigV4).
    public var authenticateError: String?
    public var authenticateStatus: Int?
    public var authenticateLatency: Int?
    public var principalId: String?
    /// A present `authorizer.claims.*` value: a Cognito / JWT authorizer accepted a token.
    public var hasCognitoClaims: Bool

    public var integrationStatus: Int?
    public var integrationLatency: Int?
    /// `$context.integrationErrorMessage`: the execution-log failure text (`Execution failed due to a timeout error`).
    public var integrationErrorMessage: String?
    /// `$context.integration.error`.
    public var integrationError: String?
    public var awsEndpointRequestId: String?

    public var sourceIp: String?
    public var caller: String?
    public var user: String?
    public var userArn: String?
    public var userAgent: String?
    public var apiKey: String?
    public var apiKeyId: String?

    /// `$context.requestTime` as written (`02/Jul/2026:11:54:48 +0000`).
    public var requestTime: String?
    /// `$context.requestTimeEpoch` as written (epoch milliseconds).
    public var requestTimeEpoch: String?
    /// The request time in milliseconds since the Unix epoch (UTC), from `requestTimeEpoch`, else `requestTime`.
    public var timestamp: Int64?
    public var domainName: String?
    /// `$context.accountId`: the API owner's account.
    public var accountId: String?

    /// Every key and value as written (nested object keys joined with `.`; unquoted values as their text).
    public var fields: [String: String]

    /// A record with only a request id; the parser fills the rest.
    public init(requestId: String, format: Format = .json) {
        self.requestId = requestId
        self.format = format
        hasCognitoClaims = false
        fields = [:]
    }

    // MARK: - Parsing

    /// Parses one access-log record: a JSON object (any field naming, invalid `messageString` JSON tolerated), or a CLF,
    /// CSV or XML console preset. Returns nil for anything else (execution-log messages, other JSON, random text) and
    /// for records without a request id.
    public static func parse(_ text: String) -> AccessLogRecord? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `parse(_:)` for borrowed message bytes (`Record.message`).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> AccessLogRecord? {
        var start = 0
        while start < bytes.count, LenientJSONObjectScanner.isBlank(bytes[start]) { start += 1 }
        // A UTF-8 byte-order mark.
        if bytes.count - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
        guard start < bytes.count else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: bytes[start...])
        switch body[0] {
        case UInt8(ascii: "{"):
            guard let scanner = LenientJSONObjectScanner.scan(body) else { return nil }
            return build(format: .json, pairs: scanner.pairs.map { ($0.key, $0.value) }, requireGatewayField: true)
        case UInt8(ascii: "<"):
            guard let pairs = AccessLogPresets.xml(trimmedText(body)[...]) else { return nil }
            return build(format: .xml, pairs: pairs.map { ($0.key, .string($0.value)) }, requireGatewayField: false)
        case UInt8(ascii: "("):
            return nil  // an execution-log message
        default:
            guard body.count < 16_384 else { return nil }
            let line = trimmedText(body)
            if line.contains("["), line.contains("\""), let pairs = AccessLogPresets.commonLogFormat(line[...]) {
                return build(format: .clf, pairs: pairs.map { ($0.key, .string($0.value)) }, requireGatewayField: false)
            }
            if line.contains(","), !line.contains(" ,"), let pairs = AccessLogPresets.commaSeparated(line[...]) {
                return build(format: .csv, pairs: pairs.map { ($0.key, .string($0.value)) }, requireGatewayField: false)
            }
            return nil
        }
    }

    private static func trimmedText(_ bytes: UnsafeRawBufferPointer) -> String {
        var end = bytes.count
        while end > 0, LenientJSONObjectScanner.isBlank(bytes[end - 1]) { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }

    /// Turns scanned key/value pairs into a record. JSON must name at least one gateway value besides the request id,
    /// so that application logs that merely carry a `requestId` are not taken for access logs.
    private static func build(format: Format, pairs: [(String, ScannedJSONValue)], requireGatewayField: Bool) -> AccessLogRecord? {
        let fieldCount = AccessLogField.allCases.count
        var values = [String?](repeating: nil, count: fieldCount)
        var strengths = [AccessLogFieldAliases.Strength?](repeating: nil, count: fieldCount)
        var fields: [String: String] = [:]
        var hasClaims = false
        var xmlId: String?

        for (key, value) in pairs {
            fields[key] = value.fieldText
            let text = value.presentText
            if format == .xml, key == "id" {
                xmlId = text
                continue
            }
            guard let text else { continue }
            let normalizedKey = AccessLogFieldAliases.normalized(key)
            guard let (field, strength) = AccessLogFieldAliases.field(forNormalizedKey: normalizedKey) else {
                if AccessLogFieldAliases.isClaims(normalizedKey: normalizedKey) { hasClaims = true }
                continue
            }
            let slot = field.rawValue
            if let held = strengths[slot], held >= strength { continue }
            values[slot] = text
            strengths[slot] = strength
        }

        func value(_ field: AccessLogField) -> String? { values[field.rawValue] }
        guard let requestId = value(.requestId) ?? xmlId, isPlausibleRequestId(requestId) else { return nil }
        if requireGatewayField {
            let namesGatewayValue = strengths.indices.contains { slot in
                strengths[slot] == .explicit && slot != AccessLogField.requestId.rawValue
                    && slot != AccessLogField.requestTime.rawValue && slot != AccessLogField.requestTimeEpoch.rawValue
            }
            guard namesGatewayValue else { return nil }
        }

        var record = AccessLogRecord(requestId: requestId, format: format)
        record.fields = fields
        record.hasCognitoClaims = hasClaims
        record.extendedRequestId = value(.extendedRequestId)
        record.apiId = value(.apiId)
        record.stage = value(.stage)
        record.httpMethod = value(.httpMethod)
        record.resourcePath = value(.resourcePath)
        record.path = value(.path)
        record.routeKey = value(.routeKey)
        record.protocol = value(.protocolName)
        record.resourceId = value(.resourceId)
        record.status = integer(value(.status))
        record.responseLength = integer(value(.responseLength))
        record.responseLatency = integer(value(.responseLatency))
        record.responseType = value(.responseType)
        record.errorMessageString = unquotedMessage(value(.errorMessageString))
        record.errorMessage = unquotedMessage(value(.errorMessage)) ?? record.errorMessageString
        record.validationErrorString = value(.validationErrorString)
        record.wafResponseCode = value(.wafResponseCode)
        record.wafStatus = integer(value(.wafStatus))
        record.wafError = value(.wafError)
        record.wafLatency = integer(value(.wafLatency))
        record.webaclArn = value(.webaclArn)
        record.authorizerError = value(.authorizerError)
        record.authorizerStatus = integer(value(.authorizerStatus))
        record.authorizerLatency = integer(value(.authorizerLatency))
        record.authorizerRequestId = value(.authorizerRequestId)
        record.authorizerIntegrationStatus = integer(value(.authorizerIntegrationStatus))
        record.authorizerIntegrationLatency = integer(value(.authorizerIntegrationLatency))
        record.authorizeError = value(.authorizeError)
        record.authorizeStatus = integer(value(.authorizeStatus))
        record.authorizeLatency = integer(value(.authorizeLatency))
        record.authenticateError = value(.authenticateError)
        record.authenticateStatus = integer(value(.authenticateStatus))
        record.authenticateLatency = integer(value(.authenticateLatency))
        record.principalId = value(.principalId)
        record.integrationStatus = integer(value(.integrationStatus))
        record.integrationLatency = integer(value(.integrationLatency))
        record.integrationErrorMessage = value(.integrationErrorMessage)
        record.integrationError = value(.integrationError)
        record.awsEndpointRequestId = value(.awsEndpointRequestId)
        record.sourceIp = value(.sourceIp)
        record.caller = value(.caller)
        record.user = value(.user)
        record.userArn = value(.userArn)
        record.userAgent = value(.userAgent)
        record.apiKey = value(.apiKey)
        record.apiKeyId = value(.apiKeyId)
        record.requestTime = value(.requestTime)
        record.requestTimeEpoch = value(.requestTimeEpoch)
        record.domainName = value(.domainName)
        record.accountId = value(.accountId)
        record.timestamp = record.requestTimeEpoch.flatMap(AccessLogTime.epochMilliseconds)
            ?? record.requestTime.flatMap(AccessLogTime.milliseconds(requestTime:))
        return record
    }

    private static func isPlausibleRequestId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && !id.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "\"") }
    }

    /// Whole numbers, also when written with a fraction (`12.0`); nil for anything else.
    private static func integer(_ text: String?) -> Int? {
        guard let text else { return nil }
        let whole = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = whole.first, !first.isEmpty, first.utf8.count <= 18, first.utf8.allSatisfy(AccessLogTime.isDigit)
        else { return nil }
        if whole.count == 2, !whole[1].utf8.allSatisfy(AccessLogTime.isDigit) { return nil }
        return Int(first)
    }

    /// `messageString` is the message already JSON-quoted; strip one pair of quotes and treat `null` as absent.
    private static func unquotedMessage(_ text: String?) -> String? {
        guard var text else { return nil }
        if text.utf8.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast())
            if text.contains("\\") {
                var copy = text
                text = copy.withUTF8 { LenientJSONObjectScanner.unescape(UnsafeRawBufferPointer($0)) }
            }
        }
        let trimmed = text.trimmingBlanks
        return trimmed.isEmpty || trimmed == "-" || trimmed == "null" ? nil : trimmed
    }

    // MARK: - Derived values

    /// `path` without the leading `/{stage}` that the default execute-api endpoint adds.
    public var pathWithoutStage: String? {
        guard let path else { return nil }
        guard let stage, !stage.isEmpty else { return path }
        let prefix = "/" + stage
        if path == prefix { return "/" }
        if path.hasPrefix(prefix + "/") { return String(path.dropFirst(prefix.count)) }
        return path
    }

    /// True for HTTP API (v2) records, which carry a route key.
    public var isHTTPAPI: Bool { routeKey != nil }

    /// The gateway itself answered with an error (4xx/5xx): a gateway response type was logged, or no integration ran
    /// (`integrationLatency` and `integrationStatus` both absent).
    public var isGatewayRejection: Bool {
        guard let status, status >= 400 else { return false }
        if responseType != nil { return true }
        return integrationLatency == nil && integrationStatus == nil
    }

    /// The integration answered with a status of its own.
    public var isBackendResponse: Bool { integrationStatus != nil }

    /// Who was denied, read from an ACCESS_DENIED message.
    public enum AccessDeniedKind: Sendable, Equatable {
        /// `User: anonymous is not authorized to perform: execute-api:Invoke …`: the resource policy.
        case anonymous(explicit: Bool)
        /// `User: arn:aws:iam::…` / `arn:aws:sts::…` `is not authorized to perform …`: IAM authorization.
        case iamCaller(arn: String, explicit: Bool)
        /// `User is not authorized to access this resource[ with an explicit deny[ in an identity-based policy]]`:
        /// a Lambda authorizer's policy.
        case authorizer(explicit: Bool)
    }

    /// The kind of ACCESS_DENIED message in `errorMessage` (or `errorMessageString`, `authorizeError`), else nil.
    public var accessDeniedKind: AccessDeniedKind? {
        for message in [errorMessage, errorMessageString, authorizeError] {
            if let message, let kind = Self.accessDeniedKind(of: message) { return kind }
        }
        return nil
    }

    /// The message names a resource-based policy (`… in a resource-based policy`, `… no resource-based policy allows …`).
    public var mentionsResourceBasedPolicy: Bool {
        messages.contains { $0.contains("resource-based policy") }
    }

    static func accessDeniedKind(of message: String) -> AccessDeniedKind? {
        let text = message.trimmingBlanks
        let explicit = text.contains("explicit deny")
        if text.hasPrefix("User is not authorized to access this resource") {
            return .authorizer(explicit: explicit)
        }
        guard text.hasPrefix("User: "), let verb = text.firstRange(of: " is not authorized to perform") else { return nil }
        let principal = text[text.index(text.startIndex, offsetBy: 6)..<verb.lowerBound]
        if principal == "anonymous" { return .anonymous(explicit: explicit) }
        if principal.hasPrefix("arn:") { return .iamCaller(arn: String(principal), explicit: explicit) }
        return nil
    }

    /// A Cognito user-pool / JWT failure: `The incoming token has expired`, or `Unauthorized` on a record that logged the
    /// authentication step (`authenticate.*`) or token claims.
    public var isCognitoTokenMessage: Bool {
        let texts = messages
        if texts.contains(where: { $0.contains("The incoming token has expired") }) { return true }
        guard texts.contains(where: { $0 == "Unauthorized" }) else { return false }
        return hasCognitoClaims || authenticateError != nil || authenticateStatus != nil || authenticateLatency != nil
    }

    /// A SigV4 failure: `INVALID_SIGNATURE` / `EXPIRED_TOKEN`, or one of the signature texts AWS answers with.
    public var isSignatureError: Bool {
        if responseType == "INVALID_SIGNATURE" || responseType == "EXPIRED_TOKEN" { return true }
        return messages.contains { message in Self.signatureTexts.contains { message.contains($0) } }
    }

    private static let signatureTexts = [
        "Signature expired",
        "The request signature we calculated does not match",
        "The security token included in the request is invalid",
        "Credential should be scoped",
        "Authorization header requires",
        "Invalid key=value pair",
    ]

    /// The error texts a record carries, most specific first.
    private var messages: [String] {
        [errorMessage, errorMessageString, authenticateError, authorizeError, authorizerError].compactMap { $0 }
    }
}

extension ScannedJSONValue {
    /// The value as kept in `AccessLogRecord.fields`.
    fileprivate var fieldText: String {
        switch self {
        case .string(let s), .bare(let s), .unescapedQuotes(let s), .array(let s): return s
        case .null: return "null"
        }
    }

    /// The value for a typed property: nil when absent (`-`, empty, `null`); recovered strings lose their stray outer quotes.
    fileprivate var presentText: String? {
        let text: String
        switch self {
        case .null: return nil
        case .string(let s), .bare(let s), .array(let s): text = s.trimmingBlanks
        case .unescapedQuotes(let raw):
            var inner = raw.trimmingBlanks
            if inner.utf8.count >= 2, inner.hasPrefix("\""), inner.hasSuffix("\"") {
                inner = String(inner.dropFirst().dropLast())
            }
            var copy = inner
            text = copy.withUTF8 { LenientJSONObjectScanner.unescape(UnsafeRawBufferPointer($0)) }.trimmingBlanks
        }
        return text.isEmpty || text == "-" ? nil : text
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingBlanks: String {
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last,
           !LenientJSONObjectScanner.isBlank(first), !LenientJSONObjectScanner.isBlank(last) { return self }
        guard let first = bytes.firstIndex(where: { !LenientJSONObjectScanner.isBlank($0) }),
              let last = bytes.lastIndex(where: { !LenientJSONObjectScanner.isBlank($0) })
        else { return "" }
        return String(self[first...last])
    }
}
