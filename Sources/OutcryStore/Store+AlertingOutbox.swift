import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// One outbox message by id.
    public func outboxMessage(id: OutboxID) async throws -> OutboxMessage {
        guard let row = try await sql.raw("SELECT * FROM outbox WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound("outbox message \(id)")
        }
        return try Self.outboxMessage(from: row)
    }

    /// The group key a fanned-out message belongs to (nil for ungrouped ones).
    public func outboxGroupKey(id: OutboxID) async throws -> String? {
        try await sql.raw("SELECT group_key FROM outbox WHERE id = \(bind: id)").first()?.decode(column: "group_key", as: String?.self)
    }

    /// Pending messages of one group for one receiver, oldest first.
    public func pendingInGroup(_ groupKey: String, receiver: String, now: Date = Date()) async throws -> [OutboxMessage] {
        // Rows another dispatcher is sending right now (held, see ``hold(_:until:)``) are not
        // this group's to send again.
        try await sql.raw("""
            SELECT * FROM outbox WHERE status = 'pending' AND group_key = \(bind: groupKey) AND receiver = \(bind: receiver)
            AND NOT (last_error IS NOT NULL AND last_error = \(bind: Self.inFlight) AND next_attempt_at > \(bind: now.timeIntervalSince1970))
            ORDER BY id
            """).all().map(Self.outboxMessage(from:))
    }

    /// What a held row says while it is being sent.
    public static let inFlight = "in flight"

    /// Holds rows about to be sent: not due, and not gathered into another notification of their
    /// group, until `until` (longer than a send can take), so a dispatcher that takes over while
    /// this one is still sending does not send them too. Recording the send (or its failure)
    /// replaces the mark; a dispatcher that dies leaves them due again when the hold ends.
    public func hold(_ ids: [OutboxID], until: Date) async throws {
        try await transaction {
            for id in ids {
                try await sql.raw("""
                    UPDATE outbox SET next_attempt_at = \(bind: until.timeIntervalSince1970), last_error = \(bind: Self.inFlight)
                    WHERE id = \(bind: id) AND status = 'pending'
                    """).run()
            }
        }
    }

    /// Moves pending messages to a later attempt time without counting an attempt (grouping, quiet hours).
    public func postpone(_ ids: [OutboxID], until: Date) async throws {
        try await transaction {
            for id in ids {
                try await sql.raw("UPDATE outbox SET next_attempt_at = \(bind: until.timeIntervalSince1970) WHERE id = \(bind: id) AND status = 'pending'").run()
            }
        }
    }

    /// Marks several messages sent together (one grouped notification), in one transaction.
    public func markSent(_ ids: [OutboxID], now: Date) async throws {
        try await transaction {
            for id in ids {
                try await sql.raw("""
                    UPDATE outbox SET status = 'sent', sent_at = \(bind: now.timeIntervalSince1970), attempts = attempts + 1,
                    last_error = NULL WHERE id = \(bind: id)
                    """).run()
            }
        }
    }

    /// Puts a dead-lettered message back in the queue (attempts reset); false if it was not dead.
    @discardableResult
    public func retryDead(_ id: OutboxID, now: Date) async throws -> Bool {
        try await transaction {
            let before = try await outboxMessage(id: id)
            guard before.status == .dead else { return false }
            try await sql.raw("""
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now.timeIntervalSince1970)
                WHERE id = \(bind: id) AND status = 'dead'
                """).run()
            return true
        }
    }

    /// Puts every dead-lettered message back in the queue; returns how many.
    public func retryAllDead(now: Date) async throws -> Int {
        try await transaction {
            let dead = try await outbox(status: .dead, limit: 100_000)
            try await sql.raw("""
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now.timeIntervalSince1970) WHERE status = 'dead'
                """).run()
            return dead.count
        }
    }

    /// The earliest attempt time among pending messages.
    public func nextOutboxAttempt() async throws -> Date? {
        try await sql.raw("SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'").first()?
            .decode(column: "t", as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }
}

extension Store {
    /// The earliest attempt time of an older pending message for the same thread and receiver
    /// (messages of one thread go out in order); nil when none is waiting.
    public func olderPendingAttempt(threadID: ThreadID, receiver: String, beforeID: OutboxID) async throws -> Date? {
        try await sql.raw("""
            SELECT MAX(next_attempt_at) AS t FROM outbox WHERE status = 'pending' AND thread_id = \(bind: threadID)
            AND receiver = \(bind: receiver) AND id < \(bind: beforeID)
            """).first()?.decode(column: "t", as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }
}
