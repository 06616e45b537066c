import Testing
@testable import GateLogKit

@Suite struct JSONSnifferTests {
    private func sniff(_ text: String) -> JSONContainerKind? {
        Array(text.utf8).withUnsafeBytes { JSONContainerSniffer.sniff(prefix: $0) }
    }

    @Test func recognisesEachContainer() {
        #expect(sniff(JSONEventsReaderTests.filterLogEvents) == .cloudWatchEvents)
        #expect(sniff(#"{"logStreamName": "e369853df766fa44e1ed0ff613f563bd", "timestamp": 1551267060425, "message": "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g="}"#) == .cloudWatchEvents)
        #expect(sniff(JSONSubscriptionReaderTests.payload) == .subscription)
        #expect(sniff(JSONSubscriptionReaderTests.control + JSONSubscriptionReaderTests.control) == .subscription)
        #expect(sniff(#"{"awslogs": {"data": "H4sIAAAAAAAAAA=="}}"#) == .lambdaSubscription)
        #expect(sniff(#"{"results":[[{"field":"@timestamp","value":"2024-02-24 00:29:03.163"},{"field":"@message","value":"(412e45a2-9321-4077-8b0b-f044a4364918) The client is not authorized to perform this operation."}]],"status":"Complete"}"#) == .queryResults)
        #expect(sniff(JSONInsightsReaderTests.export) == .insightsJSONArray)
        #expect(sniff("\u{FEFF}  \n" + JSONInsightsReaderTests.export) == .insightsJSONArray)
        #expect(sniff(#"{"requestId":"9cef3834-f42c-46d7-83fe-a6401a431398","ip":"203.0.113.7","httpMethod":"GET","status":"403","responseType":"ACCESS_DENIED"}"# + "\n" + #"{"requestId":"x"}"#) == .accessLogNDJSON)
        #expect(sniff(#"{"request_id":"9cef3834","status":403}"#) == .accessLogNDJSON)
    }

    @Test func rejectsOtherInput() {
        #expect(sniff("2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Starting execution for request: 515f1e99") == nil)
        #expect(sniff("(515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200") == nil)
        #expect(sniff(#"{"requestId":"abc","message":"hello"}"#) == nil)
        #expect(sniff("{\n  \"requestId\": \"abc\",\n  \"status\": 403\n}") == nil)
        #expect(sniff(#"{"unrelated": true}"#) == nil)
        #expect(sniff("") == nil)
    }

    @Test func judgesATruncatedPrefixByWhatItSaw() {
        let long = String(repeating: "x", count: 100_000)
        #expect(sniff(#"{"messageType":"DATA_MESSAGE","logEvents":[{"message":""# + long) == .subscription)
        #expect(sniff(#"{"events":[{"message":""# + long + #""}]}"#) == .cloudWatchEvents)
    }
}
