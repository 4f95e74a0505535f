/// A tokeniser for HTML fragments that follows the WHATWG HTML tokenisation rules, over
/// UTF-8 bytes: the data, tag open, end tag open, tag name, attribute name and value
/// (double-quoted, single-quoted, unquoted), self-closing, markup declaration, comment
/// (including `<!-->`, `<!--->` and `--!>`), bogus comment and character reference states,
/// DOCTYPE read as a bogus declaration up to `>`, and the RCDATA, RAWTEXT, script data (with
/// its escaped and double-escaped states) and PLAINTEXT content models, which the caller
/// switches on after a start tag as a tree builder does (`switchTo(_:after:)`).
///
/// Text comes back as ranges of the input, so the caller can re-serialise it with
/// `appendText(_:_:references:to:)`, which keeps the character references a browser decodes
/// the same way and escapes everything else. Attribute values come back decoded.
///
/// What it leaves to a tree builder: foreign content (`<![CDATA[` is a bogus comment here) and
/// the insertion modes. What it simplifies: a NUL in data is dropped, carriage returns are
/// white space but not rewritten to line feeds.
struct HTML5Tokenizer {
    enum Content: Equatable { case data, rcdata, rawtext, scriptData, plaintext }

    struct Attribute: Equatable {
        var name: String
        var value: String
    }

    enum Token: Equatable {
        /// Character data, `input[range]` as written. `references`: whether character
        /// references in it stand for characters (data, RCDATA) or are literal (RAWTEXT,
        /// script data, PLAINTEXT).
        case text(Range<Int>, references: Bool)
        case startTag(name: String, attributes: [Attribute], selfClosing: Bool)
        case endTag(name: String)
        case comment(String)
        case doctype
        /// Input that produces no token: `</>`, or a tag cut off by the end of the input.
        case nothing
    }

    let d: UnsafeBufferPointer<UInt8>
    private(set) var i = 0
    private(set) var content: Content = .data
    /// The name an end tag needs to leave RCDATA, RAWTEXT or script data.
    private var appropriateEndTag: [UInt8] = []
    private var pending: Token?
    /// Script data: 0 plain, 1 escaped (`<!--`), 2 double-escaped (`<!--<script>`).
    private var scriptEscape = 0

    init(_ d: UnsafeBufferPointer<UInt8>) {
        self.d = d
    }

    /// Switches the content model, as a tree builder does after `<title>`, `<style>`, …
    mutating func switchTo(_ content: Content, after tagName: String) {
        self.content = content
        appropriateEndTag = Array(tagName.utf8)
        scriptEscape = 0
    }

    /// The content model a start tag of this (HTML) element switches to, if any.
    static func contentModel(after tag: String) -> Content? {
        switch tag {
        case "title", "textarea": return .rcdata
        case "style", "xmp", "iframe", "noembed", "noframes", "noscript": return .rawtext
        case "script": return .scriptData
        case "plaintext": return .plaintext
        default: return nil
        }
    }

    // MARK: - Bytes

