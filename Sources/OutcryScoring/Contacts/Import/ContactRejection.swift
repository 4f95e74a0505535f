/// Why one imported row did not become a contact, and where it was.
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

    public init(line: Int, kind: Kind, detail: String) {
        self.line = line
        self.kind = kind
        self.detail = detail
    }

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
