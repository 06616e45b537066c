/// Recognises the console's access-log presets (CLF, XML, CSV) by their shape and names their values.
///
/// REST CLF:  `ip caller user [requestTime] "httpMethod resourcePath protocol" status responseLength requestId [extendedRequestId]`
/// HTTP CLF:  `ip - - [requestTime] "httpMethod routeKey protocol" status responseLength requestId`
/// REST CSV:  `ip,caller,user,requestTime,httpMethod,resourcePath,protocol,status,responseLength,requestId[,extendedRequestId]`
/// HTTP CSV:  `ip,requestTime,httpMethod,routeKey,protocol,status,responseLength,requestId`
/// XML:       `<request id="requestId"> <ip>…</ip> … </request>` (any element names; nested elements become dotted keys)
enum AccessLogPresets {
    typealias Pairs = [(key: String, value: String)]

    // MARK: CLF

    static func commonLogFormat(_ line: Substring) -> Pairs? {
        var rest = line[...]
        guard let ip = nextToken(&rest), let caller = nextToken(&rest), let user = nextToken(&rest) else { return nil }
        rest = rest.drop(while: { $0 == " " })
        guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
        let time = rest[rest.index(after: rest.startIndex)..<close]
        guard AccessLogTime.clf(Array(time.utf8)) != nil else { return nil }
        rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        guard let endQuote = rest.firstIndex(of: "\"") else { return nil }
        let requestLine = rest[..<endQuote].split(separator: " ", omittingEmptySubsequences: true)
        rest = rest[rest.index(after: endQuote)...]
        guard let status = nextToken(&rest), isStatus(status), let length = nextToken(&rest),
              let requestId = nextToken(&rest), isRequestIdShape(requestId)
        else { return nil }
        let extended = nextToken(&rest)
        guard nextToken(&rest) == nil else { return nil }

        var pairs: Pairs = [("sourceIp", String(ip)), ("caller", String(caller)), ("user", String(user)),
                            ("requestTime", String(time))]
        pairs += requestLinePairs(requestLine)
        pairs += [("status", String(status)), ("responseLength", String(length)), ("requestId", String(requestId))]
        if let extended { pairs.append(("extendedRequestId", String(extended))) }
        return pairs
    }

    /// `GET /pets/{id} HTTP/1.1` (REST: a resource template) or `GET GET /pets/{id} HTTP/1.1` / `GET $default HTTP/1.1`
    /// (HTTP APIs: a route key).
    private static func requestLinePairs(_ parts: [Substring]) -> Pairs {
        guard let method = parts.first else { return [] }
        var pairs: Pairs = [("httpMethod", String(method))]
        var middle = parts.dropFirst()
        if let last = middle.last, last.hasPrefix("HTTP/") {
            pairs.append(("protocol", String(last)))
            middle = middle.dropLast()
        }
        let target = middle.joined(separator: " ")
        if middle.count == 2 || target == "$default" {
            pairs.append(("routeKey", target))
        } else if !target.isEmpty {
            pairs.append(("resourcePath", target))
        }
        return pairs
    }

    // MARK: CSV

    static func commaSeparated(_ line: Substring) -> Pairs? {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        switch cells.count {
        case 10, 11:
            guard AccessLogTime.clf(Array(cells[3].utf8)) != nil, isStatus(Substring(cells[7])),
                  isRequestIdShape(Substring(cells[9])), isMethodShape(cells[4])
            else { return nil }
            let names = ["sourceIp", "caller", "user", "requestTime", "httpMethod", "resourcePath", "protocol", "status",
                         "responseLength", "requestId", "extendedRequestId"]
            return Array(zip(names, cells)).map { (key: $0.0, value: $0.1) }
        case 8:
            guard AccessLogTime.clf(Array(cells[1].utf8)) != nil, isStatus(Substring(cells[5])),
                  isRequestIdShape(Substring(cells[7])), isMethodShape(cells[2])
            else { return nil }
            let names = ["sourceIp", "requestTime", "httpMethod", "routeKey", "protocol", "status", "responseLength", "requestId"]
            return Array(zip(names, cells)).map { (key: $0.0, value: $0.1) }
        default:
            return nil
        }
    }

    // MARK: XML

    /// `<request id="…">` followed by elements; the `id` attribute is the request id.
    static func xml(_ text: Substring) -> Pairs? {
        var scanner = XMLScanner(text: Array(text.utf8))
        return scanner.scanRequest()
    }

    private struct XMLScanner {
        let text: [UInt8]
        var index = 0
        var pairs: Pairs = []

        mutating func scanRequest() -> Pairs? {
            guard consume("<request"), index < text.count, text[index] == UInt8(ascii: " ") else { return nil }
            let tagEnd = text[index...].firstIndex(of: UInt8(ascii: ">")) ?? text.count
            guard tagEnd < text.count else { return nil }
            let attributes = Array(text[index..<tagEnd])
            if let id = Self.attribute("id", in: attributes) { pairs.append(("id", id)) }
            index = tagEnd + 1
            scanChildren(prefix: "", depth: 0)
            return pairs
        }

