import Testing
@testable import GateLogKit

/// Collects records with their origin object (to see the console test-invoke mark).
private final class OriginSink: RecordSink {
    var records: [(message: String, timestamp: Int64?, line: Int, origin: RecordOrigin?)] = []
    var problems: [InputProblem] = []
    var skipped = 0
    func receive(_ record: Record) throws {
        records.append((String(decoding: record.message, as: UTF8.self), record.timestamp, record.line, record.origin))
    }
    func skip(_ what: SkippedInput, count: Int) { skipped += count }
    func problem(_ problem: InputProblem) { problems.append(problem) }
}

private func readText(_ text: String, origin: RecordOrigin? = nil) throws -> (OriginSink, TextRecordReader) {
    let sink = OriginSink()
    let reader = TextRecordReader(sink: sink, origin: origin, displayName: "tail.txt")
    var lines = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: 64)
    try reader.read(&lines)
    return (sink, reader)
}

@Suite struct FormatTailTests {
    static let esc = "\u{1B}"

    // log-formats.md §7.3: detailed = isoformat(timespec='microseconds') + stream + message; with colour the timestamp is
    // green and the stream cyan.
    @Test func detailedWithColourCodesGivesTimeStreamAndMessage() throws {
        let e = Self.esc
        let text = """
            \(e)[32m2019-02-27T11:31:00.425000+00:00\(e)[0m \(e)[36me369853df766fa44e1ed0ff613f563bd\(e)[0m (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            \(e)[32m2019-02-27T11:31:00+00:00\(e)[0m \(e)[36m2026/07/02/[$LATEST]b68a8b5f76284f5382094737865622b0\(e)[0m (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations:
            """
        let (sink, _) = try readText(text)
        #expect(sink.records.count == 2)
        #expect(sink.records[0].message == "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=")
        #expect(sink.records[0].timestamp == 1_551_267_060_425)
        #expect(sink.records[0].origin?.logStream == "e369853df766fa44e1ed0ff613f563bd")
        #expect(sink.records[1].timestamp == 1_551_267_060_000, "isoformat() omits a zero fraction")
        #expect(sink.records[1].origin?.logStream == "2026/07/02/[$LATEST]b68a8b5f76284f5382094737865622b0")
        #expect(sink.records[1].message == "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method request body before transformations:")
        #expect(sink.records.allSatisfy { $0.origin?.isConsoleTestInvoke == false })
    }

    @Test func shortHasNoFractionNoZoneAndNoStream() throws {
        let (sink, _) = try readText("""
            2019-02-27T11:31:00 (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            2019-02-27T11:31:01 (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 429
            """, origin: RecordOrigin(logGroup: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", logStream: nil))
        #expect(sink.records.map(\.message) == [
            "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
            "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 429",
        ])
        #expect(sink.records.map(\.timestamp) == [1_551_267_060_000, 1_551_267_061_000])
        #expect(sink.records.allSatisfy { $0.origin?.logGroup == "API-Gateway-Execution-Logs_uwe3g5jm54/Prod" })
    }

    // `--format json`: a JSON message is printed as "\n" + json.dumps(obj, indent=4) after "<ts> <stream> ".
    @Test func jsonFormatJoinsThePrettyPrintedAccessRecordIntoOneLine() throws {
        let text = """
            2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe \("")
            {
                "apiId": "o5p491t2v9",
                "errorMessage": "Forbidden",
                "path": "/prod/Python Resource",
                "requestId": "0afb41b6-60d7-4a56-bf47-acf1fbcabec4",
                "status": "403",
                "wafResponseCode": "WAF_BLOCK"
            }
            2026-07-02T11:54:44+00:00 938e048323d4ebc7c85671187092a0c1
            {
                "requestId": "60838619-695e-45bc-8d3d-331626f88932",
                "status": "401"
            }
            2026-07-02T11:54:45.100000+00:00 e369853df766fa44e1ed0ff613f563bd (11111111-2222-4333-8444-555555555557) Method completed with status: 504
            """
        let (sink, reader) = try readText(text)
        #expect(sink.records.map(\.message) == [
            #"{"apiId":"o5p491t2v9","errorMessage":"Forbidden","path":"/prod/Python Resource","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"403","wafResponseCode":"WAF_BLOCK"}"#,
            #"{"requestId":"60838619-695e-45bc-8d3d-331626f88932","status":"401"}"#,
            "(11111111-2222-4333-8444-555555555557) Method completed with status: 504",
        ])
        #expect(sink.records.map(\.line) == [1, 10, 15])
        #expect(sink.records[0].timestamp == 1_782_993_288_684)
        #expect(sink.records[1].timestamp == 1_782_993_284_000)
        #expect(sink.records[0].origin?.logStream == "7acf7f23e51928a2150f1b05c27ebbfe")
        #expect(reader.continuationLines == 12)
        #expect(AccessLogRecord.parse(sink.records[0].message)?.requestId == "0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
    }

    // log-formats.md §1.3: the console Test output, both eras.
    @Test func consoleTestInvokeLinesAreMarkedAsTestTraffic() throws {
        let (sink, _) = try readText("""
            Execution log for request test-request
            Thu Aug 31 01:07:25 UTC 2017 : Starting execution for request: test-invoke-request
            Thu Aug 31 01:07:25 UTC 2017 : HTTP Method: POST, Resource Path: /Seattle
            Thu Aug 31 01:07:25 UTC 2017 : Method completed with status: 200
            """)
        #expect(sink.records.count == 3)
        #expect(sink.records[0].message == "Starting execution for request: test-invoke-request")
        #expect(sink.records[0].timestamp == 1_504_141_645_000)
        #expect(sink.records.allSatisfy { $0.origin?.isConsoleTestInvoke == true })
        #expect(sink.skipped == 1, "the 'Execution log for request' header")
    }

    @Test func testInvokeRequestsWithUUIDsAreTestTrafficInTheVerdict() throws {
        let text = """
            Execution log for request 3f1c2a9e-0b7d-4c55-9e21-6a8d0f4b7c13
            Thu Nov 19 16:42:07 UTC 2026 : Starting execution for request: 3f1c2a9e-0b7d-4c55-9e21-6a8d0f4b7c13
            Thu Nov 19 16:42:07 UTC 2026 : HTTP Method: GET, Resource Path: /pets/3
            Thu Nov 19 16:42:07 UTC 2026 : Method completed with status: 200
            """
        var verdicts: [Verdict] = []
        let files = FileTable()
        let diagnoser = Diagnoser(files: files, options: DiagnosisOptions())
        let grouper = RequestGrouper(files: files) { verdicts.append(diagnoser.diagnose($0)) }
        grouper.currentFile = files.add("test.txt")
        let reader = TextRecordReader(sink: grouper, origin: nil, displayName: "test.txt")
        var lines = LineReader(source: MemorySource(Array(text.utf8)))
        try reader.read(&lines)
        try grouper.finishAll()
        #expect(verdicts.count == 1)
        #expect(verdicts.first?.isTestInvoke == true)
        #expect(verdicts.first?.startTime == 1_795_106_527_000)
    }
}
