import Foundation

/// The `Effect` of one IAM policy statement.
public enum PolicyEffect: String, Sendable, Hashable, Codable {
    case allow = "Allow"
    case deny = "Deny"
}

/// One statement of a Lambda authorizer's `policyDocument` (log-formats.md §4.2).
///
/// A statement names its actions either with `Action` (`actions`, `notActions == nil`) or with `NotAction`
/// (`notActions` set, `actions` empty); likewise `Resource` / `NotResource`.
public struct PolicyStatement: Sendable, Hashable {
    public var effect: PolicyEffect
    public var actions: [String]
    public var notActions: [String]?
    public var resources: [String]
    public var notResources: [String]?
    /// The statement carries a `Condition` block; the evaluator does not judge conditions.
    public var hasCondition: Bool

    public init(
        effect: PolicyEffect, actions: [String] = [], notActions: [String]? = nil, resources: [String] = [],
        notResources: [String]? = nil, hasCondition: Bool = false
    ) {
        self.effect = effect
        self.actions = actions
        self.notActions = notActions
        self.resources = resources
        self.notResources = notResources
        self.hasCondition = hasCondition
    }
}

/// The output of a Lambda authorizer as logged in `Authorizer result body before parsing: <text>`:
/// principal, policy statements and what else it returned (log-formats.md §4.2).
public struct AuthorizerPolicy: Sendable, Hashable {
    public var principalId: String?
    public var version: String?
    public var statements: [PolicyStatement]
    /// The keys of the returned `context` object, sorted.
    public var contextKeys: [String]
    /// Some `context` value is an object or an array, which API Gateway refuses (500 AUTHORIZER_CONFIGURATION_ERROR).
    public var contextHasNestedValues: Bool
    /// The output names a `usageIdentifierKey` (used as API key when the API's key source is AUTHORIZER).
    public var hasUsageIdentifierKey: Bool

    public init(
        principalId: String? = nil, version: String? = nil, statements: [PolicyStatement],
        contextKeys: [String] = [], contextHasNestedValues: Bool = false, hasUsageIdentifierKey: Bool = false
    ) {
        self.principalId = principalId
        self.version = version
        self.statements = statements
        self.contextKeys = contextKeys
        self.contextHasNestedValues = contextHasNestedValues
        self.hasUsageIdentifierKey = hasUsageIdentifierKey
    }
}

/// What the logged authorizer result body turned out to be.
public enum AuthorizerPolicyParse: Sendable, Hashable {
    /// A complete policy that can be evaluated.
    case policy(AuthorizerPolicy)
    /// The body was cut (` [TRUNCATED]` or JSON ending early); the principal when it could still be read.
    case truncated(principalId: String?)
    /// The literal `null`.
    case null
    /// A Lambda error object (`errorType` / `errorMessage`) instead of a policy: the authorizer function failed.
    case lambdaError(errorType: String?, errorMessage: String?)
    /// Complete but not a usable policy; the reason says what is wrong.
    case unparsable(reason: String)
}

extension AuthorizerPolicy {
    /// The marker API Gateway appends to a logged value it cut short.
    static let truncationMarker = " [TRUNCATED]"
    static let linePrefix = "Authorizer result body before parsing:"

    /// Reads the text after `Authorizer result body before parsing: ` (the prefix itself is tolerated too).
    public static func parse(_ text: some StringProtocol) -> AuthorizerPolicyParse {
        var string = String(text)
        if let fast = string.withUTF8({ fastParse(UnsafeRawBufferPointer($0)) }) { return fast }
        return foundationParse(string)
    }

    /// `parse` on the bytes of a logged result body (they need not be valid UTF-8: they are read as
    /// `String(decoding:as:)` reads them).
    static func parse(bytes: UnsafeRawBufferPointer) -> AuthorizerPolicyParse {
        if let fast = fastParse(bytes) { return fast }
        return foundationParse(String(decoding: bytes, as: UTF8.self))
    }

