/// One line (or analysis note) that decided a verdict.
public struct Evidence: Sendable, Equatable, Codable {
    /// `file:line` of the line, or of the line an analysis note is about.
    public var source: String
    public var text: String

    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }
}

/// The diagnosis of one request: the record `requests --format jsonl` writes (DESIGN.md §4).
public struct Verdict: Sendable, Equatable {
    public var requestId: String
    public var extendedRequestId: String?
    public var apiId: String?
    public var stage: String?
    public var httpMethod: String?
    public var resource: String?
    public var path: String?
    public var route: String?
    public var status: Int?
    public var outcome: Outcome
    public var layer: Layer
    public var cause: Cause
    public var principal: String?
    public var authorizerId: String?
    public var apiKey: String?
    public var startTime: Int64?
    public var endTime: Int64?
    public var integrationLatencyMs: Int?
    public var evidence: [Evidence]
    public var hint: String
    /// Console test-invoke traffic (not real callers).
    public var isTestInvoke: Bool = false

    /// `apiId/stage route`, the key of a route in reports.
    public var routeKey: String {
        "\(apiId ?? "-")/\(stage ?? "-") \(route ?? "-")"
    }

    /// The DESIGN.md §4 jsonl object, keys in contract order, all present.
    public var json: JSONValue {
        .object([
            ("requestId", .string(requestId)),
            ("extendedRequestId", .string(extendedRequestId)),
            ("apiId", .string(apiId)),
            ("stage", .string(stage)),
            ("httpMethod", .string(httpMethod)),
            ("resource", .string(resource)),
            ("path", .string(path)),
            ("route", .string(route)),
            ("status", .int(status)),
            ("outcome", .string(outcome.rawValue)),
            ("layer", .string(layer.rawValue)),
            ("cause", .string(cause.rawValue)),
            ("principal", .string(principal)),
            ("authorizerId", .string(authorizerId)),
            ("apiKey", .string(apiKey)),
            ("startTime", .string(startTime.map(Timestamp.iso8601))),
            ("endTime", .string(endTime.map(Timestamp.iso8601))),
            ("integrationLatencyMs", .int(integrationLatencyMs)),
            ("evidence", .array(evidence.map { .object([("source", .string($0.source)), ("text", .string($0.text))]) })),
            ("hint", .string(hint)),
        ])
    }

    /// The jsonl keys, in order.
    public static let jsonKeys = [
        "requestId", "extendedRequestId", "apiId", "stage", "httpMethod", "resource", "path", "route", "status",
        "outcome", "layer", "cause", "principal", "authorizerId", "apiKey", "startTime", "endTime",
        "integrationLatencyMs", "evidence", "hint",
    ]
}
