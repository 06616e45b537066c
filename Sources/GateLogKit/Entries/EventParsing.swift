extension Event {
    /// Extracts the values of one message text (the part after `(<id>) `) whose kind `MessageRecognizer` decided.
    ///
    /// Lenient by design: lines can be cut by ` [TRUNCATED]`, keys can be empty, JSON can be invalid. A value that
    /// cannot be found is nil; the kind is never second-guessed.
    public static func parse(kind: MessageKind, text: String) -> Event {
        let (line, isTruncated) = TextScan.splitTruncation(TextScan.trimLeading(text[...]))
        switch kind {
        case .unrecognized:
            return .unrecognized

        case .extendedRequestId:
            return .extendedRequestId(TextScan.labeledToken(line, "Extended Request Id"))
        case .xrayTracingId:
            return .xrayTracingId(TextScan.labeledToken(line, "X-ray Tracing ID"))
        case .integrationEndpointRequestId:
            return .integrationEndpointRequestId(TextScan.labeledToken(line, "AWS Integration Endpoint RequestId"))

        case .authorizerStart:
            return .authorizerStart(authorizerId: TextScan.labeledToken(line, "Starting authorizer"),
                                    requestId: TextScan.labeledToken(line, "for request"))
        case .incomingIdentity:
            let raw = String(TextScan.rest(line, after: "Incoming identity:") ?? "")
            return .incomingIdentity(MaskedText(raw: raw, normalized: Masking.normalizeAll(in: raw)))
        case .endpointRequestURI:
            return .endpointRequestURI(TextScan.endpoint(TextScan.rest(line, after: "Endpoint request URI:")))
        case .endpointRequestHeaders:
            return .endpointRequestHeaders(parseRequestHeaders(line, isTruncated: isTruncated))
        case .endpointRequestBody:
            return .endpointRequestBody(parseRequestBody(line, isTruncated: isTruncated))
        case .sendingRequest:
            return .sendingRequest(TextScan.endpoint(TextScan.rest(line, after: "Sending request to")))
        case .authorizerResultBody:
            return .authorizerResultBody(TextScan.logged(line, after: "Authorizer result body before parsing:", isTruncated))
        case .authorizerPolicyPrincipal:
            let principal = TextScan.rest(line, after: "Using valid authorizer policy for principal:") ?? ""
            return .authorizerPolicyPrincipal(principal.isEmpty ? nil : Masking.normalize(principal))
        case .authorizerCompleted:
            return .authorizerCompleted
        case .unauthorizedRequest:
            return .unauthorizedRequest(requestId: TextScan.labeledToken(line, "Unauthorized request"))
        case .bareUnauthorized:
            return .bareUnauthorized
        case .configurationError:
            return .configurationError(reason: String(TextScan.rest(line, after: "configuration error:") ?? ""))
        case .authorizerConfigurationException:
            return .authorizerConfigurationException
        case .gatewayResponseType:
            return .gatewayResponseType(type: TextScan.labeledToken(line, "Gateway response type"),
                                        status: TextScan.labeledInt(line, "with status code"))

        case .clientNotAuthorized:
            return .clientNotAuthorized
        case .accessDeniedMessage:
            return .accessDeniedMessage(parseAccessDenied(line))

        case .usagePlanVerifying:
            let stage = TextScan.apiStage(TextScan.rest(line, after: "API Stage:"))
            return .usagePlanVerifying(UsagePlanVerification(
                requestId: TextScan.labeledToken(line, "for request", stoppingAt: "."),
                apiKey: TextScan.maskedKey(TextScan.between(line, "API Key:", "API Stage:")),
                apiId: stage.apiId, stage: stage.stage))
        case .apiKeyNotRequired:
            return .apiKeyNotRequired(parseMethodCheck(line, verdict: "authorized because method '"))
        case .apiKeyNotAuthorized:
            return .apiKeyNotAuthorized(parseMethodCheck(line, verdict: "not authorized because method '"))
        case .usagePlanSucceeded:
            let stage = TextScan.apiStage(TextScan.rest(line, after: "and API Stage"))
            return .usagePlanSucceeded(apiKey: TextScan.maskedKey(TextScan.between(line, "for API Key", "and API Stage")),
                                       apiId: stage.apiId, stage: stage.stage)
        case .apiKeyThrottled:
            return .apiKeyThrottled(parseThrottle(line, keyed: true))
        case .stageThrottled:
            return .stageThrottled(parseThrottle(line, keyed: false))
        case .apiKeyQuotaExceeded:
            let stage = TextScan.apiStage(TextScan.rest(line, after: "for API Stage"))
            return .apiKeyQuotaExceeded(QuotaLimit(
                apiKey: TextScan.maskedKey(TextScan.between(line, "API Key", "exceeded quota limit")),
                apiId: stage.apiId, stage: stage.stage,
                usagePlanId: TextScan.labeledToken(line, "Usage Plan ID", stoppingAt: ".,"),
                limit: TextScan.labeledInt(line, "Limit:"),
                period: TextScan.labeledToken(line, "Period:", stoppingAt: ".,")))
        case .apiKeyStandalone:
            return .apiKeyStandalone(apiKey: TextScan.maskedKey(TextScan.rest(line, after: "API Key:")))
        case .usagePlanInternalError:
            return .usagePlanInternalError

        case .executionStart:
            return .executionStart(requestId: TextScan.labeledToken(line, "Starting execution for request"))
        case .httpMethodResourcePath:
            let path = TextScan.rest(line, after: "Resource Path:").flatMap { $0.isEmpty ? nil : String($0) }
            return .httpMethodResourcePath(httpMethod: TextScan.labeledToken(line, "HTTP Method", stoppingAt: ","),
                                           path: path)
        case .methodRequestPath:
            return .methodRequestPath(TextScan.logged(line, after: "Method request path:", isTruncated))
        case .methodRequestQueryString:
            return .methodRequestQueryString(TextScan.logged(line, after: "Method request query string:", isTruncated))
        case .methodRequestHeaders:
            return .methodRequestHeaders(TextScan.logged(line, after: "Method request headers:", isTruncated))
        case .methodRequestBody:
            return .methodRequestBody(TextScan.logged(line, after: "Method request body before transformations:", isTruncated))
        case .requestValidationSucceeded:
            let contentType = TextScan.rest(line, after: "for content type").flatMap { $0.isEmpty ? nil : String($0) }
            return .requestValidationSucceeded(contentType: contentType)
        case .requestBodyInvalid:
            return parseBodyInvalid(line)
        case .requestParametersInvalid:
            return .requestParametersInvalid(message: String(TextScan.rest(line, after: "Missing required request parameters:") ?? ""))
        case .receivedResponse:
            return .receivedResponse(status: TextScan.labeledInt(line, "Status:"),
                                     latencyMs: TextScan.labeledInt(line, "Integration latency:"))
        case .endpointResponseHeaders:
            let map = TextScan.rest(line, after: "Endpoint response headers:") ?? ""
            return .endpointResponseHeaders(EndpointResponseHeaders(
                raw: LoggedText(text: String(map), isTruncated: isTruncated),
                functionError: HeaderMap.value(of: "X-Amz-Function-Error", in: map),
                errorType: HeaderMap.value(of: "x-amzn-ErrorType", in: map),
                requestId: HeaderMap.value(of: "x-amzn-RequestId", in: map)))
        case .endpointResponseBody:
            return .endpointResponseBody(TextScan.logged(line, after: "Endpoint response body before transformations:", isTruncated))
        case .methodResponseBody:
            return .methodResponseBody(TextScan.logged(line, after: "Method response body after transformations:", isTruncated))
        case .methodResponseHeaders:
            return .methodResponseHeaders(TextScan.logged(line, after: "Method response headers:", isTruncated))
        case .executionSucceeded:
            return .executionSucceeded
        case .methodCompleted:
            return .methodCompleted(status: TextScan.labeledInt(line, "Method completed with status"))

        case .timeoutError:
            return .timeoutError
        case .lambdaFunctionError:
            return parseFunctionError(line)
        case .lambdaInvocationFailed:
            return .lambdaInvocationFailed(status: TextScan.labeledInt(line, "failed with status"),
                                           lambdaRequestId: TextScan.labeledToken(line, "Lambda request id"))
        }
    }

    // MARK: Per-kind parsers

    private static func parseRequestHeaders(_ line: Substring, isTruncated: Bool) -> EndpointRequestHeaders {
        let map = TextScan.rest(line, after: "Endpoint request headers:") ?? ""
        let sourceArn = HeaderMap.value(of: "X-Amz-Source-Arn", in: map)
        var authorizerId: String?
        if let arn = sourceArn, let marker = TextScan.find("/authorizers/", in: arn[...]) {
            let id = arn[marker.upperBound...].prefix { $0 != "/" }
            authorizerId = id.isEmpty ? nil : String(id)
        }
        return EndpointRequestHeaders(raw: LoggedText(text: String(map), isTruncated: isTruncated),
                                      apiId: HeaderMap.value(of: "x-amzn-apigateway-api-id", in: map),
                                      sourceArn: sourceArn, authorizerId: authorizerId,
                                      integrationTag: HeaderMap.value(of: "x-amzn-lambda-integration-tag", in: map))
    }

    private static func parseRequestBody(_ line: Substring, isTruncated: Bool) -> EndpointRequestBody {
        let body = TextScan.rest(line, after: "Endpoint request body after transformations:") ?? ""
        let type = JSONScan.stringField("type", in: body)
        return EndpointRequestBody(raw: LoggedText(text: String(body), isTruncated: isTruncated),
                                   methodArn: JSONScan.stringField("methodArn", in: body),
                                   authorizerType: (type == "TOKEN" || type == "REQUEST") ? type : nil,
                                   hasAuthorizationToken: JSONScan.hasKey("authorizationToken", in: body))
    }

    private static func parseAccessDenied(_ line: Substring) -> AccessDeniedMessage {
        var message = line
        var exceptionName: String?
        if let firstWord = line.split(separator: " ", maxSplits: 1).first, firstWord.hasSuffix("Exception"),
           firstWord.count < line.count {
            exceptionName = String(firstWord)
            message = TextScan.trimLeading(line[firstWord.endIndex...])
        }

        var kind = DeniedPrincipalKind.unnamed
        var callerArn: String?
        if let who = TextScan.rest(message, after: "User:"),
           let end = TextScan.find(" is not authorized to perform", in: who)?.lowerBound {
            let principal = who[..<end]
            if principal == "anonymous" {
                kind = .anonymous
            } else if principal.hasPrefix("arn:") {
                kind = .arn
                callerArn = String(principal)
            } else {
                kind = .other
            }
        }

        var resourceArn: String?
        if let resource = TextScan.rest(message, after: "on resource:") {
            var arn = resource.prefix { $0 != " " && $0 != "\"" }
            while arn.last == "." || arn.last == "}" { arn = arn.dropLast() }
            resourceArn = arn.isEmpty ? nil : String(arn)
        }

        let side: DeniedPolicySide = message.contains("identity-based") ? .identityBased
            : message.contains("resource-based") ? .resourceBased : .unspecified
        return AccessDeniedMessage(exceptionName: exceptionName, principalKind: kind, callerArn: callerArn,
                                   resourceArn: resourceArn, isExplicitDeny: message.contains("explicit deny"),
                                   policySide: side, message: String(message))
    }

    private static func parseMethodCheck(_ line: Substring, verdict: String) -> APIKeyMethodCheck {
        let verdictRange = TextScan.find(verdict, in: line)
        var apiKey: String?
        var httpMethod: String?
        var resource: String?
        if let verdictRange {
            apiKey = TextScan.maskedKey(TextScan.between(line[..<verdictRange.lowerBound], "API Key", nil))
            let quoted = line[verdictRange.upperBound...].prefix { $0 != "'" }
            let parts = quoted.split(separator: " ", maxSplits: 1)
            httpMethod = parts.first.map(String.init)
            resource = parts.count > 1 ? String(parts[1]) : nil
        }
        var apiId: String?
        var stage: String?
        var reason: String?
        if let stageText = TextScan.rest(line, after: "for API Stage") {
            (apiId, stage) = TextScan.apiStage(stageText)
            if let colon = stageText.firstIndex(of: ":") {
                let text = TextScan.trimLeading(stageText[stageText.index(after: colon)...])
                reason = text.isEmpty ? nil : String(text)
            }
        }
        return APIKeyMethodCheck(apiKey: apiKey, httpMethod: httpMethod, resource: resource,
                                 apiId: apiId, stage: stage, reason: reason)
    }

    private static func parseThrottle(_ line: Substring, keyed: Bool) -> ThrottleLimit {
        var apiId = TextScan.labeledToken(line, "RestApi", stoppingAt: ",.")
        var stage = TextScan.labeledToken(line, ", Stage", stoppingAt: ",.")
        var apiKey: String?
        if keyed {
            apiKey = TextScan.maskedKey(TextScan.between(line, "API Key", "exceeded throttle limit"))
            let keyStage = TextScan.apiStage(TextScan.rest(line, after: "for API Stage"))
            apiId = keyStage.apiId ?? apiId
            stage = keyStage.stage ?? stage
        }
        let rate = TextScan.labeledToken(line, "Limit:").flatMap { Double($0) }
        return ThrottleLimit(apiKey: apiKey, apiId: apiId, stage: stage,
                             usagePlanId: TextScan.labeledToken(line, "Usage Plan ID", stoppingAt: ",."),
                             resourceId: TextScan.labeledToken(line, "Resource", stoppingAt: ",."),
                             httpMethod: TextScan.labeledToken(line, "HttpMethod", stoppingAt: ",."),
                             rateLimit: rate, burst: TextScan.labeledInt(line, "Burst:"))
    }

    private static func parseBodyInvalid(_ line: Substring) -> Event {
        guard let rest = TextScan.rest(line, after: "for content type") else {
            return .requestBodyInvalid(contentType: nil, message: nil)
        }
        guard let colon = rest.firstRange(of: ": ") ?? (rest.hasSuffix(":") ? rest.index(before: rest.endIndex)..<rest.endIndex : nil) else {
            return .requestBodyInvalid(contentType: rest.isEmpty ? nil : String(rest), message: nil)
        }
        let contentType = rest[..<colon.lowerBound]
        let message = TextScan.trimLeading(rest[colon.upperBound...])
        return .requestBodyInvalid(contentType: contentType.isEmpty ? nil : String(contentType),
                                   message: message.isEmpty ? nil : String(message))
    }

    private static func parseFunctionError(_ line: Substring) -> Event {
        let status = TextScan.labeledInt(line, "failed with status")
        var message = TextScan.rest(line, after: "customer function error:")
        var requestId: String?
        if let marker = line.ranges(of: ". Lambda request id:").last {
            requestId = TextScan.token(line[marker.upperBound...])
            if let text = message, marker.lowerBound >= text.startIndex {
                message = line[text.startIndex..<marker.lowerBound]
            }
        }
        return .lambdaFunctionError(status: status, errorMessage: message.flatMap { $0.isEmpty ? nil : String($0) },
                                    lambdaRequestId: requestId)
    }
}

