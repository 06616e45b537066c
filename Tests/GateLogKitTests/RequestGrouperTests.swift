import Testing
@testable import GateLogKit

/// Feeds text inputs through the real record reader into a `RequestGrouper` (with the real `MessageRecognizer` and the
/// real access-log parser), the way `LogScanner` does, and keeps what the grouper finishes.
final class GroupingHarness {
    let files = FileTable()
    private(set) var finished: [RequestLifecycle] = []
    /// `totals.records` at the moment each request was finished.
    private(set) var finishedAfterRecords: [Int] = []
    private(set) var grouper: RequestGrouper!
    var onFinished: ((RequestLifecycle) -> Void)?

    init(policy: GroupingPolicy = GroupingPolicy(), holdAccessRecords: Bool = false) {
        grouper = RequestGrouper(
            files: files, policy: policy,
            onAccessRecord: { text, _, _ in AccessLogRecord.parse(text) },
            onFinished: { [unowned self] lifecycle in
                self.finished.append(lifecycle)
                self.finishedAfterRecords.append(self.grouper.totals.records)
                self.onFinished?(lifecycle)
            })
        grouper.holdAccessRecords = holdAccessRecords
    }

    /// Reads one input named `name`.
    func feed(_ name: String, _ text: String, origin: RecordOrigin? = nil) throws {
        grouper.currentFile = files.add(name)
        let reader = TextRecordReader(sink: grouper, origin: origin, displayName: name)
        var lines = LineReader(source: MemorySource(Array(text.utf8)))
        try reader.read(&lines)
        grouper.addContinuationLines(reader.continuationLines)
        grouper.addFile(bytes: Int64(text.utf8.count))
    }

    /// Ends the input: finishes every request still open.
    @discardableResult
    func finish() throws -> [RequestLifecycle] {
        try grouper.finishAll()
        return finished
    }

    var totals: InputTotals { grouper.totals }

    func request(_ id: String) -> RequestLifecycle? { finished.first { $0.requestId == id } }
}

/// A UUID-shaped request id numbered `n`.
func fakeRequestId(_ n: Int, tail: String = "000000000000") -> String {
    let hex = String(n, radix: 16)
    return String(repeating: "0", count: max(0, 8 - hex.count)) + hex + "-0000-4000-8000-" + tail
}

extension RequestLifecycle {
    var lineTexts: [String] { lines.map { text(of: $0) } }
    var lineKinds: [MessageKind] { lines.map(\.kind) }
}

@Suite struct RequestGrouperTests {
    /// Every record is counted once: recognized, unrecognized, orphan or access record.
    private func expectReconciled(_ totals: InputTotals, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(totals.records == totals.recognizedLines + totals.unrecognizedLines + totals.orphanLines + totals.accessRecords,
                "\(totals)", sourceLocation: sourceLocation)
    }

