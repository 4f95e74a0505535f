/// The database id of one kind of record: a number that knows what it counts, so a thread's
/// id cannot be passed where a mention's or a contact's is expected.
///
/// `Record` is a phantom: it names the record and is never stored. The id prints, encodes and
/// decodes as its bare number, so CLI output, JSON and SQL binds are what an `Int64` gave.
///
/// ```swift
/// let id = ThreadID(42)
/// "\(id)"                                  // "42"
/// try JSONEncoder().encode(id)             // 42
/// ThreadID("42") == id                     // true; ThreadID("4x") == nil
/// let mention: MentionID = id              // does not compile
/// ```
public struct RecordID<Record>: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible,
    ExpressibleByIntegerLiteral {
    /// The number the database gave the record.
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// Reads an id typed by a person (a CLI argument, a URL path segment, a form field): the
    /// grammar of `Int64(_:)`, decimal digits with an optional sign, nothing around them.
    /// Nil for "", "12a", " 12" or a number out of range; a negative number parses (no record
    /// has one, so a lookup finds nothing: the same "not found" a bare `Int64` gave).
    public init?(_ text: String) {
        guard let value = Int64(text) else { return nil }
        self.rawValue = value
    }

    /// The bare number.
    public var description: String { String(rawValue) }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A thread's id (`threads.id`).
public typealias ThreadID = RecordID<MentionThread>
/// A mention's id (`mentions.id`).
public typealias MentionID = RecordID<Mention>
/// A contact's id (`contacts.id`).
public typealias ContactID = RecordID<Contact>
/// An outbox message's id (`outbox.id`).
public typealias OutboxID = RecordID<OutboxMessage>
/// A crisis's id (`crises.id`).
public typealias CrisisID = RecordID<RecordKind.Crisis>
/// A scorer label's id (`labels.id`); labels are read for training in id order.
public typealias LabelID = RecordID<RecordKind.Label>
/// A dashboard user's id (`users.id`).
public typealias UserID = RecordID<RecordKind.User>
/// An audit-trail line's id (`audit_log.id`).
public typealias AuditEntryID = RecordID<RecordKind.AuditEntry>

/// Names for the records whose values live outside the model (the store's own records): they
/// only tell one kind of id from another.
public enum RecordKind {
    public enum Crisis {}
    public enum Label {}
    public enum User {}
    public enum AuditEntry {}
}
