import Testing
@testable import GateLogKit

/// Reads `text` with a line reader feeding `consume` (the CSV and Markdown readers are line based).
private func lines(_ text: String, bufferSize: Int = 1 << 20) -> LineReader<MemorySource> {
    LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize)
}

private func readCSV(_ text: String, maxMessageLength: Int = 1 << 20) throws -> (CollectingSink, InsightsCSVReader) {
    let sink = CollectingSink()
    let reader = InsightsCSVReader(sink: sink, sourceName: "logs-insights-results.csv", maxMessageLength: maxMessageLength)
    var source = lines(text, bufferSize: 64)
    try reader.read(&source)
    return (sink, reader)
}

private func readMarkdown(_ text: String) throws -> CollectingSink {
    let sink = CollectingSink()
    var source = lines(text)
    try InsightsMarkdownReader(sink: sink, sourceName: "insights.md").read(&source)
    return sink
}

@Suite struct FormatInsightsCSVTests {
    // log-formats.md §7.4: the default query's header, `YYYY-MM-DD HH:MM:SS.mmm`, `@log` = account:group.
    @Test func readsTheDocumentedRowWithItsOrigin() throws {
        let (sink, _) = try readCSV("""
            @timestamp,@message,@logStream,@log
            2025-05-08 04:11:31.234,"(9cef3834-f42c-46d7-83fe-a6401a431398) HTTP Method: GET, Resource Path: /items",e369853df766fa44e1ed0ff613f563bd,123456789012:API-Gateway-Execution-Logs_abc123def4/prod

            """)
        #expect(sink.records == [.init(
            timestamp: 1_746_677_491_234,
            message: "(9cef3834-f42c-46d7-83fe-a6401a431398) HTTP Method: GET, Resource Path: /items",
            line: 2, group: "API-Gateway-Execution-Logs_abc123def4/prod", stream: "e369853df766fa44e1ed0ff613f563bd")])
        #expect(sink.skipped[.container] == 1)
        #expect(sink.problems.isEmpty)
    }

    @Test func unquotesDoubledQuotesAndKeepsEmbeddedNewlinesAfterABOMAndCRLF() throws {
        let text = "\u{FEFF}@timestamp,@message,@logStream,@log\r\n"
            + "2026-11-20 12:00:01.121,\"(11111111-2222-4333-8444-555555555558) Endpoint response body before transformations: {\r\n"
            + "  \"\"message\"\": \"\"Rate Exceeded.\"\"\r\n}\",e369853df766fa44e1ed0ff613f563bd,123456789012:API-Gateway-Execution-Logs_r4n8wd2ps6/dev\r\n"
            + "2026-11-20 12:00:01.120,(11111111-2222-4333-8444-555555555558) Method completed with status: 500,e369853df766fa44e1ed0ff613f563bd,123456789012:API-Gateway-Execution-Logs_r4n8wd2ps6/dev\r\n"
        let (sink, reader) = try readCSV(text)
        #expect(sink.records.map(\.message) == [
            "(11111111-2222-4333-8444-555555555558) Endpoint response body before transformations: {\n  \"message\": \"Rate Exceeded.\"\n}",
            "(11111111-2222-4333-8444-555555555558) Method completed with status: 500",
        ])
        #expect(sink.records.map(\.line) == [2, 5])
        #expect(sink.records.map(\.timestamp) == [1_795_176_001_121, 1_795_176_001_120])
        #expect(sink.records.allSatisfy { $0.group == "API-Gateway-Execution-Logs_r4n8wd2ps6/dev" })
        #expect(reader.continuationLines == 2)
        #expect(sink.problems.isEmpty)
    }

    @Test func columnsMayComeInAnyOrderAndAsASubset() throws {
        let (sink, _) = try readCSV("""
            "@message","@timestamp"
            (9cef3834-f42c-46d7-83fe-a6401a431398) Method completed with status: 403,2025-05-08 04:11:31.234
            """)
        #expect(sink.records == [.init(timestamp: 1_746_677_491_234,
                                       message: "(9cef3834-f42c-46d7-83fe-a6401a431398) Method completed with status: 403",
                                       line: 2, group: nil, stream: nil)])
    }

    @Test func anUnbalancedQuoteIsReportedAtItsRowAndTheRowDropped() throws {
        let (sink, _) = try readCSV("""
            @timestamp,@message
            2025-05-08 04:11:31.234,(9cef3834-f42c-46d7-83fe-a6401a431398) Method completed with status: 200
            2025-05-08 04:11:31.300,"(9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-
            and the file ends
            """)
        #expect(sink.records.count == 1)
        #expect(sink.problems.count == 1)
        #expect(sink.problems.first?.source == "logs-insights-results.csv:3")
        #expect(sink.problems.first?.message.contains("unbalanced double quote") == true)
    }

    @Test func aHeaderWithoutMessageColumnIsAProblem() throws {
        let (sink, _) = try readCSV("@timestamp,@logStream\n2025-05-08 04:11:31.234,abc\n")
        #expect(sink.records.isEmpty)
        #expect(sink.problems.first?.message.contains("no @message column") == true)
    }

    @Test func longFieldsAreCutAndReported() throws {
        let long = String(repeating: "x", count: 300)
        let (sink, _) = try readCSV("@message\n\"(9cef3834-f42c-46d7-83fe-a6401a431398) \(long)\"\n", maxMessageLength: 100)
        #expect(sink.records.first?.message.utf8.count == 100)
        #expect(sink.problems.first?.message.contains("was cut") == true)
    }

    @Test func recognisesHeaderLines() {
        #expect(InsightsCSVReader.isHeader(Array("@timestamp,@message,@logStream,@log".utf8)))
        #expect(InsightsCSVReader.isHeader(Array("\u{FEFF}\"@message\",\"@timestamp\"\r".utf8)))
        #expect(InsightsCSVReader.isHeader(Array("@message".utf8)))
        #expect(!InsightsCSVReader.isHeader(Array("timestamp,message".utf8)))
        #expect(!InsightsCSVReader.isHeader(Array("2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) @message".utf8)))
    }
}

