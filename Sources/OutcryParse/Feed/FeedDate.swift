import Foundation
import OutcryModel

/// Dates as feeds write them, normalised to UTC.
///
/// Tries, in feedparser's order: W3C-DTF/ISO 8601 (`2003-12-31T10:14:55Z`,
/// `2003-12-31T10:14:55.563-08:00`, `2003-12-31`, MSSQL `2004-01-01 12:00:00`), RFC 822 and
/// its real-world variants (two-digit years, day and month swapped, `GMT-05:00`, US zone
/// names, a missing time), compact ISO 8601 (`20031231T101455Z`, ordinals `2003-335`), asctime
/// (`Sun Jan  4 16:29:06 PST 2004`) and Perforce (`2006/09/15 08:19:53 EDT`).
///
/// ```swift
/// FeedDate.parse("Thu, 01 Jan 2004 19:48:21 GMT")   // [2004, 1, 1, 19, 48, 21, 3, 1, 0]
/// ```
public enum FeedDate {
    /// The 9-field UTC time tuple (year, month, day, hour, minute, second, weekday Mon=0,
    /// day of year, 0), or nil when the string is not a date.
    public static func parse(_ string: String?) -> [Int]? {
        guard let string, !string.isEmpty else { return nil }
        if let fast = fastPath(string) { return fast }
        return w3dtf(string) ?? rfc822(string) ?? iso8601(string) ?? asctime(string) ?? perforce(string)
    }

