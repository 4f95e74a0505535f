import Foundation
import OutcryModel
import SQLKit

/// What one batch (or a whole import) of contacts changed.
public struct ContactUpsertResult: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    /// Rows of people who were erased (their external id or an identifier is suppressed): skipped.
    public var suppressed = 0

    public init(inserted: Int = 0, updated: Int = 0, suppressed: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.suppressed = suppressed
    }

    public static func += (a: inout ContactUpsertResult, b: ContactUpsertResult) {
        a.inserted += b.inserted
        a.updated += b.updated
        a.suppressed += b.suppressed
    }
}

/// What an import reports; the store records its counts in the audit trail.
public protocol ContactImportReporting: Sendable {
    var upserted: ContactUpsertResult { get }
}

extension ContactUpsertResult: ContactImportReporting {
    public var upserted: ContactUpsertResult { self }
}

/// Upserts batches of contacts inside the one transaction of ``Store/importContacts(actor:now:_:)``.
public struct ContactImportSession: Sendable {
    let store: Store
    let now: Date

    /// Inserts new contacts and updates known ones by external id (or a merged external id).
    public func upsert(_ contacts: [Contact]) async throws -> ContactUpsertResult {
        try await store.upsertContacts(contacts, now: now)
    }
}

extension Store {
    /// Runs a whole import in one transaction: `body` streams batches through the session; if
    /// it throws, nothing of the import is kept. An audit entry records what it changed.
    ///
    /// ```swift
    /// let result = try await store.importContacts(actor: "cli") { session in
    ///     var total = ContactUpsertResult()
    ///     for batch in batches { total += try await session.upsert(batch) }
    ///     return total
    /// }
    /// ```
    public func importContacts<Report: ContactImportReporting>(
        actor: String, source: String = "", now: Date = Date(), _ body: (ContactImportSession) async throws -> Report
    ) async throws -> Report {
        // A big import inserts into two indexes in random order: a 64 MB page cache (instead of
        // SQLite's 2 MB) keeps them in memory instead of spilling pages to the WAL over and over.
        try await exec("PRAGMA cache_size = -65536")
        do {
            let report = try await transaction {
                // Into an empty store, identifiers go in without their lookup index, which is
                // built once at the end (a sort instead of millions of random inserts). Inside
                // the transaction: a failed import rolls the drop back too.
                let firstImport = !(try await hasRows("contacts"))
                if firstImport { try await exec("DROP INDEX contact_identifiers_lookup") }
                let report = try await body(ContactImportSession(store: self, now: now))
                if firstImport {
                    // The sort behind the index may use a second core.
                    try await exec("PRAGMA threads = 2")
                    try await exec(Self.contactIdentifiersLookupIndex)
                    try await exec("PRAGMA threads = 0")
                }
                let result = report.upserted
                try await bumpContactsRevision()
                let from = source.isEmpty ? "" : " from \(source)"
                try await recordAudit(actor: actor, action: "import", contactID: nil,
                                      detail: "imported\(from): \(result.inserted) new, \(result.updated) updated, \(result.suppressed) skipped (erased people)",
                                      at: now)
                return report
            }
            try await exec("PRAGMA cache_size = -2000")
            return report
        } catch {
            try? await exec("PRAGMA cache_size = -2000")
            throw error
        }
    }

