/// Per-request outputs of `requests`: jsonl (DESIGN.md §4 keys), csv (stable header), text (for people).
public enum VerdictRenderers {
    /// `verdict.json.serialized()` and a newline, written straight into one string (no `JSONValue` tree): the
    /// per-request cost of `requests --format jsonl`.
    public static func jsonLine(_ verdict: Verdict) -> String {
        var out = ""
        out.reserveCapacity(768 + verdict.evidence.reduce(0) { $0 + $1.source.utf8.count + $1.text.utf8.count + 24 })
        var first = true
        func key(_ name: String) {
            out += first ? "{\"" : ",\""
            first = false
            out += name
            out += "\":"
        }
        func string(_ name: String, _ value: String?) {
            key(name)
            if let value { JSONValue.writeString(value, to: &out) } else { out += "null" }
        }
        func int(_ name: String, _ value: Int?) {
            key(name)
            out += value.map { String($0) } ?? "null"
        }
        string("requestId", verdict.requestId)
        string("extendedRequestId", verdict.extendedRequestId)
        string("apiId", verdict.apiId)
        string("stage", verdict.stage)
        string("httpMethod", verdict.httpMethod)
        string("resource", verdict.resource)
        string("path", verdict.path)
        string("route", verdict.route)
        int("status", verdict.status)
        string("outcome", verdict.outcome.rawValue)
        string("layer", verdict.layer.rawValue)
        string("cause", verdict.cause.rawValue)
        string("principal", verdict.principal)
        string("authorizerId", verdict.authorizerId)
        string("apiKey", verdict.apiKey)
        string("startTime", verdict.startTime.map(Timestamp.iso8601))
        string("endTime", verdict.endTime.map(Timestamp.iso8601))
        int("integrationLatencyMs", verdict.integrationLatencyMs)
        key("evidence")
        out += "["
        for (index, evidence) in verdict.evidence.enumerated() {
            out += index == 0 ? "{\"source\":" : ",{\"source\":"
            JSONValue.writeString(evidence.source, to: &out)
            out += ",\"text\":"
            JSONValue.writeString(evidence.text, to: &out)
            out += "}"
        }
        out += "]"
        string("hint", verdict.hint)
        out += "}\n"
        return out
    }

    public static let csvHeader = CSV.row([
        "requestId", "extendedRequestId", "apiId", "stage", "httpMethod", "resource", "path", "route", "status", "outcome",
        "layer", "cause", "principal", "authorizerId", "apiKey", "startTime", "endTime", "integrationLatencyMs", "evidence", "hint",
    ])

    public static func csvRow(_ verdict: Verdict) -> String {
        CSV.row([
            verdict.requestId, verdict.extendedRequestId, verdict.apiId, verdict.stage, verdict.httpMethod, verdict.resource,
            verdict.path, verdict.route, verdict.status.map(String.init), verdict.outcome.rawValue, verdict.layer.rawValue,
            verdict.cause.rawValue, verdict.principal, verdict.authorizerId, verdict.apiKey,
            verdict.startTime.map(Timestamp.iso8601), verdict.endTime.map(Timestamp.iso8601),
            verdict.integrationLatencyMs.map(String.init),
            verdict.evidence.map { "\($0.source) \($0.text)" }.joined(separator: "\n"), verdict.hint,
        ])
    }

    /// A few lines per request for a terminal; log-derived text is sanitized.
    public static func text(_ verdict: Verdict, color: Bool = false) -> String {
        func s(_ value: String?) -> String { TerminalText.sanitize(value ?? "-") }
        let status = verdict.status.map(String.init) ?? "-"
        var head = "\(s(verdict.requestId))  \(s(verdict.startTime.map(Timestamp.iso8601)))  \(s(verdict.apiId))/\(s(verdict.stage)) \(s(verdict.route))  \(status)"
        let cause = "\(verdict.outcome.rawValue) · \(verdict.layer.rawValue) · \(verdict.cause.rawValue)"
        head += "  " + (color ? "\u{1B}[1m\(cause)\u{1B}[0m" : cause)
        var out = head + "\n"
        if let principal = verdict.principal { out += "    principal: \(s(principal))\n" }
        for evidence in verdict.evidence.prefix(6) {
            out += "    \(s(evidence.source))  \(s(String(Masking.normalizeAll(in: evidence.text).prefix(300))))\n"
        }
        return out
    }
}