    /// The same instant as a `Date`.
    public static func date(_ string: String?) -> Date? {
        guard let t = parse(string) else { return nil }
        let days = daysFromCivil(t[0], t[1], t[2])
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + t[3] * 3600 + t[4] * 60 + t[5]))
    }

    static let zones: [String: Int] = [
        "ut": 0, "gmt": 0, "z": 0, "adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5, "et": -5, "cdt": -5,
        "cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7, "pdt": -7, "pst": -8, "pt": -8, "a": -1, "n": 1,
        "m": -12, "y": 12,
    ]

    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]

    /// Python's `int()` on a string: optional sign, digits, surrounding whitespace.
    static func pyInt<S: StringProtocol>(_ s: S) -> Int? {
        let t = String(s).pythonStripped()
        guard !t.isEmpty else { return nil }
        var body = Substring(t)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCIIDigit }), body.count < 18, let v = Int(body) else { return nil }
        return negative ? -v : v
    }

    static func w3dtf(_ s: String) -> [Int]? {
        if s.pythonStripped().isEmpty { return nil }
        var parts = s.lowercased().split(separator: "t", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 {
            parts = parts[0].split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.isPythonSpace) }).map(String.init)
            if parts.isEmpty { return nil }
            if parts.count == 1 { parts.append("00:00:00z") }
        } else if parts.count > 2 {
            return nil
        }
        var date = parts[0].split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard date.count >= 1, date[0].count == 4 else { return nil }
        while date.count < 3 { date.append("1") }
        guard let year = pyInt(date[0]), let month = pyInt(date[1]), let day = pyInt(date[2]) else { return nil }
        if parts[1].hasSuffix("z") {
            parts[1].removeLast()
            parts.append("z")
        }
        let p1 = parts[1]
        var loc = p1.count
        if let m = p1.firstIndex(of: "-") {
            loc = p1.distance(from: p1.startIndex, to: m)
        } else if let p = p1.firstIndex(of: "+") {
            loc = p1.distance(from: p1.startIndex, to: p)
        }
        let splitIndex = p1.index(p1.startIndex, offsetBy: loc)
        parts.append(String(p1[splitIndex...]))
        parts[1] = String(p1[..<splitIndex])
        var time = parts[1].split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        while time.count < 3 { time.append("0") }
        var tzHour = 0
        var tzMin = 0
        let tz = parts[2]
        if tz.hasPrefix("-") || tz.hasPrefix("+") {
            let chars = Array(tz)
            guard chars.count >= 3, let h = pyInt(String(chars[1..<3])) else { return nil }
            let minuteText = chars.count > 4 ? String(chars[4...]) : ""
            guard let m = pyInt(minuteText) else { return nil }
            tzHour = tz.hasPrefix("-") ? -h : h
            tzMin = tz.hasPrefix("-") ? -m : m
        } else {
            tzHour = zones[tz] ?? 0
        }
        var hms: [Int] = []
        for t in time {
            let trimmed = t.pythonStripped()
            guard let v = Double(trimmed), v.isFinite, !trimmed.lowercased().contains("n") else { return nil }
            hms.append(Int(v))
        }
        return utcTuple(year, month, day, hms[0], hms[1], hms[2], offsetMinutes: tzHour * 60 + tzMin)
    }

    static func rfc822(_ s: String) -> [Int]? {
        var parts = s.lowercased().split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.isPythonSpace) }).map(String.init)
        if parts.isEmpty { return nil }
        if parts.count < 5 { parts += ["00:00:00", "0000"] }
        if let first = parts.first, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(String(first.prefix(3))) {
            parts.removeFirst()
        }
        guard parts.count >= 5 else { return nil }
        var month = months[String(parts[1].prefix(3))]
        let day: Int
        if let d = pyInt(parts[0]) {
            day = d
        } else if let m = months[String(parts[0].prefix(3))] {
            guard let d = pyInt(parts[1]) else { return nil }
            day = d
            month = m
        } else {
            return nil
        }
        guard let month else { return nil }
        guard var year = pyInt(parts[2]) else { return nil }
        if parts[2].count <= 2 { year += year < 90 ? 2000 : 1900 }
        var timeParts = parts[3].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        while timeParts.count < 3 { timeParts.append("0") }
        guard timeParts.count == 3, let hour = pyInt(timeParts[0]), let minute = pyInt(timeParts[1]),
            let second = pyInt(timeParts[2])
        else { return nil }
        var tz = parts[4]
        if tz.hasPrefix("etc/") { tz = String(tz.dropFirst(4)) }
        if tz.hasPrefix("gmt") {
            let rest = tz.dropFirst(3).replacingOccurrences(of: ":", with: "")
            tz = rest.isEmpty ? "gmt" : rest
        }
        var tzHours = 0
        var tzMinutes = 0
        if let f = tz.first, f == "-" || f == "+" {
            let chars = Array(tz)
            guard chars.count >= 3, let h = pyInt(String(chars[1..<3])) else { return nil }
            let minutes: Int?
            if tz.contains(":") {
                minutes = pyInt(chars.count > 4 ? String(chars[4...]) : "")
            } else {
                minutes = pyInt(chars.count > 3 ? String(chars[3...]) : "")
            }
            guard let m = minutes else { return nil }
            tzHours = f == "-" ? -h : h
            tzMinutes = f == "-" ? -m : m
        } else {
            tzHours = zones[tz] ?? 0
        }
        return utcTuple(year, month, day, hour, minute, second, offsetMinutes: tzHours * 60 + tzMinutes)
    }

    /// Compact and ordinal ISO 8601 forms w3dtf does not take.
    static func iso8601(_ s: String) -> [Int]? {
        let t = Array(s.pythonStripped().uppercased())
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= t.count, t[i..<(i + n)].allSatisfy(\.isASCIIDigit) else { return nil }
            let v = Int(String(t[i..<(i + n)]))
            i += n
            return v
        }
        guard let year = digits(4) else { return nil }
        if i < t.count && t[i] == "-" { i += 1 }
        var month = 1
        var day = 1
        let save = i
        if let ordinal = digits(3), i == t.count || t[i] == "T" {
            guard let (m, d) = monthDay(year: year, ordinal: ordinal) else { return nil }
            (month, day) = (m, d)
        } else {
            i = save
            guard let m = digits(2) else { return nil }
            month = m
            if i < t.count && t[i] == "-" { i += 1 }
            if let d = digits(2) { day = d }
        }
        var hour = 0, minute = 0, second = 0, offset = 0
        if i < t.count && t[i] == "T" {
            i += 1
            guard let h = digits(2) else { return nil }
            hour = h
            if i < t.count && t[i] == ":" { i += 1 }
            guard let mi = digits(2) else { return nil }
            minute = mi
            if i < t.count && t[i] == ":" { i += 1 }
            if let se = digits(2) { second = se }
            if i < t.count && t[i] == "." {
                i += 1
                while i < t.count, t[i].isASCIIDigit { i += 1 }
            }
            if i < t.count && t[i] == "Z" {
                i += 1
            } else if i < t.count && (t[i] == "+" || t[i] == "-") {
                let sign = t[i] == "-" ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                if i < t.count && t[i] == ":" { i += 1 }
                let om = digits(2) ?? 0
                offset = sign * (oh * 60 + om)
            }
        }
        guard i == t.count else { return nil }
        return utcTuple(year, month, day, hour, minute, second, offsetMinutes: offset)
    }

    static func asctime(_ s: String) -> [Int]? {
        var parts = s.split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.isPythonSpace) }).map(String.init)
        if parts.count == 5 { parts.insert("+0000", at: 4) }
        guard parts.count == 6 else { return nil }
        return rfc822([parts[0], parts[2], parts[1], parts[5], parts[3], parts[4]].joined(separator: " "))
    }

    static func perforce(_ s: String) -> [Int]? {
        let parts = s.split(separator: " ").map(String.init)
        guard parts.count == 4, parts[0].hasSuffix(",") else { return nil }
        let date = parts[1].split(separator: "/").map(String.init)
        guard date.count == 3, let y = Int(date[0]), let m = Int(date[1]), let d = Int(date[2]), (1...12).contains(m) else { return nil }
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        return rfc822("\(parts[0]) \(d) \(names[m - 1]) \(y) \(parts[2]) \(parts[3])")
    }

    /// The two forms nearly every feed uses, read straight from the bytes:
    /// `2024-01-31T10:00:00(.123)(Z|±HH:MM)` and `Wed, 31 Jan 2024 10:00:00 (+HHMM|GMT|UT|Z)`.
    /// Anything else (or anything odd) goes the general way.
    static func fastPath(_ s: String) -> [Int]? {
        var s = s
        return s.withUTF8 { u -> [Int]? in
            guard let f = FastDate.fields(u) else { return nil }
            return utcTuple(f.year, f.month, f.day, f.hour, f.minute, f.second, offsetMinutes: f.offsetMinutes)
        }
    }

    // MARK: - Calendar arithmetic

    static func isLeap(_ y: Int) -> Bool { CivilCalendar.isLeap(y) }
    static func daysIn(_ y: Int, _ m: Int) -> Int { CivilCalendar.daysIn(y, m) }

    static func monthDay(year: Int, ordinal: Int) -> (Int, Int)? {
        var left = ordinal
        guard left >= 1 else { return nil }
        for m in 1...12 {
            let n = daysIn(year, m)
            if left <= n { return (m, left) }
            left -= n
        }
        return nil
    }

    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilCalendar.days(fromCivil: y, m, d) }
    static func civilFromDays(_ z: Int) -> (Int, Int, Int) { CivilCalendar.civil(fromDays: z) }

    /// Validates like Python's `datetime`, subtracts the offset and builds the UTC tuple.
    static func utcTuple(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, offsetMinutes: Int) -> [Int]? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(year, month),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        let utc = local - offsetMinutes * 60
        let days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400
        let secs = utc - days * 86400
        let (y, m, d) = civilFromDays(days)
        guard (1...9999).contains(y) else { return nil }
        let weekday = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday (Mon=0 → 3)
        let yday = days - daysFromCivil(y, 1, 1) + 1
        return [y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60, weekday, yday, 0]
    }
}
