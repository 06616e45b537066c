import Testing
@testable import GateLogKit

/// Authorizer result bodies as logged in `Authorizer result body before parsing: <text>` (log-formats.md §2.B B7, §9).
enum PolicySamples {
    /// §9.2: the SpaceFinder lab's policy, an Allow on everything and a Deny on changing locations.
    static let spaceFinder = """
        {"principalId":"6527a55d-5498-428b-a997-8213981c70cd","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"]},{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/DELETE/locations/*","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/POST/locations","arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/POST/locations/*"]}]}}
        """
    /// §9.3: a single Allow on one exact method, Statement as an array, Resource as a string.
    static let singleMethod = """
        {"principalId":"user","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations"}]}}
        """
    /// §9.1b with a concrete context (the reference elides it), pretty-spaced as Python's json.dumps writes it.
    static let muxy = """
        {"policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Resource": ["arn:aws:execute-api:us-west-2:919586034543:oo8kadh853/Test/*/*"], "Effect": "Allow"}]}, "context": {"channel_id": "23161357", "role": "viewer", "opaque": 1}, "principalId": "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5"}
        """
    /// §2.B B7: empty principal, Deny on everything of the test-invoke stage `null`.
    static let denyAllNullStage = """
        {"principalId":"","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/null/*/*"]}]}}
        """
    /// §9.5 (a): the authorizer function crashed; its error object was logged and cut.
    static let importModuleError = """
        {"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module '../../scaffold/okta'\\nRequire stack:\\n- /var/task/src/handlers/authorizer.js","trace":["Runtime.ImportModuleError: Error: Cannot find module '../../scaffold/okta'","Require stack:", [TRUNCATED]
        """
}

@Suite struct PolicyParseTests {
    private func policy(_ text: String) throws -> AuthorizerPolicy {
        guard case .policy(let policy) = AuthorizerPolicy.parse(text) else {
            Issue.record("not a policy: \(AuthorizerPolicy.parse(text))")
            throw ParseFailure()
        }
        return policy
    }

    private struct ParseFailure: Error {}

    @Test func readsSpaceFinderPolicy() throws {
        let policy = try policy(PolicySamples.spaceFinder)
        #expect(policy.principalId == "6527a55d-5498-428b-a997-8213981c70cd")
        #expect(policy.version == "2012-10-17")
        #expect(policy.statements.map(\.effect) == [.allow, .deny])
        #expect(policy.statements[0].actions == ["execute-api:Invoke"])
        #expect(policy.statements[0].resources == ["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/*/*"])
        #expect(policy.statements[1].resources.count == 4)
        #expect(policy.statements[1].resources[1].hasSuffix("/development/DELETE/locations/*"))
        #expect(policy.contextKeys.isEmpty)
        #expect(!policy.hasUsageIdentifierKey)
    }

    @Test func readsResourceAsStringAndContextKeys() throws {
        let single = try policy(PolicySamples.singleMethod)
        #expect(single.principalId == "user")
        #expect(single.statements.count == 1)
        #expect(single.statements[0].resources == ["arn:aws:execute-api:us-east-1:989972760655:qyt4c7jmsd/development/GET/locations"])

        let muxy = try policy(PolicySamples.muxy)
        #expect(muxy.principalId == "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5")
        #expect(muxy.contextKeys == ["channel_id", "opaque", "role"])
        #expect(!muxy.contextHasNestedValues)
    }

    @Test func emptyPrincipalIsKeptAsEmpty() throws {
        let policy = try policy(PolicySamples.denyAllNullStage)
        #expect(policy.principalId == "")
        #expect(policy.statements.first?.effect == .deny)
    }

    @Test func statementMayBeASingleObject() throws {
        let text = """
            {"principalId":"abc","policyDocument":{"Version":"2012-10-17","Statement":{"Action":["execute-api:Invoke"],"Effect":"Allow","Resource":"*"}},"usageIdentifierKey":"k3y","context":{"claims":{"sub":"x"}}}
            """
        let policy = try policy(text)
        #expect(policy.statements == [PolicyStatement(effect: .allow, actions: ["execute-api:Invoke"], resources: ["*"])])
        #expect(policy.hasUsageIdentifierKey)
        #expect(policy.contextHasNestedValues)
    }

    @Test func readsNotActionNotResourceAndCondition() throws {
        let text = """
            {"principalId":"p","policyDocument":{"Statement":[{"NotAction":"s3:*","Effect":"Deny","NotResource":["arn:aws:execute-api:*:*:*/prod/GET/*"],"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}}
            """
        let statement = try #require(try policy(text).statements.first)
        #expect(statement.actions.isEmpty)
        #expect(statement.notActions == ["s3:*"])
        #expect(statement.resources.isEmpty)
        #expect(statement.notResources == ["arn:aws:execute-api:*:*:*/prod/GET/*"])
        #expect(statement.hasCondition)
    }

