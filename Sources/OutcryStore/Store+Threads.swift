import Foundation
import OutcryModel
import SQLKit

/// How long an author's open thread takes in their next (non-reply) mention on the same channel and brand.
let defaultAuthorThreadWindow: TimeInterval = 24 * 3600

/// Where a new actionable mention went.
enum ThreadPlacement {
    case opened(ThreadID)
    case joined(ThreadID, reopened: Bool)
}

extension Store {
    /// Puts an actionable mention into the thread it replies to, else into `fallbackThread`
    /// (mail: same sender and subject), else its author's open thread, or opens a thread for it.
    /// A customer writing again on a resolved thread reopens it. `contactID` is the contact the
    /// mention was linked to in this commit: its tier becomes the thread's segment.
    func placeInThread(_ item: ScoredMention, mentionID: MentionID, now: Date, fallbackThread: ThreadID? = nil,
                       contactID: ContactID? = nil) async throws -> ThreadPlacement {
        let m = item.mention
        for parent in m.parentKeys {
            let row = try await sql.raw("""
                SELECT thread_id FROM mentions WHERE key = \(bind: parent) AND thread_id IS NOT NULL LIMIT 1
                """).first()
            if let threadID = try row?.decode(column: "thread_id", as: ThreadID.self) {
                let reopened = try await joinThread(threadID, item, contactID: contactID, mentionID: mentionID, now: now)
                return .joined(threadID, reopened: reopened)
            }
        }
        if let fallbackThread {
            let reopened = try await joinThread(fallbackThread, item, contactID: contactID, mentionID: mentionID, now: now)
            return .joined(fallbackThread, reopened: reopened)
        }
        // Not a reply: the same author on the same channel about the same brand, while their
        // thread is open and active within the window, is the same conversation.
        let author = m.authorHandle.map { ("author_handle", $0) } ?? m.authorName.map { ("author_name", $0) }
        if m.channel != .mail, authorThreadWindow > 0, let (column, value) = author, !value.isEmpty {
            let since = (m.publishedAt.map { min($0, now) } ?? now) - authorThreadWindow
            let row = try await sql.raw("""
                SELECT id FROM threads WHERE \(unsafeRaw: column) = \(bind: value) AND channel = \(bind: m.channel.rawValue)
                AND status <> 'resolved' AND brand IS NOT DISTINCT FROM \(bind: m.brand)
                AND last_mention_at >= \(bind: since.timeIntervalSince1970)
                ORDER BY last_mention_at DESC, id DESC LIMIT 1
                """).first()
            if let threadID = try row?.decode(column: "id", as: ThreadID.self) {
                let reopened = try await joinThread(threadID, item, contactID: contactID, mentionID: mentionID, now: now)
                return .joined(threadID, reopened: reopened)
            }
        }
        let key = "\(m.sourceName)/\(m.key)"
        let title = Self.threadTitle(m)
        let opened = m.publishedAt.map { min($0, now) } ?? now
        let segment = try await segment(ofContact: contactID)
        let row = try await sql.raw("""
            INSERT INTO threads (key, status, severity, severity_rank, title, source_name, channel, author_name,
            author_handle, opened_at, last_mention_at, mention_count, summary, brand, segment)
            VALUES (\(bind: key), 'new', \(bind: item.score.severity.rawValue), \(bind: item.score.severity.rank), \(bind: title),
            \(bind: m.sourceName), \(bind: m.channel.rawValue), \(bind: m.authorName), \(bind: m.authorHandle),
            \(bind: opened.timeIntervalSince1970), \(bind: opened.timeIntervalSince1970), 1, \(bind: item.score.summary),
            \(bind: m.brand), \(bind: segment))
            RETURNING id
            """).first()
        guard let threadID = try row?.decode(column: "id", as: ThreadID.self) else { throw StoreError.notFound("new thread id") }
        try await sql.raw("UPDATE mentions SET thread_id = \(bind: threadID) WHERE id = \(bind: mentionID)").run()
        try await recordEvent(kind: "thread.opened", threadID: threadID, detail: item.score.summary, at: now)
        return .opened(threadID)
    }

    /// Adds a mention to a thread; returns true when that reopened a resolved thread.
    ///
    /// The customer writing again moves the status by ``ThreadStatus/afterCustomerWrote`` (the
    /// alerting lifecycle's rule: resolved → new; on hold or responded → acknowledged), and that
    /// change is stored as a `customer_wrote` thread event, so the history and the status agree.
    private func joinThread(_ threadID: ThreadID, _ item: ScoredMention, contactID: ContactID?, mentionID: MentionID, now: Date) async throws -> Bool {
        guard let row = try await sql.raw("SELECT status, severity_rank FROM threads WHERE id = \(bind: threadID)").first() else {
            throw StoreError.notFound("thread \(threadID)")
        }
        let status = try row.decode(column: "status", as: String.self)
        let rank = try row.decode(column: "severity_rank", as: Int.self)
        let reopened = status == ThreadStatus.resolved.rawValue
        let next = ThreadStatus(rawValue: status)?.afterCustomerWrote.rawValue ?? status
        let raise = item.score.severity.rank < rank
        let segment = try await segment(ofContact: contactID)
        let at = item.mention.publishedAt.map { min($0, now) } ?? now
        try await sql.raw("UPDATE mentions SET thread_id = \(bind: threadID) WHERE id = \(bind: mentionID)").run()
        try await sql.raw("""
            UPDATE threads SET mention_count = mention_count + 1,
            last_mention_at = \(bind: (item.mention.publishedAt ?? now).timeIntervalSince1970),
            status = \(bind: next), brand = COALESCE(brand, \(bind: item.mention.brand)), segment = COALESCE(segment, \(bind: segment))
            WHERE id = \(bind: threadID)
            """).run()
        if next != status {
            try await sql.raw("""
                INSERT INTO thread_events (thread_id, kind, actor, at, from_status, to_status, note)
                VALUES (\(bind: threadID), 'customer_wrote', 'customer', \(bind: max(at, try await lastThreadEventAt(threadID) ?? at).timeIntervalSince1970),
                \(bind: status), \(bind: next), 'the customer wrote again')
                """).run()
        }
        if raise {
            try await sql.raw("""
                UPDATE threads SET severity = \(bind: item.score.severity.rawValue), severity_rank = \(bind: item.score.severity.rank),
                summary = \(bind: item.score.summary) WHERE id = \(bind: threadID)
                """).run()
        }
        if reopened {
            try await recordEvent(kind: "thread.reopened", threadID: threadID, detail: "the customer wrote again", at: now)
        }
        return reopened
    }

