/// The terminal report: aligned tables, optional colour, log-derived text sanitized.
public struct ReportTextRenderer {
    public var top = 20
    public var color = false

    public init(top: Int = 20, color: Bool = false) {
        self.top = top
        self.color = color
    }

    func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { paint(text, "1") }

    func outcomeColor(_ outcome: Outcome) -> String {
        switch outcome {
        case .allowed: return "32"
        case .denied: return "31"
        case .throttled: return "33"
        case .rejected: return "35"
        case .gatewayError, .backendError: return "91"
        case .incomplete, .unknown: return "90"
        }
    }

    public func render(_ report: Report) -> String {
        var out = bold("gatelog report") + " — \(number(report.totals.requests)) requests\n"
        out += "Window:  \(ReportFormatting.window(report))\n"
        out += "Filters: \(TerminalText.sanitize(ReportFormatting.filters(report)))\n"
        out += "Inputs:  \(ReportFormatting.inputs(report))\n"
        if report.testInvokeRequests > 0 { out += "Includes \(report.testInvokeRequests) console test-invoke request(s).\n" }
        out += "\n"

        out += bold("Outcomes") + "  "
        out += Outcome.allCases.compactMap { outcome in
            report.totals.outcomes[outcome].map { paint("\(outcome.rawValue) \(number($0))", outcomeColor(outcome)) }
        }.joined(separator: " · ") + "\n\n"

        // Causes
        let causes = report.sortedCauses
        var rows: [[String]] = [["CAUSE", "REQUESTS", "SHARE", "LAYER", "OUTCOME", "EXAMPLE"]]
        for cause in causes {
            let count = report.totals.causes[cause]!
            rows.append([cause.rawValue, number(count), ReportFormatting.percent(count, of: report.totals.requests), cause.layer.rawValue,
                         cause.outcome.rawValue, TerminalText.sanitize(report.examples(of: cause)?.ids.first ?? "")])
        }
        out += bold("Causes") + "\n" + table(rows, rightAligned: [1, 2])
        out += "\n"

        // Routes
        rows = [["ROUTE", "REQUESTS", "ALLOWED", "DENIED", "OTHER", "TOP FAILURE"]]
        for route in report.sortedRoutes.prefix(top) {
            let t = route.tally
            rows.append([TerminalText.sanitize(route.key), number(t.requests), number(t.outcomes[.allowed, default: 0]), number(t.denied),
                         number(ReportFormatting.otherFailures(t)), ReportFormatting.topFailure(t)])
        }
        out += bold("Routes") + "\n" + table(rows, rightAligned: [1, 2, 3, 4])
        if report.routeCount > top { out += "  … \(report.routeCount - top) more routes\n" }
        out += "\n"

        // Principals
        let principals = report.sortedPrincipals.filter { $0.tally.failed > 0 }
        if !principals.isEmpty {
            rows = [["PRINCIPAL", "REQUESTS", "FAILED", "DENIED", "ROUTES", "TOP FAILURE"]]
            for p in principals.prefix(top) {
                rows.append([TerminalText.sanitize(p.principal), number(p.tally.requests), number(p.tally.failed), number(p.tally.denied),
                             number(p.routeCount), ReportFormatting.topFailure(p.tally)])
            }
            out += bold("Principals with failures") + "\n" + table(rows, rightAligned: [1, 2, 3, 4])
            if principals.count > top { out += "  … \(principals.count - top) more principals\n" }
            out += "\n"
        }

        if !report.findings.isEmpty {
            out += bold("Findings") + "\n"
            for finding in report.findings {
                out += "• " + paint("[\(finding.kind)]", "33") + " \(TerminalText.sanitize(finding.message))\n"
                if !finding.examples.isEmpty {
                    out += "  e.g. \(finding.examples.prefix(3).map(TerminalText.sanitize).joined(separator: ", "))\n"
                }
                if let hint = finding.hint { out += ReportFormatting.wrap("Try first: " + TerminalText.sanitize(hint), indent: "  ", width: 110) }
            }
            out += "\n"
        }
        if !report.problems.isEmpty {
            out += bold("Input problems (results are partial)") + "\n"
            for problem in report.problems.prefix(top) { out += "  \(TerminalText.sanitize(problem.description))\n" }
            if report.problems.count > top { out += "  … \(report.problems.count - top) more\n" }
            out += "\n"
        }
        if let failing = causes.first(where: { $0 != .ok }) {
            out += "Run 'gatelog requests PATH --cause \(failing.rawValue) --format text' for the evidence, "
            out += "or 'gatelog trace ID PATH' for one request; 'gatelog causes' explains every cause.\n"
        }
        return out
    }

    func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (r, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                let text = rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
                line += (i == 0 ? "  " : "  ") + text
            }
            out += (r == 0 ? paint(line, "2") : line) + "\n"
        }
        return out
    }

    func number(_ n: Int) -> String { ReportFormatting.number(n) }

}
