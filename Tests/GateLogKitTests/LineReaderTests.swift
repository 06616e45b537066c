import Testing
@testable import GateLogKit

@Suite struct LineReaderTests {
    private func lines(_ text: String, bufferSize: Int = 8, maxLineLength: Int = 4) throws -> [(String, Int, Int)] {
        var reader = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxLineLength: maxLineLength)
        var out: [(String, Int, Int)] = []
        try reader.forEachLine { line, number, dropped in
            out.append((String(decoding: line, as: UTF8.self), number, dropped))
        }
        return out
    }

    @Test func splitsOnNewlinesAndStripsCarriageReturns() throws {
        let got = try lines("ab\r\ncd\n\nef", maxLineLength: 16)
        #expect(got.map(\.0) == ["ab", "cd", "", "ef"])
        #expect(got.map(\.1) == [1, 2, 3, 4])
        #expect(got.allSatisfy { $0.2 == 0 })
    }

    @Test func cutsOverlongLinesAndCountsWhatWasDropped() throws {
        let long = String(repeating: "x", count: 50)
        let got = try lines("ab\n\(long)\ncd\n\(long)", bufferSize: 8, maxLineLength: 4)
        #expect(got.map(\.0) == ["ab", "xxxx", "cd", "xxxx"])
        #expect(got.map(\.2) == [0, 46, 0, 46])
        #expect(got.map(\.1) == [1, 2, 3, 4])
    }

    @Test func linesSpanningRefillsArriveWhole() throws {
        let text = (1...200).map { "line-\($0)" }.joined(separator: "\n") + "\n"
        let got = try lines(text, bufferSize: 13, maxLineLength: 12)
        #expect(got.count == 200)
        #expect(got.last?.0 == "line-200")
        #expect(got.allSatisfy { $0.2 == 0 })
    }
}
