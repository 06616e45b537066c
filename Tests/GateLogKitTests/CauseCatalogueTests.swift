import Testing
@testable import GateLogKit

@Suite struct CauseCatalogueTests {
    @Test(arguments: Cause.allCases)
    func everyCauseHasTitleAndHint(_ cause: Cause) {
        #expect(!cause.title.isEmpty)
        #expect(cause.title.count <= 70, "titles stay short")
        #expect(!cause.title.contains("\n"))
        #expect(cause.hint.count >= 60, "a hint is a paragraph, not a word")
        #expect(!cause.hint.contains("\n"), "a hint is one paragraph")
        #expect(CauseCatalogue.entry(for: cause).hint == cause.hint)
    }

    @Test func titlesAreDistinct() {
        #expect(Set(Cause.allCases.map(\.title)).count == Cause.allCases.count)
    }

    @Test func allListsEveryCauseOnceInPipelineOrder() {
        let causes = CauseCatalogue.all.map(\.cause)
        #expect(causes.count == Cause.allCases.count)
        #expect(Set(causes) == Set(Cause.allCases))
        let ranks = CauseCatalogue.all.map { Layer.allCases.firstIndex(of: $0.layer)! }
        #expect(ranks == ranks.sorted())
        #expect(causes.first == .routeNotFound)
        #expect(causes.last == .unknown)
        // Within a layer, the declaration order of Vocabulary.swift is kept.
        let authorizer = causes.filter { $0.layer == .authorizer }
        #expect(authorizer.first == .authorizerIdentityMissing)
        #expect(authorizer.last == .authorizerError)
    }

    struct Reasoning: Sendable, CustomTestStringConvertible {
        var cause: Cause
        var mustMention: [String]
        var testDescription: String { cause.rawValue }
    }

    /// The reasoning DESIGN.md §3 asks every hint to carry.
    static let reasoning: [Reasoning] = [
        Reasoning(cause: .routeNotFound, mustMention: ["Missing Authentication Token", "stage", "verb", "deployed"]),
        Reasoning(cause: .iamUnsignedRequest, mustMention: ["Missing Authentication Token", "SigV4", "AWS_IAM"]),
        Reasoning(cause: .authorizerImplicitDeny, mustMention: ["methodArn", "wildcard", "TTL to 0", "cache"]),
        Reasoning(cause: .authorizerCachedPolicyMismatch, mustMention: ["cached", "first caller", "wildcard", "TTL to 0"]),
        Reasoning(cause: .authorizerExplicitDeny, mustMention: ["Deny", "explicit deny"]),
        Reasoning(cause: .authorizerUnauthorized, mustMention: ["401", "403", "Unauthorized"]),
        Reasoning(cause: .authorizerPolicyUndetermined, mustMention: ["truncated"]),
        Reasoning(cause: .throttled, mustMention: ["429", "not an authorization problem", "quota"]),
        Reasoning(cause: .quotaExceeded, mustMention: ["429", "Limit Exceeded", "usage plan"]),
        Reasoning(cause: .wafBlocked, mustMention: ["WAF logs", "rule", "Forbidden"]),
        Reasoning(cause: .backendError, mustMention: ["integration status", "gateway response type"]),
        Reasoning(cause: .integrationTimeout, mustMention: ["29 seconds", "504"]),
        Reasoning(cause: .integrationPermissionError, mustMention: ["lambda:InvokeFunction", "apigateway.amazonaws.com"]),
        Reasoning(cause: .integrationMalformedResponse, mustMention: ["statusCode", "body", "502"]),
        Reasoning(cause: .apiKeyInvalid, mustMention: ["usage plan", "x-api-key"]),
        Reasoning(cause: .resourcePolicyExplicitDeny, mustMention: ["Deny", "redeployed"]),
        Reasoning(cause: .authorizerError, mustMention: ["500", "{\"message\":null}"]),
    ]

    @Test(arguments: reasoning)
    func hintCarriesTheReasoning(_ row: Reasoning) {
        for phrase in row.mustMention {
            #expect(row.cause.hint.contains(phrase), "hint of \(row.cause.rawValue) should mention \(phrase)")
        }
    }
}
