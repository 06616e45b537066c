#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GateLogKit

/// Exit codes of DESIGN.md §2.
enum ExitCode {
    static let done: Int32 = 0
    static let thresholdCrossed: Int32 = 1
    static let usage: Int32 = 2
    static let partialInput: Int32 = 3
}

/// Parses the arguments and runs one command; returns the exit code.
enum CommandRunner {
    static func run(_ arguments: [String]) -> Int32 {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments)
        } catch let error as UsageError {
            return usageFailure(error)
        } catch {
            return usageFailure(UsageError(message: "\(error)", command: nil))
        }
        if parsed.flag("version") {
            print("gatelog \(Help.version)")
            return ExitCode.done
        }
        if parsed.flag("help") {
            print(arguments.isEmpty || (arguments.first.map { CommandName(rawValue: $0) == nil } ?? true) && parsed.command == .report
                  ? Help.overview : Help.usage(for: parsed.command))
            return ExitCode.done
        }
        do {
            let context = try CommandContext(parsed)
            switch parsed.command {
            case .report: return try ReportCommand.run(context)
            case .requests: return try RequestsCommand.run(context)
            case .trace: return try TraceCommand.run(context)
            case .causes: return try CausesCommand.run(context)
            case .merge: return try MergeCommand.run(context)
            }
        } catch let error as UsageError {
            return usageFailure(error)
        } catch let error as FailRule.ParseError {
            return usageFailure(UsageError(message: error.description, command: parsed.command.rawValue))
        } catch let error as ReportJSON.DecodeError {
            printError("gatelog: \(error.description)")
            return ExitCode.usage
        } catch let error as InputError {
            printError("gatelog: \(error.problem)")
            return ExitCode.usage
        } catch {
            printError("gatelog: \(error)")
            return ExitCode.usage
        }
    }

    static func usageFailure(_ error: UsageError) -> Int32 {
        printError("gatelog: \(error.message)")
        printError("Run 'gatelog \(error.command.map { "\($0) " } ?? "")--help' for usage.")
        return ExitCode.usage
    }

    static func printError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
