import Foundation

/// A day of the week, written `mon` … `sun` in the configuration.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Foundation's `Calendar` weekday number (Sunday = 1).
    public var calendarNumber: Int {
        switch self {
        case .sun: 1
        case .mon: 2
        case .tue: 3
        case .wed: 4
        case .thu: 5
        case .fri: 6
        case .sat: 7
        }
    }

    public init(calendarNumber: Int) {
        self = [.sun, .mon, .tue, .wed, .thu, .fri, .sat][(calendarNumber - 1 + 7) % 7]
    }

    public static let workdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
}

/// A local time span in a day, written `"09:00-17:30"`. An end at or before the start means the
/// span runs overnight into the next day (`"22:00-06:00"`); `"00:00-24:00"` is the whole day.
public struct TimeRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Minutes after local midnight, 0...1439.
    public var startMinute: Int
    /// Minutes after local midnight, 1...1440.
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { throw AlertingConfigError("time range \"\(text)\": expected HH:MM-HH:MM") }
        let start = try Self.minute(parts[0], in: text)
        let end = try Self.minute(parts[1], in: text)
        guard start < 1440, end > 0 || start > 0 else {
            throw AlertingConfigError("time range \"\(text)\": starts at 24:00 or is empty")
        }
        startMinute = start
        endMinute = end == 0 ? 1440 : end
    }

    private static func minute(_ s: String, in text: String) throws -> Int {
        let hm = s.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else {
            throw AlertingConfigError("time range \"\(text)\": \"\(s)\" is not a time HH:MM")
        }
        return h * 60 + m
    }

    /// True when the span crosses midnight.
    public var isOvernight: Bool { endMinute <= startMinute }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        self = try decodingConfig(decoder) { try Self(parsing: text) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String {
        func f(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
        return "\(f(startMinute))-\(f(endMinute))"
    }
}

/// A calendar date without a time, written `"2026-12-25"`.
public struct LocalDate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1...12).contains(m), (1...31).contains(d) else {
            throw AlertingConfigError("date \"\(text)\": expected YYYY-MM-DD")
        }
        self.init(y, m, d)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        self = try decodingConfig(decoder) { try Self(parsing: text) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
