import Foundation

/// Weekly opening hours in a named (IANA) time zone, with holidays; or open all the time (24×7).
///
/// Hours are local wall-clock times, so a 09:00-17:00 day stays 09:00-17:00 across a DST change,
/// and an overnight span (`22:00-06:00`) is 7 or 9 real hours on the nights the clocks change.
/// A span belongs to the day it starts on: a holiday removes the spans that start that day.
///
/// ```swift
/// let office = try BusinessCalendar(timeZoneID: "Europe/London",
///                                   hours: [.mon: [try TimeRange(parsing: "09:00-17:00")]],
///                                   holidays: [LocalDate(2026, 12, 25)])
/// let due = office.addBusinessTime(4 * 3600, to: start)
/// ```
///
/// Configuration: either the string `"24x7"`, or
/// `{time_zone: Europe/London, hours: {mon: ["09:00-17:00"], …}, holidays: ["2026-12-25"]}`.
public struct BusinessCalendar: Sendable, Equatable, Codable {
    public private(set) var timeZoneID: String
    public private(set) var hours: [Weekday: [TimeRange]]
    public private(set) var holidays: Set<LocalDate>
    public private(set) var isAlwaysOpen: Bool

    /// Open every second of every day; holidays do not apply.
    public static let twentyFourSeven = BusinessCalendar(alwaysOpen: ())

    private init(alwaysOpen: Void) {
        timeZoneID = "UTC"
        hours = [:]
        holidays = []
        isAlwaysOpen = true
    }

    public init(timeZoneID: String, hours: [Weekday: [TimeRange]], holidays: Set<LocalDate> = []) throws {
        guard TimeZone(identifier: timeZoneID) != nil else {
            throw AlertingConfigError("time zone \"\(timeZoneID)\" is not an IANA time zone id (like Europe/London)")
        }
        guard hours.values.contains(where: { !$0.isEmpty }) else {
            throw AlertingConfigError("a business calendar needs opening hours on at least one day")
        }
        self.timeZoneID = timeZoneID
        self.hours = hours.mapValues { $0.sorted { $0.startMinute < $1.startMinute } }
        self.holidays = holidays
        isAlwaysOpen = false
    }

    /// The same hours on every listed weekday.
    public init(timeZoneID: String, days: [Weekday], range: String, holidays: Set<LocalDate> = []) throws {
        let r = try TimeRange(parsing: range)
        try self.init(timeZoneID: timeZoneID, hours: Dictionary(uniqueKeysWithValues: days.map { ($0, [r]) }), holidays: holidays)
    }

