/// Text from feeds, mail and the store made safe to print to a terminal or a log line: control
/// characters (C0 including newline and tab, DEL, C1) and the bidirectional-text controls that
/// reorder what a reader sees (U+061C, U+200E/200F, U+202A–202E, U+2066–2069, and the line and
/// paragraph separators U+2028/2029) are shown escaped as `\u{1B}`. A feed title carrying
/// `ESC[2J`, an OSC sequence or U+202E then prints as visible text instead of clearing,
/// retitling or reordering the terminal of whoever runs `outcry queue`.
///
/// Every table (`TextTable`), view and printed line of the CLI goes through it. A backslash is
/// left alone, so escaping twice changes nothing.
public enum TerminalText {
    /// Whether a scalar is shown escaped.
    @inline(__always)
    public static func isUnsafe(_ v: UInt32) -> Bool {
        if v < 0x20 || v == 0x7F { return true }
        if v < 0x80 { return false }
        if v <= 0x9F { return true } // C1
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with every unsafe scalar escaped (newlines included: one value, one line).
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0.value) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar.value) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Several lines of output: each line escaped, the line breaks between them kept.
    public static func escapeLines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value != 0x0A && isUnsafe($0.value) }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }
}
