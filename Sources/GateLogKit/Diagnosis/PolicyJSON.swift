#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value as `PolicyJSON` reads it.
enum PolicyJSONValue {
    case string(String)
    case number
    case bool
    case null
    case array([PolicyJSONValue])
    case object(PolicyJSONObject)
}

/// A JSON object with its members in text order (keys are unique: `PolicyJSON` gives up on repeated keys).
struct PolicyJSONObject {
    /// One `"key": value` pair.
    struct Member {
        var key: String
        var value: PolicyJSONValue
    }

    var members: [Member]

    subscript(key: String) -> PolicyJSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }
}

/// Thrown when the fast reader cannot vouch for giving what the Foundation reading gives.
struct PolicyJSONUnsure: Error {}

/// A strict, byte-level JSON reader for authorizer result bodies: the fast path of `AuthorizerPolicy.parse`.
///
/// It reads only plain-ASCII, well-formed JSON whose strings carry no `\u` escapes, whose numbers are short and have
/// no exponent, whose objects repeat no key and nest at most 32 deep. Anything else throws `PolicyJSONUnsure`, and
/// the caller reads the text through `JSONSerialization` as before: the fast path never changes a result, it only
/// skips Foundation's parse and its bridging casts for the bodies authorizers actually return.
struct PolicyJSON {
    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    private let end: Int
    private var depth = 0

    /// Reads the object that makes up the whole of `bytes[range]`.
    static func object(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(PolicyJSONUnsure) -> PolicyJSONObject {
        var reader = PolicyJSON(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        reader.skipBlanks()
        guard reader.index < reader.end, bytes[reader.index] == 0x7B else { throw PolicyJSONUnsure() }
        guard case .object(let object) = try reader.value() else { throw PolicyJSONUnsure() }
        reader.skipBlanks()
        guard reader.index == reader.end else { throw PolicyJSONUnsure() }
        return object
    }

    private init(bytes: UnsafeRawBufferPointer, index: Int, end: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
    }

    private mutating func skipBlanks() {
        while index < end {
            let c = bytes[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    private mutating func value() throws(PolicyJSONUnsure) -> PolicyJSONValue {
        guard index < end else { throw PolicyJSONUnsure() }
        switch bytes[index] {
        case 0x22: return .string(try string())
        case 0x7B: return .object(try object())
        case 0x5B: return .array(try array())
        case 0x74: try literal("true"); return .bool
        case 0x66: try literal("false"); return .bool
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: try number(); return .number
        default: throw PolicyJSONUnsure()
        }
    }

    private mutating func object() throws(PolicyJSONUnsure) -> PolicyJSONObject {
        depth += 1
        guard depth <= 32 else { throw PolicyJSONUnsure() }
        index += 1
        var members: [PolicyJSONObject.Member] = []
        skipBlanks()
        if index < end, bytes[index] == 0x7D {
            index += 1
            depth -= 1
            return PolicyJSONObject(members: members)
        }
        while true {
            skipBlanks()
            guard index < end, bytes[index] == 0x22 else { throw PolicyJSONUnsure() }
            let key = try string()
            if members.contains(where: { $0.key == key }) { throw PolicyJSONUnsure() }
            skipBlanks()
            guard index < end, bytes[index] == 0x3A else { throw PolicyJSONUnsure() }
            index += 1
            skipBlanks()
            members.append(PolicyJSONObject.Member(key: key, value: try value()))
            skipBlanks()
            guard index < end else { throw PolicyJSONUnsure() }
            if bytes[index] == 0x2C { index += 1; continue }
            guard bytes[index] == 0x7D else { throw PolicyJSONUnsure() }
            index += 1
            depth -= 1
            return PolicyJSONObject(members: members)
        }
    }

    private mutating func array() throws(PolicyJSONUnsure) -> [PolicyJSONValue] {
        depth += 1
        guard depth <= 32 else { throw PolicyJSONUnsure() }
        index += 1
        var items: [PolicyJSONValue] = []
        skipBlanks()
        if index < end, bytes[index] == 0x5D {
            index += 1
            depth -= 1
            return items
        }
        while true {
            skipBlanks()
            items.append(try value())
            skipBlanks()
            guard index < end else { throw PolicyJSONUnsure() }
            if bytes[index] == 0x2C { index += 1; continue }
            guard bytes[index] == 0x5D else { throw PolicyJSONUnsure() }
            index += 1
            depth -= 1
            return items
        }
    }

    /// A string literal of printable ASCII with the two-character escapes.
    private mutating func string() throws(PolicyJSONUnsure) -> String {
        index += 1
        let start = index
        var escaped = false
        while index < end {
            let c = bytes[index]
            if c == 0x22 { break }
            guard c >= 0x20, c < 0x80 else { throw PolicyJSONUnsure() }
            if c == 0x5C {
                escaped = true
                index += 1
                guard index < end else { throw PolicyJSONUnsure() }
                switch bytes[index] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: break
                default: throw PolicyJSONUnsure()   // \u…, or an invalid escape
                }
            }
            index += 1
        }
        guard index < end else { throw PolicyJSONUnsure() }
        let range = start..<index
        index += 1
        guard escaped else { return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            var c = bytes[i]
            if c == 0x5C {
                i += 1
                switch bytes[i] {
                case 0x62: c = 0x08
                case 0x66: c = 0x0C
                case 0x6E: c = 0x0A
                case 0x72: c = 0x0D
                case 0x74: c = 0x09
                default: c = bytes[i]
                }
            }
            decoded.append(c)
            i += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private mutating func literal(_ word: StaticString) throws(PolicyJSONUnsure) {
        let count = word.utf8CodeUnitCount
        guard end - index >= count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
            throw PolicyJSONUnsure()
        }
        index += count
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?`, at most 15 digits: numbers any reader takes alike.
    private mutating func number() throws(PolicyJSONUnsure) {
        if bytes[index] == 0x2D { index += 1 }
        var digits = 0
        func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        guard isDigit(index) else { throw PolicyJSONUnsure() }
        if bytes[index] == 0x30 {
            index += 1
            digits = 1
        } else {
            while isDigit(index) { index += 1; digits += 1 }
        }
        if index < end, bytes[index] == 0x2E {
            index += 1
            guard isDigit(index) else { throw PolicyJSONUnsure() }
            while isDigit(index) { index += 1; digits += 1 }
        }
        guard digits <= 15 else { throw PolicyJSONUnsure() }
        if index < end, bytes[index] == 0x65 || bytes[index] == 0x45 { throw PolicyJSONUnsure() }
    }
}
