import Foundation
import OutcryModel
import SQLKit

/// What a successful fetch tells the store about the source.
public struct PollSuccess: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
    public var nextPollAt: Date
    /// The new address after a permanent redirect (301/308), to be fetched from now on.
    public var newURL: String?

    public init(etag: String?, lastModified: String?, nextPollAt: Date, newURL: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.nextPollAt = nextPollAt
        self.newURL = newURL
    }
}

/// What one committed poll changed.
public struct IngestResult: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Threads opened by this poll, and the ones it added a mention to.
    public var threadsOpened: [ThreadID] = []
    public var threadsJoined: [ThreadID] = []
    /// Alerts raised (threads opened or reopened outside the backlog), routed in the same transaction.
    public var alertsQueued = 0
    /// True when the source had been failing and this poll brought it back.
    public var recovered = false
    /// True when this was the source's first poll (its backlog, stored without alerts).
    public var backlog = false

    public init() {}
}

extension Store {
    /// Stores one successful poll of a source in a single transaction: new mentions inserted,
    /// edited ones updated (no second alert), threads opened or joined, the alerts of the opened
    /// and reopened threads routed by `routing` into per-receiver outbox rows, and the validators
    /// and schedule of the source — so a crash anywhere leaves the previous poll's state, and the
    /// next pass fetches the same items again. Without `routing` no alert is written.
    public func commitPoll(
        source: String, mentions: [ScoredMention], success: PollSuccess, alertOnBacklog: Bool = false,
        links: [String: MentionLink] = [:], routing: (any ThreadAlertRouting)? = nil, now: Date = Date()
    ) async throws -> IngestResult {
        let commit = PollCommit(source: source, mentions: mentions, success: success, links: links)
        return try await commitPolls([commit], alertOnBacklog: alertOnBacklog, routing: routing, now: now)[0]
    }

    /// Records a poll that fetched nothing new (304, or an empty feed) and brings a failing source back.
    @discardableResult
    public func recordNotModified(_ source: String, success: PollSuccess, now: Date = Date()) async throws -> Bool {
        try await transaction { try await recordPollSuccess(source, success, now: now) }
    }

    func recordPollSuccess(_ source: String, _ success: PollSuccess, now: Date) async throws -> Bool {
        let states = try await pollStates(named: [source])
        guard states[source] != nil else { throw StoreError.notFound("source '\(source)'") }
        return try await recordPollSuccesses([(source, success)], states: states, now: now).contains(source)
    }

    /// Feeds sometimes repeat an item; the last copy wins, as it would on a second poll.
    static func lastByKey(_ mentions: [ScoredMention]) -> [ScoredMention] {
        var position: [String: Int] = [:]
        var result: [ScoredMention] = []
        for item in mentions {
            if let index = position[item.mention.key] {
                result[index] = item
            } else {
                position[item.mention.key] = result.count
                result.append(item)
            }
        }
        return result
    }

    static let mentionColumns = [
        "source_name", "key", "channel", "url", "title", "text", "html", "author_name", "author_handle", "author_email",
        "published_at", "fetched_at", "language", "followers", "likes", "reposts", "replies", "in_reply_to", "refs",
        "content_hash", "sentiment", "sentiment_label", "complaint_score", "is_complaint", "urgency", "severity", "reasons",
        "brand", "backlog",
    ]

    /// A mention's stored values but its backlog mark and thread (``mentionColumns`` up to
    /// `brand`), as JSON: made where the poll runs (``PollCommit``), or in the commit for mail.
    static func mentionValues(source: String, _ item: ScoredMention) throws -> BulkRows.Fragment {
        let m = item.mention
        let s = item.score
        return try BulkRows.fragment { rows in
            rows.text(source)
            rows.text(m.key)
            rows.text(m.channel.rawValue)
            rows.text(m.url)
            rows.text(m.title)
            rows.text(m.text)
            rows.text(m.html)
            rows.text(m.authorName)
            rows.text(m.authorHandle)
            rows.text(m.authorEmail)
            rows.real(m.publishedAt?.timeIntervalSince1970)
            rows.real(m.fetchedAt.timeIntervalSince1970)
            rows.text(m.language)
            rows.integer(m.reach.followers.map(Int64.init))
            rows.integer(m.reach.likes.map(Int64.init))
            rows.integer(m.reach.reposts.map(Int64.init))
            rows.integer(m.reach.replies.map(Int64.init))
            rows.text(m.inReplyTo)
            rows.text(try CanonicalJSON.encode(m.references))
            rows.text(m.contentHash)
            rows.real(s.sentiment.compound)
            rows.text(s.sentiment.label.rawValue)
            rows.real(s.complaint.score)
            rows.integer(s.complaint.isComplaint ? 1 : 0)
            rows.text(try CanonicalJSON.encode(s.urgency))
            rows.text(s.severity.rawValue)
            rows.text(try CanonicalJSON.encode(s.reasons))
            rows.text(m.brand)
        }
    }