// MARK: - Text helpers (off the hot path)

/// Small lenient scanners over message text.
enum TextScan {
    static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    @inline(__always)
    static func isBlankByte(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    // The scanners below walk the UTF-8 view: the labels, blanks and stop characters they look for are ASCII, so byte
    // positions are always character boundaries, and grapheme breaking (slow) is never needed.

    static func trimLeading(_ s: Substring) -> Substring {
        let bytes = s.utf8
        var i = bytes.startIndex
        while i < bytes.endIndex, isBlankByte(bytes[i]) { i = bytes.index(after: i) }
        return s[i...]
    }

    static func trim(_ s: Substring) -> Substring {
        let t = trimLeading(s)
        let bytes = t.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let before = bytes.index(before: end)
            guard isBlankByte(bytes[before]) else { break }
            end = before
        }
        return t[..<end]
    }

    /// Removes a trailing ` [TRUNCATED]` (and surrounding blanks) and tells whether it was there.
    static func splitTruncation(_ s: Substring) -> (Substring, Bool) {
        let t = trim(s)
        let marker = "[TRUNCATED]".utf8
        let bytes = t.utf8
        if bytes.count >= marker.count {
            let cut = bytes.index(bytes.endIndex, offsetBy: -marker.count)
            if bytes[cut...].elementsEqual(marker) { return (trim(t[..<cut]), true) }
        }
        return (t, false)
    }

