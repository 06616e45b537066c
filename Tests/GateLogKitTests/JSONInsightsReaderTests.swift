import Testing
@testable import GateLogKit

@Suite struct JSONInsightsReaderTests {
    // "Download table (JSON)" shape from log-formats.md §7.4: plain string messages and a JSON message nested as an object.
    static let export = """
        [
            {
                "@timestamp": "2025-05-08 04:11:31.234",
                "@message": "(9cef3834-f42c-46d7-83fe-a6401a431398) HTTP Method: GET, Resource Path: /items",
                "@logStream": "e369853df766fa44e1ed0ff613f563bd",
                "@log": "123456789012:API-Gateway-Execution-Logs_abc123def4/prod"
            },
            {
                "@timestamp": "2023-09-29 22:50:15.219",
                "@message": {
                    "requestId": "9cef3834-f42c-46d7-83fe-a6401a431398",
                    "status": "403",
                    "errorMessage": "User is not authorized to access this resource with an explicit deny",
                    "path": "/prod/items, with \\"quotes\\""
                },
                "@logStream": "e369853df766fa44e1ed0ff613f563bd",
                "@log": "123456789012:/aws/apigateway/access-logs"
            },
            {
                "@timestamp": "2025-05-08 04:11:31.300"
            }
        ]
        """

    @Test func readsStringAndNestedObjectMessages() throws {
        let sink = CollectingSink()
        try InsightsJSONReader(sourceName: "logs-insights-results.json", bufferSize: 64)
            .read(MemorySource(Array(Self.export.utf8)), into: sink)
        #expect(sink.records.count == 2)
        #expect(sink.records[0] == .init(
            timestamp: 1_746_677_491_234,
            message: "(9cef3834-f42c-46d7-83fe-a6401a431398) HTTP Method: GET, Resource Path: /items",
            line: 2, group: "API-Gateway-Execution-Logs_abc123def4/prod", stream: "e369853df766fa44e1ed0ff613f563bd"))
        #expect(sink.records[1].message
            == #"{"requestId":"9cef3834-f42c-46d7-83fe-a6401a431398","status":"403","errorMessage":"User is not authorized to access this resource with an explicit deny","path":"/prod/items, with \"quotes\""}"#)
        #expect(sink.records[1].timestamp == 1_696_027_815_219)
        #expect(sink.records[1].line == 8)
        #expect(sink.records[1].group == "/aws/apigateway/access-logs")
        #expect(sink.problems.map(\.source) == ["logs-insights-results.json:19"])
    }

    @Test func timestampTexts() {
        func ms(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBytes { JSONTimestamp.milliseconds($0) } }
        #expect(ms("1970-01-01 00:00:00.000") == 0)
        #expect(ms("2019-02-27T11:31:00.425Z") == 1_551_267_060_425)
        #expect(ms("2019-02-27T11:31:00.425000+00:00") == 1_551_267_060_425)
        #expect(ms("2019-02-27T12:31:00+01:00") == 1_551_267_060_000)
        #expect(ms("2024-02-29 23:59:59.999") == 1_709_251_199_999)
        #expect(ms("1551267060425") == 1_551_267_060_425)
        #expect(ms("2019-13-27 11:31:00") == nil)
        #expect(ms("yesterday") == nil)
    }
}
