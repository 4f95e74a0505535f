import Crypto
import Foundation
import OutcryModel
import SQLKit

/// One line of the audit trail: who did what to which contact, when.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: AuditEntryID
    public var at: Date
    public var actor: String
    public var action: String
    public var contactID: ContactID?
    public var detail: String
}

/// What an erasure removed.
public struct ErasureResult: Sendable, Equatable {
    public var contactID: ContactID
    public var mentionsAnonymised = 0
    public var threadsAnonymised = 0
    public var identifiersSuppressed = 0
    /// The team's labels on the person's mentions, deleted with their words.
    public var labelsDeleted = 0
    /// False when another process held the database, so the WAL could not be checkpointed
    /// at once: the old bytes stay in the WAL file until the next checkpoint.
    public var checkpointed = true
}

/// Everything held about one person, for `outcry privacy export`.
public struct PersonalData: Sendable, Encodable {
    public struct Identifier: Sendable, Encodable {
        public var kind: String
        public var value: String
    }

    public struct LinkedMention: Sendable, Encodable {
        public var id: MentionID
        public var source: String
        public var channel: String
        public var url: String?
        public var title: String?
        public var text: String
        public var html: String?
        public var authorName: String?
        public var authorHandle: String?
        public var authorEmail: String?
        public var publishedAt: Date?
        public var fetchedAt: Date
        public var severity: String
        public var isComplaint: Bool
        public var sentiment: Double
        public var threadID: ThreadID?
        public var link: MentionLink?
        /// What the team said of this mention to train the scorer (who, when, what).
        public var labels: [Label] = []
    }

    /// One judgement a person made on one of the person's mentions.
    public struct Label: Sendable, Encodable {
        public var sentiment: String?
        public var complaint: Bool?
        public var urgency: [String]?
        public var labelledBy: String
        public var labelledAt: Date
    }

    public var exportedAt: Date
    public var contact: Contact
    public var createdAt: Date?
    public var updatedAt: Date?
    public var identifiers: [Identifier]
    public var mentions: [LinkedMention]
    public var threads: [MentionThread]
    public var audit: [AuditEntry]
}

extension Store {
    // MARK: audit

    func recordAudit(actor: String, action: String, contactID: ContactID?, detail: String, at: Date) async throws {
        try await sql.raw("""
            INSERT INTO audit (at, actor, action, contact_id, detail)
            VALUES (\(bind: at.timeIntervalSince1970), \(bind: actor), \(bind: action), \(bind: contactID), \(bind: detail))
            """).run()
    }

    /// Audit entries, newest first; only a contact's with `contactID`.
    public func audit(contactID: ContactID? = nil, limit: Int = 500) async throws -> [AuditEntry] {
        let rows: [any SQLRow]
        if let contactID {
            rows = try await sql.raw("SELECT * FROM audit WHERE contact_id = \(bind: contactID) ORDER BY id DESC LIMIT \(bind: limit)").all()
        } else {
            rows = try await sql.raw("SELECT * FROM audit ORDER BY id DESC LIMIT \(bind: limit)").all()
        }
        return try rows.map { row in
            AuditEntry(
                id: try row.decode(column: "id", as: AuditEntryID.self), at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                contactID: try row.decode(column: "contact_id", as: ContactID?.self), detail: try row.decode(column: "detail", as: String.self))
        }
    }

    // MARK: suppressions

    /// The file in the data directory that holds the suppression key (32 random bytes, 0600).
    static let suppressionKeyFile = "suppression.key"

    /// An identifier of a person as the suppression list is asked about it (`kind` is
    /// `external`, `email`, `phone` or a network; `value` normalised). It stays in memory: only
    /// its keyed hash is ever stored.
    public static func suppressionProbe(kind: String, value: String) -> String {
        "\(kind)\u{1F}\(value)"
    }