    /// The first occurrence of `needle` in `s`, compared byte by byte.
    static func find(_ needle: String, in s: Substring) -> Range<Substring.Index>? {
        var needle = needle
        let offset: Int? = needle.withUTF8 { pattern in
            let pattern = UnsafeRawBufferPointer(pattern)
            if let hit = s.utf8.withContiguousStorageIfAvailable({ ByteSearch.firstIndex(of: pattern, in: UnsafeRawBufferPointer($0)) }) {
                return hit
            }
            return Array(s.utf8).withUnsafeBytes { ByteSearch.firstIndex(of: pattern, in: $0) }
        }
        guard let offset else { return nil }
        let lower = s.utf8.index(s.startIndex, offsetBy: offset)
        return lower..<s.utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// The text after the first occurrence of `label`, leading blanks removed.
    static func rest(_ s: Substring, after label: String) -> Substring? {
        guard let range = find(label, in: s) else { return nil }
        return trimLeading(s[range.upperBound...])
    }

    /// The text between `start` and `end` (or the end of `s`), trimmed.
    static func between(_ s: Substring, _ start: String, _ end: String?) -> Substring? {
        guard let from = find(start, in: s) else { return nil }
        let tail = s[from.upperBound...]
        guard let end else { return trim(tail) }
        guard let to = find(end, in: tail) else { return nil }
        return trim(tail[..<to.lowerBound])
    }

    /// The bytes of `s` up to (not including) the first blank or one of the ASCII `stoppers`.
    static func prefixToken(_ s: Substring, stoppingAt stoppers: String = "") -> Substring {
        let bytes = s.utf8
        let stop = stoppers.utf8
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if isBlankByte(c) || (!stop.isEmpty && stop.contains(c)) { break }
            i = bytes.index(after: i)
        }
        return s[..<i]
    }