@Suite struct FormatInsightsMarkdownTests {
    // The shape of log-formats.md §7.4 (azul #5939 / #7940): header block with trailing spaces, fenced query, pipe table.
    static let copy = """
        **CloudWatch Logs Insights**    
        region: us-east-1    
        log-group-names: API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc, /aws/apigateway/azul-service-abrahamsc    
        start-time: 2024-02-24T00:25:30.710Z    
        end-time: 2024-02-24T00:29:10.463Z    
        query-string:
          ```
          fields @timestamp, @message
          | parse @log ":*" as stream
          ```
        ---
        | @timestamp | @message | stream |
        | --- | --- | --- |
        | 2024-02-24 00:29:03.163 | (412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation. | API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc |
        | 2024-02-24 00:29:03.163 | (412e45a2-9321-4077-8b0b-f044a4364918) Endpoint request body after transformations: {&quot;type&quot;:&quot;TOKEN&quot;,&quot;methodArn&quot;:&quot;arn:aws:execute-api:us-east-1:1:65jyknf3ud&#x2f;abrahamsc&#x2f;GET&#x2f;repository&#x2f;files&quot;,&quot;note&quot;:&quot;it&#x27;s &lt;ok&gt; &amp; &#233;&#x1F600;&quot;} | API-Gateway-Execution-Logs_65jyknf3ud&#x2f;abrahamsc |
        | 2024-02-24 00:29:03.164 | (412e45a2-9321-4077-8b0b-f044a4364918) Method request headers: {A=1 \\| 2} | 123456789012:API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc |
        | 2024-02-24 00:29:03.165 | (412e45a2-9321-4077-8b0b-f044a4364918) Method request query string: {q=a | b} | e369853df766fa44e1ed0ff613f563bd |
        """

