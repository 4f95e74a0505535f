import Foundation

/// How far a mention reached: the audience and engagement its network reports.
public struct Reach: Sendable, Equatable, Codable {
    public var followers: Int?
    public var likes: Int?
    public var reposts: Int?
    public var replies: Int?

    public init(followers: Int? = nil, likes: Int? = nil, reposts: Int? = nil, replies: Int? = nil) {
        self.followers = followers
        self.likes = likes
        self.reposts = reposts
        self.replies = replies
    }

    public var isEmpty: Bool { followers == nil && likes == nil && reposts == nil && replies == nil }
}

/// One public post, feed item or mail message that mentions the brand.
///
/// A mention is identified by its source and a stable `key` (the item's id or guid, else its
/// link, else a hash of its content), so storing it twice changes nothing.
public struct Mention: Sendable, Equatable, Codable {
    /// Database id, nil until stored.
    public var id: MentionID?
    public var sourceName: String
    public var channel: Channel
    /// Stable key per source: guid/id, else link, else content hash.
    public var key: String
    public var url: String?
    public var title: String?
    /// Plain text used for scoring and display (HTML removed).
    public var text: String
    /// Sanitised HTML for display, when the item had HTML.
    public var html: String?
    public var authorName: String?
    /// Handle on its network (`@user@instance`, `u/name`, …) or the sender's mail address.
    public var authorHandle: String?
    public var authorEmail: String?
    public var publishedAt: Date?
    public var fetchedAt: Date
    public var language: String?
    public var reach: Reach
    /// Message-ID or post id this one replies to, for threading.
    public var inReplyTo: String?
    /// Earlier message ids in the conversation (mail `References`).
    public var references: [String]
    /// A hash of the content, to notice an edited item.
    public var contentHash: String
    /// The watched brand this mention is about (the source's brand, else the first brand whose
    /// keywords or query match it); nil when no brand is configured or none matched.
    public var brand: String?

    public init(
        id: MentionID? = nil, sourceName: String, channel: Channel, key: String, url: String? = nil,
        title: String? = nil, text: String, html: String? = nil, authorName: String? = nil,
        authorHandle: String? = nil, authorEmail: String? = nil, publishedAt: Date? = nil,
        fetchedAt: Date, language: String? = nil, reach: Reach = Reach(), inReplyTo: String? = nil,
        references: [String] = [], contentHash: String? = nil, brand: String? = nil
    ) {
        self.brand = brand
        self.id = id
        self.sourceName = sourceName
        self.channel = channel
        self.key = key
        self.url = url
        self.title = title
        self.text = text
        self.html = html
        self.authorName = authorName
        self.authorHandle = authorHandle
        self.authorEmail = authorEmail
        self.publishedAt = publishedAt
        self.fetchedAt = fetchedAt
        self.language = language
        self.reach = reach
        self.inReplyTo = inReplyTo
        self.references = references
        self.contentHash = contentHash ?? StableHash.hex(of: [title ?? "", text, url ?? ""].joined(separator: "\u{1F}"))
    }

    /// The keys of the mentions this one answers, nearest first: `In-Reply-To`, then
    /// `References` from the end. Threading and velocity both follow them.
    public var parentKeys: [String] {
        ([inReplyTo].compactMap { $0 } + references.reversed()).filter { !$0.isEmpty }
    }

    /// The text a scorer reads: the title followed by the body, without repeating a title
    /// that the body already starts with.
    public var scoringText: String {
        guard let title, !title.isEmpty else { return text }
        if text.isEmpty { return title }
        if text.hasPrefix(title) { return text }
        return title + ". " + text
    }
}

/// The channel a mention came through; SLA policies and reports are per channel.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case feed, social, mail
}