/// `trace` output: every line of one request with time, source, phase and text, then the verdict.
public enum TraceRenderer {
    public struct TraceLine: Sendable {
        public var time: Int64?
        public var source: String
        public var phase: Phase
        public var text: String
    }

    /// The lines of a lifecycle (redacted unless `redact` is false), access-log records first (they are written first).
    public static func lines(of lifecycle: RequestLifecycle, files: FileTable, redact: Bool) -> [TraceLine] {
        var out: [TraceLine] = []
        for ((source, text), record) in zip(zip(lifecycle.accessSources, lifecycle.accessRecords), lifecycle.accessLogRecords) {
            out.append(TraceLine(time: record.timestamp, source: source.description, phase: .envelope,
                                 text: redact ? Redactor.redact(text) : text))
        }
        let phases = Phase.assign(lifecycle.lines)
        for (index, line) in lifecycle.lines.enumerated() {
            let text = lifecycle.text(of: line)
            out.append(TraceLine(time: line.timestamp, source: files.source(of: line).description, phase: phases[index],
                                 text: redact ? Redactor.redact(text) : text))
        }
        return out
    }

    public static func json(lifecycle: RequestLifecycle, lines: [TraceLine], verdict: Verdict) -> JSONValue {
        .object([
            ("requestId", .string(lifecycle.requestId)),
            ("extendedRequestId", .string(verdict.extendedRequestId)),
            ("lines", .array(lines.map { line in
                .object([("time", .string(line.time.map(Timestamp.iso8601))), ("source", .string(line.source)),
                         ("phase", .string(line.phase.rawValue)), ("text", .string(line.text))])
            })),
            ("verdict", verdict.json),
        ])
    }

    public static func text(lines: [TraceLine], verdict: Verdict, color: Bool) -> String {
        func s(_ value: String?) -> String { TerminalText.sanitize(value ?? "-") }
        func bold(_ t: String) -> String { color ? "\u{1B}[1m\(t)\u{1B}[0m" : t }
        // Long source paths are listed once and cited as [n]:line.
        var files: [String] = []
        func cite(_ source: String) -> String {
            let (file, line) = splitSource(source)
            var index = files.firstIndex(of: file)
            if index == nil {
                files.append(file)
                index = files.count - 1
            }
            return "[\(index! + 1)]" + (line.map { ":\($0)" } ?? "")
        }
        let lineSources = lines.map { cite($0.source) }
        let evidenceSources = verdict.evidence.map { cite($0.source) }

        var out = bold("Request \(s(verdict.requestId))")
        if let extended = verdict.extendedRequestId { out += " (extended \(s(extended)))" }
        out += "  \(s(verdict.apiId))/\(s(verdict.stage)) \(s(verdict.route))\n"
        for (index, file) in files.enumerated() { out += "  [\(index + 1)] \(s(file))\n" }
        out += "\n"
        let sourceWidth = lineSources.map(\.count).max() ?? 0
        for (line, source) in zip(lines, lineSources) {
            let time = line.time.map(Timestamp.iso8601) ?? String(repeating: " ", count: 24)
            out += "\(time)  \(line.phase.rawValue.padding(to: 11))  \(source.padding(to: sourceWidth))  \(s(Masking.normalizeAll(in: line.text)))\n"
        }
        out += "\n" + bold("Verdict: ") + "\(verdict.outcome.rawValue) — \(verdict.layer.rawValue) / \(verdict.cause.rawValue)"
        out += verdict.status.map { " (status \($0))" } ?? ""
        out += "\n"
        if let principal = verdict.principal { out += "Principal: \(s(principal))\n" }
        if !verdict.evidence.isEmpty {
            out += bold("Evidence:") + "\n"
            for (evidence, source) in zip(verdict.evidence, evidenceSources) {
                out += "  \(source)  \(s(Masking.normalizeAll(in: evidence.text)))\n"
            }
        }
        out += bold("Hint: ") + verdict.hint + "\n"
        return out
    }

    /// `file:line` → (file, line); a source without a trailing number is all file.
    static func splitSource(_ source: String) -> (String, Int?) {
        guard let colon = source.lastIndex(of: ":"), let line = Int(source[source.index(after: colon)...]) else { return (source, nil) }
        return (String(source[..<colon]), line)
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
