/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in unstructured header text.
///
/// Lenient the way mail readers are: an encoded word is decoded even without white space
/// around it, white space between two adjacent encoded words is dropped (RFC 2047 §6.2),
/// `charset*lang` is accepted (RFC 2231 §5), base64 with bad padding is decoded, and a
/// charset nobody knows falls back to UTF-8, then Windows-1252.
///
/// ```swift
/// EncodedWords.decode("=?ISO-8859-1?Q?Caf=E9?= =?UTF-8?B?w6k=?=")   // "Caféé"
/// ```
public enum EncodedWords {
    /// Decodes every encoded word in `text`; everything else is kept as it is.
    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingSpace = String.UnicodeScalarView()
        var lastWasWord = false
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\r" || c == "\n" {
                pendingSpace.append(c)
                i += 1
                continue
            }
            if c == "=", i + 1 < scalars.count, scalars[i + 1] == "?", let (decoded, end) = word(in: scalars, at: i) {
                if !lastWasWord || pendingSpace.isEmpty { out.append(contentsOf: pendingSpace) }
                pendingSpace.removeAll()
                out.append(contentsOf: decoded.unicodeScalars)
                lastWasWord = true
                i = end
                continue
            }
            out.append(contentsOf: pendingSpace)
            pendingSpace.removeAll()
            out.append(c)
            lastWasWord = false
            i += 1
        }
        out.append(contentsOf: pendingSpace)
        return String(out)
    }

    /// Whether `text` contains something that looks like an encoded word.
    public static func containsEncodedWord(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            if scalars[i] == "=", scalars[i + 1] == "?", word(in: scalars, at: i) != nil { return true }
            i += 1
        }
        return false
    }

    /// Parses one encoded word starting at `start` (which holds `=?`); returns its text and
    /// the index just past its `?=`.
    static func word(in s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var i = start + 2
        var charset = ""
        while i < s.count, s[i] != "?" {
            let c = s[i]
            if c == " " || c == "\t" || c.value < 0x21 || c.value > 0x7E || charset.unicodeScalars.count > 64 { return nil }
            charset.unicodeScalars.append(c)
            i += 1
        }
        guard !charset.isEmpty, i + 2 < s.count, s[i + 2] == "?" else { return nil }
        let encoding = s[i + 1]
        guard encoding == "B" || encoding == "b" || encoding == "Q" || encoding == "q" else { return nil }
        i += 3
        let textStart = i
        // The text runs to the next "?=", looked for within a sane distance.
        while i + 1 < s.count, !(s[i] == "?" && s[i + 1] == "="), i - textStart < 2000 {
            i += 1
        }
        guard i + 1 < s.count, s[i] == "?", s[i + 1] == "=" else { return nil }
        let payload = s[textStart..<i].compactMap { $0.isASCII ? UInt8($0.value) : nil }
        let bytes: [UInt8]
        if encoding == "B" || encoding == "b" {
            bytes = TransferEncoding.decodeBase64(payload.filter { $0 != 0x20 && $0 != 0x09 }).bytes
        } else {
            bytes = TransferEncoding.decodeQEncoding(payload)
        }
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        return (decodeText(bytes, charset: charset), i + 2)
    }

    /// Decodes bytes in a declared charset, never failing: an invalid UTF-8 sequence becomes
    /// U+FFFD, an unknown charset falls back to UTF-8 then Windows-1252.
    static func decodeText(_ bytes: [UInt8], charset: String) -> String {
        if let text = Charset.decode(bytes, charset: charset) { return text }
        if Charset.canonicalName(charset) == "UTF-8" { return String(decoding: bytes, as: UTF8.self) }
        return Charset.decodeLossy(bytes, charset: nil)
    }
}
