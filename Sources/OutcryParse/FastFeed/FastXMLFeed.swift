import Foundation
import OutcryModel

/// The fast path for RSS 2.0 and Atom 1.0: bytes straight to mentions, for the documents
/// whose every element it understands (see `FeedReader`). Returns nil — declines — on
/// anything else, so the general parser decides those.
///
/// Each rule below mirrors what `FeedBuilder` does for the element, restricted to the cases
/// where the rule is simple: one title/link/id/date/author/summary/content per entry,
/// `xml:base`/`xml:lang` on an Atom root only, no inline XHTML. Elements of a namespace the
/// general parser knows are read by the handler it would give them (`FastElement.handlers`):
/// those that only file keys no mention reads (`media:thumbnail`, `itunes:duration`, …) are
/// skipped, the few that feed a mention (`itunes:author`, `media:title`, `media:description`)
/// are read by the general parser's rules, and any other declines.
struct FastXMLFeed {
    enum Format { case rss, atom }

    var s: FastXMLScanner
    /// The base for relative references: the document's URL, settled (`FeedReader.settledBase`),
    /// or an Atom root's `xml:base` resolved against it and settled.
    var base: String
    /// The document's URL as given, before settling (for an `xml:base` on the root).
    let documentBase: String
    let sourceName: String
    let fetchedAt: Date
    var format = Format.rss
    var buf: [UInt8] = []
    var scratch = FastHTML.Scratch()
    var authorBytes: [UInt8] = []
    /// A deferred summary's bytes (`Entry.summaryDeferred`).
    var summaryBytes: [UInt8] = []
    var mentions: [Mention] = []
    var feedLanguage: String?
    var ttl: String?
    /// Declared prefix → canonical prefix; nil value for a namespace the fast path does not know.
    var prefixes: [String: String?] = [:] {
        didSet { prefixedNames.removeAll(keepingCapacity: true) }
    }
    /// `qualifiedName`'s answers for prefixed names met since `prefixes` last changed: where
    /// the name was read (its bytes), the element and its handler.
    var prefixedNames: [(name: Range<Int>, element: FastElement?, handler: Handler?)] = []
    /// The handler of the last `.namespaced` element `qualifiedName` resolved.
    var handler: Handler?
    /// The general parser's `hasContent`: set by a content element (or a summary read as one),
    /// cleared at the end of each entry.
    var hasContent = false
    /// Whether the channel holds a `summary` (an `itunes:summary`), for `hasContent`.
    var feedHasSummary = false
    /// Scratch for `prefix:local` names.
    var nameScratch: [UInt8] = []

    init(_ p: UnsafeBufferPointer<UInt8>, base: String, documentBase: String? = nil, sourceName: String, fetchedAt: Date) {
        s = FastXMLScanner(p)
        self.base = base
        self.documentBase = documentBase ?? base
        self.sourceName = sourceName
        self.fetchedAt = fetchedAt
        buf.reserveCapacity(4096)
    }

    static func read(
        _ p: UnsafeBufferPointer<UInt8>, base: String, documentBase: String? = nil, sourceName: String, fetchedAt: Date
    ) -> (mentions: [Mention], ttl: Int?)? {
        guard FastXMLScanner.validUTF8(p, xmlChars: true) else { return nil }
        var reader = FastXMLFeed(p, base: base, documentBase: documentBase, sourceName: sourceName, fetchedAt: fetchedAt)
        guard reader.document() else { return nil }
        ContentHashes.fill(&reader.mentions)
        // The channel's language applies to every item, wherever it stands.
        if let language = reader.feedLanguage {
            for k in reader.mentions.indices { reader.mentions[k].language = language }
        }
        let ttl = reader.ttl.flatMap { FeedValue.string($0).int }.flatMap { $0 > 0 ? $0 : nil }
        return (reader.mentions, ttl)
    }

    // MARK: - Structure

    mutating func document() -> Bool {
        guard s.prolog(), s.startTag(), !s.tagEmpty else { return false }
        let root = s.tagName
        switch s.string(root) {
        case "rss":
            format = .rss
            guard rootAttributes(versionRequired: true) else { return false }
            guard children(of: root, { me, name in
                guard name == .channel, me.s.attrNames.isEmpty, !me.s.tagEmpty else { return false }
                return me.channel()
            }) else { return false }
        case "feed":
            format = .atom
            guard rootAttributes(versionRequired: false) else { return false }
            guard feedBody(root) else { return false }
        default:
            return false
        }
        return s.epilog()
    }

