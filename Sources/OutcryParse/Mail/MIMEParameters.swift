/// A parameterised MIME header value such as `Content-Type` or `Content-Disposition`:
/// `text/plain; charset="utf-8"; format=flowed`.
///
/// Parameters follow RFC 2045 with the RFC 2231 extensions: continuations (`name*0`,
/// `name*1`, …), percent-encoded values in a charset (`name*=utf-8'en'caf%C3%A9`), and
/// also RFC 2047 encoded words inside quoted values, which Outlook writes for file names.
///
/// ```swift
/// let ct = MIMEParameters("text/plain; charset=\"ISO-8859-1\"")
/// ct.value          // "text/plain"
/// ct["CHARSET"]     // "ISO-8859-1"
/// ```
public struct MIMEParameters: Sendable, Equatable {
    /// The part before the first `;`, trimmed (not lowercased).
    public var value: String
    /// Parameter names lowercased, values unquoted and decoded; first occurrence wins.
    public var parameters: [String: String]

    public init(_ text: String) {
        let pieces = Self.split(text)
        value = pieces.first.map { $0.trimmingMailSpace() } ?? ""
        var plain: [String: String] = [:]
        var extended: [String: [(number: Int, value: String, encoded: Bool)]] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let rawName = piece[..<eq].trimmingMailSpace().lowercased()
            let rawValue = Self.unquote(String(piece[piece.index(after: eq)...]).trimmingMailSpace())
            guard !rawName.isEmpty else { continue }
            if let star = rawName.firstIndex(of: "*") {
                let name = String(rawName[..<star])
                var rest = rawName[rawName.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                if rest.hasSuffix("*") { rest = rest.dropLast() }
                let number = rest.isEmpty ? 0 : (Int(rest) ?? -1)
                if number < 0 || name.isEmpty { continue }
                extended[name, default: []].append((number, rawValue, encoded))
            } else if plain[rawName] == nil {
                plain[rawName] = rawValue
            }
        }
        for (name, segments) in extended {
            plain[name] = Self.joinRFC2231(segments.sorted { $0.number < $1.number })
        }
        for (name, v) in plain where v.contains("=?") {
            plain[name] = EncodedWords.decode(v)
        }
        parameters = plain
    }

    /// A parameter by name, case-insensitive.
    public subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    /// `value` lowercased, e.g. `"multipart/mixed"`.
    public var lowercasedValue: String { value.lowercased() }

    /// Splits at `;` outside double quotes.
    static func split(_ text: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var inQuote = false
        var escaped = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if escaped {
                escaped = false
            } else if c == "\\" && inQuote {
                escaped = true
            } else if c == "\"" {
                inQuote.toggle()
            } else if c == ";" && !inQuote {
                pieces.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        pieces.append(text[start...])
        return pieces
    }

    static func unquote(_ s: String) -> String {
        guard s.count > 1 else { return s }
        if s.hasPrefix("\""), s.hasSuffix("\"") {
            var out = ""
            var escaped = false
            for c in s.dropFirst().dropLast() {
                if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
            }
            return out
        }
        if s.hasPrefix("<"), s.hasSuffix(">") { return String(s.dropFirst().dropLast()) }
        return s
    }

    /// Joins RFC 2231 continuations; percent-decodes the encoded ones; the first encoded
    /// segment may start with `charset'language'`.
    static func joinRFC2231(_ segments: [(number: Int, value: String, encoded: Bool)]) -> String {
        var bytes: [UInt8] = []
        var charset: String?
        for (index, segment) in segments.enumerated() {
            var text = Substring(segment.value)
            if segment.encoded, index == 0 {
                let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3 {
                    charset = parts[0].isEmpty ? nil : String(parts[0])
                    text = parts[2]
                }
            }
            if segment.encoded {
                bytes += percentDecode(text)
            } else {
                bytes += Array(text.utf8)
            }
        }
        if let charset { return EncodedWords.decodeText(bytes, charset: charset) }
        return Charset.decodeLossy(bytes, charset: nil)
    }

    static func percentDecode(_ s: Substring) -> [UInt8] {
        let utf8 = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let hi = TransferEncoding.hexValue(utf8[i + 1]), let lo = TransferEncoding.hexValue(utf8[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }
}

extension StringProtocol {
    /// Trims spaces, tabs, CR and LF (not other Unicode white space).
    func trimmingMailSpace() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\r\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\r\n" { s.removeLast() }
        return String(s)
    }
}
