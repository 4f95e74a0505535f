/// Where a social network's JSON response keeps its posts and their fields, as JSON pointers.
///
/// Each field may list alternatives separated by `|`; the first present one wins
/// (`/comment_text|/story_text|/title`). `url` may instead be a template with pointers in
/// braces (`https://news.ycombinator.com/item?id={/objectID}`).
///
/// ```yaml
/// sources:
///   - name: mastodon-kestrel
///     url: https://mastodon.social/api/v1/timelines/tag/kestrel
///     kind: json
///     options: { preset: mastodon }
///   - name: custom-api
///     url: https://api.example.org/search?q=kestrel
///     kind: json
///     options: { items: /results, id: /id, text: /body, author: /user/name, time: /created }
/// ```
public struct JSONMapping: Sendable, Equatable {
    public var items: String
    public var id: String
    public var text: String
    public var textIsHTML = false
    public var title: String?
    public var author: String?
    public var handle: String?
    public var url: String?
    public var time: String?
    public var language: String?
    public var inReplyTo: String?
    public var followers: String?
    public var likes: String?
    public var reposts: String?
    public var replies: String?
    /// The network the handles belong to, to make them canonical (`mastodon`, `reddit`, `bluesky`, `hackernews`).
    public var network: String?
    /// Undo `&amp;`, `&lt;` and `&gt;` in titles and text (Reddit's JSON without `raw_json=1`).
    public var unescapeEntities = false

    public init(items: String, id: String, text: String) {
        self.items = items
        self.id = id
        self.text = text
    }

    /// The option keys a `kind: json` source may set.
    public static let optionKeys = [
        "preset", "items", "id", "text", "text_is_html", "title", "author", "handle", "url", "time", "language",
        "in_reply_to", "followers", "likes", "reposts", "replies", "network",
    ]

    /// Builds a mapping from a source's options: a preset, then any field overridden.
    public static func from(options: [String: String]) throws(JSONAPIError) -> JSONMapping {
        var mapping: JSONMapping
        if let name = options["preset"] {
            guard let preset = preset(name) else { throw JSONAPIError.unknownPreset(name) }
            mapping = preset
        } else {
            guard let items = options["items"], let id = options["id"], let text = options["text"] else {
                throw JSONAPIError.incompleteMapping
            }
            mapping = JSONMapping(items: items, id: id, text: text)
        }
        if let v = options["items"] { mapping.items = v }
        if let v = options["id"] { mapping.id = v }
        if let v = options["text"] { mapping.text = v }
        if let v = options["text_is_html"] { mapping.textIsHTML = ["true", "yes", "1"].contains(v.lowercased()) }
        if let v = options["title"] { mapping.title = v }
        if let v = options["author"] { mapping.author = v }
        if let v = options["handle"] { mapping.handle = v }
        if let v = options["url"] { mapping.url = v }
        if let v = options["time"] { mapping.time = v }
        if let v = options["language"] { mapping.language = v }
        if let v = options["in_reply_to"] { mapping.inReplyTo = v }
        if let v = options["followers"] { mapping.followers = v }
        if let v = options["likes"] { mapping.likes = v }
        if let v = options["reposts"] { mapping.reposts = v }
        if let v = options["replies"] { mapping.replies = v }
        if let v = options["network"] { mapping.network = v }
        try mapping.validate()
        return mapping
    }

    /// Checks that every pointer is well-formed.
    public func validate() throws(JSONAPIError) {
        for field in [items, id, text, title, author, handle, time, language, inReplyTo, followers, likes, reposts, replies].compactMap({ $0 }) {
            for alternative in field.split(separator: "|", omittingEmptySubsequences: false) {
                _ = try JSONPointer(String(alternative))
            }
        }
    }

    public static let presetNames = ["mastodon", "mastodon-search", "reddit", "bluesky", "hackernews"]

    /// Mappings for the public search and timeline APIs of common networks.
    public static func preset(_ name: String) -> JSONMapping? {
        switch name.lowercased() {
        case "mastodon", "mastodon-search":
            // GET /api/v1/timelines/tag/:hashtag, /api/v1/accounts/:id/statuses (an array of Status),
            // or /api/v2/search?type=statuses (an object with "statuses").
            var m = JSONMapping(items: name.lowercased() == "mastodon" ? "" : "/statuses", id: "/uri|/id", text: "/content")
            m.textIsHTML = true
            m.author = "/account/display_name|/account/username"
            m.handle = "/account/acct"
            m.url = "/url|/uri"
            m.time = "/created_at"
            m.language = "/language"
            m.inReplyTo = "/in_reply_to_id"
            m.followers = "/account/followers_count"
            m.likes = "/favourites_count"
            m.reposts = "/reblogs_count"
            m.replies = "/replies_count"
            m.network = "mastodon"
            return m
        case "reddit":
            // Listing JSON: https://www.reddit.com/r/:sub/search.json, /new.json, …
            var m = JSONMapping(items: "/data/children", id: "/data/name|/data/id", text: "/data/selftext|/data/body|/data/title")
            m.title = "/data/title"
            m.author = "/data/author"
            m.handle = "/data/author"
            m.url = "reddit:"
            m.unescapeEntities = true
            m.time = "/data/created_utc"
            m.inReplyTo = "/data/parent_id"
            m.likes = "/data/score|/data/ups"
            m.replies = "/data/num_comments"
            m.network = "reddit"
            return m
        case "bluesky":
            // app.bsky.feed.searchPosts: { "posts": [PostView] }
            // A post of images only has empty text: its alt texts say what it shows.
            var m = JSONMapping(items: "/posts", id: "/uri", text: "/record/text|/record/embed/images/0/alt|/embed/images/0/alt|/record/embed/media/images/0/alt")
            m.author = "/author/displayName|/author/handle"
            m.handle = "/author/handle"
            m.url = "bluesky:"
            m.time = "/record/createdAt|/indexedAt"
            m.language = "/record/langs/0"
            m.inReplyTo = "/record/reply/parent/uri"
            m.likes = "/likeCount"
            m.reposts = "/repostCount"
            m.replies = "/replyCount"
            m.network = "bluesky"
            return m
        case "hackernews", "hn":
            // Algolia: https://hn.algolia.com/api/v1/search_by_date?query=… → { "hits": [...] }
            var m = JSONMapping(items: "/hits", id: "/objectID", text: "/comment_text|/story_text|/title")
            m.textIsHTML = true
            m.title = "/title|/story_title"
            m.author = "/author"
            m.handle = "/author"
            m.url = "https://news.ycombinator.com/item?id={/objectID}"
            m.time = "/created_at|/created_at_i"
            m.inReplyTo = "/parent_id"
            m.likes = "/points"
            m.replies = "/num_comments"
            m.network = "hackernews"
            return m
        default:
            return nil
        }
    }
}

/// Why a JSON API response or mapping could not be used.
public enum JSONAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    case badPointer(String)
    case unknownPreset(String)
    case incompleteMapping
    case notJSON(String)
    case noItems(String)
    case apiError(String)

    public var description: String {
        switch self {
        case .badPointer(let p): "'\(p)' is not a JSON pointer (it must start with '/', e.g. /data/children)"
        case .unknownPreset(let p): "unknown preset '\(p)'; presets: \(JSONMapping.presetNames.joined(separator: ", "))"
        case .incompleteMapping: "a json source needs options.preset, or options.items, options.id and options.text"
        case .notJSON(let why): "the response is not JSON: \(why)"
        case .noItems(let pointer): "no list of items at '\(pointer.isEmpty ? "(the document root)" : pointer)'"
        case .apiError(let message): "the API answered with an error: \(message)"
        }
    }
}
