/// The last word on sanitised HTML: markup is read with `HTML5Tokenizer` (as a browser's
/// tokeniser reads it), and only allow-listed elements and attributes are written back, by
/// this pass, from the tokens — never raw input that did not tokenise.
///
/// - Elements: `allowedElements` (feedparser's list without `noscript`); everything else is
///   dropped with its tags. `script`, `style`, `template`, `iframe`, `object`, `embed`,
///   `applet`, `noscript`, `noembed`, `noframes`, `xmp`, `frameset` are dropped with their
///   content; inside `svg` and `math` every element is dropped and only the text is kept.
/// - Attributes: `allowedAttributes` (feedparser's list without `action`); `on*`, `formaction`,
///   `xlink:href` and every other name are dropped. `style` is kept only as
///   `CSSSanitizer` rewrites it. URL attributes (`urlAttributes`) are decoded, stripped of
///   ASCII white space and control characters anywhere, and kept only as relative URLs or
///   with the scheme `http`, `https` or `mailto`; any other value becomes `""`.
/// - Text is escaped (`<` as `&lt;`, a bare `&` as `&amp;`; references a browser decodes the
///   same way are kept as written); attribute values are written decoded and escaped, in
///   double quotes. Comments are dropped unless their text holds none of `<`, `>`, `--`, `!`.
/// - Open elements are closed in order at the end; an end tag without an open element is
///   dropped; nesting is limited to `maxDepth` (deeper start tags are dropped).
enum HTMLAllowList {
    static let maxDepth = 256

    static let allowedElements: Set<String> = HTMLSanitizer.acceptableElements.subtracting(["noscript"])
    static let allowedAttributes: Set<String> = HTMLSanitizer.acceptableAttributes.subtracting(["action"])

