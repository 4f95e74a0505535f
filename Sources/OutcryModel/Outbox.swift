import Foundation

/// Where a notification in the outbox stands.
public enum OutboxStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its time (group wait, quiet hours, a retry's backoff) or being sent.
    case pending
    case sent
    /// Dead-lettered: every attempt failed, or it can never be sent; `outcry outbox --retry` queues it again.
    case dead
}

/// A notification waiting in (or delivered from) the outbox.
public struct OutboxMessage: Sendable, Equatable {
    public var id: OutboxID
    public var threadID: ThreadID?
    public var kind: String
    public var receiver: String
    public var idempotencyKey: String
    public var payload: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?

    public init(id: OutboxID, threadID: ThreadID?, kind: String, receiver: String, idempotencyKey: String, payload: String,
                status: OutboxStatus, attempts: Int, nextAttemptAt: Date, lastError: String?) {
        self.id = id
        self.threadID = threadID
        self.kind = kind
        self.receiver = receiver
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// A row to put in the outbox (one per receiver; `UNIQUE(receiver, idempotency_key)` drops repeats).
public struct NewOutboxRow: Sendable, Equatable {
    public var threadID: ThreadID?
    public var kind: String
    public var receiver: String
    public var idempotencyKey: String
    public var payload: String
    public var notBefore: Date
    public var groupKey: String?

    public init(threadID: ThreadID?, kind: String, receiver: String, idempotencyKey: String, payload: String, notBefore: Date,
                groupKey: String? = nil) {
        self.threadID = threadID
        self.kind = kind
        self.receiver = receiver
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.notBefore = notBefore
        self.groupKey = groupKey
    }
}

/// One stored lifecycle transition of a thread (the alerting module turns it into a `ThreadEvent`).
public struct StoredThreadEvent: Sendable, Equatable {
    public var threadID: ThreadID
    public var kind: String
    public var actor: String
    public var at: Date
    public var from: String?
    public var to: String
    public var note: String?
    public var assigneeKind: String?
    public var assigneeName: String?

    public init(threadID: ThreadID, kind: String, actor: String, at: Date, from: String?, to: String, note: String? = nil,
                assigneeKind: String? = nil, assigneeName: String? = nil) {
        self.threadID = threadID
        self.kind = kind
        self.actor = actor
        self.at = at
        self.from = from
        self.to = to
        self.note = note
        self.assigneeKind = assigneeKind
        self.assigneeName = assigneeName
    }
}