    /// Upserts contacts by external id, in chunks of multi-row statements. Call inside a transaction.
    ///
    /// Attributes take the imported values; identifiers are replaced by the imported ones,
    /// except on a contact that absorbed merged records, where they are added to. An opt-out is
    /// never undone by an import. A row for a merged external id updates the contact it was
    /// merged into (identifiers and opt-out only).
    func upsertContacts(_ contacts: [Contact], now: Date) async throws -> ContactUpsertResult {
        var result = ContactUpsertResult()
        // The last row for an external id wins, as a second import would. Rows are handled by
        // position: copying a million `Contact`s into dictionaries was a tenth of an import.
        var last: [String: Int] = [:]
        last.reserveCapacity(contacts.count)
        for (index, contact) in contacts.enumerated() where !contact.externalID.isEmpty { last[contact.externalID] = index }
        var batch = contacts.indices.filter { last[contacts[$0].externalID] == $0 }
        // Erased people are skipped. Most stores have none, and hashing every identifier of a
        // million rows is not free, so look only when there is something to find.
        if try await hasRows("suppressions") {
            let hashes = batch.map { Self.suppressionProbes(contacts[$0]) }
            let suppressed = try await suppressedHashes(hashes.flatMap { $0 })
            let kept = zip(batch, hashes).filter { !$0.1.contains(where: suppressed.contains) }.map(\.0)
            result.suppressed = batch.count - kept.count
            batch = kept
        }
        guard !batch.isEmpty else { return result }

        let aliases = try await hasRows("contact_external_ids") ? try await aliasTargets(batch.map { contacts[$0].externalID }) : [:]
        let direct = batch.filter { aliases[contacts[$0].externalID] == nil }
        // AUTOINCREMENT ids only grow: a returned id above the largest one before is a new contact.
        let before = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM contacts").first()?.decode(column: "id", as: Int64.self) ?? 0
        let stamp = now.timeIntervalSince1970
        var contactRows = BulkRows(width: 9)
        for index in direct {
            let c = contacts[index]
            contactRows.beginRow()
            contactRows.text(c.externalID)
            contactRows.text(c.name)
            contactRows.text(c.company)
            contactRows.text(c.segment)
            contactRows.text(c.tier)
            contactRows.text(c.owner)
            contactRows.integer(c.optedOut ? 1 : 0)
            contactRows.real(stamp)
            contactRows.real(stamp)
            contactRows.endRow()
        }
        let returned = try await bulkInsert(
            "contacts", columns: ["external_id", "name", "company", "segment", "tier", "owner", "opted_out", "created_at", "updated_at"],
            rows: contactRows,
            suffix: """
                ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, company = excluded.company, segment = excluded.segment,
                tier = excluded.tier, owner = excluded.owner, updated_at = excluded.updated_at,
                opted_out = \(dialect.greatest("contacts.opted_out", "excluded.opted_out"))
                RETURNING id, external_id
                """)
        var ids: [String: Int64] = [:]
        ids.reserveCapacity(direct.count)
        var known: [Int64] = []
        for row in returned {
            let key = try row.decode(column: "external_id", as: String.self)
            let id = try row.decode(column: "id", as: Int64.self)
            ids[key] = id
            if id <= before { known.append(id) }
        }
        result.updated = known.count
        result.inserted = direct.count - known.count

        // Known contacts' identifiers are replaced, except where merged records were absorbed.
        let merged = known.isEmpty ? [] : try await contactsWithMergedIDs(known)
        let replace = known.filter { !merged.contains($0) }
        var rows: [(Int64, Contact)] = []
        rows.reserveCapacity(batch.count)
        for index in direct {
            guard let id = ids[contacts[index].externalID] else {
                throw StoreError.notFound("contact '\(contacts[index].externalID)' just upserted")
            }
            rows.append((id, contacts[index]))
        }
        for index in batch {
            let c = contacts[index]
            guard let target = aliases[c.externalID] else { continue }
            rows.append((target, c))
            result.updated += 1
            if c.optedOut { try await sql.raw("UPDATE contacts SET opted_out = 1, updated_at = \(bind: stamp) WHERE id = \(bind: target)").run() }
        }
        for chunk in replace.chunked(500) {
            try await sql.delete(from: "contact_identifiers").where("contact_id", .in, Array(chunk)).run()
        }
        try await insertIdentifiers(rows)
        return result
    }

    /// Inserts the identifiers of contacts (duplicates ignored), many rows a statement.
    func insertIdentifiers(_ rows: [(Int64, Contact)]) async throws {
        var values = BulkRows(width: 4)
        // Written straight from the contact (same order as `identifiers(of:)`): no array of
        // pairs per contact on the import's critical path.
        func add(_ id: Int64, _ kind: String, _ value: String, _ position: inout Int64) {
            values.beginRow()
            values.integer(id)
            values.text(kind)
            values.text(value)
            values.integer(position)
            values.endRow()
            position += 1
        }
        for (id, contact) in rows {
            var position: Int64 = 0
            for email in contact.emails { add(id, "email", email, &position) }
            for phone in contact.phones { add(id, "phone", phone, &position) }
            for handle in contact.handles { add(id, handle.network.rawValue, handle.handle, &position) }
        }
        try await bulkInsert("contact_identifiers", columns: ["contact_id", "kind", "value", "position"], rows: values, suffix: "ON CONFLICT DO NOTHING")
    }

    /// (kind, value) pairs of a contact: `email`, `phone`, or the network of a handle.
    static func identifiers(of contact: Contact) -> [(kind: String, value: String)] {
        contact.emails.map { ("email", $0) } + contact.phones.map { ("phone", $0) } + contact.handles.map { ($0.network.rawValue, $0.handle) }
    }

    /// The contacts a merged external id now belongs to.
    private func aliasTargets(_ externalIDs: [String]) async throws -> [String: Int64] {
        var targets: [String: Int64] = [:]
        for chunk in externalIDs.chunked(500) {
            let rows = try await sql.select().columns("external_id", "contact_id").from("contact_external_ids")
                .where("external_id", .in, Array(chunk)).all()
            for row in rows { targets[try row.decode(column: "external_id", as: String.self)] = try row.decode(column: "contact_id", as: Int64.self) }
        }
        return targets
    }

    private func contactsWithMergedIDs(_ ids: [Int64]) async throws -> Set<Int64> {
        var found: Set<Int64> = []
        for chunk in ids.chunked(500) {
            let rows = try await sql.select().distinct().column("contact_id").from("contact_external_ids").where("contact_id", .in, Array(chunk)).all()
            for row in rows { found.insert(try row.decode(column: "contact_id", as: Int64.self)) }
        }
        return found
    }

