import Foundation

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
        // arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path…}. Only the first five colons
        // and, in the resource, the first three slashes separate fields (a path may contain both). Read on the bytes:
        // every cut is at an ASCII byte, so each field is a whole run of characters.
        var string = String(text)
        guard let fields = string.withUTF8({ Self.fields(UnsafeRawBufferPointer($0)) }) else { return nil }
        (partition, region, account, apiId, stage, verb, path) = fields
    }

    /// The region and account of a method ARN, read as `init(parsing:)` reads them; nil when it would return nil.
    static func regionAndAccount(parsing text: String) -> (region: String, account: String)? {
        var string = text
        return string.withUTF8 { bytes -> (String, String)? in
            let b = UnsafeRawBufferPointer(bytes)
            guard let cuts = Self.cuts(b) else { return nil }
            return (String(decoding: UnsafeRawBufferPointer(rebasing: b[cuts[2] + 1..<cuts[3]]), as: UTF8.self),
                    String(decoding: UnsafeRawBufferPointer(rebasing: b[cuts[3] + 1..<cuts[4]]), as: UTF8.self))
        }
    }

    private static func fields(_ b: UnsafeRawBufferPointer)
        -> (String, String, String, String, String, String, String)? {
        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
        }
        guard let cuts = cuts(b) else { return nil }
        let partitionStart = cuts[0] + 1, regionStart = cuts[2] + 1
        let accountStart = cuts[3] + 1, resourceStart = cuts[4] + 1
        return (text(partitionStart, cuts[1]), text(regionStart, cuts[3]), text(accountStart, cuts[4]),
                text(resourceStart, cuts[5]), text(cuts[5] + 1, cuts[6]), text(cuts[6] + 1, cuts[7]),
                text(cuts[7] + 1, b.count))
    }

    /// The positions of the five field colons and the three resource slashes of a well-formed method ARN.
    static func cuts(_ b: UnsafeRawBufferPointer) -> InlineArray<8, Int>? {
        // Ends of the five head fields, then of the first three resource parts.
        var cuts = InlineArray<8, Int>(repeating: 0)
        var found = 0
        var i = 0
        while i < b.count, found < 5 {
            if b[i] == 0x3A { cuts[found] = i; found += 1 }
            i += 1
        }
        guard found == 5 else { return nil }
        while i < b.count, found < 8 {
            if b[i] == 0x2F { cuts[found] = i; found += 1 }
            i += 1
        }
        guard found == 8 else { return nil }
        func matches(_ from: Int, _ to: Int, _ literal: StaticString) -> Bool {
            to - from == literal.utf8CodeUnitCount
                && memcmp(b.baseAddress! + from, literal.utf8Start, literal.utf8CodeUnitCount) == 0
        }
        let partitionStart = cuts[0] + 1, serviceStart = cuts[1] + 1, regionStart = cuts[2] + 1
        let accountStart = cuts[3] + 1, resourceStart = cuts[4] + 1
        guard matches(0, cuts[0], "arn"), cuts[1] - partitionStart >= 3,
              b[partitionStart] == 0x61, b[partitionStart + 1] == 0x77, b[partitionStart + 2] == 0x73,
              matches(serviceStart, cuts[2], "execute-api"), cuts[3] > regionStart, cuts[4] > accountStart,
              cuts[5] > resourceStart, cuts[6] > cuts[5] + 1, cuts[7] > cuts[6] + 1
        else { return nil }
        return cuts
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
