/// A value of an IMAP response (RFC 3501 §4): an atom or number, a string (quoted or literal),
/// a parenthesised list, or NIL.
indirect enum IMAPValue: Equatable, Sendable {
    case atom(String)
    case string([UInt8])
    case list([IMAPValue])
    case none

    var atomText: String? {
        if case .atom(let text) = self { return text }
        return nil
    }

    var number: UInt64? { atomText.flatMap { UInt64($0) } }

    var bytes: [UInt8]? {
        switch self {
        case .string(let bytes): bytes
        case .atom(let text): Array(text.utf8)
        default: nil
        }
    }

    var items: [IMAPValue] {
        if case .list(let items) = self { return items }
        return []
    }

    /// Reads the values of a response line from `offset` to its end.
    static func parse(_ line: IMAPLine, from offset: Int = 0) -> [IMAPValue] {
        var reader = Reader(line: line, position: offset)
        return reader.values(until: nil)
    }

    /// The items of a `* n FETCH (…)` line as name → value (names uppercased, e.g. `UID`,
    /// `FLAGS`, `RFC822.SIZE`, `BODY[]`, `BODY[HEADER.FIELDS (MESSAGE-ID)]`); nil for other lines.
    static func fetchItems(_ line: IMAPLine) -> [String: IMAPValue]? {
        let values = parse(line)
        guard values.count >= 4, values[0] == .atom("*"), values[2].atomText?.uppercased() == "FETCH",
              case .list(let pairs) = values[3] else { return nil }
        var items: [String: IMAPValue] = [:]
        var index = 0
        while index + 1 < pairs.count {
            if let name = pairs[index].atomText { items[name.uppercased()] = pairs[index + 1] }
            index += 2
        }
        return items
    }

    private struct Reader {
        let line: IMAPLine
        var position: Int
        var literal = 0

        var text: [UInt8] { line.text }

        mutating func values(until close: UInt8?) -> [IMAPValue] {
            var result: [IMAPValue] = []
            while position < text.count {
                let byte = text[position]
                if byte == UInt8(ascii: " ") {
                    position += 1
                } else if byte == UInt8(ascii: ")") {
                    position += 1
                    if close != nil { return result }
                } else if byte == UInt8(ascii: "(") {
                    position += 1
                    result.append(.list(values(until: UInt8(ascii: ")"))))
                } else if byte == UInt8(ascii: "\"") {
                    result.append(quoted())
                } else if byte == UInt8(ascii: "{"), let value = literalValue() {
                    result.append(value)
                } else {
                    let word = atom()
                    result.append(word.uppercased() == "NIL" ? .none : .atom(word))
                }
            }
            return result
        }

        mutating func quoted() -> IMAPValue {
            position += 1
            var bytes: [UInt8] = []
            while position < text.count, text[position] != UInt8(ascii: "\"") {
                if text[position] == UInt8(ascii: "\\"), position + 1 < text.count { position += 1 }
                bytes.append(text[position])
                position += 1
            }
            position += 1
            return .string(bytes)
        }

        /// `{N}` followed by the literal (the marker ends a line part, see ``IMAPLine``).
        mutating func literalValue() -> IMAPValue? {
            guard let close = text[position...].firstIndex(of: UInt8(ascii: "}")),
                  IMAPWire.literalLength(text[position...close]) != nil, literal < line.literals.count else { return nil }
            position = close + 1
            literal += 1
            return .string(line.literals[literal - 1])
        }

        /// An atom; `[…]` (a section such as `BODY[HEADER.FIELDS (MESSAGE-ID)]`) is part of it.
        mutating func atom() -> String {
            var bytes: [UInt8] = []
            var depth = 0
            while position < text.count {
                let byte = text[position]
                if depth == 0 && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")) { break }
                if byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "]") { depth = max(0, depth - 1) }
                bytes.append(byte)
                position += 1
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
