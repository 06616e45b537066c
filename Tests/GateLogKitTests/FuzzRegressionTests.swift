import Testing
@testable import GateLogKit

/// Inputs that once broke gatelog, or that aim at the places where parsers usually break, replayed through the same
/// harness the libFuzzer target runs (`Tests/Fuzz/FuzzRecords.swift`): none may crash, hang or break an output
/// property (no control characters on the terminal, no CSV formula, valid JSON).
@Suite struct FuzzRegressionTests {
    static let id = "515f1e99-39db-11e9-9e96-01e5c04505b9"

    static let inputs: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("gzip magic only", [0x1F, 0x8B]),
        ("gzip header cut", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B]),
        ("gzip member then garbage", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x41]),
        ("lone CR and NUL lines", Array("\r\r\n\0\n\r".utf8)),
        ("timestamp prefixes cut short", Array("2019-02-26T15:29:33.\n2019-02-26T15:29:33.734\n2019-02-26T15:29:33.734Z\nThu Aug 31 01:07:25 UTC 2017 :".utf8)),
        ("timestamp with absurd fields", Array("9999-99-99T99:99:99.999+99:99 (\(id)) Method completed with status: 200\n".utf8)),
        ("id prefix without a closing paren", Array("(\(id) Method completed with status: 200\n(".utf8)),
        // Caps of the harness: 16 lines / 2 KiB per request, 512-byte records.
        ("one request id over the line cap", Array(String(repeating: "(\(id)) Method request query string: {}\n", count: 40).utf8)
            + Array("(\(id)) Method completed with status: 200\n".utf8)),
        ("multi-line record over the record cap", Array("(\(id)) Method request body before transformations: {\n".utf8)
            + Array(String(repeating: "  \"k\": \"" + String(repeating: "v", count: 60) + "\",\n", count: 20).utf8) + Array("}\n".utf8)),
        ("line over the line cap", Array("(\(id)) Endpoint response body before transformations: ".utf8) + [UInt8](repeating: 0x7B, count: 2000)),
        ("escape sequences and bidi in a path", Array("(\(id)) HTTP Method: GET, Resource Path: /\u{1B}]0;t\u{07}\u{1B}[2J\u{202E}x\u{9B}\n(\(id)) Method completed with status: 403\n".utf8)),
        ("invalid UTF-8 everywhere", [0x28] + Array(id.utf8) + [0x29, 0x20, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xFF, 0x0A]),
        ("JSON nested past the depth limit", Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)),
        ("JSON lone surrogates", Array(#"{"events":[{"timestamp":1,"message":"(\#(id)) \ud800 \udc00 \u0000 \u001b]0;x\u0007"}]}"#.utf8)),
        ("JSON huge numbers", Array(#"{"events":[{"timestamp":1e999,"message":"x"},{"timestamp":-99999999999999999999,"message":"y"}]}"#.utf8)),
        ("subscription with bad base64", Array(#"{"awslogs":{"data":"H4sI!!!!"}}"#.utf8)),
        ("subscription with wrong types", Array(#"{"messageType":"DATA_MESSAGE","logGroup":5,"logEvents":"x"}{"messageType":"DATA_MESSAGE","logEvents":[5,{"message":7}]}"#.utf8)),
        ("Insights rows of the wrong shape", Array(#"[{"@message":null},{"@timestamp":"2024-02-24 00:29:03.163","@message":["x"]},7]"#.utf8)),
        ("authorizer policy with many wildcards", Array((#"Authorizer result body before parsing: {"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Deny","Resource":""# + String(repeating: "*a", count: 300) + #"b"}]}}"#).utf8)),
        ("authorizer policy of the wrong types", Array(#"{"principalId":["x"],"policyDocument":{"Statement":{"Effect":5,"Action":[1],"Resource":{}}},"context":{"a":{"b":[]}}}"#.utf8)),
        ("access log shapes", Array(#"{"requestId":"\#(id)","status":"99999999999999999999","requestTime":"32/Foo/2024:99:99:99 +9999","responseLatency":"-1"}"#.utf8)
            + Array("\n198.51.100.1 - - [24/Feb/2024:00:29:03 +0000] \"GET /x HTTP/1.1\" 403 - \(id)\n<request id=\"\(id)\"><status>4".utf8)),
        ("secrets at the end of the input", Array("x-api-key=\nAuthorization: Bearer \ncookie=\"unterminated\neyJ.eyJ.\n".utf8)),
    ]

    @Test(arguments: inputs.indices)
    func replaysWithoutCrashing(_ index: Int) {
        FuzzHarness.run(Self.inputs[index].bytes)
    }

    @Test func gzipWrappedInputsToo() throws {
        for input in Self.inputs where !input.bytes.isEmpty {
            FuzzHarness.run(try gzip(input.bytes))
        }
    }
}
