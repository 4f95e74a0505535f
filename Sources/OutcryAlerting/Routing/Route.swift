import Foundation
import OutcryModel

/// Grouping and timing of a route (Alertmanager's meanings and defaults).
public struct GroupingOptions: Sendable, Equatable, Codable {
    /// Labels whose values form the group key; empty puts every alert of the route in one group.
    public var groupBy: [AlertLabel]
    /// Group by every label (`group_by: ['...']`).
    public var groupByAll: Bool
    /// Wait after a group's first alert before notifying (collects a burst into one message). Default 30s.
    public var groupWait: TimeInterval
    /// Wait after a notification before notifying about new alerts in the group. Default 5m.
    public var groupInterval: TimeInterval
    /// Wait before repeating an unchanged notification. Default 4h.
    public var repeatInterval: TimeInterval

    public init(groupBy: [AlertLabel] = [], groupByAll: Bool = false, groupWait: TimeInterval = 30,
                groupInterval: TimeInterval = 300, repeatInterval: TimeInterval = 4 * 3600) {
        self.groupBy = groupBy
        self.groupByAll = groupByAll
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
    }
}

/// A route of the resolved tree: inherited options filled in, matchers compiled.
public struct Route: Sendable, Equatable {
    /// Path of names from the root, e.g. `root/legal`; unnamed routes are numbered (`root/2`).
    public var id: String
    public var name: String
    public var matchers: [Matcher]
    public var receiver: String
    public var continueMatching: Bool
    public var grouping: GroupingOptions
    public var quietHours: [String]
    public var children: [Route]
}

/// One route that an alert reached, with the reasons along the way.
public struct RouteMatch: Sendable, Equatable {
    public var route: Route
    public var receiver: String { route.receiver }
    /// The group this alert joins: route id plus the group-by label values.
    public var groupKey: String
    /// One line per route on the path, root first, e.g. `route 'legal' matched severity=P1, urgency=legal`.
    public var reasons: [String]

    public var explanation: String { reasons.joined(separator: " → ") }
}

/// What the dispatcher should do with an alert on one matched route.
public struct RoutingDecision: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Put it in its group; the group may notify from `notBefore` on.
        case deliver(notBefore: Date)
        /// The brand is in crisis: attach the alert to the brand's crisis alert instead.
        case foldIntoCrisis(brand: String)
    }

    public var match: RouteMatch
    public var action: Action
    /// The route reasons plus quiet-hour and crisis reasons.
    public var reasons: [String]
}

/// The routing tree, in the manner of Alertmanager's `dispatch/route.go`: a pure function from an
/// alert to the routes it reaches.
///
/// An alert enters at the root (which matches everything unless it has matchers). At each route
/// the children are tried in order; a matching child without `continue` stops the search among
/// its siblings. When no child matches, the route itself is the match.
///
/// ```swift
/// let tree = try RoutingTree(config: config, receivers: ["comms-slack", "legal-email"])
/// for m in tree.match(alert) { print(m.receiver, m.explanation) }
/// ```
public struct RoutingTree: Sendable, Equatable {
    public let root: Route
    public let quietHours: [String: QuietHours]

    /// Builds and checks the tree. `receivers`, when given, are the configured receiver names
    /// every route's receiver must be one of.
    public init(config: RoutingConfig, receivers: Set<String>? = nil) throws {
        guard config.routes.receiver != nil else {
            throw AlertingConfigError("routes: the root route needs a receiver (the default for every alert)")
        }
        guard config.routes.matchers?.isEmpty ?? true else {
            throw AlertingConfigError("routes: the root route cannot have matchers; it receives every alert")
        }
        quietHours = config.quietHours
        root = try Self.resolve(config.routes, id: config.routes.name ?? "root", parent: nil,
                                quiet: config.quietHours, receivers: receivers)
    }

