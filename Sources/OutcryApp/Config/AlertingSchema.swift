import Foundation
import OutcryAlerting
import OutcryModel
import Yams

/// The shape of the alerting sections, key by key: what `config check` walks before anything is
/// decoded, so an unknown key (`first_respons`), a list where a mapping belongs or a misspelt
/// weekday is reported on its own line with a did-you-mean, every one of them at once.
indirect enum AlertingShape: Sendable {
    /// One value (a string, a number, a duration, true/false).
    case scalar
    /// A list of one shape.
    case list(AlertingShape)
    /// A mapping with these keys only.
    case keys([String: AlertingShape])
    /// A mapping of names the operator chooses (receivers, calendars) to one shape.
    case named(AlertingShape)
    /// A mapping of weekdays (`mon` … `sun`) to one shape.
    case weekdays(AlertingShape)
    /// Either one value (`"24x7"`) or a mapping with these keys.
    case scalarOr([String: AlertingShape])
    /// A route: its keys, with child routes of the same shape.
    case route

    static let hours = AlertingShape.weekdays(.list(.scalar))
    static let retry = AlertingShape.keys(Dictionary(uniqueKeysWithValues:
        ["max_attempts", "base_delay", "max_delay", "multiplier", "jitter", "max_retry_after"].map { ($0, .scalar) }))
    static let redaction = AlertingShape.keys(["enabled": .scalar, "kinds": .list(.scalar)])
    static let routeKeys: [String: AlertingShape] = [
        "name": .scalar, "matchers": .list(.scalar), "receiver": .scalar, "continue": .scalar, "group_by": .list(.scalar),
        "group_wait": .scalar, "group_interval": .scalar, "repeat_interval": .scalar, "quiet_hours": .list(.scalar),
        "routes": .list(.route),
    ]

    /// Each alerting section's shape, by its top-level key.
    static let sections: [String: AlertingShape] = [
        "calendars": .named(.scalarOr(["time_zone": .scalar, "hours": hours, "holidays": .list(.scalar)])),
        "sla": .list(.keys([
            "name": .scalar, "severities": .list(.scalar), "channels": .list(.scalar),
            "targets": .keys(Dictionary(uniqueKeysWithValues: SLAClockKind.allCases.map { ($0.rawValue, AlertingShape.scalar) })),
            "business_hours": .scalar, "calendar": .scalar, "warn_before": .scalar,
        ])),
        "escalations": .named(.keys([
            "name": .scalar, "tiers": .list(.keys(["after": .scalar, "receivers": .list(.scalar)])),
            "repeat": .scalar, "repeat_after": .scalar,
        ])),
        "quiet_hours": .named(.keys(["name": .scalar, "time_zone": .scalar, "hours": hours, "override": .scalar])),
        "routes": .route,
        "receivers": .named(.keys([
            "type": .scalar, "url": .scalar, "secret": .scalar, "to": .list(.scalar), "from": .scalar,
            "retry": retry, "redaction": redaction, "tls": .scalar, "template": .scalar,
        ])),
        "retry": retry,
        "redaction": redaction,
    ]
}

extension ConfigReader {
    /// Checks `node` against `shape`; `place` names it in messages (`receivers.crm-hook`).
    /// Returns false when the structure is wrong (a list where a mapping belongs, a misspelt
    /// weekday): then decoding it would only repeat the problem in decoder words. An unknown key
    /// is a problem too, but the values beside it are still worth decoding and checking.
    @discardableResult
    mutating func checkShape(_ node: Node, _ shape: AlertingShape, place: String) -> Bool {
        var sound = true
        switch shape {
        case .scalar:
            if case .scalar = node { break }
            problem(node.mark, "`\(place)` should be a single value", hint: nil)
            sound = false
        case .list(let item):
            guard let list = sequence(node, place) else { return false }
            for (i, child) in list.enumerated() { sound = checkShape(child, item, place: "\(place)[\(i + 1)]") && sound }
        case .keys(let keys):
            guard let map = mapping(node, "`\(place)`") else { return false }
            checkKeys(map, allowed: keys.keys.sorted(), in: "`\(place)`")
            for (key, value) in map {
                guard let name = key.string, let shape = keys[name] else { continue }
                sound = checkShape(value, shape, place: "\(place).\(name)") && sound
            }
        case .named(let entry):
            guard let map = mapping(node, "`\(place)`") else { return false }
            for (key, value) in map { sound = checkShape(value, entry, place: "\(place).\(key.string ?? "?")") && sound }
        case .weekdays(let entry):
            guard let map = mapping(node, "`\(place)`") else { return false }
            let before = problems.count
            checkKeys(map, allowed: Weekday.allCases.map(\.rawValue), in: "`\(place)`")
            if problems.count > before { sound = false }  // the decoder would refuse the day too
            for (key, value) in map where Weekday(rawValue: key.string ?? "") != nil {
                sound = checkShape(value, entry, place: "\(place).\(key.string ?? "?")") && sound
            }
        case .scalarOr(let keys):
            if case .scalar = node { break }
            sound = checkShape(node, .keys(keys), place: place)
        case .route:
            sound = checkShape(node, .keys(AlertingShape.routeKeys), place: place)
        }
        return sound
    }

    /// Every matcher of a route and its children, each parsed on its own line.
    mutating func checkMatchers(route node: Node) {
        guard case .mapping(let map) = node else { return }
        if case .sequence(let list)? = map["matchers"] {
            for item in list { checkMatcher(item) }
        }
        if case .sequence(let children)? = map["routes"] {
            for child in children { checkMatchers(route: child) }
        }
    }

    /// A matcher is parsed exactly as routing will parse it: an unclosed quote, an unknown label,
    /// a bad regular expression or an alternative no value can take is a problem on its line.
    mutating func checkMatcher(_ node: Node) {
        guard case .scalar(let scalar) = node else { return }
        do {
            _ = try Matcher(parsing: scalar.string)
        } catch let error as AlertingConfigError {
            problem(node.mark, error.message, hint: matcherHint(scalar.string))
        } catch {
            problem(node.mark, "matcher \(scalar.string): \(error)", hint: nil)
        }
    }

    /// A did-you-mean for the first value of a matcher's regular expression that no value can take.
    func matcherHint(_ text: String) -> String? {
        guard let at = text.firstIndex(where: { $0 == "=" || $0 == "!" }),
              let label = AlertLabel(rawValue: text[..<at].trimmingCharacters(in: .whitespaces)),
              let known = Matcher.knownValues(label)
        else { return "write label=value, label!=value, label=~\"a|b\" or label!~\"a|b\" (labels: \(AlertLabel.allCases.map(\.rawValue).joined(separator: ", ")))" }
        let words = text[at...].split { "=!~\"|()".contains($0) }.map(String.init)
        for word in words where !known.contains(word) {
            let hint = suggestion(word, known.filter { !$0.isEmpty })
            if !hint.isEmpty { return "check the spelling\(hint)" }
        }
        return nil
    }
}
