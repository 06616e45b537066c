import GateLogKit

/// `gatelog report [PATH…]` (the default command): totals, routes, principals, causes, findings.
enum ReportCommand {
    static let formats = ["text", "markdown", "json", "csv", "html"]

    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(formats, default: "text")
        let rules = try FailRule.parseAll(context.arguments.all("fail-on"))
        let top = try topOption(context)
        let paths = try context.inputPaths(context.paths)
        var report = Report(toolVersion: Help.version)
        report.filters = context.filter.descriptions
        let filter = context.filter
        let analysis = Analysis(options: context.analysis)
        let summary = try analysis.run(paths) { _, verdict in
            if filter.matches(verdict) { report.add(verdict) }
        }
        report.inputs = summary.totals
        report.problems = summary.problems
        report.findings = Findings.compute(report, authorizerTTLSeconds: context.analysis.diagnosis.authorizerTTLSeconds)
        let output = try context.openOutput()
        output.write(render(report, format: format, top: top, color: context.useColor))
        var exitCode = context.finish(summary, output: output)
        if exitCode == ExitCode.done, let fired = FailRule.firstCrossed(rules, in: report) {
            CommandRunner.printError("gatelog: --fail-on \(fired.spec) crossed: \(fired.explanation)")
            exitCode = ExitCode.thresholdCrossed
        }
        return exitCode
    }

    static func topOption(_ context: CommandContext) throws -> Int {
        guard let text = context.arguments.value("top") else { return 20 }
        guard let n = Int(text), n > 0 else {
            throw UsageError(message: "--top takes a positive whole number, not '\(text)'", command: context.arguments.command.rawValue)
        }
        return n
    }

    static func render(_ report: Report, format: String, top: Int, color: Bool) -> String {
        switch format {
        case "json": return ReportJSON.encode(report).serialized(pretty: true) + "\n"
        default: return ReportTextRenderer(top: top, color: color).render(report)
        }
    }
}
