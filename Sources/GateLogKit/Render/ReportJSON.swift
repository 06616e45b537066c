import Foundation

/// `report --format json` (DESIGN.md §4, `schemaVersion: 1`) and its reading back, for `gatelog merge`.
public enum ReportJSON {
    /// A top-level member of the report object: a value, or an array whose items are built one at a time (routes,
    /// principals, … grow with the input, so `write` never holds more than one of them as a `JSONValue`).
    enum Member {
        case value(JSONValue)
        case items(count: Int, item: (Int) -> JSONValue)
        case object(count: Int, member: (Int) -> (String, JSONValue))
    }

    /// The whole report as one value (small reports, tests); `write` gives the same text without building it.
    public static func encode(_ report: Report) -> JSONValue {
        .object(members(report).map { name, member in
            switch member {
            case .value(let value): return (name, value)
            case .items(let count, let item): return (name, .array((0..<count).map(item)))
            case .object(let count, let member): return (name, .object((0..<count).map(member)))
            }
        })
    }

    /// Writes `encode(report).serialized(pretty:)` to `sink` in pieces of about `chunk` characters.
    public static func write(_ report: Report, pretty: Bool = true, chunk: Int = 1 << 16, to sink: (String) -> Void) {
        var out = ""
        out.reserveCapacity(chunk + 4096)
        func flushIfFull() {
            if out.utf8.count >= chunk {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        let newline = pretty ? "\n  " : ""
        let itemNewline = pretty ? "\n    " : ""
        out += "{"
        for (i, (name, member)) in members(report).enumerated() {
            if i > 0 { out += "," }
            out += newline
            JSONValue.writeString(name, to: &out)
            out += pretty ? ": " : ":"
            switch member {
            case .value(let value):
                value.write(to: &out, pretty: pretty, indent: 1)
            case .items(let count, let item):
                if count == 0 { out += "[]"; break }
                out += "["
                for index in 0..<count {
                    if index > 0 { out += "," }
                    out += itemNewline
                    item(index).write(to: &out, pretty: pretty, indent: 2)
                    flushIfFull()
                }
                out += newline + "]"
            case .object(let count, let member):
                if count == 0 { out += "{}"; break }
                out += "{"
                for index in 0..<count {
                    if index > 0 { out += "," }
                    out += itemNewline
                    let (key, value) = member(index)
                    JSONValue.writeString(key, to: &out)
                    out += pretty ? ": " : ":"
                    value.write(to: &out, pretty: pretty, indent: 2)
                    flushIfFull()
                }
                out += newline + "}"
            }
            flushIfFull()
        }
        out += pretty ? "\n}" : "}"
        sink(out)
    }

    static func ids(_ list: ExampleList) -> JSONValue { .array(list.ids.map { .string($0) }) }

    static func tallyMembers(_ tally: Tally) -> [(String, JSONValue)] {
        [("requests", .int(Int64(tally.requests))),
         ("outcomes", .object(tally.orderedOutcomes.map { ($0.outcome.rawValue, .int(Int64($0.count))) })),
         ("causes", .object(tally.orderedCauses.map { ($0.cause.rawValue, .int(Int64($0.count))) }))]
    }

    static func members(_ report: Report) -> [(String, Member)] {
        func mark(_ mark: RequestMark?) -> JSONValue {
            guard let mark else { return .null }
            return .object([("time", .string(Timestamp.iso8601(mark.time))), ("id", .string(mark.id)), ("counted", .bool(mark.counted))])
        }
        let routeKeys = report.routeList.map(\.key)
        let routeOrder = report.routeOrder(keys: routeKeys)
        let routes = Member.items(count: routeOrder.count) { index in
            let route = report.routeList[routeOrder[index]]
            return .object([("apiId", .string(route.apiId)), ("stage", .string(route.stage)), ("route", .string(route.route))]
                    + (route.isPathShape ? [("pathShape", JSONValue.bool(true))] : [])
                    + tallyMembers(route.tally)
                    + [("examples", .object(route.examples.causes.map { cause in (cause.rawValue, ids(route.examples[cause]!)) }))]
                    + (route.latency.maxMillis.map { maxMillis in
                        [("integrationLatency", JSONValue.object([
                            ("maxMs", .int(Int64(maxMillis))), ("nearTimeout", .int(Int64(route.latency.nearTimeout))),
                            ("examples", ids(route.latency.examples)),
                        ]))]
                    } ?? []))
        }
        let principalOrder = report.principalOrder()
        let principalRoutes = report.routePositionsByPrincipal()
        let principals = Member.items(count: principalOrder.count) { index in
            let position = principalOrder[index]
            let principal = report.principalList[position]
            let keys = principalRoutes[position].map { routeKeys[Int($0)] }.sorted()
            return .object([("principal", .string(principal.principal))] + tallyMembers(principal.tally)
                    + [("routes", .array(keys.map { .string($0) })),
                       ("examples", ids(principal.failureExamples))])
        }
        let timelineCounts = report.timeline
        let timeline: [JSONValue] = timelineCounts.keys.sorted().map { bucket in
            let outcomes = timelineCounts[bucket]!
            return .object([("start", .string(Timestamp.iso8601(bucket))),
                            ("outcomes", .object(Outcome.allCases.compactMap { o in outcomes[o].map { (o.rawValue, .int(Int64($0))) } }))])
        }
        let findings: [JSONValue] = report.findings.map { finding in
            var members: [(String, JSONValue)] = [("kind", .string(finding.kind)), ("message", .string(finding.message)),
                                                  ("examples", .array(finding.examples.map { .string($0) }))]
            if let hint = finding.hint { members.append(("hint", .string(hint))) }
            return .object(members)
        }
        let pairOrder = report.pairOrder(routeKeys: routeKeys)
        let pairStates = Member.items(count: pairOrder.count) { index in
            let row = report.pairs[pairOrder[index]]
            let state = row.state!
            return .object([
                ("principal", .string(report.principalList[Int(row.principal)].principal)), ("route", .string(routeKeys[Int(row.route)])),
                ("intermittentDenials", .int(Int64(state.intermittentDenials))), ("examples", ids(state.examples)),
                ("firstAllowed", mark(state.firstAllowed)), ("lastAllowed", mark(state.lastAllowed)),
                ("firstDenied", mark(state.firstDenied)), ("lastDenied", mark(state.lastDenied)),
            ])
        }
        let inputs = report.inputs
        return [
            ("schemaVersion", .value(.int(Int64(Report.schemaVersion)))),
            ("tool", .value(.object([("name", .string("gatelog")), ("version", .string(report.toolVersion))]))),
            ("inputs", .value(.object([
                ("files", .int(Int64(inputs.files))),
                ("bytes", .int(inputs.bytes)),
                ("records", .int(Int64(inputs.records))),
                ("unrecognizedLines", .int(Int64(inputs.unrecognizedLines))),
                ("orphanLines", .int(Int64(inputs.orphanLines))),
                ("problems", .array(report.problems.map { .object([("source", .string($0.source)), ("message", .string($0.message))]) })),
                ("recognizedLines", .int(Int64(inputs.recognizedLines))),
                ("accessRecords", .int(Int64(inputs.accessRecords))),
                ("continuationLines", .int(Int64(inputs.continuationLines))),
                ("skippedLines", .int(Int64(inputs.skippedLines))),
                ("controlMessages", .int(Int64(inputs.controlMessages))),
            ]))),
            ("window", .value(.object([("start", .string(report.windowStart.map(Timestamp.iso8601))),
                                       ("end", .string(report.windowEnd.map(Timestamp.iso8601)))]))),
            ("filters", .value(.array(report.filters.map { .string($0) }))),
            ("totals", .value(.object(tallyMembers(report.totals) + [("testInvokeRequests", .int(Int64(report.testInvokeRequests)))]))),
            ("routes", routes),
            ("principals", principals),
            ("examples", .value(.object(Cause.allCases.compactMap { cause in report.examples(of: cause).map { (cause.rawValue, ids($0)) } }))),
            ("timeline", .value(.array(timeline))),
            ("findings", .value(.array(findings))),
            ("settings", .value(.object([("authorizerTTLSeconds", .int(Int64(report.authorizerTTLSeconds)))]))),
            ("exampleRequests", .value(.array(report.exampleVerdicts.values.sorted(by: verdictOrder).map(\.json)))),
            ("causeTimeline", .value(.array(report.causeTimeline.keys.sorted().map { bucket in
                let causes = report.causeTimeline[bucket]!
                let order = Cause.allCases.filter { causes[$0] != nil }
                return .object([
                    ("start", .string(Timestamp.iso8601(bucket))),
                    ("causes", .object(order.map { ($0.rawValue, .int(Int64(causes[$0]!.count))) })),
                    ("examples", .object(order.map { ($0.rawValue, ids(causes[$0]!.examples)) })),
                ])
            }))),
            ("principalRoutes", pairStates),
            ("exampleTimes", exampleTimes(report)),
        ]
    }

    /// Times of the example requests, so that merged example lists keep the order one run would give: an object
    /// written member by member (it names every example id of every route).
    static func exampleTimes(_ report: Report) -> Member {
        var entries: [ExampleEntry] = []
        report.forEachExampleList { list in
            for entry in list.entries where entry.time != .max { entries.append(entry) }
        }
        entries.sort { $0.id < $1.id }
        var unique: [ExampleEntry] = []
        unique.reserveCapacity(entries.count)
        for entry in entries where unique.last?.id != entry.id { unique.append(entry) }
        entries = []
        return .object(count: unique.count) { index in
            (unique[index].id.text, .string(Timestamp.iso8601(unique[index].time)))
        }
    }

    /// Example requests in time order, then by id.
    static func verdictOrder(_ a: Verdict, _ b: Verdict) -> Bool {
        let ta = a.startTime ?? a.endTime ?? .max, tb = b.startTime ?? b.endTime ?? .max
        return ta != tb ? ta < tb : a.requestId < b.requestId
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a report written by `encode` (another run's `report --format json`).
    public static func decode(_ data: [UInt8], source: String) throws -> Report {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(data))
        } catch {
            throw DecodeError(description: "\(source): not JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any], (root["schemaVersion"] as? NSNumber)?.intValue == Report.schemaVersion else {
            throw DecodeError(description: "\(source): not a gatelog report (schemaVersion \(Report.schemaVersion) expected)")
        }
        let tool = root["tool"] as? [String: Any]
        var report = Report(toolVersion: tool?["version"] as? String ?? "?")
        func int(_ any: Any?) -> Int { (any as? NSNumber)?.intValue ?? 0 }
        func tally(_ dict: [String: Any]) -> Tally {
            var tally = Tally()
            tally.requests = int(dict["requests"])
            for (k, v) in dict["outcomes"] as? [String: Any] ?? [:] { if let o = Outcome(rawValue: k) { tally.restore(o, int(v)) } }
            for (k, v) in dict["causes"] as? [String: Any] ?? [:] { if let c = Cause(rawValue: k) { tally.restore(c, int(v)) } }
            return tally
        }
        var exampleTimes: [String: Int64] = [:]
        func list(_ any: Any?, capacity: Int = ExampleList.limit) -> ExampleList {
            var list = ExampleList(capacity: capacity)
            for id in any as? [String] ?? [] { list.add(id: id, time: exampleTimes[id]) }
            return list
        }
        func examples(_ dict: [String: Any]?, capacity: Int = ExampleList.limit) -> [Cause: ExampleList] {
            var out: [Cause: ExampleList] = [:]
            for (k, v) in dict ?? [:] {
                guard let cause = Cause(rawValue: k) else { continue }
                out[cause] = list(v, capacity: capacity)
            }
            return out
        }
        func mark(_ any: Any?) -> RequestMark? {
            guard let dict = any as? [String: Any], let time = (dict["time"] as? String).flatMap(Timestamp.parseISO),
                  let id = dict["id"] as? String else { return nil }
            return RequestMark(time: time, id: id, counted: (dict["counted"] as? Bool) ?? false)
        }
        if let inputs = root["inputs"] as? [String: Any] {
            report.inputs.files = int(inputs["files"])
            report.inputs.bytes = Int64(int(inputs["bytes"]))
            report.inputs.records = int(inputs["records"])
            report.inputs.unrecognizedLines = int(inputs["unrecognizedLines"])
            report.inputs.orphanLines = int(inputs["orphanLines"])
            report.inputs.recognizedLines = int(inputs["recognizedLines"])
            report.inputs.accessRecords = int(inputs["accessRecords"])
            report.inputs.continuationLines = int(inputs["continuationLines"])
            report.inputs.skippedLines = int(inputs["skippedLines"])
            report.inputs.controlMessages = int(inputs["controlMessages"])
            for p in inputs["problems"] as? [[String: Any]] ?? [] {
                report.problems.append(InputProblem(source: p["source"] as? String ?? "?", message: p["message"] as? String ?? ""))
            }
        }
        if let window = root["window"] as? [String: Any] {
            report.windowStart = (window["start"] as? String).flatMap(Timestamp.parseISO)
            report.windowEnd = (window["end"] as? String).flatMap(Timestamp.parseISO)
        }
        report.filters = root["filters"] as? [String] ?? []
        let times = root["exampleTimes"] as? [String: Any] ?? [:]
        exampleTimes = times.compactMapValues { ($0 as? String).flatMap(Timestamp.parseISO) }
        if let settings = root["settings"] as? [String: Any], let ttl = settings["authorizerTTLSeconds"] as? NSNumber {
            report.authorizerTTLSeconds = ttl.intValue
        }
        if let totals = root["totals"] as? [String: Any] {
            report.totals = tally(totals)
            report.testInvokeRequests = int(totals["testInvokeRequests"])
        }
        var routePositions: [String: Int] = [:]
        for r in root["routes"] as? [[String: Any]] ?? [] {
            var route = RouteSummary(apiId: r["apiId"] as? String, stage: r["stage"] as? String, route: r["route"] as? String,
                                     isPathShape: r["pathShape"] as? Bool ?? false)
            route.tally = tally(r)
            for (cause, list) in examples(r["examples"] as? [String: Any]) { route.examples.merge(cause, list) }
            if let latency = r["integrationLatency"] as? [String: Any] {
                route.latency.maxMillis = (latency["maxMs"] as? NSNumber)?.intValue
                route.latency.nearTimeout = int(latency["nearTimeout"])
                route.latency.examples = list(latency["examples"])
            }
            routePositions[route.key] = report.restoreRoute(route)
        }
        for p in root["principals"] as? [[String: Any]] ?? [] {
            guard let name = p["principal"] as? String else { continue }
            var principal = PrincipalSummary(principal: name)
            principal.tally = tally(p)
            principal.failureExamples = list(p["examples"])
            report.restorePrincipal(principal, routes: (p["routes"] as? [String] ?? []).compactMap { routePositions[$0] })
        }
        report.examples = examples(root["examples"] as? [String: Any])
        for bucket in root["causeTimeline"] as? [[String: Any]] ?? [] {
            guard let start = (bucket["start"] as? String).flatMap(Timestamp.parseISO) else { continue }
            let bucketExamples = bucket["examples"] as? [String: Any] ?? [:]
            for (k, v) in bucket["causes"] as? [String: Any] ?? [:] {
                guard let cause = Cause(rawValue: k) else { continue }
                var counts = CauseBucket()
                counts.count = int(v)
                counts.examples = list(bucketExamples[k], capacity: counts.examples.capacity)
                report.causeTimeline[start, default: [:]][cause] = counts
            }
        }
        for p in root["principalRoutes"] as? [[String: Any]] ?? [] {
            guard let principal = p["principal"] as? String, let route = p["route"] as? String else { continue }
            var state = PrincipalRouteState()
            state.intermittentDenials = int(p["intermittentDenials"])
            state.examples = list(p["examples"])
            state.firstAllowed = mark(p["firstAllowed"])
            state.lastAllowed = mark(p["lastAllowed"])
            state.firstDenied = mark(p["firstDenied"])
            state.lastDenied = mark(p["lastDenied"])
            if let position = routePositions[route] { report.restorePrincipalRoute(principal: principal, route: position, state: state) }
        }
        report.restoreExampleVerdicts((root["exampleRequests"] as? [[String: Any]] ?? []).compactMap(verdict))
        for bucket in root["timeline"] as? [[String: Any]] ?? [] {
            guard let start = (bucket["start"] as? String).flatMap(Timestamp.parseISO) else { continue }
            for (k, v) in bucket["outcomes"] as? [String: Any] ?? [:] {
                if let o = Outcome(rawValue: k) { report.restoreTimeline(start, o, int(v)) }
            }
        }
        return report
    }

    /// A `requests --format jsonl` object read back (the example requests of a report).
    static func verdict(_ dict: [String: Any]) -> Verdict? {
        guard let id = dict["requestId"] as? String, let outcome = (dict["outcome"] as? String).flatMap(Outcome.init(rawValue:)),
              let layer = (dict["layer"] as? String).flatMap(Layer.init(rawValue:)),
              let cause = (dict["cause"] as? String).flatMap(Cause.init(rawValue:)) else { return nil }
        func text(_ key: String) -> String? { dict[key] as? String }
        func number(_ key: String) -> Int? { (dict[key] as? NSNumber)?.intValue }
        let evidence = (dict["evidence"] as? [[String: Any]] ?? []).map {
            Evidence(source: $0["source"] as? String ?? "", text: $0["text"] as? String ?? "")
        }
        return Verdict(
            requestId: id, extendedRequestId: text("extendedRequestId"), apiId: text("apiId"), stage: text("stage"),
            httpMethod: text("httpMethod"), resource: text("resource"), path: text("path"), route: text("route"),
            status: number("status"), outcome: outcome, layer: layer, cause: cause, principal: text("principal"),
            authorizerId: text("authorizerId"), apiKey: text("apiKey"), startTime: text("startTime").flatMap(Timestamp.parseISO),
            endTime: text("endTime").flatMap(Timestamp.parseISO), integrationLatencyMs: number("integrationLatencyMs"),
            evidence: evidence, hint: text("hint") ?? cause.hint)
    }
}