    static func resolve(_ c: RouteConfig, id: String, parent: Route?, quiet: [String: QuietHours], receivers: Set<String>?) throws -> Route {
        let matchers = try (c.matchers ?? []).map { text in
            do { return try Matcher(parsing: text) } catch let e as AlertingConfigError {
                throw AlertingConfigError("route '\(id)': \(e.message)")
            }
        }
        let receiver = c.receiver ?? parent?.receiver ?? ""
        if let receivers, !receivers.contains(receiver) {
            throw AlertingConfigError("route '\(id)': receiver '\(receiver)' is not defined under receivers:")
        }
        var grouping = parent?.grouping ?? GroupingOptions()
        if let by = c.groupBy {
            if by == ["..."] {
                grouping.groupByAll = true
                grouping.groupBy = []
            } else {
                grouping.groupByAll = false
                grouping.groupBy = try by.map { name in
                    guard let l = AlertLabel(rawValue: name) else {
                        throw AlertingConfigError("route '\(id)': group_by label '\(name)' is unknown")
                    }
                    return l
                }
            }
        }
        if let v = c.groupWait?.seconds { grouping.groupWait = v }
        if let v = c.groupInterval?.seconds { grouping.groupInterval = v }
        if let v = c.repeatInterval?.seconds { grouping.repeatInterval = v }
        guard grouping.groupInterval > 0, grouping.repeatInterval > 0 else {
            throw AlertingConfigError("route '\(id)': group_interval and repeat_interval must be above zero")
        }
        let quietNames = c.quietHours ?? parent?.quietHours ?? []
        for q in quietNames where quiet[q] == nil {
            throw AlertingConfigError("route '\(id)': quiet hours '\(q)' are not defined under quiet_hours:")
        }
        var route = Route(id: id, name: c.name ?? id, matchers: matchers, receiver: receiver,
                          continueMatching: c.continue ?? false, grouping: grouping, quietHours: quietNames, children: [])
        route.children = try (c.routes ?? []).enumerated().map { i, child in
            try resolve(child, id: "\(id)/\(child.name ?? String(i + 1))", parent: route, quiet: quiet, receivers: receivers)
        }
        return route
    }

    /// The routes an alert reaches, with the reason path for each.
    public func match(_ alert: ThreadAlert) -> [RouteMatch] {
        Self.match(root, alert, trail: [])
    }

    static func match(_ route: Route, _ alert: ThreadAlert, trail: [String]) -> [RouteMatch] {
        guard route.matchers.allSatisfy({ $0.matches(alert) }) else { return [] }
        let why = route.matchers.isEmpty
            ? "route '\(route.name)' matched (no matchers)"
            : "route '\(route.name)' matched " + route.matchers.map { $0.evidence(alert) }.joined(separator: ", ")
        let path = trail + [why]
        var all: [RouteMatch] = []
        for child in route.children {
            let found = match(child, alert, trail: path)
            all += found
            if !found.isEmpty, !child.continueMatching { break }
        }
        if all.isEmpty {
            all = [RouteMatch(route: route, groupKey: groupKey(route, alert), reasons: path)]
        }
        return all
    }

    static func groupKey(_ route: Route, _ alert: ThreadAlert) -> String {
        let labels = route.grouping.groupByAll ? AlertLabel.allCases : route.grouping.groupBy
        var pairs = labels.map { "\($0.rawValue)=\"\(alert.values(of: $0).joined(separator: ","))\"" }
        if route.grouping.groupByAll { pairs.append("alert=\"\(alert.id)\"") }
        return "\(route.id):{\(pairs.joined(separator: ","))}"
    }

    /// Matches an alert and says, per matched route, whether to deliver it (and from when, after
    /// quiet hours) or fold it into its brand's crisis alert.
    ///
    /// - Parameter crisisBrands: brands with an open crisis (stored state, set by people).
    public func decide(_ alert: ThreadAlert, crisisBrands: Set<String>, now: Date) -> [RoutingDecision] {
        match(alert).map { m in
            var reasons = m.reasons
            if alert.kind != .crisis, let brand = alert.brand, crisisBrands.contains(brand) {
                reasons.append("brand '\(brand)' is in crisis: folded into the crisis alert")
                return RoutingDecision(match: m, action: .foldIntoCrisis(brand: brand), reasons: reasons)
            }
            var at = now
            for name in m.route.quietHours {
                guard let q = quietHours[name] else { continue }
                let released = q.release(at, severity: alert.severity)
                if released > at {
                    reasons.append("quiet hours '\(name)' (\(q.schedule.timeZoneID)): held until \(Self.iso(released))")
                    at = released
                } else if alert.severity.rank <= q.override.rank, q.schedule.isOpen(at: at) {
                    reasons.append("quiet hours '\(name)' overridden: \(alert.severity.rawValue)")
                }
            }
            return RoutingDecision(match: m, action: .deliver(notBefore: at), reasons: reasons)
        }
    }

    static func iso(_ d: Date) -> String {
        d.formatted(.iso8601)
    }
}
