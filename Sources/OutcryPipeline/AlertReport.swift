import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// Builds the response-time report from stored thread histories (`outcry report`).
public enum AlertReport {
    public static func build(store: Store, config: AlertingConfig?, since: Date?, perPerson: Bool, now: Date) async throws -> Report {
        var threads: [ReportThread] = []
        for item in try await store.threadsForReport(since: since) {
            let facts = ThreadAlertFacts(thread: item.thread, assigneeKind: item.assigneeKind, assigneeName: item.assignee, nextWakeUp: nil,
                                         clocksEvaluatedAt: nil, excerpt: "", url: nil, urgency: [], reasons: [])
            let life = AlertHistory.lifecycle(facts: facts, stored: item.events)
            let team = life.events.last { $0.assignee?.kind == .team }?.assignee?.name
            threads.append(ReportThread(id: String(item.thread.id ?? 0), severity: item.thread.severity, channel: item.thread.channel,
                                        team: team, segment: item.thread.segment, events: life.events))
        }
        var options = ReportOptions()
        options.perPerson = perPerson
        return ReportBuilder.build(threads: threads, policies: config?.sla ?? SLAPolicySet([]), calendars: config?.calendars ?? [:],
                                   defaultCalendar: config?.calendars["default"] ?? .twentyFourSeven, options: options, now: now)
    }

    /// `30d`, `12w`, `48h`, `90m` as seconds.
    public static func parseSince(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = t.last, let n = Double(t.dropLast()), n > 0 else { return nil }
        switch unit {
        case "w": return n * 7 * 86400
        case "d": return n * 86400
        case "h": return n * 3600
        case "m": return n * 60
        default: return nil
        }
    }
}