    @Test func interleavedRequestsAreSeparated() throws {
        // Three 2025 failures (log-formats.md §9.13a, §9.14b, §9.15), their lines alternating.
        let harness = GroupingHarness()
        try harness.feed("paste.txt", """
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (5293df93-f895-46ee-8c21-1471f0d0cef0) Lambda execution failed with status 200 due to customer function error: Application error in a Lambda function. Lambda request id: 758a8c2f-35eb-4713-b55e-56879fbc968b
            (73737819-c94c-48d7-86d7-b1700e4be29b) Execution failed due to configuration error: Invalid permissions on Lambda function
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            (5293df93-f895-46ee-8c21-1471f0d0cef0) Method completed with status: 502
            (73737819-c94c-48d7-86d7-b1700e4be29b) Method completed with status: 500
            """)
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == [
            "fbcaf9e5-d535-40a1-891c-7b70118cf7e8", "5293df93-f895-46ee-8c21-1471f0d0cef0", "73737819-c94c-48d7-86d7-b1700e4be29b",
        ])
        #expect(requests[0].lineKinds == [.timeoutError, .methodCompleted])
        #expect(requests[1].lineKinds == [.lambdaFunctionError, .methodCompleted])
        #expect(requests[2].lineKinds == [.configurationError, .methodCompleted])
        #expect(requests[2].lineTexts == [
            "Execution failed due to configuration error: Invalid permissions on Lambda function",
            "Method completed with status: 500",
        ])
        #expect(requests.map { $0.lines.map(\.line) } == [[1, 4], [2, 5], [3, 6]])
        #expect(harness.totals.records == 6)
        #expect(harness.totals.recognizedLines == 6)
        expectReconciled(harness.totals)
    }

    @Test func outOfOrderTimestampsAreSortedThenInputOrderBreaksTies() throws {
        let harness = GroupingHarness()
        try harness.feed("000000.gz", """
            2019-02-27T11:31:11.470Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502
            2019-02-27T11:31:00.425Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            2019-02-27T11:31:11.470Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) AWS Integration Endpoint RequestId : 71952965-d5cc-4974-ae08-6e2138b2275c
            2019-02-27T11:31:11.469Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c
            2019-02-27T11:31:00.426Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204
            2019-02-27T11:31:11.470Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) X-ray Tracing ID : 1-5c7674f4-a3491d0a9c8012c191821b83
            """)
        let requests = try harness.finish()
        #expect(requests.count == 1)
        #expect(requests[0].lineKinds == [
            .extendedRequestId, .executionStart, .lambdaFunctionError, .methodCompleted, .integrationEndpointRequestId, .xrayTracingId,
        ])
        #expect(requests[0].lines.map(\.line) == [2, 5, 4, 1, 3, 6])
        #expect(requests[0].startTime == 1_551_267_060_425)
        #expect(requests[0].endTime == 1_551_267_071_470)
    }

    @Test func requestStraddlingTwoFilesOfOneStreamIsOneLifecycle() throws {
        let folder = "exports/c0b2d1a1-6f3e-4b8e-9a0f-4d2b7c1e8f00/e369853df766fa44e1ed0ff613f563bd"
        let origin = RecordOrigin(logGroup: "API-Gateway-Execution-Logs_uwe3g5jm54/Prod", logStream: "e369853df766fa44e1ed0ff613f563bd")
        let harness = GroupingHarness()
        try harness.feed("\(folder)/000000.gz", """
            2019-02-27T11:31:00.425Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            2019-02-27T11:31:00.425Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Verifying Usage Plan for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204. API Key: API Stage: uwe3g5jm54/Prod
            2019-02-27T11:31:00.426Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204
            2019-02-27T11:31:00.426Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) HTTP Method: GET, Resource Path: /echo
            """, origin: origin)
        try harness.feed("\(folder)/000001.gz", """
            2019-02-27T11:31:11.469Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c
            2019-02-27T11:31:11.470Z (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502
            """, origin: origin)
        let requests = try harness.finish()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.lines.count == 6)
        let sources = request.lines.map { harness.files.source(of: $0).description }
        #expect(sources == [
            "\(folder)/000000.gz:1", "\(folder)/000000.gz:2", "\(folder)/000000.gz:3", "\(folder)/000000.gz:4",
            "\(folder)/000001.gz:1", "\(folder)/000001.gz:2",
        ])
        #expect(request.origin?.logGroup == "API-Gateway-Execution-Logs_uwe3g5jm54/Prod")
        #expect(harness.totals.files == 2)
        expectReconciled(harness.totals)
    }

    @Test func trailersAfterTheVerdictStayWithTheRequest() throws {
        var policy = GroupingPolicy()
        policy.settleRecords = 5
        policy.idleRecords = 50
        let harness = GroupingHarness(policy: policy)
        // §9.15 malformed proxy response with its two trailers; another request's lines come in between.
        try harness.feed("paste.txt", """
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) Execution failed due to configuration error: Malformed Lambda proxy response
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) Method completed with status: 502
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) AWS Integration Endpoint RequestId : 15aba189-6719-4153-b214-46824db50ffa
            (5cb7ee58-39e6-11e9-be7e-29aff96747f2) X-ray Tracing ID : 1-5c756de5-f69ee0aea16ccb26b0eb5c51
            """)
        let requests = try harness.finish()
        #expect(requests.count == 2)
        let malformed = try #require(harness.request("5cb7ee58-39e6-11e9-be7e-29aff96747f2"))
        #expect(malformed.lineKinds == [.configurationError, .methodCompleted, .integrationEndpointRequestId, .xrayTracingId])
        #expect(harness.totals.orphanLines == 0)
    }

    @Test func continuationLinesJoinTheLineBefore() throws {
        let harness = GroupingHarness()
        try harness.feed("export.txt", """
            2016-10-01T11:32:40.136Z (9537d573-87c5-11e6-b3e4-6f23bc206746) Endpoint request body after transformations: {
              "method": "POST",
              "body" : {"name":"test"}
            }
            2016-10-01T11:32:40.190Z (9537d573-87c5-11e6-b3e4-6f23bc206746) Method completed with status: 200
            """)
        let request = try #require(try harness.finish().first)
        #expect(request.lineKinds == [.endpointRequestBody, .methodCompleted])
        #expect(request.lineTexts[0] == "Endpoint request body after transformations: {\n  \"method\": \"POST\",\n  \"body\" : {\"name\":\"test\"}\n}")
        #expect(harness.totals.continuationLines == 3)
        #expect(harness.totals.records == 2)
        expectReconciled(harness.totals)
    }

    @Test func legacyPrefixLessLinesGroupByTheEmbeddedRequestId() throws {
        // 2016 lines without the `(id)` prefix (log-formats.md §1.2): the id is only inside the anchors.
        let harness = GroupingHarness()
        try harness.feed("legacy.txt", """
            Method completed with status: 200
            Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev
            API Key **********************************bMZHBg authorized because method 'POST /test' does not require API Key. Request will not contribute to throttle or quota limits
            Usage Plan check succeeded for API Key **********************************bMZHBg and API Stage ulhoxnm2x2/dev
            Starting execution for request: 9537d573-87c5-11e6-b3e4-6f23bc206746
            HTTP Method: POST, Resource Path: /test
            API Key: **********************************bMZHBg
            Method completed with status: 200
            Verifying Usage Plan for request: 95a6c2b4-87c5-11e6-8d7e-0d8d7e6b9f11. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev
            Starting execution for request: 95a6c2b4-87c5-11e6-8d7e-0d8d7e6b9f11
            Method completed with status: 400
            """)
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == ["9537d573-87c5-11e6-b3e4-6f23bc206746", "95a6c2b4-87c5-11e6-8d7e-0d8d7e6b9f11"])
        #expect(requests[0].lineKinds == [
            .usagePlanVerifying, .apiKeyNotRequired, .usagePlanSucceeded, .executionStart, .httpMethodResourcePath,
            .apiKeyStandalone, .methodCompleted,
        ])
        #expect(requests[1].lineKinds == [.usagePlanVerifying, .executionStart, .methodCompleted])
        #expect(requests[1].lineTexts.last == "Method completed with status: 400")
        // The first line names no request and no anchor came before it.
        #expect(harness.totals.orphanLines == 1)
        expectReconciled(harness.totals)
    }

    @Test func legacyAnchorDoesNotLeakIntoTheNextFile() throws {
        let harness = GroupingHarness()
        try harness.feed("a.txt", """
            Starting execution for request: 9537d573-87c5-11e6-b3e4-6f23bc206746
            HTTP Method: POST, Resource Path: /test
            """)
        try harness.feed("b.txt", """
            Method completed with status: 200
            """)
        let requests = try harness.finish()
        #expect(requests.count == 1)
        #expect(requests[0].lines.count == 2)
        #expect(harness.totals.orphanLines == 1)
    }

    @Test func testInvokeIdsAreScopedToTheirFile() throws {
        let paste = """
            Execution log for request test-request
            Thu Aug 31 01:07:25 UTC 2017 : Starting execution for request: test-invoke-request
            Thu Aug 31 01:07:25 UTC 2017 : HTTP Method: POST, Resource Path: /Seattle
            Thu Aug 31 01:07:25 UTC 2017 : Method completed with status: 200
            """
        let harness = GroupingHarness()
        try harness.feed("monday.txt", paste)
        try harness.feed("tuesday.txt", paste)
        let requests = try harness.finish()
        #expect(requests.count == 2)
        #expect(requests.map(\.requestId) == ["test-invoke-request", "test-invoke-request"])
        #expect(requests.map { $0.lines.count } == [3, 3])
        #expect(requests.map { harness.files[$0.lines[0].file] } == ["monday.txt", "tuesday.txt"])
        #expect(requests[0].key != requests[1].key)
        #expect(harness.totals.skippedLines == 2)  // the two headers
        expectReconciled(harness.totals)
    }

    @Test func unknownMessagesOfARequestAreKeptAndCounted() throws {
        let harness = GroupingHarness()
        try harness.feed("paste.txt", """
            (394365dc-1b10-411f-9668-70521cec1205) Lambda invocation failed with status: 429. Lambda request id: dcb2ab89-2d03-4b77-98cd-18d14fd2b850
            (394365dc-1b10-411f-9668-70521cec1205) Some message a newer gateway writes
            (394365dc-1b10-411f-9668-70521cec1205) Method completed with status: 500
            """)
        let request = try #require(try harness.finish().first)
        #expect(request.lineKinds == [.lambdaInvocationFailed, .unrecognized, .methodCompleted])
        #expect(harness.totals.unrecognizedLines == 1)
        #expect(harness.totals.recognizedLines == 2)
        expectReconciled(harness.totals)
    }

    // MARK: finishing rule

    private var smallPolicy: GroupingPolicy {
        var policy = GroupingPolicy()
        policy.settleRecords = 5
        policy.idleRecords = 50
        return policy
    }

    @Test func settledRequestsFinishInDeterministicOrderAndLateLinesAreOrphans() throws {
        let harness = GroupingHarness(policy: smallPolicy)
        try harness.feed("paste.txt", """
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Extended Request Id: Tn2kQF0yIAMFr1w=
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            (515f1e99-39db-11e9-9e96-01e5c04505b9) Extended Request Id: Vts2pH6ArPEFcuQ=
            (286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=
            (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99-39db-11e9-9e96-01e5c04505b9
            (286364ab-3a83-11e9-8dc8-db3cf4c83204) Starting execution for request: 286364ab-3a83-11e9-8dc8-db3cf4c83204
            (515f1e99-39db-11e9-9e96-01e5c04505b9) HTTP Method: POST, Resource Path: /verifyReceipt
            (286364ab-3a83-11e9-8dc8-db3cf4c83204) HTTP Method: GET, Resource Path: /echo
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) X-ray Tracing ID : Root=1-6962324d-273b8749616a929c8bd4fd14
            (286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502
            (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200
            """)
        #expect(harness.finished.map(\.requestId) == ["fbcaf9e5-d535-40a1-891c-7b70118cf7e8"])
        // The timeout's verdict was record 3; it settled once more than 5 further records had been read.
        #expect(harness.finishedAfterRecords == [9])
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == [
            "fbcaf9e5-d535-40a1-891c-7b70118cf7e8", "286364ab-3a83-11e9-8dc8-db3cf4c83204", "515f1e99-39db-11e9-9e96-01e5c04505b9",
        ])
        // The X-ray line came after its request was finished: an orphan line, not a second request.
        #expect(requests[0].lineKinds == [.extendedRequestId, .timeoutError, .methodCompleted])
        #expect(harness.totals.orphanLines == 1)
        #expect(requests.count == 3)
        expectReconciled(harness.totals)
    }

    @Test func requestWithoutVerdictIsFinishedWhenIdle() throws {
        let harness = GroupingHarness(policy: smallPolicy)
        var text = """
            (8a699106-8d59-11e8-905d-b3747276ed60) Starting execution for request: 8a699106-8d59-11e8-905d-b3747276ed60
            (8a699106-8d59-11e8-905d-b3747276ed60) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations

            """
        // 120 other complete requests (well past twice the idle window), then a line of the idle request.
        for n in 0..<120 {
            let id = fakeRequestId(n + 1)
            text += "(\(id)) Method completed with status: 200\n"
        }
        text += "(8a699106-8d59-11e8-905d-b3747276ed60) Execution failed due to a timeout error\n"
        try harness.feed("busy.txt", text)
        let requests = try harness.finish()
        let idle = try #require(harness.request("8a699106-8d59-11e8-905d-b3747276ed60"))
        #expect(idle.lineKinds == [.executionStart, .sendingRequest])
        #expect(requests.filter { $0.requestId == "8a699106-8d59-11e8-905d-b3747276ed60" }.count == 1)
        #expect(harness.totals.orphanLines == 1)
        #expect(requests.count == 121)
        expectReconciled(harness.totals)
    }

    @Test func sameInputGivesTheSameFinishingOrder() throws {
        func run() throws -> [String] {
            let harness = GroupingHarness(policy: smallPolicy)
            var text = ""
            for n in 0..<40 {
                let id = fakeRequestId(n * 7919 % 97, tail: "00000000abcd")
                text += "(\(id)) Starting execution for request: \(id)\n"
                if n % 3 == 0 { text += "(\(id)) Method completed with status: 200\n" }
            }
            try harness.feed("mixed.txt", text)
            return try harness.finish().map(\.requestId)
        }
        let first = try run()
        #expect(first.count == 40)
        #expect(try run() == first)
    }

    // MARK: access-log join

    @Test func heldAccessRecordJoinsTheExecutionLinesThatFollow() throws {
        let harness = GroupingHarness(holdAccessRecords: true)
        try harness.feed("access-logs/access.jsonl", """
            {"requestId":"9cef3834-f42c-46d7-83fe-a6401a431398","extendedRequestId":"W9zMPGrHtjMEeFw=","httpMethod":"GET","resourcePath":"/items","status":"401","errorMessage":"Unauthorized","responseLength":"26","integrationLatency":"-"}
            """)
        #expect(harness.finished.isEmpty)
        try harness.feed("execution.txt", """
            2026-01-10T11:04:45.964Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Extended Request Id: W9zMPGrHtjMEeFw=
            2026-01-10T11:04:45.966Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Starting authorizer: 4hugyv for request: 9cef3834-f42c-46d7-83fe-a6401a431398
            2026-01-10T11:04:45.966Z
            (9cef3834-f42c-46d7-83fe-a6401a431398) Unauthorized request: 9cef3834-f42c-46d7-83fe-a6401a431398
            """)
        let requests = try harness.finish()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.lines.count == 3)
        #expect(request.accessRecords.count == 1)
        #expect(request.accessSources.map(\.description) == ["access-logs/access.jsonl:1"])
        #expect(harness.totals.accessRecords == 1)
        #expect(harness.totals.records == 4)
        expectReconciled(harness.totals)
    }

    @Test func accessRecordAfterTheExecutionLinesJoinsWhileTheRequestIsOpen() throws {
        let harness = GroupingHarness(policy: smallPolicy)
        try harness.feed("mixed.txt", """
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504
            {"requestId":"fbcaf9e5-d535-40a1-891c-7b70118cf7e8","status":"504","error_message":"Endpoint request timed out","error_responseType":"INTEGRATION_TIMEOUT","integrationLatency":"29012"}
            """)
        let requests = try harness.finish()
        #expect(requests.count == 1)
        #expect(requests[0].lines.count == 2)
        #expect(requests[0].accessRecords.count == 1)
        #expect(requests[0].accessSources.map(\.description) == ["mixed.txt:3"])
        expectReconciled(harness.totals)
    }

    @Test func accessRecordAfterItsRequestClosedIsAnOrphan() throws {
        let harness = GroupingHarness(policy: smallPolicy)
        var text = """
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error
            (fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504

            """
        for n in 0..<8 { text += "(5293df93-f895-46ee-8c21-1471f0d0cef0) Method request query string: {page=\(n)}\n" }
        text += #"{"requestId":"fbcaf9e5-d535-40a1-891c-7b70118cf7e8","status":"504","error_responseType":"INTEGRATION_TIMEOUT"}"# + "\n"
        try harness.feed("mixed.txt", text)
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == ["fbcaf9e5-d535-40a1-891c-7b70118cf7e8", "5293df93-f895-46ee-8c21-1471f0d0cef0"])
        #expect(requests[0].accessRecords.isEmpty)
        #expect(harness.totals.accessRecords == 0)
        #expect(harness.totals.orphanLines == 1)
        expectReconciled(harness.totals)
    }

    @Test func accessRecordWithoutExecutionLinesStandsAlone() throws {
        // §5.3: a WAF block leaves no execution-log line.
        let harness = GroupingHarness(holdAccessRecords: true)
        try harness.feed("access.jsonl", """
            {"apiId":"o5p491t2v9","errorMessage":"Forbidden","extendedRequestId":"f4GtaFqHvHcEMuw=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","resourcePath":"/PythonResource","responseLength":"23","stage":"prod","status":"403","wafResponseCode":"WAF_BLOCK","wafStatus":"403"}
            {"apiId":"o5p491t2v9","errorMessage":"Unauthorized","extendedRequestId":"f4GssEp9vHcEbdQ=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","requestId":"60838619-695e-45bc-8d3d-331626f88932","resourcePath":"/PythonResource","responseLength":"26","stage":"prod","status":"401","wafResponseCode":"WAF_ALLOW","wafStatus":"200"}
            """)
        try harness.feed("execution.txt", """
            (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200
            """)
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == [
            "515f1e99-39db-11e9-9e96-01e5c04505b9", "0afb41b6-60d7-4a56-bf47-acf1fbcabec4", "60838619-695e-45bc-8d3d-331626f88932",
        ])
        #expect(requests[1].lines.isEmpty)
        #expect(requests[1].accessRecords.count == 1)
        #expect(harness.totals.accessRecords == 2)
        expectReconciled(harness.totals)
    }

    @Test func prettyPrintedAccessRecordFromTailJSONIsAnAccessRecord() throws {
        let harness = GroupingHarness()
        try harness.feed("tail-json.txt", """
            2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe\u{20}
            {
                "apiId": "o5p491t2v9",
                "errorMessage": "Forbidden",
                "requestId": "0afb41b6-60d7-4a56-bf47-acf1fbcabec4",
                "status": "403",
                "wafResponseCode": "WAF_BLOCK"
            }
            """)
        let requests = try harness.finish()
        #expect(requests.map(\.requestId) == ["0afb41b6-60d7-4a56-bf47-acf1fbcabec4"])
        #expect(harness.totals.accessRecords == 1)
        #expect(harness.totals.orphanLines == 0)
        expectReconciled(harness.totals)
    }

    @Test func linesWithoutRequestAreOrphans() throws {
        let harness = GroupingHarness()
        try harness.feed("notes.txt", """
            CWL CONTROL MESSAGE: Checking health of destination Firehose.
            (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200
            """)
        _ = try harness.finish()
        #expect(harness.totals.records == 2)
        #expect(harness.totals.orphanLines == 1)
        expectReconciled(harness.totals)
    }
}

