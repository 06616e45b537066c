import Testing
@testable import GateLogKit

/// The byte searches `RequestFacts` reads header and body lines with.
@Suite struct RequestFactsScanTests {
    @Test func probingARarerByteFindsTheFirstOccurrence() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("\"mA:ethodrn x".utf8)
        let needle = Array("\"methodArn\"".utf8)
        var found = 0
        for _ in 0..<5000 {
            var haystack = (0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            if Bool.random(using: &generator) {
                haystack.insert(contentsOf: needle, at: Int.random(in: 0...haystack.count, using: &generator))
            }
            let expected = needle.withUnsafeBytes { n in haystack.withUnsafeBytes { ByteSearch.firstIndex(of: n, in: $0) } }
            let probed = needle.withUnsafeBytes { n in haystack.withUnsafeBytes { ByteSearch.firstIndex(of: n, in: $0, probing: 7) } }
            #expect(probed == expected)
            if expected != nil { found += 1 }
        }
        #expect(found > 1000)
    }

    @Test(arguments: [
        (#"{"type":"TOKEN","methodArn":"arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/DELETE/pets/5152","authorizationToken":"eyJ"}"#,
         "arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/DELETE/pets/5152"),
        (#"{"type": "REQUEST", "methodArn" : "arn:aws:execute-api:us-east-1:1:a/b/GET/" [TRUNCATED]"#, "arn:aws:execute-api:us-east-1:1:a/b/GET/"),
        (#"{"xmethodArn":"no","methodArn":"arn:x"}"#, "arn:x"),
        (#"{"methodArn": 5, "methodArn":"arn:x"}"#, nil),
        (#"{"methodArn":"arn:aws:execute-api:us-east-1:1:a/b/GET/p\"q"}"#, nil),
        (#"{"methodArn":""}"#, nil),
        (#"{"methodArn":"arn:aws:execute-api:us-east-1 [TRUNCATED]"#, nil),
        (#"{"path":"/pets","body":"{}"}"#, nil),
    ] as [(String, String?)])
    func methodArnOfAnAuthorizerEvent(body: String, expected: String?) {
        var text = body
        #expect(text.withUTF8 { RequestFacts.methodArnValue(in: UnsafeRawBufferPointer($0)) } == expected)
    }
}
