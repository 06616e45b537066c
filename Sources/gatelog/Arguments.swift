/// A command-line option: its spelling, whether it takes a value, and its help line.
struct OptionSpec {
    let name: String
    let short: Character?
    let valueName: String?
    let help: String
    var repeatable = false

    var takesValue: Bool { valueName != nil }
}

/// A usage mistake: reported with a pointer to `--help`, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: String?
    var description: String { message }
}

/// The parsed words of one invocation.
struct ParsedArguments {
    var command: CommandName
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
}

enum CommandName: String, CaseIterable {
    case report, requests, trace, causes, merge
}

enum ArgumentParser {
    static let filterOptions: [OptionSpec] = [
        OptionSpec(name: "since", short: nil, valueName: "TIME", help: "only events at or after TIME (ISO 8601, or relative: 30m, 24h, 7d)"),
        OptionSpec(name: "until", short: nil, valueName: "TIME", help: "only events before TIME (ISO 8601, or relative)"),
        OptionSpec(name: "api", short: nil, valueName: "ID", help: "only this REST API id", repeatable: true),
        OptionSpec(name: "stage", short: nil, valueName: "NAME", help: "only this stage", repeatable: true),
        OptionSpec(name: "route", short: nil, valueName: "ROUTE", help: "only this route, e.g. 'GET /pets/{id}'", repeatable: true),
        OptionSpec(name: "principal", short: nil, valueName: "P", help: "only this principal", repeatable: true),
        OptionSpec(name: "cause", short: nil, valueName: "CAUSE", help: "only this cause (see `gatelog causes`)", repeatable: true),
        OptionSpec(name: "outcome", short: nil, valueName: "OUTCOME", help: "only this outcome: allowed, denied, throttled, rejected, gateway_error, backend_error, incomplete, unknown", repeatable: true),
    ]

    static let inputOptions: [OptionSpec] = [
        OptionSpec(name: "input-format", short: nil, valueName: "FORMAT",
                   help: "auto (default, per file), export, plain, cli-json, tail, insights-csv, insights-json, insights-markdown, query-results, subscription, access-json"),
        OptionSpec(name: "authorizer-ttl", short: nil, valueName: "SECONDS", help: "authorizer cache TTL used for cached-policy analysis (default 300)"),
        OptionSpec(name: "jobs", short: "j", valueName: "N", help: "files decoded in parallel (default: number of cores)"),
        OptionSpec(name: "no-redact", short: nil, valueName: nil, help: "show tokens and keys unmasked (they are masked by default)"),
        OptionSpec(name: "color", short: nil, valueName: "WHEN", help: "auto (default; honours NO_COLOR), always, never"),
        OptionSpec(name: "progress", short: nil, valueName: "WHEN", help: "auto (default: only when stderr is a terminal), always, never"),
        OptionSpec(name: "quiet", short: "q", valueName: nil, help: "do not print problems with the input on stderr"),
    ]

    static let generalOptions: [OptionSpec] = [
        OptionSpec(name: "help", short: "h", valueName: nil, help: "show this help"),
        OptionSpec(name: "version", short: nil, valueName: nil, help: "print the version"),
    ]

    static func options(for command: CommandName) -> [OptionSpec] {
        let output = OptionSpec(name: "output", short: "o", valueName: "FILE", help: "write to FILE instead of standard output")
        switch command {
        case .report:
            return [
                OptionSpec(name: "format", short: "f", valueName: "FORMAT", help: "text (default), markdown, json, csv, html"),
                output,
                OptionSpec(name: "top", short: nil, valueName: "N", help: "rows per table in text/markdown, bars per chart in html (default 20)"),
                OptionSpec(name: "fail-on", short: nil, valueName: "SPEC", help: "exit 1 when crossed: denied>100, cause:authorizer_error>0, outcome:gateway_error>1%", repeatable: true),
            ] + filterOptions + inputOptions + generalOptions
        case .requests:
            return [
                OptionSpec(name: "format", short: "f", valueName: "FORMAT", help: "jsonl (default), csv, text"),
                output,
            ] + filterOptions + inputOptions + generalOptions
        case .trace:
            return [
                OptionSpec(name: "format", short: "f", valueName: "FORMAT", help: "text (default), json"),
                output,
            ] + inputOptions + generalOptions
        case .causes:
            return [OptionSpec(name: "format", short: "f", valueName: "FORMAT", help: "text (default), json")] + generalOptions
        case .merge:
            return [
                OptionSpec(name: "format", short: "f", valueName: "FORMAT", help: "text (default), markdown, json, csv, html"),
                output,
                OptionSpec(name: "top", short: nil, valueName: "N", help: "rows per table (default 20)"),
                OptionSpec(name: "fail-on", short: nil, valueName: "SPEC", help: "as for report", repeatable: true),
            ] + inputOptions.filter { $0.name == "color" || $0.name == "quiet" } + generalOptions
        }
    }

    /// Parses `arguments` (without the program name). The first word may name a command; otherwise `report` is meant.
    static func parse(_ arguments: [String]) throws -> ParsedArguments {
        var words = arguments[...]
        var command = CommandName.report
        if let first = words.first, let named = CommandName(rawValue: first) {
            command = named
            words = words.dropFirst()
        } else if let first = words.first, first == "help" {
            command = words.dropFirst().first.flatMap(CommandName.init(rawValue:)) ?? .report
            return ParsedArguments(command: command, flags: ["help"])
        }
        let specs = options(for: command)
        var parsed = ParsedArguments(command: command)
        var onlyPositionals = false
        while let word = words.popFirst() {
            if onlyPositionals || word == "-" || !word.hasPrefix("-") {
                parsed.positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            var name: String
            var inlineValue: String?
            if word.hasPrefix("--") {
                name = String(word.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
            } else {
                let letters = Array(word.dropFirst())
                guard let letter = letters.first, let spec = specs.first(where: { $0.short == letter }) else {
                    throw UsageError(message: "unknown option '\(word)'", command: command.rawValue)
                }
                name = spec.name
                if letters.count > 1 { inlineValue = String(letters.dropFirst()) }
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let suggestion = specs.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
                var message = "unknown option '--\(name)' for '\(command.rawValue)'"
                if let suggestion, editDistance(suggestion, name) <= 3 { message += " (did you mean '--\(suggestion)'?)" }
                throw UsageError(message: message, command: command.rawValue)
            }
            if spec.takesValue {
                guard let value = inlineValue ?? words.popFirst() else {
                    throw UsageError(message: "option '--\(name)' needs a value (\(spec.valueName!))", command: command.rawValue)
                }
                parsed.values[name, default: []].append(value)
            } else {
                if inlineValue != nil {
                    throw UsageError(message: "option '--\(name)' takes no value", command: command.rawValue)
                }
                parsed.flags.insert(name)
            }
        }
        return parsed
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
