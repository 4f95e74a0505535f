import Foundation
import OutcryModel
import SQLKit

/// One mention on a contact's timeline, with its score, the link's reason and its thread.
public struct ContactTimelineEntry: Sendable, Equatable {
    public var mention: StoredMention
    public var link: MentionLink
    public var thread: MentionThread?
}

extension Store {
    /// Stores the links of a poll's mentions (by mention key), inside the poll's transaction.
    func saveLinks(source: String, _ links: [String: MentionLink], now: Date) async throws {
        guard !links.isEmpty else { return }
        let keys = Array(links.keys)
        var ids: [String: MentionID] = [:]
        for chunk in keys.chunked(400) {
            let rows = try await sql.select().columns("id", "key").from("mentions")
                .where("source_name", .equal, source).where("key", .in, Array(chunk)).all()
            for row in rows { ids[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: MentionID.self) }
        }
        let rows: [(MentionID, MentionLink)] = keys.compactMap { key in ids[key].map { ($0, links[key]!) } }
        try await saveLinks(rows, now: now)
    }

    /// Stores (or replaces) the links of mentions by id.
    public func saveLinks(_ rows: [(mentionID: MentionID, link: MentionLink)], now: Date = Date()) async throws {
        try await transaction {
            for chunk in rows.chunked(300) {
                let insert = sql.insert(into: "mention_links").columns("mention_id", "outcome", "contact_id", "confidence", "reason", "linked_at")
                for (id, link) in chunk {
                    insert.values([id.rawValue, link.outcome.rawValue, link.contactID?.rawValue, link.confidence, link.reason, now.timeIntervalSince1970] as [any Encodable & Sendable])
                }
                insert.onConflict(with: ["mention_id"]) { update in
                    update.set(excludedValueOf: "outcome").set(excludedValueOf: "contact_id").set(excludedValueOf: "confidence")
                        .set(excludedValueOf: "reason").set(excludedValueOf: "linked_at")
                }
                try await insert.run()
            }
        }
    }

    /// The stored link of a mention, if it was linked.
    public func link(mentionID: MentionID) async throws -> MentionLink? {
        guard let row = try await sql.raw("SELECT * FROM mention_links WHERE mention_id = \(bind: mentionID)").first() else { return nil }
        return try Self.mentionLink(from: row)
    }

    /// How many stored links have each outcome.
    public func linkOutcomeCounts() async throws -> [MentionLinkOutcome: Int] {
        var counts: [MentionLinkOutcome: Int] = [:]
        for row in try await sql.raw("SELECT outcome, COUNT(*) AS n FROM mention_links GROUP BY outcome").all() {
            if let outcome = MentionLinkOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) {
                counts[outcome] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    static func mentionLink(from row: any SQLRow) throws -> MentionLink {
        MentionLink(
            outcome: MentionLinkOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .unlinked,
            contactID: try row.decode(column: "contact_id", as: ContactID?.self),
            confidence: try row.decode(column: "confidence", as: Double?.self),
            reason: try row.decode(column: "reason", as: String.self)
        )
    }

    /// A contact's linked mentions, newest first, each with its score and thread.
    public func timeline(contactID: ContactID, limit: Int = 200) async throws -> [ContactTimelineEntry] {
        let rows = try await sql.raw("""
            SELECT m.*, ml.outcome, ml.contact_id, ml.confidence, ml.reason AS link_reason FROM mention_links ml
            JOIN mentions m ON m.id = ml.mention_id
            WHERE ml.contact_id = \(bind: contactID) AND ml.outcome = 'linked'
            ORDER BY COALESCE(m.published_at, m.fetched_at) DESC, m.id DESC LIMIT \(bind: limit)
            """).all()
        var threads: [ThreadID: MentionThread] = [:]
        var entries: [ContactTimelineEntry] = []
        for row in rows {
            let mention = try StoredMention(row: row)
            var thread: MentionThread?
            if let threadID = mention.threadID {
                if threads[threadID] == nil { threads[threadID] = try await self.thread(id: threadID) }
                thread = threads[threadID]
            }
            let link = MentionLink(
                outcome: .linked, contactID: contactID, confidence: try row.decode(column: "confidence", as: Double?.self),
                reason: try row.decode(column: "link_reason", as: String.self))
            entries.append(ContactTimelineEntry(mention: mention, link: link, thread: thread))
        }
        return entries
    }

    /// When the contact last complained before `before`, looking back at most `within` seconds
    /// (nil when they did not). Mentions whose key is in `excluding` (the ones being scored) do not count.
    public func previousComplaint(contactID: ContactID, before: Date, within: TimeInterval, excluding: Set<String> = []) async throws -> Date? {
        try await previousComplaints(contactIDs: [contactID], before: before, within: within, excluding: excluding)[contactID]
    }

    /// `previousComplaint` for many contacts at once.
    public func previousComplaints(contactIDs: [ContactID], before: Date, within: TimeInterval, excluding: Set<String> = []) async throws -> [ContactID: Date] {
        var latest: [ContactID: Date] = [:]
        let from = before.addingTimeInterval(-within).timeIntervalSince1970
        for chunk in Array(Set(contactIDs)).chunked(400) {
            let rows = try await sql.raw("""
                SELECT ml.contact_id, m.key, COALESCE(m.published_at, m.fetched_at) AS at FROM mention_links ml
                JOIN mentions m ON m.id = ml.mention_id
                WHERE ml.outcome = 'linked' AND ml.contact_id IN (\(binds: Array(chunk))) AND m.is_complaint = 1
                AND COALESCE(m.published_at, m.fetched_at) >= \(bind: from) AND COALESCE(m.published_at, m.fetched_at) < \(bind: before.timeIntervalSince1970)
                """).all()
            for row in rows {
                if excluding.contains(try row.decode(column: "key", as: String.self)) { continue }
                let id = try row.decode(column: "contact_id", as: ContactID.self)
                let at = Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self))
                if latest[id].map({ at > $0 }) ?? true { latest[id] = at }
            }
        }
        return latest
    }
}
