/// Turns XML events into feedparser's result dictionaries.
///
/// A port of the behaviour of feedparser's `XMLParserMixin` and its namespace handlers: the
/// same element-to-key mapping, content detail rules, author/tag/link handling and quirks, so
/// that the result matches what feedparser's users and tests expect. Events come from the
/// libxml2 SAX driver (`XMLEventSource`) with element names already resolved to feedparser's
/// `prefix:localname` form.
final class FeedBuilder {
    struct Frame {
        var element: String
        var expectingText: Bool
        var pieces: [String] = []
        /// Where this frame's text not yet made a piece starts in `textBuffer`: only the top
        /// frame receives text, so the frames' pending texts are stacked in one buffer.
        var pendingStart: Int
        var size = 0
    }

    struct ContentParams {
        var active = false
        var type: String?
        var language: String?
        var base: String?
        var base64 = false
        var src: String?

        mutating func clear() { self = ContentParams() }

        func node(value: String) -> Node {
            let n = Node(capacity: 5)
            if let type { n.storage["type"] = .string(type) }
            if active { n.storage["language"] = .optional(language) }
            if active { n.storage["base"] = .optional(base) }
            if let src { n.storage["src"] = .string(src) }
            n.storage["value"] = .string(value)
            return n
        }
    }

    /// A resolved element name: the full lowercased tag, and the handler key split.
    struct Tag {
        let tag: String
        let prefix: String  // canonical prefix, "" for the default vocabulary
        let suffix: String
        let key: String  // prefix_suffix or suffix
        let handler: Handler?
        /// An unprefixed start tag other than these leaves a text input / an image.
        let keepsTextInput: Bool
        let keepsImage: Bool
        let isSVG: Bool
    }

    static let maxTextBytes = 1 << 20

    let feeddata = Node()
    var entries: [Node] = []
    var version = ""
    var namespacesInUse: [String: String] = [:]
    var namespaceMap: [String: String] = [:]
    var encoding = "utf-8"
    var resolveRelativeURIs = true
    var sanitizeHTML = true

    var infeed = false, inentry = false, incontent = 0, intextinput = false, inimage = false
    var inauthor = false, incontributor = false, inpublisher = false, insource = false
    var sourcedata = Node()
    var contentparams = ContentParams()
    var summaryKey: String?
    var elementstack: [Frame] = []
    /// The pending text of every open frame, the top frame's last (see `Frame.pendingStart`).
    var textBuffer: [UInt8] = []
    var basestack: [String] = []
    var langstack: [String?] = []
    var svgOK = 0
    var titleDepth = -1
    var depth = 0
    var hasContent = false
    var entryDepthMap = KeyedPairs<Int>()
    var guidislink = false
    var isentrylink = false
    var baseuri = ""
    var lang: String?
    var pscChaptersFlag = false
    var ingeometry = 0  // 0 none, 1 point, 2 linestring, 3 polygon
    var truncatedText = false
    /// The last xml:base resolution (base, relative → result), reused while they repeat.
    private var lastBaseIn = "", lastBaseRelative = "", lastBaseOut = ""
    /// Bumped when the namespace map changes, so cached tag resolutions are redone.
    var namespaceGeneration = 0

    init(baseuri: String = "", lang: String? = nil) {
        self.baseuri = baseuri
        self.lang = lang
        if let lang, !lang.isEmpty { feeddata["language"] = .string(lang.replacingAll("_", with: "-")) }
    }

    // MARK: - Tag resolution

    func resolve(tag: String) -> Tag {
        var prefix = ""
        var suffix = tag
        if let colon = tag.firstIndex(of: ":") {
            prefix = String(tag[..<colon])
            suffix = String(tag[tag.index(after: colon)...])
        }
        prefix = namespaceMap[prefix] ?? prefix
        let key = prefix.isEmpty ? suffix : prefix.lowercased() + "_" + suffix
        let keepsTextInput: Bool
        switch tag {
        case "title", "link", "description", "name": keepsTextInput = true
        default: keepsTextInput = !prefix.isEmpty
        }
        let keepsImage: Bool
        switch tag {
        case "title", "link", "description", "url", "href", "width", "height": keepsImage = true
        default: keepsImage = !prefix.isEmpty
        }
        return Tag(
            tag: tag, prefix: prefix, suffix: suffix, key: key, handler: Handler.byName[key],
            keepsTextInput: keepsTextInput, keepsImage: keepsImage, isSVG: suffix == "svg")
    }

    func trackNamespace(prefix: String?, uri: String) {
        var uri = uri
        var loweruri = uri.lowercased()
        if version.isEmpty {
            if prefix == nil && loweruri == "http://my.netscape.com/rdf/simple/0.9/" {
                version = "rss090"
            } else if loweruri == "http://purl.org/rss/1.0/" {
                version = "rss10"
            } else if loweruri == "http://www.w3.org/2005/atom" {
                version = "atom10"
            }
        }
        if loweruri.contains("backend.userland.com/rss") {
            uri = "http://backend.userland.com/rss"
            loweruri = uri
        }
        if let known = KnownNamespaces.prefixes[loweruri] {
            if let prefix {
                if namespaceMap[prefix] != known {
                    namespaceMap[prefix] = known
                    namespaceGeneration &+= 1
                }
            }
            namespacesInUse[known] = uri
        } else {
            namespacesInUse[prefix ?? ""] = uri
        }
    }

    // MARK: - Events

