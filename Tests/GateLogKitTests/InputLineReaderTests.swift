import Testing
@testable import GateLogKit

@Suite struct InputLineReaderTests {
    private func lines(_ text: String, bufferSize: Int, maxLineLength: Int) throws -> [String] {
        var reader = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxLineLength: maxLineLength)
        var out: [String] = []
        try reader.forEachLine { line, number, dropped in
            out.append("\(number):\(String(decoding: line, as: UTF8.self))+\(dropped)")
        }
        return out
    }

    /// The `\r` of a CRLF ending is never counted as dropped content, wherever the refill boundaries fall.
    @Test(arguments: 5...14)
    func cutCRLFLinesCountOnlyContentAsDropped(bufferSize: Int) throws {
        let got = try lines("abcdefgh\r\nabcd\r\nxy\r\nabcdef\r", bufferSize: bufferSize, maxLineLength: 4)
        #expect(got == ["1:abcd+4", "2:abcd+0", "3:xy+0", "4:abcd+2"])
    }

    @Test(arguments: 5...12)
    func contentCarriageReturnInsideACutLineIsDropped(bufferSize: Int) throws {
        let got = try lines("abcd\r\r\nok\n", bufferSize: bufferSize, maxLineLength: 4)
        #expect(got == ["1:abcd+1", "2:ok+0"])
    }
}
