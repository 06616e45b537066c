import GateLogKit

/// `gatelog causes`: the catalogue of causes with layer, outcome, default status and hint.
enum CausesCommand {
    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(["text", "json"], default: "text")
        let output = OutputWriter(descriptor: 1)
        if format == "json" {
            let entries: [JSONValue] = CauseCatalogue.all.map { entry in
                .object([("cause", .string(entry.identifier)), ("title", .string(entry.title)), ("layer", .string(entry.layer.rawValue)),
                         ("outcome", .string(entry.outcome.rawValue)), ("defaultStatus", .int(entry.defaultStatus)), ("hint", .string(entry.hint))])
            }
            output.write(JSONValue.array(entries).serialized(pretty: true) + "\n")
        } else {
            var currentLayer: Layer?
            for entry in CauseCatalogue.all {
                if entry.layer != currentLayer {
                    output.write("\n\(entry.layer.rawValue.uppercased())\n")
                    currentLayer = entry.layer
                }
                let status = entry.defaultStatus.map { " · \($0)" } ?? ""
                output.write("  \(entry.identifier) — \(entry.title) (\(entry.outcome.rawValue)\(status))\n")
                output.write(ReportFormatting.wrap(entry.hint, indent: "      ", width: 100))
            }
        }
        if let failure = output.close() {
            CommandRunner.printError("gatelog: cannot write output: \(failure)")
            return ExitCode.usage
        }
        return ExitCode.done
    }
}
