import Foundation
import OutcryModel
import Testing

@Suite struct CivilCalendarTests {
    /// Day numbers and dates agree with Foundation's Gregorian calendar in UTC, both ways, from
    /// 1600 to 2400 (leap centuries included), and the month lengths with its ranges.
    @Test func dayNumbersAgreeWithFoundationBothWays() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: CivilCalendar.days(fromCivil: 1600, 1, 1), through: CivilCalendar.days(fromCivil: 2400, 12, 31), by: 97) {
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = CivilCalendar.civil(fromDays: days)
            #expect([civil.year, civil.month, civil.day] == [parts.year, parts.month, parts.day])
            #expect(CivilCalendar.days(fromCivil: civil.year, civil.month, civil.day) == days)
        }
        for year in [1900, 2000, 2023, 2024] {
            for month in 1...12 {
                let start = try #require(calendar.date(from: DateComponents(year: year, month: month, day: 1)))
                #expect(CivilCalendar.daysIn(year, month) == calendar.range(of: .day, in: .month, for: start)?.count)
            }
        }
        #expect(CivilCalendar.days(fromCivil: 1970, 1, 1) == 0 && CivilCalendar.days(fromCivil: 1969, 12, 31) == -1)
    }
}

@Suite struct HexTests {
    /// Every byte value as `String(format: "%02x")` writes it, in order.
    @Test func hexEqualsThePrintfDigits() {
        let bytes = (0...255).map(UInt8.init) + [0, 255, 16, 1]
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode([UInt8]()) == "")
    }
}
