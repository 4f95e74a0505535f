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
    /// (text becomes '[purged]'; title, HTML, URL and author fields are removed, and their
    /// contact link is dropped); mail mentions fetched before `mailBodiesBefore` lose their body
    /// (text and HTML). The rows stay with their source, key, dates, scores and thread, so that
    /// reports and thread counts keep working and a feed that still lists an old item does not
    /// bring it back as new. Mentions of threads still open are kept whole until the thread is
    /// resolved: an unanswered complaint is never purged.
    public func purge(mentionsBefore: Date?, mailBodiesBefore: Date?, actor: String = "retention", now: Date = Date()) async throws -> PurgeResult {
        guard mentionsBefore != nil || mailBodiesBefore != nil else { return PurgeResult() }
        try await exec("PRAGMA secure_delete = ON")
        var result = PurgeResult()
        let closed = "(thread_id IS NULL OR thread_id IN (SELECT id FROM threads WHERE status = 'resolved'))"
        do {
            try await transaction {
                if let cutoff = mentionsBefore?.timeIntervalSince1970 {
                    try await sql.raw("""
                        DELETE FROM mention_links WHERE mention_id IN (SELECT id FROM mentions WHERE fetched_at < \(bind: cutoff)
                        AND text <> '[purged]' AND \(unsafeRaw: closed))
                        """).run()
                    let row = try await sql.raw("""
                        SELECT COUNT(*) AS n FROM mentions WHERE fetched_at < \(bind: cutoff) AND text <> '[purged]' AND \(unsafeRaw: closed)
                        """).first()
                    try await sql.raw("""
                        UPDATE mentions SET text = '[purged]', title = NULL, html = NULL, url = NULL, author_name = NULL,
                        author_handle = NULL, author_email = NULL WHERE fetched_at < \(bind: cutoff) AND text <> '[purged]' AND \(unsafeRaw: closed)
                        """).run()
                    result.mentionsPurged = try row?.decode(column: "n", as: Int.self) ?? 0
                    // Resolved threads whose last mention is past retention keep counts and severity, not who or what.
                    try await sql.raw("""
                        UPDATE threads SET title = '[purged]', author_name = NULL, author_handle = NULL
                        WHERE status = 'resolved' AND last_mention_at < \(bind: cutoff) AND title <> '[purged]'
                        """).run()
                }
                if let cutoff = mailBodiesBefore?.timeIntervalSince1970 {
                    let row = try await sql.raw("""
                        SELECT COUNT(*) AS n FROM mentions WHERE channel = 'mail' AND fetched_at < \(bind: cutoff)
                        AND text NOT IN ('[purged]', '[erased]') AND \(unsafeRaw: closed)
                        """).first()
                    result.mailBodiesPurged = try row?.decode(column: "n", as: Int.self) ?? 0
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
        } catch {
            try? await exec("PRAGMA secure_delete = OFF")
            throw error
        }
        try await exec("PRAGMA secure_delete = OFF")
        if result != PurgeResult() { try await checkpoint() }
        return result
    }
}
