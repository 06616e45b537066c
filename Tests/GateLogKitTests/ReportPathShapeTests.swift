import Foundation
import Testing
@testable import GateLogKit

/// Report rows of requests without a resource template: keyed by path shape, folded into the configured template
/// that covers them when the report is finalized.
@Suite struct ReportPathShapeTests {
    typealias F = ReportFixtures

    /// A verdict as the Diagnosis stage gives it: with a template (`resource`) when the logs named one, else only
    /// the concrete path (an authorizer denial logs the methodArn path, no template).
    static func verdict(_ id: String, minute: Double, cause: Cause, verb: String, path: String, resource: String? = nil,
                        configuredMethod: String? = nil, principal: String? = "usr_bob_19d7e3", apiId: String = "k7x2mq9zt1",
                        latency: Int? = nil) -> Verdict {
        let time = F.nine + Int64(minute * 60_000)
        let route = resource.map { "\(configuredMethod ?? verb) \($0)" } ?? "\(verb) \(path)"
        return Verdict(requestId: id, extendedRequestId: nil, apiId: apiId, stage: "prod", httpMethod: verb, resource: resource,
                       path: path, route: route, status: cause.outcome == .allowed ? 200 : 403, outcome: cause.outcome,
                       layer: cause.layer, cause: cause, principal: principal, authorizerId: "a1b2c3", apiKey: nil,
                       startTime: time, endTime: time + 40, integrationLatencyMs: latency, evidence: [], hint: cause.hint)
    }

    /// A finished report, as `gatelog report` makes it.
    static func report(_ verdicts: [Verdict], ttl: Int = 300) -> Report {
        var report = Report(toolVersion: "test", authorizerTTLSeconds: ttl)
        for v in verdicts { report.add(v) }
        report.foldPathShapes()
        report.findings = Findings.compute(report)
        return report
    }

    static func json(_ report: Report) -> String { ReportJSON.encode(report).serialized(pretty: true) }

    // MARK: Shapes

    @Test(arguments: [
        ("GET /pets/48213", "GET /pets/{id}"),                                                  // all digits
        ("GET /orders/3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c", "GET /orders/{id}"),               // UUID
        ("GET /orders/3F1C2A9E-7B4D-4E8A-9C1F-2D3E4F5A6B7C/items", "GET /orders/{id}/items"),   // UUID, uppercase
        ("GET /commits/9fceb02d0ae5", "GET /commits/{id}"),                                     // hex run of 12
        ("GET /orders/order-12345", "GET /orders/{id}"),                                        // letters and digits, 11
        ("DELETE /devices/a1b2c3d4", "DELETE /devices/{id}"),                                   // letters and digits, 8
        ("GET /magic/****f3a9c1", "GET /magic/{id}"),                                           // redaction mask
        ("GET /invite/abcdefghijklmnopqrstuvwxyz", "GET /invite/{id}"),                         // long token
        ("GET /users/42/orders/order-12345/items", "GET /users/{id}/orders/{id}/items"),
    ])
    func idLikeSegmentsAreWrittenAsPlaceholders(route: String, shape: String) {
        #expect(PathShape.shape(ofRoute: route) == shape)
    }

    @Test(arguments: ["GET /v1/pets", "GET /store/inventory", "GET /health", "GET /pets/dog-food", "GET /v2beta1/pets",
                      "GET /", "POST /orders/", "GET /files/report.pdf", "GET /hex/abcdef", "GET /pets/{petId}"])
    func otherSegmentsStayLiteral(route: String) {
        #expect(PathShape.shape(ofRoute: route) == route)
    }

    @Test func onlyVerbAndPathRoutesHaveAShape() {
        #expect(PathShape.shape(ofRoute: "GET") == nil)
        #expect(PathShape.shape(ofRoute: "GET pets/7") == nil)
        #expect(PathShape.shape(ofRoute: " /pets/7") == nil)
        #expect(PathShape.shape(ofRoute: "") == nil)
    }

