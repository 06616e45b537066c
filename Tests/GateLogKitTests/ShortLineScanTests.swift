import Testing
@testable import GateLogKit

/// `ShortLineScan` must read exactly what `Event.parse` reads (or decline, so that `Event.parse` is used).
@Suite struct ShortLineScanTests {
    func scan<R>(_ text: String, _ body: (ShortLineScan) -> R) -> R? {
        var text = text
        return text.withUTF8 { bytes in ShortLineScan(UnsafeRawBufferPointer(bytes)).map(body) }
    }

    @Test(arguments: [
        "Incoming identity: ****...I1BUdE",
        "Incoming identity: ****************************************m4aqmR",
        "Incoming identity: {method.request.header.Hash=********aaaaaa}",
        "Incoming identity: {method.request.header.Hash=********aaaaaa, method.request.querystring.x=*}",
        "Incoming identity: **..abc",
        "Incoming identity:   ****.....xyz   [TRUNCATED]",
        "Incoming identity: ",
    ])
    func incomingIdentity(_ text: String) {
        guard case .incomingIdentity(let expected) = Event.parse(kind: .incomingIdentity, text: text) else {
            Issue.record("not B2: \(text)")
            return
        }
        #expect(scan(text) { $0.incomingIdentity() } == expected.normalized)
    }

    @Test func nonASCIIIsLeftToEventParse() {
        #expect(scan("Incoming identity: ****…I1BUdE") { $0.incomingIdentity() } == nil)
    }

    @Test(arguments: [
        "Using valid authorizer policy for principal: **********************************************bkwef5",
        "Using valid authorizer policy for principal: ",
        "Using valid authorizer policy for principal: **er",
        "Using valid authorizer policy for principal: **user",
        "Using valid authorizer policy for principal: ****...bkwef5",
        "Using valid authorizer policy for principal: *x",
        "Using valid authorizer policy for principal: alice [TRUNCATED]",
    ])
    func policyPrincipal(_ text: String) {
        guard case .authorizerPolicyPrincipal(let expected) = Event.parse(kind: .authorizerPolicyPrincipal, text: text) else {
            Issue.record("not B8: \(text)")
            return
        }
        let read = scan(text) { $0.policyPrincipal() }
        #expect(read == .some(.some(expected)))
    }

    @Test(arguments: [
        "HTTP Method: GET, Resource Path: /all_state",
        "HTTP Method: POST, Resource Path: /api/jazztest/abc",
        "HTTP Method: GET, Resource Path: ",
        "HTTP Method:, Resource Path: /x",
        "  HTTP Method: DELETE, Resource Path: /pets/1 with space   ",
    ])
    func httpMethodResourcePath(_ text: String) {
        guard case .httpMethodResourcePath(let verb, let path) = Event.parse(kind: .httpMethodResourcePath, text: text) else {
            Issue.record("not E2: \(text)")
            return
        }
        let read = scan(text) { $0.httpMethodResourcePath() }
        #expect(read?.verb == verb)
        #expect(read?.path == path)
    }

    @Test(arguments: [
        "Verifying Usage Plan for request: 706499f2-afe6-11e8-b7eb-8d53f824f304. API Key:  API Stage: abc123def45/dev",
        "Verifying Usage Plan for request: 9537d573-87c5-11e6-b3e4-6f23bc206746. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev",
        "Verifying Usage Plan for request: 9537d573. API Key: **********************************ReKPrb API Stage: **********/test_stage",
        "Verifying Usage Plan for request: 515f1e99-39db-11e9-9e96-01e5c04505b9. API Key: API Stage: h733q2j6gb/Prod",
        "Verifying Usage Plan for request: 515f1e99. API Key: ****...abc API Stage: api/",
        "Verifying Usage Plan for request: 515f1e99. API Key: k API Stage: noslash",
        "Verifying Usage Plan for request: 515f1e99. API Key: k",
    ])
    func usagePlanVerifying(_ text: String) {
        guard case .usagePlanVerifying(let expected) = Event.parse(kind: .usagePlanVerifying, text: text) else {
            Issue.record("not D1: \(text)")
            return
        }
        let read = scan(text) { $0.usagePlanVerifying() }
        #expect(read?.apiKey == expected.apiKey)
        #expect(read?.apiId == expected.apiId)
        #expect(read?.stage == expected.stage)
    }

    @Test(arguments: [
        "API Key  authorized because method 'POST /jazztest/abc' does not require API Key. Request will not contribute to throttle or quota limits",
        "API Key  authorized because method 'ANY /{resource+}' does not require API Key. Request will not contribute to throttle or quota limits",
        "API Key **********bMZHBg authorized because method 'GET /' does not require API Key. Request will not contribute to throttle or quota limits",
        "API Key ****...abc authorized because method 'GET /x' requires API Key for API Stage zsuvlqr7nb/prod: reason",
    ])
    func apiKeyNotRequired(_ text: String) {
        guard case .apiKeyNotRequired(let expected) = Event.parse(kind: .apiKeyNotRequired, text: text) else {
            Issue.record("not D2: \(text)")
            return
        }
        let read = scan(text) { $0.methodCheck(verdict: "authorized because method '") }
        #expect(read??.apiKey == expected.apiKey)
        #expect(read??.httpMethod == expected.httpMethod)
        #expect(read??.resource == expected.resource)
        #expect(read??.apiId == expected.apiId)
        #expect(read??.stage == expected.stage)
    }

