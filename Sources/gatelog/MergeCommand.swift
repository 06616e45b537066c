import GateLogKit

/// `gatelog merge A.json B.json …`: several `report --format json` outputs as one report — the report one run over
/// all their inputs would have given, provided each part holds whole requests (see README, "Splitting a big export").
enum MergeCommand {
    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(ReportCommand.formats, default: "text")
        let rules = try FailRule.parseAll(context.arguments.all("fail-on"))
        let top = try ReportCommand.topOption(context)
        guard !context.paths.isEmpty else {
            throw UsageError(message: "merge needs one or more report JSON files (from 'gatelog report --format json')", command: "merge")
        }
        var merged: Report?
        for path in context.paths {
            let file = path == "-" ? FileDescriptorSource(descriptor: 0, displayName: "<stdin>") : try FileDescriptorSource(path: path)
            let source = try DecodedSource(upstream: file, displayName: path)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[..<n])
            }
            let report = try ReportJSON.decode(bytes, source: path)
            if let first = merged, first.authorizerTTLSeconds != report.authorizerTTLSeconds, !context.quiet {
                CommandRunner.printError("gatelog: \(path) was made with --authorizer-ttl \(report.authorizerTTLSeconds), the first report with \(first.authorizerTTLSeconds); using \(first.authorizerTTLSeconds)")
            }
            if merged == nil { merged = report } else { merged!.merge(report) }
        }
        var report = merged!
        report.toolVersion = Help.version
        report.foldPathShapes()
        report.findings = Findings.compute(report)
        let output = try context.openOutput()
        ReportCommand.write(report, format: format, top: top, color: context.useColor, to: output)
        if let failure = output.close() {
            CommandRunner.printError("gatelog: cannot write output: \(failure)")
            return ExitCode.usage
        }
        // The parts' input problems make the merged report partial, as they made each part.
        if !report.problems.isEmpty, !context.quiet {
            for problem in report.problems { CommandRunner.printError("gatelog: \(TerminalText.sanitize(problem.description))") }
        }
        let exitCode = report.problems.isEmpty ? ExitCode.done : ExitCode.partialInput
        return ReportCommand.applyFailRules(rules, to: report, exitCode: exitCode)
    }
}
