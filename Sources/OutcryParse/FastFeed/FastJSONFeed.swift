import Foundation
import OutcryModel

/// The fast path for JSON Feed 1.0/1.1: bytes straight to mentions with a strict JSON scanner
/// and no intermediate tree. Mirrors `JSONFeedParser` plus `ParsedFeed.mentions(…)` for the
/// keys a mention needs; declines (nil) on a JSON error, an unknown version, a repeated key it
/// reads, a non-string where it expects a string, or a lone surrogate escape.
struct FastJSONFeed {
    /// The member names the fast path reads (case-sensitive, as JSON is).
    enum Key: UInt8 {
        case other, version, language, items, id, url, title, summary, contentHTML, contentText, datePublished
        case dateModified, authors, author, name, avatar

        static let table = NameTable<Key>([
            ("version", .version), ("language", .language), ("items", .items), ("id", .id), ("url", .url),
            ("title", .title), ("summary", .summary), ("content_html", .contentHTML), ("content_text", .contentText),
            ("date_published", .datePublished), ("date_modified", .dateModified), ("authors", .authors),
            ("author", .author), ("name", .name), ("avatar", .avatar),
        ], foldCase: false)
    }

    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    var buf: [UInt8] = []
    var scratch = FastHTML.Scratch()
    let base: String

    init(_ p: UnsafeBufferPointer<UInt8>, base: String) {
        self.p = p
        n = p.count
        self.base = base
        buf.reserveCapacity(1024)
    }

    static func read(_ p: UnsafeBufferPointer<UInt8>, base: String, sourceName: String, fetchedAt: Date) -> [Mention]? {
        guard FastXMLScanner.validUTF8(p, xmlChars: false) else { return nil }
        var r = FastJSONFeed(p, base: base)
        return r.document(sourceName: sourceName, fetchedAt: fetchedAt)
    }

