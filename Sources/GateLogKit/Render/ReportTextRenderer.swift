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
        var out = ""
        let window = [report.windowStart, report.windowEnd].compactMap { $0.map(Timestamp.iso8601) }.joined(separator: " → ")
        out += bold("gatelog report") + " — \(number(report.totals.requests)) requests" + (window.isEmpty ? "" : ", \(window)") + "\n"
        let inputs = report.inputs
        out += "Inputs: \(number(inputs.files)) files, \(bytes(inputs.bytes)), \(number(inputs.records)) records "
        out += "(\(number(inputs.recognizedLines)) recognized, \(number(inputs.unrecognizedLines)) unrecognized, "
        out += "\(number(inputs.orphanLines)) orphan, \(number(inputs.accessRecords)) access-log), "
        out += "\(number(report.problems.count)) problem\(report.problems.count == 1 ? "" : "s")\n"
        if !report.filters.isEmpty { out += "Filters: \(report.filters.map(TerminalText.sanitize).joined(separator: " "))\n" }
        if report.testInvokeRequests > 0 { out += "Includes \(report.testInvokeRequests) console test-invoke request(s).\n" }
        out += "\n"

        out += bold("Outcomes") + "  "
        out += Outcome.allCases.compactMap { outcome in
            report.totals.outcomes[outcome].map { paint("\(outcome.rawValue) \(number($0))", outcomeColor(outcome)) }
        }.joined(separator: " · ") + "\n\n"

        // Causes
        let causes = Cause.allCases.filter { report.totals.causes[$0] != nil }
            .sorted { (report.totals.causes[$0]!, $1.rawValue) > (report.totals.causes[$1]!, $0.rawValue) }
        var rows: [[String]] = [["CAUSE", "REQUESTS", "LAYER", "OUTCOME", "EXAMPLE"]]
        for cause in causes.prefix(top) {
            rows.append([cause.rawValue, number(report.totals.causes[cause]!), cause.layer.rawValue, cause.outcome.rawValue,
                         report.examples[cause]?.ids.first ?? ""])
        }
        out += bold("Causes") + "\n" + table(rows, rightAligned: [1]) + "\n"

        // Routes
        rows = [["ROUTE", "REQUESTS", "ALLOWED", "DENIED", "OTHER", "TOP FAILURE"]]
        for route in report.sortedRoutes.prefix(top) {
            let t = route.tally
            let allowed = t.outcomes[.allowed, default: 0], denied = t.denied
            let topFailure = t.causes.filter { $0.key != .ok }.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }
            rows.append([TerminalText.sanitize(route.key), number(t.requests), number(allowed), number(denied),
                         number(t.requests - allowed - denied), topFailure.map { "\($0.key.rawValue) (\($0.value))" } ?? ""])
        }
        out += bold("Routes") + "\n" + table(rows, rightAligned: [1, 2, 3, 4])
        if report.routes.count > top { out += "… \(report.routes.count - top) more routes\n" }
        out += "\n"

        // Principals
        let principals = report.sortedPrincipals.filter { $0.tally.failed > 0 }
        if !principals.isEmpty {
            rows = [["PRINCIPAL", "REQUESTS", "DENIED", "ROUTES", "TOP FAILURE"]]
            for p in principals.prefix(top) {
                let topFailure = p.tally.causes.filter { $0.key != .ok }.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }
                rows.append([TerminalText.sanitize(p.principal), number(p.tally.requests), number(p.tally.denied),
                             number(p.routes.count), topFailure.map { "\($0.key.rawValue) (\($0.value))" } ?? ""])
            }
            out += bold("Principals with failures") + "\n" + table(rows, rightAligned: [1, 2, 3]) + "\n"
        }

        if !report.findings.isEmpty {
            out += bold("Findings") + "\n"
            for finding in report.findings {
                out += "• [\(finding.kind)] \(TerminalText.sanitize(finding.message))\n"
                if !finding.examples.isEmpty { out += "  e.g. \(finding.examples.prefix(3).joined(separator: ", "))\n" }
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

    func number(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n) B" : "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
