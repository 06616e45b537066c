/// `report --format csv`: one row per route × cause with a stable header, for spreadsheets and batch jobs.
/// Cells go through `CSV.cell`, so log-derived text cannot run as a spreadsheet formula.
public enum ReportCSVRenderer {
    public static let header = CSV.row(["apiId", "stage", "route", "cause", "layer", "outcome", "requests", "exampleRequestIds"])

    /// Routes in report order (most failures first); within a route, causes by count, then identifier.
    public static func render(_ report: Report) -> String {
        var out = header
        for route in report.sortedRoutes {
            let causes = route.tally.causes.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
            for (cause, count) in causes {
                out += CSV.row([route.apiId, route.stage, route.route, cause.rawValue, cause.layer.rawValue, cause.outcome.rawValue,
                                String(count), (route.examples[cause]?.ids ?? []).joined(separator: " ")])
            }
        }
        return out
    }
}
