/// One header field as it appeared: its name and its unfolded raw value.
///
/// Unfolding removes the CR and LF of folded lines and keeps the white space that follows
/// them (RFC 5322 §2.2.3), as Python's `email` does.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    /// The unfolded value in its original bytes (8-bit bytes of a non-conforming header kept).
    public var rawValue: [UInt8]

    public init(name: String, rawValue: [UInt8]) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The value as text: UTF-8 when the bytes are UTF-8, else Windows-1252 (what raw 8-bit
    /// headers in the wild mostly are). Encoded words are not decoded here.
    public var value: String { Charset.decodeLossy(rawValue, charset: nil) }
}

/// The header fields of a message or a MIME part, in order.
public struct MailHeaders: Sendable, Equatable {
    public var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) {
        self.fields = fields
    }

    /// The first field called `name` (case-insensitive), as text (see ``HeaderField/value``).
    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }?.value
    }

    /// Every field called `name`, in order.
    public func all(_ name: String) -> [String] {
        let lower = name.lowercased()
        return fields.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }
}
