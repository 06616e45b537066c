/// CSV cells that are safe to open in a spreadsheet: RFC 4180 quoting, and cells that start with `=`, `+`, `-`, `@`
/// (or a tab / carriage return) are prefixed with `'` so they cannot run as formulas.
public enum CSV {
    public static func cell(_ value: String?) -> String {
        guard var text = value else { return "" }
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacing("\"", with: "\"\"") + "\""
        }
        return text
    }

    public static func row(_ values: [String?]) -> String {
        values.map(cell).joined(separator: ",") + "\r\n"
    }
}

