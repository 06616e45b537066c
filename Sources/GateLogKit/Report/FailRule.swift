/// A `--fail-on` threshold: `denied>100`, `cause:authorizer_error>0`, `outcome:gateway_error>1%`, `requests<10`.
/// Crossing one makes the run exit 1.
public struct FailRule: Sendable, Equatable {
    public enum Subject: Sendable, Equatable {
        case outcome(Outcome)
        case cause(Cause)
        case requests
    }
    public enum Comparison: String, Sendable { case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<=" }

    public var spec: String
    public var subject: Subject
    public var comparison: Comparison
    public var threshold: Double
    public var isPercentage: Bool

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ spec: String) throws -> FailRule {
        let trimmed = spec.filter { $0 != " " }
        guard let opIndex = trimmed.firstIndex(where: { $0 == ">" || $0 == "<" }) else {
            throw ParseError(description: "--fail-on '\(spec)' needs a comparison, like denied>100 or cause:authorizer_error>0")
        }
        let name = String(trimmed[..<opIndex])
        var rest = trimmed[opIndex...]
        let comparison: Comparison
        if rest.hasPrefix(">=") { comparison = .greaterOrEqual; rest = rest.dropFirst(2) }
        else if rest.hasPrefix("<=") { comparison = .lessOrEqual; rest = rest.dropFirst(2) }
        else if rest.hasPrefix(">") { comparison = .greater; rest = rest.dropFirst() }
        else { comparison = .less; rest = rest.dropFirst() }
        var isPercentage = false
        if rest.hasSuffix("%") { isPercentage = true; rest = rest.dropLast() }
        guard let threshold = Double(rest), threshold >= 0 else {
            throw ParseError(description: "--fail-on '\(spec)': '\(rest)' is not a number")
        }
        let subject: Subject
        if name.hasPrefix("cause:") {
            guard let cause = Cause(rawValue: String(name.dropFirst(6))) else {
                throw ParseError(description: "--fail-on '\(spec)': unknown cause '\(name.dropFirst(6))'; 'gatelog causes' lists them")
            }
            subject = .cause(cause)
        } else if name.hasPrefix("outcome:") {
            guard let outcome = Outcome(rawValue: String(name.dropFirst(8))) else {
                throw ParseError(description: "--fail-on '\(spec)': unknown outcome '\(name.dropFirst(8))'")
            }
            subject = .outcome(outcome)
        } else if name == "requests" {
            subject = .requests
        } else if let outcome = Outcome(rawValue: name) {
            subject = .outcome(outcome)
        } else if let cause = Cause(rawValue: name) {
            subject = .cause(cause)
        } else {
            throw ParseError(description: "--fail-on '\(spec)': '\(name)' is neither an outcome nor a cause (write outcome:NAME or cause:NAME)")
        }
        return FailRule(spec: spec, subject: subject, comparison: comparison, threshold: threshold, isPercentage: isPercentage)
    }

    public static func parseAll(_ specs: [String]) throws -> [FailRule] { try specs.map(parse) }

    /// The value the rule compares: a count, or a percentage of all requests.
    public func value(in report: Report) -> Double {
        let count: Int
        switch subject {
        case .outcome(let o): count = report.totals.outcomes[o, default: 0]
        case .cause(let c): count = report.totals.causes[c, default: 0]
        case .requests: count = report.totals.requests
        }
        guard isPercentage else { return Double(count) }
        return report.totals.requests == 0 ? 0 : Double(count) * 100 / Double(report.totals.requests)
    }

    public func isCrossed(by report: Report) -> Bool {
        let v = value(in: report)
        switch comparison {
        case .greater: return v > threshold
        case .greaterOrEqual: return v >= threshold
        case .less: return v < threshold
        case .lessOrEqual: return v <= threshold
        }
    }

    /// Every rule a report crosses, each with a sentence saying why (in the order given).
    public static func crossed(_ rules: [FailRule], in report: Report) -> [(spec: String, explanation: String)] {
        rules.filter { $0.isCrossed(by: report) }.map { rule in (rule.spec, rule.explanation(in: report)) }
    }

    /// The first rule a report crosses, with a sentence saying why.
    public static func firstCrossed(_ rules: [FailRule], in report: Report) -> (spec: String, explanation: String)? {
        crossed(rules, in: report).first
    }

    static func twoDecimals(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// `outcome:gateway_error is 13.86% of 101 requests (threshold >1%)`
    public func explanation(in report: Report) -> String {
        let v = value(in: report)
        let name: String
        switch subject {
        case .outcome(let o): name = "outcome:\(o.rawValue)"
        case .cause(let c): name = "cause:\(c.rawValue)"
        case .requests: name = "requests"
        }
        let shown = isPercentage ? "\(Self.twoDecimals(v))% of \(report.totals.requests) requests" : "\(Int(v)) of \(report.totals.requests) requests"
        let limit = threshold == threshold.rounded() ? String(Int64(threshold)) : String(threshold)
        return "\(name) is \(shown) (threshold \(comparison.rawValue)\(limit)\(isPercentage ? "%" : ""))"
    }
}
