import GateLogKit

enum Help {
    static let version = "0.1.0"

    static let overview = """
    gatelog — why did API Gateway refuse these requests?

    Reads Amazon API Gateway (REST) CloudWatch execution logs and access logs — S3 exports (gzipped or not),
    `aws logs filter-log-events` JSON, `aws logs tail` output, Logs Insights downloads, subscription payloads,
    console pastes — groups the lines per request and names, for each request, the layer that decided it
    (routing, WAF, resource policy, authorizer, IAM, API key, throttling, validation, integration, backend),
    the cause, the evidence lines and what to check first.

    USAGE
      gatelog [report] [PATH…] [options]     summary per route, principal and cause (default command)
      gatelog requests [PATH…] [options]     one verdict per request (jsonl, csv, text)
      gatelog trace ID [PATH…] [options]     one request's lifecycle, line by line, with its verdict
      gatelog causes [--format text|json]    the causes gatelog can name, with hints
      gatelog merge REPORT.json… [options]   merge `report --format json` outputs of several runs

    PATH is a file, a directory (read recursively, in sorted order) or '-' for standard input; with no PATH,
    standard input is read when it is not a terminal. Gzip is detected by content, not by name.

    EXAMPLES
      gatelog SampleLogs
      gatelog report exports/ --since 24h --format markdown -o nightly.md
      gatelog requests exports/ --outcome denied --format csv > denied.csv
      gatelog trace 9cef3834-f42c-46d7-83fe-a6401a431398 exports/
      aws logs filter-log-events --log-group-name API-Gateway-Execution-Logs_abc123defg/prod | gatelog

    EXIT CODES
      0 done, all input read · 1 a --fail-on threshold was crossed · 2 usage error or no readable input
      3 done, but some input was unreadable or corrupt (results are partial; the report says which)
      A crossed --fail-on threshold exits 1 even when some input was unreadable (the problems are still printed).

    Run 'gatelog COMMAND --help' for the options of a command.
    """

    static func usage(for command: CommandName) -> String {
        let header: String
        switch command {
        case .report:
            header = """
            gatelog report [PATH…] [options]

            Reads the logs and prints totals by outcome and cause, then per route, per principal and per cause,
            with example request ids, and findings (stale authorizer cache, intermittent denials, routes always
            denied, principals denied on many routes, spikes of one cause, integration latency near the 29 s
            timeout). `report` is the default command: `gatelog exports/` is the same.

            Formats: text (aligned tables; colour only on a terminal, never with NO_COLOR), markdown (chat, wiki),
            csv (one row per route × cause), json (mergeable with 'gatelog merge'), html (one self-contained page
            with charts, sortable tables and every example request's evidence). Each states its window and filters.

            --fail-on SPEC exits 1 when crossed and names every rule that fired: denied>100,
            cause:authorizer_error>0, outcome:gateway_error>1% (percent of all requests), requests<10; >, >=, <, <=.

            EXAMPLES
              gatelog SampleLogs
              gatelog report exports/ --format json -o report.json
              gatelog report exports/ --since 24h --format markdown -o nightly.md
              gatelog report exports/ --since 24h --format html -o nightly.html
              gatelog report exports/ --since 24h --fail-on 'cause:authorizer_error>0' --fail-on 'outcome:gateway_error>1%'
            """
        case .requests:
            header = """
            gatelog requests [PATH…] [options]

            One record per request, streamed as requests complete: request id, route, status, outcome, layer,
            cause, principal, evidence (file:line and text) and hint.

            EXAMPLES
              gatelog requests exports/ > verdicts.jsonl
              gatelog requests exports/ --outcome denied --format text
              gatelog requests exports/ --cause authorizer_implicit_deny --format csv -o implicit.csv
            """
        case .trace:
            header = """
            gatelog trace ID [PATH…] [options]

            Prints every line of one request in order — time, source file:line, pipeline phase, text — followed by
            the verdict, the evidence that decided it and a hint. ID is a request id (the `(…)` prefix of each line,
            `x-amzn-RequestId`) or an extended request id (`x-amz-apigw-id`). Exit code 2 when the id is not found.

            EXAMPLES
              gatelog trace 9cef3834-f42c-46d7-83fe-a6401a431398 exports/
              gatelog trace W9zMPGrHtjMEeFw= exports/ --format json
            """
        case .causes:
            header = """
            gatelog causes [--format text|json]

            Lists every cause gatelog can name, with its layer, outcome, default status and the hint it prints.
            """
        case .merge:
            header = """
            gatelog merge REPORT.json… [options]

            Merges the `report --format json` outputs of several runs (for example one per S3 prefix, run on
            different machines) into the report one run over all inputs would have given: counts, timelines,
            examples with their evidence, findings. Split by log group or S3 prefix, and keep a stage's access
            logs with its execution logs: requests are joined only within one run. Exit codes as for report.

            EXAMPLES
              gatelog merge day/*.json --format markdown -o day.md
            """
        }
        var text = header + "\n\nOPTIONS\n"
        for spec in ArgumentParser.options(for: command) {
            var left = "  "
            if let short = spec.short { left += "-\(short), " } else { left += "    " }
            left += "--\(spec.name)"
            if let value = spec.valueName { left += " \(value)" }
            let padded = left.count < 30 ? left + String(repeating: " ", count: 30 - left.count) : left + "  "
            text += padded + spec.help + (spec.repeatable ? " (repeatable)" : "") + "\n"
        }
        return text
    }
}
