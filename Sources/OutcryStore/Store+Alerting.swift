import Foundation
import OutcryModel
import SQLKit

/// What the alerting side needs to know about a thread besides its history.
public struct ThreadAlertFacts: Sendable, Equatable {
    public var thread: MentionThread
    public var assigneeKind: String?
    public var assigneeName: String?
    public var nextWakeUp: Date?
    public var clocksEvaluatedAt: Date?
    /// From the thread's most severe mention.
    public var excerpt: String
    public var url: String?
    public var urgency: [UrgencyCategory]
    public var reasons: [Reason]
    /// The CRM contact behind the thread (its latest linked mention), when one is linked.
    public var contact: LinkedContactFact?
    /// The language of the most severe mention, when it was detected as not English.
    public var language: String?

    public init(thread: MentionThread, assigneeKind: String? = nil, assigneeName: String? = nil, nextWakeUp: Date? = nil,
                clocksEvaluatedAt: Date? = nil, excerpt: String, url: String? = nil, urgency: [UrgencyCategory] = [], reasons: [Reason] = [],
                contact: LinkedContactFact? = nil, language: String? = nil) {
        self.contact = contact
        self.language = language
        self.thread = thread
        self.assigneeKind = assigneeKind
        self.assigneeName = assigneeName
        self.nextWakeUp = nextWakeUp
        self.clocksEvaluatedAt = clocksEvaluatedAt
        self.excerpt = excerpt
        self.url = url
        self.urgency = urgency
        self.reasons = reasons
    }
}

/// The contact a thread's customer was linked to, with how sure the link is and why.
public struct LinkedContactFact: Sendable, Equatable {
    public var contactID: ContactID
    public var name: String
    public var confidence: Double
    public var reason: String

    public init(contactID: ContactID, name: String, confidence: Double, reason: String) {
        self.contactID = contactID
        self.name = name
        self.confidence = confidence
        self.reason = reason
    }
}

/// A thread's status changed under us (someone else acted first); the caller retries or reports.
public struct ThreadConflict: Error, Sendable, CustomStringConvertible {
    public var threadID: ThreadID
    public var expected: String
    public var found: String
    public var description: String { "thread \(threadID) is now \(found) (expected \(expected)); try again" }
}

extension Store {
    /// The stored lifecycle events of a thread, oldest first.
    public func threadEvents(_ threadID: ThreadID) async throws -> [StoredThreadEvent] {
        try await sql.raw("SELECT * FROM thread_events WHERE thread_id = \(bind: threadID) ORDER BY at, id").all().map {
            try Self.threadEvent(from: $0, threadID: threadID)
        }
    }

