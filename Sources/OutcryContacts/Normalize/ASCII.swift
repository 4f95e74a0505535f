/// Byte-level helpers for the hot paths of contact parsing and matching.
enum ASCII {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    static func trimmed<C: BidirectionalCollection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        guard let first = bytes.firstIndex(where: { !isSpace($0) && $0 != 0xA0 }) else { return [] }
        let last = bytes.lastIndex(where: { !isSpace($0) && $0 != 0xA0 })!
        return Array(bytes[first...last])
    }

    static func hasPrefixIgnoringCase<C: Collection>(_ bytes: C, _ prefix: String) -> Bool where C.Element == UInt8 {
        var index = bytes.startIndex
        for expected in prefix.utf8 {
            guard index != bytes.endIndex, lower(bytes[index]) == expected else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    static func isASCII<C: Sequence>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.allSatisfy { $0 < 0x80 }
    }
}

extension String {
    /// The string without leading and trailing white space (including no-break space).
    var trimmedSpace: String {
        // Fast path: nothing to trim at either end.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
