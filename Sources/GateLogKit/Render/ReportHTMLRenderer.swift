/// `report --format html`: one self-contained page (no network: inline CSS, inline SVG charts, a little vanilla
/// JavaScript) with the window and filters, findings, charts, sortable and filterable tables, and a drill-down for
/// every example request. All log-derived text is HTML-escaped, in attributes, in SVG titles and in the embedded JSON.
public struct ReportHTMLRenderer {
    /// Bars per chart.
    public var top: Int
    /// Rows per table at most (the tables can be filtered and sorted in the page).
    public var tableRows = 1000

    public init(top: Int = 20) {
        self.top = top
    }

    // MARK: escaping

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" { out += "\u{FFFD}"; continue }
                if scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&` and U+2028/2029 as `\u` escapes
    /// (they can only occur inside strings, so the JSON stays equal).
    public static func scriptJSON(_ value: JSONValue) -> String {
        var out = ""
        appendScriptJSON(value.serialized(), to: &out)
        return out
    }

    /// `scriptJSON(ReportJSON.encode(report))`, without building the JSON tree or text of a whole report.
    static func scriptJSON(_ report: Report) -> String {
        var out = ""
        ReportJSON.write(report, pretty: false) { appendScriptJSON($0, to: &out) }
        return out
    }

    private static func appendScriptJSON(_ json: String, to out: inout String) {
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// A fragment id for a request's drill-down: letters, digits and `-` kept, anything else as `_XX` hex.
    public static func anchor(_ requestId: String) -> String {
        var out = "req-"
        for byte in requestId.utf8 {
            let isSafe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
            if isSafe { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "_" + String(byte, radix: 16) }
        }
        return out
    }

    // MARK: page

    public func render(_ report: Report) -> String {
        let e = Self.escape
        let n = ReportFormatting.number
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="generator" content="gatelog \(e(report.toolVersion))">
        <title>gatelog report · \(n(report.totals.requests)) requests · \(e(ReportFormatting.window(report)))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header>
        <h1>gatelog report</h1>
        <dl class="meta">
        <div><dt>Window</dt><dd>\(e(ReportFormatting.window(report)))</dd></div>
        <div><dt>Filters</dt><dd>\(report.filters.isEmpty ? "none" : report.filters.map { "<code>\(e($0))</code>" }.joined(separator: " "))</dd></div>
        <div><dt>Inputs</dt><dd>\(e(ReportFormatting.inputs(report)))</dd></div>
        <div><dt>Authorizer TTL</dt><dd>\(report.authorizerTTLSeconds) s</dd></div>
        </dl>
        </header>
        <main>

        """
        page += kpis(report)
        page += findings(report)
        page += charts(report)
        page += causesTable(report)
        page += routesTable(report)
        page += principalsTable(report)
        page += problems(report)
        page += drillDown(report)
        page += """
        </main>
        <footer>gatelog \(e(report.toolVersion)) · schema \(Report.schemaVersion) · the data behind this page is embedded as JSON (<code>#gatelog-report</code>)</footer>
        <script type="application/json" id="gatelog-report">\(Self.scriptJSON(report))</script>
        <script>\(Self.script)</script>
        </body>
        </html>

        """
        return page
    }

    func kpis(_ report: Report) -> String {
        let n = ReportFormatting.number
        var out = "<section class=\"kpis\" aria-label=\"Outcomes\">\n"
        out += "<div class=\"kpi\"><span class=\"v\">\(n(report.totals.requests))</span><span class=\"k\">requests</span></div>\n"
        for outcome in Outcome.allCases {
            guard let count = report.totals.outcomes[outcome] else { continue }
            out += "<div class=\"kpi k-\(outcome.rawValue)\"><span class=\"v\">\(n(count))</span><span class=\"k\">\(outcome.rawValue) · \(ReportFormatting.percent(count, of: report.totals.requests))</span></div>\n"
        }
        return out + "</section>\n"
    }

    /// A request id: a link to its drill-down when the page holds its verdict, else plain (with the trace command).
    func idLink(_ id: String, report: Report, short: Bool = true) -> String {
        let e = Self.escape
        let shown = short && id.count > 13 ? String(id.prefix(8)) + "…" : id
        if report.exampleVerdicts[id] != nil {
            return "<a class=\"rid\" href=\"#\(Self.anchor(id))\" title=\"\(e(id))\">\(e(shown))</a>"
        }
        return "<span class=\"rid\" title=\"\(e(id)) — gatelog trace \(e(id)) PATH\">\(e(shown))</span>"
    }

    func idLinks(_ ids: [String], report: Report, limit: Int = 3) -> String {
        ids.prefix(limit).map { idLink($0, report: report) }.joined(separator: " ")
    }

    func findings(_ report: Report) -> String {
        guard !report.findings.isEmpty else {
            return "<section id=\"findings\"><h2>Findings</h2><p class=\"muted\">No patterns across requests stood out.</p></section>\n"
        }
        let e = Self.escape
        var out = "<section id=\"findings\"><h2>Findings <span class=\"count\">\(report.findings.count)</span></h2>\n<ul class=\"findings\">\n"
        for finding in report.findings {
            out += "<li><span class=\"tag\">\(e(finding.kind))</span> \(e(finding.message))"
            if !finding.examples.isEmpty { out += "<div class=\"ex\">e.g. \(idLinks(finding.examples, report: report, limit: 5))</div>" }
            if let hint = finding.hint { out += "<details><summary>What to check first</summary><p>\(e(hint))</p></details>" }
            out += "</li>\n"
        }
        return out + "</ul></section>\n"
    }

    // MARK: charts

    /// Timeline bucket widths to choose from, in minutes.
    static let bucketChoices: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080]

    func charts(_ report: Report) -> String {
        var out = "<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">\n"
        out += timelineChart(report)
        let deniedCauses = report.sortedCauses.filter { $0.outcome != .allowed }
            .map { (label: $0.rawValue, value: report.totals.causes[$0]!, outcome: $0.outcome) }
        out += barChart(title: "Top failure causes", empty: "No failed requests.", bars: deniedCauses)
        let routes = report.routeList.filter { $0.tally.denied > 0 }
            .sorted { ($0.tally.denied, $1.key) > ($1.tally.denied, $0.key) }
            .map { (label: $0.key, value: $0.tally.denied, outcome: Outcome.denied) }
        out += barChart(title: "Top routes by denials", empty: "No denied requests.", bars: routes)
        let principals = report.principals.values.filter { $0.tally.denied > 0 }
            .sorted { ($0.tally.denied, $1.principal) > ($1.tally.denied, $0.principal) }
            .map { (label: $0.principal, value: $0.tally.denied, outcome: Outcome.denied) }
        out += barChart(title: "Top principals by denials", empty: "No denied requests with a principal.", bars: principals)
        return out + "</div></section>\n"
    }

    func timelineChart(_ report: Report) -> String {
        let e = Self.escape
        var out = "<figure class=\"chart wide\"><figcaption>Requests over time, by outcome</figcaption>\n"
        guard let first = report.timeline.keys.min(), let last = report.timeline.keys.max() else {
            return out + "<p class=\"muted\">No timed requests.</p></figure>\n"
        }
        let spanMinutes = (last - first) / 60_000 + 1
        let minutes: Int64 = Self.bucketChoices.first { (spanMinutes + $0 - 1) / $0 <= 60 } ?? 10080
        let width = minutes * 60_000
        let start = Report.bucket(first, width: width)
        let count = Int((Report.bucket(last, width: width) - start) / width) + 1
        var buckets = Array(repeating: [Outcome: Int](), count: count)
        for (minute, outcomes) in report.timeline {
            let index = Int((Report.bucket(minute, width: width) - start) / width)
            for (outcome, n) in outcomes { buckets[index][outcome, default: 0] += n }
        }
        let highest = buckets.map { $0.values.reduce(0, +) }.max() ?? 1
        let peak = max(2, (highest + 1) / 2 * 2)
        let barWidth = 10.0, gap = count > 30 ? 1.0 : 2.0, height = 100.0
        var svg = "<svg class=\"tl\" viewBox=\"0 0 \(Double(count) * barWidth) \(height)\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Requests per \(minutes) minutes, stacked by outcome\">"
        for fraction in [0.5, 1.0] {
            let y = height - fraction * height
            svg += "<line x1=\"0\" x2=\"\(Double(count) * barWidth)\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>"
        }
        for (index, outcomes) in buckets.enumerated() {
            let total = outcomes.values.reduce(0, +)
            guard total > 0 else { continue }
            var y = height
            let x = Double(index) * barWidth + gap / 2
            let from = start + Int64(index) * width
            let label = "\(Timestamp.iso8601(from)) +\(minutes) min: " + Outcome.allCases.compactMap { o in outcomes[o].map { "\(o.rawValue) \($0)" } }.joined(separator: ", ")
            svg += "<g><title>\(e(label))</title>"
            for outcome in Outcome.allCases {
                guard let n = outcomes[outcome], n > 0 else { continue }
                let h = Double(n) / Double(peak) * height
                y -= h
                svg += "<rect x=\"\(x)\" y=\"\(Self.fixed(y))\" width=\"\(barWidth - gap)\" height=\"\(Self.fixed(h))\" class=\"f-\(outcome.rawValue)\"/>"
            }
            svg += "</g>"
        }
        svg += "</svg>"
        let middle = start + Int64(count / 2) * width
        out += "<div class=\"tlwrap\"><div class=\"yaxis\"><span>\(peak)</span><span>\(peak / 2)</span><span>0</span></div><div class=\"plot\">\(svg)"
        out += "<div class=\"xaxis\"><span>\(Self.shortTime(start))</span><span>\(Self.shortTime(middle))</span><span>\(Self.shortTime(start + Int64(count) * width))</span></div></div></div>\n"
        out += "<p class=\"legend\">" + Outcome.allCases.filter { report.totals.outcomes[$0] != nil }
            .map { "<span><i class=\"sw f-\($0.rawValue)\"></i>\($0.rawValue)</span>" }.joined(separator: " ") + " <span class=\"muted\">· \(minutes)-minute bars, UTC</span></p>\n"
        return out + "</figure>\n"
    }

    func barChart(title: String, empty: String, bars: [(label: String, value: Int, outcome: Outcome)]) -> String {
        let e = Self.escape
        var out = "<figure class=\"chart\"><figcaption>\(e(title))</figcaption>\n"
        guard let peak = bars.first?.value, peak > 0 else { return out + "<p class=\"muted\">\(e(empty))</p></figure>\n" }
        out += "<ol class=\"bars\">\n"
        for bar in bars.prefix(top) {
            let width = Double(bar.value) / Double(peak) * 100
            out += "<li title=\"\(e(bar.label)): \(bar.value)\"><span class=\"bl\">\(e(bar.label))</span>"
            out += "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"\(Self.fixed(max(width, 0.5)))\" height=\"10\" class=\"f-\(bar.outcome.rawValue)\"/></svg>"
            out += "<span class=\"bv\">\(ReportFormatting.number(bar.value))</span></li>\n"
        }
        if bars.count > top { out += "<li class=\"more muted\">… \(bars.count - top) more</li>\n" }
        return out + "</ol></figure>\n"
    }

    static func fixed(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// `11-20 09:15` (UTC).
    static func shortTime(_ millis: Int64) -> String {
        let iso = Timestamp.iso8601(millis)
        let chars = Array(iso)
        guard chars.count >= 16 else { return iso }
        return String(chars[5..<10]) + " " + String(chars[11..<16])
    }

    // MARK: tables

    func table(id: String, title: String, columns: [(name: String, numeric: Bool)], rows: [[(text: String, sort: String?)]], total: Int) -> String {
        var out = "<section id=\"\(id)\"><h2>\(title) <span class=\"count\">\(ReportFormatting.number(total))</span></h2>\n"
        out += "<div class=\"tools\"><input type=\"search\" placeholder=\"Filter \(title.lowercased())…\" data-filter=\"t-\(id)\" aria-label=\"Filter \(title.lowercased())\">"
        out += "<span class=\"shown muted\" data-count=\"t-\(id)\"></span></div>\n"
        out += "<div class=\"tw\"><table id=\"t-\(id)\" class=\"sortable\"><thead><tr>"
        for column in columns {
            out += "<th scope=\"col\"\(column.numeric ? " class=\"num\" data-type=\"num\"" : "") tabindex=\"0\">\(column.name)</th>"
        }
        out += "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                let numeric = columns[index].numeric
                out += "<td\(numeric ? " class=\"num\"" : "")\(cell.sort.map { " data-v=\"\(Self.escape($0))\"" } ?? "")>\(cell.text)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>"
        if total > rows.count { out += "<p class=\"muted\">Showing \(rows.count) of \(total); the embedded JSON holds all.</p>" }
        return out + "</section>\n"
    }

    func num(_ n: Int) -> (text: String, sort: String?) { (ReportFormatting.number(n), String(n)) }

    func causesTable(_ report: Report) -> String {
        let rows = report.sortedCauses.map { cause -> [(text: String, sort: String?)] in
            let count = report.totals.causes[cause]!
            return [("<code>\(cause.rawValue)</code><div class=\"sub\">\(Self.escape(cause.title))</div>", cause.rawValue),
                    num(count), (ReportFormatting.percent(count, of: report.totals.requests), String(count)),
                    ("<span class=\"o o-\(cause.outcome.rawValue)\">\(cause.outcome.rawValue)</span>", cause.outcome.rawValue),
                    (cause.layer.rawValue, nil),
                    (idLinks(report.examples(of: cause)?.ids ?? [], report: report), nil)]
        }
        return table(id: "causes", title: "Causes",
                     columns: [("Cause", false), ("Requests", true), ("Share", true), ("Outcome", false), ("Layer", false), ("Examples", false)],
                     rows: rows, total: rows.count)
    }

    func routesTable(_ report: Report) -> String {
        let routes = report.sortedRoutes
        let rows = routes.prefix(tableRows).map { route -> [(text: String, sort: String?)] in
            let t = route.tally
            let top = t.topFailure
            return [("<span class=\"route\">\(Self.escape(route.key))</span>", route.key), num(t.requests), num(t.outcomes[.allowed, default: 0]),
                    num(t.denied), num(ReportFormatting.otherFailures(t)),
                    (ReportFormatting.percent(t.failed, of: t.requests), String(t.requests == 0 ? 0 : Double(t.failed) / Double(t.requests))),
                    (top.map { "<code>\($0.cause.rawValue)</code> (\(ReportFormatting.number($0.count)))" } ?? "", top?.cause.rawValue ?? ""),
                    (idLinks(ReportFormatting.topFailureExamples(route), report: report, limit: 2), nil)]
        }
        return table(id: "routes", title: "Routes",
                     columns: [("Route", false), ("Requests", true), ("Allowed", true), ("Denied", true), ("Other failures", true),
                               ("Failure rate", true), ("Top failure", false), ("Examples", false)],
                     rows: Array(rows), total: routes.count)
    }

    func principalsTable(_ report: Report) -> String {
        let principals = report.sortedPrincipals
        let rows = principals.prefix(tableRows).map { p -> [(text: String, sort: String?)] in
            let top = p.tally.topFailure
            return [("<span class=\"principal\">\(Self.escape(p.principal))</span>", p.principal), num(p.tally.requests), num(p.tally.failed),
                    num(p.tally.denied), num(p.routeCount),
                    (top.map { "<code>\($0.cause.rawValue)</code> (\(ReportFormatting.number($0.count)))" } ?? "", top?.cause.rawValue ?? ""),
                    (idLinks(p.failureExamples.ids, report: report, limit: 2), nil)]
        }
        return table(id: "principals", title: "Principals",
                     columns: [("Principal", false), ("Requests", true), ("Failed", true), ("Denied", true), ("Routes", true),
                               ("Top failure", false), ("Examples", false)],
                     rows: Array(rows), total: principals.count)
    }

    func problems(_ report: Report) -> String {
        guard !report.problems.isEmpty else { return "" }
        var out = "<section id=\"problems\"><h2>Input problems <span class=\"count\">\(report.problems.count)</span></h2>"
        out += "<p>Some input could not be read; the figures above are partial.</p><ul>\n"
        for problem in report.problems.prefix(tableRows) { out += "<li>\(Self.escape(problem.description))</li>\n" }
        return out + "</ul></section>\n"
    }

    // MARK: drill-down

    func drillDown(_ report: Report) -> String {
        let e = Self.escape
        let verdicts = report.exampleVerdicts.values.sorted(by: ReportJSON.verdictOrder)
        var out = "<section id=\"requests\"><h2>Example requests <span class=\"count\">\(verdicts.count)</span></h2>\n"
        out += "<p class=\"muted\">The requests named as examples above, with the log lines that decided them. "
        out += "<code>gatelog trace ID PATH</code> shows every line of one request.</p>\n"
        for v in verdicts {
            out += "<details class=\"req\" id=\"\(Self.anchor(v.requestId))\"><summary>"
            out += "<span class=\"rid\">\(e(v.requestId))</span> <span class=\"o o-\(v.outcome.rawValue)\">\(v.outcome.rawValue)</span> "
            out += "<code>\(v.cause.rawValue)</code> <span class=\"route\">\(e(v.routeKey))</span></summary>\n<dl class=\"kv\">"
            func item(_ key: String, _ value: String?) {
                guard let value else { return }
                out += "<div><dt>\(key)</dt><dd>\(e(value))</dd></div>"
            }
            item("Time", v.startTime.map(Timestamp.iso8601))
            item("Status", v.status.map(String.init))
            item("Layer", v.layer.rawValue)
            item("Path", v.path)
            item("Principal", v.principal)
            item("Extended id", v.extendedRequestId)
            item("API key", v.apiKey)
            item("Integration latency", v.integrationLatencyMs.map { "\($0) ms" })
            out += "</dl>\n"
            if !v.evidence.isEmpty {
                out += "<ol class=\"evidence\">"
                for line in v.evidence { out += "<li><span class=\"src\">\(e(line.source))</span><pre>\(e(line.text))</pre></li>" }
                out += "</ol>\n"
            }
            out += "<p class=\"hint\"><b>What to check first:</b> \(e(v.hint))</p></details>\n"
        }
        return out + "</section>\n"
    }

    // MARK: assets

    static let css = """
    :root{--bg:#f7f8fa;--fg:#1d2330;--muted:#5f6b7a;--card:#fff;--line:#dde2ea;--accent:#2f5fd0;
    --allowed:#2e9d57;--denied:#d64545;--throttled:#e0a030;--rejected:#8e6bbf;--gateway_error:#e8703a;--backend_error:#b5476b;--incomplete:#9aa0a6;--unknown:#c3c8ce}
    @media (prefers-color-scheme:dark){:root{--bg:#15181d;--fg:#e6e9ee;--muted:#9aa5b4;--card:#1e2229;--line:#323843;--accent:#7aa2ff}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
    header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
    header{padding-top:16px}
    h1{font-size:22px;margin:0 0 8px}
    h2{font-size:17px;margin:0 0 10px}
    .count{font-size:12px;font-weight:600;color:var(--muted);background:var(--line);border-radius:9px;padding:1px 8px;vertical-align:middle}
    .meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 12px}
    .meta div{display:contents}.meta dt{color:var(--muted)}.meta dd{margin:0;min-width:0;overflow-wrap:anywhere}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 14px}
    .kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:8px;background:none;border:0;padding:0}
    .kpi{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:8px;padding:8px 12px;display:flex;flex-direction:column}
    .kpi .v{font-size:22px;font-weight:650}.kpi .k{color:var(--muted);font-size:12px}
    .k-allowed{border-left-color:var(--allowed)}.k-denied{border-left-color:var(--denied)}.k-throttled{border-left-color:var(--throttled)}
    .k-rejected{border-left-color:var(--rejected)}.k-gateway_error{border-left-color:var(--gateway_error)}.k-backend_error{border-left-color:var(--backend_error)}
    .k-incomplete{border-left-color:var(--incomplete)}.k-unknown{border-left-color:var(--unknown)}
    .f-allowed{fill:var(--allowed);background:var(--allowed)}.f-denied{fill:var(--denied);background:var(--denied)}.f-throttled{fill:var(--throttled);background:var(--throttled)}
    .f-rejected{fill:var(--rejected);background:var(--rejected)}.f-gateway_error{fill:var(--gateway_error);background:var(--gateway_error)}
    .f-backend_error{fill:var(--backend_error);background:var(--backend_error)}.f-incomplete{fill:var(--incomplete);background:var(--incomplete)}.f-unknown{fill:var(--unknown);background:var(--unknown)}
    .o{font-size:12px;padding:0 6px;border-radius:4px;color:#fff;white-space:nowrap;background:var(--unknown)}
    .o-allowed{background:var(--allowed)}.o-denied{background:var(--denied)}.o-throttled{background:var(--throttled);color:#222}.o-rejected{background:var(--rejected)}
    .o-gateway_error{background:var(--gateway_error)}.o-backend_error{background:var(--backend_error)}.o-incomplete{background:var(--incomplete)}
    .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
    .chart{margin:0;min-width:0}.chart.wide{grid-column:1/-1}
    figcaption{font-weight:600;margin-bottom:8px}
    .tlwrap{display:flex;gap:6px}
    .yaxis{display:flex;flex-direction:column;justify-content:space-between;font-size:11px;color:var(--muted);text-align:right;height:180px;min-width:24px}
    .plot{flex:1;min-width:0}
    svg.tl{display:block;width:100%;height:180px;border-bottom:1px solid var(--line)}
    svg.tl .grid{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke}
    svg.tl g:hover rect{opacity:.75}
    .xaxis{display:flex;justify-content:space-between;font-size:11px;color:var(--muted)}
    .legend{font-size:12px;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 12px}
    .sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
    ol.bars{list-style:none;margin:0;padding:0}
    ol.bars li{display:grid;grid-template-columns:1fr auto;align-items:center;gap:0 8px;padding:2px 0 4px;font-size:13px}
    .bl{grid-column:1/-1;overflow-wrap:anywhere;line-height:1.3}
    ol.bars svg{width:100%;height:12px;display:block}
    .bv{font-variant-numeric:tabular-nums;min-width:2.5em;text-align:right}
    ol.bars li.more{display:block}
    .tools{display:flex;gap:10px;align-items:center;margin-bottom:8px;flex-wrap:wrap}
    input[type=search]{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);width:min(320px,100%)}
    .tw{overflow-x:auto;-webkit-overflow-scrolling:touch}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    th{cursor:pointer;user-select:none;white-space:nowrap;color:var(--muted);font-weight:600;position:sticky;top:0;background:var(--card)}
    th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    td .sub{color:var(--muted);font-size:12px}
    .route,.principal{overflow-wrap:break-word}
    td:first-child{min-width:13em}
    tbody tr:hover{background:rgba(127,127,127,.08)}
    code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
    .rid{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}
    a{color:var(--accent)}
    ul.findings{margin:0;padding-left:18px}ul.findings li{margin-bottom:8px}
    .tag{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--line);border-radius:4px;padding:0 5px}
    .ex{font-size:13px;color:var(--muted)}
    details summary{cursor:pointer}
    ul.findings details p{margin:4px 0;color:var(--muted)}
    details.req{border-top:1px solid var(--line);padding:6px 0}
    details.req summary{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline;list-style:none}
    details.req summary::-webkit-details-marker{display:none}
    details.req summary::before{content:"▸";color:var(--muted)}details.req[open] summary::before{content:"▾"}
    details.req summary .rid{white-space:normal;overflow-wrap:anywhere}
    details.req[open]{background:rgba(127,127,127,.05)}
    details.req:target{outline:2px solid var(--accent)}
    .kv{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:2px 16px;margin:8px 0}
    .kv div{display:flex;gap:6px;min-width:0}.kv dt{color:var(--muted);flex:none}.kv dd{margin:0;overflow-wrap:anywhere}
    ol.evidence{margin:0;padding-left:20px}
    ol.evidence .src{font-size:12px;color:var(--muted);overflow-wrap:anywhere}
    pre{margin:2px 0 6px;white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:4px 6px;border-radius:4px}
    .hint{margin:6px 0 0}
    .muted{color:var(--muted)}
    footer{color:var(--muted);font-size:12px;padding-bottom:24px}
    @media (max-width:600px){body{font-size:13px}h1{font-size:19px}section{padding:10px}header,main,footer{padding:0 8px}
    .kpi .v{font-size:18px}svg.tl,.yaxis{height:140px}}
    """

    static let script = """
    (function(){
    "use strict";
    function key(cell){var v=cell.getAttribute("data-v");return v===null?cell.textContent.trim():v;}
    function sortBy(table,index,th){
    var numeric=th.getAttribute("data-type")==="num";
    var dir=th.getAttribute("aria-sort")==="descending"?"ascending":"descending";
    Array.prototype.forEach.call(th.parentNode.cells,function(c){c.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",dir);
    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a.cells[index]),y=key(b.cells[index]);
    var r=numeric?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y);return dir==="ascending"?r:-r;});
    rows.forEach(function(r){body.appendChild(r);});}
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"),function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,index){
    th.addEventListener("click",function(){sortBy(table,index,th);});
    th.addEventListener("keydown",function(ev){if(ev.key==="Enter"||ev.key===" "){ev.preventDefault();sortBy(table,index,th);}});});});
    function count(table){var label=document.querySelector("[data-count=\\""+table.id+"\\"]");if(!label)return;
    var rows=table.tBodies[0].rows,shown=0;for(var i=0;i<rows.length;i++){if(!rows[i].hidden)shown++;}
    label.textContent=shown===rows.length?rows.length+" rows":shown+" of "+rows.length+" rows";}
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"),function(input){
    var table=document.getElementById(input.getAttribute("data-filter"));if(!table)return;count(table);
    input.addEventListener("input",function(){var words=input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    Array.prototype.forEach.call(table.tBodies[0].rows,function(row){var text=row.textContent.toLowerCase();
    row.hidden=!words.every(function(w){return text.indexOf(w)>=0;});});count(table);});});
    function openTarget(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;var el=document.getElementById(id);
    if(el&&el.tagName==="DETAILS"){el.open=true;el.scrollIntoView({block:"start"});}}
    window.addEventListener("hashchange",openTarget);openTarget();
    document.documentElement.setAttribute("data-ready","1");
    })();
    """
}