    /// `version="2.0"` on `<rss>`, the Atom default namespace on `<feed>`, and declarations of
    /// well-known namespaces under their usual prefixes; nothing else.
    private mutating func rootAttributes(versionRequired: Bool) -> Bool {
        var sawVersion = false
        var sawAtomDefault = false
        for index in s.attrNames.indices {
            let name = s.string(s.attrNames[index])
            let value = s.attributeValue(index)
            if name == "version" && format == .rss {
                guard value == "2.0" else { return false }
                sawVersion = true
                continue
            }
            if name == "xmlns" {
                guard format == .atom, value == "http://www.w3.org/2005/Atom" else { return false }
                sawAtomDefault = true
                continue
            }
            if name == "xml:lang" && format == .atom {
                // The general parser files it as the feed's language, and every text construct
                // below takes it (with `_` made `-`): every mention gets it.
                guard value.isASCIIBytes else { return false }
                if !value.isEmpty { feedLanguage = value.replacingAll("_", with: "-") }
                continue
            }
            if name == "xml:base" && format == .atom {
                guard !value.isEmpty else { continue }
                // `FeedBuilder.startElement` on the root, then settled as for any base.
                let root = documentBase.isEmpty ? URLResolver.join(documentBase, value)
                    : URLResolver.makeSafeAbsolute(base: documentBase, relative: value)
                guard let settled = FeedReader.settledBase(root.isEmpty ? documentBase : root) else { return false }
                base = settled
                continue
            }
            guard name.hasPrefix("xmlns:"), !value.isEmpty else { return false }
            let prefix = String(name.dropFirst(6))
            let lower = value.lowercased()
            if lower == "http://www.w3.org/2005/atom" {
                // Under another prefix the general parser still reads its elements as Atom's;
                // the fast path declines where one is used (the prefix stays unknown).
                if prefix == "atom" { prefixes[prefix] = "" }
                continue
            }
            // Namespaces that change the version or are renamed by the general parser.
            if lower == "http://purl.org/rss/1.0/" || lower == "http://my.netscape.com/rdf/simple/0.9/"
                || lower.contains("backend.userland.com/rss")
            {
                return false
            }
            if let canonical = KnownNamespaces.prefixes[lower] {
                // Declared under another prefix (Medium's `cc` for Creative Commons): the general
                // parser files the elements under the canonical one; declined where one is used.
                if canonical == prefix { prefixes[prefix] = .some(canonical) }
            } else {
                guard FastXMLFeed.isPlainAbsoluteURI(value) else { return false }
                prefixes[prefix] = .some(nil)
            }
        }
        return versionRequired ? sawVersion : sawAtomDefault
    }

    /// The element as the general parser files it (`title`, `content:encoded`), or nil for a
    /// name or prefix the fast path does not know.
    private mutating func qualifiedName() -> FastElement? {
        let r = s.tagName
        let colon = s.firstColon(r)
        let element: FastElement
        if colon < 0 {
            element = FastElement.lookup(UnsafeBufferPointer(rebasing: s.p[r]))
        } else {
            // The same prefixed name again: its answer, while the prefixes are the same.
            if let base = s.p.baseAddress {
                for known in prefixedNames where known.name.count == r.count
                    && memcmp(base + known.name.lowerBound, base + r.lowerBound, r.count) == 0
                {
                    if known.element == .namespaced { handler = known.handler }
                    return known.element
                }
            }
            let element = prefixedName(r, colon: colon)
            if prefixedNames.count < 32 { prefixedNames.append((r, element, element == .namespaced ? handler : nil)) }
            return element
        }
        return element == .unknown ? nil : element
    }

    /// `qualifiedName` for `prefix:local` (sets `handler` for `.namespaced`).
    private mutating func prefixedName(_ r: Range<Int>, colon: Int) -> FastElement? {
        let element: FastElement
        do {
            let prefix = s.string(r.lowerBound..<colon)
            guard let known = prefixes[prefix] else { return nil }
            guard let canonical = known else {
                // An unknown namespace: harmless unless its prefix is one the general parser
                // gives a meaning to. A known namespace's usual prefix (Atom threading's `thr`,
                // which feedparser knows for another URI) files the element under
                // `prefix_local`, harmless when no handler or fast-path rule has that name.
                let lower = prefix.lowercased()
                if FastXMLFeed.meaningfulPrefixes.contains(lower) {
                    guard !FastXMLFeed.keyPrefixes.contains(lower) else { return nil }
                    nameScratch.removeAll(keepingCapacity: true)
                    nameScratch.append(contentsOf: lower.utf8)
                    nameScratch.append(UInt8(ascii: ":"))
                    nameScratch.append(contentsOf: UnsafeBufferPointer(rebasing: s.p[(colon + 1)..<r.upperBound]))
                    let plain = nameScratch.withUnsafeBufferPointer { name in
                        name.count <= 24 && FastElement.lookup(name) == .unknown && FastElement.handlers.lookup(name) == nil
                    }
                    guard plain else { return nil }
                }
                return .foreign
            }
            if canonical.isEmpty {
                element = FastElement.lookup(UnsafeBufferPointer(rebasing: s.p[(colon + 1)..<r.upperBound]))
            } else {
                nameScratch.removeAll(keepingCapacity: true)
                nameScratch.append(contentsOf: canonical.utf8)
                nameScratch.append(UInt8(ascii: ":"))
                nameScratch.append(contentsOf: UnsafeBufferPointer(rebasing: s.p[(colon + 1)..<r.upperBound]))
                let found = nameScratch.withUnsafeBufferPointer { name -> FastElement? in
                    let e = FastElement.lookup(name)
                    if e != .unknown { return e }
                    // Longer names are not in the handler table: declined.
                    guard name.count <= 24 else { return nil }
                    handler = FastElement.handlers.lookup(name)
                    return .namespaced
                }
                guard let found else { return nil }
                element = found
            }
        }
        return element == .unknown ? nil : element
    }

    // MARK: - Elements of known namespaces

    /// Handlers that only file keys no mention reads (tags, media and podcast details, …), in
    /// an entry or the channel. nil: no handler, the element's text is filed under its name.
    static func isInert(_ h: Handler?) -> Bool {
        guard let h else { return true }
        switch h {
        case .category, .mediaCategory, .itunesCategory, .mediaKeywords, .itunesKeywords, .itunesBlock, .itunesExplicit,
             .itunesImage, .itunesOwner, .mediaGroup, .mediaRating, .mediaCredit, .mediaRestriction, .mediaLicense,
             .mediaContent, .mediaThumbnail, .mediaPlayer, .subtitle, .rights, .webmaster, .created, .expirationdate,
             .generator, .info, .tags, .dctermsValid, .dcContributor, .ccLicense, .creativeCommonsLicense,
             .adminGeneratorAgent, .adminErrorReportsTo, .enclosure:
            return true
        default:
            return false
        }
    }

    /// Inert handlers whose element may hold child elements (each again inert); the others must
    /// hold text only (a text construct's children would be read as markup).
    static func mayHoldElements(_ h: Handler?) -> Bool {
        guard let h else { return true }
        switch h {
        case .mediaGroup, .mediaContent, .itunesOwner, .itunesCategory: return true
        default: return false
        }
    }