    /// One insert of the rows of many sources' new mentions (``bulkInsert``: the rows as one
    /// JSON parameter a chunk), answering with the new ids (`RETURNING`); returns them in order.
    /// `threads`: each mention's thread, when it was placed before it is stored (then no ids are
    /// returned). `values`: a mention's values made ahead (``mentionValues(source:_:)``).
    func insertMentions(_ items: [(source: String, item: ScoredMention, backlog: Bool)], threads: [ThreadID?]? = nil,
                        values: [BulkRows.Fragment?]? = nil) async throws -> [MentionID] {
        guard !items.isEmpty else { return [] }
        var rows = BulkRows(width: Self.mentionColumns.count + 1, rowsPerChunk: 1_000)
        for (position, (source, item, backlog)) in items.enumerated() {
            rows.beginRow()
            if let made = values?[position] {
                rows.values(made)
            } else {
                rows.values(try Self.mentionValues(source: source, item))
            }
            rows.integer(backlog ? 1 : 0)
            rows.integer(threads.flatMap { $0[position] })
            rows.endRow()
        }
        let columns = Self.mentionColumns + ["thread_id"]
        // Placed before they are stored, the rows' ids are not needed: no RETURNING to decode.
        guard threads == nil else {
            try await bulkInsert("mentions", columns: columns, rows: rows)
            return []
        }
        var ids: [SourceKey: MentionID] = [:]
        for row in try await bulkInsert("mentions", columns: columns, rows: rows, suffix: "RETURNING id, source_name, key") {
            let id = SourceKey(source: try row.decode(column: "source_name", as: String.self), key: try row.decode(column: "key", as: String.self))
            ids[id] = try row.decode(column: "id", as: MentionID.self)
        }
        return try items.map { source, item, _ in
            guard let id = ids[SourceKey(source: source, key: item.mention.key)] else {
                throw StoreError.notFound("mention '\(item.mention.key)' of '\(source)' just inserted")
            }
            return id
        }
    }

    func updateEdited(source: String, _ item: ScoredMention) async throws {
        let m = item.mention
        let s = item.score
        try await sql.update("mentions")
            .set("title", to: m.title).set("text", to: m.text).set("html", to: m.html).set("url", to: m.url)
            .set("content_hash", to: m.contentHash).set("sentiment", to: s.sentiment.compound)
            .set("sentiment_label", to: s.sentiment.label.rawValue).set("complaint_score", to: s.complaint.score)
            .set("is_complaint", to: s.complaint.isComplaint ? 1 : 0).set("urgency", to: try CanonicalJSON.encode(s.urgency))
            .set("severity", to: s.severity.rawValue).set("reasons", to: try CanonicalJSON.encode(s.reasons)).set("brand", to: m.brand)
            .where("source_name", .equal, source).where("key", .equal, m.key)
            .run()
    }

    /// A stored mention with its score, by id.
    public func mention(id: MentionID) async throws -> StoredMention {
        guard let row = try await sql.raw("SELECT * FROM mentions WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound("mention \(id)")
        }
        return try StoredMention(row: row)
    }

    /// A stored mention by its source and key, if stored.
    public func mention(key: String, source: String) async throws -> StoredMention? {
        try await sql.raw("SELECT * FROM mentions WHERE source_name = \(bind: source) AND key = \(bind: key)").first().map(StoredMention.init(row:))
    }

    /// How many mentions a source has stored.
    public func mentionCount(source: String? = nil) async throws -> Int {
        let row: (any SQLRow)?
        if let source {
            row = try await sql.raw("SELECT COUNT(*) AS n FROM mentions WHERE source_name = \(bind: source)").first()
        } else {
            row = try await sql.raw("SELECT COUNT(*) AS n FROM mentions").first()
        }
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// A mention as stored, with its score and thread.
public struct StoredMention: Sendable, Equatable {
    public var mention: Mention
    public var score: Score
    public var threadID: ThreadID?
    public var backlog: Bool

    init(row: any SQLRow) throws {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        mention = Mention(
            id: try row.decode(column: "id", as: MentionID.self),
            sourceName: try row.decode(column: "source_name", as: String.self),
            channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .feed,
            key: try row.decode(column: "key", as: String.self),
            url: try row.decode(column: "url", as: String?.self),
            title: try row.decode(column: "title", as: String?.self),
            text: try row.decode(column: "text", as: String.self),
            html: try row.decode(column: "html", as: String?.self),
            authorName: try row.decode(column: "author_name", as: String?.self),
            authorHandle: try row.decode(column: "author_handle", as: String?.self),
            authorEmail: try row.decode(column: "author_email", as: String?.self),
            publishedAt: try date("published_at"),
            fetchedAt: try date("fetched_at") ?? Date(timeIntervalSince1970: 0),
            language: try row.decode(column: "language", as: String?.self),
            reach: Reach(
                followers: try row.decode(column: "followers", as: Int?.self), likes: try row.decode(column: "likes", as: Int?.self),
                reposts: try row.decode(column: "reposts", as: Int?.self), replies: try row.decode(column: "replies", as: Int?.self)
            ),
            inReplyTo: try row.decode(column: "in_reply_to", as: String?.self),
            references: try CanonicalJSON.decode([String].self, try row.decode(column: "refs", as: String.self)),
            contentHash: try row.decode(column: "content_hash", as: String.self),
            brand: try row.decode(column: "brand", as: String?.self)
        )
        let compound = try row.decode(column: "sentiment", as: Double?.self) ?? 0
        score = Score(
            sentiment: Sentiment(
                compound: compound,
                label: SentimentLabel(rawValue: try row.decode(column: "sentiment_label", as: String?.self) ?? "") ?? .neutral
            ),
            complaint: ComplaintIntent(
                isComplaint: try row.decode(column: "is_complaint", as: Int?.self) == 1,
                score: try row.decode(column: "complaint_score", as: Double?.self) ?? 0
            ),
            urgency: try CanonicalJSON.decode([UrgencyCategory].self, try row.decode(column: "urgency", as: String.self)),
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .none,
            reasons: try CanonicalJSON.decode([Reason].self, try row.decode(column: "reasons", as: String.self))
        )
        threadID = try row.decode(column: "thread_id", as: ThreadID?.self)
        backlog = try row.decode(column: "backlog", as: Int.self) == 1
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
