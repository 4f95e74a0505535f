import Foundation
@testable import OutcryAlerting
import OutcryModel

/// `2026-03-23T10:00:00Z` → Date.
func utc(_ s: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: s) else { fatalError("bad test date \(s)") }
    return d
}

/// `2026-03-23 10:00` local time in a time zone → Date.
func local(_ s: String, _ tz: String = "Europe/London") -> Date {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: tz)
    f.dateFormat = "yyyy-MM-dd HH:mm"
    guard let d = f.date(from: s) else { fatalError("bad test date \(s)") }
    return d
}

func hours(_ h: Double) -> TimeInterval { h * 3600 }
func minutes(_ m: Double) -> TimeInterval { m * 60 }

/// London office: Mon–Fri 09:00–17:00, Christmas and Boxing Day (observed) 2026 off.
func londonOffice() throws -> BusinessCalendar {
    try BusinessCalendar(timeZoneID: "Europe/London", days: Weekday.workdays, range: "09:00-17:00",
                         holidays: [LocalDate(2026, 12, 25), LocalDate(2026, 12, 28)])
}

func decodeJSON<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

/// Builds an event history from (kind, time) pairs by running the real state machine.
func history(_ steps: [(ThreadCommand?, Date)]) throws -> [ThreadEvent] {
    var life = ThreadLifecycle(openedAt: steps[0].1)
    for (command, at) in steps.dropFirst() {
        guard let command else { continue }
        try life.apply(command, by: command == .customerWrote ? "customer" : "ana", at: at)
    }
    return life.events
}