    func startElement(_ t: Tag, attrs inAttrs: [(String, String)]) {
        depth += 1
        var attrs = inAttrs.map { normalizeAttribute($0) }
        var attrsD = AttrDict(attrs)

        // xml:base and xml:lang
        let declaredBase = attrsD["xml:base"] ?? attrsD["base"]
        let newBase = (declaredBase?.isEmpty == false ? declaredBase : nil) ?? baseuri
        if baseuri == lastBaseIn && newBase == lastBaseRelative {
            // Most elements declare no xml:base: the same pure resolution as the last element's.
            baseuri = lastBaseOut
        } else {
            lastBaseIn = baseuri
            lastBaseRelative = newBase
            if !baseuri.isEmpty {
                let safe = URLResolver.makeSafeAbsolute(base: baseuri, relative: newBase)
                baseuri = safe.isEmpty ? baseuri : safe
            } else {
                baseuri = URLResolver.join(baseuri, newBase)
            }
            lastBaseOut = baseuri
        }
        var newLang = attrsD["xml:lang"] ?? attrsD["lang"]
        if newLang == "" {
            newLang = nil
        } else if newLang == nil {
            newLang = lang
        }
        if let newLang, !newLang.isEmpty, t.tag == "feed" || t.tag == "rss" || t.tag == "rdf:RDF" {
            feeddata["language"] = .string(newLang.replacingAll("_", with: "-"))
        }
        lang = newLang
        basestack.append(baseuri)
        langstack.append(newLang)

        // inline content
        if incontent > 0 && !(contentparams.type ?? "xml").hasSuffix("xml") {
            if t.tag == "xhtml:div" || t.tag == "div" { return }
            contentparams.type = "application/xhtml+xml"
        }
        if incontent > 0 && FeedBuilder.isXHTML(contentparams.type) {
            var local = t.tag
            if let colon = t.tag.firstIndex(of: ":") {
                let pfx = String(t.tag[..<colon])
                local = String(t.tag[t.tag.index(after: colon)...])
                let ns = namespacesInUse[pfx] ?? ""
                if local == "math" && ns == "http://www.w3.org/1998/Math/MathML" { attrs.append(("xmlns", ns)) }
                if local == "svg" && ns == "http://www.w3.org/2000/svg" { attrs.append(("xmlns", ns)) }
            }
            if local == "svg" { svgOK += 1 }
            handleMarkup("<" + local + FeedBuilder.strattrs(attrs) + ">")
            return
        }

        if !t.keepsTextInput { intextinput = false }
        if !t.keepsImage { inimage = false }

        if let h = t.handler, h.hasStart {
            start(h, &attrsD)
        } else if attrsD.isEmpty {
            push(t.key, expectingText: true)
        } else {
            context()[t.key] = .dict(attrsD.node())
        }
    }

    func endElement(_ t: Tag) {
        if t.isSVG && svgOK > 0 { svgOK -= 1 }
        if svgOK == 0, let h = t.handler, h.hasEnd {
            end(h)
        } else {
            _ = pop(t.key)
        }

        if incontent > 0 && !(contentparams.type ?? "xml").hasSuffix("xml") {
            if t.tag == "xhtml:div" || t.tag == "div" { return }
            contentparams.type = "application/xhtml+xml"
        }
        if incontent > 0 && FeedBuilder.isXHTML(contentparams.type) {
            let local = t.tag.split(separator: ":").last.map(String.init) ?? t.tag
            handleMarkup("</" + local + ">")
        }

        if !basestack.isEmpty {
            basestack.removeLast()
            if let last = basestack.last, !last.isEmpty { baseuri = last }
        }
        if !langstack.isEmpty {
            langstack.removeLast()
            if let last = langstack.last { lang = last }
        }
        depth -= 1
    }

