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

    /// The value as text: UTF-8 when the bytes are (mostly) UTF-8, else Windows-1252 (what
    /// other raw 8-bit headers in the wild mostly are). Encoded words are not decoded here.
    public var value: String { Self.decodeRaw(rawValue) }

    /// Raw 8-bit text of unknown charset: UTF-8 when valid; UTF-8 with U+FFFD for the odd
    /// bad byte when valid multi-byte sequences outnumber bad bytes; else Windows-1252.
    public static func decodeRaw(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var valid = 0
        var invalid = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0
            if length == 1 { i += 1; continue }
            if length > 1, i + length <= bytes.count, bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                valid += 1
                i += length
            } else {
                invalid += 1
                i += 1
            }
        }
        if valid > invalid { return String(decoding: bytes, as: UTF8.self) }
        return Charset.decodeLossy(bytes, charset: nil)
    }
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
