import Foundation
import Testing
@testable import GateLogKit

@Suite struct PolicyEvaluatorTests {
    static let prefix = "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development"

    private static func policy(_ text: String) -> AuthorizerPolicy {
        guard case .policy(let policy) = AuthorizerPolicy.parse(text) else { fatalError("sample is not a policy: \(text)") }
        return policy
    }

    private static func allow(_ resources: [String], actions: [String] = ["execute-api:Invoke"]) -> PolicyStatement {
        PolicyStatement(effect: .allow, actions: actions, resources: resources)
    }

    private static func deny(_ resources: [String], actions: [String] = ["execute-api:Invoke"]) -> PolicyStatement {
        PolicyStatement(effect: .deny, actions: actions, resources: resources)
    }

    /// What a table row expects: the verdict, and for allow/deny the deciding statement (from 0) and pattern.
    enum Expect: Sendable, Equatable {
        case allow(Int, String)
        case explicitDeny(Int, String)
        case implicitDeny([String])
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var statements: [PolicyStatement]
        var methodArn: String
        var expected: Expect
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        // log-formats.md §9.2: the SpaceFinder policy.
        Row(
            name: "SpaceFinder: DELETE one location hits the Deny",
            statements: policy(PolicySamples.spaceFinder).statements,
            methodArn: "\(prefix)/DELETE/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2",
            expected: .explicitDeny(1, "\(prefix)/DELETE/locations/*")),
        Row(
            name: "SpaceFinder: POST the collection hits the exact Deny",
            statements: policy(PolicySamples.spaceFinder).statements, methodArn: "\(prefix)/POST/locations",
            expected: .explicitDeny(1, "\(prefix)/POST/locations")),
        Row(
            name: "SpaceFinder: GET locations is allowed",
            statements: policy(PolicySamples.spaceFinder).statements, methodArn: "\(prefix)/GET/locations",
            expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "SpaceFinder: GET a nested path is allowed (* spans /)",
            statements: policy(PolicySamples.spaceFinder).statements,
            methodArn: "\(prefix)/GET/locations/42/resources/7/bookings",
            expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "SpaceFinder: another stage is not covered",
            statements: policy(PolicySamples.spaceFinder).statements,
            methodArn: "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/prod/GET/locations",
            expected: .implicitDeny(["\(prefix)/*/*"])),
        // §9.3: the policy names one exact method.
        Row(
            name: "single-method policy: DELETE is implicitly denied",
            statements: policy(PolicySamples.singleMethod).statements,
            methodArn: "\(prefix)/DELETE/locations/03cb41b0-32d3-11e7-a1c8-7994ba5037c2",
            expected: .implicitDeny(["\(prefix)/GET/locations"])),
        Row(
            name: "single-method policy: the exact method is allowed",
            statements: policy(PolicySamples.singleMethod).statements, methodArn: "\(prefix)/GET/locations",
            expected: .allow(0, "\(prefix)/GET/locations")),
        Row(
            name: "single-method policy: a child path is not covered",
            statements: policy(PolicySamples.singleMethod).statements, methodArn: "\(prefix)/GET/locations/1",
            expected: .implicitDeny(["\(prefix)/GET/locations"])),
        // Wildcards.
        Row(
            name: "verb wildcard spans nested paths", statements: [allow(["\(prefix)/*"])],
            methodArn: "\(prefix)/PATCH/a/b/c", expected: .allow(0, "\(prefix)/*")),
        Row(
            name: "GET/* does not cover POST", statements: [allow(["\(prefix)/GET/*"])],
            methodArn: "\(prefix)/POST/pets", expected: .implicitDeny(["\(prefix)/GET/*"])),
        Row(
            name: "? matches exactly one character", statements: [allow(["\(prefix)/GET/pets/?"])],
            methodArn: "\(prefix)/GET/pets/7", expected: .allow(0, "\(prefix)/GET/pets/?")),
        Row(
            name: "? does not match two characters", statements: [allow(["\(prefix)/GET/pets/?"])],
            methodArn: "\(prefix)/GET/pets/42", expected: .implicitDeny(["\(prefix)/GET/pets/?"])),
        Row(
            name: "? does not match nothing", statements: [allow(["\(prefix)/GET/pets?"])],
            methodArn: "\(prefix)/GET/pets", expected: .implicitDeny(["\(prefix)/GET/pets?"])),
        Row(
            name: "several * in region, account and path",
            statements: [allow(["arn:aws:execute-api:*:*:qyt4c7jmsd/*/GET/pets/*/toys/*"])],
            methodArn: "\(prefix)/GET/pets/1/toys/2/3",
            expected: .allow(0, "arn:aws:execute-api:*:*:qyt4c7jmsd/*/GET/pets/*/toys/*")),
        Row(
            name: "several * needing the later toys segment",
            statements: [allow(["arn:aws:execute-api:*:*:qyt4c7jmsd/*/GET/pets/*/toys/*"])],
            methodArn: "\(prefix)/GET/pets/1/food/2",
            expected: .implicitDeny(["arn:aws:execute-api:*:*:qyt4c7jmsd/*/GET/pets/*/toys/*"])),
        Row(
            name: "bare * resource", statements: [allow(["*"])], methodArn: "\(prefix)/GET/",
            expected: .allow(0, "*")),
        // Root path.
        Row(
            name: "root ARN ends with a slash and matches the exact root pattern",
            statements: [allow(["arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/"])],
            methodArn: "arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/",
            expected: .allow(0, "arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/")),
        Row(
            name: "root ARN is covered by GET/*",
            statements: [allow(["arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/*"])],
            methodArn: "arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/",
            expected: .allow(0, "arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/*")),
        Row(
            name: "pattern without the trailing slash does not cover root",
            statements: [allow(["arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET"])],
            methodArn: "arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET/",
            expected: .implicitDeny(["arn:aws:execute-api:us-west-2:123456782543:vd2gh6uqw3/api/GET"])),
        // Case sensitivity of resources.
        Row(
            name: "resource matching is case-sensitive (get vs GET)", statements: [allow(["\(prefix)/get/*"])],
            methodArn: "\(prefix)/GET/locations", expected: .implicitDeny(["\(prefix)/get/*"])),
        Row(
            name: "path case matters", statements: [allow(["\(prefix)/GET/Locations"])],
            methodArn: "\(prefix)/GET/locations", expected: .implicitDeny(["\(prefix)/GET/Locations"])),
        // Actions.
        Row(
            name: "Action *", statements: [allow(["\(prefix)/*/*"], actions: ["*"])],
            methodArn: "\(prefix)/GET/locations", expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "Action execute-api:*", statements: [allow(["\(prefix)/*/*"], actions: ["execute-api:*"])],
            methodArn: "\(prefix)/GET/locations", expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "Action with wildcard execute-api:In*", statements: [allow(["\(prefix)/*/*"], actions: ["execute-api:In*"])],
            methodArn: "\(prefix)/GET/locations", expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "Action names ignore case", statements: [allow(["\(prefix)/*/*"], actions: ["Execute-API:invoke"])],
            methodArn: "\(prefix)/GET/locations", expected: .allow(0, "\(prefix)/*/*")),
        Row(
            name: "Action of another service does not apply",
            statements: [allow(["\(prefix)/*/*"], actions: ["s3:GetObject"])], methodArn: "\(prefix)/GET/locations",
            expected: .implicitDeny(["\(prefix)/*/*"])),
        Row(
            name: "execute-api:ManageConnections does not cover Invoke",
            statements: [allow(["\(prefix)/*/*"], actions: ["execute-api:ManageConnections"])],
            methodArn: "\(prefix)/GET/locations", expected: .implicitDeny(["\(prefix)/*/*"])),
        Row(
            name: "a Deny for another service does not override the Allow",
            statements: [deny(["*"], actions: ["s3:*"]), allow(["\(prefix)/*/*"])],
            methodArn: "\(prefix)/DELETE/locations/1", expected: .allow(1, "\(prefix)/*/*")),
        // Several statements and ordering.
        Row(
            name: "Deny listed before Allow still wins",
            statements: [deny(["\(prefix)/DELETE/*"]), allow(["\(prefix)/*/*"])],
            methodArn: "\(prefix)/DELETE/locations/1", expected: .explicitDeny(0, "\(prefix)/DELETE/*")),
        Row(
            name: "the first matching Allow decides among several",
            statements: [allow(["\(prefix)/POST/*"]), allow(["\(prefix)/GET/x", "\(prefix)/GET/*"]), allow(["*"])],
            methodArn: "\(prefix)/GET/locations", expected: .allow(1, "\(prefix)/GET/*")),
        Row(
            name: "unmatched Allow resources are listed in order",
            statements: [allow(["\(prefix)/GET/a", "\(prefix)/GET/b"]), deny(["\(prefix)/GET/c"]), allow(["\(prefix)/PUT/*"])],
            methodArn: "\(prefix)/GET/c",
            expected: .explicitDeny(1, "\(prefix)/GET/c")),
        Row(
            name: "no Allow matches: every Allow resource is listed",
            statements: [allow(["\(prefix)/GET/a", "\(prefix)/GET/b"]), deny(["\(prefix)/GET/c"]), allow(["\(prefix)/PUT/*"])],
            methodArn: "\(prefix)/GET/d",
            expected: .implicitDeny(["\(prefix)/GET/a", "\(prefix)/GET/b", "\(prefix)/PUT/*"])),
        Row(name: "no statements at all", statements: [], methodArn: "\(prefix)/GET/d", expected: .implicitDeny([])),
    ]