    /// The first whitespace-delimited token of `s`, or nil when empty.
    static func token(_ s: Substring) -> String? {
        let t = prefixToken(trimLeading(s))
        return t.isEmpty ? nil : String(t)
    }

    /// The token after `label`, an optional `:` and blanks, ending at a blank or one of `stoppers`.
    static func labeledToken(_ s: Substring, _ label: String, stoppingAt stoppers: String = "") -> String? {
        guard let range = find(label, in: s) else { return nil }
        var t = trimLeading(s[range.upperBound...])
        if t.utf8.first == 0x3A { t = trimLeading(t.dropFirst()) }
        let value = prefixToken(t, stoppingAt: stoppers)
        return value.isEmpty ? nil : String(value)
    }

    /// The leading decimal number after `label` and an optional `:`.
    static func labeledInt(_ s: Substring, _ label: String) -> Int? {
        guard let token = labeledToken(s, label) else { return nil }
        return Int(token.prefix { $0.isASCII && $0.isNumber })
    }

    /// `<apiId>/<stage>` at the start of `s`, ending at a blank or `:`.
    static func apiStage(_ s: Substring?) -> (apiId: String?, stage: String?) {
        guard let s else { return (nil, nil) }
        let pair = prefixToken(trimLeading(s), stoppingAt: ":")
        guard let slash = pair.utf8.firstIndex(of: 0x2F) else { return (pair.isEmpty ? nil : String(pair), nil) }
        let api = pair[..<slash]
        let stage = pair[pair.index(after: slash)...]
        return (api.isEmpty ? nil : String(api), stage.isEmpty ? nil : String(stage))
    }

