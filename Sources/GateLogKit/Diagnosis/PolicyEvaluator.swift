/// Which statement of a policy decided a request, and through which resource pattern.
public struct PolicyStatementMatch: Sendable, Hashable {
    /// Position of the statement in the policy, counting from 0.
    public var statementIndex: Int
    public var effect: PolicyEffect
    /// The `Resource` pattern that matched the method ARN; for a `NotResource` statement, nil (see `notResources`).
    public var resource: String?
    /// The `NotResource` list the method ARN stayed outside of, when the statement used `NotResource`.
    public var notResources: [String]?

    /// Position counting from 1, as people read a policy.
    public var statementNumber: Int { statementIndex + 1 }
}

/// Why no statement applied to a request (IAM implicit deny).
public struct PolicyImplicitDeny: Sendable, Hashable {
    /// The `Resource` patterns of every `Allow` statement, none of which covered this request, in policy order.
    public var unmatchedAllowResources: [String]
    /// `Allow` statements (indexes from 0) whose actions do not cover `execute-api:Invoke` at all.
    public var allowStatementsForOtherActions: [Int]
}

/// The result of evaluating an authorizer policy against one method ARN (log-formats.md §4.3).
public enum PolicyDecision: Sendable, Hashable {
    case allow(PolicyStatementMatch)
    case explicitDeny(PolicyStatementMatch)
    case implicitDeny(PolicyImplicitDeny)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    /// A one-line account of the decision for evidence, e.g.
    /// `statement 2 (Deny) matched arn:aws:execute-api:…/DELETE/locations/*`.
    public var explanation: String {
        switch self {
        case .allow(let match), .explicitDeny(let match):
            let head = "statement \(match.statementNumber) (\(match.effect.rawValue))"
            if let resource = match.resource { return "\(head) matched \(resource)" }
            let excluded = (match.notResources ?? []).joined(separator: ", ")
            return "\(head) applies: the method ARN is outside its NotResource [\(excluded)]"
        case .implicitDeny(let detail):
            var text = "no statement matched (implicit deny)"
            if detail.unmatchedAllowResources.isEmpty {
                text += "; the policy has no Allow resource"
            } else {
                text += "; Allow resources: " + detail.unmatchedAllowResources.joined(separator: ", ")
            }
            if !detail.allowStatementsForOtherActions.isEmpty {
                let numbers = detail.allowStatementsForOtherActions.map { String($0 + 1) }.joined(separator: ", ")
                text += "; Allow statement(s) \(numbers) do not cover execute-api:Invoke"
            }
            return text
        }
    }
}

/// Evaluates Lambda authorizer policies with IAM semantics (DESIGN.md §3 rules, log-formats.md §4.3):
/// a statement applies when its actions cover `execute-api:Invoke` and its resources match the method ARN;
/// any applying Deny wins, else any applying Allow, else the request is implicitly denied.
/// `Condition` blocks are not judged (a statement with one is treated as applying).
public enum PolicyEvaluator {
    /// The action every API Gateway call is authorized as.
    public static let invokeAction = "execute-api:Invoke"

    public static func evaluate(_ policy: AuthorizerPolicy, method: MethodARN) -> PolicyDecision {
        evaluate(policy, methodArn: method.arn)
    }

    public static func evaluate(_ policy: AuthorizerPolicy, methodArn: String) -> PolicyDecision {
        let target = MatchTarget(methodArn)
        var firstAllow: PolicyStatementMatch?
        var unmatchedAllowResources: [String] = []
        var otherActionAllows: [Int] = []

        for (index, statement) in policy.statements.enumerated() {
            let coversInvoke = coversInvokeAction(statement)
            guard coversInvoke, let match = resourceMatch(statement, index: index, target: target) else {
                if statement.effect == .allow {
                    unmatchedAllowResources.append(contentsOf: statement.resources)
                    if !coversInvoke { otherActionAllows.append(index) }
                }
                continue
            }
            switch statement.effect {
            case .deny: return .explicitDeny(match)
            case .allow: if firstAllow == nil { firstAllow = match }
            }
        }
        if let firstAllow { return .allow(firstAllow) }
        return .implicitDeny(
            PolicyImplicitDeny(
                unmatchedAllowResources: unmatchedAllowResources, allowStatementsForOtherActions: otherActionAllows))
    }

