import Foundation
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

    /// Found by the fuzzer (crash-71ee8708…, 1,954 bytes): a lifecycle whose evidence mixes lines, masks and invalid
    /// UTF-8; the harness's CSV check judged quoting by Characters, where a closing quote can merge into the grapheme
    /// before it. The check now reads bytes, as CSV readers do — and so does `CSV.cell`, which had the matching hole
    /// (`,` or `"` followed by a combining mark was not quoted).
    static let foundByFuzzer: [[UInt8]] = [
        Array(Data(base64Encoded: [
        "MjAyNi0xMS0yMFQwOToyMDowMC4xMDNaICgzMDVmOWEyYS1iMWQ1LTQ4ZjYtOGQ1ZC03M2IyMWZmZDVlNzYpIEVuZHBvaW50IHJlcXVlc3QgaG",
        "VhZGVyczoge3gtYW16bi1sYW1iZGEtaW50ZWdyYXRpb24tdGFnPTMwNmY5MjAyNi0xMS0yMFQwODo0MTowNS4yOTQrMDE6MDAgfCAoYmRmMmIx",
        "YmQtZTRiNS0xMWYxLTg2NTAtZDM1YTNlZWJlNzkzKSBFbmRwb2ludCByZXF1ZXN0//////////////////8gaGVhZGVyczoge3gtYW16bi1sYW",
        "1iZGEtaW50ZWdyYXRpb24tdGFnPWJkZjJiMWJkLWU0YjUtMTFmMS04NjUwLWQzNWEzZWViZTc5MywgQXV0aG9yaXphdGlvbj0qKioBAAAAAAAA",
        "IioqKioqKioqKioqKioqKip7ImFwaUlkIjoiazd4Mm1xOXp0MSIsImVycm9yTWVzc2FnZSI6IlVzZXI6IGFub255bW91cyBpcyBub3QgYXV0aG",
        "9yaXplZCB0byBwZXJmb3JtOiBleGVjdXRlLWFwaTpJbnZva2Ugb4n8m4nDXNw64ejz0RaWY5ce4kn2/YZVGHEQcKzdv4VufHCDPtz2pw+AeQ+3",
        "vezSLKvFkPq3J02TRcX+79toyL+kPsHEoavZw39+sIL1R6jMH3uWD2aGbkyXbvXQbWun881om9m+8R9gYeNYtybE9hGx0M185n7XHO07VAyJ4n",
        "1GJvGBO6DhN3BoQWzLeDFRDu2aeztPftLgeca6k36x7D0B3Qs19sZ2D7KEwLKOE66ClHMe4epkZT8q4erkirwL4epBC/H0SHAP4er8APAEJQIS",
        "rqB0saRDjCso/bh2+ccoV5eW/0W5Oj30/uJbvYqBKg9zmV0NIvytT5X6h1XpO2P6R8gq10JQvoV/hGo6YT/jWwD++UypQjyWeYgJ0aACiSKZOj",
        "NWQTJlGbL/BRScUhXP9XVDNHKJaDaRUue0s+gMa2Isv56WJ5KkVKVueVzG600qSrWmFCPtvrGU0kcpVYrIaUwpk9eArMuaqFNeQUAEomkepFSJ",
        "8JlSxfusKuVSRtWlQ/0kRtWDMOkTwklHEnyX1+wLQfrvf0w2Ck34gRCkz8uomgK8SEWmet+t4KS2rKmbFLI68mzWdKlVzwhC2lkn4toym6/nFt",
        "GEmpVJtBVpT7WWKuHBuJObxDqFTJaEe/VUukMnE3XgDGqiM2hs5r1NuBpR20Y6L+P5OJE1ytXyrNhqqqVBmm9EB70NLA+Vem8yibaam7CaS5G8",
        "NUtVG9N5r7jaZDLRRcEWkrF+IgziBbGRMPSZacR0PZ8Vxm5Na7YSQjVB6rWNWE7pk+ioPopRNzdI2dG1ihbRdi9fXCpr1VWVcTmpG9OOO4vGiM",
        "kvxmNR9doRQ613I8LaJs0lFpe5UWspjUZSa9aFk0UjqrbXvHocQbrEmVyHUeWH5n8TStWHgq4+HZ/qjMnYMcqUCD8DZcoHgd6dMxVkjLNH6EMK",
        "Vn3x6EMG9qrO5HMwqrbVEkQ5cLXOYlSx8OEXlKqTZX94ShWUXnKq2HAPQek1qcpweq9IVYryS07VFZomCKfKF3MepwoG51SJJpUUYrDqyVTgeE",
        "XQOBmw6RxPCYvUKOV5At6dU3UgUnziVPEKC3YpApKEAZLwAU7VQ/cop0d7gTlVzJQeSVU7O3pmVTEbemZVbQ3o6vr9FlLVoT55IFWxoEHGJi/q",
        "2NAMQZYOkKpOrvOppKpzGzU4qepkCYFIVUHG38WaHCNVHejrt7KlOwHcyrJPqtJF0wCkuYIz+YCcwY0xKpmkJaBuS/DXpwptXBI0dq2YTq46g9",
        "zgN61rXcaTo4bVrdpqI7lWvrd2r63rUwh/QkNO79bPxx98qON2FV2wOn58/uCfl1jDvyL/uvnPfuYqKioqKioqKioqKioqKioqKioqKioqKioq",
        "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioyMDI2LTExLTIwVDA4OjQxOjA1LjMzNCswMTowMCB8IChiZGYyYjFiZC1lNG",
        "I1LTExZjEtODY1MC1kMzVhM2VlYmU3OTMpIFJlY2VpdmVkIHJlc3BvbnNlLiBTdGF0dXM6IDQwMCwgSW50ZWdyYXRpb24gbGF0ZW5jKioqKioq",
        "KioqKmEyYS1iMWQ1LTQ4ZjYtOGS0ZC03M+w9Ad0LNfbGdg+yhMCyjhOugpRzHuHqZGU/KuHq5Iq8C+HqQQvx9EhwD+Hq/ADwBCUCEq6gdLGkQ4",
        "wrKP24dvnHKFeXlv9FuTo99P7iW72KgSoPc5ldDSL8rU+V+odV6Ttj+kfIKtdCUL6Ff4RqOmE/41sA/vlMqUI8lnmICdGgAokimTozVkEyZRmy",
        "/wUUnFIVz/V1QzRyiWg2kVLntLPoDGtiLL+elieSpFQg89gLH/94RR7UiKf3f8UdnC3076zt2W2Ou6VueVzG600qSrWmFCPtvrGU0kcpVYrIaU",
        "wpk9eArMuaqFNeQUAEomkepFSJ8JlSxfusKuVSRtWlQ/0kRtX+PluP9e9g+1bYZ2tC8Nn6WZHYgw==",
        ].joined())!),
    ]

    @Test func inputsTheFuzzerFound() {
        for input in Self.foundByFuzzer { FuzzHarness.run(input) }
    }
}