    @Test func toleratesTheLogLinePrefixAndCapitalisedTopLevelNames() throws {
        let line = "Authorizer result body before parsing: " + PolicySamples.singleMethod
        #expect(try policy(line).principalId == "user")
        let capitalised = """
            {"PrincipalId":"u1","PolicyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}]}}
            """
        let policy = try policy(capitalised)
        #expect(policy.principalId == "u1")
        #expect(policy.statements.count == 1)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var expected: AuthorizerPolicyParse
        var testDescription: String { name }
    }

    static let nonPolicies: [Case] = [
        Case(name: "null (§9.5 c)", text: "null", expected: .null),
        Case(name: "null with spaces", text: "  null ", expected: .null),
        Case(
            name: "Lambda error object, truncated (§9.5 a)", text: PolicySamples.importModuleError,
            expected: .lambdaError(
                errorType: "Runtime.ImportModuleError",
                errorMessage:
                    "Error: Cannot find module '../../scaffold/okta'\nRequire stack:\n- /var/task/src/handlers/authorizer.js")),
        Case(
            name: "Lambda error cut inside its first value",
            text: #"{"errorType":"Runtime.Unhandled [TRUNCATED]"#,
            expected: .lambdaError(errorType: nil, errorMessage: nil)),
        Case(
            name: "Python Lambda error object, complete",
            text: #"{"errorMessage": "token expired", "errorType": "Exception", "requestId": "5b1c", "stackTrace": ["  File \"/var/task/app.py\", line 9"]}"#,
            expected: .lambdaError(errorType: "Exception", errorMessage: "token expired")),
        Case(
            name: "policy truncated by API Gateway",
            text: String(PolicySamples.spaceFinder.prefix(300)) + " [TRUNCATED]",
            expected: .truncated(principalId: "6527a55d-5498-428b-a997-8213981c70cd")),
        Case(
            name: "policy truncated before the principal",
            text: String(PolicySamples.muxy.prefix(120)) + " [TRUNCATED]",
            expected: .truncated(principalId: nil)),
        Case(
            name: "policy JSON cut short without a marker",
            text: String(PolicySamples.singleMethod.dropLast(40)),
            expected: .truncated(principalId: "user")),
        Case(name: "not JSON", text: "Allow", expected: .unparsable(reason: "invalid JSON")),
        Case(name: "bad bracket", text: #"{"principalId":"u"]"#, expected: .unparsable(reason: "invalid JSON")),
        Case(name: "a JSON string", text: #""Unauthorized""#, expected: .unparsable(reason: "result is not a JSON object")),
        Case(name: "empty", text: "", expected: .unparsable(reason: "empty result body")),
        Case(name: "no policyDocument", text: #"{"principalId":"u"}"#, expected: .unparsable(reason: "no policyDocument")),
        Case(
            name: "lowercase IAM element names",
            text: #"{"principalId":"u","policyDocument":{"statement":[{"action":"execute-api:Invoke","effect":"Allow","resource":"*"}]}}"#,
            expected: .unparsable(reason: "policyDocument has no Statement")),
        Case(
            name: "lowercase Effect value",
            text: #"{"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"allow","Resource":"*"}]}}"#,
            expected: .unparsable(reason: "Statement 1: Effect is neither Allow nor Deny")),
        Case(
            name: "statement without Resource",
            text: #"{"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow"}]}}"#,
            expected: .unparsable(reason: "Statement 1: no Resource")),
        Case(
            name: "Resource list holding a number",
            text: #"{"principalId":"u","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":["*",1]}]}}"#,
            expected: .unparsable(reason: "Statement 1: Resource is not a string or a list of strings")),
    ]

    @Test(arguments: nonPolicies)
    func classifiesBodiesThatAreNoUsablePolicy(_ sample: Case) {
        #expect(AuthorizerPolicy.parse(sample.text) == sample.expected)
    }
}

@Suite struct QuickPrincipalIdTests {
    @Test(arguments: [
        (#"{"principalId":"user|a1b2c3","policyDocument":{"Statement":[]}}"#, "user|a1b2c3"),
        (#"{"policyDocument": {"Version": "2012-10-17"}, "principalId": "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5"}"#,
         "UkoTIwQiZZsx03SlU9t_y|24u62kim5mn0slhwigdt7v4ybkwef5"),
    ])
    func readsTheOnlyPrincipalIdOfACompleteResult(text: String, expected: String) {
        #expect(AuthorizerPolicy.quickPrincipalId(text) == expected)
    }

    @Test(arguments: [
        #"{"principalId":"a","context":{"principalId":"b"}}"#,        // two candidates: leave it to the parser
        #"{"principalId":"esc\"aped"}"#,                               // escapes: leave it to the parser
        #"{"principalId":"user","policyDocument":{"Statement":[ [TRUNCATED]"#,  // cut off
        #"null"#,
    ])
    func defersToTheParserWhenUnsure(text: String) {
        #expect(AuthorizerPolicy.quickPrincipalId(text) == nil)
    }
}

@Suite struct MessageKindBitSetTests {
    @Test func everyKindFitsTheLifecycleBitSet() {
        #expect(MessageKind.allCases.count <= 64)
        #expect(MessageKind.allCases.allSatisfy { $0.rawValue < 64 })
    }
}
