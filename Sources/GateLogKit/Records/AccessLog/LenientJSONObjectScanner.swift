/// One value found by `LenientJSONObjectScanner`, kept in the form it was written.
enum ScannedJSONValue: Equatable {
    /// A well-formed JSON string, escapes decoded.
    case string(String)
    /// A number, boolean or other unquoted token (`403`, `true`, a bare `-`), trimmed.
    case bare(String)
    /// JSON `null`.
    case null
    /// A string whose inner quotes were not escaped (what `"…":"$context.error.messageString"` produces); the text between
    /// the outer quotes, unchanged.
    case unescapedQuotes(String)
    /// An array, as its raw text (access-log values are scalars; arrays are kept only for `fields`).
    case array(String)
}

/// Reads the key/value pairs of one JSON object, forgiving the invalid JSON that API Gateway access logs contain.
///
/// Tolerated: unescaped inner quotes in a string value (recovered at the next `", "<key>":` / `"}` boundary), trailing or
/// doubled commas, unquoted values (`"status":403`, `"status":-`), bare keys, and a truncated object (the pairs read so far are
/// kept). Nested objects are flattened into dotted keys (`{"error":{"message":"x"}}` → `error.message`).
struct LenientJSONObjectScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private(set) var pairs: [(key: String, value: ScannedJSONValue)] = []
    /// False when the object ended early or broke in a way that could not be recovered.
    private(set) var isComplete = false

    /// Nested objects deeper than this are kept as raw text instead of being flattened.
    private static let maxDepth = 6

    /// Scans the object starting at the first non-blank byte; nil when the text does not start with `{`.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> LenientJSONObjectScanner? {
        var scanner = LenientJSONObjectScanner(bytes: bytes)
        scanner.skipBlanks()
        guard scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "{") else { return nil }
        scanner.isComplete = scanner.scanObject(prefix: "", depth: 0)
        return scanner
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: - Structure

    /// Reads `{ … }` with `index` on the `{`. Returns false if the object is cut off or unreadable.
    private mutating func scanObject(prefix: String, depth: Int) -> Bool {
        index += 1
        while true {
            skipBlanks()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "}"):
                index += 1
                return true
            case UInt8(ascii: ","):
                index += 1
                continue
            default:
                break
            }
            guard let key = scanKey() else { return false }
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipBlanks()
            guard index < bytes.count else { return false }
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch bytes[index] {
            case UInt8(ascii: "{"):
                if depth < Self.maxDepth {
                    guard scanObject(prefix: path, depth: depth + 1) else { return false }
                } else {
                    let start = index
                    guard skipBalanced() else { return false }
                    pairs.append((path, .bare(text(start..<index))))
                }
            case UInt8(ascii: "["):
                let start = index
                guard skipBalanced() else { return false }
                pairs.append((path, .array(text(start..<index))))
            case UInt8(ascii: "\""):
                guard scanStringValue(key: path) else { return false }
            default:
                pairs.append((path, scanBareValue()))
            }
        }
    }

    private mutating func scanKey() -> String? {
        if bytes[index] == UInt8(ascii: "\"") {
            guard let (key, end) = decodeString(at: index) else { return nil }
            index = end
            return key
        }
        let start = index
        while index < bytes.count, Self.isBareKeyByte(bytes[index]) { index += 1 }
        return index > start ? text(start..<index) : nil
    }

    /// A string value; when what follows its closing quote is not `,` or `}`, the inner quotes were unescaped and the value
    /// runs to the next plausible boundary instead.
    private mutating func scanStringValue(key: String) -> Bool {
        let open = index
        let strict = decodeString(at: open)
        if let (value, end) = strict {
            let next = skippingBlanks(from: end)
            if next >= bytes.count || bytes[next] == UInt8(ascii: ",") || bytes[next] == UInt8(ascii: "}") {
                index = end
                pairs.append((key, .string(value)))
                return true
            }
        }
        if let close = recoveryQuote(after: open) {
            pairs.append((key, .unescapedQuotes(text(open + 1..<close))))
            index = close + 1
            return true
        }
        if let (value, _) = strict {
            pairs.append((key, .string(value)))
        }
        return false
    }

    /// The first quote after `open` that is followed by `, "<key>":`, by `}` closing this object, or by the end of input.
    private func recoveryQuote(after open: Int) -> Int? {
        var k = open + 1
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "\""), endsValue(quoteAt: k) { return k }
            k += 1
        }
        return nil
    }

    private func endsValue(quoteAt quote: Int) -> Bool {
        let next = skippingBlanks(from: quote + 1)
        guard next < bytes.count else { return true }
        switch bytes[next] {
        case UInt8(ascii: "}"):
            let after = skippingBlanks(from: next + 1)
            return after >= bytes.count || bytes[after] == UInt8(ascii: ",") || bytes[after] == UInt8(ascii: "}")
        case UInt8(ascii: ","):
            let keyStart = skippingBlanks(from: next + 1)
            guard keyStart < bytes.count else { return true }
            if bytes[keyStart] == UInt8(ascii: "}") { return true }
            guard bytes[keyStart] == UInt8(ascii: "\"") else { return false }
            var q = keyStart + 1
            while q < bytes.count {
                let c = bytes[q]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") || c == UInt8(ascii: "\n") || c == UInt8(ascii: ",") { return false }
                q += 1
            }
            guard q < bytes.count, q > keyStart + 1 else { return false }
            let colon = skippingBlanks(from: q + 1)
            return colon < bytes.count && bytes[colon] == UInt8(ascii: ":")
        default:
            return false
        }
    }

    /// An unquoted value up to the next `,`, `}`, `]` or line end.
    private mutating func scanBareValue() -> ScannedJSONValue {
        let start = index
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]")
                || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
            index += 1
        }
        var end = index
        while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
        let raw = text(start..<end)
        return raw == "null" ? .null : .bare(raw)
    }

    /// Moves past a balanced `[…]` or `{…}` (strings inside are skipped). False if the input ends first.
    private mutating func skipBalanced() -> Bool {
        var depth = 0
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 {
                    index += 1
                    return true
                }
            }
            index += 1
        }
        return false
    }

    // MARK: - Strings

    /// Decodes the JSON string whose opening quote is at `open`; returns the text and the index after the closing quote.
    /// Unknown escapes are kept as written; nil when no closing quote exists.
    private func decodeString(at open: Int) -> (String, Int)? {
        var k = open + 1
        var hasEscape = false
        while k < bytes.count {
            let c = bytes[k]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                hasEscape = true
                k += 1
            }
            k += 1
        }
        guard k < bytes.count else { return nil }
        if !hasEscape { return (text(open + 1..<k), k + 1) }
        return (Self.unescape(UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<k])), k + 1)
    }

    /// Decodes JSON escapes (`\"`, `\\`, `\n`, `\uXXXX` with surrogate pairs); anything malformed is kept literally.
    static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let c = raw[k]
            guard c == UInt8(ascii: "\\"), k + 1 < raw.count else {
                out.append(c)
                k += 1
                continue
            }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(raw, at: k) else {
                    out.append(contentsOf: [UInt8(ascii: "\\"), e])
                    continue
                }
                k += 4
                if (0xD800..<0xDC00).contains(scalar), k + 5 < raw.count, raw[k] == UInt8(ascii: "\\"),
                   raw[k + 1] == UInt8(ascii: "u"), let low = hex4(raw, at: k + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(character).utf8))
            default:
                out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, at start: Int) -> UInt32? {
        guard start + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for k in start..<(start + 4) {
            let digit = RequestKey.hexValue[Int(raw[k])]
            guard digit & 0x80 == 0 else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    // MARK: - Bytes

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private mutating func skipBlanks() {
        index = skippingBlanks(from: index)
    }

    private func skippingBlanks(from start: Int) -> Int {
        var k = start
        while k < bytes.count, Self.isBlank(bytes[k]) { k += 1 }
        return k
    }

    static func isBlank(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    private static func isBareKeyByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }
}