    /// One row of `thread_events`.
    static func threadEvent(from row: any SQLRow, threadID: ThreadID) throws -> StoredThreadEvent {
        StoredThreadEvent(
            threadID: threadID, kind: try row.decode(column: "kind", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
            from: try row.decode(column: "from_status", as: String?.self), to: try row.decode(column: "to_status", as: String.self),
            note: try row.decode(column: "note", as: String?.self),
            assigneeKind: try row.decode(column: "assignee_kind", as: String?.self),
            assigneeName: try row.decode(column: "assignee_name", as: String?.self)
        )
    }

    /// The thread with its assignee, stored wake-up and its most severe mention's facts.
    public func threadAlertFacts(_ threadID: ThreadID) async throws -> ThreadAlertFacts {
        guard let facts = try await threadAlertFacts(ids: [threadID])[threadID] else {
            throw StoreError.notFound("thread \(threadID)")
        }
        return facts
    }

    /// ``threadAlertFacts(_:)`` of many threads in three statements whatever their number (the
    /// queue page reads 200 at once), by id; unknown ids are left out.
    public func threadAlertFacts(ids: [ThreadID]) async throws -> [ThreadID: ThreadAlertFacts] {
        var result: [ThreadID: ThreadAlertFacts] = [:]
        let unique = Array(Set(ids)).sorted()
        // A statement takes at most a few hundred binds (SQLite's limit is far above; this keeps plans small).
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let db = sql  // one connection for the chunk's three statements
            let rows = try await db.raw("SELECT * FROM threads WHERE id IN (\(binds: chunk))").all()
            // Each thread's most severe mention (then the first), and its latest linked contact.
            let mentions = try await db.raw("""
                SELECT thread_id, text, url, urgency, reasons, language FROM (
                  SELECT thread_id, text, url, urgency, reasons, language, ROW_NUMBER() OVER (
                    PARTITION BY thread_id
                    ORDER BY CASE severity WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3 WHEN 'P4' THEN 4 ELSE 5 END, id) AS pick
                  FROM mentions WHERE thread_id IN (\(binds: chunk))) AS ranked
                WHERE pick = 1
                """).all()
            let links = try await db.raw("""
                SELECT thread_id, contact_id, name, confidence, reason FROM (
                  SELECT m.thread_id AS thread_id, l.contact_id AS contact_id, c.name AS name, l.confidence AS confidence,
                         l.reason AS reason, ROW_NUMBER() OVER (PARTITION BY m.thread_id ORDER BY m.id DESC) AS pick
                  FROM mention_links l JOIN mentions m ON m.id = l.mention_id JOIN contacts c ON c.id = l.contact_id
                  WHERE m.thread_id IN (\(binds: chunk)) AND l.outcome = 'linked' AND c.opted_out = 0) AS ranked
                WHERE pick = 1
                """).all()
            var mentionByThread: [ThreadID: any SQLRow] = [:]
            for row in mentions { mentionByThread[try row.decode(column: "thread_id", as: ThreadID.self)] = row }
            var contactByThread: [ThreadID: LinkedContactFact] = [:]
            for row in links {
                contactByThread[try row.decode(column: "thread_id", as: ThreadID.self)] = LinkedContactFact(
                    contactID: try row.decode(column: "contact_id", as: ContactID.self), name: try row.decode(column: "name", as: String.self),
                    confidence: try row.decode(column: "confidence", as: Double?.self) ?? 0,
                    reason: try row.decode(column: "reason", as: String.self))
            }
            for row in rows {
                let thread = try Self.thread(from: row)
                let id = thread.id ?? 0
                let mention = mentionByThread[id]
                let urgency = try mention.map { try CanonicalJSON.decode([UrgencyCategory].self, try $0.decode(column: "urgency", as: String.self)) } ?? []
                let reasons = try mention.map { try CanonicalJSON.decode([Reason].self, try $0.decode(column: "reasons", as: String.self)) } ?? []
                result[id] = ThreadAlertFacts(
                    thread: thread, assigneeKind: try row.decode(column: "assignee_kind", as: String?.self),
                    assigneeName: try row.decode(column: "assignee_name", as: String?.self),
                    nextWakeUp: try row.decode(column: "next_wake_up", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                    clocksEvaluatedAt: try row.decode(column: "clocks_evaluated_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                    excerpt: try mention?.decode(column: "text", as: String.self) ?? thread.title,
                    url: try mention?.decode(column: "url", as: String?.self), urgency: urgency, reasons: reasons,
                    contact: contactByThread[id], language: try mention?.decode(column: "language", as: String?.self)
                )
            }
        }
        return result
    }

    /// ``threadEvents(_:)`` of many threads in one statement per 500, by thread id (oldest first).
    public func threadEvents(ids: [ThreadID]) async throws -> [ThreadID: [StoredThreadEvent]] {
        var result: [ThreadID: [StoredThreadEvent]] = [:]
        let unique = Array(Set(ids)).sorted()
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            for row in try await sql.raw("SELECT * FROM thread_events WHERE thread_id IN (\(binds: chunk)) ORDER BY thread_id, at, id").all() {
                let id = try row.decode(column: "thread_id", as: ThreadID.self)
                result[id, default: []].append(try Self.threadEvent(from: row, threadID: id))
            }
        }
        return result
    }

    /// Records a person's action on a thread in one transaction: the lifecycle event, the new
    /// status and assignee, the audit event, the outbox rows and the next clock wake-up.
    /// Throws `ThreadConflict` when the status is no longer `expectedStatus`.
    public func recordThreadAction(
        _ event: StoredThreadEvent, expectedStatus: String, outbox: OutboxWrites, nextWakeUp: Date?, now: Date
    ) async throws {
        try await transaction {
            guard let row = try await sql.raw("SELECT status FROM threads WHERE id = \(bind: event.threadID)").first() else {
                throw StoreError.notFound("thread \(event.threadID)")
            }
            let status = try row.decode(column: "status", as: String.self)
            guard status == expectedStatus else { throw ThreadConflict(threadID: event.threadID, expected: expectedStatus, found: status) }
            try await insertThreadEvent(event)
            try await sql.raw("UPDATE threads SET status = \(bind: event.to), next_wake_up = \(bind: nextWakeUp?.timeIntervalSince1970), clocks_evaluated_at = \(bind: now.timeIntervalSince1970) WHERE id = \(bind: event.threadID)").run()
            if let name = event.assigneeName {
                try await sql.raw("UPDATE threads SET assignee_kind = \(bind: event.assigneeKind), assignee_name = \(bind: name) WHERE id = \(bind: event.threadID)").run()
            }
            let detail = [event.from.map { "\($0) → \(event.to)" } ?? event.to, event.assigneeName.map { "assigned to \($0)" }, event.note]
                .compactMap { $0 }.joined(separator: "; ")
            try await recordEvent(kind: "thread.\(event.kind)", threadID: event.threadID, actor: event.actor, detail: detail, at: event.at)
            try await write(outbox, now: now)
        }
    }

    /// Adds events to a thread's history without touching anything else (history repair, tests).
    public func appendThreadEvents(_ events: [StoredThreadEvent]) async throws {
        try await transaction {
            for e in events { try await insertThreadEvent(e) }
        }
    }

    private func insertThreadEvent(_ e: StoredThreadEvent) async throws {
        try await sql.raw("""
            INSERT INTO thread_events (thread_id, kind, actor, at, from_status, to_status, note, assignee_kind, assignee_name)
            VALUES (\(bind: e.threadID), \(bind: e.kind), \(bind: e.actor), \(bind: e.at.timeIntervalSince1970), \(bind: e.from),
            \(bind: e.to), \(bind: e.note), \(bind: e.assigneeKind), \(bind: e.assigneeName))
            """).run()
    }

    /// Queues a row (a duplicate by receiver and key is dropped); a row of an alert group opens
    /// the group's state the first time (its first alert, for `group_wait`).
    func insertOutbox(_ r: NewOutboxRow, now: Date) async throws {
        if let key = r.groupKey {
            try await sql.raw("""
                INSERT INTO alert_groups (key, first_alert_at, last_notified_at, notified_ids)
                VALUES (\(bind: key), \(bind: now.timeIntervalSince1970), NULL, '[]')
                ON CONFLICT (key) DO NOTHING
                """).run()
        }
        try await sql.raw("""
            INSERT INTO outbox (thread_id, kind, receiver, idempotency_key, payload, next_attempt_at, created_at, group_key)
            VALUES (\(bind: r.threadID), \(bind: r.kind), \(bind: r.receiver), \(bind: r.idempotencyKey), \(bind: r.payload),
            \(bind: r.notBefore.timeIntervalSince1970), \(bind: now.timeIntervalSince1970), \(bind: r.groupKey))
            ON CONFLICT (receiver, idempotency_key) DO NOTHING
            """).run()
    }

    /// Queues rows in one transaction (duplicates by receiver and key are dropped).
    public func enqueue(_ rows: [NewOutboxRow], now: Date) async throws {
        try await transaction {
            for r in rows { try await insertOutbox(r, now: now) }
        }
    }

    /// Replaces a row queued for routing by an earlier version with what routing decided, in one
    /// transaction: the original is marked sent (it has been handled), its routed rows queued.
    public func fanOut(_ id: OutboxID, into writes: OutboxWrites, now: Date) async throws {
        try await transaction {
            try await write(writes, now: now)
            try await sql.raw("""
                UPDATE outbox SET status = 'sent', sent_at = \(bind: now.timeIntervalSince1970), attempts = attempts + 1,
                last_error = NULL WHERE id = \(bind: id)
                """).run()
        }
    }

    // MARK: clocks

    /// The earliest stored wake-up among open threads.
    public func earliestWakeUp() async throws -> Date? {
        let row = try await sql.raw("SELECT MIN(next_wake_up) AS t FROM threads WHERE next_wake_up IS NOT NULL AND status <> 'resolved'").first()
        return try row?.decode(column: "t", as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }

    /// Threads whose wake-up has come.
    public func threadsDueForClocks(now: Date, limit: Int = 200) async throws -> [ThreadID] {
        try await sql.raw("""
            SELECT id FROM threads WHERE next_wake_up IS NOT NULL AND next_wake_up <= \(bind: now.timeIntervalSince1970)
            AND status <> 'resolved' ORDER BY next_wake_up, id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: ThreadID.self) }
    }

    /// Open threads that have never been evaluated by the clocks (new since the last pass).
    public func threadsWithoutClocks(limit: Int = 200) async throws -> [ThreadID] {
        try await sql.raw("""
            SELECT id FROM threads WHERE clocks_evaluated_at IS NULL AND status <> 'resolved' ORDER BY id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: ThreadID.self) }
    }

    /// Keys of the notices already written for a thread.
    public func sentNoticeKeys(_ threadID: ThreadID) async throws -> Set<String> {
        Set(try await sql.raw("SELECT key FROM sent_notices WHERE thread_id = \(bind: threadID)").all()
            .map { try $0.decode(column: "key", as: String.self) })
    }

    /// Stores one clock pass of a thread in one transaction: the notices written (so they are
    /// never written twice), their outbox rows, and the next wake-up.
    public func recordClockPass(threadID: ThreadID, noticeKeys: [String], outbox: OutboxWrites, nextWakeUp: Date?, now: Date) async throws {
        try await transaction {
            for key in noticeKeys {
                try await sql.raw("""
                    INSERT INTO sent_notices (thread_id, key, at) VALUES (\(bind: threadID), \(bind: key), \(bind: now.timeIntervalSince1970))
                    ON CONFLICT (thread_id, key) DO NOTHING
                    """).run()
            }
            try await write(outbox, now: now)
            try await sql.raw("""
                UPDATE threads SET next_wake_up = \(bind: nextWakeUp?.timeIntervalSince1970),
                clocks_evaluated_at = \(bind: now.timeIntervalSince1970) WHERE id = \(bind: threadID)
                """).run()
        }
    }

    // MARK: groups

    /// The stored state of an alert group: first alert, last notification, ids notified.
    public func alertGroup(_ key: String) async throws -> (firstAlertAt: Date, lastNotifiedAt: Date?, notifiedIDs: [String])? {
        guard let row = try await sql.raw("SELECT * FROM alert_groups WHERE key = \(bind: key)").first() else { return nil }
        return (
            Date(timeIntervalSince1970: try row.decode(column: "first_alert_at", as: Double.self)),
            try row.decode(column: "last_notified_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            try CanonicalJSON.decode([String].self, try row.decode(column: "notified_ids", as: String.self))
        )
    }

    public func saveAlertGroup(_ key: String, firstAlertAt: Date, lastNotifiedAt: Date?, notifiedIDs: [String]) async throws {
        try await transaction {
            try await sql.raw("""
                INSERT INTO alert_groups (key, first_alert_at, last_notified_at, notified_ids)
                VALUES (\(bind: key), \(bind: firstAlertAt.timeIntervalSince1970), \(bind: lastNotifiedAt?.timeIntervalSince1970),
                \(bind: try CanonicalJSON.encode(notifiedIDs)))
                ON CONFLICT (key) DO UPDATE SET first_alert_at = excluded.first_alert_at,
                last_notified_at = excluded.last_notified_at, notified_ids = excluded.notified_ids
                """).run()
        }
    }
}