    /// Dropped with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "template", "iframe", "object", "embed", "applet", "noscript", "noembed", "noframes",
        "xmp", "frameset",
    ]
    /// Dropped, with the elements inside them; their text is kept.
    static let foreign: Set<String> = ["svg", "math"]

    /// Attributes whose value is a URL (some only in old browsers).
    static let urlAttributes: Set<String> = [
        "href", "src", "cite", "action", "formaction", "background", "poster", "lowsrc", "dynsrc", "longdesc",
        "usemap", "data", "codebase", "classid", "profile", "icon", "manifest", "ping", "datasrc", "vrml", "urn",
        "archive", "srcset", "xlink:href", "xml:base",
    ]

    /// Elements without an end tag: HTML's void elements and the sanitiser's own list.
    static func isVoid(_ tag: String) -> Bool {
        if HTMLSanitizer.isVoidElement(tag) { return true }
        switch tag {
        case "bgsound", "image": return true
        default: return false
        }
    }

    /// `html` with only allow-listed markup, re-serialised from its tokens.
    static func clean(_ html: String) -> String {
        var html = html
        return html.withUTF8 { u -> String in
            var out: [UInt8] = []
            out.reserveCapacity(u.count + 16)
            clean(u, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func clean(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var t = HTML5Tokenizer(u)
        var open: [String] = []
        // Inside an element dropped with its content: its name and nesting.
        var dropping: String?
        var dropNesting = 0
        var foreignDepth = 0
        while let token = t.next() {
            switch token {
            case .text(let r, let references):
                if dropping != nil { continue }
                HTML5Tokenizer.appendText(u, r, references: references, to: &out)
            case .startTag(let name, let attributes, let selfClosing):
                if let d = dropping {
                    if name == d && !selfClosing { dropNesting += 1 }
                    continue
                }
                if droppedWithContent.contains(name) {
                    if foreignDepth == 0, let model = HTML5Tokenizer.contentModel(after: name) {
                        // Raw text content: one text token, then the end tag.
                        t.switchTo(model, after: name)
                        dropping = name
                        dropNesting = 1
                    } else if !isVoid(name) && !(selfClosing && foreignDepth > 0) {
                        dropping = name
                        dropNesting = 1
                    }
                    continue
                }
                if foreign.contains(name) {
                    if !selfClosing { foreignDepth += 1 }
                    continue
                }
                if foreignDepth > 0 { continue }
                if let model = HTML5Tokenizer.contentModel(after: name) {
                    // title, textarea, plaintext: the content is text.
                    t.switchTo(model, after: name)
                }
                guard allowedElements.contains(name) else { continue }
                let void = isVoid(name)
                if !void && open.count >= maxDepth { continue }
                appendStartTag(name, attributes, to: &out)
                if !void { open.append(name) }
            case .endTag(let name):
                if let d = dropping {
                    if name == d {
                        dropNesting -= 1
                        if dropNesting == 0 { dropping = nil }
                    }
                    continue
                }
                if foreign.contains(name) {
                    if foreignDepth > 0 { foreignDepth -= 1 }
                    continue
                }
                if foreignDepth > 0 { continue }
                guard let index = open.lastIndex(of: name) else { continue }
                while open.count > index {
                    appendEndTag(open.removeLast(), to: &out)
                }
            case .comment(let text):
                if dropping != nil || foreignDepth > 0 { continue }
                if isInertComment(text) {
                    out.append(contentsOf: "<!--".utf8)
                    out.append(contentsOf: text.utf8)
                    out.append(contentsOf: "-->".utf8)
                }
            case .doctype, .nothing:
                continue
            }
        }
        while let name = open.popLast() { appendEndTag(name, to: &out) }
    }

    /// A comment whose text cannot end it early or be read another way: no `<`, `>`, `--`
    /// or `!`, and no `-` at either end.
    static func isInertComment(_ text: String) -> Bool {
        for c in text.utf8 where c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "!") || c == 0 {
            return false
        }
        if text.utf8.first == UInt8(ascii: "-") || text.utf8.last == UInt8(ascii: "-") { return false }
        return !text.contains("--")
    }

    private static func appendStartTag(_ name: String, _ attributes: [HTML5Tokenizer.Attribute], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for a in attributes {
            guard let value = allowedValue(a.name, a.value) else { continue }
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: a.name.utf8)
            out.append(contentsOf: "=\"".utf8)
            HTML5Tokenizer.appendAttributeValue(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: isVoid(name) ? " />".utf8 : ">".utf8)
    }

    private static func appendEndTag(_ name: String, to out: inout [UInt8]) {
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    /// The value an allowed attribute is written with, or nil when it is dropped.
    static func allowedValue(_ name: String, _ value: String) -> String? {
        if name == "style" {
            let clean = CSSSanitizer.sanitize(value, svg: false)
            return clean.isEmpty ? nil : clean
        }
        guard allowedAttributes.contains(name) else { return nil }
        if urlAttributes.contains(name) { return isSafeURL(value) ? value : "" }
        return value
    }

    /// Whether a decoded URL attribute value is relative or uses http, https or mailto. ASCII
    /// white space and control characters are removed everywhere first (browsers drop some of
    /// them inside a scheme and at both ends), so `jav\tascript:` and `\u{1}javascript:` are
    /// judged as `javascript:`. A `:` before any `/`, `?` or `#` makes what precedes it the
    /// scheme, whatever its characters; an `&` there (an undecoded reference) is refused.
    static func isSafeURL(_ value: String) -> Bool {
        var scheme: [UInt8] = []
        for c in value.utf8 {
            if c <= 0x20 || c == 0x7F { continue }
            if c == UInt8(ascii: ":") {
                let s = String(decoding: scheme, as: UTF8.self).lowercased()
                return s == "http" || s == "https" || s == "mailto"
            }
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == UInt8(ascii: "\\") { return true }
            // A reference left undecoded where a scheme could be (`javascript&colon;`, an
            // HTML5 name this reader does not know) is not given the benefit of the doubt.
            if c == UInt8(ascii: "&") { return false }
            scheme.append(c)
        }
        return true
    }

    // MARK: - Checking

    /// What in `html` could run script or load a non-http(s) URL when a browser reads it:
    /// each finding described. Empty for the sanitiser's output. Reads `html` with the same
    /// tokeniser: a `script`/`svg`/`math`/`iframe`/`object`/`embed`/… element, an element
    /// outside the allow-list, an `on*`, `formaction`, `xlink:href` or unknown attribute, a
    /// URL attribute whose decoded value has a scheme other than http, https or mailto, a
    /// style `CSSSanitizer` would change.
    static func dangers(_ html: String) -> [String] {
        var html = html
        return html.withUTF8 { u -> [String] in
            var found: [String] = []
            var t = HTML5Tokenizer(u)
            while let token = t.next() {
                guard case .startTag(let name, let attributes, _) = token else { continue }
                if let model = HTML5Tokenizer.contentModel(after: name) { t.switchTo(model, after: name) }
                if !allowedElements.contains(name) { found.append("element <\(name)>") }
                for a in attributes {
                    if a.name.hasPrefix("on") { found.append("event handler \(a.name) on <\(name)>") }
                    if a.name == "style" {
                        if CSSSanitizer.sanitize(a.value, svg: false) != a.value { found.append("unsanitised style on <\(name)>") }
                        continue
                    }
                    if !allowedAttributes.contains(a.name) { found.append("attribute \(a.name) on <\(name)>") }
                    if urlAttributes.contains(a.name) {
                        let squeezed = String(decoding: a.value.utf8.filter { $0 > 0x20 && $0 != 0x7F }, as: UTF8.self).lowercased()
                        for bad in ["javascript:", "vbscript:", "data:", "livescript:"] where squeezed.hasPrefix(bad) {
                            found.append("\(bad) URL in \(a.name) on <\(name)>")
                        }
                        if !isSafeURL(a.value) {
                            found.append("URL scheme in \(a.name)=\"\(a.value)\" on <\(name)>")
                        }
                    }
                }
            }
            return found
        }
    }
}
