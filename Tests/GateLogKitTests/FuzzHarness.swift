#if !GATELOG_FUZZ
@testable import GateLogKit
#endif

/// The work one fuzz input does: the same bytes go through every record and entry parser, the whole pipeline and
/// the renderers. Shared by the libFuzzer entry point (`Tests/Fuzz/FuzzRecords.swift`, compiled into one module with
/// the library sources and `-D GATELOG_FUZZ`) and by the regression tests that replay the inputs it once crashed on.
///
/// Besides "must not crash or hang", it checks properties every input must keep: terminal text holds no control
/// characters, CSV cells never start a formula, and JSON output is valid UTF-8 without raw control characters.
enum FuzzHarness {
    /// Line cap used while fuzzing: small, so cut lines are reached by small inputs.
    static let maxLineLength = 512

    static func run(_ bytes: [UInt8]) {
        pipeline(bytes)
        jsonReaders(bytes)
        entryParsers(bytes)
    }

    // MARK: - Whole pipeline

    /// DecodedSource (gzip sniffing) → LineReader → TextRecordReader → RequestGrouper → Diagnoser → renderers.
    static func pipeline(_ bytes: [UInt8]) {
        let files = FileTable()
        let diagnoser = Diagnoser(files: files, options: DiagnosisOptions())
        var policy = GroupingPolicy()
        policy.settleRecords = 3          // small windows: closing, orphan and re-open paths are reached
        policy.idleRecords = 7
        policy.closedMemory = 4
        policy.pendingAccessLimit = 2
        policy.maxRequestLines = 16      // small caps: the dropped-line paths are reached too
        policy.maxRequestBytes = 2048
        let grouper = RequestGrouper(
            files: files, policy: policy,
            onAccessRecord: { text, _, _ in AccessLogRecord.parse(text) },
            onFinished: { lifecycle in
                let verdict = diagnoser.diagnose(lifecycle)
                checkRenderings(lifecycle: lifecycle, verdict: verdict, files: files)
            })
        grouper.currentFile = files.add("fuzz")
        grouper.holdAccessRecords = bytes.first.map { $0 & 1 == 1 } ?? false
        do {
            let source = try DecodedSource(upstream: MemorySource(bytes), displayName: "fuzz")
            var reader = LineReader(source: source, bufferSize: 1024, maxLineLength: maxLineLength)
            let text = TextRecordReader(sink: grouper, origin: RecordOrigin(logGroup: "API-Gateway-Execution-Logs_abc/prod", logStream: nil),
                                        displayName: "fuzz")
            text.maxRecordLength = maxLineLength
            try text.read(&reader)
        } catch is InputError {
            // Expected for corrupt gzip: a problem, not a crash.
        } catch {
            fatalError("unexpected error from the text pipeline: \(error)")
        }
        do {
            try grouper.finishAll()
        } catch {
            fatalError("unexpected error finishing requests: \(error)")
        }
        _ = ContainerSniffer.sniff(bytes)
        _ = ContainerSniffer.holdsAccessLog(bytes)
    }

    static func checkRenderings(lifecycle: RequestLifecycle, verdict: Verdict, files: FileTable) {
        checkJSON(VerdictRenderers.jsonLine(verdict))
        checkCSV(verdict)
        checkTerminal(VerdictRenderers.text(verdict, color: false))
        let lines = TraceRenderer.lines(of: lifecycle, files: files, redact: true)
        checkTerminal(TraceRenderer.text(lines: lines, verdict: verdict, color: false))
        checkJSON(TraceRenderer.json(lifecycle: lifecycle, lines: lines, verdict: verdict).serialized(pretty: true))
    }

    // MARK: - JSON container readers

    static func jsonReaders(_ bytes: [UInt8]) {
        let sink = FuzzRecordSink()
        expectOnlyInputErrors {
            try CloudWatchEventsReader(sourceName: "fuzz", maxMessageLength: maxLineLength, bufferSize: 256)
                .read(MemorySource(bytes), into: sink)
        }
        expectOnlyInputErrors {
            try SubscriptionPayloadReader(sourceName: "fuzz", maxMessageLength: maxLineLength, maxPayloadLength: 4096,
                                          maxBufferedEnvelopeBytes: 1 << 16, bufferSize: 256) { nested in
                try DecodedSource(upstream: MemorySource(nested), displayName: "fuzz (awslogs.data)")
            }.read(MemorySource(bytes), into: sink)
        }
        expectOnlyInputErrors {
            try InsightsJSONReader(sourceName: "fuzz", maxMessageLength: maxLineLength, bufferSize: 256)
                .read(MemorySource(bytes), into: sink)
        }
        expectOnlyInputErrors {
            try QueryResultsReader(sourceName: "fuzz", maxMessageLength: maxLineLength, bufferSize: 256)
                .read(MemorySource(bytes), into: sink)
        }
        expectOnlyInputErrors {
            var lines = LineReader(source: MemorySource(bytes), bufferSize: 1024, maxLineLength: maxLineLength)
            try InsightsCSVReader(sink: sink, sourceName: "fuzz", maxMessageLength: maxLineLength).read(&lines)
        }
        expectOnlyInputErrors {
            var lines = LineReader(source: MemorySource(bytes), bufferSize: 1024, maxLineLength: maxLineLength)
            try InsightsMarkdownReader(sink: sink, sourceName: "fuzz", maxMessageLength: maxLineLength).read(&lines)
        }
        bytes.withUnsafeBytes { _ = JSONContainerSniffer.sniff(prefix: $0) }
        _ = InputScreening.notText(bytes)
        _ = InputScreening.unknownJSON(bytes, isWhole: bytes.count & 1 == 0)
    }

