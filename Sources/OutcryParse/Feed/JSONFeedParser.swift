/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org) mapped onto feedparser's keys.
///
/// Feed: `title`, `subtitle` (description), `link`/`links` (home page, feed URL as `self`,
/// `next_url` as `next`), `id` (feed URL), `image` (icon), `icon` (favicon), `info`
/// (user_comment), `language`, `complete` (expired), `hubs`, `author`/`authors`.
/// Entry: `id`, `link`, `title`, `summary`, `content[]` (HTML sanitised, text as is),
/// `published`/`updated` with `*_parsed`, `image`, `banner_image`, `author`/`authors`,
/// `tags`, `language`, `source` (external_url), `enclosures` (attachments).
/// Extensions (`_name` keys) are ignored.
enum JSONFeedParser {
    static func parse(_ bytes: [UInt8], into result: inout ParsedFeed, baseuri: String) {
        let root: JSONValue
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            result.bozo = true
            result.bozoException = "invalid JSON: \(error)"
            return
        }
        guard root.isObject else {
            result.bozo = true
            result.bozoException = "JSON document is not an object"
            return
        }
        switch root["version"]?.string?.pythonStripped() {
        case "https://jsonfeed.org/version/1": result.version = "json1"
        case "https://jsonfeed.org/version/1.1": result.version = "json11"
        default:
            result.version = "json"
            if root["items"]?.array == nil {
                result.bozo = true
                result.bozoException = result.bozoException ?? "JSON document is not a JSON Feed (no version, no items)"
            }
        }
        let language = root["language"]?.string?.pythonStripped()
        let feed = Node()
        if let language { feed["language"] = .string(language) }
        text(root["title"], key: "title", into: feed, language: language, base: baseuri)
        text(root["description"], key: "subtitle", into: feed, language: language, base: baseuri)
        text(root["user_comment"], key: "info", into: feed, language: language, base: baseuri)
        if let home = root["home_page_url"]?.string?.pythonStripped() {
            feed["link"] = .string(home)
            feed.listDefault("links").items.append(.dict(Node([
                ("href", .string(home)), ("rel", .string("alternate")), ("type", .string("text/html")),
            ])))
        }
        if let feedURL = root["feed_url"]?.string?.pythonStripped() {
            feed["id"] = .string(feedURL)
            feed.listDefault("links").items.append(.dict(Node([
                ("href", .string(feedURL)), ("rel", .string("self")), ("type", .string("application/feed+json")),
            ])))
        }
        if let next = root["next_url"]?.string?.pythonStripped() {
            feed.listDefault("links").items.append(.dict(Node([("href", .string(next)), ("rel", .string("next"))])))
        }
        if let icon = root["icon"]?.string?.pythonStripped() { feed["image"] = .dict(Node([("href", .string(icon))])) }
        if let favicon = root["favicon"]?.string?.pythonStripped() { feed["icon"] = .string(favicon) }
        if case .bool(let expired)? = root["expired"] { feed["complete"] = .bool(expired) }
        if let hubs = root["hubs"]?.array {
            let list = NodeList()
            for hub in hubs {
                guard let url = hub["url"]?.string, let type = hub["type"]?.string else { continue }
                list.items.append(.dict(Node([("url", .string(url.pythonStripped())), ("type", .string(type.pythonStripped()))])))
            }
            feed["hubs"] = .list(list)
        }
        authors(root, into: feed)

