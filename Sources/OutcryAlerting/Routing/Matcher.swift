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
        let opens = value.hasPrefix("\""), closes = value.count >= 2 && value.hasSuffix("\"")
        if opens != closes || (!opens && value.contains("\"")) {
            throw AlertingConfigError("matcher \(text): a double quote is not closed; write \(name)\(symbol)\"\(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))\"")
        }
        if opens { value = String(value.dropFirst().dropLast()) }
        try self.init(label, op, value)
        if let known = Self.knownValues(label), op == .regex || op == .notRegex {
            let dead = Self.alternatives(value).filter { alternative in
                guard let part = try? CompiledRegex(alternative, context: text) else { return false }
                return !known.contains { part.matchesWhole($0) }
            }
            if !dead.isEmpty {
                throw AlertingConfigError("matcher \(text): \(dead.map { "'\($0)'" }.joined(separator: ", ")) can match no \(label.rawValue) (one of \(known.filter { !$0.isEmpty }.joined(separator: ", ")))")
            }
        }
    }

    /// The values a label can take, for the labels that have a fixed set (nil: any text).
    public static func knownValues(_ label: AlertLabel) -> [String]? {
        switch label {
        case .severity: ["P1", "P2", "P3", "P4", "none"]
        case .channel: ["feed", "social", "mail"]
        case .urgency: ["legal", "safety", "privacy", "regulator", "press", "churn", "discrimination", "vulnerable", ""]
        case .kind: ["new_thread", "escalation", "sla_warning", "sla_breach", "crisis"]
        default: nil
        }
    }

    /// The top-level alternatives of a pattern (`a|b(c|d)` → `a`, `b(c|d)`), respecting groups,
    /// classes and escapes.
    static func alternatives(_ pattern: String) -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        var inClass = false
        var escaped = false
        for ch in pattern {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\": escaped = true; current.append(ch); continue
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            case "|" where !inClass && depth == 0:
                out.append(current)
                current = ""
                continue
            default: break
            }
            current.append(ch)
        }
        out.append(current)
        return out
    }

    static func checkKnownValue(_ label: AlertLabel, _ value: String) throws {
        guard let allowed = knownValues(label) else { return }
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
