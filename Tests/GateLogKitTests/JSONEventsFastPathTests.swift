import Testing
@testable import GateLogKit

/// Keeps every delivered record's raw message bytes (no String decoding, so invalid UTF-8 stays visible).
private final class RawSink: RecordSink {
    struct Got: Equatable {
        var timestamp: Int64?
        var message: [UInt8]
        var line: Int
        var group: String?
        var stream: String?
    }

    var records: [Got] = []
    var problems: [String] = []

    func receive(_ record: Record) throws {
        records.append(Got(timestamp: record.timestamp, message: Array(record.message), line: record.line,
                           group: record.origin?.logGroup, stream: record.origin?.logStream))
    }

    func skip(_ what: SkippedInput, count: Int) {}
    func problem(_ problem: InputProblem) { problems.append(problem.source + " " + problem.message) }
}

private func read(_ bytes: [UInt8], maxMessageLength: Int = 1 << 20) throws -> RawSink {
    let sink = RawSink()
    let reader = CloudWatchEventsReader(sourceName: "events.json", logGroup: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod",
                                        maxMessageLength: maxMessageLength)
    try reader.read(MemorySource(bytes), into: sink)
    return sink
}

/// An event object inside an `"events"` array takes the buffered fast path; the same object alone at top level (the
/// NDJSON form) always takes the token-by-token path. Both must deliver the same record.
@Suite struct JSONEventsFastPathTests {
    static let messages: [[UInt8]] = [
        Array(#""(0f2d6a4c-1b7e-4c3a-9d55-2f1e8b7c6a90) Method request body before transformations: {\"a\":\"b\\\\c\"}""#.utf8),
        Array(#""Endpoint response headers: {Date=Thu, 20 Nov 2026 09:00:00 GMT,\n\tx=\r\b\f\/}""#.utf8),
        Array(#""\u0041\u00e9\u20AC \ud83d\ude00 lone high \ud800x lone low \udc00 high+ascii \ud800\u0041""#.utf8),
        Array(#""bad \q escape, short \u12""#.utf8),
        Array(#""short \u12G4 then \u""#.utf8),
        Array(#""even backslashes \\\\""#.utf8),
        [0x22, 0x62, 0x61, 0x64, 0x20, 0xFF, 0xC3, 0x28, 0x09, 0x5C, 0xC3, 0xA9, 0x22],   // invalid UTF-8, raw tab, `\é`
        Array(#""""#.utf8),
    ]

    static let cases: [String] = [
        #"{"logStreamName": "be7264aab1d65b1a6acfffb7160d107f", "timestamp": 1795165200000, "message": MSG, "ingestionTime": 1795165200700, "eventId": "0001"}"#,
        #"{"message": MSG, "timestamp": -0, "logGroupName": "other-group", "logStreamName": "s1"}"#,
        #"{"timestamp": 1.5e3, "message": MSG}"#,
        #"{"timestamp": "2026-11-20T09:00:00.000Z", "message": MSG}"#,
        #"{"timestamp": 123456789012345678901, "message": MSG, "extra": [1, {"x": null}], "flag": true}"#,
        #"{"message": "first", "message": MSG, "logStreamName": "a\"b", "eventId": "x\\"}"#,
        #"{"eventId": 0123, "message": MSG}"#,
        #"{"message": MSG, "timestamp": 7}"#,
        #"{"messageTail": "other", "timestamp": 8, "message": MSG, "logStreamNameX": "n", "timestampX": 9}"#,
    ]

    static func event(_ template: String, _ message: [UInt8]) -> [UInt8] {
        let parts = template.components(separatedBy: "MSG")
        return Array(parts[0].utf8) + message + Array(parts[1].utf8)
    }

    @Test(arguments: [1 << 20, 13, 9, 7])
    func arrayEventsMatchTopLevelEvents(maxMessageLength: Int) throws {
        for template in Self.cases {
            for message in Self.messages {
                let object = Self.event(template, message)
                let inArray = try read(Array("{\"events\":[\n".utf8) + object + Array("\n]}".utf8), maxMessageLength: maxMessageLength)
                // Same offsets and lines as in the array: `{"events":[` and a newline are 12 bytes.
                let alone = try read(Array((String(repeating: " ", count: 11) + "\n").utf8) + object, maxMessageLength: maxMessageLength)
                #expect(inArray.records == alone.records, "\(String(decoding: object, as: UTF8.self))")
                #expect(inArray.problems == alone.problems, "\(String(decoding: object, as: UTF8.self))")
            }
        }
    }

    @Test func escapesDecodeAsJSONSays() throws {
        let doc = #"{"events":[{"logStreamName":"s","timestamp":1795165200000,"message":"a\"b\\c\nd\te\u00e9\ud83d\ude00\ud800"}]}"#
        let sink = try read(Array(doc.utf8))
        #expect(sink.records.count == 1)
        #expect(sink.records.first?.message == Array("a\"b\\c\nd\te\u{e9}\u{1F600}\u{FFFD}".utf8))
        #expect(sink.records.first?.timestamp == 1_795_165_200_000)
        #expect(sink.records.first?.stream == "s")
    }

    @Test func eachRecordCarriesTheLineOfItsEventObject() throws {
        // Pretty-printed like the CLI, with raw newlines inside some strings (invalid JSON the scanner accepts).
        let messages = ["plain", "raw\nnewline", "escaped \\n only", "two\n\nraw"]
        var doc = "{\n    \"events\": [\n"
        var expectedLines: [Int] = []
        for (k, message) in messages.enumerated() {
            let eventId = k == 2 ? "id\nwith raw newline" : "0000\(k)"
            expectedLines.append(doc.filter { $0 == "\n" }.count + 1)
            doc += "        {\n            \"logStreamName\": \"s\(k % 2)\",\n            \"timestamp\": \(1_795_165_200_000 + k),\n"
            doc += "            \"message\": \"\(message)\",\n            \"eventId\": \"\(eventId)\"\n        }"
            doc += k == messages.count - 1 ? "\n" : ",\n"
        }
        doc += "    ]\n}\n"
        let sink = try read(Array(doc.utf8))
        #expect(sink.problems == [])
        #expect(sink.records.map(\.line) == expectedLines)
        #expect(sink.records.map { String(decoding: $0.message, as: UTF8.self) } == ["plain", "raw\nnewline", "escaped \n only", "two\n\nraw"])
        #expect(sink.records.map(\.stream) == ["s0", "s1", "s0", "s1"])
    }

    @Test func cutMessagesAreReportedTheSameWay() throws {
        let object = Self.event(Self.cases[0], Self.messages[2])
        let inArray = try read(Array("[".utf8) + object + Array("]".utf8), maxMessageLength: 10)
        let alone = try read(object, maxMessageLength: 10)
        #expect(inArray.problems.count == 1)
        #expect(inArray.problems == alone.problems)
        #expect(inArray.records.first?.message.count == 10)
    }
}
