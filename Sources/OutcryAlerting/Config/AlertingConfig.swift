import Foundation

/// The alerting part of `config/outcry.yaml`: `calendars:`, `sla:`, `escalations:`,
/// `quiet_hours:`, `routes:`, `receivers:`, `retry:`, `redaction:`. Plain Codable — the app decodes it
/// from YAML with Yams, so decoding errors carry the key path; `check()` then cross-checks names.
///
/// ```swift
/// let config = try YAMLDecoder().decode(AlertingConfig.self, from: text)
/// let problems = config.check()          // [] when everything refers to something that exists
/// let tree = try config.routingTree()
/// ```
public struct AlertingConfig: Sendable, Equatable, Codable {
    /// Named calendars; `default` (if present) is used by policies without `calendar:`.
    public var calendars: [String: BusinessCalendar]
    public var sla: SLAPolicySet
    public var escalations: [String: EscalationChain]
    public var quietHours: [String: QuietHours]
    public var routes: RouteConfig
    public var receivers: [String: ReceiverConfig]
    public var retry: RetryPolicy
    public var redaction: RedactionPolicy

    enum CodingKeys: String, CodingKey {
        case calendars, sla, escalations, quietHours = "quiet_hours", routes, receivers, retry, redaction
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        calendars = try c.decodeIfPresent([String: BusinessCalendar].self, forKey: .calendars) ?? [:]
        sla = try c.decodeIfPresent(SLAPolicySet.self, forKey: .sla) ?? SLAPolicySet([])
        escalations = try c.decodeIfPresent([String: EscalationChain].self, forKey: .escalations) ?? [:]
        quietHours = try c.decodeIfPresent([String: QuietHours].self, forKey: .quietHours) ?? [:]
        routes = try c.decode(RouteConfig.self, forKey: .routes)
        receivers = try c.decodeIfPresent([String: ReceiverConfig].self, forKey: .receivers) ?? [:]
        retry = try c.decodeIfPresent(RetryPolicy.self, forKey: .retry) ?? RetryPolicy()
        redaction = try c.decodeIfPresent(RedactionPolicy.self, forKey: .redaction) ?? RedactionPolicy()
    }

    /// The calendar a policy uses: its named one, else `default`, else 24×7.
    public func calendar(for policy: SLAPolicy) -> BusinessCalendar {
        policy.calendar.flatMap { calendars[$0] } ?? calendars["default"] ?? .twentyFourSeven
    }

    public func routingTree() throws -> RoutingTree {
        try RoutingTree(config: RoutingConfig(routes: routes, quietHours: quietHours), receivers: Set(receivers.keys))
    }

    /// Every cross-reference problem, as sentences (empty when the configuration is consistent).
    public func check() -> [String] {
        var out: [String] = []
        for (name, r) in receivers.sorted(by: { $0.key < $1.key }) { out += r.problems(name: name) }
        for p in sla.policies {
            if let cal = p.calendar, calendars[cal] == nil {
                out.append("sla policy '\(p.name)': calendar '\(cal)' is not defined under calendars:")
            }
        }
        for (name, chain) in escalations.sorted(by: { $0.key < $1.key }) {
            for (i, tier) in chain.tiers.enumerated() {
                for r in tier.receivers where receivers[r] == nil {
                    out.append("escalation '\(name)' tier \(i + 1): receiver '\(r)' is not defined under receivers:")
                }
            }
        }
        do { _ = try routingTree() } catch let e as AlertingConfigError { out.append(e.message) } catch { out.append("\(error)") }
        return out
    }
}
