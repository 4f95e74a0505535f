import Foundation

/// Sanitised markup and its plain text in one pass, for the simple HTML of social posts.
///
/// Covers a small subset: text, the XML/HTML entities `&amp; &lt; &gt; &quot;`, decimal
/// character references, and a handful of allow-listed elements (`p`, `br`, `a`, `b`, `i`,
/// `em`, `strong`, `span`, `img`, lists, plain tables, …) with double- or single-quoted
/// attributes (whose values may hold `&amp;` and a bare `&`, as tracking URLs do), and inert
/// comments (`<!-- SC_OFF -->`). On that
/// subset the result equals `HTMLSanitizer.resolveAndSanitize(html, base:)` followed by
/// `HTMLToText.convert(_:)` — the differential tests and the fuzz target check it. Anything
/// else (other comments, scripts, `<pre>`, unquoted or valueless attributes, `style`,
/// named entities beyond the four, a carriage return, a NUL, an element left open or closed
/// out of order, a URL the allow-list pass would empty) returns nil, and the caller takes the
/// general functions. Its output is a fixed point of `HTMLAllowList.clean`, the general
/// sanitiser's last pass.
///
/// ```swift
/// FastHTML.process(Array("<p>Hi <b>you</b></p>".utf8)[...], base: "")   // ("<p>Hi <b>you</b></p>", "Hi you")
/// ```
enum FastHTML {
    /// How an allowed element shapes the plain text (`HTMLToText`'s classes).
    enum Kind { case inline, paragraph, lineBreak, br, voidInline, cell }

    static let kinds: NameTable<Kind> = {
        var names: [(String, Kind)] = []
        let inline = ["a", "b", "i", "em", "strong", "span", "u", "s", "code", "small", "sub", "sup", "abbr", "cite", "q",
                      "del", "ins", "kbd", "var", "tt", "big", "strike", "font", "thead", "tbody", "tfoot"]
        let paragraph = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"]
        let lineBreak = ["div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "nav", "aside",
                         "address", "center", "figure", "figcaption", "tr", "caption"]
        for n in inline { names.append((n, .inline)) }
        for n in paragraph { names.append((n, .paragraph)) }
        for n in lineBreak { names.append((n, .lineBreak)) }
        for n in ["td", "th"] { names.append((n, .cell)) }
        names.append(("br", .br))
        names.append(("img", .voidInline))
        return NameTable(names)
    }()