    func bumpContactsRevision() async throws {
        try await exec("UPDATE contact_state SET revision = revision + 1 WHERE id = 1")
    }

    /// A number that changes whenever contacts change (import, merge, erase): a linker keeps its
    /// index while it stays the same.
    public func contactsRevision() async throws -> Int64 {
        try await sql.raw("SELECT revision FROM contact_state WHERE id = 1").first()?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// How many contacts are stored.
    public func contactCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM contacts").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Contacts with ids above `after`, in id order (page through all of them with the last id).
    public func contacts(after: ContactID = 0, limit: Int = 10_000) async throws -> [Contact] {
        let rows = try await sql.raw("SELECT * FROM contacts WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: limit)").all()
        return try await contacts(fromRows: rows)
    }

    /// One contact by database id.
    public func contact(id: ContactID) async throws -> Contact? {
        guard let row = try await sql.raw("SELECT * FROM contacts WHERE id = \(bind: id)").first() else { return nil }
        return try await contacts(fromRows: [row]).first
    }

    /// Contacts whose name, company or external id contains `text` (without case), by name, at
    /// most `limit`; an exact id, external id or email address (``findContact(_:)``) comes first.
    /// For the dashboard's contacts search.
    public func searchContacts(_ text: String, limit: Int = 50) async throws -> [Contact] {
        let needle = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return [] }
        let exact = try await findContact(needle)
        let position = dialect.positionFunction
        let rows = try await sql.raw("""
            SELECT * FROM contacts WHERE \(unsafeRaw: position)(LOWER(name), \(bind: needle)) > 0
            OR \(unsafeRaw: position)(LOWER(COALESCE(company, '')), \(bind: needle)) > 0
            OR \(unsafeRaw: position)(LOWER(external_id), \(bind: needle)) > 0
            ORDER BY name, id LIMIT \(bind: max(1, limit))
            """).all()
        var found = try await contacts(fromRows: rows)
        if let exact {
            found.removeAll { $0.id == exact.id }
            found.insert(exact, at: 0)
        }
        return Array(found.prefix(max(1, limit)))
    }

    /// Finds a contact by database id, external id (or a merged one), or email address.
    public func findContact(_ key: String) async throws -> Contact? {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        if let row = try await sql.raw("SELECT * FROM contacts WHERE external_id = \(bind: trimmed)").first() {
            return try await contacts(fromRows: [row]).first
        }
        if let row = try await sql.raw("SELECT contact_id FROM contact_external_ids WHERE external_id = \(bind: trimmed)").first() {
            return try await contact(id: try row.decode(column: "contact_id", as: ContactID.self))
        }
        if trimmed.contains("@"), let row = try await sql.raw("""
            SELECT contact_id FROM contact_identifiers WHERE kind = 'email' AND value = \(bind: trimmed.lowercased()) ORDER BY contact_id LIMIT 1
            """).first() {
            return try await contact(id: try row.decode(column: "contact_id", as: ContactID.self))
        }
        if let id = ContactID(trimmed) { return try await contact(id: id) }
        return nil
    }

    private func contacts(fromRows rows: [any SQLRow]) async throws -> [Contact] {
        guard !rows.isEmpty else { return [] }
        var contacts: [Contact] = []
        var position: [Int64: Int] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            position[id] = contacts.count
            contacts.append(Contact(
                id: ContactID(id), externalID: try row.decode(column: "external_id", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                company: try row.decode(column: "company", as: String?.self), segment: try row.decode(column: "segment", as: String?.self),
                tier: try row.decode(column: "tier", as: String?.self), owner: try row.decode(column: "owner", as: String?.self),
                optedOut: try row.decode(column: "opted_out", as: Int.self) == 1
            ))
        }
        let ids = Array(position.keys)
        for chunk in ids.chunked(500) {
            let identifiers = try await sql.raw("""
                SELECT contact_id, kind, value FROM contact_identifiers WHERE contact_id IN (\(binds: Array(chunk))) ORDER BY contact_id, position
                """).all()
            for row in identifiers {
                guard let index = position[try row.decode(column: "contact_id", as: Int64.self)] else { continue }
                let kind = try row.decode(column: "kind", as: String.self)
                let value = try row.decode(column: "value", as: String.self)
                switch kind {
                case "email": contacts[index].emails.append(value)
                case "phone": contacts[index].phones.append(value)
                default:
                    if let network = SocialNetwork(rawValue: kind) { contacts[index].handles.append(SocialHandle(network: network, handle: value)) }
                }
            }
            let merged = try await sql.raw("""
                SELECT contact_id, external_id FROM contact_external_ids WHERE contact_id IN (\(binds: Array(chunk))) ORDER BY merged_at, external_id
                """).all()
            for row in merged {
                guard let index = position[try row.decode(column: "contact_id", as: Int64.self)] else { continue }
                contacts[index].mergedExternalIDs.append(try row.decode(column: "external_id", as: String.self))
            }
        }
        return contacts
    }
}
