import Foundation
import Testing
@testable import GateLogKit

@Suite struct JSONValueTests {
    @Test func escapesQuotesAndBackslashes() {
        // A real B12 reason carries quotes; Windows-ish paths carry backslashes.
        let reason = #"Invalid JSON in response: Unrecognized field "errorType" , not marked as ignorable"#
        #expect(JSONValue.string(reason).serialized() == #""Invalid JSON in response: Unrecognized field \"errorType\" , not marked as ignorable""#)
        #expect(JSONValue.string(#"C:\logs\api"#).serialized() == #""C:\\logs\\api""#)
    }

    @Test func escapesControlCharacters() {
        #expect(JSONValue.string("a\nb\rc\td").serialized() == #""a\nb\rc\td""#)
        #expect(JSONValue.string("\u{08}\u{0C}").serialized() == #""\b\f""#)
        #expect(JSONValue.string("\u{00}\u{01}\u{1B}[32m\u{1F}\u{7F}").serialized() == #""\u0000\u0001\u001b[32m\u001f\u007f""#)
    }

    @Test func escapesLineAndParagraphSeparators() {
        // Valid in JSON but line breaks in JavaScript: escaped so output can be embedded anywhere.
        #expect(JSONValue.string("a\u{2028}b\u{2029}c").serialized() == #""a\u2028b\u2029c""#)
    }

    @Test func keepsOtherUnicodeAsIs() {
        #expect(JSONValue.string("Incoming identity: ****…I1BUdE").serialized() == "\"Incoming identity: ****…I1BUdE\"")
        #expect(JSONValue.string("日本語 é 😀").serialized() == "\"日本語 é 😀\"")
    }

    @Test func everyControlCharacterRoundTripsThroughAJSONParser() throws {
        var text = String((0..<0x20).map { Character(Unicode.Scalar($0)!) })
        text += "\"\\/\u{7F}\u{2028}\u{2029}…😀"
        let json = JSONValue.object([("text", .string(text))]).serialized()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(decoded?["text"] == text)
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func objectKeysKeepTheirOrder() {
        let value = JSONValue.object([("requestId", .string("x")), ("apiId", .null), ("status", .int(403)), ("b", .bool(true)), ("a", .bool(false))])
        #expect(value.serialized() == #"{"requestId":"x","apiId":null,"status":403,"b":true,"a":false}"#)
        #expect(value != JSONValue.object([("apiId", .null), ("requestId", .string("x")), ("status", .int(403)), ("b", .bool(true)), ("a", .bool(false))]))
        #expect(value["status"] == .int(403))
        #expect(value["missing"] == nil)
    }

    @Test func verdictJSONKeysFollowTheContract() {
        let verdict = Verdict(
            requestId: "fbcaf9e5-d535-40a1-891c-7b70118cf7e8", extendedRequestId: nil, apiId: "k1k7gu3ct7", stage: "prod",
            httpMethod: "GET", resource: nil, path: "/slow", route: "GET /slow", status: 504, outcome: .gatewayError,
            layer: .integration, cause: .integrationTimeout, principal: nil, authorizerId: nil, apiKey: nil,
            startTime: 0, endTime: nil, integrationLatencyMs: nil,
            evidence: [Evidence(source: "paste.txt:1", text: "Execution failed due to a timeout error")], hint: "h")
        guard case .object(let members) = verdict.json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == ["requestId", "extendedRequestId", "apiId", "stage", "httpMethod", "resource", "path", "route",
                                     "status", "outcome", "layer", "cause", "principal", "authorizerId", "apiKey", "startTime",
                                     "endTime", "integrationLatencyMs", "evidence", "hint"])
        #expect(verdict.json["startTime"] == .string("1970-01-01T00:00:00.000Z"))
        #expect(verdict.json["resource"] == .null)
        #expect(verdict.json["evidence"]?.serialized() == #"[{"source":"paste.txt:1","text":"Execution failed due to a timeout error"}]"#)
    }

    @Test func scalars() {
        #expect(JSONValue.null.serialized() == "null")
        #expect(JSONValue.string(nil) == .null)
        #expect(JSONValue.int(nil) == .null)
        #expect(JSONValue.int(-42).serialized() == "-42")
        #expect(JSONValue.double(25).serialized() == "25")
        #expect(JSONValue.double(12.5).serialized() == "12.5")
        #expect(JSONValue.double(.infinity).serialized() == "null")
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.array([]).serialized() == "[]")
        #expect(JSONValue.object([]).serialized() == "{}")
    }

    @Test func prettyPrintingIndentsByTwo() {
        let value = JSONValue.object([("totals", .object([("requests", .int(2)), ("causes", .array([.string("ok"), .string("throttled")]))]))])
        #expect(value.serialized(pretty: true) == """
            {
              "totals": {
                "requests": 2,
                "causes": [
                  "ok",
                  "throttled"
                ]
              }
            }
            """)
    }
}
