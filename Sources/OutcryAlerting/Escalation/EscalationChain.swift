import Foundation
import OutcryModel

/// One step of an escalation chain: who is told, and how long after the thread became
/// unacknowledged.
public struct EscalationTier: Sendable, Equatable, Codable {
    public var after: ConfigDuration
    public var receivers: [String]

    public init(after: ConfigDuration, receivers: [String]) {
        self.after = after
        self.receivers = receivers
    }
}

/// Tiers fired one after another while a thread stays unacknowledged, optionally repeated.
///
/// Repeats follow PagerDuty's meaning: after the last tier, wait `repeat_after`, then run the
/// whole chain again from tier 1, up to `repeat` more times. Acknowledging stops the chain;
/// a reopen starts it again.
///
/// ```yaml
/// escalations:
///   p1:
///     tiers:
///       - {after: 0m, receivers: [oncall-slack]}
///       - {after: 15m, receivers: [support-lead-email]}
///       - {after: 45m, receivers: [head-of-comms-sms]}
///     repeat: 2
///     repeat_after: 30m
/// ```
public struct EscalationChain: Sendable, Equatable, Codable {
    public var name: String
    public var tiers: [EscalationTier]
    /// How many more times the whole chain runs after the first pass.
    public var repeatCount: Int
    /// Wait after the last tier before the chain starts again.
    public var repeatAfter: ConfigDuration

    public init(name: String, tiers: [EscalationTier], repeatCount: Int = 0, repeatAfter: ConfigDuration = .minutes(30)) throws {
        guard !tiers.isEmpty else { throw AlertingConfigError("escalation chain '\(name)' has no tiers") }
        guard repeatCount >= 0, repeatCount <= 100 else {
            throw AlertingConfigError("escalation chain '\(name)': repeat must be between 0 and 100")
        }
        for (i, t) in tiers.enumerated() where i > 0 && t.after.seconds < tiers[i - 1].after.seconds {
            throw AlertingConfigError("escalation chain '\(name)': tier \(i + 1) fires before tier \(i)")
        }
        guard repeatCount == 0 || repeatAfter.seconds > 0 || tiers.last!.after.seconds > 0 else {
            throw AlertingConfigError("escalation chain '\(name)': repeats need repeat_after > 0")
        }
        self.name = name
        self.tiers = tiers
        self.repeatCount = repeatCount
        self.repeatAfter = repeatAfter
    }

    enum CodingKeys: String, CodingKey {
        case name, tiers, repeatCount = "repeat", repeatAfter = "repeat_after"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .name) ?? decoder.codingPath.last?.stringValue ?? "escalation"
        let tiers = try c.decode([EscalationTier].self, forKey: .tiers)
        let count = try c.decodeIfPresent(Int.self, forKey: .repeatCount) ?? 0
        let after = try c.decodeIfPresent(ConfigDuration.self, forKey: .repeatAfter) ?? .minutes(30)
        self = try decodingConfig(decoder) { try EscalationChain(name: name, tiers: tiers, repeatCount: count, repeatAfter: after) }
    }

    /// Length of one pass of the chain, including the pause before the next pass.
    public var cycleLength: TimeInterval { tiers.last!.after.seconds + repeatAfter.seconds }

    /// Every notification of the chain for a thread unacknowledged since `start`, in order.
    public func schedule(unacknowledgedSince start: Date, calendar: BusinessCalendar = .twentyFourSeven) -> [EscalationNotice] {
        var out: [EscalationNotice] = []
        for pass in 0...repeatCount {
            for (i, tier) in tiers.enumerated() {
                let offset = Double(pass) * cycleLength + tier.after.seconds
                out.append(EscalationNotice(chain: name, tier: i + 1, pass: pass, receivers: tier.receivers,
                                            dueAt: calendar.addBusinessTime(offset, to: start)))
            }
        }
        return out
    }

    /// What is due now for a thread and when to look again.
    ///
    /// - Parameters:
    ///   - status: the thread's status; only `new` (unacknowledged) escalates.
    ///   - since: when the thread became unacknowledged (opened or reopened).
    ///   - alreadySent: keys of notices already written to the outbox.
    ///   - calendar: count tier delays in this calendar's hours (24×7 by default).
    public func due(status: ThreadStatus, unacknowledgedSince since: Date, alreadySent: Set<String>, now: Date,
                    calendar: BusinessCalendar = .twentyFourSeven) -> EscalationPlan {
        guard status == .new else { return EscalationPlan(due: [], nextDueAt: nil) }
        let all = schedule(unacknowledgedSince: since, calendar: calendar)
        let due = all.filter { $0.dueAt <= now && !alreadySent.contains($0.key) }
        let next = all.first { $0.dueAt > now }?.dueAt
        return EscalationPlan(due: due, nextDueAt: next)
    }
}

/// One tier notification of one pass of a chain.
public struct EscalationNotice: Sendable, Equatable, Codable {
    public var chain: String
    /// 1-based tier number.
    public var tier: Int
    /// 0 for the first pass, 1 for the first repeat, …
    public var pass: Int
    public var receivers: [String]
    public var dueAt: Date

    /// Stable idempotency key: `p1/tier-2/pass-0`.
    public var key: String { "\(chain)/tier-\(tier)/pass-\(pass)" }

    /// Plain-language reason for the alert.
    public var reason: String {
        pass == 0 ? "escalation '\(chain)' tier \(tier): unacknowledged" : "escalation '\(chain)' tier \(tier), repeat \(pass): still unacknowledged"
    }
}

/// Notices due now and the next instant the chain needs looking at (nil: nothing left).
public struct EscalationPlan: Sendable, Equatable, Codable {
    public var due: [EscalationNotice]
    public var nextDueAt: Date?
}
