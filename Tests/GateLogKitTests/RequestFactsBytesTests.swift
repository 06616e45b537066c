import Testing
@testable import GateLogKit

/// The byte readers `RequestFacts` uses in place of `String` round trips must read what the `String` path read.
@Suite struct RequestFactsBytesTests {
    @Test(arguments: ["200", "0", "137", "+5", "-3", "-0", "+", "-", "12a", " 1", "9223372036854775807",
                      "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "00042", "1.5", "٣"])
    func integerReadsAsIntOfString(_ digits: String) {
        var copy = digits
        let read = copy.withUTF8 { RequestFacts.integer(UnsafeRawBufferPointer($0)) }
        #expect(read == Int(digits))
    }

    @Test(arguments: [
        ("Method completed with status: 502", "status: ", UInt8(0x20), "502"),
        ("Extended Request Id: Kx2pWEgmoAMFXkQ= [TRUNCATED]", "Extended Request Id: ", UInt8(0x20), "Kx2pWEgmoAMFXkQ="),
        ("Received response. Status: 200, Integration latency: 137 ms", "Integration latency: ", UInt8(0x20), "137"),
        ("Starting authorizer: 4hugyv for request: 0793d729", "Starting authorizer: ", UInt8(0x20), "4hugyv"),
        ("Starting authorizer:  for request", "Starting authorizer: ", UInt8(0x20), nil),
        ("x Extended Request Id: abc", "Extended Request Id: ", UInt8(0x20), "abc"),
        ("Sending request to https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:f/invocations",
         "arn:aws:lambda:", UInt8(0x3A), "eu-west-1"),
        ("Endpoint request URI: https://example.com/x", "arn:aws:lambda:", UInt8(0x3A), nil),
    ] as [(String, StaticString, UInt8, String?)])
    func valueReadsAsScanValue(_ text: String, _ key: StaticString, _ terminator: UInt8, _ expected: String?) {
        var copy = text
        let read = copy.withUTF8 { bytes -> String? in
            let raw = UnsafeRawBufferPointer(bytes)
            return RequestFacts.value(in: raw, after: key, until: terminator).map { RequestFacts.string(raw, $0) }
        }
        #expect(read == expected)
    }
}
