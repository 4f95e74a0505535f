import Foundation
import OutcryModel
import SQLKit

/// Where a new actionable mention went.
enum ThreadPlacement {
    case opened(Int64)
    case joined(Int64, reopened: Bool)
}

extension Store {
    /// Puts an actionable mention into the thread it replies to, else into `fallbackThread`
    /// (mail: same sender and subject), or opens a thread for it.
    /// A customer writing again on a resolved thread reopens it.
    func placeInThread(_ item: ScoredMention, mentionID: Int64, now: Date, fallbackThread: Int64? = nil) async throws -> ThreadPlacement {
        let m = item.mention
        let parents = ([m.inReplyTo].compactMap { $0 } + m.references.reversed()).filter { !$0.isEmpty }
        for parent in parents {
            let row = try await sql.raw("""
                SELECT thread_id FROM mentions WHERE key = \(bind: parent) AND thread_id IS NOT NULL LIMIT 1
                """).first()
            if let threadID = try row?.decode(column: "thread_id", as: Int64.self) {
                let reopened = try await joinThread(threadID, item, mentionID: mentionID, now: now)
                return .joined(threadID, reopened: reopened)
            }
        }
        if let fallbackThread {
            let reopened = try await joinThread(fallbackThread, item, mentionID: mentionID, now: now)
            return .joined(fallbackThread, reopened: reopened)
        }
        let key = "\(m.sourceName)/\(m.key)"
        let title = Self.threadTitle(m)
        let opened = m.publishedAt.map { min($0, now) } ?? now
        let row = try await sql.raw("""
            INSERT INTO threads (key, status, severity, severity_rank, title, source_name, channel, author_name,
            author_handle, opened_at, last_mention_at, mention_count, summary)
            VALUES (\(bind: key), 'new', \(bind: item.score.severity.rawValue), \(bind: item.score.severity.rank), \(bind: title),
            \(bind: m.sourceName), \(bind: m.channel.rawValue), \(bind: m.authorName), \(bind: m.authorHandle),
            \(bind: opened.timeIntervalSince1970), \(bind: opened.timeIntervalSince1970), 1, \(bind: item.score.summary))
            RETURNING id
            """).first()
        guard let threadID = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("new thread id") }
        try await sql.raw("UPDATE mentions SET thread_id = \(bind: threadID) WHERE id = \(bind: mentionID)").run()
        try await recordEvent(kind: "thread.opened", threadID: threadID, detail: item.score.summary, at: now)
        return .opened(threadID)
    }

    /// Adds a mention to a thread; returns true when that reopened a resolved thread.
    private func joinThread(_ threadID: Int64, _ item: ScoredMention, mentionID: Int64, now: Date) async throws -> Bool {
        guard let row = try await sql.raw("SELECT status, severity_rank FROM threads WHERE id = \(bind: threadID)").first() else {
            throw StoreError.notFound("thread \(threadID)")
        }
        let status = try row.decode(column: "status", as: String.self)
        let rank = try row.decode(column: "severity_rank", as: Int.self)
        let reopened = status == ThreadStatus.resolved.rawValue
        let raise = item.score.severity.rank < rank
        try await sql.raw("UPDATE mentions SET thread_id = \(bind: threadID) WHERE id = \(bind: mentionID)").run()
        try await sql.raw("""
            UPDATE threads SET mention_count = mention_count + 1,
            last_mention_at = \(bind: (item.mention.publishedAt ?? now).timeIntervalSince1970),
            status = CASE WHEN status IN ('resolved', 'on_hold') THEN 'new' ELSE status END
            WHERE id = \(bind: threadID)
            """).run()
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

    /// One thread by id.
    public func thread(id: Int64) async throws -> MentionThread {
        guard let row = try await sql.raw("SELECT * FROM threads WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound("thread \(id)")
        }
        return try Self.thread(from: row)
    }

    static func thread(from row: any SQLRow) throws -> MentionThread {
        MentionThread(
            id: try row.decode(column: "id", as: Int64.self),
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
            summary: try row.decode(column: "summary", as: String.self)
        )
    }
}