@Suite struct OpenRequestBudgetTests {
    /// Many request ids that never reach a verdict (a cut or hostile input) are finished early once the open requests
    /// hold more than the budget, the least recently seen first, and one problem says so.
    @Test func unfinishedRequestsBeyondTheByteBudgetAreFinishedOldestFirst() throws {
        var policy = GroupingPolicy()
        policy.maxOpenBytes = 20_000
        let harness = GroupingHarness(policy: policy)
        var text = ""
        for n in 1...400 {
            let id = fakeRequestId(n)
            text += "2026-11-20T09:00:00.000Z (\(id)) Starting execution for request: \(id)\n"
            text += "2026-11-20T09:00:00.001Z (\(id)) HTTP Method: GET, Resource Path: /pets/\(n)\n"
        }
        var largestOpen = 0
        harness.onFinished = { _ in largestOpen = max(largestOpen, harness.grouper.openBytes) }
        try harness.feed("cut.log", text)
        #expect(harness.grouper.earlyFinishes > 0)
        #expect(harness.grouper.openBytes <= policy.maxOpenBytes)
        #expect(largestOpen <= policy.maxOpenBytes + 1_000, "the budget is kept while reading")
        let early = harness.finished.prefix(harness.grouper.earlyFinishes).map(\.requestId)
        #expect(early.first == fakeRequestId(1), "the least recently seen request goes first")
        let all = try harness.finish()
        #expect(all.count == 400, "every request is still finished exactly once")
        #expect(Set(all.map(\.requestId)).count == 400)
        #expect(harness.grouper.openBytes == 0)
        let problems = harness.grouper.problems.filter { $0.message.contains("unfinished requests were open at once") }
        #expect(problems.count == 1)
        #expect(problems.first?.source == "cut.log")
    }

    @Test func theDefaultBudgetLeavesOrdinaryInputAlone() throws {
        let harness = GroupingHarness()
        let id = fakeRequestId(7)
        try harness.feed("ok.log", """
            2026-11-20T09:00:00.000Z (\(id)) Starting execution for request: \(id)
            2026-11-20T09:00:00.010Z (\(id)) Method completed with status: 200

            """)
        try harness.finish()
        #expect(harness.grouper.earlyFinishes == 0)
        #expect(harness.grouper.problems.isEmpty)
    }
}