    enum CodingKeys: String, CodingKey {
        case timeZone = "time_zone", hours, holidays
    }

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            guard text.lowercased() == "24x7" else {
                throw DecodingError.dataCorruptedError(in: single, debugDescription: "a calendar is \"24x7\" or a map with time_zone and hours")
            }
            self = .twentyFourSeven
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let tz = try c.decode(String.self, forKey: .timeZone)
        let hours = try c.decode([Weekday: [TimeRange]].self, forKey: .hours)
        let holidays = try c.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? []
        self = try decodingConfig(decoder) { try BusinessCalendar(timeZoneID: tz, hours: hours, holidays: Set(holidays)) }
    }

    public func encode(to encoder: Encoder) throws {
        if isAlwaysOpen {
            var s = encoder.singleValueContainer()
            try s.encode("24x7")
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(timeZoneID, forKey: .timeZone)
        try c.encode(hours, forKey: .hours)
        try c.encode(holidays.sorted(), forKey: .holidays)
    }

    // MARK: - Queries

    /// Seconds of open time between two instants (0 when `end <= start`).
    public func businessSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        if isAlwaysOpen { return end.timeIntervalSince(start) }
        var total: TimeInterval = 0
        var cursor = start
        forEachOpenSpan(from: start) { span in
            if span.start >= end { return false }
            let s = max(span.start, cursor)
            let e = min(span.end, end)
            if e > s {
                total += e.timeIntervalSince(s)
                cursor = e
            }
            return true
        }
        return total
    }

    /// The instant at which `seconds` of open time have passed since `start`.
    ///
    /// Adding 0 to a closed instant gives the instant itself. A calendar that never opens again
    /// within about two years gives `Date.distantFuture`.
    public func addBusinessTime(_ seconds: TimeInterval, to start: Date) -> Date {
        if isAlwaysOpen { return start.addingTimeInterval(seconds) }
        guard seconds > 0 else { return start }
        var remaining = seconds
        var cursor = start
        var result = Date.distantFuture
        forEachOpenSpan(from: start) { span in
            let s = max(span.start, cursor)
            guard span.end > s else { return true }
            let available = span.end.timeIntervalSince(s)
            if available >= remaining {
                result = s.addingTimeInterval(remaining)
                return false
            }
            remaining -= available
            cursor = span.end
            return true
        }
        return result
    }

    /// Whether the calendar is open at an instant.
    public func isOpen(at date: Date) -> Bool {
        openSpan(containing: date) != nil
    }

    /// The whole open period around an instant (adjacent and overlapping spans merged), or nil when closed.
    public func openSpan(containing date: Date) -> DateInterval? {
        if isAlwaysOpen { return DateInterval(start: .distantPast, end: .distantFuture) }
        var run: (start: Date, end: Date)?
        var found: DateInterval?
        forEachOpenSpan(from: date) { span in
            if let r = run, span.start <= r.end {
                run = (r.start, max(r.end, span.end))
            } else {
                if let r = run, r.start <= date, date < r.end {
                    found = DateInterval(start: r.start, end: r.end)
                    return false
                }
                if span.start > date { return false }
                run = (span.start, span.end)
            }
            return true
        }
        if found == nil, let r = run, r.start <= date, date < r.end { found = DateInterval(start: r.start, end: r.end) }
        return found
    }

    /// The first open instant at or after `date`.
    public func nextOpening(atOrAfter date: Date) -> Date {
        if isAlwaysOpen { return date }
        var result = Date.distantFuture
        forEachOpenSpan(from: date) { span in
            if span.end > date {
                result = max(span.start, date)
                return false
            }
            return true
        }
        return result
    }

    // MARK: - Spans

    var calendar: Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZoneID) ?? TimeZone(identifier: "UTC")!
        return cal
    }

    /// Calls `body` with open spans in order of their start, beginning with the day before the one
    /// containing `date` (overnight spans), until it returns false or ~800 days have been scanned.
    /// Spans may overlap (an overnight span and the next day's early span); callers clip.
    func forEachOpenSpan(from date: Date, _ body: (DateInterval) -> Bool) {
        let cal = calendar
        let parts = cal.dateComponents([.year, .month, .day], from: date)
        guard var noon = cal.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: 12)),
              let previous = cal.date(byAdding: .day, value: -1, to: noon)
        else { return }
        noon = previous
        for _ in 0..<800 {
            let day = cal.dateComponents([.year, .month, .day, .weekday], from: noon)
            let local = LocalDate(day.year ?? 0, day.month ?? 0, day.day ?? 0)
            if !holidays.contains(local), let ranges = hours[Weekday(calendarNumber: day.weekday ?? 1)] {
                for range in ranges {
                    let start = Self.instant(local, minute: range.startMinute, cal)
                    let endDayOffset = range.isOvernight ? 1 : 0
                    let end = Self.instant(local, minute: range.endMinute + endDayOffset * 1440, cal)
                    if end > start, !body(DateInterval(start: start, end: end)) { return }
                }
            }
            guard let next = cal.date(byAdding: .day, value: 1, to: noon) else { return }
            noon = next
        }
    }

    /// The instant of a local wall-clock time (`minute` may exceed 1440 to mean the next day).
    /// A time inside a spring-forward gap maps to the first instant after the gap.
    static func instant(_ day: LocalDate, minute: Int, _ cal: Calendar) -> Date {
        var comps = DateComponents(year: day.year, month: day.month, day: day.day + minute / 1440,
                                   hour: (minute % 1440) / 60, minute: minute % 60)
        comps.timeZone = cal.timeZone
        return cal.date(from: comps) ?? Date.distantFuture
    }
}