    /// Character data, already decoded from entities.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !elementstack.isEmpty else { return }
        let last = elementstack.count - 1
        if elementstack[last].size + bytes.count > FeedBuilder.maxTextBytes {
            truncatedText = true
            return
        }
        elementstack[last].size += bytes.count
        if FeedBuilder.isXHTML(contentparams.type) {
            for b in bytes {
                switch b {
                case UInt8(ascii: "&"): textBuffer.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): textBuffer.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): textBuffer.append(contentsOf: "&gt;".utf8)
                default: textBuffer.append(b)
                }
            }
        } else {
            textBuffer.append(contentsOf: bytes)
        }
    }

    func characters(_ s: String) {
        var s = s
        s.withUTF8 { characters($0) }
    }

    private func handleMarkup(_ s: String) {
        guard !elementstack.isEmpty else { return }
        appendPiece(s)
    }

    private func appendPiece(_ s: String) {
        let last = elementstack.count - 1
        let start = elementstack[last].pendingStart
        if textBuffer.count > start {
            elementstack[last].pieces.append(String(decoding: textBuffer[start...], as: UTF8.self))
            textBuffer.removeSubrange(start...)
        }
        elementstack[last].pieces.append(s)
    }

    private func normalizeAttribute(_ kv: (String, String)) -> (String, String) {
        let k = kv.0.lowercased()
        return (k, (k == "rel" || k == "type") ? kv.1.lowercased() : kv.1)
    }

    static func strattrs(_ attrs: [(String, String)]) -> String {
        var out = ""
        for (k, v) in attrs {
            out += " " + k + "=\""
            for c in v.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.unicodeScalars.append(c)
                }
            }
            out += "\""
        }
        return out
    }

    // MARK: - Stack

    func push(_ element: String, expectingText: Bool) {
        elementstack.append(Frame(element: element, expectingText: expectingText, pendingStart: textBuffer.count))
    }

    @discardableResult
    func pop(_ element: String, stripWhitespace: Bool = true) -> String? {
        guard let top = elementstack.last, top.element == element else { return nil }
        elementstack.removeLast()
        var pending: String?
        if textBuffer.count > top.pendingStart {
            pending = String(decoding: textBuffer[top.pendingStart...], as: UTF8.self)
            textBuffer.removeSubrange(top.pendingStart...)
        }
        let atomXHTML = version == "atom10" && (contentparams.type ?? "text") == "application/xhtml+xml"
        var output: String
        if top.pieces.isEmpty && !atomXHTML {
            output = pending ?? ""
        } else {
            output = FeedBuilder.joinPieces(top.pieces, pending, atomXHTML: atomXHTML)
        }
        if stripWhitespace { output = output.pythonStripped() }
        return finishPop(element, output, expectingText: top.expectingText)
    }

    /// The frame's text pieces joined; atom 1.0 XHTML content loses its wrapping `<div>`.
    private static func joinPieces(_ framePieces: [String], _ pending: String?, atomXHTML: Bool) -> String {
        var pieces = framePieces
        if let pending { pieces.append(pending) }
        if atomXHTML {
            while pieces.count > 1, pieces[pieces.count - 1].isPythonBlank { pieces.removeLast() }
            while pieces.count > 1, pieces[0].isPythonBlank { pieces.removeFirst() }
            if let first = pieces.first, first == "<div>" || first.hasPrefix("<div "), pieces.last == "</div>" {
                var d = 0
                var broke = false
                for piece in pieces.dropLast() {
                    if piece.hasPrefix("</") {
                        d -= 1
                        if d == 0 { broke = true; break }
                    } else if piece.hasPrefix("<") && !piece.hasSuffix("/>") {
                        d += 1
                    }
                }
                if !broke { pieces = Array(pieces.dropFirst().dropLast()) }
            }
        }

        return pieces.count == 1 ? pieces[0] : pieces.joined()
    }

    private func finishPop(_ element: String, _ text: String, expectingText: Bool) -> String? {
        var output = text
        if !expectingText { return output }

        if contentparams.base64 {
            if let decoded = Base64.decode(output), let text = String(validating: decoded, as: UTF8.self) {
                output = text
            }
        }

        if FeedBuilder.canBeRelativeURI(element) && !output.isEmpty {
            if element != "id" || guidislink { output = resolveURI(output) }
        }

        // Only the atom versions start with "a".
        if version.utf8.first != UInt8(ascii: "a") && contentparams.type == "text/plain" {
            if HTMLSanitizer.looksLikeHTML(output) { contentparams.type = "text/html" }
        }
        contentparams.base64 = false

        let htmlType = contentparams.type ?? "text/html"
        let isHTMLish = FeedBuilder.isHTMLType(FeedBuilder.mapContentType(htmlType))
        if isHTMLish && FeedBuilder.canContainMarkup(element) && (output.utf8.contains(UInt8(ascii: "<")) || output.utf8.contains(UInt8(ascii: "&"))) {
            if resolveRelativeURIs && sanitizeHTML {
                output = HTMLSanitizer.resolveAndSanitize(output, base: baseuri, type: htmlType)
            } else if resolveRelativeURIs {
                output = HTMLSanitizer.resolveRelativeURIs(output, base: baseuri, type: htmlType)
            } else if sanitizeHTML {
                output = HTMLSanitizer.sanitize(output, type: htmlType)
            }
        }

        if !output.isASCIIBytes {
            if encoding == "utf-8" { output = output.undoingDoubleEncoding() }
            output = output.mappingCP1252Controls()
        }

        if element == "category" || element == "tags" || element == "itunes_keywords" { return output }
        if element == "title" && -1 < titleDepth && titleDepth <= depth { return output }

        if inentry && !insource {
            guard let entry = entries.last else { return output }
            if element == "content" {
                entry.listDefault("content").items.append(.dict(contentparams.node(value: output)))
            } else if element == "link" {
                if !inimage {
                    var fixed = output.replacingAll("&amp;", with: "&")
                    fixed = FeedBuilder.fixQueryEntities(fixed)
                    entry["link"] = .string(fixed)
                    if !fixed.isEmpty, let last = entry.list("links")?.lastNode { last["href"] = .string(fixed) }
                }
            } else {
                let key = element == "description" ? "summary" : element
                let old = entryDepthMap[key]
                if old == nil || depth <= old! {
                    entryDepthMap[key] = depth
                    entry[key] = .string(output)
                }
                if incontent > 0 {
                    entry[key + "_detail"] = .dict(contentparams.node(value: output))
                }
            }
        } else if infeed || insource {
            let ctx = context()
            let key = element == "description" ? "subtitle" : element
            ctx[key] = .string(output)
            if key == "link" {
                let fixed = FeedBuilder.fixQueryEntities(output)
                ctx[key] = .string(fixed)
                if let last = ctx.list("links")?.lastNode { last["href"] = .string(fixed) }
            } else if incontent > 0 {
                ctx[key + "_detail"] = .dict(contentparams.node(value: output))
            }
        }
        return output
    }

    /// `&name;` left in a URL by double escaping becomes `&name` (feedparser's query fix).
    static func fixQueryEntities(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            var j = rest.index(after: amp)
            while j < rest.endIndex, let a = rest[j].asciiValue, a.isASCIIWordByte { j = rest.index(after: j) }
            if j > rest.index(after: amp), j < rest.endIndex, rest[j] == ";" {
                out += rest[amp..<j]
                rest = rest[rest.index(after: j)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        out += rest
        return out
    }

    func pushContent(_ tag: String, _ attrsD: AttrDict, defaultType: String, expectingText: Bool) {
        incontent += 1
        if let l = lang { lang = l.replacingAll("_", with: "-") }
        contentparams = ContentParams(
            active: true, type: FeedBuilder.mapContentType(attrsD["type"] ?? defaultType), language: lang, base: baseuri)
        contentparams.base64 = isBase64(attrsD)
        push(tag, expectingText: expectingText)
    }

    @discardableResult
    func popContent(_ tag: String) -> String? {
        let value = pop(tag)
        incontent -= 1
        contentparams.clear()
        return value
    }

    private func isBase64(_ attrsD: AttrDict) -> Bool {
        if attrsD["mode"] == "base64" { return true }
        let t = contentparams.type ?? ""
        if t.hasPrefix("text/") || t.hasSuffix("+xml") || t.hasSuffix("/xml") { return false }
        return true
    }

    /// `type == "application/xhtml+xml"`, the length compared first.
    @inline(__always)
    static func isXHTML(_ type: String?) -> Bool {
        guard let type, type.utf8.count == 21 else { return false }
        return type == "application/xhtml+xml"
    }

    static func mapContentType(_ type: String) -> String {
        // The types the builder itself sets come back unchanged.
        switch type.utf8.count {
        case 9: if type == "text/html" { return type }
        case 10: if type == "text/plain" { return type }
        case 21: if type == "application/xhtml+xml" { return type }
        default: break
        }
        // Most types are already lowercase; lowercased() would copy the longer ones.
        let t = type.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 })
            ? type.lowercased() : type
        switch t {
        case "text", "plain": return "text/plain"
        case "html": return "text/html"
        case "xhtml": return "application/xhtml+xml"
        default: return t
        }
    }

    /// Room reserved in a new entry's dictionary: a typical entry's keys (title, title_detail,
    /// link, links, id, guidislink, published, published_parsed, authors, author, author_detail,
    /// tags, summary, summary_detail, content) fit without a rehash.
    static let entryKeyCapacity = 20

    // Membership tests on a few short strings: a switch compares, a Set would hash every time.
    static func isHTMLType(_ s: String) -> Bool {
        let n = s.utf8.count
        guard n == 9 || n == 21 else { return false }
        switch s {
        case "application/xhtml+xml", "text/html": return true
        default: return false
        }
    }

    static func canBeRelativeURI(_ s: String) -> Bool {
        // Every name below starts with c, d, h, i, l, u or w: most elements skip the comparisons.
        switch s.utf8.first {
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "i"), UInt8(ascii: "l"),
             UInt8(ascii: "u"), UInt8(ascii: "w"):
            break
        default:
            return false
        }
        switch s {
        case "comments", "docs", "href", "icon", "id", "link", "logo", "url", "wfw_comment", "wfw_commentrss":
            return true
        default: return false
        }
    }

    static func canContainMarkup(_ s: String) -> Bool {
        switch s.utf8.first {
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "i"), UInt8(ascii: "r"), UInt8(ascii: "s"),
             UInt8(ascii: "t"):
            break
        default:
            return false
        }
        switch s {
        case "content", "copyright", "description", "info", "rights", "subtitle", "summary", "tagline", "title":
            return true
        default: return false
        }
    }

    func resolveURI(_ uri: String) -> String { URLResolver.join(baseuri, uri) }

    // MARK: - Contexts

    func context() -> Node {
        if insource { return sourcedata }
        if inimage, let image = feeddata.node("image") { return image }
        if intextinput { return feeddata.nodeDefault("textinput") }
        if inentry, let entry = entries.last { return entry }
        return feeddata
    }

    func save(_ key: String, _ value: Item, overwrite: Bool = false) {
        let ctx = context()
        if overwrite { ctx[key] = value } else { ctx.setDefault(key, value) }
    }

    func saveAuthor(_ key: String, _ value: String?, prefix: String = "author") {
        let ctx = context()
        let detail = ctx.nodeDefault(prefix + "_detail")
        detail[key] = .optional(value)
        syncAuthorDetail(prefix)
        let list = ctx.list(prefix + "s") ?? {
            let l = NodeList([.dict(Node())])
            ctx[prefix + "s"] = .list(l)
            return l
        }()
        if list.items.isEmpty { list.items.append(.dict(Node())) }
        list.lastNode?[key] = .optional(value)
    }

    func saveContributor(_ key: String, _ value: String?) {
        let ctx = context()
        let list = ctx.list("contributors") ?? {
            let l = NodeList([.dict(Node())])
            ctx["contributors"] = .list(l)
            return l
        }()
        if list.items.isEmpty { list.items.append(.dict(Node())) }
        list.lastNode?[key] = .optional(value)
    }

    func syncAuthorDetail(_ key: String = "author") {
        let ctx = context()
        let detail = ctx.list(key + "s")?.lastNode
        if let detail, !detail.isEmpty {
            let name = detail.string("name")
            let email = detail.string("email")
            if let name, !name.isEmpty, let email, !email.isEmpty {
                ctx[key] = .string("\(name) (\(email))")
            } else if let name, !name.isEmpty {
                ctx[key] = .string(name)
            } else if let email, !email.isEmpty {
                ctx[key] = .string(email)
            }
        } else {
            guard var author = ctx.string(key), !author.isEmpty else { return }
            var email: String?
            if let match = AuthorParsing.findEmail(in: author) {
                email = match
                author = AuthorParsing.nameWithout(email: match, in: author)
            }
            let target: Node
            if !author.isEmpty || email != nil {
                let detailKey = key == "author" ? "author_detail" : key + "_detail"
                if let existing = ctx.node(detailKey) {
                    target = existing
                } else {
                    target = detail ?? Node()
                    ctx[detailKey] = .dict(target)
                }
            } else {
                return
            }
            if !author.isEmpty { target["name"] = .string(author) }
            if let email { target["email"] = .string(email) }
        }
    }

    func addTag(_ term: String?, _ scheme: String?, _ label: String?) {
        let ctx = context()
        let tags = ctx.listDefault("tags")
        if (term ?? "").isEmpty && (scheme ?? "").isEmpty && (label ?? "").isEmpty { return }
        for case .dict(let t) in tags.items {
            if t.string("term") == term && t.string("scheme") == scheme && t.string("label") == label { return }
        }
        tags.items.append(.dict(Node([("term", .optional(term)), ("scheme", .optional(scheme)), ("label", .optional(label))])))
    }

    private func enforceHref(_ attrsD: inout AttrDict) {
        if let href = attrsD["url"] ?? attrsD["uri"] ?? attrsD["href"], !href.isEmpty {
            attrsD["url"] = nil
            attrsD["uri"] = nil
            attrsD["href"] = href
        }
    }

    private func getAttribute(_ attrsD: AttrDict, _ name: String) -> String? {
        var name = name
        if let colon = name.firstIndex(of: ":") {
            let prefix = String(name[..<colon])
            let mapped = namespaceMap[prefix] ?? prefix
            name = mapped + name[colon...]
        }
        return attrsD[name]
    }

    private func appendToTop(_ s: String) {
        guard !elementstack.isEmpty else { return }
        appendPiece(s)
    }

    private func replaceTopText(_ s: String) {
        guard !elementstack.isEmpty else { return }
        let last = elementstack.count - 1
        elementstack[last].pieces = [s]
        if textBuffer.count > elementstack[last].pendingStart {
            textBuffer.removeSubrange(elementstack[last].pendingStart...)
        }
    }

    // MARK: - Handlers

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func start(_ h: Handler, _ a: inout AttrDict) {
        switch h {
        case .rss:
            if version.isEmpty || !version.hasPrefix("rss") {
                let v = a["version"] ?? ""
                switch v {
                case "0.91": version = "rss091u"
                case "0.92": version = "rss092"
                case "0.93": version = "rss093"
                case "0.94": version = "rss094"
                default: version = v.hasPrefix("2.") ? "rss20" : "rss"
                }
            }
        case .channel:
            infeed = true
            cdfCommon(a)
        case .feed:
            infeed = true
            if version.isEmpty {
                switch a["version"] {
                case "0.1": version = "atom01"
                case "0.2": version = "atom02"
                case "0.3": version = "atom03"
                default: version = "atom"
                }
            }
        case .image:
            let ctx = context()
            if !inentry { _ = ctx.nodeDefault("image") }
            inimage = true
            titleDepth = -1
            push("image", expectingText: false)
        case .textinput:
            _ = context().nodeDefault("textinput")
            intextinput = true
            titleDepth = -1
            push("textinput", expectingText: false)
        case .author:
            inauthor = true
            push("author", expectingText: true)
            context().listDefault("authors").items.append(.dict(Node()))
        case .contributor:
            incontributor = true
            context().listDefault("contributors").items.append(.dict(Node()))
            push("contributor", expectingText: false)
        case .name: push("name", expectingText: false)
        case .width: push("width", expectingText: false)
        case .height: push("height", expectingText: false)
        case .url: push("href", expectingText: true)
        case .email: push("email", expectingText: false)
        case .subtitle: pushContent("subtitle", a, defaultType: "text/plain", expectingText: true)
        case .rights: pushContent("rights", a, defaultType: "text/plain", expectingText: true)
        case .item:
            entries.append(Node(capacity: FeedBuilder.entryKeyCapacity))
            entryDepthMap.removeAll()
            push("item", expectingText: false)
            inentry = true
            guidislink = false
            titleDepth = -1
            if let id = getAttribute(a, "rdf:about"), !id.isEmpty { context()["id"] = .string(id) }
            cdfCommon(a)
        case .language: push("language", expectingText: true)
        case .webmaster: push("publisher", expectingText: true)
        case .published: push("published", expectingText: true)
        case .updated: push("updated", expectingText: true)
        case .created: push("created", expectingText: true)
        case .expirationdate: push("expired", expectingText: true)
        case .category:
            addTag(a["term"], a["scheme"] ?? a["domain"], a["label"])
            push("category", expectingText: true)
        case .cloud:
            context()["cloud"] = .dict(a.node())
        case .link:
            a.setDefault("rel", "alternate")
            if a["rel"] == "self" { a.setDefault("type", "application/atom+xml") } else { a.setDefault("type", "text/html") }
            let ctx = context()
            enforceHref(&a)
            if let href = a["href"] { a["href"] = resolveURI(href) }
            if a["rel"] == "alternate" && FeedBuilder.isHTMLType(FeedBuilder.mapContentType(a["type"] ?? "")) {
                isentrylink = true
            }
            let expecting = infeed || inentry || insource
            let links = ctx.listDefault("links")
            if !(inentry && inimage) { links.items.append(.dict(a.node())) }
            if let href = a["href"] {
                if isentrylink { ctx["link"] = .string(href) }
            } else {
                push("link", expectingText: expecting)
            }
        case .guid:
            guidislink = (a["ispermalink"] ?? "true") == "true"
            push("id", expectingText: true)
        case .title, .mediaTitle:
            pushContent("title", a, defaultType: "text/plain", expectingText: infeed || inentry || insource)
        case .description:
            let ctx = context()
            if ctx.has("summary") && !hasContent {
                summaryKey = "content"
                startContent(a)
            } else {
                pushContent("description", a, defaultType: "text/html", expectingText: infeed || inentry || insource)
            }
        case .abstract:
            pushContent("description", a, defaultType: "text/plain", expectingText: infeed || inentry || insource)
        case .info: pushContent("info", a, defaultType: "text/plain", expectingText: true)
        case .generator:
            if !a.isEmpty {
                enforceHref(&a)
                if let href = a["href"] { a["href"] = resolveURI(href) }
            }
            context()["generator_detail"] = .dict(a.node())
            push("generator", expectingText: true)
        case .summary:
            let ctx = context()
            if ctx.has("summary") && !hasContent {
                summaryKey = "content"
                startContent(a)
            } else {
                summaryKey = "summary"
                pushContent("summary", a, defaultType: "text/plain", expectingText: true)
            }
        case .enclosure:
            enforceHref(&a)
            a["rel"] = "enclosure"
            context().listDefault("links").items.append(.dict(a.node()))
        case .source:
            if let url = a["url"] { sourcedata["href"] = .string(url) }
            push("source", expectingText: true)
            insource = true
            titleDepth = -1
        case .content: startContent(a)
        case .body: pushContent("content", a, defaultType: "application/xhtml+xml", expectingText: true)
        case .contentEncoded:
            hasContent = true
            pushContent("content", a, defaultType: "text/html", expectingText: true)
        case .newlocation: push("newlocation", expectingText: true)
        case .tags: push("tags", expectingText: true)
        case .dctermsValid: push("validity", expectingText: true)
        case .dcContributor:
            incontributor = true
            context().listDefault("contributors").items.append(.dict(Node()))
            push("name", expectingText: false)
        case .itunesOwner:
            inpublisher = true
            push("publisher", expectingText: false)
        case .itunesCategory:
            addTag(a["text"], "http://www.itunes.com/", nil)
            push("category", expectingText: true)
        case .itunesImage:
            push("itunes_image", expectingText: false)
            if let href = a["href"], !href.isEmpty {
                context()["image"] = .dict(Node([("href", .string(href))]))
            } else if let url = a["url"], !url.isEmpty {
                context()["image"] = .dict(Node([("href", .string(url))]))
            }
        case .mediaCategory:
            a.setDefault("scheme", "http://search.yahoo.com/mrss/category_schema")
            addTag(a["term"], a["scheme"] ?? a["domain"], a["label"])
            push("category", expectingText: true)
        case .mediaGroup: break
        case .mediaRating:
            context().setDefault("media_rating", .dict(a.node()))
            push("rating", expectingText: true)
        case .mediaCredit:
            context().listDefault("media_credit").items.append(.dict(a.node()))
            push("credit", expectingText: true)
        case .mediaRestriction:
            context().setDefault("media_restriction", .dict(a.node()))
            push("restriction", expectingText: true)
        case .mediaLicense:
            context().setDefault("media_license", .dict(a.node()))
            push("license", expectingText: true)
        case .mediaContent:
            context().listDefault("media_content").items.append(.dict(a.node()))
        case .mediaThumbnail:
            let list = context().listDefault("media_thumbnail")
            push("url", expectingText: true)
            list.items.append(.dict(a.node()))
        case .mediaPlayer:
            push("media_player", expectingText: false)
            context()["media_player"] = .dict(a.node())
        case .adminGeneratorAgent:
            push("generator", expectingText: true)
            let value = getAttribute(a, "rdf:resource")
            if let value, !value.isEmpty { appendToTop(value) }
            pop("generator")
            context()["generator_detail"] = .dict(Node([("href", .optional(value))]))
        case .adminErrorReportsTo:
            push("errorreportsto", expectingText: true)
            if let value = getAttribute(a, "rdf:resource"), !value.isEmpty { appendToTop(value) }
            pop("errorreportsto")
        case .ccLicense:
            let ctx = context()
            let value = getAttribute(a, "rdf:resource")
            let n = Node([("rel", .string("license"))])
            if let value, !value.isEmpty { n["href"] = .string(value) }
            ctx.listDefault("links").items.append(.dict(n))
        case .creativeCommonsLicense: push("license", expectingText: true)
        case .pscChapters:
            let ctx = context()
            if !ctx.has("psc_chapters") {
                pscChaptersFlag = true
                let n = a.node()
                n["chapters"] = .list(NodeList())
                ctx["psc_chapters"] = .dict(n)
            }
        case .pscChapter:
            if pscChaptersFlag {
                let n = a.node()
                if let start = getAttribute(a, "start"), let seconds = FeedBuilder.parsePSCStart(start) {
                    n["start_parsed"] = .double(seconds)
                } else {
                    n["start_parsed"] = .null
                }
                context().node("psc_chapters")?.list("chapters")?.items.append(.dict(n))
            }
        case .georssPoint, .georssLine, .georssPolygon, .georssBox:
            push("geometry", expectingText: false)
            context()["where"] = .dict(Node())
        case .georssWhere:
            push("where", expectingText: false)
            context()["where"] = .dict(Node())
        case .gmlPoint:
            parseSRSAttributes(a)
            ingeometry = 1
            push("geometry", expectingText: false)
        case .gmlLineString:
            parseSRSAttributes(a)
            ingeometry = 2
            push("geometry", expectingText: false)
        case .gmlPolygon:
            parseSRSAttributes(a)
            push("geometry", expectingText: false)
        case .gmlExterior: push("geometry", expectingText: false)
        case .gmlLinearRing:
            ingeometry = 3
            push("geometry", expectingText: false)
        case .gmlPos, .gmlPosList: push("pos", expectingText: false)
        case .itunesKeywords, .itunesBlock, .itunesExplicit, .mediaKeywords: break
        }
    }

    private func startContent(_ a: AttrDict) {
        hasContent = true
        pushContent("content", a, defaultType: "text/plain", expectingText: true)
        if let src = a["src"], !src.isEmpty { contentparams.src = src }
        push("content", expectingText: true)
    }

    private func cdfCommon(_ a: AttrDict) {
        if let lastmod = a["lastmod"] {
            push("updated", expectingText: true)
            replaceTopText(lastmod)
            endUpdated()
        }
        if let href = a["href"] {
            var empty = AttrDict()
            start(.link, &empty)
            replaceTopText(href)
            end(.link)
        }
    }

    private func endUpdated() {
        let value = pop("updated")
        save("updated_parsed", .date(FeedDate.parse(value)), overwrite: true)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func end(_ h: Handler) {
        switch h {
        case .channel, .feed: infeed = false
        case .image:
            pop("image")
            inimage = false
        case .textinput:
            pop("textinput")
            intextinput = false
        case .author:
            pop("author")
            inauthor = false
            syncAuthorDetail()
        case .contributor:
            pop("contributor")
            incontributor = false
        case .name: endName()
        case .width, .height:
            let key = h == .width ? "width" : "height"
            let value = pop(key)
            let n = value.flatMap { Int($0) } ?? 0
            if inimage { context()[key] = .int(n) }
        case .url:
            let value = pop("href")
            if inauthor {
                saveAuthor("href", value)
            } else if incontributor {
                saveContributor("href", value)
            }
        case .email:
            let value = pop("email")
            if inpublisher {
                saveAuthor("email", value, prefix: "publisher")
            } else if inauthor {
                saveAuthor("email", value)
            } else if incontributor {
                saveContributor("email", value)
            }
        case .subtitle: popContent("subtitle")
        case .rights: popContent("rights")
        case .item:
            pop("item")
            inentry = false
            hasContent = false
        case .language:
            lang = pop("language")
        case .webmaster:
            pop("publisher")
            syncAuthorDetail("publisher")
        case .published:
            let value = pop("published")
            save("published_parsed", .date(FeedDate.parse(value)), overwrite: true)
        case .updated: endUpdated()
        case .created:
            let value = pop("created")
            save("created_parsed", .date(FeedDate.parse(value)), overwrite: true)
        case .expirationdate:
            let value = pop("expired")
            save("expired_parsed", .date(FeedDate.parse(value)), overwrite: true)
        case .category, .itunesCategory, .mediaCategory: endCategory()
        case .link:
            pop("link")
            isentrylink = false
        case .guid:
            let value = pop("id")
            let ctx = context()
            save("guidislink", .bool(guidislink && !ctx.has("link")))
            if guidislink { save("link", .optional(value)) }
        case .title:
            if svgOK > 0 { return }
            if let value = popContent("title"), !value.isEmpty { titleDepth = depth }
        case .mediaTitle:
            let saved = titleDepth
            if svgOK == 0 { popContent("title") }
            titleDepth = saved
        case .description, .abstract:
            if summaryKey == "content" { endContent() } else { popContent("description") }
            summaryKey = nil
        case .info: popContent("info")
        case .generator:
            let value = pop("generator")
            if let detail = context().node("generator_detail") { detail["name"] = .optional(value) }
        case .summary:
            if summaryKey == "content" { endContent() } else { popContent(summaryKey ?? "summary") }
            summaryKey = nil
        case .source:
            insource = false
            let value = pop("source")
            if let value, !value.isEmpty { sourcedata["title"] = .string(value) }
            context()["source"] = .dict(sourcedata.deepCopy())
            sourcedata = Node()
        case .content, .body, .contentEncoded: endContent()
        case .newlocation:
            let url = pop("newlocation") ?? ""
            let ctx = context()
            guard ctx === feeddata else { return }
            ctx["newlocation"] = .string(URLResolver.makeSafeAbsolute(base: baseuri, relative: url.pythonStripped()))
        case .tags:
            for term in (pop("tags") ?? "").split(separator: ",", omittingEmptySubsequences: false) {
                addTag(String(term).pythonStripped(), nil, nil)
            }
        case .dctermsValid:
            for detail in (pop("validity") ?? "").split(separator: ";") {
                guard let eq = detail.firstIndex(of: "=") else { continue }
                let key = detail[..<eq]
                let value = String(detail[detail.index(after: eq)...])
                if key == "start" || key == "end" {
                    save("validity_" + key, .string(value), overwrite: true)
                    save("validity_" + key + "_parsed", .date(FeedDate.parse(value)), overwrite: true)
                }
            }
        case .dcContributor:
            endName()
            incontributor = false
        case .itunesOwner:
            pop("publisher")
            inpublisher = false
            syncAuthorDetail("publisher")
        case .itunesKeywords:
            for term in (pop("itunes_keywords") ?? "").split(separator: ",") {
                let t = String(term).pythonStripped()
                if !t.isEmpty { addTag(t, "http://www.itunes.com/", nil) }
            }
        case .itunesBlock:
            let value = pop("itunes_block", stripWhitespace: false)
            context()["itunes_block"] = .int((value == "yes" || value == "Yes") ? 1 : 0)
        case .itunesExplicit:
            let value = pop("itunes_explicit", stripWhitespace: false)
            context()["itunes_explicit"] = value == "yes" ? .bool(true) : (value == "clean" ? .bool(false) : .null)
        case .mediaKeywords:
            for term in (pop("media_keywords") ?? "").split(separator: ",") {
                let t = String(term).pythonStripped()
                if !t.isEmpty { addTag(t, nil, nil) }
            }
        case .mediaRating, .mediaLicense:
            let (tag, key) = h == .mediaRating ? ("rating", "media_rating") : ("license", "media_license")
            if let v = pop(tag), !v.pythonStripped().isEmpty { context().node(key)?["content"] = .string(v) }
        case .mediaCredit:
            if let v = pop("credit"), !v.pythonStripped().isEmpty {
                context().list("media_credit")?.lastNode?["content"] = .string(v)
            }
        case .mediaRestriction:
            if let v = pop("restriction"), !v.pythonStripped().isEmpty {
                let codes = v.split(separator: " ", omittingEmptySubsequences: false).map {
                    Item.string(String($0).pythonStripped().lowercased())
                }
                context().node("media_restriction")?["content"] = .list(NodeList(codes))
            }
        case .mediaThumbnail:
            let url = pop("url")
            if let url, !url.pythonStripped().isEmpty, let last = context().list("media_thumbnail")?.lastNode,
                !last.has("url")
            {
                last.storage["url"] = .string(url)
            }
        case .mediaPlayer:
            let value = pop("media_player")
            context().node("media_player")?["content"] = .optional(value)
        case .creativeCommonsLicense:
            guard let value = pop("license") else { return }
            let ctx = context()
            let n = Node([("rel", .string("license"))])
            if !value.isEmpty { n["href"] = .string(value) }
            ctx.listDefault("links").items.append(.dict(n))
            ctx.remove("license")
        case .pscChapters: pscChaptersFlag = false
        case .georssPoint, .georssLine, .georssPolygon, .georssBox:
            let value = pop("geometry") ?? ""
            let geometry: Node?
            switch h {
            case .georssPoint: geometry = GeoRSS.point(value)
            case .georssLine: geometry = GeoRSS.line(value)
            case .georssPolygon: geometry = GeoRSS.polygon(value)
            default: geometry = GeoRSS.box(value)
            }
            if let geometry { saveWhere(geometry) }
        case .georssWhere: pop("where")
        case .gmlPoint, .gmlLineString, .gmlLinearRing, .gmlExterior, .gmlPolygon:
            ingeometry = 0
            pop("geometry")
        case .gmlPos, .gmlPosList:
            let value = pop("pos") ?? ""
            let where_ = context().node("where")
            let srsName = where_?.string("srsName")
            var dims = 2
            if case .int(let d)? = where_?["srsDimension"] { dims = d }
            var swap = true
            if let srsName, srsName.contains("EPSG"), let code = Int(srsName.split(separator: ":").last ?? "") {
                swap = GeoRSS.isGeographic(code)
            }
            let geometry: Node?
            if h == .gmlPos {
                geometry = GeoRSS.point(value, swap: swap, dims: dims)
            } else if ingeometry == 2 {
                geometry = GeoRSS.line(value, swap: swap, dims: dims)
            } else if ingeometry == 3 {
                geometry = GeoRSS.line(value, swap: swap, dims: dims).map { ring in
                    Node([("type", .string("Polygon")), ("coordinates", .list(NodeList([ring["coordinates"] ?? .null])))])
                }
            } else {
                geometry = nil
            }
            if let geometry { saveWhere(geometry) }
        case .rss, .cloud, .enclosure, .itunesImage, .mediaGroup, .mediaContent, .adminGeneratorAgent,
             .adminErrorReportsTo, .ccLicense, .pscChapter:
            break
        }
    }

    private func saveWhere(_ geometry: Node) {
        guard let where_ = context().node("where") else { return }
        for (k, v) in geometry.storage { where_.storage[k] = v }
    }

    private func parseSRSAttributes(_ a: AttrDict) {
        let where_ = context().nodeDefault("where")
        where_.storage["srsName"] = .optional(a["srsname"])
        where_.storage["srsDimension"] = .int(Int(a["srsdimension"] ?? "2") ?? 2)
    }

    private func endName() {
        let value = pop("name")
        if inpublisher {
            saveAuthor("name", value, prefix: "publisher")
        } else if inauthor {
            saveAuthor("name", value)
        } else if incontributor {
            saveContributor("name", value)
        } else if intextinput {
            context()["name"] = .optional(value)
        }
    }

    private func endContent() {
        let copyToSummary: Bool
        switch FeedBuilder.mapContentType(contentparams.type ?? "") {
        case "text/plain", "text/html", "application/xhtml+xml": copyToSummary = true
        default: copyToSummary = false
        }
        let value = popContent("content")
        if copyToSummary { save("summary", .optional(value)) }
    }

    private func endCategory() {
        guard let value = pop("category"), !value.isEmpty else { return }
        let ctx = context()
        let tags = ctx.listDefault("tags")
        if let last = tags.lastNode, (last.string("term") ?? "").isEmpty {
            last["term"] = .string(value)
        } else {
            addTag(value, nil, nil)
        }
    }

    static func parsePSCStart(_ s: String) -> Double? {
        // ((\d{2}):)?(\d{2}):(\d{2})(\.(\d{3}))?
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var ms = 0
        if parts.count == 2 {
            guard parts[1].count == 3, let v = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
            ms = v
        }
        let hms = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 2 || hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else {
            return nil
        }
        let nums = hms.compactMap { Int($0) }
        let (h, m, sec) = nums.count == 3 ? (nums[0], nums[1], nums[2]) : (0, nums[0], nums[1])
        return Double(h * 3600 + m * 60 + sec) + Double(ms) / 1000
    }

    // MARK: - Result

    func finish() {
        // feedparser leaves unclosed elements as they are; nothing to flush.
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

extension UInt8 {
    var isASCIIWordByte: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || self == 0x5F
    }
}
