import Foundation
import OutcryModel
import SQLKit

/// A thread with what the response-time report needs, read in two queries for the whole report.
public struct ReportThreadRecord: Sendable {
    public var thread: MentionThread
    public var assigneeKind: String?
    public var assignee: String?
    public var events: [StoredThreadEvent]
    /// The thread was opened by a source's first poll (its backlog) and alerted nobody: those
    /// mentions were old when Outcry first saw them, so their waits say nothing about the team's
    /// response times. (With `alert_on_backlog` the backlog alerts, and counts.)
    public var openedByBacklog: Bool
}

extension Store {
    /// Every thread opened since `since` with its history, in two queries (threads, then all
    /// their events), oldest first.
    public func reportThreads(since: Date?) async throws -> [ReportThreadRecord] {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let rows = try await sql.raw("""
            SELECT t.*, (SELECT m.backlog FROM mentions m WHERE m.thread_id = t.id ORDER BY m.id LIMIT 1) = 1
                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.thread_id = t.id) AS opened_by_backlog
            FROM threads t WHERE t.opened_at >= \(bind: from) ORDER BY t.id
            """).all()
        var events: [ThreadID: [StoredThreadEvent]] = [:]
        for row in try await sql.raw("""
            SELECT e.* FROM thread_events e JOIN threads t ON t.id = e.thread_id
            WHERE t.opened_at >= \(bind: from) ORDER BY e.thread_id, e.at, e.id
            """).all() {
            let threadID = try row.decode(column: "thread_id", as: ThreadID.self)
            events[threadID, default: []].append(try Self.threadEvent(from: row, threadID: threadID))
        }
        return try rows.map { row in
            let thread = try Self.thread(from: row)
            return ReportThreadRecord(
                thread: thread, assigneeKind: try row.decode(column: "assignee_kind", as: String?.self),
                assignee: try row.decode(column: "assignee_name", as: String?.self), events: events[thread.id ?? 0] ?? [],
                openedByBacklog: (try row.decode(column: "opened_by_backlog", as: Int?.self) ?? 0) == 1)
        }
    }

    /// Mentions per brand and UTC day (by publication time, else fetch time), with how many were
    /// negative or complaints and the mean sentiment; computed in SQL.
    public func dailyVolume(since: Date?) async throws -> [DailyVolume] {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        return try await sql.raw("""
            SELECT COALESCE(brand, '(none)') AS brand, \(unsafeRaw: dialect.utcDay("COALESCE(published_at, fetched_at)")) AS day,
            COUNT(*) AS n, SUM(CASE WHEN sentiment_label = 'negative' THEN 1 ELSE 0 END) AS negative,
            SUM(CASE WHEN is_complaint = 1 THEN 1 ELSE 0 END) AS complaints, AVG(COALESCE(sentiment, 0)) AS mean
            FROM mentions WHERE COALESCE(published_at, fetched_at) >= \(bind: from)
            GROUP BY 1, 2 ORDER BY 2, 1
            """).all().map { row in
            DailyVolume(brand: try row.decode(column: "brand", as: String.self), day: try row.decode(column: "day", as: String.self),
                        mentions: try row.decode(column: "n", as: Int.self), negative: try row.decode(column: "negative", as: Int.self),
                        complaints: try row.decode(column: "complaints", as: Int.self), meanSentiment: try row.decode(column: "mean", as: Double.self))
        }
    }
}
