import Foundation

/// A length of time as written in the configuration: `"90s"`, `"15m"`, `"4h"`, `"2d"`, `"1h30m"`,
/// or a bare number of seconds.
///
/// ```swift
/// let d = try ConfigDuration(parsing: "1h30m")   // d.seconds == 5400
/// ```
public struct ConfigDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) { self.seconds = seconds }

    public static func minutes(_ m: Double) -> ConfigDuration { ConfigDuration(seconds: m * 60) }
    public static func hours(_ h: Double) -> ConfigDuration { ConfigDuration(seconds: h * 3600) }

    /// The units of the duration syntax, longest name first.
    public static let units: [(name: String, seconds: Double)] = [
        ("ms", 0.001), ("w", 604_800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1),
    ]

    /// The one duration syntax of the configuration and the command line: numbers with units,
    /// largest first and each at most once (`90s`, `15m`, `1h30m`, `1.5h`, `2d`, `1w`, `500ms`), or a
    /// plain number of seconds. Every duration field (`interval`, `sla` targets, `group_wait`,
    /// `report --since`, …) is read by this parser.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Double(trimmed) {
            guard plain >= 0, plain.isFinite else { throw AlertingConfigError("duration \"\(text)\": a duration cannot be negative") }
            seconds = plain
            return
        }
        var rest = Substring(trimmed)
        var total = 0.0
        var lastRank = -1
        guard !rest.isEmpty else { throw AlertingConfigError("duration \"\(text)\": expected something like 90s, 15m, 1h30m or 2d") }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else {
                throw AlertingConfigError("duration \"\(text)\": expected a number before '\(rest.prefix(1))' (like 90s, 15m, 1h30m or 2d)")
            }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { $0.isLetter }
            guard let rank = Self.units.firstIndex(where: { $0.name == unitText }) else {
                throw AlertingConfigError(unitText.isEmpty
                    ? "duration \"\(text)\": '\(digits)' needs a unit (ms, s, m, h, d or w)"
                    : "duration \"\(text)\": unknown unit '\(unitText)' (use ms, s, m, h, d or w)")
            }
            let order = rank == 0 ? Self.units.count : rank  // w d h m s ms: largest to smallest
            guard order > lastRank else {
                throw AlertingConfigError("duration \"\(text)\": write the units largest first, each once (like 1h30m)")
            }
            lastRank = order
            total += value * Self.units[rank].seconds
            rest = rest.dropFirst(unitText.count)
        }
        seconds = total
    }

    /// `parsing` without the error: nil when the text is not a duration.
    public static func seconds(_ text: String) -> TimeInterval? {
        (try? ConfigDuration(parsing: text))?.seconds
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number >= 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a duration cannot be negative")
            }
            seconds = number
            return
        }
        let text = try container.decode(String.self)
        let parsed: ConfigDuration
        do {
            parsed = try ConfigDuration(parsing: text)
        } catch let error as AlertingConfigError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Shortest `1h30m`-style text; whole seconds only.
    public var description: String {
        var rest = Int(seconds.rounded())
        if rest == 0 { return "0s" }
        var out = ""
        for (unit, name) in [(86400, "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            out += "\(rest / unit)\(name)"
            rest %= unit
        }
        return out
    }
}

/// A configuration value that is wrong, with a sentence saying what and where.
public struct AlertingConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a configuration check inside `init(from:)`, turning its `AlertingConfigError` into a
/// `DecodingError` at the decoder's coding path (so `config check` can point at the place).
func decodingConfig<T>(_ decoder: Decoder, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as AlertingConfigError {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
}
