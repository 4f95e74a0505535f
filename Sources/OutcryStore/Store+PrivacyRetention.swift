import Foundation
import OutcryModel
import SQLKit

/// What a retention purge removed.
public struct PurgeResult: Sendable, Equatable {
    /// Mentions past `mentions` retention whose personal content was removed.
    public var mentionsPurged = 0
    /// Mail mentions past `mail_bodies` retention whose body was removed.
    public var mailBodiesPurged = 0

    public init(mentionsPurged: Int = 0, mailBodiesPurged: Int = 0) {
        self.mentionsPurged = mentionsPurged
        self.mailBodiesPurged = mailBodiesPurged
    }
}

extension Store {
    /// Applies retention: mentions fetched before `mentionsBefore` lose their personal content
    /// (text becomes '[purged]'; title, HTML, URL, author fields and the words quoted as evidence
    /// in their reasons are removed, their contact link is dropped, and their mail records lose
    /// sender and subject key); mail mentions fetched before `mailBodiesBefore` lose their body
    /// (text and HTML). The rows stay with their source, key, dates, scores and thread, so that
    /// reports and thread counts keep working and a feed that still lists an old item does not
    /// bring it back as new. Mentions of threads still open are kept whole until the thread is
    /// resolved: an unanswered complaint is never purged.
    ///
    /// Resolved threads past retention lose title, author and summary, the details of their
    /// events and notes, and every outbox row about them (pending, sent, dead, repeats) loses the
    /// alert's title, excerpt, reasons' evidence and contact.
    public func purge(mentionsBefore: Date?, mailBodiesBefore: Date?, actor: String = "retention", now: Date = Date()) async throws -> PurgeResult {
        guard mentionsBefore != nil || mailBodiesBefore != nil else { return PurgeResult() }
        try await exec("PRAGMA secure_delete = ON")
        var result = PurgeResult()
        let closed = "(thread_id IS NULL OR thread_id IN (SELECT id FROM threads WHERE status = 'resolved'))"
        let marker = "[purged]"
        try await transaction {
            if let cutoff = mentionsBefore?.timeIntervalSince1970 {
                let ids = try await sql.raw("""
                    SELECT id FROM mentions WHERE fetched_at < \(bind: cutoff) AND text <> '[purged]' AND \(unsafeRaw: closed)
                    """).all().map { try $0.decode(column: "id", as: MentionID.self) }
                for chunk in ids.chunked(400) {
                    try await sql.raw("DELETE FROM mention_links WHERE mention_id IN (\(binds: Array(chunk)))").run()
                    try await sql.raw("""
                        UPDATE mentions SET text = '[purged]', title = NULL, html = NULL, url = NULL, author_name = NULL,
                        author_handle = NULL, author_email = NULL WHERE id IN (\(binds: Array(chunk)))
                        """).run()
                    try await sql.raw("UPDATE mail_messages SET sender = '', subject_key = '' WHERE mention_id IN (\(binds: Array(chunk)))").run()
                }
                try await dropReasonEvidence(mentionIDs: ids)
                result.mentionsPurged = ids.count
                // Resolved threads whose last mention is past retention keep counts and severity, not who or what.
                let threads = Set(try await sql.raw("""
                    SELECT id FROM threads WHERE status = 'resolved' AND last_mention_at < \(bind: cutoff) AND title <> '[purged]'
                    """).all().map { try $0.decode(column: "id", as: ThreadID.self) })
                for chunk in Array(threads).chunked(400) {
                    try await sql.raw("""
                        UPDATE threads SET title = '[purged]', author_name = NULL, author_handle = NULL, summary = '[purged]'
                        WHERE id IN (\(binds: Array(chunk)))
                        """).run()
                }
                if !threads.isEmpty {
                    try await scrubThreadHistory(threads, marker: marker)
                    _ = try await scrubOutbox(threads: threads, scrubber: IdentifierScrubber(literals: [], marker: marker), marker: marker)
                }
            }
            if let cutoff = mailBodiesBefore?.timeIntervalSince1970 {
                let rows = try await sql.raw("""
                    SELECT id, thread_id FROM mentions WHERE channel = 'mail' AND fetched_at < \(bind: cutoff)
                    AND text NOT IN ('[purged]', '[erased]') AND \(unsafeRaw: closed)
                    """).all()
                result.mailBodiesPurged = rows.count
                // Notifications about those threads quote the bodies (the excerpt): those copies go too.
                let threads = Set(try rows.compactMap { try $0.decode(column: "thread_id", as: ThreadID?.self) })
                if !threads.isEmpty {
                    _ = try await scrubOutbox(threads: threads, scrubber: IdentifierScrubber(literals: [], marker: marker), marker: marker)
                }
                try await sql.raw("""
                    UPDATE mentions SET text = '[purged]', html = NULL WHERE channel = 'mail' AND fetched_at < \(bind: cutoff)
                    AND text NOT IN ('[purged]', '[erased]') AND \(unsafeRaw: closed)
                    """).run()
            }
            if result != PurgeResult() {
                try await recordAudit(actor: actor, action: "purge", contactID: nil,
                                      detail: "retention: \(result.mentionsPurged) mentions and \(result.mailBodiesPurged) mail bodies purged", at: now)
            }
        }
        if result != PurgeResult() { try await checkpoint() }
        return result
    }
}
