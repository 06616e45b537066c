/// CSV cells that are safe to open in a spreadsheet: RFC 4180 quoting, and cells that start with `=`, `+`, `-`, `@`
/// (or a tab / carriage return) are prefixed with `'` so they cannot run as formulas. Control characters other than
/// tab, line feed and carriage return (terminal escape sequences in log text) are dropped, so a CSV printed on a
/// terminal cannot drive it either.
public enum CSV {
    public static func cell(_ value: String?) -> String {
        guard var text = value else { return "" }
        if text.unicodeScalars.contains(where: isStrippedControl) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isStrippedControl($0) }))
        }
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        // Decided on bytes, not Characters: `,` or `"` followed by a combining mark is one Character that equals
        // neither, yet a CSV reader still sees the comma or the quote.
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    public static func row(_ values: [String?]) -> String {
        values.map(cell).joined(separator: ",") + "\r\n"
    }

    private static func isStrippedControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (v >= 0x7F && v < 0xA0)
    }
}