    /// A logged API key, normalized; nil when empty.
    static func maskedKey(_ s: Substring?) -> String? {
        guard let s else { return nil }
        let key = trim(s)
        return key.isEmpty ? nil : Masking.normalize(key)
    }

    static func logged(_ line: Substring, after label: String, _ isTruncated: Bool) -> LoggedText {
        LoggedText(text: String(rest(line, after: label) ?? ""), isTruncated: isTruncated)
    }

    /// An endpoint URI and the Lambda function ARN inside `…/functions/<arn>/invocations`.
    static func endpoint(_ s: Substring?) -> EndpointURI {
        let uri = s.map { prefixToken($0) } ?? ""
        var functionArn: String?
        if let start = find("/functions/", in: uri) {
            var arn = uri[start.upperBound...]
            if let end = find("/invocations", in: arn) { arn = arn[..<end.lowerBound] }
            if !arn.isEmpty {
                functionArn = arn.utf8.contains(0x25) ? String(arn).replacing("%3A", with: ":").replacing("%3a", with: ":") : String(arn)
            }
        }
        return EndpointURI(uri: String(uri), lambdaFunctionArn: functionArn)
    }
}

/// Single-key lookups in Java `Map.toString()` header dumps (`{K=V, K2=V2}`), where values may contain `, `.
enum HeaderMap {
    /// The value of `key` (ASCII case-insensitive). A value runs until the next `, <Name>=` or the closing `}`.
    static func value(of key: String, in map: Substring) -> String? {
        if let found = map.utf8.withContiguousStorageIfAvailable({ value(of: key, inBytes: $0) }) { return found }
        return Array(map.utf8).withUnsafeBufferPointer { value(of: key, inBytes: $0) }
    }

