import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// Builds the response-time report from stored thread histories (`outcry report`).
public enum AlertReport {
    /// The report over threads opened since `since`: the threads and their histories come in two
    /// queries, the daily volume is aggregated in SQL. Threads opened by a source's first poll
    /// (old posts Outcry had never seen) are left out of response times and SLA figures, and counted.
    public static func build(store: Store, config: AlertingConfig?, since: Date?, perPerson: Bool, now: Date) async throws -> Report {
        var threads: [ReportThread] = []
        var backlog = 0
        for item in try await store.reportThreads(since: since) {
            if item.openedByBacklog {
                backlog += 1
                continue
            }
            let facts = ThreadAlertFacts(thread: item.thread, assigneeKind: item.assigneeKind, assigneeName: item.assignee, nextWakeUp: nil,
                                         clocksEvaluatedAt: nil, excerpt: "", url: nil, urgency: [], reasons: [])
            let life = AlertHistory.lifecycle(facts: facts, stored: item.events)
            let team = life.events.last { $0.assignee?.kind == .team }?.assignee?.name
            threads.append(ReportThread(id: String(item.thread.id ?? 0), severity: item.thread.severity, channel: item.thread.channel,
                                        team: team, segment: item.thread.segment, events: life.events))
        }
        var options = ReportOptions()
        options.perPerson = perPerson
        var report = ReportBuilder.build(threads: threads, policies: config?.sla ?? SLAPolicySet([]), calendars: config?.calendars ?? [:],
                                         defaultCalendar: config?.calendars["default"] ?? .twentyFourSeven, options: options, now: now)
        report.backlogThreadsLeftOut = backlog
        report.volume = try await store.dailyVolume(since: since)
        return report
    }

    /// `30d`, `12w`, `48h`, `90m` as seconds.
    public static func parseSince(_ text: String) -> TimeInterval? {
        ConfigDuration.seconds(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
