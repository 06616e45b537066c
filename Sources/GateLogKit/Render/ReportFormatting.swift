/// Number, size, time and window wording shared by the report renderers (text, markdown, csv, html), so that every
/// format states the same figures the same way.
public enum ReportFormatting {
    /// `12,345`
    public static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// `286.9 KB` (decimal units).
    public static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n) B" : "\(oneDecimal(value)) \(units[unit])"
    }

    /// `12.5` — one decimal, `12` when whole.
    public static func oneDecimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// `45.5%` of `total` (`0%` when the total is zero).
    public static func percent(_ part: Int, of total: Int) -> String {
        total == 0 ? "0%" : oneDecimal(Double(part) * 100 / Double(total)) + "%"
    }

    /// `2026-11-20T07:41:05.220Z → 2026-11-20T11:55:02.160Z`, or `no timed requests`.
    public static func window(_ report: Report) -> String {
        guard let start = report.windowStart else { return "no timed requests" }
        return Timestamp.iso8601(start) + " → " + Timestamp.iso8601(report.windowEnd ?? start)
    }

    /// The filters a report used, or `none`.
    public static func filters(_ report: Report) -> String {
        report.filters.isEmpty ? "none" : report.filters.joined(separator: " ")
    }

    /// `6 files, 286.9 KB, 1,735 records (… ), 0 problems`
    public static func inputs(_ report: Report) -> String {
        let i = report.inputs
        let problems = report.problems.count
        return "\(number(i.files)) file\(i.files == 1 ? "" : "s"), \(bytes(i.bytes)), \(number(i.records)) records "
            + "(\(number(i.recognizedLines)) recognized, \(number(i.unrecognizedLines)) unrecognized, "
            + "\(number(i.orphanLines)) orphan, \(number(i.accessRecords)) access-log), "
            + "\(number(problems)) problem\(problems == 1 ? "" : "s")"
    }

    /// `throttled (2)` for a tally's most frequent failure.
    public static func topFailure(_ tally: Tally) -> String {
        tally.topFailure.map { "\($0.cause.rawValue) (\(number($0.count)))" } ?? ""
    }

    /// The example ids of a route's most frequent failure.
    public static func topFailureExamples(_ route: RouteSummary) -> [String] {
        route.tally.topFailure.flatMap { route.examples[$0.cause]?.ids } ?? []
    }

    /// Requests per outcome other than allowed and denied.
    public static func otherFailures(_ tally: Tally) -> Int {
        tally.requests - tally.outcomes[.allowed, default: 0] - tally.denied
    }

    /// Words of `text` on lines of at most `width` characters, each starting with `indent`.
    public static func wrap(_ text: String, indent: String, width: Int) -> String {
        var out = ""
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, line != indent {
                out += line + "\n"
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        return out + line + "\n"
    }
}
