/// Converts the time values access logs carry into milliseconds since the Unix epoch (UTC).
enum AccessLogTime {
    /// `$context.requestTimeEpoch`: epoch milliseconds as text (`1782993288684`). Ten-digit values are taken as seconds,
    /// and a fraction after a `.` is read as part of a second.
    static func epochMilliseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.utf8.count <= 16, whole.utf8.allSatisfy(isDigit),
              let value = Int64(whole)
        else { return nil }
        if parts.count == 2 {
            let fraction = parts[1]
            guard fraction.utf8.allSatisfy(isDigit) else { return nil }
            if whole.utf8.count <= 11 {
                var millis: Int64 = 0
                var digits = 0
                for c in fraction.utf8.prefix(3) {
                    millis = millis * 10 + Int64(c - 48)
                    digits += 1
                }
                for _ in digits..<3 { millis *= 10 }
                return value * 1000 + millis
            }
            return value
        }
        return whole.utf8.count <= 11 ? value * 1000 : value
    }

    /// `$context.requestTime` (`02/Jul/2026:11:54:48 +0000`, CLF) or an ISO 8601 time (`2026-07-02T11:54:48.684Z`).
    static func milliseconds(requestTime text: String) -> Int64? {
        let bytes = Array(text.utf8)
        return clf(bytes) ?? iso8601(bytes)
    }

    /// `dd/Mon/yyyy:HH:mm:ss ±hhmm`
    static func clf(_ b: [UInt8]) -> Int64? {
        guard b.count >= 20, b[2] == UInt8(ascii: "/"), b[6] == UInt8(ascii: "/"), b[11] == UInt8(ascii: ":"),
              b[14] == UInt8(ascii: ":"), b[17] == UInt8(ascii: ":"),
              let day = number(b, 0, 2), let year = number(b, 7, 4), let hour = number(b, 12, 2),
              let minute = number(b, 15, 2), let second = number(b, 18, 2),
              let month = monthNumber(b[3], b[4], b[5])
        else { return nil }
        var offsetMinutes = 0
        if b.count > 20 {
            guard b.count == 26, b[20] == UInt8(ascii: " "), let offset = zoneOffset(b, 21, colon: false) else { return nil }
            offsetMinutes = offset
        }
        return compose(year, month, day, hour, minute, second, millis: 0, offsetMinutes: offsetMinutes)
    }

    /// `yyyy-mm-ddTHH:MM:SS[.fff…](Z|±hh:mm|±hhmm)`; a space may replace the `T`; no zone means UTC.
    static func iso8601(_ b: [UInt8]) -> Int64? {
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2)
        else { return nil }
        var k = 19
        var millis = 0
        if k < b.count, b[k] == UInt8(ascii: ".") {
            k += 1
            var digits = 0
            while k < b.count, isDigit(b[k]) {
                if digits < 3 { millis = millis * 10 + Int(b[k] - 48) }
                digits += 1
                k += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
        }
        var offsetMinutes = 0
        if k < b.count {
            if b[k] == UInt8(ascii: "Z") {
                guard k + 1 == b.count else { return nil }
            } else if b.count - k == 6, let offset = zoneOffset(b, k, colon: true) {
                offsetMinutes = offset
            } else if b.count - k == 5, let offset = zoneOffset(b, k, colon: false) {
                offsetMinutes = offset
            } else {
                return nil
            }
        }
        return compose(year, month, day, hour, minute, second, millis: millis, offsetMinutes: offsetMinutes)
    }

    private static func compose(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int,
                                millis: Int, offsetMinutes: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// `±hhmm` or `±hh:mm` at `start`, in minutes east of UTC.
    private static func zoneOffset(_ b: [UInt8], _ start: Int, colon: Bool) -> Int? {
        guard start < b.count else { return nil }
        let sign: Int
        switch b[start] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hours = number(b, start + 1, 2) else { return nil }
        let minuteStart = colon ? start + 4 : start + 3
        if colon { guard start + 3 < b.count, b[start + 3] == UInt8(ascii: ":") else { return nil } }
        guard let minutes = number(b, minuteStart, 2) else { return nil }
        return sign * (hours * 60 + minutes)
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for k in start..<(start + count) {
            guard isDigit(b[k]) else { return nil }
            value = value * 10 + Int(b[k] - 48)
        }
        return value
    }

    private static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let key = String(decoding: [a | 0x20, b | 0x20, c | 0x20], as: UTF8.self)
        guard let index = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].firstIndex(of: key)
        else { return nil }
        return index + 1
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
