import CZlib
import Foundation
import Testing
@testable import GateLogKit

/// gzip (windowBits 31) compression and decompression with the system zlib, for building and opening `awslogs.data`.
enum TestGzip {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = UInt32(destination.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return destination.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(source: "test", message: "inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var result: [UInt8] = []
        var input = input
        var chunk = [UInt8](repeating: 0, count: 4096)
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                result += chunk.prefix(chunk.count - Int(stream.avail_out))
                if status == Z_STREAM_END { return }
                guard status == Z_OK else { throw InputError(source: "test", message: "not gzip (zlib status \(status))") }
            }
        }
        return result
    }
}

func readSubscription(_ text: String, bufferSize: Int = 1 << 20) throws -> CollectingSink {
    let sink = CollectingSink()
    let reader = SubscriptionPayloadReader(sourceName: "firehose.json", bufferSize: bufferSize) { compressed in
        MemorySource(try TestGzip.decompress(compressed))
    }
    try reader.read(MemorySource(Array(text.utf8)), into: sink)
    return sink
}

@Suite struct JSONSubscriptionReaderTests {
    static let group = "API-Gateway-Execution-Logs_uwe3g5jm54/Prod"
    static let stream = "072b030ba126b2f4b2374f342be9ed44"
    static let messages = [
        "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Extended Request Id: Vts2FFmArPEFh8g=",
        "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Verifying Usage Plan for request: 4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998. API Key:  API Stage: uwe3g5jm54/Prod",
        "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1",
        "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Method completed with status: 429",
    ]

    // The decoded payload of log-formats.md §7.5, as the docs print it.
    static let payload = """
        {
            "messageType": "DATA_MESSAGE",
            "owner": "958845080241",
            "logGroup": "API-Gateway-Execution-Logs_uwe3g5jm54/Prod",
            "logStream": "072b030ba126b2f4b2374f342be9ed44",
            "subscriptionFilters": ["ship-logs"],
            "logEvents": [
                {"id": "34592803782802773986954514236420494137821591878455918592", "timestamp": 1551194970161, "message": "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Extended Request Id: Vts2FFmArPEFh8g="},
                {"id": "34592803782802773986954514236420494137821591878455918593", "timestamp": 1551194970161, "message": "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Verifying Usage Plan for request: 4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998. API Key:  API Stage: uwe3g5jm54/Prod"},
                {"id": "34592803782825074732153044859562029856094240239961899010", "timestamp": 1551194970162, "message": "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1"},
                {"id": "34592803782825074732153044859562029856094240239961899011", "timestamp": 1551194970162, "message": "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Method completed with status: 429"}
            ]
        }
        """

    static let control = #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1432826855000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#

    /// A one-line envelope with its members in the given order.
    static func envelope(order: [String], stream: String = JSONSubscriptionReaderTests.stream, type: String = "DATA_MESSAGE", events: [(Int64, String)]) -> String {
        let eventsJSON = events.enumerated().map { i, e in
            #"{"id":"3459280378280277398695451423642049413782159187845591859\#(i)","timestamp":\#(e.0),"message":"\#(e.1)"}"#
        }.joined(separator: ",")
        let members: [String: String] = [
            "messageType": #""messageType":"\#(type)""#,
            "owner": #""owner":"958845080241""#,
            "logGroup": #""logGroup":"\#(group)""#,
            "logStream": #""logStream":"\#(stream)""#,
            "subscriptionFilters": #""subscriptionFilters":["ship-logs"]"#,
            "logEvents": #""logEvents":[\#(eventsJSON)]"#,
        ]
        return "{" + order.map { members[$0]! }.joined(separator: ",") + "}"
    }

