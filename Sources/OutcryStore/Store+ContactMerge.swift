import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// Replaces contact `keep` with `merged` (computed by `ContactMerge.merge`) and removes
    /// `remove`, in one transaction: `remove`'s mentions, audit history and external ids move to
    /// `keep`, so both histories stay on the one contact, and an audit entry says what was done.
    public func mergeContacts(keep: ContactID, remove: ContactID, merged: Contact, audit: [String], actor: String, now: Date = Date()) async throws {
        guard keep != remove else { throw StoreError(description: "cannot merge contact \(keep) into itself") }
        try await transaction {
            guard let removed = try await sql.raw("SELECT external_id FROM contacts WHERE id = \(bind: remove)").first() else {
                throw StoreError.notFound("contact \(remove)")
            }
            guard try await sql.raw("SELECT id FROM contacts WHERE id = \(bind: keep)").first() != nil else {
                throw StoreError.notFound("contact \(keep)")
            }
            let removedExternalID = try removed.decode(column: "external_id", as: String.self)
            try await sql.raw("""
                UPDATE contacts SET name = \(bind: merged.name), company = \(bind: merged.company), segment = \(bind: merged.segment),
                tier = \(bind: merged.tier), owner = \(bind: merged.owner), opted_out = \(bind: merged.optedOut ? 1 : 0),
                updated_at = \(bind: now.timeIntervalSince1970) WHERE id = \(bind: keep)
                """).run()
            try await sql.raw("UPDATE mention_links SET contact_id = \(bind: keep) WHERE contact_id = \(bind: remove)").run()
            if merged.optedOut {
                // Opted out: the person is no longer linked, not even to the merged record.
                try await sql.raw("""
                    UPDATE mention_links SET outcome = 'opted_out', contact_id = NULL, confidence = NULL, reason = 'the contact opted out'
                    WHERE contact_id = \(bind: keep)
                    """).run()
            }
            try await sql.raw("UPDATE audit SET contact_id = \(bind: keep) WHERE contact_id = \(bind: remove)").run()
            try await sql.raw("UPDATE contact_external_ids SET contact_id = \(bind: keep) WHERE contact_id = \(bind: remove)").run()
            try await sql.raw("DELETE FROM contacts WHERE id = \(bind: remove)").run()
            try await sql.raw("""
                INSERT INTO contact_external_ids (external_id, contact_id, merged_at) VALUES (\(bind: removedExternalID), \(bind: keep), \(bind: now.timeIntervalSince1970))
                ON CONFLICT (external_id) DO UPDATE SET contact_id = excluded.contact_id
                """).run()
            try await sql.raw("DELETE FROM contact_identifiers WHERE contact_id = \(bind: keep)").run()
            try await insertIdentifiers([(keep.rawValue, merged)])
            try await bumpContactsRevision()
            try await recordAudit(actor: actor, action: "merge", contactID: keep, detail: audit.joined(separator: "; "), at: now)
        }
    }
}
