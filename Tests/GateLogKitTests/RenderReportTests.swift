import Foundation
import Testing
@testable import GateLogKit

/// Log-derived text in every report format: a hostile path, principal or evidence line stays text.
@Suite struct RenderReportTests {
    typealias F = ReportFixtures
    static let hostile = "GET /pets/</script><script>alert(1)</script>|`x`\nnext"

    static func hostileReport() -> Report {
        F.report([
            F.verdict(F.uuid(1), minute: 0, cause: .routeNotFound, route: hostile, principal: "=HYPERLINK(\"http://evil\")",
                      evidence: [Evidence(source: "a.log:1", text: "<img src=x onerror=alert(2)> \u{2028} & </script>")]),
            F.verdict(F.uuid(2), minute: 1, cause: .ok, route: "GET /pets", principal: "-2+3"),
        ])
    }

    @Test func htmlEscapesLogTextEverywhereIncludingSVGAndEmbeddedJSON() throws {
        let html = ReportHTMLRenderer().render(Self.hostileReport())
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Exactly the page's own two script blocks and their closing tags.
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.components(separatedBy: "</script>").count == 3)
        // The embedded JSON holds no raw <, > or & and parses back to the same text.
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"gatelog-report\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        #expect(!json.contains("<") && !json.contains(">") && !json.contains("&") && !json.contains("\u{2028}"))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let routes = object["routes"] as! [[String: Any]]
        #expect(routes.contains { $0["route"] as? String == Self.hostile })
        // SVG bar titles and labels are escaped too.
        #expect(html.contains("<li title=\"k7x2mq9zt1/prod GET /pets/&lt;/script&gt;"))
        // The drill-down shows the evidence line as text.
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("id=\"\(ReportHTMLRenderer.anchor(F.uuid(1)))\""))
    }

    @Test func htmlAnchorsAreSafeFragmentIds() {
        #expect(ReportHTMLRenderer.anchor("9cef3834-f42c-46d7-83fe-a6401a431398") == "req-9cef3834-f42c-46d7-83fe-a6401a431398")
        #expect(ReportHTMLRenderer.anchor("a\"b<c") == "req-a_22b_3cc")
    }

    @Test func markdownEscapesPipesBackticksTagsAndNewlines() {
        let markdown = ReportMarkdownRenderer().render(Self.hostileReport())
        let row = markdown.split(separator: "\n").first { $0.contains("/pets/&lt;") }.map(String.init) ?? ""
        #expect(row.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\` next"))
        // The row still has exactly the table's 7 columns (8 unescaped pipes).
        let chars = Array(row)
        let unescapedPipes = chars.indices.filter { chars[$0] == "|" && ($0 == 0 || chars[$0 - 1] != "\\") }
        #expect(unescapedPipes.count == 8)
        #expect(!markdown.contains("<script>"))
        #expect(ReportMarkdownRenderer.escape("a|b`c<d>e\nf") == "a\\|b\\`c&lt;d&gt;e f")
    }

    @Test func csvHasOneRowPerRouteAndCauseWithAStableHeader() {
        let csv = ReportCSVRenderer.render(Self.hostileReport())
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "apiId,stage,route,cause,layer,outcome,requests,exampleRequestIds")
        #expect(csv.contains("k7x2mq9zt1,prod,GET /pets,ok,none,allowed,1,\(F.uuid(2))"))
        // The hostile route is quoted (it holds a newline), never split into two rows.
        #expect(csv.contains("\"GET /pets/</script><script>alert(1)</script>|`x`\nnext\""))
    }

    @Test func textReportStatesWindowAndFiltersAndStripsControlCharacters() {
        var report = Self.hostileReport()
        report.filters = ["since=2026-11-20T00:00:00.000Z", "route=GET /pets"]
        let text = ReportTextRenderer(color: false).render(report)
        #expect(text.contains("Window:  2026-11-20T09:00:00.000Z → 2026-11-20T09:01:00.040Z"))
        #expect(text.contains("Filters: since=2026-11-20T00:00:00.000Z route=GET /pets"))
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("`x`↵next"))
        let colored = ReportTextRenderer(color: true).render(report)
        #expect(colored.contains("\u{1B}[1mgatelog report\u{1B}[0m"))
    }
}