    @Test func readsDocumentedPayload() throws {
        let sink = try readSubscription(Self.payload)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.message) == Self.messages)
        #expect(sink.records.map(\.timestamp) == [1_551_194_970_161, 1_551_194_970_161, 1_551_194_970_162, 1_551_194_970_162])
        #expect(sink.records.map(\.line) == [8, 9, 10, 11])
        #expect(sink.records.allSatisfy { $0.group == Self.group && $0.stream == Self.stream })
        #expect(Set(sink.originIdentities).count == 1)
    }

    @Test func keyOrderDoesNotMatter() throws {
        let events: [(Int64, String)] = [(1_551_194_970_161, Self.messages[0]), (1_551_194_970_162, Self.messages[3])]
        let orders = [
            ["messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents"],
            ["logEvents", "logGroup", "logStream", "messageType", "owner", "subscriptionFilters"],
            ["logGroup", "logEvents", "messageType", "logStream"],
            ["messageType", "logStream", "logEvents", "logGroup"],
        ]
        for order in orders {
            let sink = try readSubscription(Self.envelope(order: order, events: events))
            #expect(sink.records.map(\.message) == [Self.messages[0], Self.messages[3]], "\(order)")
            #expect(sink.records.allSatisfy { $0.group == Self.group && $0.stream == Self.stream }, "\(order)")
            #expect(sink.records.map(\.timestamp) == [1_551_194_970_161, 1_551_194_970_162])
        }
        // A control message whose events come before its type is still dropped.
        let lateControl = Self.envelope(order: ["logEvents", "logGroup", "logStream", "messageType"], stream: "", type: "CONTROL_MESSAGE",
                                        events: [(1_432_826_855_000, "CWL CONTROL MESSAGE: Checking health of destination Firehose.")])
        let sink = try readSubscription(lateControl)
        #expect(sink.records.isEmpty)
        #expect(sink.skipped[.control] == 1)
    }

    @Test func firehoseConcatenationWithControlMessage() throws {
        let first = Self.envelope(order: ["messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents"],
                                  events: [(1, Self.messages[0]), (2, Self.messages[1])])
        let second = Self.envelope(order: ["logEvents", "messageType", "logGroup", "logStream"], stream: "e369853df766fa44e1ed0ff613f563bd",
                                   events: [(3, Self.messages[2])])
        let third = Self.envelope(order: ["messageType", "logGroup", "logStream", "logEvents"], events: [(4, Self.messages[3])])
        let text = Self.control + first + second + third
        #expect(text.contains("]}{\"messageType\""))
        for bufferSize in [64, 100, 1 << 20] {
            let sink = try readSubscription(text, bufferSize: bufferSize)
            #expect(sink.problems.isEmpty)
            #expect(sink.skipped[.control] == 1)
            #expect(sink.records.map(\.message) == Self.messages)
            #expect(sink.records.map(\.timestamp) == [1, 2, 3, 4])
            #expect(sink.records.map(\.stream) == [Self.stream, Self.stream, "e369853df766fa44e1ed0ff613f563bd", Self.stream])
            #expect(sink.originIdentities[0] == sink.originIdentities[3])
            #expect(sink.records.allSatisfy { $0.line == 1 })
        }
    }

    @Test func lambdaAwslogsWrapperIsDecoded() throws {
        let data = Data(TestGzip.compress(Array(Self.payload.utf8))).base64EncodedString()
        let text = "{\"awslogs\": {\"data\": \"\(data)\"}}\n{\"awslogs\":{\"data\":\"\(Data(TestGzip.compress(Array(Self.control.utf8))).base64EncodedString())\"}}\n"
        let sink = try readSubscription(text)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.message) == Self.messages)
        #expect(sink.records.allSatisfy { $0.line == 1 && $0.group == Self.group })
        #expect(sink.skipped[.control] == 1)
    }

    @Test func lambdaWrapperWithBrokenDataIsAProblemAndReadingGoesOn() throws {
        let good = Data(TestGzip.compress(Array(Self.control.utf8))).base64EncodedString()
        let notGzip = Data("plain text".utf8).base64EncodedString()
        let text = "{\"awslogs\":{\"data\":\"%%%\"}}\n{\"awslogs\":{\"data\":\"\(notGzip)\"}}\n{\"awslogs\":{\"data\":\"\(good)\"}}"
        let sink = try readSubscription(text)
        #expect(sink.problems.map(\.source) == ["firehose.json:1", "firehose.json:2"])
        #expect(sink.problems[0].message.contains("base64"))
        #expect(sink.skipped[.control] == 1)
    }

    @Test func plainJSONFromDecodeNested() throws {
        // The closure may hand back any byte source; here the "decoded" payload is the base64 text's own bytes.
        let data = Data(Self.envelope(order: ["messageType", "logGroup", "logStream", "logEvents"], events: [(9, Self.messages[3])]).utf8)
            .base64EncodedString()
        let sink = CollectingSink()
        let reader = SubscriptionPayloadReader(sourceName: "lambda-event.json") { MemorySource($0) }
        try reader.read(MemorySource(Array("{\"awslogs\":{\"data\":\"\(data)\"}}".utf8)), into: sink)
        #expect(sink.records.map(\.message) == [Self.messages[3]])
        #expect(sink.records.first?.timestamp == 9)
    }

    @Test func truncatedFirehoseObjectKeepsEarlierRecords() throws {
        let whole = Self.envelope(order: ["messageType", "logGroup", "logStream", "logEvents"], events: [(1, Self.messages[0])])
        let text = whole + String(whole.prefix(whole.count - 30))
        let sink = try readSubscription(text)
        #expect(sink.records.map(\.message) == [Self.messages[0]])
        #expect(sink.problems.count == 1)
        #expect(sink.problems[0].source == "firehose.json:1")
        #expect(sink.problems[0].message.contains("malformed JSON at byte \(text.utf8.count)"))
    }

    @Test func eventWithoutMessageIsAProblem() throws {
        let text = #"{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":1},{"id":"2","timestamp":2,"message":"(a) ok"}]}"#
        let sink = try readSubscription(text)
        #expect(sink.records.map(\.message) == ["(a) ok"])
        #expect(sink.problems.count == 1)
    }
}
