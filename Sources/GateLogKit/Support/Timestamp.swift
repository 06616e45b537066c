/// Parsing and formatting of the timestamps the containers use, on bytes, in milliseconds since the Unix epoch (UTC).
public enum Timestamp {
    /// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    @inlinable
    static func digits(_ bytes: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for i in at..<(at + count) {
            let d = Int(bytes[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// Parses `YYYY-MM-DD(T| )HH:MM:SS[.f{1,9}][Z|±HH:MM|±HHMM]` at the start of `bytes`.
    /// Returns the instant and the number of bytes consumed. A missing zone means UTC.
    @inlinable
    public static func parseISO(_ bytes: UnsafeRawBufferPointer) -> (millis: Int64, length: Int)? {
        guard bytes.count >= 19,
              let year = digits(bytes, 0, 4), bytes[4] == 0x2D,
              let month = digits(bytes, 5, 2), bytes[7] == 0x2D,
              let day = digits(bytes, 8, 2), bytes[10] == 0x54 || bytes[10] == 0x20,
              let hour = digits(bytes, 11, 2), bytes[13] == 0x3A,
              let minute = digits(bytes, 14, 2), bytes[16] == 0x3A,
              let second = digits(bytes, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count, bytes[index] == 0x2E || bytes[index] == 0x2C {
            index += 1
            var scale = 100
            let fractionStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - fractionStart < 9 {
                millis += Int(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            if index == fractionStart { return nil }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            let c = bytes[index]
            if c == 0x5A {  // Z
                index += 1
            } else if c == 0x2B || c == 0x2D, let oh = digits(bytes, index + 1, 2) {
                var om = 0
                var length = 3
                if index + 3 < bytes.count, bytes[index + 3] == 0x3A, let m = digits(bytes, index + 4, 2) {
                    om = m
                    length = 6
                } else if let m = digits(bytes, index + 3, 2) {
                    om = m
                    length = 5
                }
                offsetSeconds = (oh * 3600 + om * 60) * (c == 0x2B ? 1 : -1)
                index += length
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return (Int64(seconds) * 1000 + Int64(millis), index)
    }

    /// Parses the console test-invoke prefix date `Thu Aug 31 01:07:25 UTC 2017` at the start of `bytes`.
    public static func parseTestInvoke(_ bytes: UnsafeRawBufferPointer) -> (millis: Int64, length: Int)? {
        // "Www Mmm DD HH:MM:SS UTC YYYY" = 28 bytes
        guard bytes.count >= 28, bytes[3] == 0x20, bytes[7] == 0x20, bytes[10] == 0x20,
              bytes[19] == 0x20, bytes[20] == 0x55, bytes[21] == 0x54, bytes[22] == 0x43, bytes[23] == 0x20,
              let day = digits(bytes, 8, 2), let hour = digits(bytes, 11, 2), bytes[13] == 0x3A,
              let minute = digits(bytes, 14, 2), bytes[16] == 0x3A, let second = digits(bytes, 17, 2),
              let year = digits(bytes, 24, 4)
        else { return nil }
        let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[4..<7]), as: UTF8.self)
        guard let monthIndex = monthNames.firstIndex(of: name) else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return (Int64(days * 86_400 + hour * 3600 + minute * 60 + second) * 1000, 28)
    }

    public static func parseISO(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { utf8 in
            guard let parsed = parseISO(UnsafeRawBufferPointer(utf8)), parsed.length == utf8.count else { return nil }
            return parsed.millis
        }
    }

    /// `2026-11-20T08:01:02.123Z`.
    public static func iso8601(_ millis: Int64) -> String {
        let totalSeconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - totalSeconds * 1000)
        var days = Int(totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400)
        let secondOfDay = Int(totalSeconds - Int64(days) * 86_400)
        // civil from days
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(ms, 3))Z"
    }
}
