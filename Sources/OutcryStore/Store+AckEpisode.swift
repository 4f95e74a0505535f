import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// When the thread was reopened (moved back to `new` by a person or by the customer writing
    /// on a resolved thread) after `instant`, if it was; the earliest such time. An acknowledge
    /// link issued for the episode before that cannot acknowledge the new one.
    public func threadReopened(_ threadID: ThreadID, after instant: Date) async throws -> Date? {
        let at = instant.timeIntervalSince1970
        let row = try await sql.raw("""
            SELECT MIN(at) AS at FROM (
              SELECT at FROM thread_events WHERE thread_id = \(bind: threadID) AND to_status = 'new'
                AND kind IN ('reopened', 'customer_wrote') AND at > \(bind: at)
              UNION ALL
              SELECT at FROM events WHERE thread_id = \(bind: threadID) AND kind = 'thread.reopened' AND at > \(bind: at)
            ) AS reopenings
            """).first()
        return try row?.decode(column: "at", as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }
}