    static func expectOnlyInputErrors(_ body: () throws -> Void) {
        do {
            try body()
        } catch is InputError {
        } catch {
            fatalError("unexpected error from a JSON reader: \(error)")
        }
    }

    // MARK: - Entry and field parsers

    static func entryParsers(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = AccessLogRecord.parse(text)
        bytes.withUnsafeBytes { raw in
            _ = AccessLogRecord.parse(raw)
            _ = MessageRecognizer.recognize(raw)
            _ = Timestamp.parseISO(raw)
            _ = Timestamp.parseTestInvoke(raw)
            for kind in MessageKind.allCases { _ = MessageRecognizer.embeddedRequestId(kind: kind, text: raw) }
        }
        for kind in MessageKind.allCases { _ = Event.parse(kind: kind, text: text) }
        let policy = AuthorizerPolicy.parse(text)
        if case .policy(let parsed) = policy {
            // Evaluate against an ARN taken from the input too, so the wildcard matcher sees hostile patterns.
            let arnText = text.split(separator: "\n").first.map(String.init) ?? text
            _ = PolicyEvaluator.evaluate(parsed, methodArn: arnText)
            _ = PolicyEvaluator.evaluate(parsed, methodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc/prod/GET/pets/1")
        }
        _ = MethodARN(parsing: text)
        // Pattern and text from the two halves of the input.
        let half = text.unicodeScalars.count / 2
        let pattern = String(String.UnicodeScalarView(text.unicodeScalars.prefix(half)))
        let subject = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(half)))
        _ = WildcardPattern.matches(pattern: pattern, text: subject)
        _ = Masking.normalizeAll(in: text)
        let redacted = Redactor.redact(text)
        checkJSON(JSONValue.string(redacted).serialized())
        checkTerminal(TerminalText.sanitize(text))
        let cell = CSV.cell(text)
        checkCSVCell(cell)
    }

    // MARK: - Output properties

    static func checkTerminal(_ output: String) {
        for scalar in output.unicodeScalars where scalar.value < 0x20 && scalar != "\n" || (scalar.value >= 0x7F && scalar.value < 0xA0) {
            fatalError("control character U+\(String(scalar.value, radix: 16)) reached terminal output")
        }
    }

    static func checkJSON(_ output: String) {
        var inString = false
        var escaped = false
        for scalar in output.unicodeScalars {
            if inString {
                if escaped { escaped = false; continue }
                if scalar == "\\" { escaped = true; continue }
                if scalar == "\"" { inString = false; continue }
                if scalar.value < 0x20 { fatalError("raw control character U+\(String(scalar.value, radix: 16)) inside a JSON string") }
            } else if scalar == "\"" {
                inString = true
            }
        }
        // Swift strings are valid Unicode by construction; the encoded bytes must decode back unchanged.
        let utf8 = Array(output.utf8)
        if String(validating: utf8, as: UTF8.self) == nil { fatalError("JSON output is not valid UTF-8") }
    }

    static func checkCSV(_ verdict: Verdict) {
        let row = VerdictRenderers.csvRow(verdict)
        if !row.hasSuffix("\r\n") { fatalError("CSV row without its line end") }
        for value in [verdict.path, verdict.route, verdict.resource, verdict.principal, verdict.requestId] {
            checkCSVCell(CSV.cell(value))
        }
    }

    /// Checks a cell the way a CSV reader sees it: bytes, not Characters.
    static func checkCSVCell(_ cell: String) {
        let bytes = Array(cell.utf8)
        var content = bytes[...]
        if bytes.first == 0x22 {
            guard bytes.count >= 2, bytes.last == 0x22 else { fatalError("unbalanced CSV quoting: \(cell.debugDescription)") }
            content = bytes.dropFirst().dropLast()
            var i = content.startIndex
            while i < content.endIndex {
                if content[i] == 0x22 {
                    guard i + 1 < content.endIndex, content[i + 1] == 0x22 else { fatalError("unescaped quote in CSV cell: \(cell.debugDescription)") }
                    i += 2
                } else {
                    i += 1
                }
            }
        } else if bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            fatalError("CSV cell needs quotes: \(cell.debugDescription)")
        }
        if let first = content.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) {
            fatalError("CSV cell starts a formula: \(cell.debugDescription)")
        }
    }
}

/// A record sink that only counts, for driving the container readers on their own.
final class FuzzRecordSink: RecordSink {
    var records = 0
    var problems = 0
    var bytes = 0

    func receive(_ record: Record) throws {
        records += 1
        bytes &+= record.message.count
        if let base = record.message.baseAddress, record.message.count > 0 {
            _ = MessageRecognizer.recognize(UnsafeRawBufferPointer(start: base, count: record.message.count))
        }
    }

    func skip(_ what: SkippedInput, count: Int) {}
    func problem(_ problem: InputProblem) { problems += 1 }
}
