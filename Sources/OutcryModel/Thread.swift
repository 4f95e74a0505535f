import Foundation

/// Where a thread stands in its lifecycle.
public enum ThreadStatus: String, Sendable, Codable, CaseIterable {
    case new
    case acknowledged
    case responded
    case onHold = "on_hold"
    case resolved

    public var isOpen: Bool { self != .resolved }

    /// The status after the customer writes again: a resolved thread is new again (it reopens),
    /// one on hold or responded is acknowledged (a next response is owed), new and acknowledged
    /// stay. The one statement of the rule: thread placement at ingest and the alerting
    /// lifecycle both apply it.
    public var afterCustomerWrote: ThreadStatus {
        switch self {
        case .resolved: .new
        case .onHold, .responded: .acknowledged
        case .new, .acknowledged: self
        }
    }
}

/// A conversation: the mentions of one customer about one matter.
public struct MentionThread: Sendable, Equatable, Codable {
    public var id: ThreadID?
    /// Grouping key (mail root Message-ID, reply chain root, or author+topic window).
    public var key: String
    public var status: ThreadStatus
    public var severity: Severity
    public var title: String
    public var sourceName: String
    public var channel: Channel
    public var authorName: String?
    public var authorHandle: String?
    public var openedAt: Date
    public var lastMentionAt: Date
    public var mentionCount: Int
    /// The reasons of the most severe mention, for the queue view.
    public var summary: String
    /// The brand the thread is about (from its first mention with one).
    public var brand: String?
    /// The customer segment (tier) of the linked contact, for routing and per-segment reports.
    public var segment: String?

    public init(
        id: ThreadID? = nil, key: String, status: ThreadStatus = .new, severity: Severity, title: String,
        sourceName: String, channel: Channel, authorName: String? = nil, authorHandle: String? = nil,
        openedAt: Date, lastMentionAt: Date, mentionCount: Int = 1, summary: String = "",
        brand: String? = nil, segment: String? = nil
    ) {
        self.brand = brand
        self.segment = segment
        self.id = id
        self.key = key
        self.status = status
        self.severity = severity
        self.title = title
        self.sourceName = sourceName
        self.channel = channel
        self.authorName = authorName
        self.authorHandle = authorHandle
        self.openedAt = openedAt
        self.lastMentionAt = lastMentionAt
        self.mentionCount = mentionCount
        self.summary = summary
    }
}
