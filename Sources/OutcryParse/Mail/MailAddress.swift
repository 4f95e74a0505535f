import Foundation

/// A mailbox: an optional display name and an address.
///
/// Encoded as `{"name": "Anne Person" | null, "email": "anne@example.com"}` in
/// `outcry parse mail` output. `email` is the addr-spec as written (case kept; empty for
/// the null reverse-path `<>`).
public struct MailAddress: Sendable, Equatable, Codable {
    public var name: String?
    public var email: String

    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }

    enum CodingKeys: String, CodingKey { case name, email }

    /// Writes `name` as null when there is none, so the JSON shape never changes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(email, forKey: .email)
    }

    /// Parses an RFC 5322 address list: display names, quoted strings, comments, groups
    /// (flattened into their members), obsolete routes, encoded words in names.
    ///
    /// ```swift
    /// MailAddress.parseList("\"Person, Anne\" <anne@example.com>, bob@example.com (Bob)")
    /// // [MailAddress(name: "Person, Anne", email: "anne@example.com"),
    /// //  MailAddress(name: nil, email: "bob@example.com")]
    /// ```
    public static func parseList(_ text: String) -> [MailAddress] {
        AddressParser(tokens: AddressToken.tokenize(text)).list()
    }
}

enum AddressToken: Equatable {
    case atom(String)
    case quoted(String)
    case comment(String)
    case literal(String)
    case special(Unicode.Scalar)

    static func tokenize(_ text: String) -> [AddressToken] {
        let s = Array(text.unicodeScalars)
        var tokens: [AddressToken] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\r", "\n":
                i += 1
            case "\"":
                var value = String.UnicodeScalarView()
                i += 1
                while i < s.count, s[i] != "\"" {
                    if s[i] == "\\", i + 1 < s.count { i += 1 }
                    if s[i] != "\r" && s[i] != "\n" { value.append(s[i]) }
                    i += 1
                }
                i += 1
                tokens.append(.quoted(String(value)))
            case "(":
                var depth = 1
                var value = String.UnicodeScalarView()
                i += 1
                while i < s.count {
                    if s[i] == "\\", i + 1 < s.count { value.append(s[i + 1]); i += 2; continue }
                    if s[i] == "(" { depth += 1 }
                    if s[i] == ")" { depth -= 1; if depth == 0 { break } }
                    value.append(s[i])
                    i += 1
                }
                i += 1
                tokens.append(.comment(String(value)))
            case "[":
                var value = String.UnicodeScalarView()
                while i < s.count {
                    value.append(s[i])
                    if s[i] == "]" { break }
                    i += 1
                }
                i += 1
                tokens.append(.literal(String(value)))
            case "<", ">", "@", ",", ";", ":", "\\", ")", "]":
                tokens.append(.special(c))
                i += 1
            default:
                var value = String.UnicodeScalarView()
                while i < s.count, !" \t\r\n\"()[]<>@,;:\\".unicodeScalars.contains(s[i]) {
                    value.append(s[i])
                    i += 1
                }
                tokens.append(.atom(String(value)))
            }
        }
        return tokens
    }
}

struct AddressParser {
    let tokens: [AddressToken]

    func list() -> [MailAddress] {
        var result: [MailAddress] = []
        var i = 0
        while i < tokens.count {
            // One address (or group) runs to a comma outside angle brackets.
            var j = i
            var angle = 0
            var isGroup = false
            var sawAddressPart = false
            while j < tokens.count {
                let t = tokens[j]
                if t == .special("<") { angle += 1; sawAddressPart = true }
                if t == .special(">") { angle = max(0, angle - 1) }
                if t == .special("@") { sawAddressPart = true }
                if angle == 0, t == .special(":"), !sawAddressPart { isGroup = true; break }
                if angle == 0, t == .special(",") { break }
                j += 1
            }
            if isGroup {
                // display-name ":" [mailbox-list] ";"
                var k = j + 1
                var memberStart = k
                var depth = 0
                while k < tokens.count {
                    let t = tokens[k]
                    if t == .special("<") { depth += 1 }
                    if t == .special(">") { depth = max(0, depth - 1) }
                    if depth == 0, t == .special(",") || t == .special(";") {
                        if let m = mailbox(tokens[memberStart..<k]) { result.append(m) }
                        memberStart = k + 1
                        if t == .special(";") { break }
                    }
                    k += 1
                }
                if k >= tokens.count, memberStart < tokens.count, let m = mailbox(tokens[memberStart..<tokens.count]) { result.append(m) }
                i = k + 1
                // Skip to the comma after the group.
                while i < tokens.count, tokens[i] != .special(",") { i += 1 }
                i += 1
                continue
            }
            if let m = mailbox(tokens[i..<j]) { result.append(m) }
            i = j + 1
        }
        return result
    }

    func mailbox(_ part: ArraySlice<AddressToken>) -> MailAddress? {
        let meaningful = part.filter { if case .comment = $0 { return false } else { return true } }
        if meaningful.isEmpty { return nil }
        if let open = part.firstIndex(of: .special("<")) {
            let name = phrase(part[part.startIndex..<open])
            var close = part.index(after: open)
            while close < part.endIndex, part[close] != .special(">") { close += 1 }
            var inner = part[part.index(after: open)..<close]
            // Obsolete route: "<@a.example,@b.example:user@c.example>".
            if let colon = inner.lastIndex(of: .special(":")) { inner = inner[inner.index(after: colon)...] }
            return MailAddress(name: name, email: addrSpec(inner))
        }
        return MailAddress(name: nil, email: addrSpec(part[...]))
    }

    func phrase(_ part: ArraySlice<AddressToken>) -> String? {
        var words: [String] = []
        for t in part {
            switch t {
            case .atom(let a): words.append(a)
            case .quoted(let q): words.append(q)
            case .literal(let l): words.append(l)
            case .special(let c) where c != "<" && c != ">": words.append(String(c))
            default: break
            }
        }
        let name = EncodedWords.decode(words.joined(separator: " ")).trimmingMailSpace()
        return name.isEmpty ? nil : name
    }

    func addrSpec(_ part: ArraySlice<AddressToken>) -> String {
        var out = ""
        for t in part {
            switch t {
            case .atom(let a): out += a
            case .quoted(let q):
                let needsQuotes = q.isEmpty || q.unicodeScalars.contains { " \t\"()<>@,;:\\[]".unicodeScalars.contains($0) }
                out += needsQuotes ? "\"" + q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : q
            case .literal(let l): out += l
            case .special(let c) where c == "@" || c == "." : out.unicodeScalars.append(c)
            default: break
            }
        }
        return out
    }
}