    /// The parse of a plain-ASCII complete JSON object read by `PolicyJSON`; nil whenever `foundationParse` must decide.
    static func fastParse(_ text: UnsafeRawBufferPointer) -> AuthorizerPolicyParse? {
        var start = 0, end = text.count
        let prefix: StaticString = "Authorizer result body before parsing:"
        if end >= prefix.utf8CodeUnitCount, memcmp(text.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0 {
            start = prefix.utf8CodeUnitCount
        }
        // Character.isWhitespace on ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
        func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        while start < end, isWhitespace(text[start]) { start += 1 }
        while end > start, isWhitespace(text[end - 1]) { end -= 1 }
        guard end > start, text[start] == 0x7B, text[end - 1] == 0x7D else { return nil }
        for i in start..<end where text[i] >= 0x80 { return nil }
        do {
            return try interpret(PolicyJSON.object(in: text, start..<end))
        } catch {
            return nil
        }
    }

    static func foundationParse(_ string: String) -> AuthorizerPolicyParse {
        var body = Substring(string)
        if body.hasPrefix(linePrefix) { body = body.dropFirst(linePrefix.count) }
        body = body.trimmingWhitespace()
        if body.isEmpty { return .unparsable(reason: "empty result body") }

        if body.hasSuffix(truncationMarker.dropFirst()) {
            let kept = body.dropLast(truncationMarker.count - 1)
            return truncatedOutcome(Array(kept.utf8))
        }
        if body == "null" { return .null }

        let bytes = Array(body.utf8)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            if JSONShape.endsEarly(bytes) { return truncatedOutcome(bytes) }
            return .unparsable(reason: "invalid JSON")
        }
        if object is NSNull { return .null }
        guard let top = object as? [String: Any] else { return .unparsable(reason: "result is not a JSON object") }
        return interpret(top)
    }

    private static func truncatedOutcome(_ bytes: [UInt8]) -> AuthorizerPolicyParse {
        let prefix = LenientObjectPrefix(bytes)
        let keys = Set(prefix.members.map(\.key))
        let looksLikeError =
            prefix.firstKey == "errorType" || prefix.firstKey == "errorMessage"
            || ((keys.contains("errorType") || keys.contains("errorMessage")) && !keys.contains("policyDocument"))
        if looksLikeError {
            return .lambdaError(errorType: prefix.string(for: "errorType"), errorMessage: prefix.string(for: "errorMessage"))
        }
        let principal = prefix.members.first { $0.key.lowercased() == "principalid" }?.value
        return .truncated(principalId: principal)
    }

    private static func interpret(_ top: [String: Any]) -> AuthorizerPolicyParse {
        let document = member(top, "policyDocument")
        if document == nil, top["errorType"] != nil || top["errorMessage"] != nil {
            return .lambdaError(errorType: top["errorType"] as? String, errorMessage: top["errorMessage"] as? String)
        }
        guard let document else { return .unparsable(reason: "no policyDocument") }
        guard let documentObject = document as? [String: Any] else {
            return .unparsable(reason: "policyDocument is not an object")
        }
        guard let rawStatements = documentObject["Statement"] else {
            return .unparsable(reason: "policyDocument has no Statement")
        }
        let statementObjects: [[String: Any]]
        if let single = rawStatements as? [String: Any] {
            statementObjects = [single]
        } else if let list = rawStatements as? [Any] {
            var objects: [[String: Any]] = []
            for (index, item) in list.enumerated() {
                guard let object = item as? [String: Any] else {
                    return .unparsable(reason: "Statement \(index + 1) is not an object")
                }
                objects.append(object)
            }
            statementObjects = objects
        } else {
            return .unparsable(reason: "Statement is neither an object nor an array")
        }

        var statements: [PolicyStatement] = []
        for (index, object) in statementObjects.enumerated() {
            switch statement(from: object) {
            case .success(let statement): statements.append(statement)
            case .failure(let problem): return .unparsable(reason: "Statement \(index + 1): \(problem.text)")
            }
        }

        var policy = AuthorizerPolicy(statements: statements)
        policy.principalId = scalarText(member(top, "principalId"))
        policy.version = documentObject["Version"] as? String
        if let context = member(top, "context") as? [String: Any] {
            policy.contextKeys = context.keys.sorted()
            policy.contextHasNestedValues = context.values.contains { $0 is [String: Any] || $0 is [Any] }
        }
        if let key = member(top, "usageIdentifierKey"), !(key is NSNull) { policy.hasUsageIdentifierKey = true }
        return .policy(policy)
    }

