/// The parts of JSON string decoding that the token scanner (`JSONScanner`) and the events fast path
/// (`JSONStringBytes`) share, so both read `\u` escapes and write scalars exactly alike.
enum JSONEscapes {
    static let replacementCharacter: UInt32 = 0xFFFD

    /// The byte a one-letter escape (`\n`, `\"`, …) stands for, given the letter; nil for `u` and unknown letters.
    @inline(__always)
    static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case 0x22: return 0x22
        case 0x5C: return 0x5C
        case 0x2F: return 0x2F
        case 0x62: return 0x08
        case 0x66: return 0x0C
        case 0x6E: return 0x0A
        case 0x72: return 0x0D
        case 0x74: return 0x09
        default: return nil
        }
    }

    /// The four hex digits at `index`; nil when any is not a hex digit.
    @inline(__always)
    static func hex4(_ base: UnsafeRawPointer, at index: Int) -> UInt32? {
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = base.load(fromByteOffset: index + k, as: UInt8.self)
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The scalar of the `\u` escape whose backslash is at `index` (bytes are readable up to `end`) and how many bytes
    /// it spans: 12 for a surrogate pair written as two escapes; U+FFFD over the `\u` alone when four hex digits do not
    /// follow, and over the six bytes of a lone surrogate.
    @inline(__always)
    static func unicodeEscape(_ base: UnsafeRawPointer, at index: Int, end: Int) -> (scalar: UInt32, length: Int) {
        guard end - index >= 6, let unit = hex4(base, at: index + 2) else { return (replacementCharacter, 2) }
        if unit >= 0xD800 && unit <= 0xDBFF {
            if end - index >= 12, base.load(fromByteOffset: index + 6, as: UInt8.self) == 0x5C,
               base.load(fromByteOffset: index + 7, as: UInt8.self) == 0x75,
               let low = hex4(base, at: index + 8), low >= 0xDC00 && low <= 0xDFFF {
                return (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), 12)
            }
            return (replacementCharacter, 6)
        }
        if unit >= 0xDC00 && unit <= 0xDFFF { return (replacementCharacter, 6) }
        return (unit, 6)
    }

    /// Calls `body` with the UTF-8 bytes of a scalar value.
    @inline(__always)
    static func withUTF8(of value: UInt32, _ body: (UnsafeRawBufferPointer) -> Void) {
        var utf8: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let length: Int
        switch value {
        case ..<0x80:
            utf8.0 = UInt8(value)
            length = 1
        case ..<0x800:
            utf8.0 = UInt8(0xC0 | (value >> 6))
            utf8.1 = UInt8(0x80 | (value & 0x3F))
            length = 2
        case ..<0x10000:
            utf8.0 = UInt8(0xE0 | (value >> 12))
            utf8.1 = UInt8(0x80 | ((value >> 6) & 0x3F))
            utf8.2 = UInt8(0x80 | (value & 0x3F))
            length = 3
        default:
            utf8.0 = UInt8(0xF0 | (value >> 18))
            utf8.1 = UInt8(0x80 | ((value >> 12) & 0x3F))
            utf8.2 = UInt8(0x80 | ((value >> 6) & 0x3F))
            utf8.3 = UInt8(0x80 | (value & 0x3F))
            length = 4
        }
        withUnsafeBytes(of: &utf8) { body(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }
}