    private static func value(of key: String, inBytes bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let name = Array(key.utf8)
        var entry: Int? = bytes.first == ascii("{") ? 1 : (bytes.isEmpty ? nil : 0)
        while let start = entry {
            if matchesName(bytes, at: start, name), start + name.count < bytes.count, bytes[start + name.count] == ascii("=") {
                let valueStart = start + name.count + 1
                var valueEnd = nextEntry(bytes, after: valueStart).map { $0 - 2 } ?? bytes.count
                if valueEnd == bytes.count, valueEnd > valueStart, bytes[valueEnd - 1] == ascii("}") { valueEnd -= 1 }
                let value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
                return value.isEmpty ? nil : value
            }
            entry = nextEntry(bytes, after: start)
        }
        return nil
    }

    /// The start of the next `, <Name>=` entry after `from`.
    private static func nextEntry(_ b: UnsafeBufferPointer<UInt8>, after from: Int) -> Int? {
        var i = from
        while i + 1 < b.count {
            if b[i] == ascii(","), b[i + 1] == ascii(" ") {
                var j = i + 2
                while j < b.count, isNameByte(b[j]) { j += 1 }
                if j > i + 2, j < b.count, b[j] == ascii("=") { return i + 2 }
            }
            i += 1
        }
        return nil
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (isIdByte(c) && c != ascii("=") && c != ascii("/") && c != ascii("+")) || c == ascii(".")
    }

    private static func matchesName(_ b: UnsafeBufferPointer<UInt8>, at start: Int, _ name: [UInt8]) -> Bool {
        guard start + name.count <= b.count else { return false }
        for (offset, c) in name.enumerated() where (b[start + offset] | 0x20) != (c | 0x20) { return false }
        return true
    }
}

/// Lenient lookups in JSON text that may be cut off or invalid: scans for `"name"` then `:` then a string.
enum JSONScan {
    /// The string value of the first `"name": "…"` pair; nil when absent, not a string, or cut before its closing quote.
    static func stringField(_ name: String, in text: Substring) -> String? {
        let bytes = Array(text.utf8)
        let needle = Array("\"\(name)\"".utf8)
        var from = 0
        while let at = find(needle, in: bytes, from: from) {
            var i = skipBlanks(bytes, at + needle.count)
            if i < bytes.count, bytes[i] == ascii(":") {
                i = skipBlanks(bytes, i + 1)
                guard i < bytes.count, bytes[i] == ascii("\"") else { return nil }
                return readString(bytes, from: i + 1)
            }
            from = at + 1
        }
        return nil
    }

    /// Whether `"name"` occurs as a key (followed by `:`).
    static func hasKey(_ name: String, in text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        let needle = Array("\"\(name)\"".utf8)
        var from = 0
        while let at = find(needle, in: bytes, from: from) {
            let i = skipBlanks(bytes, at + needle.count)
            if i < bytes.count, bytes[i] == ascii(":") { return true }
            from = at + 1
        }
        return false
    }

    private static func readString(_ b: [UInt8], from start: Int) -> String? {
        var out: [UInt8] = []
        var i = start
        while i < b.count {
            let c = b[i]
            if c == ascii("\"") { return String(decoding: out, as: UTF8.self) }
            if c == ascii("\\"), i + 1 < b.count {
                let next = b[i + 1]
                switch next {
                case ascii("n"): out.append(0x0A)
                case ascii("t"): out.append(0x09)
                case ascii("r"): out.append(0x0D)
                default: out.append(next)   // \" \\ \/ and anything else taken literally
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return nil
    }

    private static func skipBlanks(_ b: [UInt8], _ from: Int) -> Int {
        var i = from
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        return i
    }

    private static func find(_ needle: [UInt8], in b: [UInt8], from: Int) -> Int? {
        guard needle.count <= b.count else { return nil }
        var i = from
        while i + needle.count <= b.count {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
