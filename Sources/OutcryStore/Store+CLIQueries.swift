import Foundation
import OutcryModel
import SQLKit

/// Read-only queries for the CLI's views (`outcry show`, `outcry explain --thread`).
extension Store {
    /// A thread's mentions with their scores, oldest first (at most `limit`).
    public func mentions(ofThread threadID: ThreadID, limit: Int = 200) async throws -> [StoredMention] {
        try await sql.raw("""
            SELECT * FROM mentions WHERE thread_id = \(bind: threadID)
            ORDER BY COALESCE(published_at, fetched_at) ASC, id ASC LIMIT \(bind: limit)
            """).all().map(StoredMention.init(row:))
    }

    /// Every contact holding an email address (the same address can sit on two CRM records).
    public func contacts(withEmail email: String) async throws -> [Contact] {
        var found: [Contact] = []
        for row in try await sql.raw("""
            SELECT DISTINCT contact_id FROM contact_identifiers WHERE kind = 'email' AND value = \(bind: email.lowercased()) ORDER BY contact_id
            """).all() {
            if let c = try await contact(id: try row.decode(column: "contact_id", as: ContactID.self)) { found.append(c) }
        }
        return found
    }
}
