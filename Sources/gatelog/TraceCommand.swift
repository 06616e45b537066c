import GateLogKit

/// `gatelog trace ID [PATH…]`: one request's lines in order, with phases, then its verdict.
enum TraceCommand {
    static func run(_ context: CommandContext) throws -> Int32 {
        let format = try context.format(["text", "json"], default: "text")
        guard let id = context.paths.first, !id.isEmpty else {
            throw UsageError(message: "trace needs a request id or extended request id", command: "trace")
        }
        let paths = try context.inputPaths(Array(context.paths.dropFirst()))
        guard !paths.contains("-") || paths.count == 1 else {
            throw UsageError(message: "trace reads standard input only on its own", command: "trace")
        }

        // Fast pass: only records that mention the id are grouped.
        var found = try search(id: id, paths: paths, context: context, needles: [id])
        if found.match == nil, let requestId = found.resolvedRequestId, requestId != id, !paths.contains("-") {
            found = try search(id: requestId, paths: paths, context: context, needles: [requestId, id])
        }
        guard var match = found.match else {
            let exitCode = context.finish(found.summary, output: OutputWriter(descriptor: 1))
            CommandRunner.printError("gatelog: request '\(TerminalText.sanitize(id))' not found in \(found.summary.totals.files) input file(s)")
            return exitCode == ExitCode.done || exitCode == ExitCode.partialInput ? ExitCode.usage : exitCode
        }
        // A denial without an authorizer call may have been answered from the authorizer cache: that needs the
        // policies of earlier requests, so read everything once more.
        if needsCacheContext(match.verdict), !paths.contains("-") {
            let full = try search(id: match.lifecycle.requestId, paths: paths, context: context, needles: [])
            if let fullMatch = full.match { match = fullMatch }
        }

        let output = try context.openOutput()
        let lines = TraceRenderer.lines(of: match.lifecycle, files: match.files, redact: context.analysis.diagnosis.redact)
        if format == "json" {
            output.write(TraceRenderer.json(lifecycle: match.lifecycle, lines: lines, verdict: match.verdict).serialized(pretty: true) + "\n")
        } else {
            output.write(TraceRenderer.text(lines: lines, verdict: match.verdict, color: context.useColor))
        }
        return context.finish(found.summary, output: output)
    }

    struct Match {
        var lifecycle: RequestLifecycle
        var verdict: Verdict
        var files: FileTable
    }

    struct SearchResult {
        var match: Match?
        var resolvedRequestId: String?
        var summary: AnalysisSummary
    }

    static func search(id: String, paths: [String], context: CommandContext, needles: [String]) throws -> SearchResult {
        var options = context.analysis
        options.scan.needles = needles.map { Array($0.utf8) }
        let analysis = Analysis(options: options)
        var match: Match?
        var resolved: String?
        let lowered = id.lowercased()
        let summary = try analysis.run(paths) { lifecycle, verdict in
            let matches = lifecycle.requestId.lowercased() == lowered || verdict.extendedRequestId == id
            if matches {
                if match == nil || lifecycle.requestId.lowercased() == lowered {
                    match = Match(lifecycle: lifecycle, verdict: verdict, files: analysis.files)
                }
                resolved = lifecycle.requestId
            }
        }
        return SearchResult(match: match, resolvedRequestId: resolved, summary: summary)
    }

    static func needsCacheContext(_ verdict: Verdict) -> Bool {
        [.resourcePolicyDeny, .authorizerImplicitDeny, .authorizerExplicitDeny, .unexplainedRejection].contains(verdict.cause)
            && !verdict.evidence.contains { $0.text.contains("Authorizer result body") }
    }
}
