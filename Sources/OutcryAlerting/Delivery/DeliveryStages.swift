import Foundation
import OutcryModel

/// The decisions of the delivery chain, one pure stage each, in the order the dispatcher runs
/// them (in the manner of Alertmanager's notify pipeline):
///
/// group wait → dedupe → repeat filter → order (lead) → render → send → record
///
/// Render is ``NotificationComposer``; send and record are I/O in the pipeline, and record's
/// decision is ``RetryPolicy``. Each stage here takes values and returns a value: no store, no clock.
public enum DeliveryStages {}

/// Stage 1: whether a group's notification is due now, or when it will be.
public enum GroupWaitStage {
    public enum Verdict: Sendable, Equatable {
        case send
        case wait(until: Date)
    }

    /// Ungrouped alerts go at once; grouped ones follow ``GroupScheduler`` (group_wait,
    /// group_interval, repeat_interval).
    public static func decide(group: AlertGroupState?, groupKey: String?, alerts: [ThreadAlert], grouping: GroupingOptions?,
                              now: Date) -> Verdict {
        guard let grouping, let groupKey else { return .send }
        let state = group ?? AlertGroupState(key: groupKey, firstAlertAt: now)
        let decision = GroupScheduler.decide(group: state, activeAlertIDs: Set(alerts.map(\.id)), options: grouping, now: now)
        if !decision.isDue, let due = decision.dueAt { return .wait(until: due) }
        return .send
    }
}

/// Stage 2: each thread once. A group can hold several alerts of one thread (its new-thread
/// alert and a later SLA warning); the notification lists the thread once, by its most severe
/// alert, the newest of those on a tie.
public enum DedupeStage {
    public static func apply(_ alerts: [ThreadAlert]) -> [ThreadAlert] {
        var best: [String: ThreadAlert] = [:]
        var order: [String] = []
        for alert in alerts {
            guard let kept = best[alert.threadID] else {
                best[alert.threadID] = alert
                order.append(alert.threadID)
                continue
            }
            if (alert.severity.rank, -alert.firedAt.timeIntervalSince1970) < (kept.severity.rank, -kept.firedAt.timeIntervalSince1970) {
                best[alert.threadID] = alert
            }
        }
        return order.compactMap { best[$0] }
    }
}

/// Stage 3: a repeat goes out only for the threads nobody has acknowledged yet.
public enum RepeatFilterStage {
    /// The alerts whose thread is still unacknowledged; empty means the repeat is not needed.
    public static func apply(_ alerts: [ThreadAlert], stillUnacknowledged: Set<String>) -> [ThreadAlert] {
        alerts.filter { stillUnacknowledged.contains($0.threadID) }
    }
}

/// Stage 4: the order a notification lists its alerts in; the first is its lead (title,
/// severity, reasons). The most severe alert leads; among equals, one not yet notified in this
/// group before one already sent, a new thread before a clock's warning about an older one, then
/// the earliest fired.
public enum LeadOrderStage {
    public static func apply(_ alerts: [ThreadAlert], alreadyNotified: Set<String> = []) -> [ThreadAlert] {
        func kindRank(_ kind: AlertKind) -> Int {
            switch kind {
            case .crisis: 0
            case .newThread: 1
            case .escalation: 2
            case .slaBreach: 3
            case .slaWarning: 4
            }
        }
        return alerts.enumerated().sorted { a, b in
            let ka = (a.element.severity.rank, alreadyNotified.contains(a.element.id) ? 1 : 0, kindRank(a.element.kind))
            let kb = (b.element.severity.rank, alreadyNotified.contains(b.element.id) ? 1 : 0, kindRank(b.element.kind))
            if ka != kb { return ka < kb }
            if a.element.firedAt != b.element.firedAt { return a.element.firedAt < b.element.firedAt }
            return a.offset < b.offset
        }.map(\.element)
    }
}
