/// The result of parsing a feed, in feedparser's shape.
///
/// `feed` holds channel-level data and `entries` the items, under feedparser's canonical key
/// names (`title`, `title_detail`, `links`, `published_parsed`, …). Encoding it with
/// `JSONEncoder` gives the `outcry parse feed` contract JSON.
///
/// ```swift
/// let parsed = FeedParser.parse(bytes)
/// if parsed.bozo { print("ill-formed:", parsed.bozoException ?? "") }
/// for entry in parsed.entries { print(entry["title"]?.string ?? "") }
/// ```
public struct ParsedFeed: Sendable, Equatable {
    /// True when the document was not a well-formed feed; the data is still read as far as possible.
    public var bozo: Bool
    /// Why `bozo` is set, readable.
    public var bozoException: String?
    /// `rss20`, `atom10`, `json11`, … or empty when unknown.
    public var version: String
    /// The character encoding the document was read in (lowercase), empty when unknown.
    public var encoding: String
    public var feed: [String: FeedValue]
    /// The entries, each read like a dictionary (`entry["title"]`).
    public var entries: [FeedObject]
    /// Namespace prefixes in use, canonical prefix → URI.
    public var namespaces: [String: String]

    public init(
        bozo: Bool = false, bozoException: String? = nil, version: String = "", encoding: String = "",
        feed: [String: FeedValue] = [:], entries: [FeedObject] = [], namespaces: [String: String] = [:]
    ) {
        self.bozo = bozo
        self.bozoException = bozoException
        self.version = version
        self.encoding = encoding
        self.feed = feed
        self.entries = entries
        self.namespaces = namespaces
    }

    /// The feed's `ttl` in minutes (RSS `<ttl>`), for the poller; nil when absent or not a number.
    public var ttlMinutes: Int? {
        guard let ttl = feed["ttl"]?.int, ttl > 0 else { return nil }
        return ttl
    }
}

extension ParsedFeed: Encodable {
    private enum CodingKeys: String, CodingKey {
        case bozo, bozoException = "bozo_exception", version, encoding, feed, entries, namespaces
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bozo, forKey: .bozo)
        if let bozoException { try c.encode(bozoException, forKey: .bozoException) }
        try c.encode(version, forKey: .version)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(feed, forKey: .feed)
        try c.encode(entries, forKey: .entries)
        try c.encode(namespaces, forKey: .namespaces)
    }
}