    @Test(arguments: rows)
    func decides(_ row: Row) {
        let decision = PolicyEvaluator.evaluate(AuthorizerPolicy(statements: row.statements), methodArn: row.methodArn)
        switch (decision, row.expected) {
        case (.allow(let match), .allow(let index, let resource)),
            (.explicitDeny(let match), .explicitDeny(let index, let resource)):
            #expect(match.statementIndex == index)
            #expect(match.resource == resource)
            #expect(match.effect == row.statements[index].effect)
        case (.implicitDeny(let detail), .implicitDeny(let resources)):
            #expect(detail.unmatchedAllowResources == resources)
        default:
            Issue.record("expected \(row.expected), got \(decision)")
        }
        #expect(decision.isAllowed == (row.expected.isAllow))
    }

    @Test func explanationNamesStatementAndPattern() {
        let policy = Self.policy(PolicySamples.spaceFinder)
        let deny = PolicyEvaluator.evaluate(policy, methodArn: "\(Self.prefix)/DELETE/locations/03cb41b0")
        #expect(deny.explanation == "statement 2 (Deny) matched \(Self.prefix)/DELETE/locations/*")

        let implicit = PolicyEvaluator.evaluate(
            Self.policy(PolicySamples.singleMethod), methodArn: "\(Self.prefix)/DELETE/locations/1")
        #expect(implicit.explanation == "no statement matched (implicit deny); Allow resources: \(Self.prefix)/GET/locations")

        let otherService = PolicyEvaluator.evaluate(
            AuthorizerPolicy(statements: [Self.allow(["*"], actions: ["s3:GetObject"])]), methodArn: "\(Self.prefix)/GET/")
        guard case .implicitDeny(let detail) = otherService else {
            Issue.record("expected implicit deny, got \(otherService)")
            return
        }
        #expect(detail.allowStatementsForOtherActions == [0])
        #expect(otherService.explanation.hasSuffix("Allow statement(s) 1 do not cover execute-api:Invoke"))
    }

