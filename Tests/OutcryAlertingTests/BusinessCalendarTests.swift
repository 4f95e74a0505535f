import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct BusinessCalendarTests {
    // London clocks go forward on Sun 29 Mar 2026 and back on Sun 25 Oct 2026.
    static let seconds: [(String, String, TimeInterval)] = [
        ("2026-03-23 10:00", "2026-03-23 12:30", hours(2.5)),      // inside one day
        ("2026-03-23 08:00", "2026-03-23 18:00", hours(8)),        // clipped to opening hours
        ("2026-03-27 16:00", "2026-03-30 10:00", hours(2)),        // Fri → Mon over the DST weekend
        ("2026-03-28 10:00", "2026-03-29 15:00", 0),               // weekend only
        ("2026-03-30 12:00", "2026-03-30 11:00", 0),               // reversed
        ("2026-12-24 16:00", "2026-12-29 10:00", hours(1 + 1)),    // Christmas and the 28th are holidays
        ("2026-10-23 09:00", "2026-10-26 17:00", hours(16)),       // Fri + Mon over the fall-back weekend
    ]

    @Test(arguments: seconds.indices)
    func businessSecondsInLondon(_ i: Int) throws {
        let (from, to, expected) = Self.seconds[i]
        #expect(try londonOffice().businessSeconds(from: local(from), to: local(to)) == expected, "\(from) → \(to)")
    }

    static let additions: [(String, TimeInterval, String)] = [
        ("2026-03-23 10:00", hours(2), "2026-03-23 12:00"),
        ("2026-03-23 16:30", hours(1), "2026-03-24 09:30"),
        ("2026-03-27 16:30", hours(1), "2026-03-30 09:30"),        // Monday is in BST: 08:30 UTC
        ("2026-03-28 11:00", minutes(15), "2026-03-30 09:15"),     // starts on a Saturday
        ("2026-03-23 07:00", 0, "2026-03-23 07:00"),               // zero is the start itself
        ("2026-12-24 16:00", hours(2), "2026-12-29 10:00"),
        ("2026-03-23 09:00", hours(8 * 5), "2026-03-27 17:00"),    // a whole week lands on Friday's close
    ]

    @Test(arguments: additions.indices)
    func addBusinessTimeInLondon(_ i: Int) throws {
        let (start, add, expected) = Self.additions[i]
        #expect(try londonOffice().addBusinessTime(add, to: local(start)) == local(expected), "\(start) + \(add)s")
    }

    @Test func mondayAfterSpringForwardIsInSummerTime() throws {
        let due = try londonOffice().addBusinessTime(hours(1), to: local("2026-03-27 16:30"))
        #expect(due == utc("2026-03-30T08:30:00Z"))
    }

    /// A night shift 22:00–06:00 every day is 7 real hours on the spring-forward night and 9 on
    /// the fall-back night.
    static let nights: [(String, String, TimeInterval)] = [
        ("2026-03-21 21:00", "2026-03-22 12:00", hours(8)),
        ("2026-03-28 21:00", "2026-03-29 12:00", hours(7)),
        ("2026-10-24 21:00", "2026-10-25 12:00", hours(9)),
    ]

    @Test(arguments: nights.indices)
    func overnightShiftAcrossDST(_ i: Int) throws {
        let nights = try BusinessCalendar(timeZoneID: "Europe/London", days: Weekday.allCases, range: "22:00-06:00")
        let (from, to, expected) = Self.nights[i]
        #expect(nights.businessSeconds(from: local(from), to: local(to)) == expected)
    }

    @Test func overnightAddCrossesMidnight() throws {
        let nights = try BusinessCalendar(timeZoneID: "Europe/London", days: [.fri], range: "22:00-06:00")
        #expect(nights.addBusinessTime(hours(3), to: local("2026-03-20 23:00")) == local("2026-03-21 02:00"))
        // Spring-forward night: 22:00 GMT Sat … 06:00 BST Sun is 7 hours; 6h30 lands at 05:30 BST.
        let sat = try BusinessCalendar(timeZoneID: "Europe/London", days: [.sat], range: "22:00-06:00")
        #expect(sat.addBusinessTime(hours(6.5), to: local("2026-03-28 22:00")) == local("2026-03-29 05:30"))
    }

    @Test func newYorkSpringForward() throws {
        // US clocks go forward on Sun 8 Mar 2026.
        let ny = try BusinessCalendar(timeZoneID: "America/New_York", days: Weekday.workdays, range: "09:00-17:00")
        let due = ny.addBusinessTime(hours(2), to: local("2026-03-06 16:00", "America/New_York"))
        #expect(due == local("2026-03-09 10:00", "America/New_York"))
        #expect(due == utc("2026-03-09T14:00:00Z"))
        #expect(ny.businessSeconds(from: utc("2026-03-06T21:00:00Z"), to: utc("2026-03-09T14:00:00Z")) == hours(2))
    }

    @Test func twentyFourSeven() {
        let cal = BusinessCalendar.twentyFourSeven
        let t = utc("2026-03-28T23:00:00Z")
        #expect(cal.businessSeconds(from: t, to: t + hours(30)) == hours(30))
        #expect(cal.addBusinessTime(hours(5), to: t) == t + hours(5))
        #expect(cal.isOpen(at: t))
    }

    @Test func openSpansAndNextOpening() throws {
        let office = try londonOffice()
        #expect(office.isOpen(at: local("2026-03-23 12:00")))
        #expect(!office.isOpen(at: local("2026-03-23 17:00")))
        #expect(office.openSpan(containing: local("2026-03-23 12:00")) == DateInterval(start: local("2026-03-23 09:00"), end: local("2026-03-23 17:00")))
        #expect(office.nextOpening(atOrAfter: local("2026-03-27 18:00")) == local("2026-03-30 09:00"))
        // Adjacent spans merge: 20:00–24:00 and 00:00–08:00.
        let quiet = try BusinessCalendar(timeZoneID: "Europe/London", hours: [
            .mon: [try TimeRange(parsing: "20:00-24:00")], .tue: [try TimeRange(parsing: "00:00-08:00")],
        ])
        #expect(quiet.openSpan(containing: local("2026-03-23 23:00"))?.end == local("2026-03-24 08:00"))
    }

    @Test func decodesFromConfig() throws {
        let cal = try decodeJSON(BusinessCalendar.self, """
        {"time_zone": "Europe/London", "hours": {"mon": ["09:00-12:00", "13:00-17:00"], "sat": ["10:00-14:00"]},
         "holidays": ["2026-12-25"]}
        """)
        #expect(cal.hours[.mon]?.count == 2)
        #expect(cal.businessSeconds(from: local("2026-03-23 08:00"), to: local("2026-03-23 18:00")) == hours(7))
        #expect(try decodeJSON(BusinessCalendar.self, "\"24x7\"") == .twentyFourSeven)
        let roundTrip = try JSONDecoder().decode(BusinessCalendar.self, from: JSONEncoder().encode(cal))
        #expect(roundTrip == cal)
    }

    static let badConfigs = [
        #"{"time_zone": "Mars/Olympus", "hours": {"mon": ["09:00-17:00"]}}"#,
        #"{"time_zone": "Europe/London", "hours": {"mon": ["9-17"]}}"#,
        #"{"time_zone": "Europe/London", "hours": {"funday": ["09:00-17:00"]}}"#,
        #"{"time_zone": "Europe/London", "hours": {}}"#,
        #"{"time_zone": "Europe/London", "hours": {"mon": ["09:00-17:00"]}, "holidays": ["25/12/2026"]}"#,
        #""always""#,
    ]

    @Test(arguments: badConfigs)
    func rejectsBadConfig(_ json: String) {
        #expect(throws: (any Error).self) { try decodeJSON(BusinessCalendar.self, json) }
    }
}