        /// Reads elements until the enclosing element's end tag (or the end of input).
        mutating func scanChildren(prefix: String, depth: Int) {
            while true {
                skipBlanks()
                guard index < text.count, text[index] == UInt8(ascii: "<") else { return }
                if index + 1 < text.count, text[index + 1] == UInt8(ascii: "/") {
                    guard let end = text[index...].firstIndex(of: UInt8(ascii: ">")) else { index = text.count; return }
                    index = end + 1
                    return
                }
                guard let tagEnd = text[index...].firstIndex(of: UInt8(ascii: ">")) else { index = text.count; return }
                var tag = Array(text[(index + 1)..<tagEnd])
                index = tagEnd + 1
                let selfClosing = tag.last == UInt8(ascii: "/")
                if selfClosing { tag.removeLast() }
                let name = String(decoding: tag.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                guard !name.isEmpty else { return }
                let key = prefix.isEmpty ? name : prefix + "." + name
                if selfClosing {
                    pairs.append((key, ""))
                    continue
                }
                let contentStart = index
                var probe = index
                while probe < text.count, LenientJSONObjectScanner.isBlank(text[probe]) { probe += 1 }
                if probe + 1 < text.count, text[probe] == UInt8(ascii: "<"), text[probe + 1] != UInt8(ascii: "/"), depth < 4 {
                    index = probe
                    scanChildren(prefix: key, depth: depth + 1)
                    continue
                }
                let valueEnd = text[contentStart...].firstIndex(of: UInt8(ascii: "<")) ?? text.count
                pairs.append((key, Self.unescapeEntities(Array(text[contentStart..<valueEnd]))))
                index = valueEnd
                // The matching end tag.
                if index + 1 < text.count, text[index + 1] == UInt8(ascii: "/"),
                   let end = text[index...].firstIndex(of: UInt8(ascii: ">")) {
                    index = end + 1
                }
            }
        }

        mutating func consume(_ literal: String) -> Bool {
            let bytes = Array(literal.utf8)
            guard text.count - index >= bytes.count, Array(text[index..<(index + bytes.count)]) == bytes else { return false }
            index += bytes.count
            return true
        }

        mutating func skipBlanks() {
            while index < text.count, LenientJSONObjectScanner.isBlank(text[index]) { index += 1 }
        }

        static func attribute(_ name: String, in attributes: [UInt8]) -> String? {
            let needle = Array((name + "=\"").utf8)
            var k = 0
            while k + needle.count <= attributes.count {
                if Array(attributes[k..<(k + needle.count)]) == needle,
                   k == 0 || LenientJSONObjectScanner.isBlank(attributes[k - 1]) {
                    let start = k + needle.count
                    let end = attributes[start...].firstIndex(of: UInt8(ascii: "\"")) ?? attributes.count
                    return unescapeEntities(Array(attributes[start..<end]))
                }
                k += 1
            }
            return nil
        }

        static func unescapeEntities(_ raw: [UInt8]) -> String {
            let text = String(decoding: raw, as: UTF8.self)
            guard text.contains("&") else { return text }
            var out = ""
            var rest = text[...]
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                let afterAmp = rest[amp...]
                if let semi = afterAmp.firstIndex(of: ";"), afterAmp.distance(from: amp, to: semi) <= 10,
                   let decoded = entity(afterAmp[afterAmp.index(after: amp)..<semi]) {
                    out.append(decoded)
                    rest = afterAmp[afterAmp.index(after: semi)...]
                } else {
                    out.append("&")
                    rest = afterAmp.dropFirst()
                }
            }
            out += rest
            return out
        }

        static func entity(_ name: Substring) -> Character? {
            switch name {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                var digits = name
                var radix = 10
                guard digits.first == "#" else { return nil }
                digits = digits.dropFirst()
                if digits.first == "x" || digits.first == "X" {
                    radix = 16
                    digits = digits.dropFirst()
                }
                guard let value = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(value) else { return nil }
                return Character(scalar)
            }
        }
    }

    // MARK: Shapes

    private static func nextToken(_ rest: inout Substring) -> Substring? {
        rest = rest.drop(while: { $0 == " " })
        guard !rest.isEmpty else { return nil }
        let end = rest.firstIndex(of: " ") ?? rest.endIndex
        let token = rest[..<end]
        rest = rest[end...]
        return token
    }

    private static func isStatus(_ token: Substring) -> Bool {
        token == "-" || (token.utf8.count == 3 && token.utf8.allSatisfy(AccessLogTime.isDigit))
    }

    private static func isMethodShape(_ cell: String) -> Bool {
        cell == "-" || (!cell.isEmpty && cell.utf8.count <= 10 && cell.utf8.allSatisfy { $0 >= 65 && $0 <= 90 })
    }

    /// A UUID (REST), `<uuid>_REPLACED_INVALID_REQUEST_ID`, or an HTTP-API id such as `JUcJfg7doAMEMyQ=`.
    static func isRequestIdShape(_ token: Substring) -> Bool {
        let bytes = Array(token.utf8)
        if bytes.count >= 36, bytes.withUnsafeBytes({ RequestKey.uuid(UnsafeRawBufferPointer(rebasing: $0[0..<36])) }) != nil {
            return bytes.count == 36 || token.hasSuffix("_REPLACED_INVALID_REQUEST_ID")
        }
        guard (12...24).contains(bytes.count), bytes.last == UInt8(ascii: "=") else { return false }
        return bytes.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
                || c == UInt8(ascii: "=") || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "-")
        }
    }
}
