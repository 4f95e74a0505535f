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

        /// The key for a member name's bytes: its length, then at most three byte comparisons.
        static func of(_ b: UnsafeBufferPointer<UInt8>) -> Key {
            guard let base = b.baseAddress else { return .other }
            @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(base, s.utf8Start, b.count) == 0 }
            switch b.count {
            case 2: return eq("id") ? .id : .other
            case 3: return eq("url") ? .url : .other
            case 4: return eq("name") ? .name : .other
            case 5: return eq("title") ? .title : eq("items") ? .items : .other
            case 6: return eq("author") ? .author : eq("avatar") ? .avatar : .other
            case 7: return eq("summary") ? .summary : eq("authors") ? .authors : eq("version") ? .version : .other
            case 8: return eq("language") ? .language : .other
            case 12: return eq("content_html") ? .contentHTML : eq("content_text") ? .contentText : .other
            case 13: return eq("date_modified") ? .dateModified : .other
            case 14: return eq("date_published") ? .datePublished : .other
            default: return .other
            }
        }
    }

    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    /// The last string read: its bytes in the input (`valueStart..<valueEnd`) when it had no
    /// escape, else decoded into `buf`.
    var buf: [UInt8] = []
    var valueStart = 0
    var valueEnd = 0
    var valueInBuf = false
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
            let key = withValue { Key.of($0) }
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
            return .some(withValue { String(decoding: $0, as: UTF8.self) })
        }
        guard skipValue(depth: 2) else { return nil }
        return .some(nil)
    }

    // MARK: - Items

    /// An item's members as read: strings already stripped where the general path strips
    /// them, `content_html` already sanitised, dates already read.
    private struct RawItem {
        /// Members seen (a repeated one declines), by `Key.rawValue`.
        var seen: UInt32 = 0
        var id: String?
        var url: String?
        var title: String?
        var summary: String?
        var contentHTML: Field?
        var contentText: String?
        /// A string's date (nil when it is not one); nil when the member is missing or not a string.
        var published: Date??
        var modified: Date??
        var language: String?
        var authors: [Author]?
        var author: Author??
    }

    struct Author {
        var name: String?
        var url: String?
        var hasAvatar = false
        var isEmpty: Bool { name == nil && url == nil && !hasAvatar }
    }

    /// A string value as `JSONValue.string` reads it, made with `make` from its bytes; `.some(nil)`
    /// for any other (valid) value; nil on a syntax error.
    @inline(__always)
    private mutating func stringValue<T>(_ make: (inout FastJSONFeed, UnsafeBufferPointer<UInt8>) -> T) -> T?? {
        if at(i) == UInt8(ascii: "\"") {
            guard string() else { return nil }
            if valueInBuf {
                let bytes = buf
                return .some(bytes.withUnsafeBufferPointer { make(&self, $0) })
            }
            let bytes = UnsafeBufferPointer(rebasing: p[valueStart..<valueEnd])
            return .some(make(&self, bytes))
        }
        guard skipValue(depth: 2) else { return nil }
        return .some(nil)
    }

    /// `String.pythonStripped()` of the bytes as a string, without building the unstripped one
    /// when both ends are ASCII.
    static func strippedString(_ u: UnsafeBufferPointer<UInt8>) -> String {
        var a = 0
        var b = u.count
        while a < b, FastXMLFeed.isPythonSpaceASCII(u[a]) { a += 1 }
        while b > a, FastXMLFeed.isPythonSpaceASCII(u[b - 1]) { b -= 1 }
        let v = String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self)
        if a < b && (u[a] >= 0x80 || u[b - 1] >= 0x80) { return v.pythonStripped() }
        return v
    }

    private mutating func item(sourceName: String, fetchedAt: Date) -> (Mention, Bool)? {
        i += 1
        var r = RawItem()
        guard members({ me, key in
            switch key {
            case .other, .version, .items, .name, .avatar: break
            default:
                // A repeated member the item reads declines.
                let bit: UInt32 = 1 << UInt32(key.rawValue)
                guard r.seen & bit == 0 else { return false }
                r.seen |= bit
            }
            switch key {
            case .id:
                // Numbers and booleans as ids are left to the general parser.
                guard me.at(me.i) == UInt8(ascii: "\"") || me.at(me.i) == UInt8(ascii: "n") else { return false }
                guard let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                r.id = v
            case .url:
                guard let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                r.url = v
            case .title:
                guard let v = me.stringValue({ _, u in FastJSONFeed.title(u) }) else { return false }
                r.title = v ?? nil
            case .summary:
                guard let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                r.summary = v
            case .contentHTML:
                guard let v = me.stringValue({ me, u in me.sanitized(u) }) else { return false }
                r.contentHTML = v
            case .contentText:
                guard let v = me.stringValue({ _, u in String(decoding: u, as: UTF8.self) }) else { return false }
                r.contentText = v
            case .datePublished, .dateModified:
                guard let v = me.stringValue({ _, u in FastJSONFeed.date(u) }) else { return false }
                if let d = v {
                    if key == .datePublished { r.published = .some(d) } else { r.modified = .some(d) }
                }
            case .language:
                guard let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                r.language = v
            case .authors:
                if me.at(me.i) != UInt8(ascii: "[") {
                    r.authors = []
                    return me.skipValue(depth: 2)
                }
                guard let list = me.authorList() else { return false }
                r.authors = list
            case .author:
                if me.at(me.i) != UInt8(ascii: "{") {
                    r.author = .some(nil)
                    return me.skipValue(depth: 2)
                }
                me.i += 1
                guard let a = me.authorObject() else { return false }
                r.author = .some(a)
            default:
                return me.skipValue(depth: 2)
            }
            return true
        }) else { return nil }
        // The item's language reaches the mention through its content or summary detail; an
        // item with neither takes the feed's.
        let hasText = r.contentHTML != nil || r.contentText != nil || r.summary != nil
        let own = hasText ? r.language : nil
        return (mention(&r, language: own, sourceName: sourceName, fetchedAt: fetchedAt), own != nil)
    }

    /// A title: stripped, and read as HTML when it looks like HTML.
    static func title(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        let s = strippedString(u)
        if FastXMLFeed.containsByte(s, UInt8(ascii: "<")) || FastXMLFeed.containsByte(s, UInt8(ascii: "&")),
            HTMLSanitizer.looksLikeHTML(s)
        {
            return HTMLToText.convert(HTMLSanitizer.sanitize(s)).orNilIfEmpty
        }
        return s.orNilIfEmpty
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
                guard !seen.name, let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                seen.name = true
                a.name = v
            case .url:
                guard !seen.url, let v = me.stringValue({ _, u in FastJSONFeed.strippedString(u) }) else { return false }
                seen.url = true
                a.url = v
            case .avatar:
                guard !seen.avatar, let v = me.stringValue({ _, _ in true }) else { return false }
                seen.avatar = true
                a.hasAvatar = v != nil
            default:
                return me.skipValue(depth: 4)
            }
            return true
        }) else { return nil }
        return a
    }

    /// The item's mention; its strings move out of `r` (`take()`), not copied.
    private func mention(_ r: inout RawItem, language: String?, sourceName: String, fetchedAt: Date) -> Mention {
        var e = Entry()
        e.id = r.id.take()
        e.link = r.url.take()
        e.title = r.title.take()
        if let summary = r.summary.take() {
            e.summary = Field(value: summary, text: nil)
            e.summaryDetailIsHTML = false
        }
        if let html = r.contentHTML.take() {
            e.setContent(html, isHTML: true)
        } else if let plain = r.contentText.take() {
            e.setContent(Field(value: plain, text: nil), isHTML: false)
        }
        e.sawPublished = true
        e.published = r.published ?? r.modified ?? nil
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
        return e.takeMention(sourceName: sourceName, fetchedAt: fetchedAt, language: language)
    }

    /// `content_html` sanitised (with its plain text when the fast sanitiser takes it).
    private mutating func sanitized(_ u: UnsafeBufferPointer<UInt8>) -> Field {
        var a = 0
        var b = u.count
        while a < b, FastXMLFeed.isPythonSpaceASCII(u[a]) { a += 1 }
        while b > a, FastXMLFeed.isPythonSpaceASCII(u[b - 1]) { b -= 1 }
        if !(a < b && (u[a] >= 0x80 || u[b - 1] >= 0x80)),
            let (value, text) = FastHTML.process(UnsafeBufferPointer(rebasing: u[a..<b]), base: base, scratch: &scratch)
        {
            return Field(value: FastXMLFeed.strippedHTML(value), text: text)
        }
        let html = String(decoding: u, as: UTF8.self)
        return Field(value: HTMLSanitizer.resolveAndSanitize(html, base: base, type: "text/html"), text: nil)
    }

    /// A date string's instant, as `FeedDate.date` reads it.
    static func date(_ u: UnsafeBufferPointer<UInt8>) -> Date? {
        if let d = FastDate.date(u) { return d }
        return FeedDate.date(String(decoding: u, as: UTF8.self))
    }

    // MARK: - Scanning

    /// The bytes of the last string read (valid only inside `body`).
    @inline(__always) func withValue<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if valueInBuf { return buf.withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(rebasing: p[valueStart..<valueEnd]))
    }

    /// The first index from `k` on holding `"`, `\` or a control character, or `n`. Eight bytes
    /// at a time while eight remain: the zero-byte tests flag every match and at most bytes
    /// after the first one (a borrow), so the lowest flag is the first match.
    @inline(__always) func plainEnd(_ k: Int) -> Int {
        var k = k
        if let base = p.baseAddress {
            while k + 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let quote = w ^ 0x2222_2222_2222_2222
                let slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let flagged = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((w &- 0x2020_2020_2020_2020) & ~w)
                let first = flagged & 0x8080_8080_8080_8080
                // The lowest flag is the first match (byte 0 in the low bits).
                if first != 0 { return k + first.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < n {
            let c = p[k]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
            k += 1
        }
        return k
    }

    /// At `"`: reads a string, through its closing quote. Without escapes its bytes stay in the
    /// input; with escapes they are decoded into `buf`. False on a syntax error or a lone
    /// surrogate.
    mutating func string() -> Bool {
        i += 1
        let start = i
        var k = plainEnd(i)
        guard k < n else { return false }
        if p[k] == UInt8(ascii: "\"") {
            valueStart = start
            valueEnd = k
            valueInBuf = false
            i = k + 1
            return true
        }
        buf.removeAll(keepingCapacity: true)
        valueInBuf = true
        i = start
        while true {
            let s = i
            k = plainEnd(i)
            if k > s { buf.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<k])) }
            i = k
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
            if let byte = JSONReader.simpleEscape(e) {
                buf.append(byte)
                continue
            }
            switch e {
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
        guard let value = JSONReader.hex4(p, at: i) else { return nil }
        i += 4
        return value
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
