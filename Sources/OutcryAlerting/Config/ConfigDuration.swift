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

    /// Parses `1d2h3m4s`-style text (units d, h, m, s; `ms` is not accepted) or a plain number of seconds.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Double(trimmed), plain >= 0 {
            seconds = plain
            return
        }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for ch in trimmed {
            if ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            let unit: Double
            switch ch {
            case "d": unit = 86400
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: throw AlertingConfigError("duration \"\(text)\": unknown unit '\(ch)' (use d, h, m, s)")
            }
            guard let value = Double(number) else {
                throw AlertingConfigError("duration \"\(text)\": a number must come before '\(ch)'")
            }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else {
            throw AlertingConfigError("duration \"\(text)\": expected something like 15m, 4h or 1h30m")
        }
        seconds = total
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
