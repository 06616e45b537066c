import Testing
@testable import GateLogKit

/// Hands out its bytes a few at a time, so that every token boundary meets a refill somewhere.
struct DribbleSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let step: Int

    init(_ bytes: [UInt8], step: Int) {
        self.bytes = bytes
        self.step = step
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, step)
        guard n > 0 else { return 0 }
        for i in 0..<n { buffer[i] = bytes[offset + i] }
        offset += n
        return n
    }
}

/// A token as a comparable value, with string/number text copied out.
enum TokenValue: Equatable, CustomStringConvertible {
    case token(JSONToken)
    case key(String)
    case string(String)
    case number(String)

    var description: String {
        switch self {
        case .token(let t): return "\(t)"
        case .key(let s): return "key(\(s))"
        case .string(let s): return "string(\(s))"
        case .number(let s): return "number(\(s))"
        }
    }
}

func tokens<S: ByteSource>(_ scanner: JSONScanner<S>) throws -> [TokenValue] {
    var out: [TokenValue] = []
    while true {
        let t = try scanner.next()
        switch t {
        case .endOfInput: return out
        case .key: out.append(.key(String(decoding: scanner.text, as: UTF8.self)))
        case .string: out.append(.string(String(decoding: scanner.text, as: UTF8.self)))
        case .number: out.append(.number(String(decoding: scanner.text, as: UTF8.self)))
        default: out.append(.token(t))
        }
    }
}

func tokens(_ text: String, bufferSize: Int = 1 << 20) throws -> [TokenValue] {
    try tokens(JSONScanner(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize))
}

