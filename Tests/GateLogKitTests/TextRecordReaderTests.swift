import Testing
@testable import GateLogKit

/// Keeps a copy of everything a container reader hands to its sink.
private final class RecordCollector: RecordSink {
    struct Got: Equatable, CustomStringConvertible {
        var timestamp: Int64?
        var message: String
        var line: Int
        var group: String?
        var stream: String?
        var description: String { "\(line) \(timestamp.map(String.init) ?? "-") [\(stream ?? "-")] \(message)" }
    }

    var records: [Got] = []
    var continuations: [String] = []
    var skipped: [SkippedInput: Int] = [:]
    var problems: [InputProblem] = []

    func receive(_ record: Record) throws {
        records.append(Got(timestamp: record.timestamp, message: String(decoding: record.message, as: UTF8.self),
                           line: record.line, group: record.origin?.logGroup, stream: record.origin?.logStream))
    }

    func receiveContinuation(_ text: UnsafeRawBufferPointer, line: Int) throws {
        continuations.append(String(decoding: text, as: UTF8.self))
    }

    func skip(_ what: SkippedInput, count: Int) { skipped[what, default: 0] += count }
    func problem(_ problem: InputProblem) { problems.append(problem) }

    var messages: [String] { records.map(\.message) }
}

/// Reads `text` through the real line splitter and `TextRecordReader`.
private func readText(_ text: String, origin: RecordOrigin? = nil, bufferSize: Int = 1 << 16)
    throws -> (sink: RecordCollector, continuationLines: Int) {
    let sink = RecordCollector()
    let reader = TextRecordReader(sink: sink, origin: origin, displayName: "paste.txt")
    var lines = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxLineLength: 4096)
    try reader.read(&lines)
    return (sink, reader.continuationLines)
}

/// Epoch milliseconds, computed independently of the code under test (python `datetime.fromisoformat`).
private enum Epoch {
    static let s3Export = Int64(1_551_194_973_734)        // 2019-02-26T15:29:33.734Z
    static let consoleCopyUTC = Int64(1_698_414_057_744)  // 2023-10-27T14:40:57.744+01:00 = 13:40:57.744Z
    static let loneFirst = Int64(1_768_043_085_964)       // 2026-01-10T11:04:45.964Z
    static let loneLater = Int64(1_768_043_085_966)       // 2026-01-10T11:04:45.966Z
    static let tailDetailed = Int64(1_551_267_060_425)    // 2019-02-27T11:31:00.425000+00:00
    static let tailShort = Int64(1_551_267_060_000)       // 2019-02-27T11:31:00
    static let testInvoke = Int64(1_504_141_645_000)      // Thu Aug 31 01:07:25 UTC 2017
    static let accessTail = Int64(1_782_993_288_684)      // 2026-07-02T11:54:48.684000+00:00
}

@Suite struct TextRecordReaderTests {
    // MARK: line forms