    @Test func acceptsAParsedMethodARN() throws {
        let arn = try #require(MethodARN(parsing: "\(Self.prefix)/GET/locations"))
        #expect(PolicyEvaluator.evaluate(Self.policy(PolicySamples.spaceFinder), method: arn).isAllowed)
        let denied = MethodARN(
            region: "us-east-1", account: "989972760655", apiId: "qyt4c7jmsd", stage: "development", verb: "POST",
            path: "/locations/9")
        guard case .explicitDeny(let match) = PolicyEvaluator.evaluate(Self.policy(PolicySamples.spaceFinder), method: denied)
        else {
            Issue.record("POST /locations/9 should be explicitly denied")
            return
        }
        #expect(match.statementNumber == 2)
        #expect(match.resource == "\(Self.prefix)/POST/locations/*")
    }

    @Test func notResourceAndNotActionStatements() {
        let allowOutsideAdmin = PolicyStatement(
            effect: .allow, actions: ["execute-api:Invoke"], notResources: ["\(Self.prefix)/*/admin/*"])
        let policy = AuthorizerPolicy(statements: [allowOutsideAdmin])
        #expect(PolicyEvaluator.evaluate(policy, methodArn: "\(Self.prefix)/GET/pets").isAllowed)
        #expect(!PolicyEvaluator.evaluate(policy, methodArn: "\(Self.prefix)/GET/admin/users").isAllowed)

        let denyAllButS3 = PolicyStatement(effect: .deny, notActions: ["s3:*"], resources: ["*"])
        let withDeny = AuthorizerPolicy(statements: [allowOutsideAdmin, denyAllButS3])
        guard case .explicitDeny(let match) = PolicyEvaluator.evaluate(withDeny, methodArn: "\(Self.prefix)/GET/pets") else {
            Issue.record("NotAction s3:* covers execute-api:Invoke, so the Deny applies")
            return
        }
        #expect(match.statementIndex == 1)
        let denyOnlyInvokeExcluded = PolicyStatement(effect: .deny, notActions: ["execute-api:*"], resources: ["*"])
        #expect(
            PolicyEvaluator.evaluate(
                AuthorizerPolicy(statements: [allowOutsideAdmin, denyOnlyInvokeExcluded]), methodArn: "\(Self.prefix)/GET/pets"
            ).isAllowed)
    }

    struct Glob: Sendable, CustomTestStringConvertible {
        var pattern: String
        var text: String
        var matches: Bool
        var testDescription: String { "\(pattern) ~ \(text)" }
    }

    static let globs: [Glob] = [
        Glob(pattern: "", text: "", matches: true),
        Glob(pattern: "", text: "a", matches: false),
        Glob(pattern: "*", text: "", matches: true),
        Glob(pattern: "**", text: "a/b", matches: true),
        Glob(pattern: "a*", text: "a", matches: true),
        Glob(pattern: "*a", text: "ba", matches: true),
        Glob(pattern: "*a", text: "ab", matches: false),
        Glob(pattern: "a*b*c", text: "a/x/b/y/c", matches: true),
        Glob(pattern: "a*b*c", text: "a/x/c/y/b", matches: false),
        Glob(pattern: "a*bc", text: "abcbcbc", matches: true),
        Glob(pattern: "*?", text: "", matches: false),
        Glob(pattern: "?*?", text: "ab", matches: true),
        Glob(pattern: "??", text: "é/", matches: true),
        Glob(pattern: "GET/*", text: "get/x", matches: false),
    ]

    @Test(arguments: globs)
    func wildcardMatcher(_ glob: Glob) {
        #expect(WildcardPattern.matches(pattern: glob.pattern, text: glob.text) == glob.matches)
    }

    /// A policy is under the caller's control: a pattern made to force backtracking must not stall the tool.
    @Test(.timeLimit(.minutes(1)))
    func pathologicalPatternFinishesQuickly() {
        let pattern = "arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/"
            + String(repeating: "*a", count: 1_000) + "*b"
        let methodArn = "\(Self.prefix)/GET/" + String(repeating: "a", count: 1_600)
        let policy = AuthorizerPolicy(statements: [Self.allow([pattern])])
        let clock = ContinuousClock()
        var decision: PolicyDecision?
        let elapsed = clock.measure {
            decision = PolicyEvaluator.evaluate(policy, methodArn: methodArn)
        }
        #expect(decision?.isAllowed == false)
        #expect(elapsed < .seconds(2))
        // The same shape with the tail present does match.
        #expect(PolicyEvaluator.evaluate(policy, methodArn: methodArn + "b").isAllowed)
        #expect(
            PolicyEvaluator.evaluate(
                AuthorizerPolicy(statements: [Self.allow(["*a*a*a*b"])]), methodArn: methodArn + "ab"
            ).isAllowed)
    }
}

extension PolicyEvaluatorTests.Expect {
    var isAllow: Bool {
        if case .allow = self { return true }
        return false
    }
}