    private struct Problem: Error { var text: String }

    // MARK: The same reading on `PolicyJSON` values (each step mirrors the one on Foundation values above)

    private static func interpret(_ top: PolicyJSONObject) throws(PolicyJSONUnsure) -> AuthorizerPolicyParse {
        let document = try member(top, "policyDocument")
        if document == nil, top["errorType"] != nil || top["errorMessage"] != nil {
            return .lambdaError(errorType: stringValue(top["errorType"]), errorMessage: stringValue(top["errorMessage"]))
        }
        guard let document else { return .unparsable(reason: "no policyDocument") }
        guard case .object(let documentObject) = document else {
            return .unparsable(reason: "policyDocument is not an object")
        }
        guard let rawStatements = documentObject["Statement"] else {
            return .unparsable(reason: "policyDocument has no Statement")
        }
        var statementObjects: [PolicyJSONObject] = []
        switch rawStatements {
        case .object(let single):
            statementObjects = [single]
        case .array(let list):
            for (index, item) in list.enumerated() {
                guard case .object(let object) = item else {
                    return .unparsable(reason: "Statement \(index + 1) is not an object")
                }
                statementObjects.append(object)
            }
        default:
            return .unparsable(reason: "Statement is neither an object nor an array")
        }

        var statements: [PolicyStatement] = []
        statements.reserveCapacity(statementObjects.count)
        for (index, object) in statementObjects.enumerated() {
            switch statement(from: object) {
            case .success(let statement): statements.append(statement)
            case .failure(let problem): return .unparsable(reason: "Statement \(index + 1): \(problem.text)")
            }
        }

        var policy = AuthorizerPolicy(statements: statements)
        switch try member(top, "principalId") {
        case .string(let text)?: policy.principalId = text
        case .number?, .bool?: throw PolicyJSONUnsure()   // NSNumber's own spelling: left to Foundation
        default: policy.principalId = nil
        }
        policy.version = stringValue(documentObject["Version"])
        if case .object(let context)? = try member(top, "context") {
            policy.contextKeys = context.members.map(\.key).sorted()
            policy.contextHasNestedValues = context.members.contains {
                switch $0.value {
                case .object, .array: return true
                default: return false
                }
            }
        }
        if let key = try member(top, "usageIdentifierKey") {
            if case .null = key {} else { policy.hasUsageIdentifierKey = true }
        }
        return .policy(policy)
    }

    /// The checks both readings (bytes and Foundation) apply to a statement's parts.
    private static func statement(
        effect: PolicyEffect, actions: [String]?, notActions: [String]?, resources: [String]?, notResources: [String]?,
        actionKeyPresent: Bool, resourceKeyPresent: Bool, hasCondition: Bool
    ) -> Result<PolicyStatement, Problem> {
        switch (actions, notActions) {
        case (.some, .some): return .failure(Problem(text: "both Action and NotAction"))
        case (nil, nil):
            return .failure(Problem(text: actionKeyPresent ? "Action is not a string or a list of strings" : "no Action"))
        default: break
        }
        switch (resources, notResources) {
        case (.some, .some): return .failure(Problem(text: "both Resource and NotResource"))
        case (nil, nil):
            return .failure(Problem(text: resourceKeyPresent ? "Resource is not a string or a list of strings" : "no Resource"))
        default: break
        }
        return .success(
            PolicyStatement(
                effect: effect, actions: actions ?? [], notActions: notActions, resources: resources ?? [],
                notResources: notResources, hasCondition: hasCondition))
    }