        var entries: [FeedObject] = []
        for item in root["items"]?.array ?? [] where item.isObject {
            entries.append(entry(item, feedLanguage: language, base: baseuri).objectValue)
        }
        result.feed = feed.object
        result.entries = entries
    }

    private static func text(_ v: JSONValue?, key: String, into node: Node, language: String?, base: String) {
        guard let s = v?.string?.pythonStripped() else { return }
        let isHTML = HTMLSanitizer.looksLikeHTML(s)
        let value = isHTML ? HTMLSanitizer.sanitize(s) : s
        node[key] = .string(value)
        node[key + "_detail"] = .dict(Node([
            ("type", .string(isHTML ? "text/html" : "text/plain")), ("value", .string(value)),
            ("language", .optional(language)), ("base", .string(base)),
        ]))
    }

    private static func author(_ v: JSONValue) -> Node? {
        guard v.isObject else { return nil }
        let n = Node()
        if let name = v["name"]?.string { n["name"] = .string(name.pythonStripped()) }
        if let url = v["url"]?.string?.pythonStripped() {
            n.storage["href"] = .string(url)
            if url.hasPrefix("mailto:") {
                n["email"] = .string(String(url.dropFirst(7).prefix(while: { $0 != "?" })))
            }
        }
        if let avatar = v["avatar"]?.string { n["image"] = .string(avatar.pythonStripped()) }
        return n.isEmpty ? nil : n
    }

    private static func authors(_ obj: JSONValue, into node: Node) {
        var list: [Node] = []
        if let many = obj["authors"]?.array { list = many.compactMap(author) }
        if list.isEmpty, let one = obj["author"], let a = author(one) { list = [a] }
        guard let first = list.first else { return }
        node["authors"] = .list(NodeList(list.map { .dict($0) }))
        node["author_detail"] = .dict(first.deepCopy())
        if let name = first.string("name") {
            node["author"] = .string(name)
        } else if let email = first.string("email") {
            node["author"] = .string(email)
        }
    }

    private static func entry(_ item: JSONValue, feedLanguage: String?, base: String) -> Node {
        let e = Node()
        switch item["id"] {
        case .string(let s)?: e["id"] = .string(s.pythonStripped())
        case .number(_, let raw)?: e["id"] = .string(raw)
        case .bool(let b)?: e["id"] = .string(b ? "true" : "false")
        default: break
        }
        let language = item["language"]?.string?.pythonStripped() ?? feedLanguage
        if let l = item["language"]?.string?.pythonStripped() { e["language"] = .string(l) }
        if let url = item["url"]?.string?.pythonStripped() {
            e["link"] = .string(url)
            e.listDefault("links").items.append(.dict(Node([
                ("href", .string(url)), ("rel", .string("alternate")), ("type", .string("text/html")),
            ])))
        }
        if let external = item["external_url"]?.string?.pythonStripped() {
            e["source"] = .dict(Node([("href", .string(external))]))
            e.listDefault("links").items.append(.dict(Node([("href", .string(external)), ("rel", .string("related"))])))
        }
        text(item["title"], key: "title", into: e, language: language, base: base)
        if let summary = item["summary"]?.string?.pythonStripped() {
            e["summary"] = .string(summary)
            e["summary_detail"] = .dict(Node([
                ("type", .string("text/plain")), ("value", .string(summary)), ("language", .optional(language)),
                ("base", .string(base)),
            ]))
        }
        let content = NodeList()
        if let html = item["content_html"]?.string {
            let clean = HTMLSanitizer.resolveAndSanitize(html, base: base, type: "text/html")
            content.items.append(.dict(Node([
                ("type", .string("text/html")), ("value", .string(clean)), ("language", .optional(language)),
                ("base", .string(base)),
            ])))
        }
        if let plain = item["content_text"]?.string {
            content.items.append(.dict(Node([
                ("type", .string("text/plain")), ("value", .string(plain)), ("language", .optional(language)),
                ("base", .string(base)),
            ])))
        }
        if !content.items.isEmpty {
            e["content"] = .list(content)
            if !e.has("summary"), case .dict(let first)? = content.items.first, let v = first.string("value") {
                e["summary"] = .string(v)
            }
        }
        if let d = item["date_published"]?.string {
            e["published"] = .string(d)
            e["published_parsed"] = .date(FeedDate.parse(d))
        }
        if let d = item["date_modified"]?.string {
            e["updated"] = .string(d)
            e["updated_parsed"] = .date(FeedDate.parse(d))
        }
        if let image = item["image"]?.string?.pythonStripped() { e["image"] = .dict(Node([("href", .string(image))])) }
        if let banner = item["banner_image"]?.string?.pythonStripped() { e["banner_image"] = .string(banner) }
        authors(item, into: e)
        if let tags = item["tags"]?.array {
            let list = NodeList()
            for case .string(let t) in tags {
                list.items.append(.dict(Node([("term", .string(t)), ("scheme", .null), ("label", .null)])))
            }
            e["tags"] = .list(list)
        }
        if let attachments = item["attachments"]?.array {
            let enclosures = NodeList()
            for a in attachments {
                guard let url = a["url"]?.string?.pythonStripped() else { continue }
                let n = Node([("href", .string(url)), ("rel", .string("enclosure"))])
                if let type = a["mime_type"]?.string ?? a["type"]?.string { n["type"] = .string(type) }
                if let title = a["title"]?.string { n["title"] = .string(title) }
                if case .number(_, let raw)? = a["size_in_bytes"] { n["length"] = .string(raw) }
                if case .number(_, let raw)? = a["duration_in_seconds"] { n["duration"] = .string(raw) }
                enclosures.items.append(.dict(n))
                e.listDefault("links").items.append(.dict(n.deepCopy()))
            }
            let clean = NodeList(enclosures.items.map { item -> Item in
                guard case .dict(let n) = item else { return item }
                let c = n.deepCopy()
                c.remove("rel")
                return .dict(c)
            })
            e["enclosures"] = .list(clean)
        }
        return e
    }
}
