import GateLogKit

/// `gatelog report [PATH…]` (the default command): totals, routes, principals, causes, findings.
enum ReportCommand {
    static let formats = ["text", "markdown", "json", "csv", "html"]

    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(formats, default: "text")
        let rules = try FailRule.parseAll(context.arguments.all("fail-on"))
        let top = try topOption(context)
        let paths = try context.inputPaths(context.paths)
        var report = Report(toolVersion: Help.version, authorizerTTLSeconds: context.analysis.diagnosis.authorizerTTLSeconds)
        report.filters = context.filter.descriptions
        let filter = context.filter
        let analysis = context.makeAnalysis()
        let summary = try analysis.run(paths, onRequestDeferringEvidence: { _, verdict, evidence in
            if filter.matches(verdict) { report.add(verdict, evidence: evidence) }
        })
        report.inputs = summary.totals
        report.problems = summary.problems
        report.foldPathShapes()
        report.findings = Findings.compute(report)
        let output = try context.openOutput()
        write(report, format: format, top: top, color: context.useColor, to: output)
        let exitCode = context.finish(summary, output: output)
        return applyFailRules(rules, to: report, exitCode: exitCode)
    }

    /// A crossed `--fail-on` rule turns a finished run (exit 0, or 3 for partial input) into exit 1: the threshold is
    /// the answer the caller asked for, and the input problems were already printed. Usage errors (2) stay 2.
    static func applyFailRules(_ rules: [FailRule], to report: Report, exitCode: Int32) -> Int32 {
        guard exitCode == ExitCode.done || exitCode == ExitCode.partialInput else { return exitCode }
        let fired = FailRule.crossed(rules, in: report)
        for rule in fired {
            CommandRunner.printError("gatelog: --fail-on \(rule.spec) crossed: \(rule.explanation)")
        }
        return fired.isEmpty ? exitCode : ExitCode.thresholdCrossed
    }

    static func topOption(_ context: CommandContext) throws -> Int {
        guard let text = context.arguments.value("top") else { return 20 }
        guard let n = Int(text), n > 0 else {
            throw UsageError(message: "--top takes a positive whole number, not '\(text)'", command: context.arguments.command.rawValue)
        }
        return n
    }

    /// Writes the report in `format`; JSON is written piece by piece (it names every route and principal).
    static func write(_ report: Report, format: String, top: Int, color: Bool, to output: OutputWriter) {
        guard format == "json" else { return output.write(render(report, format: format, top: top, color: color)) }
        ReportJSON.write(report) { output.write($0) }
        output.write("\n")
    }

    static func render(_ report: Report, format: String, top: Int, color: Bool) -> String {
        switch format {
        case "json": return ReportJSON.encode(report).serialized(pretty: true) + "\n"
        case "markdown": return ReportMarkdownRenderer(top: top).render(report)
        case "csv": return ReportCSVRenderer.render(report)
        case "html": return ReportHTMLRenderer(top: top).render(report)
        default: return ReportTextRenderer(top: top, color: color).render(report)
        }
    }
}
