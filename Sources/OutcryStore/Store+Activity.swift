import Foundation
import OutcryModel
import SQLKit

/// One thing a person (or a token acting for one) did: a thread action, a crisis declared or
/// ended, a privacy export or erasure, a merge, an import, a user added, a label, a download.
public struct ActivityEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    /// `acknowledged`, `crisis.declared`, `export`, `label`, …
    public var action: String
    /// `thread 12`, `contact 7`, `mention 40`, a brand or source, or "".
    public var subject: String
    public var detail: String
}

extension Store {
    /// The audit log of the dashboard, newest first: every person's action on threads
    /// (`thread_events`, without the customers' own writes), crises declared and ended
    /// (`events` not written by Outcry itself), the privacy and administration audit (`audit`:
    /// exports, erasures, merges, imports, users, downloads, and the labels people put on mentions).
    public func activity(offset: Int = 0, limit: Int = 200) async throws -> [ActivityEntry] {
        // Each part stops at the newest offset + limit rows (an index on its time), so the
        // log's first pages cost the same on a store of years.
        let n = max(0, offset) + max(0, limit)
        return try await sql.raw("""
            SELECT at, actor, action, subject, detail FROM (
              SELECT * FROM (SELECT at, actor, kind AS action, 'thread ' || CAST(thread_id AS TEXT) AS subject,
                COALESCE(from_status, '-') || ' → ' || to_status
                || CASE WHEN assignee_name IS NULL THEN '' ELSE ', ' || COALESCE(assignee_kind, 'person') || ':' || assignee_name END
                || CASE WHEN note IS NULL OR note = '' THEN '' ELSE ': ' || note END AS detail
              FROM thread_events WHERE actor <> 'customer' ORDER BY at DESC LIMIT \(bind: n)) AS t
              UNION ALL
              SELECT * FROM (SELECT at, actor, kind AS action,
                COALESCE(source_name, CASE WHEN thread_id IS NULL THEN '' ELSE 'thread ' || CAST(thread_id AS TEXT) END) AS subject, detail
              FROM events WHERE actor <> 'outcry' ORDER BY at DESC LIMIT \(bind: n)) AS e
              UNION ALL
              SELECT * FROM (SELECT at, actor, action, CASE WHEN contact_id IS NULL THEN '' ELSE 'contact ' || CAST(contact_id AS TEXT) END AS subject, detail
              FROM audit ORDER BY at DESC LIMIT \(bind: n)) AS a
            ) AS activity ORDER BY at DESC, action ASC LIMIT \(bind: max(0, limit)) OFFSET \(bind: max(0, offset))
            """).all().map { row in
            ActivityEntry(at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                          actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                          subject: try row.decode(column: "subject", as: String?.self) ?? "", detail: try row.decode(column: "detail", as: String?.self) ?? "")
        }
    }

    /// Records a download or another action of a person in the audit (the dashboard's CSV files).
    public func recordActivity(actor: String, action: String, detail: String, at: Date) async throws {
        try await transaction { try await recordAudit(actor: actor, action: action, contactID: nil, detail: detail, at: at) }
    }
}
