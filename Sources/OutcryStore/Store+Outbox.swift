import Foundation
import OutcryModel
import SQLKit

/// A notification waiting in (or delivered from) the outbox.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var threadID: Int64?
    public var kind: String
    public var receiver: String
    public var idempotencyKey: String
    public var payload: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
}

extension Store {
    /// Queues an alert for a thread, inside the caller's transaction. The idempotency key makes
    /// a replayed poll queue nothing twice.
    func enqueueAlert(threadID: Int64, reason: String, item: ScoredMention, now: Date) async throws {
        try await enqueueAlerts([(threadID, reason, item)], now: now)
    }

    /// Queues these alerts in order, a few hundred to a statement.
    func enqueueAlerts(_ alerts: [(threadID: Int64, reason: String, item: ScoredMention)], now: Date) async throws {
        for chunk in alerts.chunked(200) {
            let rows: [SQLQueryString] = try chunk.map { threadID, reason, item in
                let payload = AlertPayload(
                    threadID: threadID, event: reason, severity: item.score.severity.rawValue, source: item.mention.sourceName,
                    title: Self.threadTitle(item.mention), url: item.mention.url, summary: item.score.summary
                )
                let key = "\(reason):\(threadID):\(item.mention.key)"
                return """
                    (\(bind: threadID), \(bind: reason), 'log', \(bind: key), \(bind: try CanonicalJSON.encode(payload)),
                    \(bind: now.timeIntervalSince1970), \(bind: now.timeIntervalSince1970))
                    """
            }
            try await sql.raw("""
                INSERT INTO outbox (thread_id, kind, receiver, idempotency_key, payload, next_attempt_at, created_at)
                VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (receiver, idempotency_key) DO NOTHING
                """).run()
        }
    }

    /// Queues a "source down" or "source recovered" notice for the operators.
    func enqueueSourceNotice(_ event: String, source: String, detail: String, now: Date) async throws {
        // Error texts can quote a feed URL with its token: stored masked (issue 13).
        let payload = AlertPayload(threadID: nil, event: event, severity: "none", source: source, title: "source \(source)", url: nil,
                                   summary: SecretMasking.maskSecrets(inText: detail))
        try await enqueue(threadID: nil, payload: payload, key: "\(event):\(source):\(Int(now.timeIntervalSince1970))", now: now)
    }

    private func enqueue(threadID: Int64?, payload: AlertPayload, key: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO outbox (thread_id, kind, receiver, idempotency_key, payload, next_attempt_at, created_at)
            VALUES (\(bind: threadID), \(bind: payload.event), 'log', \(bind: key),
            \(bind: try CanonicalJSON.encode(payload)), \(bind: now.timeIntervalSince1970), \(bind: now.timeIntervalSince1970))
            ON CONFLICT (receiver, idempotency_key) DO NOTHING
            """).run()
    }

    /// Messages due for delivery, oldest first (so each thread's stay in order).
    public func dueOutbox(now: Date, limit: Int = 100) async throws -> [OutboxMessage] {
        try await sql.raw("""
            SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now.timeIntervalSince1970)
            ORDER BY id LIMIT \(bind: limit)
            """).all().map(Self.outboxMessage(from:))
    }

    /// All messages with a status (`pending`, `sent`, `dead`), newest first.
    public func outbox(status: String? = nil, limit: Int = 200) async throws -> [OutboxMessage] {
        if let status {
            return try await sql.raw("SELECT * FROM outbox WHERE status = \(bind: status) ORDER BY id DESC LIMIT \(bind: limit)")
                .all().map(Self.outboxMessage(from:))
        }
        return try await sql.raw("SELECT * FROM outbox ORDER BY id DESC LIMIT \(bind: limit)").all().map(Self.outboxMessage(from:))
    }

    public func markSent(_ id: Int64, now: Date) async throws {
        try await transaction {
            try await sql.raw("""
                UPDATE outbox SET status = 'sent', sent_at = \(bind: now.timeIntervalSince1970), attempts = attempts + 1,
                last_error = NULL WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Records a failed delivery: retried at `retryAt`, or dead-lettered when `retryAt` is nil.
    public func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws {
        let error = SecretMasking.maskSecrets(inText: error)  // a webhook URL or SMTP password never lands in last_error
        try await transaction {
            if let retryAt {
                try await sql.raw("""
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: error),
                    next_attempt_at = \(bind: retryAt.timeIntervalSince1970) WHERE id = \(bind: id)
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: error), status = 'dead' WHERE id = \(bind: id)
                    """).run()
            }
        }
    }

    static func outboxMessage(from row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.decode(column: "id", as: Int64.self),
            threadID: try row.decode(column: "thread_id", as: Int64?.self),
            kind: try row.decode(column: "kind", as: String.self),
            receiver: try row.decode(column: "receiver", as: String.self),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: Date(timeIntervalSince1970: try row.decode(column: "next_attempt_at", as: Double.self)),
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }
}

/// What an alert in the outbox says; the notifiers render it for their receiver.
public struct AlertPayload: Codable, Sendable, Equatable {
    /// Nil for notices about sources rather than threads.
    public var threadID: Int64?
    public var event: String
    public var severity: String
    public var source: String
    public var title: String
    public var url: String?
    public var summary: String
}
