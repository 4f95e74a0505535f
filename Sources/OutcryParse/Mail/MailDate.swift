import Foundation
import OutcryModel

/// A parsed `Date:` header: the instant and the UTC offset it was written with.
///
/// Parsing is as lenient as Python's `email.utils.parsedate_to_datetime` (whose algorithm
/// it follows, so both agree): optional day name, `dd mon yyyy` or `mon dd yyyy`, two-digit
/// years (69–99 → 19xx, else 20xx), `hh:mm[:ss]` or `hh.mm[.ss]`, numeric zones and the
/// US zone names, trailing comments ignored. `-0000` means "UTC, local zone unknown" and
/// is kept as `offsetSeconds == nil`.
///
/// ```swift
/// MailDate.parse("Tue, 10 Jul 2012 06:06:08 -0700")?.iso8601   // "2012-07-10T06:06:08-07:00"
/// ```
public struct MailDate: Sendable, Equatable {
    public var date: Date
    /// Offset from UTC the sender wrote; nil for `-0000` or an unknown zone.
    public var offsetSeconds: Int?

    /// ISO 8601 with the sender's offset (`2012-07-10T06:06:08-07:00`), `Z` when unknown.
    public var iso8601: String {
        let offset = offsetSeconds ?? 0
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = Int((Double(local) / 86400).rounded(.down))
        let secs = local - days * 86400
        let (y, m, d) = Self.civil(fromDays: days)
        var s = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if let o = offsetSeconds {
            let sign = o < 0 ? "-" : "+"
            s += "\(sign)\(pad(abs(o) / 3600, 2)):\(pad(abs(o) / 60 % 60, 2))"
        } else {
            s += "Z"
        }
        return s
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                                 "january", "february", "march", "april", "may", "june", "july", "august",
                                 "september", "october", "november", "december"]
    private static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let zones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "AST": -400, "ADT": -300, "EST": -500, "EDT": -400,
        "CST": -600, "CDT": -500, "MST": -700, "MDT": -600, "PST": -800, "PDT": -700,
    ]

    /// Parses an RFC 5322 (or obsolete, or sloppy) date; nil when it makes no sense.
    public static func parse(_ text: String) -> MailDate? {
        var data = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        guard !data.isEmpty else { return nil }
        if data[0].hasSuffix(",") || dayNames.contains(data[0].lowercased()) {
            data.removeFirst()
        } else if let comma = data[0].lastIndex(of: ",") {
            data[0] = String(data[0][data[0].index(after: comma)...])
        }
        if data.count == 3 {
            let stuff = data[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            if stuff.count == 3 { data = stuff + data[1...] }
        }
        if data.count == 4 {
            let s = data[3]
            var i = s.firstIndex(of: "+")
            if i == nil { i = s.firstIndex(of: "-") }
            if let i, i > s.startIndex {
                data[3...] = [String(s[..<i]), String(s[i...])]
            } else {
                data.append("")
            }
        }
        guard data.count >= 5 else { return nil }
        var (dd, mm, yy, tm, tz) = (data[0], data[1].lowercased(), data[2], data[3], data[4])
        guard !dd.isEmpty, !mm.isEmpty, !yy.isEmpty else { return nil }
        if !months.contains(mm) {
            (dd, mm) = (mm, dd.lowercased())
            if !months.contains(mm) { return nil }
        }
        var month = months.firstIndex(of: mm)! + 1
        if month > 12 { month -= 12 }
        if dd.hasSuffix(",") { dd.removeLast() }
        if let colon = yy.firstIndex(of: ":"), colon > yy.startIndex { (yy, tm) = (tm, yy) }
        if yy.hasSuffix(",") {
            yy.removeLast()
            if yy.isEmpty { return nil }
        }
        guard let first = yy.first else { return nil }
        if !first.isASCII || !first.isNumber { (yy, tz) = (tz, yy) }
        if tm.hasSuffix(",") { tm.removeLast() }
        var parts = tm.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1, tm.contains(".") { parts = tm.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        if parts.count == 2 { parts.append("0") }
        guard parts.count == 3,
              let year0 = pyInt(yy), let day = pyInt(dd),
              let hour = pyInt(parts[0]), let minute = pyInt(parts[1]), let second = pyInt(parts[2]) else { return nil }
        var year = year0
        if year < 100 { year += year > 68 ? 1900 : 2000 }
        var offset: Int?
        let zone = tz.uppercased()
        if let z = zones[zone] {
            offset = z
        } else if let z = pyInt(zone) {
            offset = z
            if z == 0 && zone.hasPrefix("-") { offset = nil }
        }
        if let o = offset, o != 0 {
            let sign = o < 0 ? -1 : 1
            let v = abs(o)
            offset = sign * ((v / 100) * 3600 + (v % 100) * 60)
        }
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        if let o = offset, abs(o) >= 86400 { return nil }
        let local = days(fromCivil: year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        return MailDate(date: Date(timeIntervalSince1970: TimeInterval(local - (offset ?? 0))), offsetSeconds: offset)
    }

    /// Python's `int()` on a token: optional sign, ASCII digits, underscores between digits not accepted.
    private static func pyInt(_ s: String) -> Int? {
        let t = s.trimmingMailSpace()
        guard !t.isEmpty, t.count < 12 else { return nil }
        return Int(t)
    }

    private static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysIn(year, month) }
    static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int { CivilCalendar.days(fromCivil: y, m, d) }
    static func civil(fromDays z: Int) -> (Int, Int, Int) { CivilCalendar.civil(fromDays: z) }
}

/// Message-ID, In-Reply-To and References values.
public enum MessageIDs {
    /// The ids in a header, in order, without angle brackets. Ids are taken from `<…>`;
    /// a header with none is split at white space (mailers that forget the brackets).
    ///
    /// ```swift
    /// MessageIDs.parse("<a@x> (comment) <b@y>")   // ["a@x", "b@y"]
    /// ```
    public static func parse(_ text: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { break }
            let id = after[..<close].filter { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" }
            if !id.isEmpty { ids.append(String(id)) }
            rest = after[after.index(after: close)...]
        }
        if ids.isEmpty {
            ids = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "," })
                .map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("(") }
        }
        return ids
    }
}