    private static func statement(from object: PolicyJSONObject) -> Result<PolicyStatement, Problem> {
        guard let effectValue = object["Effect"] else { return .failure(Problem(text: "no Effect")) }
        guard let effectName = stringValue(effectValue), let effect = PolicyEffect(rawValue: effectName) else {
            return .failure(Problem(text: "Effect is neither Allow nor Deny"))
        }
        let actions = stringList(object["Action"])
        let notActions = stringList(object["NotAction"])
        let resources = stringList(object["Resource"])
        let notResources = stringList(object["NotResource"])
        return statement(
            effect: effect, actions: actions, notActions: notActions, resources: resources, notResources: notResources,
            actionKeyPresent: object["Action"] != nil || object["NotAction"] != nil,
            resourceKeyPresent: object["Resource"] != nil || object["NotResource"] != nil,
            hasCondition: object["Condition"] != nil)
    }

    /// `member` on a `PolicyJSONObject`; unsure when the name is absent but several keys match it in another case
    /// (Foundation's dictionary order would pick one of them).
    private static func member(_ object: PolicyJSONObject, _ name: String) throws(PolicyJSONUnsure) -> PolicyJSONValue? {
        if let value = object[name] { return value }
        let lowered = name.lowercased()
        var found: PolicyJSONValue?
        for member in object.members where member.key.count == lowered.count && member.key.lowercased() == lowered {
            guard found == nil else { throw PolicyJSONUnsure() }
            found = member.value
        }
        return found
    }

    private static func stringValue(_ value: PolicyJSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private static func stringList(_ value: PolicyJSONValue?) -> [String]? {
        switch value {
        case .string(let single)?: return [single]
        case .array(let list)?:
            var strings: [String] = []
            strings.reserveCapacity(list.count)
            for item in list {
                guard case .string(let string) = item else { return nil }
                strings.append(string)
            }
            return strings
        default: return nil
        }
    }

    private static func statement(from object: [String: Any]) -> Result<PolicyStatement, Problem> {
        guard let effectText = object["Effect"] else { return .failure(Problem(text: "no Effect")) }
        guard let effectName = effectText as? String, let effect = PolicyEffect(rawValue: effectName) else {
            return .failure(Problem(text: "Effect is neither Allow nor Deny"))
        }
        let actions = stringList(object["Action"])
        let notActions = stringList(object["NotAction"])
        let resources = stringList(object["Resource"])
        let notResources = stringList(object["NotResource"])
        return statement(
            effect: effect, actions: actions, notActions: notActions, resources: resources, notResources: notResources,
            actionKeyPresent: object["Action"] != nil || object["NotAction"] != nil,
            resourceKeyPresent: object["Resource"] != nil || object["NotResource"] != nil,
            hasCondition: object["Condition"] != nil)
    }

    /// A top-level member of the authorizer output; API Gateway's own names first, any capitalisation second.
    private static func member(_ object: [String: Any], _ name: String) -> Any? {
        if let value = object[name] { return value }
        let lowered = name.lowercased()
        return object.first { $0.key.lowercased() == lowered }?.value
    }

    /// IAM allows a single string or an array of strings.
    private static func stringList(_ value: Any?) -> [String]? {
        if let single = value as? String { return [single] }
        guard let list = value as? [Any] else { return nil }
        var strings: [String] = []
        for item in list {
            guard let string = item as? String else { return nil }
            strings.append(string)
        }
        return strings
    }

    private static func scalarText(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}

/// Structural checks on JSON text that JSONSerialization refused.
enum JSONShape {
    /// True when the text is a well-formed beginning of a JSON object or array that stops before its end
    /// (open string or unclosed brackets, and no mismatched bracket on the way).
    static func endsEarly(_ bytes: [UInt8]) -> Bool {
        var openers: [UInt8] = []
        var inString = false
        var escaped = false
        var sawOpener = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                openers.append(byte)
                sawOpener = true
            case UInt8(ascii: "}"):
                guard openers.popLast() == UInt8(ascii: "{") else { return false }
            case UInt8(ascii: "]"):
                guard openers.popLast() == UInt8(ascii: "[") else { return false }
            default:
                break
            }
        }
        return sawOpener && (inString || !openers.isEmpty)
    }
}

