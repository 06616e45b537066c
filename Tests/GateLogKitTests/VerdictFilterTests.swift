import Testing
@testable import GateLogKit

/// A verdict with the fields the filters look at.
func filterVerdict(
    id: String = "9cef3834-f42c-46d7-83fe-a6401a431398", apiId: String? = "k7x2mq9zt1", stage: String? = "prod",
    route: String? = "GET /pets/{petId}", principal: String? = nil, cause: Cause = .ok, outcome: Outcome = .allowed,
    start: Int64? = nil, end: Int64? = nil
) -> Verdict {
    Verdict(requestId: id, extendedRequestId: nil, apiId: apiId, stage: stage, httpMethod: "GET", resource: nil, path: nil,
            route: route, status: nil, outcome: outcome, layer: .none, cause: cause, principal: principal, authorizerId: nil,
            apiKey: nil, startTime: start, endTime: end, integrationLatencyMs: nil, evidence: [], hint: "")
}

@Suite struct VerdictFilterTests {
    // 2026-11-20T09:00:00Z and neighbours (computed with python).
    let nine: Int64 = 1_795_165_200_000
    let midnight: Int64 = 1_795_132_800_000

    @Test func emptyFilterMatchesEverything() {
        let filter = VerdictFilter()
        #expect(filter.isEmpty)
        #expect(filter.matches(filterVerdict()))
        #expect(filter.matches(filterVerdict(apiId: nil, stage: nil, route: nil)))
        #expect(filter.descriptions.isEmpty)
    }

    @Test func timeWindowIsHalfOpenAndUsesStartThenEnd() {
        var filter = VerdictFilter()
        filter.since = nine
        filter.until = nine + 60_000
        #expect(!filter.isEmpty)
        #expect(filter.matches(filterVerdict(start: nine)))
        #expect(filter.matches(filterVerdict(start: nine + 59_999)))
        #expect(!filter.matches(filterVerdict(start: nine + 60_000)))
        #expect(!filter.matches(filterVerdict(start: nine - 1)))
        // Only an end time (an access record alone may give that): it is used.
        #expect(filter.matches(filterVerdict(end: nine + 10)))
        // No time at all: cannot be inside a window.
        #expect(!filter.matches(filterVerdict()))
        #expect(filter.descriptions == ["since=2026-11-20T09:00:00.000Z", "until=2026-11-20T09:01:00.000Z"])
    }

    @Test func apiStageAndAlternatives() {
        var filter = VerdictFilter()
        filter.apis = ["k7x2mq9zt1", "uwe3g5jm54"]
        #expect(filter.matches(filterVerdict(apiId: "uwe3g5jm54")))
        #expect(!filter.matches(filterVerdict(apiId: "h733q2j6gb")))
        #expect(!filter.matches(filterVerdict(apiId: nil)))
        filter.stages = ["Prod"]
        #expect(!filter.matches(filterVerdict(stage: "prod")))  // stage names are case-sensitive
        #expect(filter.matches(filterVerdict(apiId: "uwe3g5jm54", stage: "Prod")))
    }

    @Test func routeMatchesWithAnyVerbCaseOrAsRouteKey() {
        var filter = VerdictFilter()
        filter.routes = ["get  /pets/{petId}"]
        #expect(filter.matches(filterVerdict(route: "GET /pets/{petId}")))
        #expect(!filter.matches(filterVerdict(route: "DELETE /pets/{petId}")))
        #expect(!filter.matches(filterVerdict(route: "GET /pets/{PetId}")))  // paths are case-sensitive
        #expect(!filter.matches(filterVerdict(route: nil)))
        filter.routes = ["k7x2mq9zt1/prod GET /pets/{petId}"]
        #expect(filter.matches(filterVerdict(route: "GET /pets/{petId}")))
        #expect(!filter.matches(filterVerdict(stage: "dev", route: "GET /pets/{petId}")))
    }

    @Test func principalCauseAndOutcome() {
        var filter = VerdictFilter()
        filter.principals = ["usr_bob_19d7e3"]
        #expect(filter.matches(filterVerdict(principal: "usr_bob_19d7e3")))
        #expect(!filter.matches(filterVerdict(principal: "anonymous")))
        #expect(!filter.matches(filterVerdict(principal: nil)))

        filter = VerdictFilter()
        filter.causes = [.authorizerImplicitDeny, .authorizerCachedPolicyMismatch]
        #expect(filter.matches(filterVerdict(cause: .authorizerCachedPolicyMismatch, outcome: .denied)))
        #expect(!filter.matches(filterVerdict(cause: .resourcePolicyDeny, outcome: .denied)))
        filter.outcomes = [.throttled]
        #expect(!filter.matches(filterVerdict(cause: .authorizerImplicitDeny, outcome: .denied)))  // every filter must hold
        #expect(filter.descriptions == ["cause=authorizer_implicit_deny", "cause=authorizer_cached_policy_mismatch", "outcome=throttled"])
    }

    @Test(arguments: [
        ("90s", Int64(90_000)), ("30m", 1_800_000), ("24h", 86_400_000), ("7d", 604_800_000), ("2w", 1_209_600_000), ("0h", 0),
    ])
    func relativeTimesCountBackFromNow(_ text: String, _ before: Int64) {
        #expect(VerdictFilter.parseTime(text, now: nine) == nine - before)
    }

    @Test func absoluteTimes() {
        #expect(VerdictFilter.parseTime("2026-11-20T09:00:00Z", now: 0) == nine)
        #expect(VerdictFilter.parseTime("2026-11-20T10:00:00+01:00", now: 0) == nine)
        #expect(VerdictFilter.parseTime("2026-11-20T09:00:00.000Z", now: 0) == nine)
        #expect(VerdictFilter.parseTime("2026-11-20", now: 0) == midnight)
    }

    @Test(arguments: ["yesterday", "24", "h", "-5h", "5y", "2026-11-20T09:00Z junk", "2026-11", ""])
    func rejectsOtherTimes(_ text: String) {
        #expect(VerdictFilter.parseTime(text, now: 1_795_165_200_000) == nil)
    }
}
