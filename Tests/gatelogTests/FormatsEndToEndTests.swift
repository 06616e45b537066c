import Foundation
import Testing

/// The same requests delivered in every container gatelog reads must give the same verdicts.
///
/// The comparison is of whole `requests --format jsonl` records with `evidence[].source` removed: sources name the file
/// and line, which necessarily differ from one container to the next; every other key (cause, route, status, principal,
/// times, evidence texts, …) must be identical.
@Suite(.serialized) struct FormatsEndToEndTests {
    static let group = "API-Gateway-Execution-Logs_qyt4c7jmsd/development"
    static let stream = "072b030ba126b2f4b2374f342be9ed44"

    /// (epoch ms, message) of three requests: the key throttle of log-formats.md §7.5, the explicit deny of §9.2, and an
    /// integration timeout whose mapping-template body spans lines (§1.4).
    static let events: [(Int64, String)] = {
        let throttle = "4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998"
        let deny = "5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11"
        let timeout = "515f1e99-39db-11e9-9e96-01e5c04505b9"
        let fn = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:989972760655:function:spacefinder-api-development-authorizer-Custom/invocations"
        return [
            (1_551_194_970_161, "(\(throttle)) Extended Request Id: Vts2FFmArPEFh8g="),
            (1_551_194_970_161, "(\(throttle)) Verifying Usage Plan for request: \(throttle). API Key:  API Stage: qyt4c7jmsd/development"),
            (1_551_194_970_162, "(\(throttle)) Key throttle limit exceeded for RestApi qyt4c7jmsd, Stage development, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1"),
            (1_551_194_970_162, "(\(throttle)) Method completed with status: 429"),
            (1_551_194_971_000, "(\(deny)) Extended Request Id: Y9b2QFx0IAMEabc="),
            (1_551_194_971_001, "(\(deny)) Starting authorizer: 2egbc3 for request: \(deny)"),
            (1_551_194_971_001, "(\(deny)) Incoming identity: ********************NA6Lu-"),
            (1_551_194_971_002, "(\(deny)) Endpoint request URI: \(fn)"),
            (1_551_194_971_002, #"(\#(deny)) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"eyJhbGciOiJIUzI1NiJ9.e30.sig-NA6Lu-","methodArn":"arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2"}"#),
            (1_551_194_971_003, "(\(deny)) Sending request to \(fn)"),
            (1_551_194_971_090, #"(\#(deny)) Authorizer result body before parsing: {"principalId":"6527a55d-5498-428b-a997-8213981c70cd","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"]},{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/*"]}]}}"#),
            (1_551_194_971_091, "(\(deny)) Using valid authorizer policy for principal: ******************************1c70cd"),
            (1_551_194_971_091, "(\(deny)) Successfully completed authorizer execution"),
            (1_551_194_971_092, "(\(deny)) The client is not authorized to perform this operation."),
            (1_551_194_973_734, "(\(timeout)) Extended Request Id: VtsXFFm3rPEFWcQ="),
            (1_551_194_973_734, "(\(timeout)) Verifying Usage Plan for request: \(timeout). API Key:  API Stage: qyt4c7jmsd/development"),
            (1_551_194_973_735, "(\(timeout)) Usage Plan check succeeded for API Key  and API Stage qyt4c7jmsd/development"),
            (1_551_194_973_735, "(\(timeout)) Starting execution for request: \(timeout)"),
            (1_551_194_973_735, "(\(timeout)) HTTP Method: POST, Resource Path: /verifyReceipt"),
            (1_551_194_973_736, "(\(timeout)) Endpoint request body after transformations: {\n   \"method\": \"POST\",\n   \"receipt\": \"a, \\\"quoted\\\" | piped <value> & 'more'\"\n}"),
            (1_551_195_002_740, "(\(timeout)) Execution failed due to a timeout error"),
            (1_551_195_002_741, "(\(timeout)) Method completed with status: 504"),
        ]
    }()

    static func iso(_ ms: Int64, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    static func gzip(_ data: Data) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("payload")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-f", file.path]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: folder.appendingPathComponent("payload.gz"))
    }

    static func envelope(_ slice: ArraySlice<(Int64, String)>) -> String {
        json(["messageType": "DATA_MESSAGE", "owner": "989972760655", "logGroup": group, "logStream": stream,
              "subscriptionFilters": ["ship-logs"],
              "logEvents": slice.enumerated().map { ["id": "3459280378280277398695451423642049413782159187845591\(8600 + $0.offset)",
                                                     "timestamp": $0.element.0, "message": $0.element.1] }])
    }

    /// Every container, as file name → bytes.
    static func containers() throws -> [String: Data] {
        let esc = "\u{1B}"
        var files: [String: Data] = [:]
        files["export.txt"] = Data(events.map { "\(iso($0.0, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")) \($0.1)\n" }.joined().utf8)
        files["filter-log-events.json"] = Data(json([
            "events": events.enumerated().map { ["logStreamName": stream, "timestamp": $0.element.0, "message": $0.element.1,
                                                 "ingestionTime": $0.element.0 + 400, "eventId": "\($0.offset)"] },
            "searchedLogStreams": [Any](),
        ]).utf8)
        files["tail-detailed.txt"] = Data(events.map { event -> String in
            let line = "\(esc)[32m\(iso(event.0, "yyyy-MM-dd'T'HH:mm:ss.SSS"))000+00:00\(esc)[0m \(esc)[36m\(stream)\(esc)[0m \(event.1)"
            return line + "\n"
        }.joined().utf8)
        var csv = "\u{FEFF}@timestamp,@message,@logStream,@log\n"
        for event in events.reversed() {
            let quoted = "\"" + event.1.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "\(iso(event.0, "yyyy-MM-dd HH:mm:ss.SSS")),\(quoted),\(stream),989972760655:\(group)\n"
        }
        files["logs-insights-results.csv"] = Data(csv.utf8)
        files["logs-insights-results.json"] = Data(json(events.map {
            ["@timestamp": iso($0.0, "yyyy-MM-dd HH:mm:ss.SSS"), "@message": $0.1, "@logStream": stream, "@log": "989972760655:\(group)"]
        }).utf8)
        files["get-query-results.json"] = Data(json([
            "results": events.map { [["field": "@timestamp", "value": iso($0.0, "yyyy-MM-dd HH:mm:ss.SSS")],
                                     ["field": "@message", "value": $0.1], ["field": "@ptr", "value": "CmAKJw"]] },
            "statistics": ["recordsMatched": 22.0], "status": "Complete",
        ]).utf8)
        // Markdown copies are one line per row: this container only carries the one-line messages.
        func escapeHTML(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "'", with: "&#x27;").replacingOccurrences(of: "/", with: "&#x2f;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var markdown = "**CloudWatch Logs Insights**    \nregion: us-east-1    \nlog-group-names: \(group)    \n---\n"
        markdown += "| @timestamp | @message |\n| --- | --- |\n"
        for event in events where !event.1.contains("\n") {
            markdown += "| \(iso(event.0, "yyyy-MM-dd HH:mm:ss.SSS")) | \(escapeHTML(event.1)) |\n"
        }
        files["insights.md"] = Data(markdown.utf8)
        // Firehose: a CONTROL_MESSAGE and two envelopes as gzip members back to back, the timeout split between them, all
        // gzipped once more by Firehose.
        let control = #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1432826855000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#
        var members = try gzip(Data(control.utf8))
        members.append(try gzip(Data(envelope(events[0..<17]).utf8)))
        members.append(try gzip(Data(envelope(events[17...]).utf8)))
        files["firehose-object"] = try gzip(members)
        let lambda = try gzip(Data(envelope(events[...]).utf8)).base64EncodedString()
        files["lambda-event.json"] = Data(json(["awslogs": ["data": lambda]]).utf8)
        return files
    }

    static func verdicts(_ file: URL) throws -> [String: [String: Any]] {
        let result = try Executable.run(["requests", file.path, "--format", "jsonl"])
        #expect(result.exitCode == 0, "\(file.lastPathComponent): \(result.stderr)")
        var byId: [String: [String: Any]] = [:]
        for var record in try Executable.jsonLines(result.stdout) {
            record["evidence"] = (record["evidence"] as? [[String: Any]])?.map { $0.filter { $0.key != "source" } }
            byId[record["requestId"] as! String] = record
        }
        return byId
    }

    @Test func everyContainerGivesTheSameVerdicts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-same-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, data) in try Self.containers() { try data.write(to: folder.appendingPathComponent(name)) }

        let reference = try Self.verdicts(folder.appendingPathComponent("export.txt"))
        #expect(reference.count == 3)
        #expect(reference["4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998"]?["cause"] as? String == "throttled")
        #expect(reference["5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11"]?["cause"] as? String == "authorizer_explicit_deny")
        #expect(reference["5c0e2f52-6a0b-4d51-9c59-0f6f1e1f6a11"]?["principal"] as? String == "6527a55d-5498-428b-a997-8213981c70cd")
        #expect(reference["515f1e99-39db-11e9-9e96-01e5c04505b9"]?["cause"] as? String == "integration_timeout")
        let expected = Self.json(reference)

        for name in ["filter-log-events.json", "tail-detailed.txt", "logs-insights-results.csv", "logs-insights-results.json",
                     "get-query-results.json", "firehose-object", "lambda-event.json"] {
            let got = try Self.verdicts(folder.appendingPathComponent(name))
            #expect(Self.json(got) == expected, "\(name) differs from the plain export")
        }
        // The Markdown copy lacks the multi-line body; the verdicts (not the evidence of that line) must still agree.
        let markdown = try Self.verdicts(folder.appendingPathComponent("insights.md"))
        for (id, record) in reference {
            for key in ["cause", "outcome", "status", "route", "principal", "apiId", "stage", "startTime", "endTime"] {
                #expect(Self.json([record[key] ?? NSNull()]) == Self.json([markdown[id]?[key] ?? NSNull()]), "insights.md \(id) \(key)")
            }
        }
    }

    @Test func aFileThatMatchesNoFormatIsReportedAndTheRestContinues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-unknown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.containers()["export.txt"]!.write(to: folder.appendingPathComponent("export.txt"))
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0] + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 131) })
            .write(to: folder.appendingPathComponent("archive.zip"))
        let result = try Executable.run(["requests", folder.path, "--format", "jsonl"])
        #expect(result.exitCode == 3)
        #expect(try Executable.jsonLines(result.stdout).count == 3)
        #expect(result.stderr.contains("archive.zip: a zip archive, not a log: extract it and give gatelog the files inside; not read"))
    }

    @Test func aForcedInputFormatIsUsedAndReportedWhenItDoesNotFit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatelog-forced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.txt")
        try Self.containers()["export.txt"]!.write(to: file)
        let wrong = try Executable.run(["requests", file.path, "--input-format", "insights-csv"])
        #expect(wrong.exitCode == 3)
        #expect(wrong.stderr.contains("export.txt"))
        #expect(wrong.stderr.contains("no API Gateway log records recognized (read as --input-format insights-csv"))
        let right = try Executable.run(["requests", file.path, "--input-format", "export"])
        #expect(right.exitCode == 0)
        #expect(try Executable.jsonLines(right.stdout).count == 3)
    }
}
