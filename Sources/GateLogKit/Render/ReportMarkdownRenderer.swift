/// `report --format markdown`: GitHub/Slack-friendly headings, lists and pipe tables. Log-derived text is escaped so a
/// `|`, a backtick, a `<tag>` or a newline in a path or principal cannot break a table or inject markup.
public struct ReportMarkdownRenderer {
    public var top: Int

    public init(top: Int = 20) {
        self.top = top
    }

    /// Escapes log-derived text for a table cell or a list item.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "|", "`", "*", "[", "]": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}": out += " "
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// gatelog's own prose (hints): only HTML markup characters are escaped, its `code` spans stay.
    static func escapeMarkup(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\n", with: " ")
    }

    /// A request id as inline code (backticks and line breaks removed; `|` escaped for tables).
    static func code(_ id: String) -> String {
        let cleaned = String(String.UnicodeScalarView(id.unicodeScalars.filter { $0 != "`" && $0.value >= 0x20 && $0.value != 0x7F }))
        return "`" + cleaned.replacing("|", with: "\\|") + "`"
    }

    static func ids(_ ids: [String], limit: Int = 3) -> String {
        ids.prefix(limit).map(code).joined(separator: " ")
    }

    static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }

    public func render(_ report: Report) -> String {
        let n = ReportFormatting.number
        var out = "# gatelog report\n\n"
        out += "**\(n(report.totals.requests)) requests** · window \(ReportFormatting.window(report))"
        out += " · filters: " + (report.filters.isEmpty ? "none" : report.filters.map { Self.code($0) }.joined(separator: " ")) + "\n\n"
        out += "Inputs: \(ReportFormatting.inputs(report)) · gatelog \(Self.escape(report.toolVersion))\n"
        if report.testInvokeRequests > 0 { out += "\nIncludes \(n(report.testInvokeRequests)) console test-invoke request(s).\n" }

        out += "\n## Outcomes\n\n"
        out += Self.row(["Outcome", "Requests", "Share"]) + "|---|---:|---:|\n"
        for outcome in Outcome.allCases {
            guard let count = report.totals.outcomes[outcome] else { continue }
            out += Self.row(["`\(outcome.rawValue)`", n(count), ReportFormatting.percent(count, of: report.totals.requests)])
        }

        if !report.findings.isEmpty {
            out += "\n## Findings\n\n"
            for finding in report.findings {
                out += "- **\(finding.kind)** — \(Self.escape(finding.message))"
                if !finding.examples.isEmpty { out += " (e.g. \(Self.ids(finding.examples)))" }
                out += "\n"
                if let hint = finding.hint { out += "  - Try first: \(Self.escapeMarkup(hint))\n" }
            }
        }

        let causes = report.sortedCauses
        out += "\n## Causes\n\n"
        out += Self.row(["Cause", "Requests", "Layer", "Outcome", "Examples"]) + "|---|---:|---|---|---|\n"
        for cause in causes {
            out += Self.row(["`\(cause.rawValue)`", n(report.totals.causes[cause]!), cause.layer.rawValue, cause.outcome.rawValue,
                             Self.ids(report.examples(of: cause)?.ids ?? [], limit: 2)])
        }

        out += "\n## Routes\n\n"
        out += Self.row(["Route", "Requests", "Allowed", "Denied", "Other", "Top failure", "Example"]) + "|---|---:|---:|---:|---:|---|---|\n"
        for route in report.sortedRoutes.prefix(top) {
            let t = route.tally
            out += Self.row([Self.escape(route.key), n(t.requests), n(t.outcomes[.allowed, default: 0]), n(t.denied),
                             n(ReportFormatting.otherFailures(t)), t.topFailure.map { "`\($0.cause.rawValue)` (\(n($0.count)))" } ?? "",
                             Self.ids(ReportFormatting.topFailureExamples(route), limit: 1)])
        }
        if report.routeCount > top { out += "\n… \(report.routeCount - top) more routes\n" }

        let principals = report.sortedPrincipals.filter { $0.tally.failed > 0 }
        if !principals.isEmpty {
            out += "\n## Principals with failures\n\n"
            out += Self.row(["Principal", "Requests", "Failed", "Denied", "Routes", "Top failure"]) + "|---|---:|---:|---:|---:|---|\n"
            for p in principals.prefix(top) {
                out += Self.row([Self.escape(p.principal), n(p.tally.requests), n(p.tally.failed), n(p.tally.denied), n(p.routeCount),
                                 p.tally.topFailure.map { "`\($0.cause.rawValue)` (\(n($0.count)))" } ?? ""])
            }
            if principals.count > top { out += "\n… \(principals.count - top) more principals\n" }
        }

        if !report.problems.isEmpty {
            out += "\n## Input problems (results are partial)\n\n"
            for problem in report.problems.prefix(top) { out += "- \(Self.escape(problem.description))\n" }
            if report.problems.count > top { out += "- … \(report.problems.count - top) more\n" }
        }
        return out
    }
}