/// Reads the complete leading members of a JSON object whose text was cut: each member's key and, for string
/// values, the decoded string. Stops at the first member it cannot finish.
struct LenientObjectPrefix {
    struct Member {
        var key: String
        var value: String?
    }

    private(set) var members: [Member] = []
    /// The first key, even when its value was cut.
    private(set) var firstKey: String?

    func string(for key: String) -> String? { members.first { $0.key == key }?.value }

    init(_ bytes: [UInt8]) {
        var index = 0
        func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
                || bytes[index] == 0x0D
            {
                index += 1
            }
        }
        /// Returns the end (exclusive) of the string literal starting at `start`, or nil if it never closes.
        func stringEnd(from start: Int) -> Int? {
            var position = start + 1
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "\\") {
                    position += 2
                    continue
                }
                if bytes[position] == UInt8(ascii: "\"") { return position + 1 }
                position += 1
            }
            return nil
        }
        func decode(_ start: Int, _ end: Int) -> String? {
            let literal = Data(bytes[start..<end])
            return (try? JSONSerialization.jsonObject(with: literal, options: [.fragmentsAllowed])) as? String
        }

        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return }
        index += 1
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let keyEnd = stringEnd(from: index),
                let key = decode(index, keyEnd)
            else { return }
            if firstKey == nil { firstKey = key }
            index = keyEnd
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return }
            index += 1
            skipSpace()
            guard index < bytes.count else { return }
            var value: String?
            if bytes[index] == UInt8(ascii: "\"") {
                guard let end = stringEnd(from: index), let text = decode(index, end) else { return }
                value = text
                index = end
            } else {
                // Skip a number, literal, object or array, minding nested strings and brackets.
                var depth = 0
                var finished = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        guard let end = stringEnd(from: index) else { return }
                        index = end
                        continue
                    }
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        if depth == 0 {
                            finished = true
                            break
                        }
                        depth -= 1
                    } else if byte == UInt8(ascii: ","), depth == 0 {
                        finished = true
                        break
                    }
                    index += 1
                }
                guard finished else { return }
            }
            members.append(Member(key: key, value: value))
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return }
            index += 1
        }
    }
}

extension AuthorizerPolicy {
    /// The top-level `principalId` of a complete, single-line authorizer result read without a JSON parse, when the
    /// text holds exactly one `"principalId"` string without escapes; nil otherwise (then use `parse`).
    public static func quickPrincipalId(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { quickPrincipalId(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// `quickPrincipalId` on the bytes of a logged result body.
    static func quickPrincipalId(bytes: UnsafeRawBufferPointer) -> String? {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        guard end > 2, bytes[0] == 0x7B, bytes[end - 1] == 0x7D else { return nil }
        let key: StaticString = "\"principalId\""
        let keyCount = key.utf8CodeUnitCount
        var found: Range<Int>?
        var i = 0
        while i + keyCount <= end {
            if bytes[i] == 0x22, bytes[i + 1] == 0x70, memcmp(bytes.baseAddress! + i, key.utf8Start, keyCount) == 0 {
                guard found == nil else { return nil }
                var j = i + keyCount
                while j < end, bytes[j] == 0x20 { j += 1 }
                guard j < end, bytes[j] == 0x3A else { return nil }
                j += 1
                while j < end, bytes[j] == 0x20 { j += 1 }
                guard j < end, bytes[j] == 0x22 else { return nil }
                let start = j + 1
                var k = start
                while k < end, bytes[k] != 0x22 {
                    if bytes[k] == 0x5C { return nil }
                    k += 1
                }
                guard k < end else { return nil }
                found = start..<k
                i = k
            }
            i += 1
        }
        return found.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }
}
