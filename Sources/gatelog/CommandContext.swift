#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GateLogKit

/// The options every command shares, resolved once: inputs, analysis settings, filters, output and terminal choices.
struct CommandContext {
    let arguments: ParsedArguments
    var paths: [String]
    var analysis = AnalysisOptions()
    var filter = VerdictFilter()
    let quiet: Bool
    let useColor: Bool
    let showProgress: Bool

    init(_ arguments: ParsedArguments) throws {
        self.arguments = arguments
        let command = arguments.command.rawValue
        paths = arguments.positionals
        quiet = arguments.flag("quiet")

        if let format = arguments.value("input-format") {
            guard let parsed = InputFormat(rawValue: format) else {
                throw UsageError(message: "unknown input format '\(format)' (one of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")))", command: command)
            }
            analysis.scan.inputFormat = parsed
        }
        if let ttl = arguments.value("authorizer-ttl") {
            guard let seconds = Int(ttl), seconds >= 0, seconds <= 86_400 else {
                throw UsageError(message: "--authorizer-ttl takes seconds from 0 to 86400, not '\(ttl)'", command: command)
            }
            analysis.diagnosis.authorizerTTLSeconds = seconds
        }
        if let jobs = arguments.value("jobs") {
            guard let n = Int(jobs), n >= 1, n <= 256 else {
                throw UsageError(message: "--jobs takes a whole number from 1 to 256, not '\(jobs)'", command: command)
            }
            analysis.scan.jobs = n
        } else {
            analysis.scan.jobs = max(1, min(256, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        }
        analysis.diagnosis.redact = !arguments.flag("no-redact")

        let now = Int64(time(nil)) * 1000
        if let since = arguments.value("since") {
            guard let millis = VerdictFilter.parseTime(since, now: now) else {
                throw UsageError(message: "--since takes an ISO 8601 time or a duration like 24h, not '\(since)'", command: command)
            }
            filter.since = millis
        }
        if let until = arguments.value("until") {
            guard let millis = VerdictFilter.parseTime(until, now: now) else {
                throw UsageError(message: "--until takes an ISO 8601 time or a duration like 24h, not '\(until)'", command: command)
            }
            filter.until = millis
        }
        filter.apis = arguments.all("api")
        filter.stages = arguments.all("stage")
        filter.routes = arguments.all("route")
        filter.principals = arguments.all("principal")
        filter.causes = try arguments.all("cause").map { name in
            guard let cause = Cause(rawValue: name) else {
                throw UsageError(message: "unknown cause '\(name)'; 'gatelog causes' lists them", command: command)
            }
            return cause
        }
        filter.outcomes = try arguments.all("outcome").map { name in
            guard let outcome = Outcome(rawValue: name) else {
                throw UsageError(message: "unknown outcome '\(name)' (one of: \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")))", command: command)
            }
            return outcome
        }

        let color = arguments.value("color") ?? "auto"
        switch color {
        case "always": useColor = true
        case "never": useColor = false
        case "auto":
            let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            useColor = noColor.isEmpty && term != "dumb" && isatty(1) == 1 && arguments.value("output") == nil
        default:
            throw UsageError(message: "--color takes auto, always or never, not '\(color)'", command: command)
        }
        let progress = arguments.value("progress") ?? "auto"
        switch progress {
        case "always": showProgress = true
        case "never": showProgress = false
        case "auto":
            // A streaming command writing to the same terminal would interleave with the progress line.
            let streamsToTerminal = arguments.command == .requests && isatty(1) == 1 && arguments.value("output") == nil
            showProgress = isatty(2) == 1 && !arguments.flag("quiet") && !streamsToTerminal
        default:
            throw UsageError(message: "--progress takes auto, always or never, not '\(progress)'", command: command)
        }
    }

    /// An analysis with the context's options, drawing the progress line on standard error when `showProgress`.
    func makeAnalysis() -> Analysis {
        let analysis = Analysis(options: analysis)
        if showProgress {
            let line = ProgressLine()
            analysis.onProgress = { line.update($0) }
        }
        return analysis
    }

    /// The inputs to read: the given paths, or standard input when none are given and it is not a terminal.
    func inputPaths(_ given: [String]) throws -> [String] {
        if !given.isEmpty { return given }
        if isatty(0) == 0 { return ["-"] }
        throw UsageError(message: "no input: name a log file or folder (try 'gatelog SampleLogs'), or pipe logs into gatelog",
                         command: arguments.command.rawValue)
    }

    /// The output destination (`-o FILE` or standard output).
    func openOutput() throws -> OutputWriter {
        if let path = arguments.value("output"), path != "-" { return try OutputWriter(path: path) }
        return OutputWriter(descriptor: 1)
    }

    /// Prints input problems on standard error (unless `--quiet`) and turns the run's result into an exit code.
    func finish(_ summary: AnalysisSummary, output: OutputWriter) -> Int32 {
        if let failure = output.close() {
            CommandRunner.printError("gatelog: cannot write output: \(failure)")
            return ExitCode.usage
        }
        if !quiet {
            for problem in summary.problems {
                CommandRunner.printError("gatelog: \(TerminalText.sanitize(problem.description))")
            }
        }
        if summary.readableInputs == 0 {
            CommandRunner.printError("gatelog: no readable input")
            return ExitCode.usage
        }
        return summary.problems.isEmpty ? ExitCode.done : ExitCode.partialInput
    }

    /// The format option, checked against the command's list.
    func format(_ allowed: [String], default defaultFormat: String) throws -> String {
        let format = arguments.value("format") ?? defaultFormat
        guard allowed.contains(format) else {
            throw UsageError(message: "unknown format '\(format)' for '\(arguments.command.rawValue)' (one of: \(allowed.joined(separator: ", ")))",
                             command: arguments.command.rawValue)
        }
        return format
    }
}