    @Test func s3ExportLinesCarryTheirTimestampAndTheFileOrigin() throws {
        let origin = RecordOrigin(logGroup: "API-Gateway-Execution-Logs_h733q2j6gb/Prod", logStream: "37a749d808e46495a8da1e5352d03cae")
        let (sink, continuations) = try readText("""
            2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9
            2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) HTTP Method: POST, Resource Path: /verifyReceipt

            """, origin: origin)
        #expect(sink.records == [
            .init(timestamp: Epoch.s3Export,
                  message: "(515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9",
                  line: 1, group: "API-Gateway-Execution-Logs_h733q2j6gb/Prod", stream: "37a749d808e46495a8da1e5352d03cae"),
            .init(timestamp: Epoch.s3Export,
                  message: "(515f1e99-39db-11e9-9e96-01e5c04505b9) HTTP Method: POST, Resource Path: /verifyReceipt",
                  line: 2, group: "API-Gateway-Execution-Logs_h733q2j6gb/Prod", stream: "37a749d808e46495a8da1e5352d03cae"),
        ])
        #expect(continuations == 0)
        #expect(sink.problems.isEmpty)
    }

    @Test func bareRequestLinesHaveNoTimestamp() throws {
        let (sink, _) = try readText("""
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            """)
        #expect(sink.records.map(\.timestamp) == [nil, nil])
        #expect(sink.messages == [
            "(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error",
            "(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504",
        ])
        #expect(sink.records.map(\.line) == [1, 2])
    }

    @Test func consoleCopyWithLocalOffsetIsConvertedToUTC() throws {
        let (sink, _) = try readText("""
            2023-10-27T14:40:57.744+01:00 | (a4188e34-6d1c-4bbf-9d6c-6e2f1b7e7a30) Extended Request Id: NbX1OGKqLPEFm3Q=
            2024-02-24 00:29:03.163 | (412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.
            """)
        #expect(sink.records.count == 2)
        #expect(sink.records[0].timestamp == Epoch.consoleCopyUTC)
        #expect(sink.records[0].message == "(a4188e34-6d1c-4bbf-9d6c-6e2f1b7e7a30) Extended Request Id: NbX1OGKqLPEFm3Q=")
        // The Logs Insights Markdown-ish "date time | message" form of §9.7 (no zone: UTC).
        #expect(sink.records[1].timestamp == 1_708_734_543_163)
        #expect(sink.records[1].message == "(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation.")
    }

    @Test func timestampAloneOnItsLineDatesTheNextMessage() throws {
        // log-formats.md §9.4 (a), exactly as pasted: timestamp line, then message line.
        let (sink, _) = try readText("""
            2026-01-10T11:04:45.964Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Extended Request Id: W9zMPGrHtjMEeFw=
            2026-01-10T11:04:45.966Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398
            2026-01-10T11:04:45.966Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398
            2026-01-10T11:04:45.966Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14
            """)
        #expect(sink.records.map(\.timestamp) == [Epoch.loneFirst, Epoch.loneLater, Epoch.loneLater, Epoch.loneLater])
        #expect(sink.records.map(\.line) == [2, 4, 6, 8])
        #expect(sink.messages.first == "(9cef3834-f42c-46d7-83fe-a6401a431398) Extended Request Id: W9zMPGrHtjMEeFw=")
        #expect(sink.messages.last == "(9cef3834-f42c-46d7-83fe-a6401a431398) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14")
        // The four timestamp lines are accounted for.
        #expect(sink.skipped[.container] == 4)
    }

    @Test func loneTimestampAppliesOnlyToTheVeryNextMessage() throws {
        let (sink, _) = try readText("""
            2026-01-10T11:04:45.964Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Extended Request Id: W9zMPGrHtjMEeFw=
            (9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398
            """)
        #expect(sink.records.map(\.timestamp) == [Epoch.loneFirst, nil])
    }

    @Test func tailDetailedNamesTheStream() throws {
        let origin = RecordOrigin(logGroup: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", logStream: nil)
        let (sink, _) = try readText("""
            2019-02-27T11:31:00.425000+00:00 e369853df766fa44e1ed0ff613f563bd (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            2026-07-02T11:54:48.684000+00:00 2026/07/02/[$LATEST]b68a8b5f76284f5382094737865622b0 (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502
            """, origin: origin)
        #expect(sink.records == [
            .init(timestamp: Epoch.tailDetailed,
                  message: "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
                  line: 1, group: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", stream: "e369853df766fa44e1ed0ff613f563bd"),
            .init(timestamp: Epoch.accessTail,
                  message: "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502",
                  line: 2, group: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", stream: "2026/07/02/[$LATEST]b68a8b5f76284f5382094737865622b0"),
        ])
    }

    @Test func tailDetailedAccessLogLineIsOneRecord() throws {
        // log-formats.md §5.3, the WAF block as `aws logs tail` printed it.
        let line = #"2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe {"apiId":"o5p491t2v9","dynamoDBErrorMessage":"-","dynamoDBItemId":"-","dynamoDBOperation":"-","dynamoDBTableName":"-","errorMessage":"Forbidden","extendedRequestId":"f4GtaFqHvHcEMuw=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","protocol":"HTTP/1.1","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","requestTime":"02/Jul/2026:11:54:48 +0000","requestTimeEpoch":"1782993288684","resourcePath":"/PythonResource","responseLength":"23","sourceIp":"76.33.40.125","stage":"prod","status":"403","userAgent":"curl/8.13.0","wafLatency":"4","wafResponseCode":"WAF_BLOCK","wafStatus":"403","webAclArn":"arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#
        let (sink, _) = try readText(line + "\n")
        #expect(sink.records.count == 1)
        #expect(sink.records[0].timestamp == Epoch.accessTail)
        #expect(sink.records[0].stream == "7acf7f23e51928a2150f1b05c27ebbfe")
        #expect(sink.records[0].message.hasPrefix(#"{"apiId":"o5p491t2v9","#))
        #expect(sink.records[0].message.hasSuffix(#"e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#))
    }

    @Test func tailShortHasNoZoneAndMeansUTC() throws {
        let (sink, _) = try readText("""
            2019-02-27T11:31:00 (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            2019-02-27T11:31:00 (286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key: API Stage: uwe3g5jm54/Prod
            """)
        #expect(sink.records.map(\.timestamp) == [Epoch.tailShort, Epoch.tailShort])
        #expect(sink.records.map(\.stream) == [nil, nil])
        #expect(sink.messages == [
            "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
            "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key: API Stage: uwe3g5jm54/Prod",
        ])
    }

    @Test func tailJSONPrettyPrintsTheMessageOnTheFollowingLines() throws {
        // `aws logs tail --format json`: "<isoformat> <stream> " then "\n" + json.dumps(obj, indent=4); the fraction is
        // omitted when it is zero. The first line keeps its trailing space (only the whole event is rstripped).
        let text = """
            2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe\u{20}
            {
                "apiId": "o5p491t2v9",
                "errorMessage": "Forbidden",
                "requestId": "0afb41b6-60d7-4a56-bf47-acf1fbcabec4",
                "status": "403",
                "wafResponseCode": "WAF_BLOCK"
            }
            2019-02-27T11:31:00+00:00 e369853df766fa44e1ed0ff613f563bd (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502

            """
        let (sink, continuations) = try readText(text)
        #expect(sink.records.count == 2)
        #expect(sink.records[0].timestamp == Epoch.accessTail)
        #expect(sink.records[0].stream == "7acf7f23e51928a2150f1b05c27ebbfe")
        // The pretty-printed object is put back on one line, as CloudWatch stored it.
        #expect(sink.records[0].message == #"{"apiId":"o5p491t2v9","errorMessage":"Forbidden","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"403","wafResponseCode":"WAF_BLOCK"}"#)
        #expect(continuations == 7)
        #expect(sink.records[1].timestamp == Epoch.tailShort)
        #expect(sink.records[1].message == "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502")
    }

    @Test func ansiColourCodesAreStripped() throws {
        // `aws logs tail` on a terminal: timestamp in green, stream name in cyan.
        let text = "\u{1B}[32m2019-02-27T11:31:00.425000+00:00\u{1B}[0m \u{1B}[36me369853df766fa44e1ed0ff613f563bd\u{1B}[0m (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=\n"
        let (sink, _) = try readText(text)
        #expect(sink.records == [
            .init(timestamp: Epoch.tailDetailed, message: "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
                  line: 1, group: nil, stream: "e369853df766fa44e1ed0ff613f563bd"),
        ])
    }

    @Test func consoleTestInvokeLinesAndHeader() throws {
        // log-formats.md §1.3, 2017-era console test output.
        let (sink, _) = try readText("""
            Execution log for request test-request
            Thu Aug 31 01:07:25 UTC 2017 : Starting execution for request: test-invoke-request
            Thu Aug 31 01:07:25 UTC 2017 : HTTP Method: POST, Resource Path: /Seattle
            Thu Aug 31 01:07:25 UTC 2017 : Method completed with status: 200
            """)
        #expect(sink.messages == [
            "Starting execution for request: test-invoke-request",
            "HTTP Method: POST, Resource Path: /Seattle",
            "Method completed with status: 200",
        ])
        #expect(sink.records.map(\.timestamp) == [Epoch.testInvoke, Epoch.testInvoke, Epoch.testInvoke])
        #expect(sink.records.map(\.line) == [2, 3, 4])
        #expect(sink.skipped[.container] == 1)
    }

    @Test func mappingTemplateContinuationLinesAreJoinedWithNewlines() throws {
        // A multi-line mapping-template body: the lines after the first carry no prefix and no timestamp.
        let (sink, continuations) = try readText("""
            2016-10-01T11:32:40.136Z (9537d573-87c5-11e6-b3e4-6f23bc206746) Endpoint request body after transformations: {
              "method": "POST",
              "body" : {"name":"test"},
              "headers": {
                "Content-Type": "application/json"
              }
            }
            2016-10-01T11:32:40.137Z (9537d573-87c5-11e6-b3e4-6f23bc206746) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:hello/invocations
            """)
        #expect(sink.records.count == 2)
        #expect(sink.records[0].message == """
            (9537d573-87c5-11e6-b3e4-6f23bc206746) Endpoint request body after transformations: {
              "method": "POST",
              "body" : {"name":"test"},
              "headers": {
                "Content-Type": "application/json"
              }
            }
            """)
        #expect(sink.records[0].line == 1)
        #expect(sink.records[1].line == 8)
        #expect(continuations == 6)
        #expect(sink.continuations.isEmpty)  // delivered joined, not one by one
    }

    @Test func legacyPrefixLessLinesAreRecordsOfTheirOwn() throws {
        // rotemtam 2016 fixture shape (log-formats.md §1.2): no `(id)` prefix at all.
        let (sink, continuations) = try readText("""
            Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev
            API Key **********************************bMZHBg authorized because method 'POST /test' does not require API Key. Request will not contribute to throttle or quota limits
            Usage Plan check succeeded for API Key **********************************bMZHBg and API Stage ulhoxnm2x2/dev
            Starting execution for request: 9537d573-87c5-11e6-b3e4-6f23bc206746
            HTTP Method: POST, Resource Path: /test
            API Key: **********************************bMZHBg
            Method request body before transformations: null
            Method completed with status: 200
            """)
        #expect(sink.records.count == 8)
        #expect(continuations == 0)
        #expect(sink.messages[3] == "Starting execution for request: 9537d573-87c5-11e6-b3e4-6f23bc206746")
        #expect(sink.messages[7] == "Method completed with status: 200")
    }

    @Test func oneLineJSONAccessRecordsAreEachARecord() throws {
        let (sink, continuations) = try readText("""
            {"requestId":"60838619-695e-45bc-8d3d-331626f88932","status":"401","errorMessage":"Unauthorized","resourcePath":"/PythonResource"}
            {"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"403","errorMessage":"Forbidden","wafResponseCode":"WAF_BLOCK"}
            """)
        #expect(sink.records.count == 2)
        #expect(continuations == 0)
        #expect(sink.messages[1].contains("WAF_BLOCK"))
    }

    @Test func blankLinesAreCountedAsSkipped() throws {
        let text = "\n(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error\n  \t\n"
            + "(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504\n\n\n"
        let (sink, continuations) = try readText(text)
        #expect(sink.records.count == 2)
        #expect(sink.skipped[.blank] == 4)
        #expect(continuations == 0)
        // A blank line ends a multi-line record: the message has no trailing newline.
        #expect(sink.messages[0] == "(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error")
    }

    @Test func indentedPasteIsReadLikeAnUnindentedOne() throws {
        // Markdown and blog pastes indent every line.
        let (sink, _) = try readText("""
                2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9
                (8a699106-8d59-11e8-905d-b3747276ed60) Execution failed due to a timeout error
            \t2023-10-27T14:40:57.744+01:00 | (a4188e34-6d1c-4bbf-9d6c-6e2f1b7e7a30) Extended Request Id: NbX1OGKqLPEFm3Q=
            """)
        #expect(sink.records.map(\.timestamp) == [Epoch.s3Export, nil, Epoch.consoleCopyUTC])
        #expect(sink.messages == [
            "(515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9",
            "(8a699106-8d59-11e8-905d-b3747276ed60) Execution failed due to a timeout error",
            "(a4188e34-6d1c-4bbf-9d6c-6e2f1b7e7a30) Extended Request Id: NbX1OGKqLPEFm3Q=",
        ])
    }

    @Test func webSocketExtendedIdPrefixIsABareRecord() throws {
        let (sink, _) = try readText("""
            (PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Invalid permissions on Lambda function
            (PDS1PEC4oAMFpyA=) Execution failed due to configuration error: Authorizer error
            (PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500
            """)
        #expect(sink.records.count == 3)
        #expect(sink.messages[2] == "(PDS1PEC4oAMFpyA=) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500")
    }

    @Test func crlfLineEndingsAndAFinalLineWithoutNewline() throws {
        let text = "2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200\r\n"
            + "2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) X-ray Tracing ID : 1-5c755b5d-07b29b94e632d3da19d88789"
        let (sink, _) = try readText(text)
        #expect(sink.messages == [
            "(515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200",
            "(515f1e99-39db-11e9-9e96-01e5c04505b9) X-ray Tracing ID : 1-5c755b5d-07b29b94e632d3da19d88789",
        ])
    }

    @Test func overlongLineIsCutAndReportedWithItsLine() throws {
        let long = "(515f1e99-39db-11e9-9e96-01e5c04505b9) Method request headers: {" + String(repeating: "A", count: 5000) + "}"
        let (sink, _) = try readText("(515f1e99-39db-11e9-9e96-01e5c04505b9) Extended Request Id: Vts2pH6ArPEFcuQ=\n" + long + "\n")
        #expect(sink.records.count == 2)
        #expect(sink.records[1].message.utf8.count == 4096)
        #expect(sink.problems.count == 1)
        #expect(sink.problems.first?.source == "paste.txt:2")
    }
}