    /// Skips an element whose start tag was just read, given its handler is inert: its
    /// children must be foreign or inert too (in an `itunes:owner`, also name, e-mail and url).
    /// In an entry (`inEntry`), `media:title` and `media:description` below are read into `e`.
    private mutating func skipInert(_ h: Handler?, _ e: inout Entry, inEntry: Bool, depth: Int = 0) -> Bool {
        if s.tagEmpty { return true }
        guard depth < 6 else { return false }
        let name = s.tagName
        let holds = FastXMLFeed.mayHoldElements(h)
        var discard: [UInt8] = []
        while true {
            var nonSpace = false
            guard s.text(store: false, into: &discard, nonSpace: &nonSpace), s.atTag else { return false }
            if s.atEndTag { return s.endTag(name) }
            guard holds, s.startTag(), plainAttributes(), let child = qualifiedName() else { return false }
            switch child {
            case .foreign:
                guard skipInert(nil, &e, inEntry: false, depth: depth + 1) else { return false }
            case .namespaced:
                let ch = handler
                if FastXMLFeed.isInert(ch) {
                    guard skipInert(ch, &e, inEntry: inEntry, depth: depth + 1) else { return false }
                } else if h == .itunesOwner, ch == .name || ch == .email || ch == .url {
                    guard skipInert(ch, &e, inEntry: false, depth: depth + 1) else { return false }
                } else if inEntry, ch == .mediaTitle || ch == .description {
                    guard mediaText(ch == .mediaTitle, &e) else { return false }
                } else {
                    return false
                }
            default:
                return false
            }
        }
    }

    /// `media:title` or `media:description` in an entry (at any depth), by the general
    /// parser's title and description rules.
    private mutating func mediaText(_ isTitle: Bool, _ e: inout Entry) -> Bool {
        if isTitle {
            // Dropped when a title with a value came before (its depth is at most this one's).
            guard e.title != nil, !e.sawSource, leaf() else { return false }
            return true
        }
        guard s.attrNames.allSatisfy({ s.isName($0, "type") }) else { return false }
        let type = s.attribute("type").map { FeedBuilder.mapContentType(s.attributeValue($0)) }
        if e.hasSummary && !hasContent {
            // Read as the entry's content (Mastodon's alt text under `media:content`), plain text.
            guard e.content == nil, (type ?? "text/plain") == "text/plain", leaf() else { return false }
            let r = stripped()
            if format == .rss {
                // The general parser's guess would call it HTML: left to it.
                let value = String(decoding: buf[r], as: UTF8.self)
                guard !HTMLSanitizer.looksLikeHTML(value.pythonStripped()) else { return false }
            }
            hasContent = true
            e.setContent(Field(value: fieldString(r), text: nil), isHTML: false)
            return true
        }
        // The entry's summary, when it has none (YouTube's `media:group`).
        guard !e.hasSummary, !e.sawSummary, leaf() else { return false }
        let isHTML: Bool
        switch type ?? "text/html" {
        case "text/html": isHTML = true
        case "text/plain":
            if format == .rss {
                let value = String(decoding: buf[stripped()], as: UTF8.self)
                guard !HTMLSanitizer.looksLikeHTML(value.pythonStripped()) else { return false }
            }
            isHTML = false
        default: return false
        }
        e.sawSummary = true
        deferSummary(&e, isHTML: isHTML)
        return true
    }

    /// Keeps the stripped text in `buf` as the entry's summary, to be read later. An entry
    /// is read to its end before the next starts, so one buffer serves them all.
    private mutating func deferSummary(_ e: inout Entry, isHTML: Bool) {
        summaryBytes.removeAll(keepingCapacity: true)
        summaryBytes.append(contentsOf: buf[stripped()])
        e.deferSummary(isHTML: isHTML)
    }

    /// Reads a deferred summary when the mention's body will come from it.
    private mutating func readSummary(_ e: inout Entry) {
        guard e.summaryDeferred else { return }
        e.summaryDeferred = false
        guard e.needsSummary else { return }
        swap(&buf, &summaryBytes)
        e.summary = markup(0..<buf.count, isHTML: e.summaryDetailIsHTML ?? true)
    }

