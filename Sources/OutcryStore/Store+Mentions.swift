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
    public var threadsOpened: [Int64] = []
    public var threadsJoined: [Int64] = []
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
        try await transaction {
            var result = IngestResult()
            let backlog = try await !backlogDone(source)
            result.backlog = backlog
            let silent = backlog && !alertOnBacklog

            let deduplicated = Self.lastByKey(mentions)
            let existing = try await existingHashes(source: source, keys: deduplicated.map(\.mention.key))
            var fresh: [ScoredMention] = []
            var changed: Set<String> = []
            for item in deduplicated {
                switch existing[item.mention.key] {
                case nil:
                    fresh.append(item)
                    changed.insert(item.mention.key)
                case item.mention.contentHash?: result.unchanged += 1
                default:
                    changed.insert(item.mention.key)
                    try await updateEdited(source: source, item)
                    result.updated += 1
                }
            }
            let ids = try await insertMentions(source: source, fresh, backlog: backlog)
            result.inserted = fresh.count
            // Contact links (by mention key) land in the same transaction as their mentions.
            try await saveLinks(source: source, links.filter { key, _ in changed.contains(key) }, now: now)
            let actionable = zip(fresh, ids).filter { $0.0.isActionable }.map { item, id in
                Placeable(item: item, mentionID: id, contactID: links[item.mention.key]?.contactID)
            }
            let openedInBulk = try await openThreadsInBulk(actionable, now: now)
            var alerts: [ThreadAlertRequest] = []
            for (index, placeable) in actionable.enumerated() {
                let item = placeable.item
                let placement: ThreadPlacement
                if let threadID = openedInBulk[index] {
                    placement = .opened(threadID)
                } else {
                    placement = try await placeInThread(item, mentionID: placeable.mentionID, now: now, contactID: placeable.contactID)
                }
                switch placement {
                case .opened(let threadID):
                    result.threadsOpened.append(threadID)
                    if !silent { alerts.append(Self.alertRequest(threadID: threadID, event: "thread.opened", item: item)) }
                case .joined(let threadID, let reopened):
                    result.threadsJoined.append(threadID)
                    if reopened && !silent { alerts.append(Self.alertRequest(threadID: threadID, event: "thread.reopened", item: item)) }
                }
            }
            if let routing, !alerts.isEmpty { try await write(try await routing.outbox(for: alerts, store: self, now: now), now: now) }
            result.alertsQueued = alerts.count
            result.recovered = try await recordPollSuccess(source, success, now: now)
            return result
        }
    }

    /// Records a poll that fetched nothing new (304, or an empty feed) and brings a failing source back.
    @discardableResult
    public func recordNotModified(_ source: String, success: PollSuccess, now: Date = Date()) async throws -> Bool {
        try await transaction { try await recordPollSuccess(source, success, now: now) }
    }

    func recordPollSuccess(_ source: String, _ success: PollSuccess, now: Date) async throws -> Bool {
        let state = try await pollState(source)
        try await sql.raw("""
            UPDATE sources SET etag = \(bind: success.etag), last_modified = \(bind: success.lastModified),
            next_poll_at = \(bind: success.nextPollAt.timeIntervalSince1970), last_attempt_at = \(bind: now.timeIntervalSince1970),
            last_success_at = \(bind: now.timeIntervalSince1970), consecutive_errors = 0, last_error = NULL,
            failing_since = NULL, backlog_done = 1, url = \(bind: success.newURL ?? state.url)
            WHERE name = \(bind: source)
            """).run()
        if let newURL = success.newURL, newURL != state.url {
            try await recordEvent(kind: "source.moved", sourceName: source, detail: "permanent redirect: \(state.url) → \(newURL)", at: now)
        }
        // A "source down" event is written only while a source is failing, and only this success
        // clears that state: a source that was not failing has nothing to recover from (and the
        // steady state, polls of healthy sources, saves a query).
        let wasFailing = state.consecutiveErrors > 0 || state.failingSince != nil
        if wasFailing, try await lastSourceEvent(source) == "source.down" {
            try await recordEvent(kind: "source.recovered", sourceName: source, detail: "fetched successfully again", at: now)
            return true
        }
        return false
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

    func existingHashes(source: String, keys: [String]) async throws -> [String: String] {
        var hashes: [String: String] = [:]
        for chunk in keys.chunked(400) {
            let rows = try await sql.select().columns("key", "content_hash").from("mentions")
                .where("source_name", .equal, source).where("key", .in, Array(chunk)).all()
            for row in rows {
                hashes[try row.decode(column: "key", as: String.self)] = try row.decode(column: "content_hash", as: String.self)
            }
        }
        return hashes
    }

    static let mentionColumns = [
        "source_name", "key", "channel", "url", "title", "text", "html", "author_name", "author_handle", "author_email",
        "published_at", "fetched_at", "language", "followers", "likes", "reposts", "replies", "in_reply_to", "refs",
        "content_hash", "sentiment", "sentiment_label", "complaint_score", "is_complaint", "urgency", "severity", "reasons",
        "backlog", "brand",
    ]

    /// Multi-row inserts, a few hundred rows a statement, each answering with the new ids
    /// (`RETURNING`: one round trip a chunk, which PostgreSQL pays for in time); returns them in order.
    func insertMentions(source: String, _ items: [ScoredMention], backlog: Bool) async throws -> [Int64] {
        guard !items.isEmpty else { return [] }
        var ids: [String: Int64] = [:]
        for chunk in items.chunked(200) {
            let insert = sql.insert(into: "mentions").columns(Self.mentionColumns)
            for item in chunk { insert.values(try Self.mentionValues(source: source, item, backlog: backlog)) }
            for row in try await insert.returning("id", "key").all() {
                ids[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        return try items.map { item in
            guard let id = ids[item.mention.key] else { throw StoreError.notFound("mention '\(item.mention.key)' just inserted") }
            return id
        }
    }

    private static func mentionValues(source: String, _ item: ScoredMention, backlog: Bool) throws -> [any Encodable & Sendable] {
        let m = item.mention
        let s = item.score
        return [
            source, m.key, m.channel.rawValue, m.url, m.title, m.text, m.html, m.authorName, m.authorHandle, m.authorEmail,
            m.publishedAt?.timeIntervalSince1970, m.fetchedAt.timeIntervalSince1970, m.language,
            m.reach.followers, m.reach.likes, m.reach.reposts, m.reach.replies, m.inReplyTo, try CanonicalJSON.encode(m.references),
            m.contentHash, s.sentiment.compound, s.sentiment.label.rawValue, s.complaint.score, s.complaint.isComplaint ? 1 : 0,
            try CanonicalJSON.encode(s.urgency), s.severity.rawValue, try CanonicalJSON.encode(s.reasons), backlog ? 1 : 0, m.brand,
        ]
    }

    private func updateEdited(source: String, _ item: ScoredMention) async throws {
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
    public func mention(id: Int64) async throws -> StoredMention {
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
    public var threadID: Int64?
    public var backlog: Bool

    init(row: any SQLRow) throws {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        mention = Mention(
            id: try row.decode(column: "id", as: Int64.self),
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
        threadID = try row.decode(column: "thread_id", as: Int64?.self)
        backlog = try row.decode(column: "backlog", as: Int.self) == 1
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
