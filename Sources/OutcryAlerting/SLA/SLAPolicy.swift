import Foundation
import OutcryModel

/// The four response-time clocks of a thread.
public enum SLAClockKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// From opening (or reopening) until someone acknowledges or responds.
    case acknowledge
    /// From opening until the first response.
    case firstResponse = "first_response"
    /// From a customer message that follows a response until the next response.
    case nextResponse = "next_response"
    /// From opening (or reopening) until resolution.
    case resolution
}

/// How long each clock may run before it is breached; a missing target means no clock.
public struct SLATargets: Sendable, Equatable, Codable {
    public var acknowledge: ConfigDuration?
    public var firstResponse: ConfigDuration?
    public var nextResponse: ConfigDuration?
    public var resolution: ConfigDuration?

    public init(acknowledge: ConfigDuration? = nil, firstResponse: ConfigDuration? = nil,
                nextResponse: ConfigDuration? = nil, resolution: ConfigDuration? = nil) {
        self.acknowledge = acknowledge
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
    }

    enum CodingKeys: String, CodingKey {
        case acknowledge, firstResponse = "first_response", nextResponse = "next_response", resolution
    }

    public subscript(kind: SLAClockKind) -> ConfigDuration? {
        switch kind {
        case .acknowledge: acknowledge
        case .firstResponse: firstResponse
        case .nextResponse: nextResponse
        case .resolution: resolution
        }
    }
}

/// Response-time targets for threads of some severities and channels.
///
/// ```yaml
/// - name: p1-social
///   severities: [P1]
///   channels: [social, feed]
///   targets: {acknowledge: 15m, first_response: 1h, next_response: 2h, resolution: 1d}
///   business_hours: false          # clocks run around the clock
///   warn_before: 15m
/// ```
public struct SLAPolicy: Sendable, Equatable, Codable {
    public var name: String
    /// Severities it applies to; nil or empty means all.
    public var severities: [Severity]?
    /// Channels it applies to; nil or empty means all.
    public var channels: [Channel]?
    public var targets: SLATargets
    /// When true, clocks pause outside the calendar's hours; when false they run 24×7.
    public var businessHours: Bool
    /// Name of the business calendar (from `calendars:`); nil means the default calendar.
    public var calendar: String?
    /// How long before a breach the warning fires (wall-clock time); default 15 minutes.
    public var warnBefore: ConfigDuration?

    public init(name: String, severities: [Severity]? = nil, channels: [Channel]? = nil, targets: SLATargets,
                businessHours: Bool = true, calendar: String? = nil, warnBefore: ConfigDuration? = nil) {
        self.name = name
        self.severities = severities
        self.channels = channels
        self.targets = targets
        self.businessHours = businessHours
        self.calendar = calendar
        self.warnBefore = warnBefore
    }

    enum CodingKeys: String, CodingKey {
        case name, severities, channels, targets, businessHours = "business_hours", calendar, warnBefore = "warn_before"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        severities = try c.decodeIfPresent([Severity].self, forKey: .severities)
        channels = try c.decodeIfPresent([Channel].self, forKey: .channels)
        targets = try c.decode(SLATargets.self, forKey: .targets)
        businessHours = try c.decodeIfPresent(Bool.self, forKey: .businessHours) ?? true
        calendar = try c.decodeIfPresent(String.self, forKey: .calendar)
        warnBefore = try c.decodeIfPresent(ConfigDuration.self, forKey: .warnBefore)
    }

    public static let defaultWarningLead: TimeInterval = 15 * 60

    public var warningLead: TimeInterval { warnBefore?.seconds ?? Self.defaultWarningLead }

    public func applies(severity: Severity, channel: Channel) -> Bool {
        (severities?.isEmpty ?? true || severities!.contains(severity))
            && (channels?.isEmpty ?? true || channels!.contains(channel))
    }
}

/// The configured policies, first match wins.
public struct SLAPolicySet: Sendable, Equatable, Codable {
    public var policies: [SLAPolicy]

    public init(_ policies: [SLAPolicy]) { self.policies = policies }

    public init(from decoder: Decoder) throws {
        policies = try decoder.singleValueContainer().decode([SLAPolicy].self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(policies)
    }

    /// The first policy that applies to a thread of this severity and channel.
    public func policy(severity: Severity, channel: Channel) -> SLAPolicy? {
        policies.first { $0.applies(severity: severity, channel: channel) }
    }
}
