/// Checks on the first decoded bytes of an input before a container reader sees them, so that an input gatelog
/// cannot read becomes one clear problem instead of thousands of meaningless unrecognized lines: binary data
/// (archives, images, a gzip bomb of zeros), UTF-16 text, and JSON of a shape that is not a log container.
/// Also words the invalid-UTF-8 problem of an input once it has been read.
public enum InputScreening {
    /// Why `prefix` (the first decoded bytes of an input) cannot be a text log, or nil when it may be one.
    public static func notText(_ prefix: [UInt8]) -> String? {
        guard !prefix.isEmpty else { return nil }
        if prefix.count >= 2, (prefix[0] == 0xFF && prefix[1] == 0xFE) || (prefix[0] == 0xFE && prefix[1] == 0xFF) {
            return "UTF-16 text (it starts with a UTF-16 byte-order mark); gatelog reads UTF-8: convert it first "
                + "(e.g. iconv -f UTF-16 -t UTF-8); not read"
        }
        if prefix.count >= 4, prefix[0] == 0x50, prefix[1] == 0x4B, prefix[2] == 0x03, prefix[3] == 0x04 {
            return "a zip archive, not a log: extract it and give gatelog the files inside; not read"
        }
        if prefix.count >= 262, Array(prefix[257..<262]) == Array("ustar".utf8) {
            return "a tar archive, not a log: extract it and give gatelog the files inside; not read"
        }
        var nulBytes = 0
        var controlBytes = 0
        for b in prefix {
            if b == 0 {
                nulBytes += 1
            } else if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B) || b == 0x7F {
                controlBytes += 1
            }
        }
        if nulBytes > 0 {
            return "binary data, not a text log (\(nulBytes) NUL byte\(nulBytes == 1 ? "" : "s") in the first \(prefix.count) bytes); not read"
        }
        var census = UTF8Census()
        prefix.withUnsafeBytes { census.feed($0) }
        // Mostly text with a few odd bytes is still read (and the odd bytes reported); noise is not.
        if (controlBytes + census.invalidSequences) * 10 > prefix.count {
            return "binary data, not a text log (\(controlBytes) control bytes and \(census.invalidSequences) invalid UTF-8 "
                + "sequences in the first \(prefix.count) bytes); not read"
        }
        return nil
    }

    /// When `prefix` starts a JSON document that is none of the containers gatelog reads (and not a JSON access-log
    /// line), why; nil otherwise (not JSON at all, or a known container). `isWhole` says the prefix is the whole
    /// input (so JSON ending early is malformed rather than cut by the sniffing window).
    public static func unknownJSON(_ prefix: [UInt8], isWhole: Bool) -> String? {
        var start = 0
        if prefix.count >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { start = 3 }
        while start < prefix.count, prefix[start] == 0x20 || prefix[start] == 0x09 || prefix[start] == 0x0A || prefix[start] == 0x0D {
            start += 1
        }
        guard start < prefix.count, prefix[start] == 0x7B || prefix[start] == 0x5B else { return nil }
        let body = Array(prefix[start...])
        guard body.withUnsafeBytes({ JSONContainerSniffer.sniff(prefix: $0) }) == nil else { return nil }
        // One-line access records (JSON or not) are read as they are.
        let firstLineEnd = body.firstIndex(of: 0x0A) ?? body.count
        if AccessLogRecord.parse(String(decoding: body[..<firstLineEnd], as: UTF8.self)) != nil { return nil }
        guard let shape = firstValueShape(body, isWhole: isWhole) else { return nil }
        return "JSON, but not a log format gatelog reads (\(shape)); expected `aws logs filter-log-events`/"
            + "`get-log-events`/`get-query-results` output, a subscription-filter payload, a Logs Insights JSON download "
            + "or JSON access-log lines; not read"
    }

    /// Describes the first JSON value of `bytes` ("an object with keys …", "an array of numbers"), or nil when the
    /// bytes are not JSON.
    static func firstValueShape(_ bytes: [UInt8], isWhole: Bool) -> String? {
        let scanner = JSONScanner(source: MemorySource(bytes), bufferSize: bytes.count + 64, maxStringLength: 256)
        var keys: [String] = []
        var firstElement: JSONToken?
        var top: JSONToken?
        var tokensRead = 0
        do {
            top = try scanner.next()
            while true {
                let token = try scanner.next()
                tokensRead += 1
                if token == .endOfInput { return nil }
                if top == .beginArray, tokensRead == 1, token != .endArray { firstElement = token }
                if scanner.depth == 1, token == .key, top == .beginObject, keys.count < 6 {
                    keys.append(String(decoding: scanner.text.prefix(40), as: UTF8.self))
                }
                if scanner.depth == 0 { break }
                if tokensRead > 100_000 { break }
            }
        } catch let error as JSONSyntaxError {
            // When it is only the sniffing window that ends, judge by what was read; any other error: not JSON.
            let cutByWindow = error.reason.hasPrefix("input ends") || error.offset >= Int64(bytes.count) - 16
            guard !isWhole, cutByWindow, tokensRead > 0 else { return nil }
            return describe(top ?? .beginObject, keys: keys, element: firstElement)
        } catch {
            return nil
        }
        return describe(top ?? .beginObject, keys: keys, element: firstElement)
    }

    private static func describe(_ top: JSONToken, keys: [String], element: JSONToken?) -> String {
        if top == .beginObject {
            if keys.isEmpty { return "an empty object" }
            let shown = keys.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
            return "an object with keys \(shown)\(keys.count > 5 ? ", …" : "")"
        }
        switch element {
        case .beginObject?: return "an array of objects"
        case .beginArray?: return "an array of arrays"
        case .string?: return "an array of strings"
        case .number?: return "an array of numbers"
        case .trueValue?, .falseValue?: return "an array of booleans"
        case .null?: return "an array of nulls"
        default: return "an empty array"
        }
    }

    /// The problem to report when an input held invalid UTF-8, or nil when it held none.
    public static func invalidUTF8Problem(file: String, census: UTF8Census) -> InputProblem? {
        guard census.invalidSequences > 0, let first = census.firstInvalidOffset else { return nil }
        let count = census.invalidSequences
        return InputProblem(
            source: file,
            message: "invalid UTF-8 at byte \(first) of the decoded text"
                + (count > 1 ? " (\(count) invalid sequences in all)" : "")
                + "; kept as read, shown with U+FFFD replacement characters")
    }
}
