import Testing
@testable import GateLogKit

/// The lenient JSON object scanner and the time conversions behind `AccessLogRecord`.
@Suite struct AccessLogScannerTests {
    private func scan(_ text: String) -> LenientJSONObjectScanner? {
        Array(text.utf8).withUnsafeBytes { LenientJSONObjectScanner.scan($0) }
    }

    @Test func flattensNestedObjectsAndKeepsValueKinds() throws {
        let s = try #require(scan(#"{"a":"x","b":{"c":1,"d":{"e":null}},"f":[1,{"g":"]"}],"h":true}"#))
        #expect(s.isComplete)
        #expect(s.pairs.map(\.key) == ["a", "b.c", "b.d.e", "f", "h"])
        #expect(s.pairs.map(\.value) == [.string("x"), .bare("1"), .null, .array(#"[1,{"g":"]"}]"#), .bare("true")])
    }

    @Test func recoversUnescapedInnerQuotes() throws {
        let s = try #require(scan(#"{"error_message": "Endpoint request timed out", "error_messageString": " "Endpoint request timed out"", "error_responseType": "INTEGRATION_TIMEOUT"}"#))
        #expect(s.isComplete)
        #expect(s.pairs.map(\.value) == [
            .string("Endpoint request timed out"),
            .unescapedQuotes(#" "Endpoint request timed out""#),
            .string("INTEGRATION_TIMEOUT"),
        ])
    }

    @Test func innerCommaInsideBrokenValueDoesNotEndIt() throws {
        let s = try #require(scan(#"{"msg":""Hello", she said"","status":"400"}"#))
        #expect(s.pairs.map(\.value) == [.unescapedQuotes(#""Hello", she said""#), .string("400")])
    }

    @Test func toleratesTrailingAndDoubledCommasAndBareKeys() throws {
        let s = try #require(scan("{\"a\":\"1\",, b: 2 ,}"))
        #expect(s.isComplete)
        #expect(s.pairs.map(\.key) == ["a", "b"])
        #expect(s.pairs.map(\.value) == [.string("1"), .bare("2")])
    }

    @Test func reportsTruncation() throws {
        let s = try #require(scan(#"{"a":"1","b":"tru"#))
        #expect(!s.isComplete)
        #expect(s.pairs.map(\.key) == ["a"])
        #expect(scan("not json") == nil)
    }

    @Test func requestTimes() {
        #expect(AccessLogTime.milliseconds(requestTime: "02/Jul/2026:11:54:48 +0000") == 1_782_993_288_000)
        #expect(AccessLogTime.milliseconds(requestTime: "02/Jul/2026:04:54:48 -0700") == 1_782_993_288_000)
        #expect(AccessLogTime.milliseconds(requestTime: "01/Jan/1970:00:00:00 +0000") == 0)
        #expect(AccessLogTime.milliseconds(requestTime: "29/Feb/2024:23:59:59 +0000") == 1_709_251_199_000)
        #expect(AccessLogTime.milliseconds(requestTime: "2026-07-02T11:54:48.684Z") == 1_782_993_288_684)
        #expect(AccessLogTime.milliseconds(requestTime: "2026-07-02T11:54:48.684000+00:00") == 1_782_993_288_684)
        #expect(AccessLogTime.milliseconds(requestTime: "2026-07-02 13:54:48.5+02:00") == 1_782_993_288_500)
        #expect(AccessLogTime.milliseconds(requestTime: "32/Jul/2026:11:54:48 +0000") == nil)
        #expect(AccessLogTime.milliseconds(requestTime: "02/Foo/2026:11:54:48 +0000") == nil)
        #expect(AccessLogTime.milliseconds(requestTime: "-") == nil)
        #expect(AccessLogTime.epochMilliseconds("1782993288684") == 1_782_993_288_684)
        #expect(AccessLogTime.epochMilliseconds("1782993288") == 1_782_993_288_000)
        #expect(AccessLogTime.epochMilliseconds("1782993288.68") == 1_782_993_288_680)
        #expect(AccessLogTime.epochMilliseconds("-") == nil)
        #expect(AccessLogTime.epochMilliseconds("12ab") == nil)
    }
}
