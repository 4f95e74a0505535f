/// Why one imported row (or one field of it) did not become part of a contact, and where it was.
/// With ``fieldOnly`` the row's contact was imported without the field.
///
/// ```swift
/// // line 12: bad email "ada@" (not a valid address)
/// ```
public struct ContactRejection: Sendable, Equatable, Error, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case badEmail = "bad email"
        case badPhone = "bad phone"
        case badHandle = "bad handle"
        case missingName = "missing name"
        /// The row itself is broken: unterminated quote, too many fields, invalid JSON, …
        case malformed
    }

    /// The 1-based line the row starts on.
    public var line: Int
    public var kind: Kind
    /// The offending value and what is wrong with it, in plain words.
    public var detail: String
    /// Only this field was left out; the row's contact was imported without it.
    public var fieldOnly: Bool

    public init(line: Int, kind: Kind, detail: String, fieldOnly: Bool = false) {
        self.line = line
        self.kind = kind
        self.detail = detail
        self.fieldOnly = fieldOnly
    }

    /// What happened to the row, for a report line: "rejected" or "field left out".
    public var verdict: String { fieldOnly ? "field left out" : "rejected" }

    public var description: String {
        detail.isEmpty ? "line \(line): \(kind.rawValue)" : "line \(line): \(kind.rawValue): \(detail)"
    }
}

/// One imported row: a contact, or the reason it was rejected.
public enum ContactImportRow: Sendable, Equatable {
    case contact(Contact, line: Int)
    case rejected(ContactRejection)
}

/// An input that cannot be imported at all (as opposed to one bad row).
public struct ContactImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

import OutcryModel