    @Test func unusualQuotedMethodIsLeftToEventParse() {
        let text = "API Key  authorized because method 'GET  /two spaces' does not require API Key."
        let read = scan(text) { $0.methodCheck(verdict: "authorized because method '") }
        #expect(read != nil)
        #expect(read! == nil)
    }
}

/// The byte path of `AuthorizerPolicyCache.identityTail` against its definition on characters.
@Suite struct IdentityTailTests {
    static func byCharacters(_ value: String) -> String? {
        let visible = value.filter { $0 != "*" && $0 != "." && $0 != "…" }
        return visible.isEmpty ? nil : String(visible.suffix(6))
    }

    @Test(arguments: [
        "****************************************m4aqmR", "********4edt2s", "**er", "****...I1BUdE", "****…I1BUdE",
        "alice", "user-1234567890", "ab.cd.ef.gh", "a*b*c*d*e*f*g", "******", "", "...", "x", "12345*",
        "{method.request.header.Hash=********aaaaaa}", "with space 123456", "é12345", "abcdef\r\n",
    ])
    func sameAsCharacters(_ value: String) {
        #expect(AuthorizerPolicyCache.identityTail(value) == Self.byCharacters(value))
    }
}

/// `Method completed with status:` read on bytes, against `Event.parse`.
@Suite struct MethodCompletedScanTests {
    @Test(arguments: [
        "Method completed with status: 200", "Method completed with status: 403", "Method completed with status: 502 ",
        "Method completed with status:", "Method completed with status: 20x", "Method completed with status: abc",
    ])
    func sameAsEventParse(_ text: String) {
        guard case .methodCompleted(let expected) = Event.parse(kind: .methodCompleted, text: text) else {
            Issue.record("not F-block: \(text)")
            return
        }
        var copy = text
        let read = copy.withUTF8 { ShortLineScan(UnsafeRawBufferPointer($0))?.methodCompletedStatus() }
        #expect(read == expected)
    }
}

/// Throttle lines (D5 keyed, D6 per stage) read on bytes give what `Event.parse` gives.
@Suite struct ShortLineScanThrottleTests {
    @Test(arguments: [
        (MessageKind.apiKeyThrottled, "API Key **********************************F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev, Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10"),
        (.apiKeyThrottled, "API Key ****...F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi other1, Stage prod, Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10 [TRUNCATED]"),
        (.apiKeyThrottled, "API Key  exceeded throttle limit for API Stage : Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev"),
        (.apiKeyThrottled, "API Key **ab exceeded throttle limit for API Stage rohkz08x02"),
        (.stageThrottled, "Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod, Resource k0w8mc, HttpMethod POST. Limit: 1.00 Burst: 1"),
        (.stageThrottled, "Key throttle limit exceeded for RestApi uwe3g5jm54., Stage , HttpMethod"),
        (.stageThrottled, "  Key throttle limit exceeded for RestApi uwe3g5jm54, Stage Prod [TRUNCATED]"),
    ])
    func throttleLines(kind: MessageKind, text: String) {
        let expected: ThrottleLimit
        switch Event.parse(kind: kind, text: text) {
        case .apiKeyThrottled(let limit), .stageThrottled(let limit): expected = limit
        default:
            Issue.record("not a throttle line: \(text)")
            return
        }
        var bytes = text
        let read = bytes.withUTF8 { ShortLineScan(UnsafeRawBufferPointer($0))?.throttle(keyed: kind == .apiKeyThrottled) }
        #expect(read?.apiKey == expected.apiKey)
        #expect(read?.apiId == expected.apiId)
        #expect(read?.stage == expected.stage)
        #expect(read?.httpMethod == expected.httpMethod)
        #expect(read != nil)
    }
}

/// `Usage Plan check succeeded …` (D3) read on bytes gives what `Event.parse` gives.
@Suite struct ShortLineScanUsagePlanSucceededTests {
    @Test(arguments: [
        "Usage Plan check succeeded for API Key  and API Stage oo8kadh853/Test",
        "Usage Plan check succeeded for API Key **********************************bMZHBg and API Stage ulhoxnm2x2/dev",
        "Usage Plan check succeeded for API Key ****...bMZHBg and API Stage ulhoxnm2x2/dev [TRUNCATED]",
        "Usage Plan check succeeded for API Key **ab and API Stage /dev",
        "Usage Plan check succeeded for API Key raw-key and API Stage ulhoxnm2x2",
        "Usage Plan check succeeded for API Key **********************************bMZHBg",
    ])
    func usagePlanSucceeded(_ text: String) {
        guard case .usagePlanSucceeded(let apiKey, let apiId, let stage) = Event.parse(kind: .usagePlanSucceeded, text: text) else {
            Issue.record("not D3: \(text)")
            return
        }
        var bytes = text
        let read = bytes.withUTF8 { ShortLineScan(UnsafeRawBufferPointer($0))?.usagePlanSucceeded() }
        #expect(read != nil)
        #expect(read?.apiKey == apiKey)
        #expect(read?.apiId == apiId)
        #expect(read?.stage == stage)
    }
}
