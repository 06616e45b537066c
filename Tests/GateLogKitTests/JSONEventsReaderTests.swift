import Foundation
import Testing
@testable import GateLogKit

/// Collects what a reader delivers, copying the borrowed message bytes.
final class CollectingSink: RecordSink {
    struct Got: Equatable {
        var timestamp: Int64?
        var message: String
        var line: Int
        var group: String?
        var stream: String?
    }

    var records: [Got] = []
    var originIdentities: [ObjectIdentifier?] = []
    var problems: [InputProblem] = []
    var skipped: [SkippedInput: Int] = [:]

    func receive(_ record: Record) throws {
        records.append(Got(
            timestamp: record.timestamp, message: String(decoding: record.message, as: UTF8.self), line: record.line,
            group: record.origin?.logGroup, stream: record.origin?.logStream))
        originIdentities.append(record.origin.map(ObjectIdentifier.init))
    }


    func skip(_ what: SkippedInput, count: Int) { skipped[what, default: 0] += count }

    func problem(_ problem: InputProblem) { problems.append(problem) }
}

/// Counts records without keeping them (for the large-input test).
final class CountingSink: RecordSink {
    var count = 0
    var messageBytes = 0
    var lastTimestamp: Int64?
    var problems: [InputProblem] = []
    func receive(_ record: Record) throws {
        count += 1
        messageBytes += record.message.count
        lastTimestamp = record.timestamp
    }
    func skip(_ what: SkippedInput, count: Int) {}
    func problem(_ problem: InputProblem) { problems.append(problem) }
}

func readEvents(
    _ text: String, logGroup: String? = "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", bufferSize: Int = 1 << 20,
    maxMessageLength: Int = 1 << 20
) throws -> CollectingSink {
    let sink = CollectingSink()
    let reader = CloudWatchEventsReader(
        sourceName: "events.json", logGroup: logGroup, maxMessageLength: maxMessageLength, bufferSize: bufferSize)
    try reader.read(MemorySource(Array(text.utf8)), into: sink)
    return sink
}

@Suite struct JSONEventsReaderTests {
    static let group = "API-Gateway-Execution-Logs_uwe3g5jm54/Prod"

    // filter-log-events as the CLI prints it (4-space indent), values from log-formats.md §7.2.
    static let filterLogEvents = """
        {
            "events": [
                {
                    "logStreamName": "e369853df766fa44e1ed0ff613f563bd",
                    "timestamp": 1551267060425,
                    "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key:  API Stage: uwe3g5jm54/Prod",
                    "ingestionTime": 1551267061501,
                    "eventId": "34594411449411532791988959220823609535420837773733789697"
                },
                {
                    "logStreamName": "e369853df766fa44e1ed0ff613f563bd",
                    "timestamp": 1551267060426,
                    "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations: {\\"receipt\\": \\"x\\"}\\n",
                    "ingestionTime": 1551267061501,
                    "eventId": "34594411449411532791988959220823609535420837773733789698"
                },
                {
                    "logStreamName": "072b030ba126b2f4b2374f342be9ed44",
                    "timestamp": 1551267060500,
                    "message": "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Method completed with status: 429",
                    "ingestionTime": 1551267061600,
                    "eventId": "34594411449411532791988959220823609535420837773733789699"
                }
            ],
            "searchedLogStreams": []
        }

        """

