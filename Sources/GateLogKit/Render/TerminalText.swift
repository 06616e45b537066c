/// Makes log-derived text safe to print on a terminal: escape sequences and other control characters are removed
/// (a log line must not be able to move the cursor, retitle the window or recolour the screen), tabs become spaces.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else {
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
            case 0x00..<0x20, 0x7F..<0xA0:
                break
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
