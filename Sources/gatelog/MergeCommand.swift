import GateLogKit

/// `gatelog merge A.json B.json …`: several `report --format json` outputs as one report.
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
            var source = try DecodedSource(upstream: FileDescriptorSource(path: path), displayName: path)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[..<n])
            }
            let report = try ReportJSON.decode(bytes, source: path)
            if merged == nil { merged = report } else { merged!.merge(report) }
        }
        var report = merged!
        report.toolVersion = Help.version
        report.findings = Findings.compute(report, authorizerTTLSeconds: 300)
        let output = try context.openOutput()
        output.write(ReportCommand.render(report, format: format, top: top, color: context.useColor))
        if let failure = output.close() {
            CommandRunner.printError("gatelog: cannot write output: \(failure)")
            return ExitCode.usage
        }
        if let fired = FailRule.firstCrossed(rules, in: report) {
            CommandRunner.printError("gatelog: --fail-on \(fired.spec) crossed: \(fired.explanation)")
            return ExitCode.thresholdCrossed
        }
        return ExitCode.done
    }
}