    @Test func templateLessRequestsShareOneShapeRow() {
        // No template in the report to fold into: the shape row stays, flagged, one row for three paths.
        let report = Self.report((0..<3).map { i in
            Self.verdict(F.uuid(i), minute: Double(i), cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/\(48213 + i * 7)")
        })
        #expect(report.routeCount == 1)
        let row = report.routeList[0]
        #expect(row.route == "GET /pets/{id}")
        #expect(row.isPathShape)
        #expect(row.tally.requests == 3)
        // The pattern is now a finding (three concrete rows of one request each never were).
        let finding = report.findings.first { $0.kind == "route_always_denied" }
        #expect(finding?.message.contains("every one of 3 requests to k7x2mq9zt1/prod GET /pets/{id} was denied") == true)
        // The verdicts themselves keep their concrete route.
        #expect(report.exampleVerdicts[F.uuid(0)]?.route == "GET /pets/48213")
    }

    // MARK: Folding

    @Test func shapesFoldIntoTheTemplateThatCoversThem() {
        let report = Self.report([
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}"),
            Self.verdict(F.uuid(2), minute: 1, cause: .ok, verb: "POST", path: "/uploads/2026/11", resource: "/{proxy+}",
                         configuredMethod: "ANY"),
            Self.verdict(F.uuid(3), minute: 2, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/48213"),
            Self.verdict(F.uuid(4), minute: 3, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/991"),
            // Covered by the greedy proxy only (two segments, one literal).
            Self.verdict(F.uuid(5), minute: 4, cause: .authorizerExplicitDeny, verb: "PUT", path: "/files/order-12345"),
            Self.verdict(F.uuid(6), minute: 5, cause: .authorizerExplicitDeny, verb: "GET", path: "/store/inventory"),
        ])
        let routes = report.routes
        #expect(routes.count == 2)
        let pets = routes["k7x2mq9zt1/prod GET /pets/{petId}"]
        #expect(pets?.tally.requests == 3)
        #expect(pets?.tally.count(.authorizerImplicitDeny) == 2)
        #expect(pets?.examples[.authorizerImplicitDeny]?.ids == [F.uuid(3), F.uuid(4)])
        #expect(pets?.isPathShape == false)
        let proxy = routes["k7x2mq9zt1/prod ANY /{proxy+}"]
        #expect(proxy?.tally.requests == 3)
        #expect(proxy?.tally.count(.authorizerExplicitDeny) == 2)
        // One principal on two routes now, not five.
        #expect(report.principals["usr_bob_19d7e3"]?.routeCount == 2)
        #expect(report.routeKeys(of: report.principals["usr_bob_19d7e3"]!)
            == ["k7x2mq9zt1/prod ANY /{proxy+}", "k7x2mq9zt1/prod GET /pets/{petId}"])
    }

    @Test func theMostSpecificResourceWinsThenTheVerbOverAny() {
        let templates = [
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}"),
            Self.verdict(F.uuid(2), minute: 0, cause: .ok, verb: "PATCH", path: "/pets/4", resource: "/pets/{petId}",
                         configuredMethod: "ANY"),
            Self.verdict(F.uuid(3), minute: 0, cause: .ok, verb: "GET", path: "/pets/4/photos", resource: "/{proxy+}",
                         configuredMethod: "ANY"),
            Self.verdict(F.uuid(4), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{proxy+}",
                         configuredMethod: "GET"),
        ]
        let report = Self.report(templates + [
            // GET: the exact verb on the most specific resource (not its ANY, not the greedy ones).
            Self.verdict(F.uuid(10), minute: 1, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/48213"),
            // PATCH: that resource's ANY.
            Self.verdict(F.uuid(11), minute: 1, cause: .authorizerImplicitDeny, verb: "PATCH", path: "/pets/991"),
            // Deeper paths: /pets/{proxy+} (a literal) over /{proxy+}.
            Self.verdict(F.uuid(12), minute: 1, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/7/photos/1"),
        ])
        #expect(report.routes["k7x2mq9zt1/prod GET /pets/{petId}"]?.tally.requests == 2)
        #expect(report.routes["k7x2mq9zt1/prod ANY /pets/{petId}"]?.tally.requests == 2)
        #expect(report.routes["k7x2mq9zt1/prod GET /pets/{proxy+}"]?.tally.requests == 2)
        #expect(report.routes["k7x2mq9zt1/prod ANY /{proxy+}"]?.tally.requests == 1)
        #expect(report.routeCount == 4)
    }

    @Test func aVerbTheResourceDoesNotHaveKeepsItsShapeRow() {
        // API Gateway routes DELETE /pets/42 to /pets/{petId}; without DELETE or ANY there it answers Missing
        // Authentication Token rather than falling back to /{proxy+}.
        let report = Self.report([
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}"),
            Self.verdict(F.uuid(2), minute: 0, cause: .ok, verb: "GET", path: "/docs/intro", resource: "/{proxy+}",
                         configuredMethod: "ANY"),
            Self.verdict(F.uuid(3), minute: 1, cause: .routeNotFound, verb: "DELETE", path: "/pets/42", principal: nil),
            // Another API's template never takes this API's requests.
            Self.verdict(F.uuid(4), minute: 1, cause: .ok, verb: "GET", path: "/items/5", resource: "/items/{id}", apiId: "r4n8wd2ps6"),
            Self.verdict(F.uuid(5), minute: 1, cause: .authorizerImplicitDeny, verb: "GET", path: "/items/77"),
        ])
        let delete = report.routes["k7x2mq9zt1/prod DELETE /pets/{id}"]
        #expect(delete?.isPathShape == true)
        #expect(delete?.tally.requests == 1)
        // GET /items/77 of k7x2mq9zt1 joins that API's ANY /{proxy+}, not the other API's GET /items/{id}.
        #expect(report.routes["k7x2mq9zt1/prod ANY /{proxy+}"]?.tally.requests == 2)
        #expect(report.routes["r4n8wd2ps6/prod GET /items/{id}"]?.tally.requests == 1)
    }

    @Test func aShapeIsNeverTakenForATemplateThatReadsTheSame() {
        // The shape of GET /items/77 and the real template GET /items/{id} read alike; seen shape first, they are
        // two rows (the shape flagged) until the report is folded.
        var report = Report(toolVersion: "test")
        report.add(Self.verdict(F.uuid(2), minute: 1, cause: .authorizerImplicitDeny, verb: "GET", path: "/items/77"))
        report.add(Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/items/5", resource: "/items/{id}"))
        #expect(report.routeCount == 2)
        #expect(report.routeList.map(\.isPathShape) == [true, false])
        report.foldPathShapes()
        #expect(report.routeCount == 1)
        #expect(report.routeList[0].isPathShape == false)
        #expect(report.routeList[0].tally.requests == 2)
        // Folding again changes nothing.
        let once = Self.json(report)
        report.foldPathShapes()
        #expect(Self.json(report) == once)
    }

    @Test func theReportDoesNotDependOnWhetherTheShapeOrTheTemplateCameFirst() {
        let template = [
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}", latency: 26_000),
            Self.verdict(F.uuid(2), minute: 20, cause: .ok, verb: "GET", path: "/pets/5", resource: "/pets/{petId}",
                         principal: "usr_carol_5b0a9e"),
        ]
        let shapes = [
            Self.verdict(F.uuid(3), minute: 2, cause: .authorizerCachedPolicyMismatch, verb: "GET", path: "/pets/48213"),
            Self.verdict(F.uuid(4), minute: 3, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/991"),
            Self.verdict(F.uuid(5), minute: 4, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/a1b2c3d4",
                         principal: "usr_carol_5b0a9e"),
            Self.verdict(F.uuid(6), minute: 5, cause: .authorizerImplicitDeny, verb: "PUT", path: "/pets/17"),
        ]
        let templateFirst = Self.report(template + shapes)
        let shapeFirst = Self.report(shapes + template)
        #expect(Self.json(templateFirst) == Self.json(shapeFirst))
        #expect(templateFirst.routeCount == 2)  // GET /pets/{petId} and the shape PUT /pets/{id}
        #expect(templateFirst.principals["usr_bob_19d7e3"]?.routeCount == 2)
        #expect(templateFirst.principals["usr_carol_5b0a9e"]?.routeCount == 1)
    }

    @Test func mergingAReportOfShapesWithOneOfTemplatesEqualsOneRun() throws {
        let template = [
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}"),
            Self.verdict(F.uuid(2), minute: 30, cause: .ok, verb: "GET", path: "/pets/8", resource: "/pets/{petId}"),
        ]
        let shapes = [
            Self.verdict(F.uuid(3), minute: 2, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/48213"),
            Self.verdict(F.uuid(4), minute: 3, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/991"),
            Self.verdict(F.uuid(5), minute: 9, cause: .authorizerImplicitDeny, verb: "GET", path: "/pets/12"),
        ]
        let single = Self.report(template + shapes)
        for (first, second) in [(shapes, template), (template, shapes)] {
            // Through JSON, as `gatelog merge` reads its parts; each part finalized on its own first.
            let parts = try [first, second].map { part in
                try ReportJSON.decode(Array(Self.json(Self.report(part)).utf8), source: "part.json")
            }
            var merged = parts[0]
            merged.merge(parts[1])
            merged.foldPathShapes()
            merged.findings = Findings.compute(merged)
            #expect(Self.json(merged) == Self.json(single))
        }
        // The shape-only part wrote its unfolded row as a shape, which is how the merge could fold it.
        let shapePart = Self.json(Self.report(shapes))
        #expect(shapePart.contains("\"route\": \"GET /pets/{id}\",\n      \"pathShape\": true"))
        #expect(!Self.json(single).contains("pathShape"))
    }

    // MARK: Findings on folded rows

    @Test func aTemplateWithAllowedRequestsAndFoldedDenialsIsNotAlwaysDenied() {
        let denials = (0..<4).map { i in
            Self.verdict(F.uuid(10 + i), minute: Double(40 + i), cause: .authorizerImplicitDeny, verb: "DELETE",
                         path: "/pets/\(300 + i)")
        }
        let allowed = Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "DELETE", path: "/pets/4", resource: "/pets/{petId}")
        let report = Self.report(denials + [allowed])
        #expect(report.routeCount == 1)
        #expect(report.routeList[0].tally.requests == 5)
        #expect(!report.findings.contains { $0.kind == "route_always_denied" })
        // Without the allowed call the same denials are one always-denied shape row.
        let deniedOnly = Self.report(denials)
        #expect(deniedOnly.findings.filter { $0.kind == "route_always_denied" }.map(\.examples)
            == [denials.map(\.requestId)])
    }

    @Test func requestsOfATemplateThatReadsAsTheirShapeJoinItsRowAsTheyCome() {
        // POST /pets allowed (template logged) and then denied three times by the authorizer (no template): one row,
        // and every denial within the TTL counts, as it did when such requests shared the route text.
        let report = Self.report([
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "POST", path: "/pets", resource: "/pets"),
            Self.verdict(F.uuid(2), minute: 1, cause: .authorizerCachedPolicyMismatch, verb: "POST", path: "/pets"),
            Self.verdict(F.uuid(3), minute: 2, cause: .authorizerCachedPolicyMismatch, verb: "POST", path: "/pets"),
            Self.verdict(F.uuid(4), minute: 3, cause: .authorizerCachedPolicyMismatch, verb: "POST", path: "/pets"),
        ])
        #expect(report.routeCount == 1)
        #expect(report.routeList[0].isPathShape == false)
        #expect(report.principalRoutes.values.first?.intermittentDenials == 3)
    }

    @Test func allowedOnTheTemplateThenDeniedOnAConcretePathIsAnIntermittentDenial() {
        // The stale-cache pattern: the policy cached for GET /pets/4 does not cover /pets/48213.
        let report = Self.report([
            Self.verdict(F.uuid(1), minute: 0, cause: .ok, verb: "GET", path: "/pets/4", resource: "/pets/{petId}"),
            Self.verdict(F.uuid(2), minute: 2, cause: .authorizerCachedPolicyMismatch, verb: "GET", path: "/pets/48213"),
        ])
        let finding = report.findings.first { $0.kind == "intermittent_denials" }
        #expect(finding?.examples == [F.uuid(2)])
        #expect(finding?.message.contains("on k7x2mq9zt1/prod GET /pets/{petId} within 300 s") == true)
    }
}
