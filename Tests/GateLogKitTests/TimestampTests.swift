import Testing
@testable import GateLogKit

/// Expected instants are computed independently (python `datetime`), not with the code under test.
@Suite struct TimestampTests {
    private func parse(_ text: String) -> (millis: Int64, length: Int)? {
        Array(text.utf8).withUnsafeBytes { Timestamp.parseISO($0) }
    }

    private func parseTestInvoke(_ text: String) -> (millis: Int64, length: Int)? {
        Array(text.utf8).withUnsafeBytes { Timestamp.parseTestInvoke($0) }
    }

    @Test(arguments: [
        // S3 export (log-formats.md §7.1)
        ("2019-02-26T15:29:33.734Z", Int64(1_551_194_973_734)),
        // console copy with a local offset (§1.2), both offset spellings
        ("2023-10-27T14:40:57.744+01:00", 1_698_414_057_744),
        ("2023-10-27T14:40:57.744+0100", 1_698_414_057_744),
        ("2023-10-27T14:40:57.744-05:00", 1_698_435_657_744),
        // `aws logs tail` detailed: microseconds and +00:00 (§7.3)
        ("2019-02-27T11:31:00.425000+00:00", 1_551_267_060_425),
        // `tail --format json` omits a zero fraction; `tail --format short` has no zone (UTC)
        ("2019-02-27T11:31:00+00:00", 1_551_267_060_000),
        ("2019-02-27T11:31:00", 1_551_267_060_000),
        // Logs Insights: space instead of T, no zone (§7.4)
        ("2024-02-24 00:29:03.163", 1_708_734_543_163),
        // nanoseconds are cut to milliseconds, never rounded up
        ("2019-02-26T15:29:33.734999999Z", 1_551_194_973_734),
        ("2019-02-26T15:29:33.7Z", 1_551_194_973_700),
        ("2019-02-26T15:29:33,734Z", 1_551_194_973_734),
        // leap day, and a date before 1970
        ("2024-02-29T23:59:59.999Z", 1_709_251_199_999),
        ("1960-02-29T06:30:15.250Z", -310_498_184_750),
    ])
    func parsesISOVariants(_ text: String, _ expected: Int64) {
        let parsed = parse(text)
        #expect(parsed?.millis == expected, "\(text)")
        #expect(parsed?.length == text.utf8.count, "\(text)")
        #expect(Timestamp.parseISO(text) == expected, "\(text)")
    }

    @Test func reportsHowMuchOfTheLineItConsumed() {
        let line = "2019-02-26T15:29:33.734Z (515f1e99-39db-11e9-9e96-01e5c04505b9) Method completed with status: 200"
        #expect(parse(line)?.length == 24)
        #expect(parse("2023-10-27T14:40:57.744+01:00 | (a4188e34-6d1c-4bbf-9d6c-6e2f1b7e7a30) x")?.length == 29)
        // The whole-string form refuses trailing text.
        #expect(Timestamp.parseISO(line) == nil)
    }

    @Test(arguments: [
        "2019-02-26", "2019-2-26T15:29:33Z", "2019-13-26T15:29:33Z", "2019-02-32T15:29:33Z", "2019-02-26T24:00:00Z",
        "2019-02-26T15:60:00Z", "2019-02-26X15:29:33Z", "2019-02-26T15:29:33.Z", "(515f1e99-39db-11e9-9e96-01e5c04505b9) x",
        "Thu Aug 31 01:07:25 UTC 2017",
    ])
    func rejectsWhatIsNotAnISOTimestamp(_ text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test func parsesTheTestInvokeDate() {
        let parsed = parseTestInvoke("Thu Aug 31 01:07:25 UTC 2017 : Starting execution for request: test-invoke-request")
        #expect(parsed?.millis == 1_504_141_645_000)
        #expect(parsed?.length == 28)
        #expect(parseTestInvoke("Thu Feb 29 23:59:59 UTC 2024")?.millis == 1_709_251_199_000)
        #expect(parseTestInvoke("Thu Foo 31 01:07:25 UTC 2017") == nil)
        #expect(parseTestInvoke("Thu Aug 31 01:07:25 GMT 2017") == nil)
        #expect(parseTestInvoke("Thu Aug 31 01:07:25 UTC 17") == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_551_194_973_734, "2019-02-26T15:29:33.734Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (951_825_600_000, "2000-02-29T12:00:00.000Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-310_498_184_750, "1960-02-29T06:30:15.250Z"),
        (-2_203_891_200_001, "1900-02-28T23:59:59.999Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (-11_644_473_600_000, "1601-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsISO8601(_ millis: Int64, _ expected: String) {
        #expect(Timestamp.iso8601(millis) == expected)
        #expect(Timestamp.parseISO(expected) == millis)
    }

    @Test func roundTripsAcrossCenturies() {
        // Every ~13.7 days (an odd step so times of day and milliseconds vary) from 1601 to 2400.
        var millis: Int64 = -11_644_473_600_000
        var checked = 0
        while millis < 13_569_465_600_000 {
            let text = Timestamp.iso8601(millis)
            #expect(Timestamp.parseISO(text) == millis, "\(millis) → \(text)")
            millis += 1_183_680_123
            checked += 1
        }
        #expect(checked > 20_000)
    }
}
