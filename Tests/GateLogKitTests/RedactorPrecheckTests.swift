import Foundation
import Testing
@testable import GateLogKit

/// `Redactor.mayHoldSecret` lets `redact` skip texts no rule can change; it must never skip one that a rule changes.
@Suite struct RedactorPrecheckTests {
    static let sampleLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs").path

    static func mayHoldSecret(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { Redactor.mayHoldSecret(UnsafeRawBufferPointer($0)) }
    }

    /// Every line of the plain-text SampleLogs, and each of its `key=value`-bearing pieces on its own.
    static func sampleTexts() throws -> [String] {
        var texts: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: sampleLogs)
        while let relative = enumerator?.nextObject() as? String {
            let path = sampleLogs + "/" + relative
            guard !relative.hasSuffix(".gz"), let data = FileManager.default.contents(atPath: path),
                  let content = String(data: data, encoding: .utf8) else { continue }
            for line in content.split(whereSeparator: \.isNewline) {
                texts.append(String(line))
                texts.append(contentsOf: line.split(separator: ",").map(String.init))
            }
        }
        return texts
    }

    @Test func noSampleTextThatRedactionChangesIsSkipped() throws {
        let texts = try Self.sampleTexts()
        #expect(texts.count > 1000)
        var changed = 0
        for text in texts where Redactor.scanned(text) != text {
            changed += 1
            #expect(Self.mayHoldSecret(text), "skipped although redaction changes it: \(text)")
        }
        #expect(changed > 20)
        for text in texts { #expect(Redactor.redact(text) == Redactor.scanned(text)) }
    }

    @Test(arguments: [
        "Endpoint request headers: {Authorization=Bearer abcdefghijkl, Accept=application/json}",
        #"{"authorizationToken" : "allow-me-please"}"#,
        "X-Amz-Security-Token: FQoGZXIvYXdzEJr",
        "COOKIE=session=1234567890",
        "https://example.com/login?token=abc123def456&x=1",
        "Resource Path: /magic/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz",
        "aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "key wJalrXUtnFEMI1K7MDENG2bPxRfiCYEXAMPLEKEY end",
    ])
    func textsWithSecretsAreScanned(_ text: String) {
        #expect(Self.mayHoldSecret(text))
        #expect(Redactor.redact(text) != text)
    }

    @Test(arguments: [
        "Method completed with status: 200",
        "HTTP Method: DELETE, Resource Path: /pets/5152",
        "Received response. Status: 200, Integration latency: 137 ms",
        "DELETE /pets/{petId}",
        "Starting authorizer: 4hugyv for request: 0793d729-f028-4d4f-a478-354e42a60c07",
    ])
    func ordinaryLinesAreSkipped(_ text: String) {
        #expect(!Self.mayHoldSecret(text))
        #expect(Redactor.scanned(text) == text)
    }
}
