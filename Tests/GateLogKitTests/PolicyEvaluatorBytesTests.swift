import Testing
@testable import GateLogKit

/// Matching ASCII method ARNs on bytes must agree with matching on Unicode scalars, for every pattern.
@Suite struct PolicyEvaluatorBytesTests {
    /// All patterns and texts over a small alphabet (with wildcards, a slash and a non-ASCII letter in patterns).
    @Test func byteMatchingAgreesWithScalarMatching() {
        var generator = SystemRandomNumberGenerator()
        let patternAlphabet: [Character] = ["a", "b", "/", "*", "?", "é", "A"]
        let textAlphabet: [Character] = ["a", "b", "/", "A"]
        var matched = 0
        for _ in 0..<20_000 {
            let pattern = String((0..<Int.random(in: 0...7, using: &generator)).map { _ in patternAlphabet.randomElement(using: &generator)! })
            let text = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in textAlphabet.randomElement(using: &generator)! })
            let expected = WildcardPattern.matches(pattern: Array(pattern.unicodeScalars), text: Array(text.unicodeScalars))
            let bytes = Array(pattern.utf8).withUnsafeBufferPointer { p in
                Array(text.utf8).withUnsafeBufferPointer { t in WildcardPattern.matchesBytes(pattern: p, text: t, lowercasingPattern: false) }
            }
            #expect(bytes == expected, "\(pattern) ~ \(text)")
            if expected { matched += 1 }
        }
        #expect(matched > 100)
    }

    @Test(arguments: [
        ("execute-api:Invoke", true), ("EXECUTE-API:*", true), ("execute-api:?nvoke", true), ("*", true),
        ("execute-api:Invok", false), ("s3:*", false), ("execute-api:İnvoke", false), ("Execute-Api:Invoke*", true),
    ])
    func actionsCompareWithoutCase(pattern: String, covers: Bool) {
        let statement = PolicyStatement(effect: .allow, actions: [pattern], resources: ["*"])
        #expect(PolicyEvaluator.coversInvokeAction(statement) == covers)
        let negated = PolicyStatement(effect: .allow, notActions: [pattern], resources: ["*"])
        #expect(PolicyEvaluator.coversInvokeAction(negated) == !covers)
    }

    @Test func nonASCIIMethodARNsMatchByCharacters() {
        let policy = AuthorizerPolicy(statements: [
            PolicyStatement(effect: .allow, actions: ["execute-api:Invoke"], resources: ["arn:aws:execute-api:eu-west-1:1:a/prod/GET/caf?"]),
        ])
        #expect(PolicyEvaluator.evaluate(policy, methodArn: "arn:aws:execute-api:eu-west-1:1:a/prod/GET/café").isAllowed)
        #expect(!PolicyEvaluator.evaluate(policy, methodArn: "arn:aws:execute-api:eu-west-1:1:a/prod/GET/cafés").isAllowed)
        #expect(PolicyEvaluator.evaluate(policy, methodArn: "arn:aws:execute-api:eu-west-1:1:a/prod/GET/cafe").isAllowed)
    }
}
