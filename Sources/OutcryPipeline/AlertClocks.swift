import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// One evaluation of a thread's SLA clocks and escalation chain: the notices that fell due (not
/// yet written), what they write to the outbox (routed), and the next instant worth waking up for.
struct AlertClockPass: Sendable {
    var noticeKeys: [String] = []
    var outbox = OutboxWrites()
    var nextWakeUp: Date?
}

/// Computes clock passes from stored history; pure apart from its inputs.
struct AlertClockEvaluator: Sendable {
    let settings: AlertSettings

    /// `crisisBrands`: brands in a declared crisis, whose SLA notices fold into the crisis alert.
    func evaluate(facts: ThreadAlertFacts, life: ThreadLifecycle, sent: Set<String>, crisisBrands: Set<String> = [], now: Date) throws -> AlertClockPass {
        var pass = AlertClockPass()
        let t = facts.thread
        let threadID = t.id ?? 0
        if let policy = settings.config.sla.policy(severity: t.severity, channel: t.channel) {
            let eval = SLAEngine.evaluate(events: life.events, policy: policy, calendar: settings.config.calendar(for: policy), now: now)
            pass.nextWakeUp = eval.nextWakeUp
            for notice in eval.notices where !sent.contains("sla:" + notice.key) {
                let kind: AlertKind = notice.kind == .warning ? .slaWarning : .slaBreach
                let clock = notice.clock.rawValue.replacingOccurrences(of: "_", with: " ")
                let why = notice.kind == .warning
                    ? "SLA '\(policy.name)': \(clock) deadline \(notice.deadline.formatted(.iso8601)) is near"
                    : "SLA '\(policy.name)': \(clock) deadline \(notice.deadline.formatted(.iso8601)) passed"
                let alert = AlertHistory.alert(facts: facts, kind: kind, id: "t\(threadID)/sla/\(notice.key)",
                                               extraReasons: [Reason(rule: "sla.\(notice.kind.rawValue)", evidence: why, weight: 0)],
                                               settings: settings, now: now)
                pass.noticeKeys.append("sla:" + notice.key)
                pass.outbox.append(try AlertRouter(settings: settings).route(
                    alert, threadID: threadID, kind: "sla.\(notice.kind.rawValue)", idempotencyKey: "sla:\(threadID):\(notice.key)",
                    crisisBrands: crisisBrands, now: now))
            }
        }
        if let chain = settings.escalationChain(for: t.severity) {
            let since = life.events.last { $0.to == .new && $0.from != .new }?.at ?? t.openedAt
            // A reopened thread escalates again: the episode (when it became unacknowledged) is part of the key.
            let episode = Int64(since.timeIntervalSince1970)
            let prefix = "esc:\(episode):"
            let plan = chain.due(status: life.status, unacknowledgedSince: since, alreadySent: Set(sent.compactMap {
                $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil
            }), now: now)
            if let next = plan.nextDueAt { pass.nextWakeUp = min(pass.nextWakeUp ?? next, next) }
            for notice in plan.due {
                pass.noticeKeys.append(prefix + notice.key)
                let alert = AlertHistory.alert(facts: facts, kind: .escalation, id: "t\(threadID)/esc/\(episode)/\(notice.key)",
                                               extraReasons: [Reason(rule: "escalation", evidence: notice.reason, weight: 0)],
                                               settings: settings, now: now)
                for receiver in notice.receivers {
                    pass.outbox.rows.append(NewOutboxRow(
                        threadID: threadID, kind: "escalation", receiver: receiver,
                        idempotencyKey: "esc:\(threadID):\(episode):\(notice.key)",
                        payload: try CanonicalJSON.encode(RoutedAlert(alert: alert, routeReasons: [notice.reason], grouping: nil)),
                        notBefore: now))
                }
            }
        }
        return pass
    }
}