    @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p[k] : 0 }

    @inline(__always) mutating func ws() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
    }

    // MARK: - Document

    mutating func document(sourceName: String, fetchedAt: Date) -> [Mention]? {
        ws()
        guard at(i) == UInt8(ascii: "{") else { return nil }
        i += 1
        var version: String?
        var language: String?
        var mentions: [Mention] = []
        /// Mentions whose item had no language of its own: they take the feed's, known at the end.
        var inheriting: [Int] = []
        var seen: Set<Key> = []
        guard members({ me, key in
            switch key {
            case .version, .language, .items:
                guard seen.insert(key).inserted else { return false }
            default:
                return me.skipValue(depth: 1)
            }
            if key == .items {
                guard me.at(me.i) == UInt8(ascii: "[") else { return false }
                return me.items(into: &mentions, inheriting: &inheriting, sourceName: sourceName, fetchedAt: fetchedAt)
            }
            guard let v = me.optionalString() else { return false }
            if key == .version { version = v } else { language = v }
            return true
        }) else { return nil }
        ws()
        guard i == n else { return nil }
        switch version?.pythonStripped() {
        case "https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1": break
        default: return nil
        }
        if let feedLanguage = language?.pythonStripped() {
            for k in inheriting { mentions[k].language = feedLanguage }
        }
        return mentions
    }

    /// At `[`: the items array, each object item made a mention; other values are skipped.
    private mutating func items(into mentions: inout [Mention], inheriting: inout [Int], sourceName: String, fetchedAt: Date) -> Bool {
        i += 1
        ws()
        if at(i) == UInt8(ascii: "]") { i += 1; return true }
        while true {
            ws()
            if at(i) == UInt8(ascii: "{") {
                guard let (m, ownLanguage) = item(sourceName: sourceName, fetchedAt: fetchedAt) else { return false }
                if !ownLanguage { inheriting.append(mentions.count) }
                mentions.append(m)
            } else {
                guard skipValue(depth: 2) else { return false }
            }
            ws()
            if at(i) == UInt8(ascii: ",") { i += 1; continue }
            if at(i) == UInt8(ascii: "]") { i += 1; return true }
            return false
        }
    }

    /// The members of the object whose `{` was just read, through its `}`: `body` gets each
    /// key with the position at its value and must consume the value.
    private mutating func members(_ body: (inout FastJSONFeed, Key) -> Bool) -> Bool {
        ws()
        if at(i) == UInt8(ascii: "}") { i += 1; return true }
        while true {
            ws()
            guard at(i) == UInt8(ascii: "\""), string() else { return false }
            let key = buf.withUnsafeBufferPointer { Key.table.lookup($0) } ?? .other
            ws()
            guard at(i) == UInt8(ascii: ":") else { return false }
            i += 1
            ws()
            guard body(&self, key) else { return false }
            ws()
            if at(i) == UInt8(ascii: ",") { i += 1; continue }
            if at(i) == UInt8(ascii: "}") { i += 1; return true }
            return false
        }
    }

    /// A value read as `JSONValue.string` reads it: the string, or `.some(nil)` for any other
    /// (valid) value; nil on a syntax error.
    private mutating func optionalString() -> String?? {
        if at(i) == UInt8(ascii: "\"") {
            guard string() else { return nil }
            return .some(String(decoding: buf, as: UTF8.self))
        }
        guard skipValue(depth: 2) else { return nil }
        return .some(nil)
    }

    // MARK: - Items

    private struct RawItem {
        var id: String??
        var url: String??
        var title: String??
        var summary: String??
        var contentHTML: String??
        var contentText: String??
        var published: String??
        var modified: String??
        var language: String??
        var authors: [Author]?
        var author: Author??
    }

    struct Author {
        var name: String?
        var url: String?
        var hasAvatar = false
        var isEmpty: Bool { name == nil && url == nil && !hasAvatar }
    }

    private mutating func item(sourceName: String, fetchedAt: Date) -> (Mention, Bool)? {
        i += 1
        var r = RawItem()
        guard members({ me, key in
            func take(_ slot: inout String??) -> Bool {
                guard slot == nil, let v = me.optionalString() else { return false }
                slot = v
                return true
            }
            switch key {
            case .id:
                // Numbers and booleans as ids are left to the general parser.
                guard me.at(me.i) == UInt8(ascii: "\"") || me.at(me.i) == UInt8(ascii: "n") else { return false }
                return take(&r.id)
            case .url: return take(&r.url)
            case .title: return take(&r.title)
            case .summary: return take(&r.summary)
            case .contentHTML: return take(&r.contentHTML)
            case .contentText: return take(&r.contentText)
            case .datePublished: return take(&r.published)
            case .dateModified: return take(&r.modified)
            case .language: return take(&r.language)
            case .authors:
                guard r.authors == nil else { return false }
                if me.at(me.i) != UInt8(ascii: "[") {
                    r.authors = []
                    return me.skipValue(depth: 2)
                }
                guard let list = me.authorList() else { return false }
                r.authors = list
                return true
            case .author:
                guard r.author == nil else { return false }
                if me.at(me.i) != UInt8(ascii: "{") {
                    r.author = .some(nil)
                    return me.skipValue(depth: 2)
                }
                me.i += 1
                guard let a = me.authorObject() else { return false }
                r.author = .some(a)
                return true
            default:
                return me.skipValue(depth: 2)
            }
        }) else { return nil }
        // The item's language reaches the mention through its content or summary detail; an
        // item with neither takes the feed's.
        let hasText = (r.contentHTML ?? nil) != nil || (r.contentText ?? nil) != nil || (r.summary ?? nil) != nil
        let own = hasText ? (r.language ?? nil)?.pythonStripped() : nil
        return (mention(r, language: own, sourceName: sourceName, fetchedAt: fetchedAt), own != nil)
    }

    private mutating func authorList() -> [Author]? {
        i += 1
        var list: [Author] = []
        ws()
        if at(i) == UInt8(ascii: "]") { i += 1; return list }
        while true {
            ws()
            if at(i) == UInt8(ascii: "{") {
                i += 1
                guard let a = authorObject() else { return nil }
                if !a.isEmpty { list.append(a) }
            } else {
                guard skipValue(depth: 3) else { return nil }
            }
            ws()
            if at(i) == UInt8(ascii: ",") { i += 1; continue }
            if at(i) == UInt8(ascii: "]") { i += 1; return list }
            return nil
        }
    }

    /// After `{`: an author object's name, url and whether it has an avatar.
    private mutating func authorObject() -> Author? {
        var a = Author()
        var seen: (name: Bool, url: Bool, avatar: Bool) = (false, false, false)
        guard members({ me, key in
            switch key {
            case .name:
                guard !seen.name, let v = me.optionalString() else { return false }
                seen.name = true
                a.name = v.map { $0.pythonStripped() }
            case .url:
                guard !seen.url, let v = me.optionalString() else { return false }
                seen.url = true
                a.url = v.map { $0.pythonStripped() }
            case .avatar:
                guard !seen.avatar, let v = me.optionalString() else { return false }
                seen.avatar = true
                a.hasAvatar = v != nil
            default:
                return me.skipValue(depth: 4)
            }
            return true
        }) else { return nil }
        return a
    }

    private mutating func mention(_ r: RawItem, language: String?, sourceName: String, fetchedAt: Date) -> Mention {
        var e = Entry()
        e.id = (r.id ?? nil)?.pythonStripped()
        e.link = (r.url ?? nil)?.pythonStripped()
        if let t = r.title ?? nil {
            let s = t.pythonStripped()
            if FastXMLFeed.containsByte(s, UInt8(ascii: "<")) || FastXMLFeed.containsByte(s, UInt8(ascii: "&")),
                HTMLSanitizer.looksLikeHTML(s)
            {
                e.title = HTMLToText.convert(HTMLSanitizer.sanitize(s)).orNilIfEmpty
            } else {
                e.title = s.orNilIfEmpty
            }
        }
        if let summary = r.summary ?? nil {
            e.summary = Field(value: summary.pythonStripped(), text: nil)
            e.summaryDetailIsHTML = false
        }
        if let html = r.contentHTML ?? nil {
            e.setContent(sanitized(html), isHTML: true)
        } else if let plain = r.contentText ?? nil {
            e.setContent(Field(value: plain, text: nil), isHTML: false)
        }
        let published: String? = (r.published ?? nil) ?? (r.modified ?? nil)
        e.sawPublished = true
        e.published = published.flatMap(FastJSONFeed.date)
        var list = r.authors ?? []
        if list.isEmpty, let one = r.author ?? nil, !one.isEmpty { list = [one] }
        if let first = list.first {
            var email: String?
            if let url = first.url, url.hasPrefix("mailto:") {
                email = String(url.dropFirst(7).prefix(while: { $0 != "?" }))
            }
            e.authorName = first.name?.orNilIfEmpty ?? (first.name == nil ? email?.orNilIfEmpty : nil)
            e.authorHandle = first.url?.orNilIfEmpty
            e.authorEmail = email?.orNilIfEmpty
        }
        return e.mention(sourceName: sourceName, fetchedAt: fetchedAt, language: language)
    }

    private mutating func sanitized(_ html: String) -> Field {
        var h = html
        let base = self.base
        let fast: (String, String)? = h.withUTF8 { u in
            var a = 0
            var b = u.count
            while a < b, FastXMLFeed.isPythonSpaceASCII(u[a]) { a += 1 }
            while b > a, FastXMLFeed.isPythonSpaceASCII(u[b - 1]) { b -= 1 }
            if a < b && (u[a] >= 0x80 || u[b - 1] >= 0x80) { return nil }
            guard let (value, text) = FastHTML.process(UnsafeBufferPointer(rebasing: u[a..<b]), base: base, scratch: &scratch)
            else { return nil }
            return (FastXMLFeed.strippedHTML(value), text)
        }
        if let (value, text) = fast { return Field(value: value, text: text) }
        return Field(value: HTMLSanitizer.resolveAndSanitize(html, base: base, type: "text/html"), text: nil)
    }

    static func date(_ s: String) -> Date? {
        var s = s
        if let d = s.withUTF8({ FastDate.date($0) }) { return d }
        return FeedDate.date(s)
    }

    // MARK: - Scanning

    /// At `"`: reads a string into `buf`, escapes decoded. False on a syntax error or a lone
    /// surrogate.
    mutating func string() -> Bool {
        buf.removeAll(keepingCapacity: true)
        i += 1
        while true {
            let s = i
            while i < n {
                let c = p[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                i += 1
            }
            if i > s { buf.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<i])) }
            guard i < n else { return false }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return true
            }
            if c < 0x20 { return false }
            // Backslash.
            let e = at(i + 1)
            i += 2
            switch e {
            case UInt8(ascii: "\""): buf.append(0x22)
            case UInt8(ascii: "\\"): buf.append(0x5C)
            case UInt8(ascii: "/"): buf.append(0x2F)
            case UInt8(ascii: "b"): buf.append(0x08)
            case UInt8(ascii: "f"): buf.append(0x0C)
            case UInt8(ascii: "n"): buf.append(0x0A)
            case UInt8(ascii: "r"): buf.append(0x0D)
            case UInt8(ascii: "t"): buf.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4() else { return false }
                if code >= 0xD800 && code <= 0xDBFF {
                    guard at(i) == UInt8(ascii: "\\"), at(i + 1) == UInt8(ascii: "u") else { return false }
                    i += 2
                    guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return false }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code <= 0xDFFF {
                    return false
                }
                guard let scalar = Unicode.Scalar(code) else { return false }
                buf.append(contentsOf: UTF8.encode(scalar)!)
            default:
                return false
            }
        }
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= n else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let h: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): h = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): h = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): h = UInt32(c - 55)
            default: return nil
            }
            v = v * 16 + h
            i += 1
        }
        return v
    }

    /// Skips one value (strict JSON), nesting at most 64 deep.
    mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64 else { return false }
        let c = at(i)
        switch c {
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "{"):
            i += 1
            return members { me, _ in me.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            i += 1
            ws()
            if at(i) == UInt8(ascii: "]") { i += 1; return true }
            while true {
                ws()
                guard skipValue(depth: depth + 1) else { return false }
                ws()
                if at(i) == UInt8(ascii: ",") { i += 1; continue }
                if at(i) == UInt8(ascii: "]") { i += 1; return true }
                return false
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func literal(_ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= n else { return false }
        for k in 0..<count where p[i + k] != s.utf8Start[k] { return false }
        i += count
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        @inline(__always) func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if at(i) == UInt8(ascii: "-") { i += 1 }
        if at(i) == UInt8(ascii: "0") {
            i += 1
        } else {
            guard digit(at(i)) else { return false }
            while digit(at(i)) { i += 1 }
        }
        if at(i) == UInt8(ascii: ".") {
            i += 1
            guard digit(at(i)) else { return false }
            while digit(at(i)) { i += 1 }
        }
        if at(i) == UInt8(ascii: "e") || at(i) == UInt8(ascii: "E") {
            i += 1
            if at(i) == UInt8(ascii: "+") || at(i) == UInt8(ascii: "-") { i += 1 }
            guard digit(at(i)) else { return false }
            while digit(at(i)) { i += 1 }
        }
        return true
    }
}