    /// The tier (segment) of a linked contact; no query for the common unlinked mention.
    func segment(ofContact contactID: ContactID?) async throws -> String? {
        guard let contactID else { return nil }
        return try await sql.raw("SELECT tier FROM contacts WHERE id = \(bind: contactID) AND opted_out = 0").first()?
            .decode(column: "tier", as: String?.self)
    }

    private func lastThreadEventAt(_ threadID: ThreadID) async throws -> Date? {
        try await sql.raw("SELECT MAX(at) AS at FROM thread_events WHERE thread_id = \(bind: threadID)").first()?
            .decode(column: "at", as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }

    /// For each of these mention keys that is stored in a thread: how many mentions that thread
    /// received since `since` (by publication time, else fetch time). The pipeline uses it for
    /// a reply's velocity before the reply itself is stored.
    public func threadActivity(ofKeys keys: [String], since: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for chunk in Array(Set(keys)).chunked(400) {
            let rows = try await sql.raw("""
                SELECT m.key AS key, (SELECT COUNT(*) FROM mentions x WHERE x.thread_id = m.thread_id
                  AND COALESCE(x.published_at, x.fetched_at) >= \(bind: since.timeIntervalSince1970)) AS n
                FROM mentions m WHERE m.key IN (\(binds: Array(chunk))) AND m.thread_id IS NOT NULL
                """).all()
            for row in rows {
                let key = try row.decode(column: "key", as: String.self)
                counts[key] = max(counts[key] ?? 0, try row.decode(column: "n", as: Int.self))
            }
        }
        return counts
    }

    static func threadTitle(_ m: Mention) -> String {
        let base = (m.title?.isEmpty == false ? m.title! : m.text)
        let line = base.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }

    /// Open threads, most urgent first (severity, then the longest waiting).
    public func openThreads(limit: Int = 500) async throws -> [MentionThread] {
        try await sql.raw("""
            SELECT * FROM threads WHERE status <> 'resolved' ORDER BY severity_rank ASC, opened_at ASC, id ASC LIMIT \(bind: limit)
            """).all().map(Self.thread(from:))
    }

    /// The open threads that come after the thread `afterID` in the order of
    /// ``openThreads(limit:)`` (the queue a page at a time, by the partial index); from the first
    /// with nil. The cursor is the thread's stored position, so each page starts where the last
    /// ended; a cursor thread erased meanwhile ends the listing.
    public func openThreads(limit: Int, afterID: ThreadID?) async throws -> [MentionThread] {
        guard let afterID else { return try await openThreads(limit: limit) }
        // The cursor's values are bound, not a subquery: SQLite then seeks the index on all
        // three columns instead of the first one alone.
        guard let cursor = try await sql.raw("SELECT severity_rank, opened_at FROM threads WHERE id = \(bind: afterID)").first() else { return [] }
        let rank = try cursor.decode(column: "severity_rank", as: Int.self), opened = try cursor.decode(column: "opened_at", as: Double.self)
        return try await sql.raw("""
            SELECT * FROM threads WHERE status <> 'resolved' AND (severity_rank, opened_at, id) > (\(bind: rank), \(bind: opened), \(bind: afterID))
            ORDER BY severity_rank ASC, opened_at ASC, id ASC LIMIT \(bind: limit)
            """).all().map(Self.thread(from:))
    }

    /// One thread by id.
    public func thread(id: ThreadID) async throws -> MentionThread {
        guard let row = try await sql.raw("SELECT * FROM threads WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound("thread \(id)")
        }
        return try Self.thread(from: row)
    }

    static func thread(from row: any SQLRow) throws -> MentionThread {
        MentionThread(
            id: try row.decode(column: "id", as: ThreadID.self),
            key: try row.decode(column: "key", as: String.self),
            status: ThreadStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .none,
            title: try row.decode(column: "title", as: String.self),
            sourceName: try row.decode(column: "source_name", as: String.self),
            channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .feed,
            authorName: try row.decode(column: "author_name", as: String?.self),
            authorHandle: try row.decode(column: "author_handle", as: String?.self),
            openedAt: Date(timeIntervalSince1970: try row.decode(column: "opened_at", as: Double.self)),
            lastMentionAt: Date(timeIntervalSince1970: try row.decode(column: "last_mention_at", as: Double.self)),
            mentionCount: try row.decode(column: "mention_count", as: Int.self),
            summary: try row.decode(column: "summary", as: String.self),
            brand: try row.decode(column: "brand", as: String?.self),
            segment: try row.decode(column: "segment", as: String?.self)
        )
    }
}