    /// The stored form of a probe: hex HMAC-SHA-256 under the data directory's suppression key.
    /// Without the key, a phone number or an address cannot be found from it by enumeration.
    nonisolated func suppressionHash(probe: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(probe.utf8), using: SymmetricKey(data: suppressionKey))
        return Hex.encode(mac)
    }

    /// The unkeyed 64-bit hash of earlier versions (before the keyed hash). Suppressions written then are still
    /// matched (they cannot be re-keyed: the identifiers are gone), and are replaced by the
    /// keyed hash when the same identifier is erased again.
    static func legacySuppressionHash(probe: String) -> String {
        StableHash.hex(of: "outcry-suppression\u{1F}\(probe)")
    }

    static func suppressionProbes(_ contact: Contact) -> [String] {
        ([("external", contact.externalID)] + contact.mergedExternalIDs.map { ("external", $0) } + identifiers(of: contact))
            .map { suppressionProbe(kind: $0.0, value: $0.1) }
    }

    /// The given probes (from `suppressionProbe`) whose identifier is suppressed.
    public func suppressedHashes(_ probes: [String]) async throws -> Set<String> {
        var byHash: [String: [String]] = [:]
        for probe in Set(probes) {
            byHash[suppressionHash(probe: probe), default: []].append(probe)
            byHash[Self.legacySuppressionHash(probe: probe), default: []].append(probe)
        }
        var found: Set<String> = []
        for chunk in Array(byHash.keys).chunked(500) {
            let rows = try await sql.select().column("hash").from("suppressions").where("hash", .in, Array(chunk)).all()
            for row in rows { found.formUnion(byHash[try row.decode(column: "hash", as: String.self)] ?? []) }
        }
        return found
    }

    /// How many identifiers of erased people are suppressed.
    public func suppressionCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM suppressions").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: export

    /// The ids of the mentions that are a person's: linked to the contact, or written from one
    /// of the contact's email addresses or handles (even if never linked).
    private func personMentionIDs(_ contact: Contact) async throws -> [MentionID] {
        guard let id = contact.id else { return [] }
        var ids: Set<MentionID> = []
        for row in try await sql.raw("SELECT mention_id FROM mention_links WHERE contact_id = \(bind: id)").all() {
            ids.insert(try row.decode(column: "mention_id", as: MentionID.self))
        }
        let emails = contact.emails.map { $0.lowercased() }
        if !emails.isEmpty {
            for row in try await sql.raw("SELECT id FROM mentions WHERE LOWER(author_email) IN (\(binds: emails))").all() {
                ids.insert(try row.decode(column: "id", as: MentionID.self))
            }
        }
        let handles = contact.handles.map { $0.handle.lowercased() } + emails
        if !handles.isEmpty {
            for row in try await sql.raw("SELECT id FROM mentions WHERE LTRIM(LOWER(author_handle), '@') IN (\(binds: handles))").all() {
                ids.insert(try row.decode(column: "id", as: MentionID.self))
            }
        }
        return ids.sorted()
    }

    /// Everything held about a contact: the record, identifiers, the person's mentions with
    /// their text, the threads they are in, and the audit trail. Records an audit entry.
    public func personalData(contactID: ContactID, actor: String, now: Date = Date()) async throws -> PersonalData {
        guard let contact = try await contact(id: contactID) else { throw StoreError.notFound("contact \(contactID)") }
        let row = try await sql.raw("SELECT created_at, updated_at FROM contacts WHERE id = \(bind: contactID)").first()
        var mentions: [PersonalData.LinkedMention] = []
        var threadIDs: [ThreadID] = []
        for chunk in try await personMentionIDs(contact).chunked(400) {
            let rows = try await sql.raw("""
                SELECT m.*, ml.outcome, ml.contact_id, ml.confidence, ml.reason AS link_reason FROM mentions m
                LEFT JOIN mention_links ml ON ml.mention_id = m.id WHERE m.id IN (\(binds: Array(chunk))) ORDER BY m.id
                """).all()
            for row in rows {
                let stored = try StoredMention(row: row)
                let m = stored.mention
                var link: MentionLink?
                if let outcome = try row.decode(column: "outcome", as: String?.self) {
                    link = MentionLink(outcome: MentionLinkOutcome(rawValue: outcome) ?? .unlinked, contactID: try row.decode(column: "contact_id", as: ContactID?.self),
                                       confidence: try row.decode(column: "confidence", as: Double?.self), reason: try row.decode(column: "link_reason", as: String.self))
                }
                if let threadID = stored.threadID, !threadIDs.contains(threadID) { threadIDs.append(threadID) }
                mentions.append(PersonalData.LinkedMention(
                    id: m.id ?? 0, source: m.sourceName, channel: m.channel.rawValue, url: m.url, title: m.title, text: m.text, html: m.html,
                    authorName: m.authorName, authorHandle: m.authorHandle, authorEmail: m.authorEmail, publishedAt: m.publishedAt,
                    fetchedAt: m.fetchedAt, severity: stored.score.severity.rawValue, isComplaint: stored.score.complaint.isComplaint,
                    sentiment: stored.score.sentiment.compound, threadID: stored.threadID, link: link))
            }
        }
        for chunk in Array(mentions.indices).chunked(400) {
            let ids = chunk.map { mentions[$0].id }
            let position = Dictionary(uniqueKeysWithValues: chunk.map { (mentions[$0].id, $0) })
            for row in try await sql.raw("""
                SELECT mention_id, sentiment, complaint, urgency, labelled_by, labelled_at FROM labels
                WHERE mention_id IN (\(binds: ids)) ORDER BY id
                """).all() {
                guard let index = position[try row.decode(column: "mention_id", as: MentionID.self)] else { continue }
                mentions[index].labels.append(PersonalData.Label(
                    sentiment: try row.decode(column: "sentiment", as: String?.self),
                    complaint: try row.decode(column: "complaint", as: Int?.self).map { $0 == 1 },
                    urgency: try row.decode(column: "urgency", as: String?.self).flatMap { try? CanonicalJSON.decode([String].self, $0) },
                    labelledBy: try row.decode(column: "labelled_by", as: String.self),
                    labelledAt: Date(timeIntervalSince1970: try row.decode(column: "labelled_at", as: Double.self))))
            }
        }
        var threads: [MentionThread] = []
        for id in threadIDs { threads.append(try await thread(id: id)) }
        let count = mentions.count
        try await transaction {
            try await recordAudit(actor: actor, action: "export", contactID: contactID, detail: "exported the personal data held (\(count) mentions)", at: now)
        }
        return PersonalData(
            exportedAt: now, contact: contact,
            createdAt: try row.map { Date(timeIntervalSince1970: try $0.decode(column: "created_at", as: Double.self)) },
            updatedAt: try row.map { Date(timeIntervalSince1970: try $0.decode(column: "updated_at", as: Double.self)) },
            identifiers: Self.identifiers(of: contact).map { PersonalData.Identifier(kind: $0.kind, value: $0.value) },
            mentions: mentions, threads: threads, audit: try await audit(contactID: contactID))
    }

    // MARK: erasure

    /// The literals an erasure replaces wherever they are quoted: addresses, numbers (as stored,
    /// as bare digits and with `00`), handles (with and without `@`), the full name (when it has
    /// at least two words: a one-word name such as "Support" would take others' words with it).
    static func erasureLiterals(_ contact: Contact) -> [String] {
        var out = contact.emails
        let name = contact.name.trimmingCharacters(in: .whitespaces)
        if name.split(whereSeparator: \.isWhitespace).count >= 2 { out.append(name) }
        for phone in contact.phones {
            out.append(phone)
            let digits = phone.filter(\.isNumber)
            if digits.count >= 7 { out.append(digits) }
            if phone.hasPrefix("+"), digits.count >= 7 { out.append("00" + digits) }  // the same number dialled internationally
        }
        for handle in contact.handles {
            let bare = handle.handle.hasPrefix("@") ? String(handle.handle.dropFirst()) : handle.handle
            out += [bare, "@" + bare]
        }
        return out
    }

    /// Erases a person, and every copy of what they wrote or what identifies them:
    ///
    /// - the contact and its identifiers are deleted; the identifiers are remembered as keyed
    ///   hashes only (suppressions), so no import or mention brings them back;
    /// - their mentions keep their numbers (scores, severity, urgency categories, dates) but lose
    ///   text ('[erased]'), title, HTML, author fields, URL and the words quoted as evidence in
    ///   their reasons; their mail records lose sender and subject key;
    /// - threads they opened lose title, author and summary; threads they wrote in lose the summary
    ///   (it may quote them); the events and notes of their threads lose their details;
    /// - every outbox row about those threads — pending, sent, dead, routed, grouped or a repeat —
    ///   loses the alert's title, excerpt, reasons' evidence and contact name and basis;
    /// - their addresses, numbers, handles and name are replaced, ignoring case, wherever they are
    ///   quoted: other people's mentions, reasons, thread titles and summaries, events, notes,
    ///   link reasons, mail records, quarantine, crises, the outbox and the audit trail.
    ///
    /// The database runs with `secure_delete` on, and the WAL is checkpointed afterwards, so the
    /// old bytes are overwritten in the database file and gone from the WAL file.
    public func erase(contactID: ContactID, actor: String, now: Date = Date()) async throws -> ErasureResult {
        guard let contact = try await contact(id: contactID) else { throw StoreError.notFound("contact \(contactID)") }
        try await exec("PRAGMA secure_delete = ON")
        var result = ErasureResult(contactID: contactID)
        let marker = "[erased]"
        try await transaction {
            let mentionIDs = try await personMentionIDs(contact)
            result.mentionsAnonymised = mentionIDs.count
            var roots: [String] = []
            var involved = Set<ThreadID>()
            for chunk in mentionIDs.chunked(400) {
                for row in try await sql.raw("SELECT source_name, key, thread_id FROM mentions WHERE id IN (\(binds: Array(chunk)))").all() {
                    roots.append(try row.decode(column: "source_name", as: String.self) + "/" + row.decode(column: "key", as: String.self))
                    if let thread = try row.decode(column: "thread_id", as: ThreadID?.self) { involved.insert(thread) }
                }
                try await sql.raw("""
                    UPDATE mentions SET text = '[erased]', title = NULL, html = NULL, url = NULL,
                    author_name = NULL, author_handle = NULL, author_email = NULL WHERE id IN (\(binds: Array(chunk)))
                    """).run()
                try await sql.raw("""
                    UPDATE mention_links SET outcome = 'erased', contact_id = NULL, confidence = NULL, reason = ''
                    WHERE mention_id IN (\(binds: Array(chunk)))
                    """).run()
                try await sql.raw("UPDATE mail_messages SET sender = '', subject_key = '' WHERE mention_id IN (\(binds: Array(chunk)))").run()
                // Judgements on their words go with the words: a label on "[erased]" would teach nothing true.
                result.labelsDeleted += try await sql.raw("""
                    DELETE FROM labels WHERE mention_id IN (\(binds: Array(chunk))) RETURNING id
                    """).all().count
            }
            try await dropReasonEvidence(mentionIDs: mentionIDs)
            try await sql.raw("""
                UPDATE mention_links SET outcome = 'erased', contact_id = NULL, confidence = NULL, reason = '' WHERE contact_id = \(bind: contactID)
                """).run()
            let emails = contact.emails.map { $0.lowercased() }
            if !emails.isEmpty {
                try await sql.raw("UPDATE mail_messages SET sender = '', subject_key = '' WHERE LOWER(sender) IN (\(binds: emails))").run()
            }
            // Threads they opened: no title, author or summary any more.
            var opened: [ThreadID] = []
            for chunk in roots.chunked(400) {
                for row in try await sql.raw("SELECT id FROM threads WHERE key IN (\(binds: Array(chunk)))").all() {
                    opened.append(try row.decode(column: "id", as: ThreadID.self))
                }
            }
            involved.formUnion(opened)
            for chunk in opened.chunked(400) {
                try await sql.raw("""
                    UPDATE threads SET title = '[erased]', author_name = NULL, author_handle = NULL, summary = '[erased]' WHERE id IN (\(binds: Array(chunk)))
                    """).run()
            }
            // Threads they wrote in: the summary may quote them.
            for chunk in Array(involved).chunked(400) {
                try await sql.raw("UPDATE threads SET summary = '[erased]' WHERE id IN (\(binds: Array(chunk))) AND summary <> ''").run()
            }
            result.threadsAnonymised = opened.count
            try await scrubThreadHistory(involved, marker: marker)
            // Anything else that names them, in any case: other people's text quoting their
            // address or number, reasons, thread titles, link reasons, mail records, the outbox, audit details.
            let scrubber = IdentifierScrubber(literals: Self.erasureLiterals(contact), marker: marker)
            _ = try await scrubOutbox(threads: involved, scrubber: scrubber, marker: marker)
            try await scrubIdentifiers(scrubber)
            try await sql.raw("UPDATE audit SET detail = '[erased]' WHERE contact_id = \(bind: contactID)").run()
            let probes = Self.suppressionProbes(contact)
            for probe in Set(probes) {
                try await sql.raw("""
                    INSERT INTO suppressions (hash, created_at) VALUES (\(bind: suppressionHash(probe: probe)), \(bind: now.timeIntervalSince1970))
                    ON CONFLICT (hash) DO NOTHING
                    """).run()
                // An unkeyed hash of the same identifier, from an earlier version, is replaced.
                try await sql.raw("DELETE FROM suppressions WHERE hash = \(bind: Self.legacySuppressionHash(probe: probe))").run()
            }
            result.identifiersSuppressed = Set(probes).count
            try await sql.raw("DELETE FROM contacts WHERE id = \(bind: contactID)").run()
            try await bumpContactsRevision()
            try await recordAudit(
                actor: actor, action: "erase", contactID: contactID,
                detail: "erased contact \(contactID): \(result.mentionsAnonymised) mentions and \(result.threadsAnonymised) threads anonymised, \(result.identifiersSuppressed) identifiers suppressed",
                at: now)
        }
        result.checkpointed = try await checkpoint()
        return result
    }

    /// Copies the WAL into the database file and truncates the WAL to nothing; false when a
    /// reader in another process kept it from completing.
    @discardableResult
    public func checkpoint() async throws -> Bool {
        // PostgreSQL has no WAL file of the store's own to truncate (see docs/privacy.md).
        guard dialect.hasPragmas else { return true }
        let row = try await writerRows("PRAGMA wal_checkpoint(TRUNCATE)").first
        return try row?.decode(column: "busy", as: Int.self) == 0
    }
}
