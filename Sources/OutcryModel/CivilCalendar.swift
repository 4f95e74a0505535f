/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), without
/// Foundation's `Calendar`: the feed, mail and HTTP date parsers all read dates this way.
/// Howard Hinnant's algorithms (`days_from_civil`, `civil_from_days`), exact for any year.
///
/// ```swift
/// CivilCalendar.days(fromCivil: 2026, 12, 3)   // 20425
/// CivilCalendar.civil(fromDays: 20425)          // (2026, 12, 3)
/// ```
public enum CivilCalendar {
    @inlinable
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in a month (1–12) of a year.
    @inlinable
    public static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a date (month 1–12).
    @inlinable
    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date (year, month 1–12, day) of a day number.
    @inlinable
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