    /// Whether a statement's `Action` (or `NotAction`) covers `execute-api:Invoke`. Action names compare
    /// without regard to case, as IAM does.
    public static func coversInvokeAction(_ statement: PolicyStatement) -> Bool {
        func matches(_ pattern: String) -> Bool {
            // An ASCII pattern lowercases byte by byte; any other goes through Unicode lowercasing.
            let quick = pattern.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return invokeActionLowercased.withUTF8Buffer { action in
                    WildcardPattern.matchesBytes(pattern: bytes, text: action, lowercasingPattern: true)
                }
            }
            if let quick = quick ?? nil { return quick }
            let action = Array(invokeAction.lowercased().unicodeScalars)
            return WildcardPattern.matches(pattern: Array(pattern.lowercased().unicodeScalars), text: action)
        }
        if let notActions = statement.notActions { return !notActions.contains(where: matches) }
        return statement.actions.contains(where: matches)
    }

    private static let invokeActionLowercased: StaticString = "execute-api:invoke"

    /// The method ARN to match patterns against: its bytes when it is ASCII (then a pattern's bytes match as its
    /// characters would), else its Unicode scalars.
    private struct MatchTarget {
        let text: String
        let scalars: [Unicode.Scalar]?

        init(_ text: String) {
            self.text = text
            let ascii = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
            scalars = ascii ? nil : Array(text.unicodeScalars)
        }

        func matched(by pattern: String) -> Bool {
            if scalars == nil, let quick = pattern.utf8.withContiguousStorageIfAvailable({ pattern in
                text.utf8.withContiguousStorageIfAvailable { WildcardPattern.matchesBytes(pattern: pattern, text: $0, lowercasingPattern: false) }
            }), let quick {
                return quick
            }
            return WildcardPattern.matches(pattern: Array(pattern.unicodeScalars), text: scalars ?? Array(text.unicodeScalars))
        }
    }

    private static func resourceMatch(
        _ statement: PolicyStatement, index: Int, target: MatchTarget
    ) -> PolicyStatementMatch? {
        if let notResources = statement.notResources {
            let excluded = notResources.contains { target.matched(by: $0) }
            if excluded { return nil }
            return PolicyStatementMatch(
                statementIndex: index, effect: statement.effect, resource: nil, notResources: notResources)
        }
        for resource in statement.resources where target.matched(by: resource) {
            return PolicyStatementMatch(
                statementIndex: index, effect: statement.effect, resource: resource, notResources: nil)
        }
        return nil
    }
}

/// IAM-style wildcard matching: `*` matches any run of characters (including `/` and none at all), `?` exactly
/// one character, everything else itself. Case-sensitive.
public enum WildcardPattern {
    /// Iterative greedy matcher with a single backtrack point (the latest `*`): at most
    /// `pattern.count × text.count` steps, never exponential, whatever the pattern.
    public static func matches(pattern: [Unicode.Scalar], text: [Unicode.Scalar]) -> Bool {
        match(pattern, text, star: "*", any: "?") { $0 == $1 }
    }

    /// `matches` on bytes, for an ASCII text (a pattern byte then stands for itself, `?` for one character);
    /// `lowercasingPattern` folds the pattern's ASCII capitals first.
    static func matchesBytes(pattern: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, lowercasingPattern: Bool) -> Bool {
        match(pattern, text, star: 0x2A, any: 0x3F) { p, t in
            (lowercasingPattern && p >= 0x41 && p <= 0x5A ? p | 0x20 : p) == t
        }
    }

    /// The one matching loop behind both entry points.
    @inline(__always)
    private static func match<C: RandomAccessCollection>(
        _ pattern: C, _ text: C, star: C.Element, any: C.Element, equal: (C.Element, C.Element) -> Bool
    ) -> Bool where C.Index == Int, C.Element: Equatable {
        var p = 0
        var t = 0
        var starAt = -1  // position in `pattern` just after the latest `*`
        var starText = 0  // position in `text` that `*` currently extends to
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                p += 1
                starAt = p
                starText = t
            } else if p < pattern.count, pattern[p] == any || equal(pattern[p], text[t]) {
                p += 1
                t += 1
            } else if starAt >= 0 {
                // Let the latest `*` swallow one more character and retry the rest of the pattern from there.
                starText += 1
                t = starText
                p = starAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    public static func matches(pattern: String, text: String) -> Bool {
        matches(pattern: Array(pattern.unicodeScalars), text: Array(text.unicodeScalars))
    }
}
