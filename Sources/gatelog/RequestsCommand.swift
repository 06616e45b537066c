import GateLogKit

/// `gatelog requests [PATH…]`: one verdict per request, streamed as requests finish.
enum RequestsCommand {
    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(["jsonl", "csv", "text"], default: "jsonl")
        let paths = try context.inputPaths(context.paths)
        let output = try context.openOutput()
        if format == "csv" { output.write(VerdictRenderers.csvHeader) }
        let filter = context.filter
        let color = context.useColor
        let analysis = context.makeAnalysis()
        let summary = try analysis.run(paths) { _, verdict in
            guard filter.matches(verdict) else { return }
            switch format {
            case "csv": output.write(VerdictRenderers.csvRow(verdict))
            case "text": output.write(VerdictRenderers.text(verdict, color: color))
            default:
                output.write(VerdictRenderers.jsonLine(verdict))
                if output.isTerminal { output.flush() }
            }
        }
        return context.finish(summary, output: output)
    }
}
