/// An API Gateway method ARN, `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`
/// (log-formats.md §4.1). This is what authorizer and resource policies are matched against.
///
/// The same shape also carries the `X-Amz-Source-Arn` of an integration call, where the path is the resource
/// template (`…/Test/ANY/{resource+}`); the parser does not tell them apart, the caller knows which line it read.
/// `path` is the part after the verb without its leading slash; the root resource has the empty path and its ARN
/// ends with a slash (`…/api/GET/`).
public struct MethodARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var region: String
    public var account: String
    public var apiId: String
    public var stage: String
    public var verb: String
    public var path: String

    /// Builds a method ARN from its parts. `path` may be given with or without its leading `/`.
    public init(
        partition: String = "aws", region: String, account: String, apiId: String, stage: String, verb: String,
        path: String
    ) {
        self.partition = partition
        self.region = region
        self.account = account
        self.apiId = apiId
        self.stage = stage
        self.verb = verb
        self.path = path.hasPrefix("/") ? String(path.dropFirst()) : path
    }

    /// Parses `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/1`. Returns nil for anything else,
    /// including the authorizer-call form `…:{apiId}/authorizers/{authorizerId}` (see `AuthorizerARN`).
    public init?(parsing text: some StringProtocol) {
        guard let head = ExecuteAPIARNHead(text) else { return nil }
        // resource = apiId/stage/VERB/path… ; the path may itself contain slashes (and anything else).
        let resource = head.resource
        let parts = resource.utf8.split(separator: 0x2F, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        self.partition = head.partition
        self.region = head.region
        self.account = head.account
        self.apiId = String(Substring(parts[0]))
        self.stage = String(Substring(parts[1]))
        self.verb = String(Substring(parts[2]))
        self.path = String(Substring(parts[3]))
    }

    /// The ARN text, exactly as API Gateway writes it.
    public var arn: String {
        "arn:\(partition):execute-api:\(region):\(account):\(apiId)/\(stage)/\(verb)/\(path)"
    }

    public var description: String { arn }

    /// The request path with its leading slash (`/pets/1`, or `/` for the root resource).
    public var resourcePath: String { "/" + path }
}

/// The `X-Amz-Source-Arn` API Gateway sends when it calls a Lambda authorizer:
/// `arn:aws:execute-api:{region}:{account}:{apiId}/authorizers/{authorizerId}` (log-formats.md §4.1, B4).
public struct AuthorizerARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var region: String
    public var account: String
    public var apiId: String
    public var authorizerId: String

    public init(partition: String = "aws", region: String, account: String, apiId: String, authorizerId: String) {
        self.partition = partition
        self.region = region
        self.account = account
        self.apiId = apiId
        self.authorizerId = authorizerId
    }

    /// Parses the authorizer-call ARN; nil for method ARNs and anything else.
    public init?(parsing text: some StringProtocol) {
        guard let head = ExecuteAPIARNHead(text) else { return nil }
        let parts = head.resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1] == "authorizers", !parts[2].isEmpty else { return nil }
        self.partition = head.partition
        self.region = head.region
        self.account = head.account
        self.apiId = String(parts[0])
        self.authorizerId = String(parts[2])
    }

    public var arn: String { "arn:\(partition):execute-api:\(region):\(account):\(apiId)/authorizers/\(authorizerId)" }
    public var description: String { arn }
}

/// The five colon-separated fields before an execute-api ARN's resource part.
private struct ExecuteAPIARNHead {
    var partition: String
    var region: String
    var account: String
    var resource: Substring

    init?(_ text: some StringProtocol) {
        // Only the first five colons separate fields; the resource (a request path) may contain colons.
        // Split on the bytes (`:` is ASCII, so every cut is a character boundary): no grapheme breaking.
        let string = String(text)
        let fields = string.utf8.split(separator: 0x3A, maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].elementsEqual("arn".utf8), fields[1].starts(with: "aws".utf8),
            fields[2].elementsEqual("execute-api".utf8), !fields[3].isEmpty, !fields[4].isEmpty, !fields[5].isEmpty
        else { return nil }
        partition = String(Substring(fields[1]))
        region = String(Substring(fields[3]))
        account = String(Substring(fields[4]))
        resource = Substring(fields[5])
    }
}
