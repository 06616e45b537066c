import Foundation
import Testing
@testable import GateLogKit

/// The byte-level reading of authorizer results (`PolicyJSON`) must give what the Foundation reading gives, on every
/// body: the samples, the results logged in SampleLogs, and systematic mutations of them (cuts, dropped and changed
/// characters, renamed keys, odd values, escapes, blanks).
@Suite struct PolicyFastParseTests {
    static let sampleLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs").path

    static func loggedBodies() -> [String] {
        var bodies: Set<String> = []
        let marker = "Authorizer result body before parsing: "
        let enumerator = FileManager.default.enumerator(atPath: sampleLogs)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".txt") || relative.hasSuffix(".log") || !relative.contains("."),
                  let data = FileManager.default.contents(atPath: sampleLogs + "/" + relative),
                  let content = String(data: data, encoding: .utf8) else { continue }
            for line in content.split(whereSeparator: \.isNewline) {
                guard let range = line.range(of: marker) else { continue }
                bodies.insert(String(line[range.upperBound...]))
            }
        }
        return bodies.sorted()
    }

    static let seeds: [String] = [
        PolicySamples.spaceFinder, PolicySamples.singleMethod, PolicySamples.muxy, PolicySamples.denyAllNullStage,
        #"{"principalId":"abc","policyDocument":{"Version":"2012-10-17","Statement":{"Action":["execute-api:Invoke"],"Effect":"Allow","Resource":"*"}},"usageIdentifierKey":"k3y","context":{"claims":{"sub":"x"}}}"#,
        #"{"principalId":"p","policyDocument":{"Statement":[{"NotAction":"s3:*","Effect":"Deny","NotResource":["arn:aws:execute-api:*:*:*/prod/GET/*"],"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}}"#,
        #"{"PrincipalId":"u1","PolicyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}]}}"#,
        #"{"errorMessage": "token expired", "errorType": "Exception", "requestId": "5b1c", "stackTrace": ["  File \"/var/task/app.py\", line 9"]}"#,
        #"{"principalId": 42, "policyDocument": {"Statement": [{"Action": "*", "Effect": "Allow", "Resource": "*"}]}, "context": {"n": -1.5, "b": true, "z": null}, "usageIdentifierKey": null}"#,
        #"{"principalId":"a\/b\\c\"d\te","policyDocument":{"Statement":[]},"context":{}}"#,
    ]

    /// Variants of one body that reach the reader's corners.
    static func mutations(of text: String) -> [String] {
        let chars = Array(text)
        var out: [String] = [text, " \t" + text + "\n", "Authorizer result body before parsing: " + text]
        let step = max(1, chars.count / 40)
        for cut in stride(from: 0, to: chars.count, by: step) {
            out.append(String(chars[..<cut]))
            out.append(String(chars[..<cut]) + " [TRUNCATED]")
            var dropped = chars
            dropped.remove(at: cut)
            out.append(String(dropped))
            for replacement: Character in ["\"", "{", "]", ",", "1", "\u{01}", "é", "\\"] {
                var changed = chars
                changed[cut] = replacement
                out.append(String(changed))
            }
        }
        let swaps: [(String, String)] = [
            ("\"principalId\"", "\"PRINCIPALID\""),
            ("\"policyDocument\"", "\"policydocument\""), ("\"policyDocument\"", "\"errorType\":null,\"policyDocument\""),
            ("\"Statement\"", "\"statement\""), ("\"Effect\"", "\"Effect\":\"Deny\",\"Effect\""),
            ("\"Allow\"", "\"allow\""), ("\"Allow\"", "7"), ("\"Allow\"", "null"), ("\"Resource\"", "\"NotResource\""),
            ("\"Action\"", "\"NotAction\":\"x\",\"Action\""), ("\"execute-api:Invoke\"", "[\"execute-api:Invoke\", 3]"),
            ("\"execute-api:Invoke\"", "\"execute-api:\\u0049nvoke\""), ("\"Version\"", "\"Version\":1e5,\"V\""),
            ("\"2012-10-17\"", "01"), ("\"2012-10-17\"", "12345678901234567890"), (":", " : "), (",", " ,\r\n"),
            ("\"principalId\"", "\"context\":{\"a\":[1,{}]},\"principalId\""), ("\"principalId\"", "\"principalId\":true,\"x\""),
            ("\"principalId\"", "\"usageIdentifierKey\":0,\"principalId\""), ("[", "[ ]"), ("{", "{\"k\":false,"),
        ]
        for (from, to) in swaps where text.contains(from) {
            out.append(text.replacingOccurrences(of: from, with: to))
            if let range = text.range(of: from) { out.append(text.replacingCharacters(in: range, with: to)) }
        }
        return out
    }

    @Test func namesMatchingInAnotherCaseTwiceAreLeftToFoundation() {
        // Foundation's dictionary order decides which one `member` finds; the fast reader does not guess.
        var text = #"{"principalid":"x","PrincipalID":"y","policyDocument":{"Statement":[]}}"#
        #expect(text.withUTF8 { AuthorizerPolicy.fastParse(UnsafeRawBufferPointer($0)) } == nil)
    }

    @Test func theFastReadingAgreesWithFoundationOnEveryVariant() {
        let bodies = Self.loggedBodies()
        #expect(bodies.count >= 3)
        var compared = 0, fast = 0
        for seed in Self.seeds + bodies {
            for text in Self.mutations(of: seed) {
                let expected = AuthorizerPolicy.foundationParse(text)
                var bytes = text
                let quick = bytes.withUTF8 { AuthorizerPolicy.fastParse(UnsafeRawBufferPointer($0)) }
                if let quick {
                    fast += 1
                    #expect(quick == expected, "\(text)")
                }
                #expect(AuthorizerPolicy.parse(text) == expected, "\(text)")
                compared += 1
            }
        }
        #expect(compared > 5000)
        #expect(fast > compared / 10)
    }

    @Test func everyLoggedPolicyIsReadOnTheFastPath() {
        for body in Self.loggedBodies() + [PolicySamples.spaceFinder, PolicySamples.muxy] where !body.contains("&quot;") {
            var bytes = body
            let quick = bytes.withUTF8 { AuthorizerPolicy.fastParse(UnsafeRawBufferPointer($0)) }
            #expect(quick != nil, "\(body)")
        }
    }
}
