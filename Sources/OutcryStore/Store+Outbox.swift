import Foundation
import OutcryModel
import SQLKit

/// A thread a commit opened or reopened, whose alert is routed inside the same transaction.
public struct ThreadAlertRequest: Sendable, Equatable {
    public var threadID: ThreadID
    /// `thread.opened` or `thread.reopened`.
    public var event: String
    /// The same poll replayed raises the same key, so a receiver gets it at most once.
    public var idempotencyKey: String
    public var severity: Severity
    public var source: String
    public var title: String
    public var summary: String
}

/// A thread alert folded into its brand's open crisis instead of being delivered.
public struct CrisisFold: Sendable, Equatable {
    public var brand: String
    public var alertID: String
    public var title: String

    public init(brand: String, alertID: String, title: String) {
        self.brand = brand
        self.alertID = alertID
        self.title = title
    }
}

/// What routing decided to write to the outbox: one row per receiver (final, rendered later by
/// the dispatcher) and the alerts folded into a crisis. Written in the caller's transaction.
public struct OutboxWrites: Sendable, Equatable, ExpressibleByArrayLiteral {
    public var rows: [NewOutboxRow]
    public var folds: [CrisisFold]

    public init() { self.init(rows: [], folds: []) }

    public init(rows: [NewOutboxRow], folds: [CrisisFold] = []) {
        self.rows = rows
        self.folds = folds
    }

    public init(arrayLiteral rows: NewOutboxRow...) { self.init(rows: rows) }

    public mutating func append(_ other: OutboxWrites) {
        rows += other.rows
        folds += other.folds
    }
}

/// Routes the alerts of the threads a commit opened or reopened (the pipeline's routing tree),
/// inside the commit's transaction: reads go through `store` and see the commit's own writes.
public protocol ThreadAlertRouting: Sendable {
    func outbox(for alerts: [ThreadAlertRequest], store: Store, now: Date) async throws -> OutboxWrites
}

extension Store {
    /// The receiver of rows an earlier version queued for routing (its routing inbox) that were
    /// still waiting when the database was upgraded: the dispatcher routes each once.
    public static let unroutedReceiver = "(unrouted)"

    /// Writes what routing decided, inside the caller's transaction.
    func write(_ writes: OutboxWrites, now: Date) async throws {
        for r in writes.rows { try await insertOutbox(r, now: now) }
        for f in writes.folds { try await foldIntoCrisis(brand: f.brand, alertID: f.alertID, title: f.title, now: now) }
    }

    /// The alert request of a thread placement; the key makes a replayed poll raise nothing twice.
    /// `wording`: the mention's summary and title when they were made already.
    static func alertRequest(threadID: ThreadID, event: String, item: ScoredMention, wording: ThreadWording? = nil) -> ThreadAlertRequest {
        let wording = wording ?? ThreadWording(item)
        return ThreadAlertRequest(threadID: threadID, event: event, idempotencyKey: "\(event):\(threadID):\(item.mention.key)",
                                  severity: item.score.severity, source: item.mention.sourceName, title: wording.title,
                                  summary: wording.summary)
    }

    /// Messages due for delivery, oldest first (so each thread's stay in order).
    public func dueOutbox(now: Date, limit: Int = 100) async throws -> [OutboxMessage] {
        try await sql.raw("""
            SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now.timeIntervalSince1970)
            ORDER BY id LIMIT \(bind: limit)
            """).all().map(Self.outboxMessage(from:))
    }

    /// All messages, or those with a status, newest first.
    public func outbox(status: OutboxStatus? = nil, limit: Int = 200) async throws -> [OutboxMessage] {
        if let status {
            return try await sql.raw("SELECT * FROM outbox WHERE status = \(bind: status.rawValue) ORDER BY id DESC LIMIT \(bind: limit)")
                .all().map(Self.outboxMessage(from:))
        }
        return try await sql.raw("SELECT * FROM outbox ORDER BY id DESC LIMIT \(bind: limit)").all().map(Self.outboxMessage(from:))
    }

    public func markSent(_ id: OutboxID, now: Date) async throws {
        try await transaction {
            try await sql.raw("""
                UPDATE outbox SET status = 'sent', sent_at = \(bind: now.timeIntervalSince1970), attempts = attempts + 1,
                last_error = NULL WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Records a failed delivery: retried at `retryAt`, or dead-lettered when `retryAt` is nil.
    public func markFailed(_ id: OutboxID, error: String, retryAt: Date?) async throws {
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

    static func outboxStatus(_ row: any SQLRow) throws -> OutboxStatus {
        let text = try row.decode(column: "status", as: String.self)
        guard let status = OutboxStatus(rawValue: text) else { throw StoreError(description: "an outbox row has an unknown status '\(text)'") }
        return status
    }

    static func outboxMessage(from row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.decode(column: "id", as: OutboxID.self),
            threadID: try row.decode(column: "thread_id", as: ThreadID?.self),
            kind: try row.decode(column: "kind", as: String.self),
            receiver: try row.decode(column: "receiver", as: String.self),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            status: try Self.outboxStatus(row),
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: Date(timeIntervalSince1970: try row.decode(column: "next_attempt_at", as: Double.self)),
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }
}
