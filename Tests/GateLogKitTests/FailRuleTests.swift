import Testing
@testable import GateLogKit

@Suite struct FailRuleTests {
    /// 8 requests: 4 allowed, 2 denied (one implicit deny, one cached mismatch), 2 gateway errors (one authorizer error).
    private func report() -> Report {
        var report = Report(toolVersion: "test")
        let verdicts: [(Cause, Outcome)] = [
            (.ok, .allowed), (.ok, .allowed), (.ok, .allowed), (.ok, .allowed),
            (.authorizerImplicitDeny, .denied), (.authorizerCachedPolicyMismatch, .denied),
            (.authorizerError, .gatewayError), (.integrationTimeout, .gatewayError),
        ]
        for (n, (cause, outcome)) in verdicts.enumerated() {
            report.add(filterVerdict(id: fakeRequestId(n), cause: cause, outcome: outcome, start: 1_795_165_200_000 + Int64(n)))
        }
        return report
    }

    @Test func parsesEveryForm() throws {
        let denied = try FailRule.parse("denied>100")
        #expect(denied.subject == .outcome(.denied))
        #expect(denied.comparison == .greater)
        #expect(denied.threshold == 100)
        #expect(!denied.isPercentage)
        #expect(denied.spec == "denied>100")

        let cause = try FailRule.parse("cause:authorizer_error>0")
        #expect(cause.subject == .cause(.authorizerError))

        let percent = try FailRule.parse("outcome:gateway_error>1%")
        #expect(percent.subject == .outcome(.gatewayError))
        #expect(percent.isPercentage)
        #expect(percent.threshold == 1)

        let spaced = try FailRule.parse(" denied >= 2.5 % ")
        #expect(spaced.comparison == .greaterOrEqual)
        #expect(spaced.threshold == 2.5)
        #expect(spaced.isPercentage)

        #expect(try FailRule.parse("requests<10").subject == .requests)
        #expect(try FailRule.parse("requests<10").comparison == .less)
        #expect(try FailRule.parse("requests<=10").comparison == .lessOrEqual)
        // A bare cause name works when it is not also an outcome.
        #expect(try FailRule.parse("authorizer_cached_policy_mismatch>0").subject == .cause(.authorizerCachedPolicyMismatch))
        // `throttled` is both an outcome and a cause: bare means the outcome, the prefix picks the cause.
        #expect(try FailRule.parse("throttled>5").subject == .outcome(.throttled))
        #expect(try FailRule.parse("cause:throttled>5").subject == .cause(.throttled))
    }

    @Test(arguments: [
        ("denied", "needs a comparison"),
        ("denied=5", "needs a comparison"),
        ("denied>lots", "is not a number"),
        ("denied>-1", "is not a number"),
        ("denied>%", "is not a number"),
        ("cause:authoriser_error>0", "unknown cause 'authoriser_error'"),
        ("outcome:failed>0", "unknown outcome 'failed'"),
        ("errors>0", "neither an outcome nor a cause"),
    ])
    func rejectsBadSpecsWithAClearMessage(_ spec: String, _ message: String) {
        do {
            _ = try FailRule.parse(spec)
            Issue.record("\(spec) parsed")
        } catch let error as FailRule.ParseError {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.contains(spec))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func parseAllStopsAtTheFirstBadSpec() {
        #expect(throws: FailRule.ParseError.self) { try FailRule.parseAll(["denied>1", "nope>1"]) }
        #expect((try? FailRule.parseAll(["denied>1", "cause:authorizer_error>0"]))?.count == 2)
    }

    @Test func countsAndPercentagesOfTheReport() throws {
        let report = report()
        #expect(try FailRule.parse("denied>1").value(in: report) == 2)
        #expect(try FailRule.parse("denied>1").isCrossed(by: report))
        #expect(try !FailRule.parse("denied>2").isCrossed(by: report))
        #expect(try FailRule.parse("denied>=2").isCrossed(by: report))
        #expect(try FailRule.parse("cause:authorizer_error>0").isCrossed(by: report))
        #expect(try !FailRule.parse("cause:integration_throttled>0").isCrossed(by: report))
        #expect(try FailRule.parse("outcome:gateway_error>20%").value(in: report) == 25)
        #expect(try FailRule.parse("outcome:gateway_error>20%").isCrossed(by: report))
        #expect(try !FailRule.parse("outcome:gateway_error>25%").isCrossed(by: report))
        #expect(try FailRule.parse("outcome:gateway_error>=25%").isCrossed(by: report))
        #expect(try FailRule.parse("requests<10").isCrossed(by: report))
        #expect(try !FailRule.parse("requests<=7").isCrossed(by: report))
        #expect(try FailRule.parse("requests<=8").isCrossed(by: report))
    }

    @Test func percentageOfAnEmptyReportIsZero() throws {
        let empty = Report(toolVersion: "test")
        #expect(try FailRule.parse("denied>0%").value(in: empty) == 0)
        #expect(try !FailRule.parse("denied>0%").isCrossed(by: empty))
        #expect(try FailRule.parse("requests<1").isCrossed(by: empty))
    }

    @Test func firstCrossedNamesTheRuleAndTheValue() throws {
        let report = report()
        let rules = try FailRule.parseAll(["denied>5", "outcome:gateway_error>10%", "cause:authorizer_error>0"])
        let crossed = try #require(FailRule.firstCrossed(rules, in: report))
        #expect(crossed.spec == "outcome:gateway_error>10%")
        #expect(crossed.explanation == "outcome:gateway_error is 25% of 8 requests (threshold >10%)")
        let count = try #require(FailRule.firstCrossed(try FailRule.parseAll(["cause:authorizer_error>0"]), in: report))
        #expect(count.explanation == "cause:authorizer_error is 1 of 8 requests (threshold >0)")
        #expect(FailRule.firstCrossed(try FailRule.parseAll(["denied>5"]), in: report) == nil)
    }
}
