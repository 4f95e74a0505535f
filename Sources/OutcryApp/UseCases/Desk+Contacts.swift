import Foundation
import OutcryModel
import OutcryAlerting
import OutcryStore

/// A stored contact with its id (every stored contact has one).
public struct IdentifiedContact: Sendable, Equatable {
    public let id: ContactID
    public let contact: Contact

    /// Nil for a contact that was never stored (no id).
    public init?(_ contact: Contact) {
        guard let id = contact.id else { return nil }
        self.id = id
        self.contact = contact
    }
}

/// Why a contact key (id, CRM id, email address) names no single contact.
public enum ContactLookupError: Error, Sendable, Equatable {
    /// No contact has this id, CRM id or address.
    case notFound(String)
    /// More than one contact holds this email address: the caller should name one by id.
    case ambiguous(String, [IdentifiedContact])
}

/// One linked mention of a contact's timeline, newest first (`outcry contacts show`).
public struct ContactTimelineItem: Sendable, Equatable {
    public var mentionID: MentionID
    public var sourceName: String
    /// When it was published (else fetched).
    public var at: Date
    public var title: String?
    public var text: String
    public var severity: Severity
    public var isComplaint: Bool
    /// The thread it belongs to: id, status and how many mentions it holds.
    public var thread: (id: ThreadID, status: ThreadStatus, mentionCount: Int)?
    public var threadTitle: String?
    /// Why the mention was linked to the contact, and how sure the linker was (0…1).
    public var linkReason: String
    public var linkConfidence: Double?

    public static func == (a: Self, b: Self) -> Bool {
        a.mentionID == b.mentionID && a.sourceName == b.sourceName && a.at == b.at && a.title == b.title && a.text == b.text
            && a.severity == b.severity && a.isComplaint == b.isComplaint && a.thread?.id == b.thread?.id && a.thread?.status == b.thread?.status
            && a.thread?.mentionCount == b.thread?.mentionCount && a.threadTitle == b.threadTitle && a.linkReason == b.linkReason && a.linkConfidence == b.linkConfidence
    }

    init?(_ entry: ContactTimelineEntry) {
        let m = entry.mention.mention
        guard let id = m.id else { return nil }
        mentionID = id
        sourceName = m.sourceName
        at = m.publishedAt ?? m.fetchedAt
        title = m.title
        text = m.text
        severity = entry.mention.score.severity
        isComplaint = entry.mention.score.complaint.isComplaint
        thread = entry.thread.flatMap { t in t.id.map { (id: $0, status: t.status, mentionCount: t.mentionCount) } }
        threadTitle = entry.thread?.title
        linkReason = entry.link.reason
        linkConfidence = entry.link.confidence
    }
}

/// Everything held about a person, as JSON, and how much of it there is.
public struct PersonalDataExport: Sendable {
    /// Pretty, key-sorted JSON with snake_case keys and a final newline.
    public var json: Data
    public var mentionCount: Int
    public var threadCount: Int
}

extension Desk {
    /// The contact a key names: its id, its CRM id (or a merged one) or an email address. An
    /// address two contacts hold names neither for sure (an export or an erasure of one would
    /// silently leave the other's data behind): that is ``ContactLookupError/ambiguous(_:_:)``.
    public func findContact(_ key: String) async throws -> IdentifiedContact {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("@") {
            let holders = try await store.contacts(withEmail: trimmed)
            if holders.count > 1 { throw ContactLookupError.ambiguous(trimmed, holders.compactMap(IdentifiedContact.init)) }
        }
        guard let found = try await store.findContact(key), let contact = IdentifiedContact(found) else {
            throw ContactLookupError.notFound(key)
        }
        return contact
    }

    /// A contact's linked mentions, newest first, at most `limit`.
    public func timeline(of contact: IdentifiedContact, limit: Int) async throws -> [ContactTimelineItem] {
        try await store.timeline(contactID: contact.id, limit: limit).compactMap(ContactTimelineItem.init)
    }

    /// Likely duplicate pairs, best first, and how many contacts were compared (`outcry contacts
    /// duplicates`, the contacts page and the API, which show the first 200 pairs).
    public func contactDuplicates(minimum: Double = 0.75) async throws -> (pairs: [ContactDuplicate], contactCount: Int) {
        let (all, pairs) = try await findDuplicates(minimum: minimum)
        return (pairs, all.count)
    }

    /// Everything held about a person with the counts `outcry privacy export` reports; the
    /// export is recorded in the audit under `actor`.
    public func personalDataExport(_ id: ContactID, by actor: String) async throws -> PersonalDataExport {
        do {
            let data = try await store.personalData(contactID: id, actor: actor, now: now)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            encoder.keyEncodingStrategy = JSONKeys.snakeCase  // as `outcry privacy export` writes it
            return PersonalDataExport(json: try encoder.encode(data) + Data("\n".utf8), mentionCount: data.mentions.count, threadCount: data.threads.count)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, "no contact \(id)")
        }
    }
}

/// What erasing a person did (`outcry privacy erase`).
public struct ErasureSummary: Sendable, Equatable {
    public var contactID: ContactID
    public var mentionsAnonymised: Int
    public var threadsAnonymised: Int
    public var identifiersSuppressed: Int
    public var labelsDeleted: Int
    /// False when another process was reading, so the WAL still holds the old bytes until SQLite's next full checkpoint.
    public var checkpointed: Bool

    init(_ r: ErasureResult) {
        contactID = r.contactID
        mentionsAnonymised = r.mentionsAnonymised
        threadsAnonymised = r.threadsAnonymised
        identifiersSuppressed = r.identifiersSuppressed
        labelsDeleted = r.labelsDeleted
        checkpointed = r.checkpointed
    }
}