    @Test func readsFilterLogEventsDocument() throws {
        let sink = try readEvents(Self.filterLogEvents)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.count == 3)
        #expect(sink.records[0] == .init(
            timestamp: 1_551_267_060_425,
            message: "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key:  API Stage: uwe3g5jm54/Prod",
            line: 3, group: Self.group, stream: "e369853df766fa44e1ed0ff613f563bd"))
        #expect(sink.records[1].message == "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations: {\"receipt\": \"x\"}\n")
        #expect(sink.records[1].line == 10)
        #expect(sink.records[2].line == 17)
        #expect(sink.records[2].stream == "072b030ba126b2f4b2374f342be9ed44")
        // One shared origin per stream.
        #expect(sink.originIdentities[0] == sink.originIdentities[1])
        #expect(sink.originIdentities[0] != sink.originIdentities[2])
    }

    @Test func readsGetLogEventsWithTokensAndNoStreamName() throws {
        let text = """
            {
                "events": [
                    {
                        "timestamp": 1551267060425,
                        "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
                        "ingestionTime": 1551267061501
                    }
                ],
                "nextForwardToken": "f/34594411449411532791988959220823609535420837773733789696/s",
                "nextBackwardToken": "b/34594411449411532791988959220823609535420837773733789696/s"
            }
            """
        let sink = CollectingSink()
        let reader = CloudWatchEventsReader(sourceName: "one-stream.json", logGroup: Self.group, logStream: "e369853df766fa44e1ed0ff613f563bd")
        try reader.read(MemorySource(Array(text.utf8)), into: sink)
        #expect(sink.records == [.init(
            timestamp: 1_551_267_060_425, message: "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
            line: 3, group: Self.group, stream: "e369853df766fa44e1ed0ff613f563bd")])
        #expect(sink.problems.isEmpty)
    }

    @Test func keysInAnyOrderAndUnknownKeysIgnored() throws {
        let text = #"""
            {"nextForwardToken": "f/1/s", "events": [{"eventId": "1", "extra": {"a": [1, {"b": "}"}]}, "message": "(id) tokens \"}]\" inside", "ingestionTime": 2, "timestamp": 1551267060425, "logStreamName": "s1"}], "searchedLogStreams": [{"logStreamName": "ignored", "searchedCompletely": true}]}
            """#
        let sink = try readEvents(text)
        #expect(sink.records == [.init(timestamp: 1_551_267_060_425, message: "(id) tokens \"}]\" inside", line: 1, group: Self.group, stream: "s1")])
    }

    @Test func messageEscapes() throws {
        let text = #"""
            {"events": [{"timestamp": 1, "message": "q\" b\\ n\n t\t e\u00e9 s\ud83d\ude00 bad\x end"}]}
            """#
        let sink = try readEvents(text)
        #expect(sink.records.map(\.message) == ["q\" b\\ n\n t\t eé s😀 bad\u{FFFD} end"])
    }

    @Test func concatenatedPagesInOneFile() throws {
        let page1 = #"{"events":[{"logStreamName":"a","timestamp":1,"message":"(r1) one"}],"nextToken":"x"}"#
        let page2 = #"{"events":[{"logStreamName":"b","timestamp":2,"message":"(r2) two"},{"logStreamName":"a","timestamp":3,"message":"(r1) three"}]}"#
        for separator in ["", "\n", "\n\n  "] {
            let sink = try readEvents(Self.filterLogEvents + separator + page1 + separator + page2)
            #expect(sink.records.count == 6)
            #expect(sink.records.suffix(3).map(\.message) == ["(r1) one", "(r2) two", "(r1) three"])
            #expect(sink.originIdentities[3] == sink.originIdentities[5])
            #expect(sink.problems.isEmpty)
        }
    }

    @Test func ndjsonEventsOneObjectPerLine() throws {
        let text = """
            {"logStreamName": "e369853df766fa44e1ed0ff613f563bd", "timestamp": 1551267060425, "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=", "ingestionTime": 1551267061501, "eventId": "34594411449411532791988959220823609535420837773733789697"}
            {"logStreamName": "e369853df766fa44e1ed0ff613f563bd", "timestamp": 1551267060426, "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 403", "ingestionTime": 1551267061501, "eventId": "34594411449411532791988959220823609535420837773733789698"}

            {"message": "(b0a1) bare", "timestamp": "2019-02-27T11:31:00.425000+00:00"}
            """
        let sink = try readEvents(text)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.line) == [1, 2, 4])
        #expect(sink.records[1].message == "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 403")
        #expect(sink.records[2].timestamp == 1_551_267_060_425)
        #expect(sink.records[2].stream == nil && sink.records[2].group == Self.group)
    }

    @Test func arraysOfEventsAndOfMessages() throws {
        let sink = try readEvents(#"[{"timestamp": 5, "message": "(a) x"}] ["(b) y", "(c) z"]"#)
        #expect(sink.records.map(\.message) == ["(a) x", "(b) y", "(c) z"])
        #expect(sink.records[1].timestamp == nil)
    }

    @Test func eventWithoutMessageIsAProblem() throws {
        let text = "{\n    \"events\": [\n        {\"timestamp\": 1, \"eventId\": \"1\"},\n        {\"timestamp\": 2, \"message\": \"(a) ok\"}\n    ]\n}"
        let sink = try readEvents(text)
        #expect(sink.records.map(\.message) == ["(a) ok"])
        #expect(sink.problems.count == 1)
        #expect(sink.problems.first?.source == "events.json:3")
        #expect(sink.problems.first?.message.contains("message") == true)
    }

    @Test func truncatedDocumentKeepsEarlierRecordsAndNamesTheSpot() throws {
        let full = Self.filterLogEvents
        let cut = String(full.prefix(upTo: full.range(of: "Method completed")!.lowerBound))
        let sink = try readEvents(cut, bufferSize: 64)
        #expect(sink.records.count == 2)
        #expect(sink.problems.count == 1)
        let problem = try #require(sink.problems.first)
        #expect(problem.source == "events.json:20")
        #expect(problem.message.contains("malformed JSON at byte \(cut.utf8.count)"))
        #expect(problem.message.contains("inside a string"))
    }

    @Test func malformedLineInNDJSONCostsOnlyThatLine() throws {
        let text = """
            {"logStreamName": "s", "timestamp": 1, "message": "(a) one"}
            {"logStreamName": "s", "timestamp": 2, "message": "(a) two" "oops": 1}
            {"logStreamName": "s", "timestamp": 3, "message": "(a) three"
            {"logStreamName": "s", "timestamp": 4, "message": "(a) four"}
            """
        let sink = try readEvents(text)
        #expect(sink.records.map(\.message) == ["(a) one", "(a) four"])
        #expect(sink.problems.map(\.source) == ["events.json:2", "events.json:4"])
    }

    @Test func malformedMultiLineDocumentStopsAtTheError() throws {
        let broken = Self.filterLogEvents.replacingOccurrences(of: "\"timestamp\": 1551267060426,", with: "\"timestamp\": 1551267060426")
        let sink = try readEvents(broken)
        #expect(sink.records.count == 1)
        #expect(sink.problems.count == 1)
        #expect(sink.problems[0].source == "events.json:13")
        #expect(sink.problems[0].message.contains("expected ',' or '}'"))
    }

    @Test func veryLongMessageIsCutAndReported() throws {
        let body = String(repeating: "{\\\"k\\\":\\\"vvvvvvvvvv\\\"}", count: 20_000)   // 18 bytes decoded per repetition
        let text = #"{"events": [{"timestamp": 1, "message": "(a) "# + body + #""}, {"timestamp": 2, "message": "(b) short"}]}"#
        let sink = try readEvents(text, bufferSize: 4096, maxMessageLength: 1000)
        #expect(sink.records.count == 2)
        #expect(sink.records[0].message.utf8.count == 1000)
        #expect(sink.records[0].message.hasPrefix("(a) {\"k\":\"vvvvvvvvvv\"}"))
        #expect(sink.records[1].message == "(b) short")
        #expect(sink.problems.count == 1)
        #expect(sink.problems[0].message.contains("\(4 + 20_000 * 18 - 1000) bytes dropped"))
    }

    @Test func largeGeneratedDocumentIsReadCompletely() throws {
        let count = 100_000
        var text = "{\n    \"events\": [\n"
        text.reserveCapacity(count * 330)
        for i in 0..<count {
            let stream = i % 7 == 0 ? "072b030ba126b2f4b2374f342be9ed44" : "e369853df766fa44e1ed0ff613f563bd"
            text += """
                        {
                            "logStreamName": "\(stream)",
                            "timestamp": \(1_551_267_060_000 + i),
                            "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Endpoint response body before transformations: {\\"n\\": \(i)}",
                            "ingestionTime": 1551267061501,
                            "eventId": "3459441144941153279198895922082360953542083777373378\(i)"
                        }\(i == count - 1 ? "" : ",")

                """
        }
        text += "    ],\n    \"searchedLogStreams\": []\n}\n"
        let sink = CountingSink()
        let reader = CloudWatchEventsReader(sourceName: "big.json", logGroup: Self.group)
        try reader.read(MemorySource(Array(text.utf8)), into: sink)
        #expect(sink.count == count)
        #expect(sink.lastTimestamp == 1_551_267_060_000 + Int64(count - 1))
        #expect(sink.problems.isEmpty)
    }
}
