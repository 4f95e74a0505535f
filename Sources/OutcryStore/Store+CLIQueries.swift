import Foundation
import OutcryModel
import SQLKit

/// Read-only queries for the CLI's views (`outcry show`, `outcry explain --thread`).
extension Store {
    /// A thread's mentions with their scores, oldest first (at most `limit`).
    public func mentions(ofThread threadID: Int64, limit: Int = 200) async throws -> [StoredMention] {
        try await sql.raw("""
            SELECT * FROM mentions WHERE thread_id = \(bind: threadID)
            ORDER BY COALESCE(published_at, fetched_at) ASC, id ASC LIMIT \(bind: limit)
            """).all().map(StoredMention.init(row:))
    }
}
