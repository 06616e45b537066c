/// The JSON container a (decompressed) input holds, as far as its first bytes tell.
public enum JSONContainerKind: String, Sendable, CaseIterable {
    /// `get-log-events` / `filter-log-events` output (`"events"`), or event objects one per line (`tail --format none`).
    case cloudWatchEvents
    /// Decoded subscription-filter envelopes (`"messageType"`), possibly back to back (Firehose).
    case subscription
    /// The Lambda event form `{"awslogs":{"data":…}}`.
    case lambdaSubscription
    /// `aws logs get-query-results` output (`"results"`).
    case queryResults
    /// Logs Insights "Download table (JSON)": an array of objects keyed `@timestamp`, `@message`, ….
    case insightsJSONArray
    /// A JSON access log: one flat object per line with a request id field and no `message` field.
    case accessLogNDJSON
}

/// Recognises JSON containers from the start of an input (§10.1 of log-formats.md), without reading it all.
public enum JSONContainerSniffer {
    /// How much of the input `sniff` looks at.
    public static let prefixLength = 64 << 10

    /// Looks at up to the first 64 KiB of decompressed input (BOM and leading whitespace allowed). Returns nil when it
    /// is not one of the known JSON containers (including when it is not JSON at all).
    public static func sniff(prefix: UnsafeRawBufferPointer) -> JSONContainerKind? {
        let bytes = Array(UnsafeRawBufferPointer(rebasing: prefix.prefix(prefixLength)))
        let scanner = JSONScanner(source: MemorySource(bytes), bufferSize: bytes.count + 64, maxStringLength: 4096)
        guard let first = try? scanner.next() else { return nil }
        switch first {
        case .beginObject:
            let startLine = scanner.tokenLine
            var shape = ObjectShape()
            shape.collect(scanner)
            let keys = shape.topKeys
            if keys.contains("messageType") { return .subscription }
            if keys.contains("awslogs") { return .lambdaSubscription }
            if keys.contains("events") { return .cloudWatchEvents }
            if keys.contains("results") { return .queryResults }
            if keys.contains("message") && (keys.contains("timestamp") || keys.contains("logStreamName")) {
                return .cloudWatchEvents
            }
            if keys.contains("@message") || keys.contains("@timestamp") { return .insightsJSONArray }
            let onOneLine = shape.complete && scanner.currentLine == startLine
            if onOneLine && !keys.contains("message") && shape.hasRequestIdKey { return .accessLogNDJSON }
            return nil
        case .beginArray:
            guard (try? scanner.next()) == .beginObject else { return nil }
            var shape = ObjectShape()
            shape.collect(scanner)
            let keys = shape.topKeys
            if keys.contains("@message") || keys.contains("@timestamp") { return .insightsJSONArray }
            if keys.contains("message") && (keys.contains("timestamp") || keys.contains("logStreamName")) {
                return .cloudWatchEvents
            }
            return nil
        default:
            return nil
        }
    }

    /// The keys of one object (whose `{` was just read) as far as the prefix goes.
    private struct ObjectShape {
        var topKeys: Set<String> = []
        var hasRequestIdKey = false
        var complete = false

        mutating func collect<S>(_ scanner: JSONScanner<S>) {
            let baseDepth = scanner.depth
            do {
                while scanner.depth >= baseDepth {
                    let token = try scanner.next()
                    if token == .endOfInput { return }
                    guard token == .key else { continue }
                    let key = String(decoding: scanner.text, as: UTF8.self)
                    if scanner.depth == baseDepth { topKeys.insert(key) }
                    if Self.isRequestIdKey(key) { hasRequestIdKey = true }
                }
                complete = true
            } catch {
                // The prefix ends mid-document (or the text is not JSON): judge by what was seen.
            }
        }

        /// `requestId`, `request_id`, `extendedRequestId`, `context.requestId`, `x-request-id`, …
        static func isRequestIdKey(_ key: String) -> Bool {
            let folded = String(String.UnicodeScalarView(
                key.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
            return folded.lowercased().contains("requestid")
        }
    }
}