    /// `kinds.lookup(name)` for a lowercase name, the one- and two-letter ones without the table.
    @inline(__always)
    static func kind(of name: UnsafeBufferPointer<UInt8>) -> Kind? {
        switch name.count {
        case 1:
            switch name[0] {
            case UInt8(ascii: "p"): return .paragraph
            case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "i"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "q"): return .inline
            default: return nil
            }
        case 2:
            let a = name[0]
            let b = name[1]
            switch a {
            case UInt8(ascii: "h"): return b >= UInt8(ascii: "1") && b <= UInt8(ascii: "6") ? .paragraph : nil
            case UInt8(ascii: "e"): return b == UInt8(ascii: "m") ? .inline : nil
            case UInt8(ascii: "b"): return b == UInt8(ascii: "r") ? .br : nil
            case UInt8(ascii: "l"): return b == UInt8(ascii: "i") ? .lineBreak : nil
            case UInt8(ascii: "u"), UInt8(ascii: "o"): return b == UInt8(ascii: "l") ? .lineBreak : nil
            case UInt8(ascii: "d"): return b == UInt8(ascii: "l") || b == UInt8(ascii: "t") || b == UInt8(ascii: "d") ? .lineBreak : nil
            case UInt8(ascii: "t"):
                switch b {
                case UInt8(ascii: "r"): return .lineBreak
                case UInt8(ascii: "d"), UInt8(ascii: "h"): return .cell
                case UInt8(ascii: "t"): return .inline
                default: return nil
                }
            default: return nil
            }
        default:
            return kinds.lookup(name)
        }
    }

    /// Output buffers kept between calls, so a feed's posts reuse their memory.
    struct Scratch {
        var html: [UInt8] = []
        var text = TextBuilder()
        /// A start tag's attributes: where each name and value is in the input.
        var attributes: [(name: Range<Int>, value: Range<Int>)] = []
    }

    /// `(html, text)` or nil when the markup is outside the subset. `html` is not yet stripped.
    static func process(_ input: ArraySlice<UInt8>, base: String) -> (html: String, text: String)? {
        var scratch = Scratch()
        return input.withUnsafeBufferPointer { process($0, base: base, scratch: &scratch) }
    }

    /// With `validUTF8`, the caller vouches that `d` is valid UTF-8 (the XML fast path checked
    /// the whole document): the results, made of pieces of `d` cut at ASCII bytes, ASCII and
    /// whole scalars, are then made into strings without checking them again. With `xmlText`,
    /// the caller also vouches that `d` holds no NUL (the XML fast path's text: its document
    /// check refuses control bytes, and its references any below U+0009), so the search for
    /// one is skipped.
    static func process(
        _ d: UnsafeBufferPointer<UInt8>, base: String, scratch: inout Scratch, validUTF8: Bool = false, xmlText: Bool = false
    ) -> (html: String, text: String)? {
        scratch.html.removeAll(keepingCapacity: true)
        scratch.html.reserveCapacity(d.count + 64)
        scratch.text.reset()
        scratch.text.out.reserveCapacity(d.count)
        return process(d, base: base, html: &scratch.html, text: &scratch.text, attrs: &scratch.attributes, validUTF8: validUTF8,
                       xmlText: xmlText)
    }

    private static func process(
        _ d: UnsafeBufferPointer<UInt8>, base: String, html: inout [UInt8], text: inout TextBuilder,
        attrs: inout [(name: Range<Int>, value: Range<Int>)], validUTF8: Bool, xmlText: Bool
    ) -> (html: String, text: String)? {
        let n = d.count
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? d[k] : 0 }
        // Most of the output is the input as it is: `html` gets only what differs, each piece
        // after the unchanged input before it (`d[copied..<here]`).
        var copied = 0
        var i = 0
        // The allow-list pass drops NUL; the subset has none.
        if !xmlText, let base = d.baseAddress, memchr(base, 0, n) != nil { return nil }
        assert(!xmlText || !d.contains(0), "FastHTML.process: text vouched for holds a NUL")
        // Open elements, as ranges of their names in `d`: the subset closes every element it
        // opens, in order, so the allow-list pass (which balances tags) leaves it as it is.
        var open: [Range<Int>] = []
        while i < n {
            // A run of plain text, added as the search for its end goes.
            guard let end = text.addRun(d, from: i, validUTF8: validUTF8) else { return nil }
            i = end
            if i >= n { break }
            let c = d[i]
            if c == 0x0D { return nil }
            if c == UInt8(ascii: "&") {
                guard let (scalar, end, literal) = reference(d, i) else { return nil }
                if literal {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: d[copied..<i]))
                    html.append(UInt8(truncatingIfNeeded: scalar))
                    copied = end
                }
                text.addScalar(scalar)
                i = end
                continue
            }
            // '<'
            if at(i + 1) == UInt8(ascii: "!") {
                // An inert comment (`HTMLAllowList.isInertComment`, printable ASCII, tabs and
                // line feeds, no '-' inside, ended by `-->`): both passes keep it as written;
                // the text skips it.
                guard at(i + 2) == UInt8(ascii: "-"), at(i + 3) == UInt8(ascii: "-") else { return nil }
                var k = i + 4
                while k < n, d[k] != UInt8(ascii: "-") {
                    let x = d[k]
                    if x == UInt8(ascii: "<") || x == UInt8(ascii: ">") || x == UInt8(ascii: "!") || x >= 0x7F || (x < 0x20 && x != 0x09 && x != 0x0A) {
                        return nil
                    }
                    k += 1
                }
                guard at(k + 1) == UInt8(ascii: "-"), at(k + 2) == UInt8(ascii: ">") else { return nil }
                i = k + 3
                continue
            }
            let closing = at(i + 1) == UInt8(ascii: "/")
            var k = closing ? i + 2 : i + 1
            let nameStart = k
            while isLowerAlnum(at(k)) { k += 1 }
            guard k > nameStart, isLowerAlpha(d[nameStart]) else { return nil }
            let nameBytes = UnsafeBufferPointer(rebasing: d[nameStart..<k])
            guard let kind = kind(of: nameBytes) else { return nil }
            if closing {
                guard at(k) == UInt8(ascii: ">"), kind != .br, kind != .voidInline else { return nil }
                guard let top = open.popLast(), top.count == k - nameStart,
                    memcmp(d.baseAddress! + top.lowerBound, d.baseAddress! + nameStart, top.count) == 0
                else { return nil }
                switch kind {
                case .paragraph: text.paragraph()
                case .lineBreak: text.lineBreak()
                default: break
                }
                i = k + 1
                continue
            }
            let nameEnd = k
            // Attributes: name="value" or name='value', separated by white space.
            // (Most tags have none: the generic clearing call is skipped then.)
            if !attrs.isEmpty { attrs.removeAll(keepingCapacity: true) }
            var selfClosed = false
            while true {
                let hadSpace = isSpace(at(k))
                while isSpace(at(k)) { k += 1 }
                let b = at(k)
                if b == UInt8(ascii: ">") { k += 1; break }
                if b == UInt8(ascii: "/") {
                    guard at(k + 1) == UInt8(ascii: ">") else { return nil }
                    selfClosed = true
                    k += 2
                    break
                }
                guard hadSpace, isLowerAlpha(b) else { return nil }
                let an = k
                while isLowerAlnum(at(k)) || at(k) == UInt8(ascii: "-") { k += 1 }
                let attrName = an..<k
                guard at(k) == UInt8(ascii: "=") else { return nil }
                k += 1
                let q = at(k)
                guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { return nil }
                k += 1
                let vs = k
                while k < n, d[k] != q {
                    let x = d[k]
                    // An `&` is judged in `appendStartTag`, after the URL is resolved.
                    if x == UInt8(ascii: "<") || x == UInt8(ascii: ">") || x < 0x20 { return nil }
                    k += 1
                }
                guard k < n else { return nil }
                let value = vs..<k
                k += 1
                let after = at(k)
                guard after == UInt8(ascii: ">") || after == UInt8(ascii: "/") || isSpace(after) else { return nil }
                for earlier in attrs where earlier.name.count == attrName.count
                    && memcmp(d.baseAddress! + earlier.name.lowerBound, d.baseAddress! + attrName.lowerBound, attrName.count) == 0
                {
                    return nil
                }
                attrs.append((attrName, value))
            }
            if selfClosed && kind != .br && kind != .voidInline { return nil }
            if kind != .br && kind != .voidInline {
                guard open.count < HTMLAllowList.maxDepth else { return nil }
                open.append(nameStart..<nameEnd)
            }
            if attrs.isEmpty && kind != .br && kind != .voidInline && k == nameEnd + 1 {
                // `<name>` as written.
            } else if attrs.isEmpty {
                html.append(contentsOf: UnsafeBufferPointer(rebasing: d[copied..<i]))
                copied = k
                html.append(UInt8(ascii: "<"))
                html.append(contentsOf: nameBytes)
                if kind == .br || kind == .voidInline {
                    html.append(contentsOf: " />".utf8)
                } else {
                    html.append(UInt8(ascii: ">"))
                }
            } else {
                let isVoid = kind == .br || kind == .voidInline
                let plain = plainStartTag(d, tag: i..<k, name: nameStart..<nameEnd, attrs, isVoid: isVoid)
                if plain == .asWritten {
                    // The sanitiser would write the tag as it stands.
                } else {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: d[copied..<i]))
                    copied = k
                    if plain == .sorted {
                        appendPlainStartTag(d, name: nameStart..<nameEnd, attrs, isVoid: isVoid, to: &html)
                    } else {
                        let name = String(decoding: nameBytes, as: UTF8.self)
                        let strings = attrs.map { a in
                            (String(decoding: UnsafeBufferPointer(rebasing: d[a.name]), as: UTF8.self),
                             String(decoding: UnsafeBufferPointer(rebasing: d[a.value]), as: UTF8.self))
                        }
                        guard appendStartTag(name, strings, base: base, to: &html) else { return nil }
                    }
                }
            }
            switch kind {
            case .br: text.newline()
            case .paragraph: text.paragraph()
            case .lineBreak: text.lineBreak()
            case .cell: text.cell()
            case .inline, .voidInline: break
            }
            i = k
        }
        guard open.isEmpty else { return nil }
        if copied == 0 { return (UTF8Text.string(d, valid: validUTF8), text.result(validUTF8: validUTF8)) }
        html.append(contentsOf: UnsafeBufferPointer(rebasing: d[copied..<n]))
        let value = html.withUnsafeBufferPointer { UTF8Text.string($0, valid: validUTF8) }
        return (value, text.result(validUTF8: validUTF8))
    }

    /// Whether `name` is one of the attributes `appendStartTag` keeps (`href`, `src`, `class`,
    /// `rel`, `target`, `title`, `alt`, `width`, `height`, `dir`, `lang`, `border`).
    @inline(__always)
    static func isKeptAttribute(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(u.baseAddress!, s.utf8Start, u.count) == 0 }
        switch u.count {
        case 3: return eq("src") || eq("rel") || eq("alt") || eq("dir")
        case 4: return eq("href") || eq("lang")
        case 5: return eq("class") || eq("title") || eq("width")
        case 6: return eq("target") || eq("height") || eq("border")
        default: return false
        }
    }

    enum PlainTag { case no, sorted, asWritten }

    /// Whether `appendPlainStartTag` can write the tag (`.sorted`), and whether what it would
    /// write is the tag as it stands (`.asWritten`: `<name key="value" …>` with single spaces,
    /// double quotes, names in order, no `rel` to lowercase; ` />` closing a void element).
    /// It can when every attribute is one `appendStartTag` keeps, its value printable ASCII
    /// without `&` or `"` (so neither decoded nor escaped), and a URI attribute (`a href`,
    /// `img src`) a plain absolute `http(s)://host…` URL, which resolving against any base and
    /// the scheme checks leave as it is (`URLResolver.join`'s `isPlainAbsoluteHTTP`).
    private static func plainStartTag(
        _ d: UnsafeBufferPointer<UInt8>, tag: Range<Int>, name: Range<Int>, _ attrs: [(name: Range<Int>, value: Range<Int>)],
        isVoid: Bool
    ) -> PlainTag {
        guard attrs.count <= 8, let p = d.baseAddress else { return .no }
        let isA = name.count == 1 && d[name.lowerBound] == UInt8(ascii: "a")
        let isImg = name.count == 3 && d[name.lowerBound] == UInt8(ascii: "i") && d[name.lowerBound + 1] == UInt8(ascii: "m")
            && d[name.lowerBound + 2] == UInt8(ascii: "g")
        var asWritten = true
        var expected = name.upperBound
        var previous: Range<Int>? = nil
        for a in attrs {
            let key = UnsafeBufferPointer(rebasing: d[a.name])
            guard isKeptAttribute(key) else { return .no }
            let v = UnsafeBufferPointer(rebasing: d[a.value])
            for c in v where c < 0x20 || c > 0x7E || c == UInt8(ascii: "&") || c == UInt8(ascii: "\"") { return .no }
            let isHref = key.count == 4 && key[0] == UInt8(ascii: "h")
            let isSrc = key.count == 3 && key[0] == UInt8(ascii: "s")
            if isHref || isSrc {
                // Elsewhere than `a href`/`img src`, the general rules for `href` and `src` apply.
                guard isHref ? isA : isImg else { return .no }
                let prefix = URLResolver.httpPrefix(v)
                guard prefix > 0, v.count > prefix, v[prefix] != UInt8(ascii: "/"), let last = v.last,
                    last != UInt8(ascii: "?"), last != UInt8(ascii: "#")
                else { return .no }
                for c in v where c == 0x20 { return .no }
            }
            if asWritten {
                // ` key="value"` right after what came before, in order.
                if a.name.lowerBound != expected + 1 || d[expected] != 0x20 || d[a.name.upperBound] != UInt8(ascii: "=")
                    || d[a.value.lowerBound - 1] != UInt8(ascii: "\"") || a.value.lowerBound != a.name.upperBound + 2
                {
                    asWritten = false
                } else if key.count == 3 && key[0] == UInt8(ascii: "r") && v.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
                    asWritten = false
                } else if let previous, !precedes(p, previous, a.name) {
                    asWritten = false
                }
                expected = a.value.upperBound + 1
                previous = a.name
            }
        }
        if asWritten {
            let end: StaticString = isVoid ? " />" : ">"
            let count = end.utf8CodeUnitCount
            if tag.upperBound - expected == count && memcmp(p + expected, end.utf8Start, count) == 0 { return .asWritten }
        }
        return .sorted
    }

    @inline(__always)
    private static func precedes(_ p: UnsafePointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        let m = memcmp(p + a.lowerBound, p + b.lowerBound, min(a.count, b.count))
        return m < 0 || (m == 0 && a.count < b.count)
    }

    /// `appendStartTag` on bytes, for a tag `plainStartTag` calls `.sorted`: attributes sorted
    /// by name, as there, `rel` lowercased.
    private static func appendPlainStartTag(
        _ d: UnsafeBufferPointer<UInt8>, name: Range<Int>, _ attrs: [(name: Range<Int>, value: Range<Int>)], isVoid: Bool,
        to out: inout [UInt8]
    ) {
        guard let p = d.baseAddress else { return }
        // Sorted by name (names are distinct): an insertion sort of at most eight.
        var order = (0, 1, 2, 3, 4, 5, 6, 7)
        withUnsafeMutableBytes(of: &order) { raw in
            let idx = raw.bindMemory(to: Int.self)
            if attrs.count > 1 {
                for x in 1..<attrs.count {
                    var y = x
                    while y > 0, precedes(p, attrs[idx[y]].name, attrs[idx[y - 1]].name) {
                        idx.swapAt(y, y - 1)
                        y -= 1
                    }
                }
            }
            out.append(UInt8(ascii: "<"))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: d[name]))
            for x in 0..<attrs.count {
                let a = attrs[idx[x]]
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: d[a.name]))
                out.append(UInt8(ascii: "="))
                out.append(UInt8(ascii: "\""))
                if a.name.count == 3 && d[a.name.lowerBound] == UInt8(ascii: "r") {
                    // `rel`, lowercased (ASCII here).
                    for c in UnsafeBufferPointer(rebasing: d[a.value]) { out.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: d[a.value]))
                }
                out.append(UInt8(ascii: "\""))
            }
            if isVoid {
                out.append(contentsOf: " />".utf8)
            } else {
                out.append(UInt8(ascii: ">"))
            }
        }
    }

    /// The sanitiser's form of a kept start tag: attributes filtered, URI attributes resolved,
    /// sorted, re-quoted. False for an attribute the subset does not cover.
    private static func appendStartTag(_ tag: String, _ attrs: [(String, String)], base: String, to out: inout [UInt8]) -> Bool {
        var clean: [(String, String)] = []
        clean.reserveCapacity(attrs.count)
        for (key, raw) in attrs {
            switch key {
            case "href", "src", "class", "rel", "target", "title", "alt", "width", "height", "dir", "lang", "border":
                var value = key == "rel" ? raw.lowercased() : raw
                if HTMLSanitizer.isRelativeURIAttribute(tag: tag, key: key) {
                    // Attribute values here hold no control characters: ASCII ends other than
                    // a space leave nothing to strip.
                    let plainEnds = value.utf8.first.map { $0 > 0x20 && $0 < 0x80 } == true
                        && value.utf8.last.map { $0 > 0x20 && $0 < 0x80 } == true
                    value = URLResolver.makeSafeAbsolute(base: base, relative: plainEnds ? value : value.pythonStripped())
                }
                if key == "href" { value = URLResolver.makeSafeAbsolute(base: value, relative: nil) }
                if FastXMLFeed.containsByte(value, UInt8(ascii: "&")) {
                    guard let decoded = decodedAmpersands(value) else { return false }
                    value = decoded
                }
                if key == "href" || key == "src" {
                    // What the allow-list pass would change (a scheme beyond http, https,
                    // mailto) is left to the general functions.
                    if !HTMLAllowList.isSafeURL(value) { return false }
                }
                clean.append((key, value))
            case "style", "type":
                return false
            default:
                // Other allow-listed attributes are left to the general sanitiser; the rest it drops.
                if HTMLSanitizer.acceptableAttributes.contains(key) { return false }
            }
        }
        if clean.count > 1 {
            clean.sort { a, b in
                if a.0 != b.0 { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
                return a.1.unicodeScalars.lexicographicallyPrecedes(b.1.unicodeScalars)
            }
        }
        SGMLProcessor.appendStartTag(tag, clean, to: &out)
        return true
    }

    /// An attribute value as the allow-list pass reads it when every `&` in it is `&amp;` or a
    /// bare `&`: the SGML pass keeps `&amp;` and writes a bare `&` as `&amp;`, and the allow-list
    /// pass decodes both to `&` (and writes `&amp;` again). Nil for any other reference (`&#…`,
    /// `&name;`, which the passes convert or decode), and when the decoded value would hold
    /// something `SGMLProcessor.appendEscapedAttribute` reads as a reference (`&amp;copy;`).
    static func decodedAmpersands(_ value: String) -> String? {
        let u = Array(value.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            let c = u[i]
            out.append(c)
            i += 1
            guard c == UInt8(ascii: "&") else { continue }
            if i + 3 < u.count, u[i] == UInt8(ascii: "a"), u[i + 1] == UInt8(ascii: "m"), u[i + 2] == UInt8(ascii: "p"), u[i + 3] == UInt8(ascii: ";") {
                i += 4
            } else if looksLikeReference(u, i - 1) {
                return nil
            }
        }
        for k in out.indices where out[k] == UInt8(ascii: "&") && looksLikeReference(out, k) { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// `&#`, or `&` then word bytes then `;` (what `SGMLProcessor.isReference` or its
    /// `convertRefs` would treat as a reference), at `i`.
    private static func looksLikeReference(_ u: [UInt8], _ i: Int) -> Bool {
        var k = i + 1
        if k < u.count && u[k] == UInt8(ascii: "#") { return true }
        while k < u.count, HTMLSanitizer.isWordByte(u[k]) { k += 1 }
        return k > i + 1 && k < u.count && u[k] == UInt8(ascii: ";")
    }

    /// A reference at `i`: the scalar it stands for, where it ends, and whether the sanitiser
    /// writes it as the literal character (`&#39;`, `&#34;`) rather than as written.
    private static func reference(_ d: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int, Bool)? {
        let n = d.count
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? d[k] : 0 }
        if at(i + 1) == UInt8(ascii: "#") {
            var k = i + 2
            var v: UInt32 = 0
            while k < n, k - i < 10, d[k] >= 0x30, d[k] <= 0x39 {
                v = v * 10 + UInt32(d[k] - 0x30)
                k += 1
            }
            guard k > i + 2, at(k) == UInt8(ascii: ";"), at(i + 2) != UInt8(ascii: "0") else { return nil }
            if k == i + 4 && (v == 39 || v == 34) { return (v, k + 1, true) }
            switch v {
            case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return (v, k + 1, false)
            default: return nil
            }
        }
        // &amp; &lt; &gt; &quot;
        if at(i + 1) == UInt8(ascii: "a"), at(i + 2) == UInt8(ascii: "m"), at(i + 3) == UInt8(ascii: "p"),
            at(i + 4) == UInt8(ascii: ";")
        {
            return (0x26, i + 5, false)
        }
        if at(i + 1) == UInt8(ascii: "l"), at(i + 2) == UInt8(ascii: "t"), at(i + 3) == UInt8(ascii: ";") {
            return (0x3C, i + 4, false)
        }
        if at(i + 1) == UInt8(ascii: "g"), at(i + 2) == UInt8(ascii: "t"), at(i + 3) == UInt8(ascii: ";") {
            return (0x3E, i + 4, false)
        }
        if at(i + 1) == UInt8(ascii: "q"), at(i + 2) == UInt8(ascii: "u"), at(i + 3) == UInt8(ascii: "o"),
            at(i + 4) == UInt8(ascii: "t"), at(i + 5) == UInt8(ascii: ";")
        {
            return (0x22, i + 6, false)
        }
        return nil
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A }
    @inline(__always) static func isLowerAlpha(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always) static func isLowerAlnum(_ b: UInt8) -> Bool { isLowerAlpha(b) || (b >= 0x30 && b <= 0x39) }
}

/// `HTMLToText.Builder` over bytes: collapsed white space, line and paragraph breaks.
struct TextBuilder {
    var out: [UInt8] = []
    var pendingBreaks = 0
    var pendingSpace = false
    /// A table cell started: a tab before the next text, unless a line break comes first.
    var pendingCell = false

    mutating func reset() {
        out.removeAll(keepingCapacity: true)
        pendingBreaks = 0
        pendingSpace = false
        pendingCell = false
    }

    /// Unicode White_Space, as `Unicode.Scalar.Properties.isWhitespace` answers it.
    @inline(__always) static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Adds UTF-8 text; false when it is not valid UTF-8.
    mutating func addBytes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        add(b, from: 0, stops: false) != nil
    }

    /// Adds the text of `b` from `i` up to its first `<`, `&` or carriage return (or its end)
    /// as `addBytes` adds it, in the same pass that finds that byte; returns where it stopped,
    /// nil when the text is not valid UTF-8.
    /// With `validUTF8` the caller vouches that `b` is valid UTF-8: a stretch of text then goes
    /// on over characters outside ASCII without decoding them, except those whose lead byte
    /// some white space shares (`0xC2`, `0xE0`–`0xEF`).
    mutating func addRun(_ b: UnsafeBufferPointer<UInt8>, from i: Int, validUTF8: Bool = false) -> Int? {
        validUTF8 ? add(b, from: i, stops: true, trusted: true) : add(b, from: i, stops: true, trusted: false)
    }

    @inline(__always)
    private mutating func add(_ b: UnsafeBufferPointer<UInt8>, from start: Int, stops: Bool, trusted: Bool = false) -> Int? {
        let n = b.count
        var i = start
        while i < n {
            let c = b[i]
            if c > 0x20 && c < 0x80 {
                if stops && (c == UInt8(ascii: "<") || c == UInt8(ascii: "&")) { return i }
                // A run of printable ASCII with single spaces, and characters outside ASCII that
                // are not white space, needs no collapsing: one pending separator, then the run
                // at once, its trailing spaces pending. It ends before a control byte, white
                // space outside ASCII, or two spaces (the loop then makes them one pending space),
                // and with `stops` before a `<` or `&`.
                if pendingSpace || pendingBreaks > 0 || pendingCell || out.isEmpty { emitPending() }
                var spanEnd = trusted ? ByteScan.firstControlDoubleSpaceMarkupOrSpaceLead(in: b, from: i, to: n)
                    : stops ? ByteScan.firstControlNonASCIIDoubleSpaceOrMarkup(in: b, from: i, to: n)
                    : ByteScan.firstControlNonASCIIOrDoubleSpace(in: b, from: i, to: n)
                while spanEnd < n, b[spanEnd] >= 0x80 {
                    let x = b[spanEnd]
                    let len: Int
                    var v: UInt32
                    if x & 0xE0 == 0xC0 { len = 2; v = UInt32(x & 0x1F) } else if x & 0xF0 == 0xE0 { len = 3; v = UInt32(x & 0x0F) } else if x & 0xF8 == 0xF0 { len = 4; v = UInt32(x & 0x07) } else { return nil }
                    guard spanEnd + len <= n else { return nil }
                    for k in 1..<len {
                        let y = b[spanEnd + k]
                        guard y & 0xC0 == 0x80 else { return nil }
                        v = (v << 6) | UInt32(y & 0x3F)
                    }
                    if TextBuilder.isWhitespace(v) { break }
                    spanEnd = trusted ? ByteScan.firstControlDoubleSpaceMarkupOrSpaceLead(in: b, from: spanEnd + len, to: n)
                        : stops ? ByteScan.firstControlNonASCIIDoubleSpaceOrMarkup(in: b, from: spanEnd + len, to: n)
                        : ByteScan.firstControlNonASCIIOrDoubleSpace(in: b, from: spanEnd + len, to: n)
                }
                var e = spanEnd
                while b[e - 1] == 0x20 { e -= 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<e]))
                if e < spanEnd { pendingSpace = true }
                i = spanEnd
                continue
            }
            if c < 0x80 {
                if stops && c == 0x0D { return i }
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) {
                    pendingSpace = true
                } else {
                    if pendingSpace || pendingBreaks > 0 || pendingCell || out.isEmpty { emitPending() }
                    out.append(c)
                }
                i += 1
                continue
            }
            let len: Int
            var v: UInt32
            if c & 0xE0 == 0xC0 { len = 2; v = UInt32(c & 0x1F) } else if c & 0xF0 == 0xE0 { len = 3; v = UInt32(c & 0x0F) } else if c & 0xF8 == 0xF0 { len = 4; v = UInt32(c & 0x07) } else { return nil }
            guard i + len <= n else { return nil }
            for k in 1..<len {
                let x = b[i + k]
                guard x & 0xC0 == 0x80 else { return nil }
                v = (v << 6) | UInt32(x & 0x3F)
            }
            if TextBuilder.isWhitespace(v) {
                pendingSpace = true
            } else {
                emitPending()
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + len)]))
            }
            i += len
        }
        return i
    }

    mutating func addScalar(_ v: UInt32) {
        if TextBuilder.isWhitespace(v) {
            pendingSpace = true
            return
        }
        emitPending()
        // UTF-8 written byte by byte (the generic append of `UTF8.encode` was most of it).
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0xD800, 0xE000..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x10000...0x10FFFF:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            // Not a scalar (a surrogate or beyond U+10FFFF): nothing, as before.
            return
        }
    }

    mutating func emitPending() {
        if out.isEmpty {
            pendingBreaks = 0
            pendingSpace = false
            pendingCell = false
            return
        }
        if pendingBreaks > 0 {
            while let l = out.last, l == 0x20 || l == 0x09 { out.removeLast() }
            var existing = 0
            var k = out.count - 1
            while k >= 0, out[k] == 0x0A { existing += 1; k -= 1 }
            if existing < pendingBreaks { for _ in existing..<pendingBreaks { out.append(0x0A) } }
        } else if pendingCell {
            out.append(0x09)
        } else if pendingSpace, let l = out.last, l != 0x20, l != 0x0A, l != 0x09 {
            out.append(0x20)
        }
        pendingBreaks = 0
        pendingSpace = false
        pendingCell = false
    }

    mutating func newline() {
        if out.isEmpty { return }
        while out.last == 0x20 { out.removeLast() }
        if pendingBreaks > 0 {
            for _ in 0..<pendingBreaks { out.append(0x0A) }
            pendingBreaks = 0
        }
        var trailing = 0
        var k = out.count - 1
        while k >= 0, out[k] == 0x0A { trailing += 1; k -= 1 }
        if trailing < 2 { out.append(0x0A) }
        pendingSpace = false
    }

    mutating func lineBreak() { pendingBreaks = max(pendingBreaks, 1) }
    mutating func paragraph() { pendingBreaks = 2 }
    mutating func cell() { pendingCell = true }

    /// Lines with trailing blanks removed, no empty lines at either end. `validUTF8`: the text
    /// was added from valid UTF-8 (see `FastHTML.process`). Joins the lines in place.
    mutating func result(validUTF8: Bool = false) -> String {
        let count = out.count
        return out.withUnsafeMutableBufferPointer { u -> String in
            guard let p = u.baseAddress, count > 0 else { return "" }
            if memchr(p, 0x0A, count) == nil {
                var end = count
                while end > 0, p[end - 1] == 0x20 || p[end - 1] == 0x09 { end -= 1 }
                return UTF8Text.string(UnsafeBufferPointer(start: p, count: end), valid: validUTF8)
            }
            // Each line without its trailing blanks, moved down over what was dropped; the
            // empty lines between two lines with text kept, those before the first and after
            // the last dropped. What is written never passes what is read.
            var n = 0
            var gap = 0
            var start = 0
            while start <= count {
                var end = count
                if start < count, let hit = memchr(p + start, 0x0A, count - start) {
                    end = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(hit))
                }
                var trimmed = end
                while trimmed > start, p[trimmed - 1] == 0x20 || p[trimmed - 1] == 0x09 { trimmed -= 1 }
                if trimmed > start {
                    if n > 0 {
                        for _ in 0...gap {
                            p[n] = 0x0A
                            n += 1
                        }
                    }
                    if n != start { memmove(p + n, p + start, trimmed - start) }
                    n += trimmed - start
                    gap = 0
                } else if n > 0 {
                    gap += 1
                }
                start = end + 1
            }
            return UTF8Text.string(UnsafeBufferPointer(start: p, count: n), valid: validUTF8)
        }
    }
}

/// Strings from UTF-8 bytes.
enum UTF8Text {
    /// `String(decoding: u, as: UTF8.self)`; with `valid`, the caller vouches that `u` is valid
    /// UTF-8 (built from a document `FastXMLScanner.validUTF8` accepted, cut only at ASCII
    /// bytes), and the bytes are copied without checking them again (checked in debug builds).
    @inline(__always)
    static func string(_ u: UnsafeBufferPointer<UInt8>, valid: Bool) -> String {
        guard valid, u.count > 0 else { return String(decoding: u, as: UTF8.self) }
        assert(FastXMLScanner.validUTF8(u, xmlChars: false), "UTF8Text.string: bytes vouched for are not UTF-8")
        return String(copying: UTF8Span(unchecked: Span(_unsafeElements: u)))
    }
}
