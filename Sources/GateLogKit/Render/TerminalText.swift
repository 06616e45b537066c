/// Makes log-derived text safe to print on a terminal: escape sequences and other control characters are removed
/// (a log line must not be able to move the cursor, retitle the window or recolour the screen), and so are Unicode
/// bidirectional overrides (which would make text read differently from what it is); tabs become spaces.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) || isBidiControl($0) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:
                // Skip ESC [ … final byte, ESC ] … BEL/ST, or a lone ESC + one byte.
                guard let next = scalars.next() else { break }
                if next == "[" {
                    while let s = scalars.next(), !(s.value >= 0x40 && s.value <= 0x7E) {}
                } else if next == "]" {
                    while let s = scalars.next(), s.value != 0x07, s.value != 0x1B {}
                }
            case 0x09:
                out.append(" ")
            case 0x0A:
                out.append("↵")
            case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069:
                break   // control characters, and bidirectional overrides that would reorder what is shown
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
