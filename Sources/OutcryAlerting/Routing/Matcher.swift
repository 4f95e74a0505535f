import Foundation

/// One condition on an alert label, written like Alertmanager's matchers:
/// `severity=P1`, `urgency=~"legal|regulator"`, `brand!=acme`, `channel!~mail|feed`.
///
/// Regular expressions are anchored (`^(?:…)$`). Urgency has several values: `=` and `=~` match
/// when any value matches, `!=` and `!~` when none does. A missing label has the value `""`.
public struct Matcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~"
    }

    public var label: AlertLabel
    public var op: Operator
    public var value: String
    private let compiled: CompiledRegex?

    public init(_ label: AlertLabel, _ op: Operator, _ value: String) throws {
        self.label = label
        self.op = op
        self.value = value
        if op == .regex || op == .notRegex {
            compiled = try CompiledRegex(value, context: "\(label.rawValue)\(op.rawValue)\(value)")
        } else {
            compiled = nil
            try Self.checkKnownValue(label, value)
        }
    }

    /// Parses `label<op>value`; the value may be double-quoted.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let symbols: [(String, Operator)] = [("!=", .notEqual), ("!~", .notRegex), ("=~", .regex), ("=", .equal)]
        guard let at = trimmed.firstIndex(where: { $0 == "=" || $0 == "!" }),
              let (symbol, op) = symbols.first(where: { trimmed[at...].hasPrefix($0.0) })
        else {
            throw AlertingConfigError("matcher \"\(text)\": expected label=value, label!=value, label=~regex or label!~regex")
        }
        let valueStart = trimmed.index(at, offsetBy: symbol.count)
        let name = trimmed[..<at].trimmingCharacters(in: .whitespaces)
        guard let label = AlertLabel(rawValue: name) else {
            let known = AlertLabel.allCases.map(\.rawValue).joined(separator: ", ")
            throw AlertingConfigError("matcher \"\(text)\": unknown label '\(name)' (known: \(known))")
        }
        var value = trimmed[valueStart...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        try self.init(label, op, value)
    }

    static func checkKnownValue(_ label: AlertLabel, _ value: String) throws {
        let allowed: [String]
        switch label {
        case .severity: allowed = ["P1", "P2", "P3", "P4", "none"]
        case .channel: allowed = ["feed", "social", "mail"]
        case .urgency: allowed = ["legal", "safety", "privacy", "regulator", "press", "churn", "discrimination", "vulnerable", ""]
        case .kind: allowed = ["new_thread", "escalation", "sla_warning", "sla_breach", "crisis"]
        default: return
        }
        guard allowed.contains(value) else {
            throw AlertingConfigError("matcher \(label.rawValue)=\(value): '\(value)' is not a \(label.rawValue) (one of \(allowed.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
    }

    public func matches(_ alert: ThreadAlert) -> Bool {
        let values = alert.values(of: label)
        switch op {
        case .equal: return values.contains(value)
        case .notEqual: return !values.contains(value)
        case .regex: return values.contains { compiled!.matchesWhole($0) }
        case .notRegex: return !values.contains { compiled!.matchesWhole($0) }
        }
    }

    public var description: String { "\(label.rawValue)\(op.rawValue)\(value)" }

    /// How the alert satisfied this matcher, for the reason path (`urgency=legal`, `brand!=acme (was other)`).
    func evidence(_ alert: ThreadAlert) -> String {
        let shown = alert.values(of: label).map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ",")
        switch op {
        case .equal: return description
        default: return "\(description) (\(label.rawValue)=\(shown))"
        }
    }

    public static func == (a: Matcher, b: Matcher) -> Bool { a.label == b.label && a.op == b.op && a.value == b.value }
}

/// An anchored, compiled regular expression. `NSRegularExpression` is immutable and documented
/// as safe to share between threads, hence the unchecked conformance.
struct CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, context: String) throws {
        do {
            regex = try NSRegularExpression(pattern: "^(?:\(pattern))$")
        } catch {
            throw AlertingConfigError("matcher \"\(context)\": '\(pattern)' is not a valid regular expression")
        }
    }

    func matchesWhole(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}