    /// A namespace name libxml2 surely takes without a warning: `http(s)://host[:port]/path`
    /// or `urn:name`, in letters, digits and `-._~/`.
    static func isPlainAbsoluteURI(_ s: String) -> Bool {
        let u = Array(s.utf8)
        func plain(_ c: UInt8) -> Bool {
            (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E
        }
        var i: Int
        if u.starts(with: "urn:".utf8) {
            i = 4
            guard i < u.count else { return false }
            for c in u[i...] where !(plain(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "/")) { return false }
            return true
        }
        if u.starts(with: "http://".utf8) {
            i = 7
        } else if u.starts(with: "https://".utf8) {
            i = 8
        } else {
            return false
        }
        let host = i
        while i < u.count, plain(u[i]) { i += 1 }
        guard i > host else { return false }
        if i < u.count, u[i] == UInt8(ascii: ":") {
            i += 1
            let port = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > port else { return false }
        }
        guard i == u.count || u[i] == UInt8(ascii: "/") else { return false }
        for c in u[i...] where !(plain(c) || c == UInt8(ascii: "/")) { return false }
        return true
    }

    /// Prefixes the general parser reads meaning into, lowercased.
    static let meaningfulPrefixes: Set<String> = Set(KnownNamespaces.prefixes.values.map { $0.lowercased() }).union(keyPrefixes)
    /// Prefixes that would make keys a mention reads (`title_detail`, `content_…`).
    static let keyPrefixes: Set<String> = ["title", "summary", "author", "content", "link", "id", "published", "updated", "xml", "xmlns"]

    /// Attributes of a non-root element: no namespace declarations, no prefixed names, no
    /// `base`/`lang` (the general parser reads those as xml:base/xml:lang).
    private func plainAttributes() -> Bool {
        for r in s.attrNames {
            if s.firstColon(r) >= 0 { return false }
            switch r.count {
            case 4, 5:
                let name = s.lowerName(r)
                if name == "xmlns" || name == "base" || name == "lang" { return false }
            default: break
            }
        }
        return true
    }

    /// Attributes limited to those `allowed` accepts (exact names).
    private func onlyAttributes(_ allowed: (String) -> Bool) -> Bool {
        for r in s.attrNames where !allowed(s.string(r)) { return false }
        return true
    }

    /// Reads the children of the element whose start tag was just read, calling `body` with
    /// each child's qualified name after its start tag; white space only between them.
    private mutating func children(of name: Range<Int>, _ body: (inout FastXMLFeed, FastElement) -> Bool) -> Bool {
        var discard: [UInt8] = []
        while true {
            var nonSpace = false
            guard s.text(store: false, into: &discard, nonSpace: &nonSpace), !nonSpace, s.atTag else { return false }
            if s.atEndTag { return s.endTag(name) }
            guard s.startTag() else { return false }
            if plainAttributes() {
                guard let child = qualifiedName() else { return false }
                guard body(&self, child) else { return false }
                continue
            }
            // Blogger's `<media:thumbnail xmlns:media="…">`: a namespace declared for the
            // element itself, which is one the fast path skips.
            guard let prefix = scopedDeclaration() else { return false }
            let child = qualifiedName()
            guard child == .foreign || (child == .namespaced && FastXMLFeed.isInert(handler)) else { return false }
            guard body(&self, child!) else { return false }
            prefixes.removeValue(forKey: prefix)
        }
    }

    /// When the start tag's only unplain attribute declares its own prefix (not declared on the
    /// root), under the canonical prefix of a known namespace or for a plain unknown one: that
    /// prefix, now declared until the element ends.
    private mutating func scopedDeclaration() -> String? {
        let colon = s.firstColon(s.tagName)
        guard colon >= 0 else { return nil }
        let prefix = s.string(s.tagName.lowerBound..<colon)
        guard prefixes[prefix] == nil else { return nil }
        var declaration: Int?
        for (index, r) in s.attrNames.enumerated() {
            if s.firstColon(r) >= 0 {
                guard declaration == nil, s.string(r) == "xmlns:" + prefix else { return nil }
                declaration = index
            } else if r.count == 4 || r.count == 5 {
                let name = s.lowerName(r)
                if name == "xmlns" || name == "base" || name == "lang" { return nil }
            }
        }
        guard let declaration else { return nil }
        let value = s.attributeValue(declaration)
        let lower = value.lowercased()
        guard !value.isEmpty, lower != "http://www.w3.org/2005/atom", lower != "http://purl.org/rss/1.0/",
              lower != "http://my.netscape.com/rdf/simple/0.9/", !lower.contains("backend.userland.com/rss")
        else { return nil }
        if let canonical = KnownNamespaces.prefixes[lower] {
            guard canonical == prefix else { return nil }
            prefixes[prefix] = .some(canonical)
        } else {
            guard FastXMLFeed.isPlainAbsoluteURI(value) else { return nil }
            prefixes[prefix] = .some(nil)
        }
        return prefix
    }

    /// Skips the element just started, allowing only descendants named in `allowed`.
    private mutating func skip(_ allowed: [FastElement], depth: Int = 0) -> Bool {
        if s.tagEmpty { return true }
        guard depth < 4 else { return false }
        let name = s.tagName
        var discard: [UInt8] = []
        while true {
            var nonSpace = false
            guard s.text(store: false, into: &discard, nonSpace: &nonSpace), s.atTag else { return false }
            if s.atEndTag { return s.endTag(name) }
            guard s.startTag(), plainAttributes(), let child = qualifiedName(), allowed.contains(child) else { return false }
            guard skip(allowed, depth: depth + 1) else { return false }
        }
    }

    /// The text of a leaf element (no child elements) into `buf`, then its end tag.
    private mutating func leaf() -> Bool {
        buf.removeAll(keepingCapacity: true)
        if s.tagEmpty { return true }
        let name = s.tagName
        var nonSpace = false
        guard s.text(store: true, into: &buf, nonSpace: &nonSpace), s.atTag, s.atEndTag else { return false }
        // The general parser truncates an element's text past 1 MiB (and says so).
        guard buf.count < FeedBuilder.maxTextBytes else { return false }
        return s.endTag(name)
    }

    // MARK: - RSS

    static let imageChildren: [FastElement] = [.url, .title, .link, .width, .height, .description]
    static let textInputChildren: [FastElement] = [.title, .description, .name, .link]

    private mutating func channel() -> Bool {
        let name = s.tagName
        return children(of: name) { me, child in
            switch child {
            case .item:
                guard me.s.attrNames.isEmpty else { return false }
                return me.rssItem()
            case .language, .ttl:
                guard me.s.attrNames.isEmpty, me.leaf() else { return false }
                let value = me.fieldString(me.stripped())
                if child == .language { me.feedLanguage = value } else { me.ttl = value }
                return true
            case .image: return me.skip(FastXMLFeed.imageChildren)
            case .textinput: return me.skip(FastXMLFeed.textInputChildren)
            case .skiphours: return me.skip([.hour])
            case .skipdays: return me.skip([.day])
            case .description:
                // After a channel summary, the general parser reads it as content.
                if me.feedHasSummary && !me.hasContent { me.hasContent = true }
                return me.skip([])
            case .namespaced:
                let h = me.handler
                if FastXMLFeed.isInert(h) {
                    var none = Entry()
                    return me.skipInert(h, &none, inEntry: false)
                }
                switch h {
                case .author, .published, .updated: return me.skip([])
                case .summary:
                    // `itunes:summary`: the channel's summary (or content, after one).
                    if me.feedHasSummary && !me.hasContent { me.hasContent = true }
                    me.feedHasSummary = true
                    return me.skip([])
                default: return false
                }
            case .title, .link, .lastbuilddate, .pubdate, .generator, .copyright, .managingeditor,
                 .webmaster, .docs, .category, .cloud, .rating, .syUpdatePeriod, .syUpdateFrequency, .syUpdateBase, .foreign:
                return me.skip([])
            default:
                return false
            }
        }
    }

    private mutating func rssItem() -> Bool {
        var e = Entry()
        let name = s.tagName
        let itemStart = s.i
        if !s.tagEmpty {
            guard children(of: name, { me, child in
                switch child {
                case .category, .comments, .enclosure, .slashComments, .wfwCommentRSS, .wfwComment, .foreign:
                    return me.skip([])
                case .guid:
                    guard me.onlyAttributes({ $0 == "isPermaLink" }) else { return false }
                case .source:
                    // Discourse's `<source url="…">title</source>`: filed apart from the entry.
                    guard me.onlyAttributes({ $0 == "url" }), me.leaf() else { return false }
                    e.sawSource = true
                    return true
                case .namespaced:
                    let h = me.handler
                    if h == .author {
                        // `itunes:author`, `dc:author`: as `dc:creator`.
                        guard me.s.attrNames.isEmpty else { return false }
                        return me.rssField(.dcCreator, &e)
                    }
                    if h == .mediaTitle || h == .description { return me.mediaText(h == .mediaTitle, &e) }
                    guard FastXMLFeed.isInert(h) else { return false }
                    return me.skipInert(h, &e, inEntry: true)
                default:
                    guard me.s.attrNames.isEmpty else { return false }
                }
                return me.rssField(child, &e)
            }) else { return false }
        }
        readSummary(&e)
        mentions.append(e.takeMention(sourceName: sourceName, fetchedAt: fetchedAt, language: feedLanguage, hashLater: true))
        if mentions.count == 1 { reserveMentions(itemBytes: s.i - itemStart) }
        hasContent = false
        return true
    }

    private mutating func rssField(_ child: FastElement, _ e: inout Entry) -> Bool {
        switch child {
        case .title:
            guard !e.sawTitle, leaf() else { return false }
            e.sawTitle = true
            e.title = plainOrGuessedTitle()
        case .link:
            guard !e.sawLink, leaf() else { return false }
            e.sawLink = true
            var link = strippedString()
            link = link.isEmpty ? link : resolved(link)
            if FastXMLFeed.containsByte(link, UInt8(ascii: "&")) {
                link = FeedBuilder.fixQueryEntities(link.replacingAll("&amp;", with: "&"))
            }
            e.link = link
        case .guid:
            guard e.id == nil, leaf() else { return false }
            let isLink = s.attribute("isPermaLink").map { s.attributeValue($0) == "true" } ?? true
            let raw = strippedString()
            let id = isLink && !raw.isEmpty ? resolved(raw) : fixed(raw)
            e.id = id
            if isLink && e.link == nil { e.link = id }
        case .pubdate, .dcDate, .updated:
            let isPublished = child == .pubdate
            guard isPublished ? !e.sawPublished : !e.sawUpdated, leaf() else { return false }
            let date = dateOf(stripped())
            if isPublished { e.sawPublished = true; e.published = date } else { e.sawUpdated = true; e.updated = date }
        case .author, .dcCreator:
            guard !e.sawAuthor, leaf() else { return false }
            e.sawAuthor = true
            let r = stripped()
            if let (name, email) = asciiAuthor(r) {
                e.authorName = name?.orNilIfEmpty ?? (r.isEmpty ? nil : String(decoding: buf[r], as: UTF8.self))
                e.authorEmail = email?.orNilIfEmpty
            } else {
                let author = fieldString(r)
                let (name, email) = FastXMLFeed.splitAuthor(author)
                e.authorName = name?.orNilIfEmpty ?? author.orNilIfEmpty
                e.authorEmail = email?.orNilIfEmpty
            }
        case .description:
            guard !e.sawSummary, leaf() else { return false }
            e.sawSummary = true
            deferSummary(&e, isHTML: true)
        case .contentEncoded:
            guard e.content == nil, leaf() else { return false }
            hasContent = true
            e.setContent(markup(stripped(), isHTML: true))
        default:
            return false
        }
        return true
    }

    /// `syncAuthorDetail` for a one-line author (`mail@example.com (Name)`): the name and e-mail
    /// the general parser files under `author_detail`.
    static func splitAuthor(_ value: String) -> (name: String?, email: String?) {
        guard !value.isEmpty else { return (nil, nil) }
        guard let email = AuthorParsing.findEmail(in: value) else { return (value, nil) }
        if value.isASCIIBytes {
            // The same edits on ASCII bytes, one string at the end.
            var b = Array(value.utf8)
            removeAll(&b, Array(email.utf8))
            removeAll(&b, FastXMLFeed.parentheses)
            removeAll(&b, FastXMLFeed.angles)
            removeAll(&b, FastXMLFeed.escapedAngles)
            var lo = 0
            var hi = b.count
            while lo < hi, isPythonSpaceASCII(b[lo]) { lo += 1 }
            while hi > lo, isPythonSpaceASCII(b[hi - 1]) { hi -= 1 }
            if lo < hi, b[lo] == UInt8(ascii: "(") { lo += 1 }
            if lo < hi, b[hi - 1] == UInt8(ascii: ")") { hi -= 1 }
            while lo < hi, isPythonSpaceASCII(b[lo]) { lo += 1 }
            while hi > lo, isPythonSpaceASCII(b[hi - 1]) { hi -= 1 }
            return (lo < hi ? String(decoding: b[lo..<hi], as: UTF8.self) : nil, email)
        }
        let author = AuthorParsing.nameWithout(email: email, in: value)
        return (author.isEmpty ? nil : author, email)
    }

    /// `splitAuthor` for an ASCII author in `buf[r]`, edited in a reused buffer; nil when not ASCII.
    private mutating func asciiAuthor(_ r: Range<Int>) -> (name: String?, email: String?)? {
        guard !r.isEmpty else { return (nil, nil) }
        let found: Range<Int>?? = buf.withUnsafeBufferPointer { b -> Range<Int>?? in
            let u = UnsafeBufferPointer(rebasing: b[r])
            for c in u where c >= 0x80 { return nil }
            guard let base = u.baseAddress, memchr(base, Int32(UInt8(ascii: "@")), u.count) != nil else { return .some(nil) }
            return .some(AuthorParsing.findEmailRange(bytes: u))
        }
        guard let found else { return nil }
        guard let e = found else { return (String(decoding: buf[r], as: UTF8.self), nil) }
        let email = String(decoding: buf[(r.lowerBound + e.lowerBound)..<(r.lowerBound + e.upperBound)], as: UTF8.self)
        // The value without every occurrence of the address (left to right, as `removeAll`),
        // then without `()`, `<>` and `&lt;&gt;` where they occur.
        authorBytes.removeAll(keepingCapacity: true)
        buf.withUnsafeBufferPointer { b in
            let u = UnsafeBufferPointer(rebasing: b[r])
            let address = UnsafeBufferPointer(rebasing: u[e])
            var from = 0
            while let hit = firstByteRange(of: address, in: u, from: from) {
                authorBytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[from..<hit]))
                from = hit + address.count
            }
            authorBytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[from...]))
        }
        if FastXMLFeed.containsPair(authorBytes, UInt8(ascii: "("), UInt8(ascii: ")")) {
            FastXMLFeed.removeAll(&authorBytes, FastXMLFeed.parentheses)
        }
        if FastXMLFeed.containsPair(authorBytes, UInt8(ascii: "<"), UInt8(ascii: ">")) {
            FastXMLFeed.removeAll(&authorBytes, FastXMLFeed.angles)
        }
        if FastXMLFeed.containsPair(authorBytes, UInt8(ascii: "&"), UInt8(ascii: "l")) {
            FastXMLFeed.removeAll(&authorBytes, FastXMLFeed.escapedAngles)
        }
        let b = authorBytes
        var lo = 0
        var hi = b.count
        while lo < hi, FastXMLFeed.isPythonSpaceASCII(b[lo]) { lo += 1 }
        while hi > lo, FastXMLFeed.isPythonSpaceASCII(b[hi - 1]) { hi -= 1 }
        if lo < hi, b[lo] == UInt8(ascii: "(") { lo += 1 }
        if lo < hi, b[hi - 1] == UInt8(ascii: ")") { hi -= 1 }
        while lo < hi, FastXMLFeed.isPythonSpaceASCII(b[lo]) { lo += 1 }
        while hi > lo, FastXMLFeed.isPythonSpaceASCII(b[hi - 1]) { hi -= 1 }
        return (lo < hi ? String(decoding: b[lo..<hi], as: UTF8.self) : nil, email)
    }

    /// Whether `a` directly followed by `b` occurs in `bytes`.
    static func containsPair(_ bytes: [UInt8], _ a: UInt8, _ b: UInt8) -> Bool {
        bytes.withUnsafeBufferPointer { u in
            var k = 0
            while k + 1 < u.count {
                if u[k] == a && u[k + 1] == b { return true }
                k += 1
            }
            return false
        }
    }

    static let parentheses = Array("()".utf8)
    static let angles = Array("<>".utf8)
    static let escapedAngles = Array("&lt;&gt;".utf8)

    /// `replacingAll(pattern, with: "")` on bytes, in place: left to right, matches not
    /// overlapping (found in the original bytes, as `replacingAll` finds them).
    static func removeAll(_ b: inout [UInt8], _ pattern: [UInt8]) {
        let kept: Int? = b.withUnsafeMutableBufferPointer { hay -> Int? in
            pattern.withUnsafeBufferPointer { needle -> Int? in
                guard var r = firstByteRange(of: needle, in: UnsafeBufferPointer(hay)) else { return nil }
                var write = r
                var from = r + needle.count
                while let next = firstByteRange(of: needle, in: UnsafeBufferPointer(hay), from: from) {
                    r = next
                    for k in from..<r {
                        hay[write] = hay[k]
                        write += 1
                    }
                    from = r + needle.count
                }
                for k in from..<hay.count {
                    hay[write] = hay[k]
                    write += 1
                }
                return write
            }
        }
        if let kept { b.removeSubrange(kept...) }
    }

    /// After the first entry: room for as many more as the rest of the document would hold at
    /// that entry's size (a Mention is large, and growing the array copies them).
    private mutating func reserveMentions(itemBytes: Int) {
        let rest = (s.n - s.i) / max(itemBytes, 64)
        mentions.reserveCapacity(1 + rest + rest / 8 + 4)
    }

    // MARK: - Atom

    static let personChildren: [FastElement] = [.name, .email, .uri]

    private mutating func feedBody(_ root: Range<Int>) -> Bool {
        children(of: root) { me, child in
            switch child {
            case .entry:
                guard me.s.attrNames.isEmpty else { return false }
                return me.atomEntry()
            case .author, .contributor: return me.skipPerson()
            case .title, .subtitle, .id, .updated, .published, .link, .generator, .icon, .logo, .rights, .category, .foreign:
                return me.skip([])
            case .namespaced:
                let h = me.handler
                if FastXMLFeed.isInert(h) {
                    var none = Entry()
                    return me.skipInert(h, &none, inEntry: false)
                }
                return false
            default: return false
            }
        }
    }

    private mutating func atomEntry() -> Bool {
        var e = Entry()
        let name = s.tagName
        let itemStart = s.i
        if !s.tagEmpty {
            guard children(of: name, { me, child in me.atomField(child, &e) }) else { return false }
        }
        readSummary(&e)
        mentions.append(e.takeMention(sourceName: sourceName, fetchedAt: fetchedAt, language: nil, hashLater: true))
        if mentions.count == 1 { reserveMentions(itemBytes: s.i - itemStart) }
        hasContent = false
        return true
    }

    /// A feed-level person: name, e-mail and uri, and foreign or inert elements (Blogger's
    /// `gd:image`).
    private mutating func skipPerson() -> Bool {
        if s.tagEmpty { return true }
        return children(of: s.tagName) { me, child in
            switch child {
            case .name, .email, .uri: return me.skip([])
            case .foreign:
                var none = Entry()
                return me.skipInert(nil, &none, inEntry: false)
            case .namespaced:
                let h = me.handler
                guard FastXMLFeed.isInert(h) else { return false }
                var none = Entry()
                return me.skipInert(h, &none, inEntry: false)
            default: return false
            }
        }
    }

    private mutating func atomField(_ child: FastElement, _ e: inout Entry) -> Bool {
        switch child {
        case .category, .rights, .foreign: return skip([])
        case .contributor: return skipPerson()
        case .namespaced:
            let h = handler
            if h == .mediaTitle || h == .description { return mediaText(h == .mediaTitle, &e) }
            guard FastXMLFeed.isInert(h) else { return false }
            return skipInert(h, &e, inEntry: true)
        case .title, .summary, .content:
            guard s.attrNames.allSatisfy({ s.isName($0, "type") }) else { return false }
            var isHTML = false
            if let t = s.attribute("type") {
                // `html` and `text` as written map at once; anything else as the builder maps it.
                switch s.plainAttributeIs(t, "html") ? "text/html"
                    : s.plainAttributeIs(t, "text") ? "text/plain" : FeedBuilder.mapContentType(s.attributeValue(t)) {
                case "text/plain": isHTML = false
                case "text/html": isHTML = true
                default: return false
                }
            }
            if child == .title {
                guard !e.sawTitle, leaf() else { return false }
                e.sawTitle = true
                let value = markup(stripped(), isHTML: isHTML)
                e.title = (isHTML ? value.htmlText() : value.value).orNilIfEmpty
            } else if child == .summary {
                guard !e.sawSummary, leaf() else { return false }
                e.sawSummary = true
                deferSummary(&e, isHTML: isHTML)
            } else {
                guard e.content == nil, leaf() else { return false }
                hasContent = true
                e.setContent(markup(stripped(), isHTML: isHTML), isHTML: isHTML)
            }
        case .link:
            guard s.attrNames.allSatisfy({
                s.isName($0, "rel") || s.isName($0, "type") || s.isName($0, "href") || s.isName($0, "hreflang")
                    || s.isName($0, "title") || s.isName($0, "length")
            }), let h = s.attribute("href") else {
                return false
            }
            let href = s.attributeValue(h)
            guard !href.isEmpty else { return false }
            let isEntryLink: Bool
            if s.attribute("type") == nil, s.attribute("rel").map({ s.plainAttributeIs($0, "alternate", foldingCase: true) }) ?? true {
                // rel alternate (or none) and no type: text/html, an entry link.
                isEntryLink = true
            } else {
                let rel = s.attribute("rel").map { s.attributeValue($0).lowercased() } ?? "alternate"
                let type = s.attribute("type").map { s.attributeValue($0).lowercased() } ?? (rel == "self" ? "application/atom+xml" : "text/html")
                isEntryLink = rel == "alternate" && FeedBuilder.isHTMLType(FeedBuilder.mapContentType(type))
            }
            let link = isEntryLink ? URLResolver.join(base, href) : ""
            guard skip([]) else { return false }
            if isEntryLink { e.link = link }
        case .id:
            guard s.attrNames.isEmpty, e.id == nil, leaf() else { return false }
            let raw = strippedString()
            let id = raw.isEmpty ? raw : resolved(raw)
            e.id = id
            if e.link == nil { e.link = id }
        case .published, .updated:
            let isPublished = child == .published
            guard s.attrNames.isEmpty, isPublished ? !e.sawPublished : !e.sawUpdated, leaf() else { return false }
            let date = dateOf(stripped())
            if isPublished { e.sawPublished = true; e.published = date } else { e.sawUpdated = true; e.updated = date }
        case .author:
            guard s.attrNames.isEmpty, !e.sawAuthor else { return false }
            e.sawAuthor = true
            return atomAuthor(&e)
        default:
            return false
        }
        return true
    }

    private mutating func atomAuthor(_ e: inout Entry) -> Bool {
        var name: String?
        var email: String?
        var uri: String?
        if !s.tagEmpty {
            guard children(of: s.tagName, { me, child in
                if child == .foreign || child == .namespaced {
                    // Blogger's `gd:image`: filed apart from the author.
                    let h = child == .foreign ? nil : me.handler
                    guard FastXMLFeed.isInert(h) else { return false }
                    var none = Entry()
                    return me.skipInert(h, &none, inEntry: false)
                }
                guard me.s.attrNames.isEmpty, me.leaf() else { return false }
                let value = me.strippedString()
                switch child {
                case .name:
                    guard name == nil else { return false }
                    name = value
                case .email:
                    guard email == nil else { return false }
                    email = value
                case .uri:
                    guard uri == nil else { return false }
                    var v = value
                    if !v.isEmpty { v = URLResolver.join(me.base, v) }
                    uri = me.fixed(v)
                default:
                    return false
                }
                return true
            }) else { return false }
        }
        e.authorName = name?.orNilIfEmpty ?? email?.orNilIfEmpty
        e.authorEmail = email?.orNilIfEmpty
        e.authorHandle = uri?.orNilIfEmpty
        return true
    }

    // MARK: - Field values

    /// The range of `buf` without Python white space at either end (ASCII; a non-ASCII end
    /// is left for `fieldString` to strip).
    private func stripped() -> Range<Int> {
        var a = 0
        var b = buf.count
        while a < b, FastXMLFeed.isPythonSpaceASCII(buf[a]) { a += 1 }
        while b > a, FastXMLFeed.isPythonSpaceASCII(buf[b - 1]) { b -= 1 }
        return a..<b
    }

    @inline(__always) static func isPythonSpaceASCII(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// The stripped text as the general parser's `pop` leaves it (no other processing).
    private func strippedString() -> String {
        let r = stripped()
        let v = String(decoding: buf[r], as: UTF8.self)
        if let f = buf[r].first, let l = buf[r].last, f >= 0x80 || l >= 0x80 { return v.pythonStripped() }
        return v
    }

    /// A plain field: stripped, then the UTF-8 repairs `finishPop` makes to non-ASCII text.
    private func fieldString(_ r: Range<Int>) -> String {
        let v = String(decoding: buf[r], as: UTF8.self)
        guard let f = buf[r].first, let l = buf[r].last else { return v }
        if f < 0x80 && l < 0x80 && v.isASCIIBytes { return v }
        return fixed(f >= 0x80 || l >= 0x80 ? v.pythonStripped() : v)
    }

    func fixed(_ v: String) -> String {
        if v.isASCIIBytes { return v }
        return v.undoingDoubleEncoding().mappingCP1252Controls()
    }

    func resolved(_ v: String) -> String {
        let r = URLResolver.join(base, v)
        return r.isASCIIBytes ? r : fixed(r)
    }

    private func dateOf(_ r: Range<Int>) -> Date? {
        let fast: Date? = buf.withUnsafeBufferPointer { b in
            guard let last = buf[r].last, last < 0x80, let first = buf[r].first, first < 0x80 else { return nil }
            return FastDate.date(UnsafeBufferPointer(rebasing: b[r]))
        }
        if let fast { return fast }
        let s = fieldString(r)
        return s.isEmpty ? nil : FeedDate.date(s)
    }

    /// An RSS title: plain unless it contains markup feedparser's guess calls HTML.
    private func plainOrGuessedTitle() -> String? {
        let r = stripped()
        let hasMarkup = buf.withUnsafeBufferPointer { b -> Bool in
            guard !r.isEmpty, let base = b.baseAddress else { return false }
            return memchr(base + r.lowerBound, Int32(UInt8(ascii: "<")), r.count) != nil
                || memchr(base + r.lowerBound, Int32(UInt8(ascii: "&")), r.count) != nil
        }
        if !hasMarkup { return fieldString(r).orNilIfEmpty }
        var value = String(decoding: buf[r], as: UTF8.self)
        if let f = buf[r].first, let l = buf[r].last, f >= 0x80 || l >= 0x80 { value = value.pythonStripped() }
        if HTMLSanitizer.looksLikeHTML(value) {
            value = fixed(HTMLSanitizer.resolveAndSanitize(value, base: base, type: "text/html"))
            return HTMLToText.convert(value).orNilIfEmpty
        }
        return fixed(value).orNilIfEmpty
    }

    /// A text construct's value (after the sanitiser for HTML) and, for HTML, its plain text.
    private mutating func markup(_ r: Range<Int>, isHTML: Bool) -> Field {
        guard isHTML else { return Field(value: fieldString(r), text: nil) }
        let leadingOrTrailingNonASCII = (buf[r].first ?? 0) >= 0x80 || (buf[r].last ?? 0) >= 0x80
        let base = self.base
        let fast = leadingOrTrailingNonASCII ? nil : buf.withUnsafeBufferPointer { b in
            // `buf` holds text the scanner read from the document `read` checked as UTF-8
            // and as XML characters (no NUL).
            FastHTML.process(UnsafeBufferPointer(rebasing: b[r]), base: base, scratch: &scratch, validUTF8: true, xmlText: true)
        }
        if let (html, text) = fast {
            let value = FastXMLFeed.strippedHTML(html)
            let repaired = fixed(value)
            if repaired == value && value.utf8.count == html.utf8.count { return Field(value: value, text: text) }
            return Field(value: repaired, text: HTMLToText.convert(repaired))
        }
        var value = String(decoding: buf[r], as: UTF8.self)
        if leadingOrTrailingNonASCII { value = value.pythonStripped() }
        if FastXMLFeed.containsByte(value, UInt8(ascii: "<")) || FastXMLFeed.containsByte(value, UInt8(ascii: "&")) {
            value = HTMLSanitizer.resolveAndSanitize(value, base: base, type: "text/html")
        }
        value = fixed(value)
        return Field(value: value, text: HTMLToText.convert(value))
    }

    static func containsByte(_ s: String, _ byte: UInt8) -> Bool {
        var s = s
        return s.withUTF8 { b in
            guard let base = b.baseAddress else { return false }
            return memchr(base, Int32(byte), b.count) != nil
        }
    }

    static func strippedHTML(_ html: String) -> String {
        guard let f = html.utf8.first, let l = html.utf8.last else { return html }
        if isPythonSpaceASCII(f) || isPythonSpaceASCII(l) || f >= 0x80 || l >= 0x80 { return html.pythonStripped() }
        return html
    }
}
