import Foundation
import OutcryModel

/// A route as written under `routes:` in `config/outcry.yaml` (plain Codable; the app decodes it
/// from YAML with Yams). Unset options are inherited from the parent route.
///
/// ```yaml
/// routes:
///   receiver: comms-slack
///   group_by: [brand]
///   routes:
///     - name: legal
///       matchers: ['severity=P1', 'urgency=~"legal|regulator"']
///       receiver: legal-email
///       continue: true
/// ```
public struct RouteConfig: Sendable, Equatable, Codable {
    public var name: String?
    public var matchers: [String]?
    public var receiver: String?
    public var `continue`: Bool?
    /// Label names; `["..."]` groups by every label (one group per distinct alert).
    public var groupBy: [String]?
    public var groupWait: ConfigDuration?
    public var groupInterval: ConfigDuration?
    public var repeatInterval: ConfigDuration?
    /// Names from `quiet_hours:`; `[]` clears the inherited ones.
    public var quietHours: [String]?
    public var routes: [RouteConfig]?

    public init(
        name: String? = nil, matchers: [String]? = nil, receiver: String? = nil, continue: Bool? = nil,
        groupBy: [String]? = nil, groupWait: ConfigDuration? = nil, groupInterval: ConfigDuration? = nil,
        repeatInterval: ConfigDuration? = nil, quietHours: [String]? = nil, routes: [RouteConfig]? = nil
    ) {
        self.name = name
        self.matchers = matchers
        self.receiver = receiver
        self.continue = `continue`
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.quietHours = quietHours
        self.routes = routes
    }

    enum CodingKeys: String, CodingKey {
        case name, matchers, receiver, `continue`, groupBy = "group_by", groupWait = "group_wait"
        case groupInterval = "group_interval", repeatInterval = "repeat_interval", quietHours = "quiet_hours", routes
    }
}

/// Quiet hours: local times when notifications wait, unless the alert is severe enough.
///
/// ```yaml
/// quiet_hours:
///   night:
///     time_zone: Europe/London
///     hours: {mon: ["20:00-08:00"], tue: ["20:00-08:00"], sat: ["00:00-24:00"]}
///     override: P1            # alerts at P1 (or more urgent) are sent anyway; the default
/// ```
public struct QuietHours: Sendable, Equatable, Codable {
    public var name: String
    public var schedule: BusinessCalendar
    /// Alerts at this severity or more urgent ignore the quiet hours.
    public var override: Severity

    public init(name: String, timeZoneID: String, hours: [Weekday: [TimeRange]], override: Severity = .p1) throws {
        self.name = name
        schedule = try BusinessCalendar(timeZoneID: timeZoneID, hours: hours)
        self.override = override
    }

    enum CodingKeys: String, CodingKey {
        case name, timeZone = "time_zone", hours, override
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .name) ?? decoder.codingPath.last?.stringValue ?? "quiet"
        let tz = try c.decode(String.self, forKey: .timeZone)
        let hours = try c.decode([Weekday: [TimeRange]].self, forKey: .hours)
        let override = try c.decodeIfPresent(Severity.self, forKey: .override) ?? .p1
        self = try decodingConfig(decoder) { try QuietHours(name: name, timeZoneID: tz, hours: hours, override: override) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(schedule.timeZoneID, forKey: .timeZone)
        try c.encode(schedule.hours, forKey: .hours)
        try c.encode(override, forKey: .override)
    }

    /// When a notification of this severity planned for `date` may go out: `date` itself, or
    /// the end of the quiet period it falls in.
    public func release(_ date: Date, severity: Severity) -> Date {
        if severity.rank <= override.rank { return date }
        return schedule.openSpan(containing: date)?.end ?? date
    }
}

/// Everything under the routing part of the configuration.
public struct RoutingConfig: Sendable, Equatable, Codable {
    public var routes: RouteConfig
    public var quietHours: [String: QuietHours]

    public init(routes: RouteConfig, quietHours: [String: QuietHours] = [:]) {
        self.routes = routes
        self.quietHours = quietHours
    }

    enum CodingKeys: String, CodingKey {
        case routes, quietHours = "quiet_hours"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        routes = try c.decode(RouteConfig.self, forKey: .routes)
        quietHours = try c.decodeIfPresent([String: QuietHours].self, forKey: .quietHours) ?? [:]
    }
}