/// The `--progress` line: files and bytes done, rate and time left, redrawn in place on standard error at most five
/// times a second, only once a run has taken more than half a second, and erased when the scan ends. Never on stdout.
final class ProgressLine {
    private let started = ProgressLine.now()
    private var lastDraw = 0.0
    private var drawn = false

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    func update(_ progress: ScanProgress) {
        if progress.finished {
            if drawn { write("\r\u{1B}[K") }
            return
        }
        let now = Self.now()
        let elapsed = now - started
        guard elapsed >= 0.5, now - lastDraw >= 0.2 else { return }
        lastDraw = now
        drawn = true
        write("\r\u{1B}[K" + Self.text(progress, elapsed: elapsed))
    }

    /// `gatelog: 3/6 files · 120.5 MB of 300 MB (40%) · 85.2 MB/s · about 2 s left`
    static func text(_ progress: ScanProgress, elapsed: Double) -> String {
        var text = "gatelog: \(progress.filesDone)/\(progress.filesTotal) files · \(ReportFormatting.bytes(progress.bytesDone))"
        let rate = elapsed > 0 ? Double(progress.bytesDone) / elapsed : 0
        if let total = progress.bytesTotal, total > 0 {
            text += " of \(ReportFormatting.bytes(total)) (\(ReportFormatting.percent(Int(min(progress.bytesDone, total) / 1000), of: Int(total / 1000))))"
        }
        text += " · \(ReportFormatting.bytes(Int64(rate)))/s"
        if let total = progress.bytesTotal, rate > 0, total > progress.bytesDone {
            let left = Int((Double(total - progress.bytesDone) / rate).rounded(.up))
            text += left >= 60 ? " · about \(left / 60) min \(left % 60) s left" : " · about \(left) s left"
        }
        return text
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            #if canImport(Glibc)
            _ = Glibc.write(2, bytes.baseAddress, bytes.count)
            #else
            _ = Darwin.write(2, bytes.baseAddress, bytes.count)
            #endif
        }
    }
}