@Suite struct JSONScannerTests {
    @Test func tokenizesNestedDocument() throws {
        let got = try tokens(#"{"events": [{"timestamp": 1551267060425, "ok": true, "x": null, "f": false, "d": -1.5e3}], "searchedLogStreams": []}"#)
        #expect(got == [
            .token(.beginObject), .key("events"), .token(.beginArray), .token(.beginObject),
            .key("timestamp"), .number("1551267060425"), .key("ok"), .token(.trueValue), .key("x"), .token(.null),
            .key("f"), .token(.falseValue), .key("d"), .number("-1.5e3"),
            .token(.endObject), .token(.endArray), .key("searchedLogStreams"), .token(.beginArray), .token(.endArray),
            .token(.endObject),
        ])
    }

    @Test func unescapesSimpleEscapes() throws {
        let got = try tokens(#"["say \"hi\"\n\tpath C:\\dir \/x \b\f\r"]"#)
        #expect(got == [.token(.beginArray), .string("say \"hi\"\n\tpath C:\\dir /x \u{8}\u{C}\r"), .token(.endArray)])
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        let got = try tokens(#"["caf\u00e9 \u00E9t\u00e9 \ud83d\ude00 \u20AC"]"#)
        #expect(got[1] == .string("café été 😀 €"))
    }

    @Test func invalidEscapesAndLoneSurrogatesBecomeReplacementCharacters() throws {
        let got = try tokens(#"["a\qb", "lone \ud83d end", "low \ude00!", "bad \u12G4", "high then text \ud83dabc"]"#)
        #expect(got[1] == .string("a\u{FFFD}b"))
        #expect(got[2] == .string("lone \u{FFFD} end"))
        #expect(got[3] == .string("low \u{FFFD}!"))
        #expect(got[4] == .string("bad \u{FFFD}12G4"))
        #expect(got[5] == .string("high then text \u{FFFD}abc"))
    }

    @Test func passesRawInvalidUTF8Through() throws {
        var bytes = Array(#"["a"#.utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(#"b\n"]"#.utf8)
        let scanner = JSONScanner(source: MemorySource(bytes))
        #expect(try scanner.next() == .beginArray)
        #expect(try scanner.next() == .string)
        #expect(Array(scanner.text) == [0x61, 0xFF, 0xC3, 0x62, 0x0A])
    }

    @Test func acceptsConcatenatedTopLevelValuesWithAndWithoutWhitespace() throws {
        let got = try tokens(#"{"a":1}{"b":[2]}  [3]"x"4"# + "\n" + #"{"c":true}"#)
        #expect(got == [
            .token(.beginObject), .key("a"), .number("1"), .token(.endObject),
            .token(.beginObject), .key("b"), .token(.beginArray), .number("2"), .token(.endArray), .token(.endObject),
            .token(.beginArray), .number("3"), .token(.endArray), .string("x"), .number("4"),
            .token(.beginObject), .key("c"), .token(.trueValue), .token(.endObject),
        ])
    }

    @Test func sameTokensWhateverTheBufferAndReadSizes() throws {
        let long = String(repeating: "0123456789", count: 30)
        let text = """
            {
                "events": [
                    {"message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) \(long) \\"quoted\\" caf\\u00e9 \\ud83d\\ude00 end\\\\",
                     "timestamp": 1551267060425, "eventId": "34594411449411532791988959220823609535420837773733789697"},
                    {"message": "\\n\\n\\n\\t\\u0041\\u0042", "nested": {"deep": [true, false, null, -0.5, 1e10]}}
                ]
            }
            """
        let reference = try tokens(text)
        #expect(reference.count == 28)
        for bufferSize in [64, 65, 67, 71, 80, 97, 128, 200, 333] {
            #expect(try tokens(text, bufferSize: bufferSize) == reference, "buffer \(bufferSize)")
        }
        for step in [1, 2, 3, 5, 7, 13] {
            let scanner = JSONScanner(source: DribbleSource(Array(text.utf8), step: step), bufferSize: 64)
            #expect(try tokens(scanner) == reference, "step \(step)")
        }
    }

    @Test func tracksLinesAndOffsetsOfTokens() throws {
        let text = "{\n    \"events\": [\n        {\n            \"message\": \"x\"\n        }\n    ]\n}\n"
        let scanner = JSONScanner(source: MemorySource(Array(text.utf8)), bufferSize: 64)
        var lines: [Int] = []
        var offsets: [Int64] = []
        while true {
            let t = try scanner.next()
            if t == .endOfInput { break }
            lines.append(scanner.tokenLine)
            offsets.append(scanner.tokenOffset)
        }
        #expect(lines == [1, 2, 2, 3, 4, 4, 5, 6, 7])
        #expect(offsets.first == 0)
        #expect(offsets[3] == Int64(Array(text.utf8).firstIndex(of: UInt8(ascii: "{"))!) + 26)
    }

    @Test func malformedJSONNamesOffsetAndLine() throws {
        let text = "{\n  \"events\": [\n    {\"message\": \"a\"}\n    {\"message\": \"b\"}\n  ]\n}"
        let scanner = JSONScanner(source: MemorySource(Array(text.utf8)))
        var thrown: JSONSyntaxError?
        do {
            while try scanner.next() != .endOfInput {}
        } catch let error as JSONSyntaxError {
            thrown = error
        }
        let error = try #require(thrown)
        #expect(error.line == 4)
        #expect(error.offset == Int64(Array(text.utf8).lastIndex(of: UInt8(ascii: "{"))!))
        #expect(error.reason.contains("expected ',' or ']'"))
        let problem = error.problem(in: "pages.json")
        #expect(problem.source == "pages.json:4")
        #expect(problem.message.contains("byte \(error.offset)"))
    }

    @Test func truncatedInputIsAnErrorNotEndOfInput() throws {
        for text in [#"{"events": [{"message": "cut"#, #"{"events": [{"message": "x"}"#, #"{"a": tru"#, #"{"a" "#] {
            let scanner = JSONScanner(source: MemorySource(Array(text.utf8)), bufferSize: 64)
            #expect(throws: JSONSyntaxError.self, "\(text)") {
                while try scanner.next() != .endOfInput {}
            }
        }
    }

    @Test func rejectsInvalidNumbersAndBareWords() throws {
        for text in ["[01]", "[1.]", "[-]", "[1e]", "[nope]", "{'a': 1}", "{\"a\" 1}", "[1,]"] {
            #expect(throws: JSONSyntaxError.self, "\(text)") {
                _ = try tokens(text)
            }
        }
    }

    @Test func capsLongStringsAndCountsDroppedBytes() throws {
        let long = String(repeating: "abcdefghij", count: 1000)   // 10 000 bytes
        for (text, bufferSize) in [("[\"\(long)\", \"after\"]", 1 << 16), ("[\"\(long)\", \"after\"]", 64),
                                   ("[\"\\n\(long)\", \"after\"]", 64)] {
            let scanner = JSONScanner(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxStringLength: 100)
            #expect(try scanner.next() == .beginArray)
            #expect(try scanner.next() == .string)
            #expect(scanner.text.count == 100)
            #expect(scanner.text.count + scanner.textDroppedBytes == text.utf8.count - 13 - (text.hasPrefix("[\"\\n") ? 1 : 0))
            #expect(try scanner.next() == .string)
            #expect(String(decoding: scanner.text, as: UTF8.self) == "after")
            #expect(scanner.textDroppedBytes == 0)
        }
    }

    @Test func skipsByteOrderMark() throws {
        let scanner = JSONScanner(source: MemorySource([0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)))
        #expect(try tokens(scanner) == [.token(.beginObject), .key("a"), .number("1"), .token(.endObject)])
    }

    @Test func capturesRawValueText() throws {
        let text = #"{"@message": {"requestId": "abc", "status": "403"}, "after": 1}"#
        let scanner = JSONScanner(source: MemorySource(Array(text.utf8)), bufferSize: 64)
        _ = try scanner.next()
        _ = try scanner.next()
        let open = try scanner.next()
        scanner.beginCapture(limit: 1000)
        try scanner.skipValue(startingWith: open)
        let captured = scanner.endCapture()
        #expect(String(decoding: captured.bytes, as: UTF8.self) == #"{"requestId": "abc", "status": "403"}"#)
        #expect(captured.dropped == 0)
        #expect(try scanner.next() == .key)
        #expect(scanner.textEquals("after"))
    }

    @Test func integerValues() throws {
        let scanner = JSONScanner(source: MemorySource(Array("[1551267060425, -42, 1.5e3, 99999999999999999999]".utf8)))
        _ = try scanner.next()
        var got: [Int64?] = []
        while try scanner.next() == .number { got.append(scanner.integerValue()) }
        #expect(got == [1_551_267_060_425, -42, 1500, nil])
    }
}
