import Foundation
import OutcryModel

/// What the store remembers about one alert group between dispatcher passes.
public struct AlertGroupState: Sendable, Equatable, Codable {
    public var key: String
    /// When the group's first (still active) alert arrived.
    public var firstAlertAt: Date
    public var lastNotifiedAt: Date?
    /// Alert ids included in the last notification.
    public var notifiedAlertIDs: Set<String>

    public init(key: String, firstAlertAt: Date, lastNotifiedAt: Date? = nil, notifiedAlertIDs: Set<String> = []) {
        self.key = key
        self.firstAlertAt = firstAlertAt
        self.lastNotifiedAt = lastNotifiedAt
        self.notifiedAlertIDs = notifiedAlertIDs
    }
}

/// When a group notification is due, and why.
public struct GroupDecision: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        case groupWait = "group_wait"
        case groupInterval = "group_interval"
        case repeatInterval = "repeat_interval"
    }

    /// When to notify; nil when the group has no active alerts.
    public var dueAt: Date?
    public var isDue: Bool
    public var reason: Reason?
    public var explanation: String
}

/// Alertmanager's timing for a group, as one pure function:
/// first notification `group_wait` after the first alert; after that, new alerts are sent
/// `group_interval` after the previous notification; an unchanged group is repeated every
/// `repeat_interval`. Quiet hours push a due time to the end of the quiet period unless the
/// group's most severe alert overrides them.
public enum GroupScheduler {
    public static func decide(
        group: AlertGroupState, activeAlertIDs: Set<String>, options: GroupingOptions, now: Date,
        severity: Severity = .none, quietHours: [QuietHours] = []
    ) -> GroupDecision {
        guard !activeAlertIDs.isEmpty else {
            return GroupDecision(dueAt: nil, isDue: false, reason: nil, explanation: "no active alerts")
        }
        var due: Date
        let reason: GroupDecision.Reason
        var why: String
        if let last = group.lastNotifiedAt {
            let fresh = activeAlertIDs.subtracting(group.notifiedAlertIDs)
            if fresh.isEmpty {
                due = last.addingTimeInterval(options.repeatInterval)
                reason = .repeatInterval
                why = "unchanged since the last notification: repeat after repeat_interval \(ConfigDuration(seconds: options.repeatInterval))"
            } else {
                due = last.addingTimeInterval(options.groupInterval)
                reason = .groupInterval
                why = "\(fresh.count) new alert(s) since the last notification: group_interval \(ConfigDuration(seconds: options.groupInterval))"
            }
        } else {
            due = group.firstAlertAt.addingTimeInterval(options.groupWait)
            reason = .groupWait
            why = "first notification of the group: group_wait \(ConfigDuration(seconds: options.groupWait))"
        }
        for q in quietHours {
            let released = q.release(due, severity: severity)
            if released > due {
                due = released
                why += "; held by quiet hours '\(q.name)'"
            }
        }
        return GroupDecision(dueAt: due, isDue: due <= now, reason: reason, explanation: why)
    }
}
