import Testing
@testable import gatelog

@Suite struct ArgumentParserTests {
    @Test func reportIsTheDefaultCommand() throws {
        let parsed = try ArgumentParser.parse(["SampleLogs", "--format", "json"])
        #expect(parsed.command == .report)
        #expect(parsed.positionals == ["SampleLogs"])
        #expect(parsed.value("format") == "json")
    }

    @Test func acceptsInlineValuesShortOptionsAndRepeats() throws {
        let parsed = try ArgumentParser.parse(["requests", "-fcsv", "--outcome=denied", "--outcome", "throttled", "-", "--", "--odd-file"])
        #expect(parsed.command == .requests)
        #expect(parsed.value("format") == "csv")
        #expect(parsed.all("outcome") == ["denied", "throttled"])
        #expect(parsed.positionals == ["-", "--odd-file"])
    }

    @Test func unknownOptionsAreUsageErrorsWithASuggestion() {
        #expect {
            try ArgumentParser.parse(["report", "--formt", "json"])
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            return usage.message.contains("--formt") && usage.message.contains("did you mean '--format'")
        }
    }

    @Test func missingValueIsAUsageError() {
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["trace", "--format"]) }
    }

    @Test func flagsRejectValues() {
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["report", "--quiet=yes"]) }
    }

    @Test func helpNamesEveryOptionOfTheCommand() {
        let text = Help.usage(for: .requests)
        for spec in ArgumentParser.options(for: .requests) {
            #expect(text.contains("--\(spec.name)"))
        }
    }
}