    @Test func readsRowsAndSkipsTheHeaderBlockAndTheFencedQuery() throws {
        let sink = try readMarkdown(Self.copy)
        #expect(sink.records.count == 4)
        #expect(sink.records.map(\.line) == [14, 15, 16, 17])
        #expect(sink.records[0] == .init(
            timestamp: 1_708_734_543_163,
            message: "(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.",
            line: 14, group: "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc", stream: nil))
        #expect(sink.skipped[.container] == 13)
        #expect(sink.problems.isEmpty)
    }

    @Test func unescapesHTMLEntitiesAndEscapedPipes() throws {
        let sink = try readMarkdown(Self.copy)
        #expect(sink.records[1].message == """
            (412e45a2-9321-4077-8b0b-f044a4364918) Endpoint request body after transformations: {"type":"TOKEN","methodArn":"arn:aws:execute-api:us-east-1:1:65jyknf3ud/abrahamsc/GET/repository/files","note":"it's <ok> & é😀"}
            """)
        #expect(sink.records[1].group == "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc")
        #expect(sink.records[2].message == "(412e45a2-9321-4077-8b0b-f044a4364918) Method request headers: {A=1 | 2}")
        #expect(sink.records[2].group == "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc", "account prefix of @log removed")
    }

    @Test func anUnescapedPipeInAMessageStaysInTheMessage() throws {
        let sink = try readMarkdown(Self.copy)
        #expect(sink.records[3].message == "(412e45a2-9321-4077-8b0b-f044a4364918) Method request query string: {q=a | b}")
        #expect(sink.records[3].stream == "e369853df766fa44e1ed0ff613f563bd")
    }

    @Test func aTableWithoutHeaderBlockUsesTheSingleGroupOfNoOneAndMessageColumnByName() throws {
        let sink = try readMarkdown("""
            | message | @timestamp |
            |---|---|
            | (9cef3834-f42c-46d7-83fe-a6401a431398) Method completed with status: 200 | 2025-05-08 04:11:31.234 |
            """)
        #expect(sink.records == [.init(timestamp: 1_746_677_491_234,
                                       message: "(9cef3834-f42c-46d7-83fe-a6401a431398) Method completed with status: 200",
                                       line: 3, group: nil, stream: nil)])
    }

    @Test func recognisesTheStartOfACopy() {
        func starts(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { InsightsMarkdownReader.isStart($0) } }
        #expect(starts("**CloudWatch Logs Insights**    "))
        #expect(starts("| @timestamp | @message |"))
        #expect(!starts("| a | b |"))
        #expect(!starts("(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation."))
    }
}

@Suite struct FormatQueryResultsTests {
    // GetQueryResults shape from log-formats.md §7.4 (rows of field/value pairs, @ptr always present).
    static let output = """
        {
            "results": [
                [
                    {"field": "@timestamp", "value": "2024-02-24 00:29:03.163"},
                    {"field": "@message", "value": "(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation."},
                    {"field": "@logStream", "value": "e369853df766fa44e1ed0ff613f563bd"},
                    {"field": "@log", "value": "123456789012:API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc"},
                    {"field": "@ptr", "value": "CmAKJwojMTIzNDU2Nzg5MDEyOkFQSS1HYXRld2F5"}
                ],
                [
                    {"value": "(412e45a2-9321-4077-8b0b-f044a4364918) Endpoint request body after transformations: {\\"type\\":\\"TOKEN\\"}", "field": "@message"},
                    {"field": "@timestamp", "value": "2024-02-24 00:29:03.164"}
                ],
                [
                    {"field": "@ptr", "value": "Cm"}
                ]
            ],
            "statistics": {"recordsMatched": 2.0, "recordsScanned": 120.0, "bytesScanned": 40960.0},
            "status": "Complete"
        }
        """

    @Test func readsRowsOfFieldValuePairs() throws {
        let sink = CollectingSink()
        try QueryResultsReader(sourceName: "results.json", bufferSize: 64).read(MemorySource(Array(Self.output.utf8)), into: sink)
        #expect(sink.records.count == 2)
        #expect(sink.records[0] == .init(
            timestamp: 1_708_734_543_163,
            message: "(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.",
            line: 3, group: "API-Gateway-Execution-Logs_65jyknf3ud/abrahamsc", stream: "e369853df766fa44e1ed0ff613f563bd"))
        #expect(sink.records[1].message
            == #"(412e45a2-9321-4077-8b0b-f044a4364918) Endpoint request body after transformations: {"type":"TOKEN"}"#)
        #expect(sink.records[1].timestamp == 1_708_734_543_164)
        #expect(sink.records[1].group == nil)
        #expect(sink.problems.map(\.source) == ["results.json:14"], "the row without @message")
    }

    @Test func aQueryThatDidNotCompleteIsReported() throws {
        let sink = CollectingSink()
        let text = #"{"results":[[{"field":"@message","value":"(412e45a2-9321-4077-8b0b-f044a4364918) Method completed with status: 200"}]],"status":"Running"}"#
        try QueryResultsReader(sourceName: "r.json").read(MemorySource(Array(text.utf8)), into: sink)
        #expect(sink.records.count == 1)
        #expect(sink.problems.first?.message.contains("Running") == true)
    }

    @Test func isSniffedFromItsResultsKey() {
        #expect(ContainerSniffer.sniff(Array(Self.output.utf8)) == .queryResults)
    }
}