    @inline(__always) private func at(_ k: Int) -> UInt8 { k < d.count ? d[k] : 0 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

    private func startsCI(_ k: Int, _ s: StaticString) -> Bool {
        let c = s.utf8CodeUnitCount
        guard k + c <= d.count else { return false }
        for m in 0..<c where HTML5Tokenizer.lower(d[k + m]) != s.utf8Start[m] { return false }
        return true
    }

    private func starts(_ k: Int, _ s: StaticString) -> Bool {
        let c = s.utf8CodeUnitCount
        guard k + c <= d.count else { return false }
        for m in 0..<c where d[k + m] != s.utf8Start[m] { return false }
        return true
    }

    /// `</name` (any case) followed by white space, `/` or `>` at `k`.
    private func isEndTag(_ k: Int, _ name: [UInt8]) -> Bool {
        guard at(k) == UInt8(ascii: "<"), at(k + 1) == UInt8(ascii: "/"), k + 2 + name.count < d.count else { return false }
        for m in 0..<name.count where HTML5Tokenizer.lower(d[k + 2 + m]) != name[m] { return false }
        let after = d[k + 2 + name.count]
        return HTML5Tokenizer.isSpace(after) || after == UInt8(ascii: "/") || after == UInt8(ascii: ">")
    }

    /// `<name` (any case) followed by white space, `/` or `>` at `k`.
    private func isStartTag(_ k: Int, _ name: [UInt8]) -> Bool {
        guard at(k) == UInt8(ascii: "<"), k + 1 + name.count < d.count else { return false }
        for m in 0..<name.count where HTML5Tokenizer.lower(d[k + 1 + m]) != name[m] { return false }
        let after = d[k + 1 + name.count]
        return HTML5Tokenizer.isSpace(after) || after == UInt8(ascii: "/") || after == UInt8(ascii: ">")
    }

    private static let script = Array("script".utf8)

    // MARK: - Tokens

    mutating func next() -> Token? {
        if let p = pending {
            pending = nil
            return p
        }
        let n = d.count
        guard i < n else { return nil }
        switch content {
        case .plaintext:
            let r = i..<n
            i = n
            return .text(r, references: false)
        case .rcdata, .rawtext:
            let start = i
            var k = i
            while true {
                k = firstLessThan(from: k)
                if k >= n {
                    i = n
                    return .text(start..<n, references: content == .rcdata)
                }
                if isEndTag(k, appropriateEndTag) { break }
                k += 1
            }
            let references = content == .rcdata
            content = .data
            let (tag, end) = tagOpen(k)!
            i = end
            if k > start {
                pending = tag
                return .text(start..<k, references: references)
            }
            return tag
        case .scriptData:
            let start = i
            var k = i
            while k < n {
                let c = d[k]
                if c == UInt8(ascii: "<") {
                    if scriptEscape < 2 && isEndTag(k, appropriateEndTag) { break }
                    if scriptEscape == 0 && starts(k, "<!--") {
                        // `<!--` escapes unless the dashes end at once (`<!-->`, `<!--->`).
                        var m = k + 4
                        while at(m) == UInt8(ascii: "-") { m += 1 }
                        if at(m) == UInt8(ascii: ">") { k = m + 1; continue }
                        scriptEscape = 1
                        k = m
                        continue
                    }
                    if scriptEscape == 1 && isStartTag(k, HTML5Tokenizer.script) { scriptEscape = 2; k += 7; continue }
                    if scriptEscape == 2 && isEndTag(k, HTML5Tokenizer.script) { scriptEscape = 1; k += 8; continue }
                } else if c == UInt8(ascii: "-") && scriptEscape > 0 && starts(k, "-->") {
                    scriptEscape = 0
                    k += 3
                    continue
                }
                k += 1
            }
            if k >= n {
                i = n
                return .text(start..<n, references: false)
            }
            content = .data
            scriptEscape = 0
            let (tag, end) = tagOpen(k)!
            i = end
            if k > start {
                pending = tag
                return .text(start..<k, references: false)
            }
            return tag
        case .data:
            let start = i
            var k = i
            while true {
                k = firstLessThan(from: k)
                if k >= n {
                    i = n
                    return .text(start..<n, references: true)
                }
                if let (token, end) = tagOpen(k) {
                    i = end
                    if k > start {
                        pending = token
                        return .text(start..<k, references: true)
                    }
                    return token
                }
                k += 1  // a '<' that starts nothing is text
            }
        }
    }

    private func firstLessThan(from k: Int) -> Int {
        var k = k
        let n = d.count
        while k < n && d[k] != UInt8(ascii: "<") { k += 1 }
        return k
    }

    /// The tag open state at `k` (a `<`): the token and where it ends, or nil when the `<`
    /// is text.
    private func tagOpen(_ k: Int) -> (Token, Int)? {
        let n = d.count
        let c = at(k + 1)
        if k + 1 >= n { return nil }
        if c == UInt8(ascii: "!") { return markupDeclaration(k) }
        if c == UInt8(ascii: "?") { return bogusComment(from: k + 1) }
        if c == UInt8(ascii: "/") {
            if k + 2 >= n { return nil }  // `</` at the end is text
            let e = at(k + 2)
            if e == UInt8(ascii: ">") { return (.nothing, k + 3) }
            if HTML5Tokenizer.isAlpha(e) { return tag(k + 2, end: true) }
            return bogusComment(from: k + 2)
        }
        if HTML5Tokenizer.isAlpha(c) { return tag(k + 1, end: false) }
        return nil
    }

    private func markupDeclaration(_ k: Int) -> (Token, Int) {
        if starts(k + 2, "--") { return comment(k + 4) }
        if startsCI(k + 2, "doctype") {
            var m = k + 9
            while m < d.count && d[m] != UInt8(ascii: ">") { m += 1 }
            return (.doctype, min(m + 1, d.count))
        }
        return bogusComment(from: k + 2)
    }

    /// Bogus comment: up to the next `>`.
    private func bogusComment(from k: Int) -> (Token, Int) {
        var m = k
        while m < d.count && d[m] != UInt8(ascii: ">") { m += 1 }
        return (.comment(HTML5Tokenizer.string(d, k..<m)), min(m + 1, d.count))
    }

    /// The comment states from just after `<!--`.
    private func comment(_ k: Int) -> (Token, Int) {
        let n = d.count
        // comment start / comment start dash: `<!-->` and `<!--->` are empty comments.
        if at(k) == UInt8(ascii: ">") { return (.comment(""), k + 1) }
        if at(k) == UInt8(ascii: "-") && at(k + 1) == UInt8(ascii: ">") { return (.comment(""), k + 2) }
        var m = k
        while m < n {
            if d[m] == UInt8(ascii: "-") && at(m + 1) == UInt8(ascii: "-") {
                // comment end: `-->`, `--!>`; more dashes stay in the data.
                var e = m + 2
                while at(e) == UInt8(ascii: "-") { e += 1 }
                if at(e) == UInt8(ascii: ">") {
                    return (.comment(HTML5Tokenizer.string(d, k..<(e - 2))), e + 1)
                }
                if at(e) == UInt8(ascii: "!") && at(e + 1) == UInt8(ascii: ">") {
                    return (.comment(HTML5Tokenizer.string(d, k..<(e - 2))), e + 2)
                }
                m = e
                continue
            }
            m += 1
        }
        return (.comment(HTML5Tokenizer.string(d, k..<n)), n)
    }

    /// Tag name, attribute and self-closing states from the first letter of the name.
    private func tag(_ k: Int, end: Bool) -> (Token, Int) {
        let n = d.count
        var m = k
        var name: [UInt8] = []
        while m < n {
            let c = d[m]
            if HTML5Tokenizer.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") { break }
            if c == 0 { name.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { name.append(HTML5Tokenizer.lower(c)) }
            m += 1
        }
        var attributes: [Attribute] = []
        var seen: Set<String> = []
        var selfClosing = false
        // before attribute name / after attribute name
        while true {
            while m < n && HTML5Tokenizer.isSpace(d[m]) { m += 1 }
            if m >= n { return (.nothing, n) }  // EOF in tag: dropped
            var c = d[m]
            if c == UInt8(ascii: ">") { m += 1; break }
            if c == UInt8(ascii: "/") {
                if at(m + 1) == UInt8(ascii: ">") { selfClosing = true; m += 2; break }
                m += 1
                continue
            }
            // attribute name (a leading '=' is part of it)
            var attrName: [UInt8] = []
            if c == UInt8(ascii: "=") { attrName.append(c); m += 1 }
            while m < n {
                c = d[m]
                if HTML5Tokenizer.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=") { break }
                if c == 0 { attrName.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { attrName.append(HTML5Tokenizer.lower(c)) }
                m += 1
            }
            // after attribute name
            while m < n && HTML5Tokenizer.isSpace(d[m]) { m += 1 }
            var value = ""
            if at(m) == UInt8(ascii: "=") {
                m += 1
                while m < n && HTML5Tokenizer.isSpace(d[m]) { m += 1 }
                if m >= n { return (.nothing, n) }
                let q = d[m]
                if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                    let vs = m + 1
                    var e = vs
                    while e < n && d[e] != q { e += 1 }
                    if e >= n { return (.nothing, n) }
                    value = HTML5Tokenizer.decodeAttribute(d, vs..<e)
                    m = e + 1
                    // after attribute value (quoted): anything but space, '/' or '>' starts the
                    // next attribute (a parse error, same tokens).
                } else if q != UInt8(ascii: ">") {
                    let vs = m
                    while m < n && !HTML5Tokenizer.isSpace(d[m]) && d[m] != UInt8(ascii: ">") { m += 1 }
                    value = HTML5Tokenizer.decodeAttribute(d, vs..<m)
                }
            }
            let nameString = String(decoding: attrName, as: UTF8.self)
            // A later duplicate is dropped; many attributes are looked up in a set.
            if attributes.count < 16 {
                if !attributes.contains(where: { $0.name == nameString }) {
                    attributes.append(Attribute(name: nameString, value: value))
                }
            } else {
                if seen.isEmpty { seen = Set(attributes.map(\.name)) }
                if seen.insert(nameString).inserted { attributes.append(Attribute(name: nameString, value: value)) }
            }
        }
        let tagName = String(decoding: name, as: UTF8.self)
        if end { return (.endTag(name: tagName), m) }
        return (.startTag(name: tagName, attributes: attributes, selfClosing: selfClosing), m)
    }

    static func string(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        var s = String(decoding: UnsafeBufferPointer(rebasing: d[r]), as: UTF8.self)
        if s.utf8.contains(0) { s = String(s.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : Character($0) }) }
        return s
    }

    // MARK: - Character references

    /// A character reference at `k` (an `&`) read up to `limit`: the character, where the
    /// reference ends and whether it ended with `;`. Nil when the `&` is literal. In an
    /// attribute value a legacy reference without `;` followed by a letter, digit or `=`
    /// is literal (`?a=1&copy=2`).
    static func reference(
        _ d: UnsafeBufferPointer<UInt8>, _ k: Int, limit: Int, inAttribute: Bool
    ) -> (scalar: Unicode.Scalar, end: Int, semicolon: Bool)? {
        @inline(__always) func at(_ m: Int) -> UInt8 { m < limit ? d[m] : 0 }
        if at(k + 1) == UInt8(ascii: "#") {
            var m = k + 2
            let hex = at(m) | 0x20 == UInt8(ascii: "x")
            if hex { m += 1 }
            let digits = m
            var v: UInt32 = 0
            while m < limit {
                let c = d[m]
                let digit: UInt32
                if isDigit(c) {
                    digit = UInt32(c - 0x30)
                } else if hex && isHex(c) {
                    digit = UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                v = min(v * (hex ? 16 : 10) + digit, 0x110000)
                m += 1
            }
            guard m > digits else { return nil }
            let semicolon = at(m) == UInt8(ascii: ";")
            return (numeric(v), semicolon ? m + 1 : m, semicolon)
        }
        var m = k + 1
        while m < limit && m - k <= 32 && isAlnum(d[m]) { m += 1 }
        guard m > k + 1 else { return nil }
        if at(m) == UInt8(ascii: ";") {
            let name = String(decoding: UnsafeBufferPointer(rebasing: d[(k + 1)..<m]), as: UTF8.self)
            if let v = HTMLEntities.table[name], let s = Unicode.Scalar(v) { return (s, m + 1, true) }
        }
        // The longest legacy name (allowed without ';') that the run starts with.
        var len = min(m - k - 1, 6)
        while len >= 2 {
            let name = String(decoding: UnsafeBufferPointer(rebasing: d[(k + 1)..<(k + 1 + len)]), as: UTF8.self)
            if legacyNames.contains(name), let v = HTMLEntities.table[name], let s = Unicode.Scalar(v) {
                let next = at(k + 1 + len)
                if inAttribute && (isAlnum(next) || next == UInt8(ascii: "=")) { return nil }
                return (s, k + 1 + len, false)
            }
            len -= 1
        }
        return nil
    }

    /// A numeric reference's character: NUL, surrogates and values past U+10FFFF become
    /// U+FFFD, 0x80–0x9F are read as Windows-1252.
    static func numeric(_ v: UInt32) -> Unicode.Scalar {
        if v == 0 || v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { return "\u{FFFD}" }
        if (0x80...0x9F).contains(v), let mapped = CP1252.map[v], let s = Unicode.Scalar(mapped) { return s }
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }

    /// The names the HTML standard also accepts without a terminating `;` (those in
    /// `HTMLEntities.table`; the upper-case `AMP`, `LT`, … are not, and stay literal here).
    static let legacyNames: Set<String> = [
        "AElig", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "Ccedil", "ETH", "Eacute", "Ecirc",
        "Egrave", "Euml", "Iacute", "Icirc", "Igrave", "Iuml", "Ntilde", "Oacute", "Ocirc", "Ograve", "Oslash",
        "Otilde", "Ouml", "THORN", "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute",
        "aelig", "agrave", "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil", "cent", "copy", "curren",
        "deg", "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14", "frac34", "gt", "iacute",
        "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro", "middot", "nbsp", "not",
        "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash", "otilde", "ouml", "para", "plusmn",
        "pound", "quot", "raquo", "reg", "sect", "shy", "sup1", "sup2", "sup3", "szlig", "thorn", "times",
        "uacute", "ucirc", "ugrave", "uml", "uuml", "yacute", "yen", "yuml",
    ]

    /// An attribute value with its character references decoded; NUL becomes U+FFFD.
    static func decodeAttribute(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        var k = r.lowerBound
        var plain = true
        while k < r.upperBound {
            if d[k] == UInt8(ascii: "&") || d[k] == 0 { plain = false; break }
            k += 1
        }
        if plain { return String(decoding: UnsafeBufferPointer(rebasing: d[r]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        k = r.lowerBound
        while k < r.upperBound {
            let c = d[k]
            if c == UInt8(ascii: "&"), let ref = reference(d, k, limit: r.upperBound, inAttribute: true) {
                out.append(contentsOf: UTF8.encode(ref.scalar)!)
                k = ref.end
                continue
            }
            if c == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { out.append(c) }
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decoded text of `d[r]` (data or RCDATA when `references`), for checks.
    static func decodeText(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, references: Bool) -> String {
        guard references else { return String(decoding: UnsafeBufferPointer(rebasing: d[r]), as: UTF8.self) }
        var out: [UInt8] = []
        var k = r.lowerBound
        while k < r.upperBound {
            if d[k] == UInt8(ascii: "&"), let ref = reference(d, k, limit: r.upperBound, inAttribute: false) {
                out.append(contentsOf: UTF8.encode(ref.scalar)!)
                k = ref.end
                continue
            }
            out.append(d[k])
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Re-serialising

    /// Writes `d[r]` as HTML text that a browser reads as the same characters: references
    /// ending in `;` as written, references without it as their character, every other `&`
    /// as `&amp;`, `<` as `&lt;`; NUL dropped. Text without references (RAWTEXT, PLAINTEXT)
    /// has every `&` escaped.
    static func appendText(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, references: Bool, to out: inout [UInt8]) {
        var run = r.lowerBound
        var k = r.lowerBound
        while k < r.upperBound {
            let c = d[k]
            if c != UInt8(ascii: "&") && c != UInt8(ascii: "<") && c != 0 {
                k += 1
                continue
            }
            if k > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: d[run..<k])) }
            if c == UInt8(ascii: "<") {
                out.append(contentsOf: "&lt;".utf8)
                k += 1
            } else if c == 0 {
                k += 1
            } else if references, let ref = reference(d, k, limit: r.upperBound, inAttribute: false) {
                if ref.semicolon {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: d[k..<ref.end]))
                } else {
                    appendEscapedText(ref.scalar, to: &out)
                }
                k = ref.end
            } else {
                out.append(contentsOf: "&amp;".utf8)
                k += 1
            }
            run = k
        }
        if r.upperBound > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: d[run..<r.upperBound])) }
    }

    private static func appendEscapedText(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        switch s {
        case "&": out.append(contentsOf: "&amp;".utf8)
        case "<": out.append(contentsOf: "&lt;".utf8)
        case "\0": break
        default: out.append(contentsOf: UTF8.encode(s)!)
        }
    }

    /// An attribute value for a double-quoted attribute: `&`, `<`, `>` and `"` escaped.
    static func appendAttributeValue(_ v: String, to out: inout [UInt8]) {
        for c in v.utf8 {
            switch c {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            default: out.append(c)
            }
        }
    }
}
