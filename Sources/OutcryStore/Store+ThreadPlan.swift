import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// Places a commit's actionable mentions into threads, in order, before they are stored: the
    /// facts read in a few statements, the decisions made by ``ThreadPlan`` without the database,
    /// the threads written in a few more; the caller inserts the mentions with their threads.
    func placeByPlan(_ items: [PlacementItem], now: Date) async throws -> [ThreadPlacement] {
        try await planPlacements(items, now: now).map { placement in
            guard let placement else { throw StoreError.notFound("thread just planned") }
            return placement
        }
    }

    /// ``placeByPlan`` for items that may be mail responses: nil where a response found no thread,
    /// and a response's thread as joined.
    func planPlacements(_ items: [PlacementItem], now: Date) async throws -> [ThreadPlacement?] {
        guard !items.isEmpty else { return [] }
        let facts = try await placementFacts(items, now: now)
        let plan = ThreadPlan(items, facts: facts, authorWindow: authorThreadWindow, now: now)
        let ids = try await write(plan, now: now)
        threadsOpenedByPlan += plan.newThreads.count
        return try plan.placements.map { placement in
            guard let ref = placement.thread else { return nil }
            guard let id = ids[ref] else { throw StoreError.notFound("thread just planned") }
            return placement.opened ? .opened(id) : .joined(id, reopened: placement.reopened)
        }
    }

    /// The reference ``placeByPlan`` is tested against (``placesByPlan`` off): each stored
    /// mention placed by ``placeInThread``, a few statements at a time.
    func placeOneByOne(_ items: [PlacementItem], now: Date) async throws -> [ThreadPlacement] {
        var placements: [ThreadPlacement] = []
        for p in items {
            placements.append(try await placeInThread(p.item, mentionID: p.mentionID, now: now, fallbackThread: p.fallbackThread,
                                                      contactID: p.contactID))
        }
        return placements
    }

    /// Every stored fact ``ThreadPlan`` can ask about for these mentions. The threads read are
    /// locked until the commit (``StoreDialect/rowLockClause``; in id order, so two workers seldom
    /// deadlock, and a deadlock PostgreSQL breaks fails the batch, retried a poll at a time): a person's change to one of them (acknowledged, responded)
    /// lands before the facts are read or after the plan is written, never in between, where the
    /// plan's update would undo it.
    func placementFacts(_ items: [PlacementItem], now: Date) async throws -> PlacementFacts {
        var facts = PlacementFacts()
        // Replies' parents already in a thread (the oldest row of a key, as a lookup by key finds it).
        let parents = Set(items.flatMap(\.item.mention.parentKeys))
        for chunk in Array(parents).chunked(400) {
            for row in try await sql.raw("""
                SELECT key, source_name, thread_id FROM mentions WHERE key IN (\(binds: Array(chunk))) AND thread_id IS NOT NULL ORDER BY id DESC
                """).all() {
                let (key, thread) = (try row.decode(column: "key", as: String.self), try row.decode(column: "thread_id", as: ThreadID.self))
                facts.threadOfKey[key] = thread
                facts.threadOfSourceKey[SourceKey(source: try row.decode(column: "source_name", as: String.self), key: key)] = thread
            }
        }
        // Mail: the stored customer mails in a thread with a sender and subject of the batch's
        // mails, sent since the earliest subject window starts.
        var subjectPairs: Set<PlacementFacts.SubjectKey> = []
        var subjectSince = Double.infinity
        for mail in items.compactMap(\.mail) where !mail.subjectKey.isEmpty {
            for sender in mail.correspondents where !sender.isEmpty {
                subjectPairs.insert(PlacementFacts.SubjectKey(sender: sender, subject: mail.subjectKey))
            }
            subjectSince = min(subjectSince, mail.sentAt - Self.mailSubjectWindow)
        }
        for chunk in Array(subjectPairs).chunked(200) {
            let senders = Array(Set(chunk.map(\.sender))), subjects = Array(Set(chunk.map(\.subject)))
            for row in try await sql.raw("""
                SELECT mm.sender, mm.subject_key, mm.source_name, mm.sent_at, mm.mention_id, m.thread_id
                FROM mail_messages mm JOIN mentions m ON m.id = mm.mention_id
                WHERE mm.sender IN (\(binds: senders)) AND mm.subject_key IN (\(binds: subjects)) AND mm.kind = 'customer'
                AND mm.sent_at >= \(bind: subjectSince) AND m.thread_id IS NOT NULL
                """).all() {
                let key = PlacementFacts.SubjectKey(sender: try row.decode(column: "sender", as: String.self),
                                                    subject: try row.decode(column: "subject_key", as: String.self))
                guard subjectPairs.contains(key) else { continue }
                facts.subjectMails[key, default: []].append(PlacementFacts.SubjectMail(
                    source: try row.decode(column: "source_name", as: String.self), sentAt: try row.decode(column: "sent_at", as: Double.self),
                    mentionID: try row.decode(column: "mention_id", as: MentionID.self), thread: try row.decode(column: "thread_id", as: ThreadID.self)))
            }
        }
        // The threads those replies, responses and mail fallbacks join, whatever their state.
        let joined = Set(facts.threadOfKey.values).union(facts.threadOfSourceKey.values).union(items.compactMap(\.fallbackThread))
            .union(facts.subjectMails.values.joined().map(\.thread))
        for chunk in Array(joined).chunked(400) {
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Self.threadFactColumns) FROM threads WHERE id IN (\(binds: Array(chunk))) ORDER BY id \(unsafeRaw: dialect.rowLockClause)
                """).all() {
                let thread = try Self.threadFacts(row)
                facts.threads[thread.id] = thread
            }
        }
        // Authors' open threads active since the earliest window any mention looks back to: only
        // joins change a thread's status or activity, and the threads joined are read above.
        if authorThreadWindow > 0 {
            var handles: Set<String> = [], names: Set<String> = []
            var since = Double.infinity
            for p in items where p.item.mention.channel != .mail {
                let m = p.item.mention
                if let handle = m.authorHandle {
                    if !handle.isEmpty { handles.insert(handle) } else { continue }
                } else if let name = m.authorName, !name.isEmpty {
                    names.insert(name)
                } else {
                    continue
                }
                since = min(since, (m.publishedAt.map { min($0, now) } ?? now).timeIntervalSince1970 - authorThreadWindow)
            }
            for (column, values) in [("author_handle", handles), ("author_name", names)] where !values.isEmpty {
                for chunk in Array(values).chunked(400) {
                    for row in try await sql.raw("""
                        SELECT \(unsafeRaw: Self.threadFactColumns) FROM threads WHERE \(unsafeRaw: column) IN (\(binds: Array(chunk)))
                        AND status <> 'resolved' AND last_mention_at >= \(bind: since) ORDER BY id \(unsafeRaw: dialect.rowLockClause)
                        """).all() {
                        let thread = try Self.threadFacts(row)
                        if facts.threads[thread.id] == nil { facts.threads[thread.id] = thread }
                    }
                }
            }
        }
        // The latest thread event of those whose status a customer writing again changes (any
        // thread, when a response in the batch can make one `responded` first).
        let responses = items.contains { if case .response? = $0.mail?.role { true } else { false } }
        let moving = facts.threads.values.filter {
            responses || (ThreadStatus(rawValue: $0.status).map { $0.afterCustomerWrote != $0 } ?? false)
        }.map(\.id)
        for chunk in moving.chunked(400) {
            for row in try await sql.raw("""
                SELECT thread_id, MAX(at) AS at FROM thread_events WHERE thread_id IN (\(binds: Array(chunk))) GROUP BY thread_id
                """).all() {
                facts.threads[try row.decode(column: "thread_id", as: ThreadID.self)]?.lastEventAt = try row.decode(column: "at", as: Double?.self)
            }
        }
        facts.segments = try await segments(ofContacts: items.compactMap(\.contactID))
        return facts
    }

    static let threadFactColumns = """
        id, status, severity, severity_rank, summary, channel, author_name, author_handle, brand, segment, last_mention_at
        """

    static func threadFacts(_ row: any SQLRow) throws -> ThreadFacts {
        ThreadFacts(
            id: try row.decode(column: "id", as: ThreadID.self), status: try row.decode(column: "status", as: String.self),
            severity: try row.decode(column: "severity", as: String.self), severityRank: try row.decode(column: "severity_rank", as: Int.self),
            summary: try row.decode(column: "summary", as: String.self), channel: try row.decode(column: "channel", as: String.self),
            authorName: try row.decode(column: "author_name", as: String?.self), authorHandle: try row.decode(column: "author_handle", as: String?.self),
            brand: try row.decode(column: "brand", as: String?.self), segment: try row.decode(column: "segment", as: String?.self),
            lastMentionAt: try row.decode(column: "last_mention_at", as: Double.self), lastEventAt: nil)
    }

    /// Writes a plan: the threads it opens (one insert, in their final state), the stored threads
    /// it joins (one update), the status changes and events (one insert each). Returns every
    /// thread of the plan's id.
    func write(_ plan: ThreadPlan, now: Date) async throws -> [ThreadPlan.Ref: ThreadID] {
        var ids: [ThreadPlan.Ref: ThreadID] = [:]
        for id in plan.updates.keys { ids[.stored(id)] = id }
        for placement in plan.placements { if case .stored(let id)? = placement.thread { ids[.stored(id)] = id } }

        if !plan.newThreads.isEmpty {
            var rows = BulkRows(width: 15, rowsPerChunk: 1_000)
            for thread in plan.newThreads {
                let f = thread.facts
                rows.beginRow()
                rows.text(thread.key)
                rows.text(f.status)
                rows.text(f.severity)
                rows.integer(Int64(f.severityRank))
                rows.text(thread.title)
                rows.text(thread.sourceName)
                rows.text(f.channel)
                rows.text(f.authorName)
                rows.text(f.authorHandle)
                rows.real(thread.openedAt)
                rows.real(f.lastMentionAt)
                rows.integer(Int64(thread.mentionCount))
                rows.text(f.summary)
                rows.text(f.brand)
                rows.text(f.segment)
                rows.endRow()
            }
            var byKey: [String: ThreadID] = [:]
            for row in try await bulkInsert("threads", columns: [
                "key", "status", "severity", "severity_rank", "title", "source_name", "channel", "author_name", "author_handle",
                "opened_at", "last_mention_at", "mention_count", "summary", "brand", "segment",
            ], rows: rows, suffix: "RETURNING id, key") {
                byKey[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: ThreadID.self)
            }
            for (n, thread) in plan.newThreads.enumerated() {
                guard let id = byKey[thread.key] else { throw StoreError.notFound("thread '\(thread.key)' just opened") }
                ids[.new(n)] = id
            }
        }
        func id(_ ref: ThreadPlan.Ref) throws -> ThreadID {
            guard let id = ids[ref] else { throw StoreError.notFound("thread of the plan") }
            return id
        }

        if !plan.updates.isEmpty {
            var rows = BulkRows(width: 9, rowsPerChunk: 1_000)
            for (id, update) in plan.updates.sorted(by: { $0.key < $1.key }) {
                let f = update.facts
                rows.beginRow()
                rows.integer(id)
                rows.integer(Int64(update.joined))
                rows.real(f.lastMentionAt)
                rows.text(f.status)
                rows.text(f.brand)
                rows.text(f.segment)
                rows.text(f.severity)
                rows.integer(Int64(f.severityRank))
                rows.text(f.summary)
                rows.endRow()
            }
            for chunk in rows.chunks {
                try await sql.raw(jsonStatement("""
                    UPDATE threads SET mention_count = mention_count + \(jsonValue(1, "bigint")),
                    last_mention_at = \(jsonValue(2, "double precision")), status = \(jsonValue(3, "text")), brand = \(jsonValue(4, "text")),
                    segment = \(jsonValue(5, "text")), severity = \(jsonValue(6, "text")), severity_rank = \(jsonValue(7, "bigint")),
                    summary = \(jsonValue(8, "text"))
                    FROM \(jsonRows) WHERE threads.id = \(jsonValue(0, "bigint"))
                    """, chunk)).run()
            }
        }

        if !plan.statusChanges.isEmpty {
            var rows = BulkRows(width: 7)
            for change in plan.statusChanges {
                rows.beginRow()
                rows.integer(try id(change.thread))
                rows.text("customer_wrote")
                rows.text("customer")
                rows.real(change.at)
                rows.text(change.from)
                rows.text(change.to)
                rows.text("the customer wrote again")
                rows.endRow()
            }
            try await bulkInsert("thread_events", columns: ["thread_id", "kind", "actor", "at", "from_status", "to_status", "note"], rows: rows)
        }
        if !plan.events.isEmpty {
            var rows = BulkRows(width: 5)
            for event in plan.events {
                rows.beginRow()
                rows.text(event.kind)
                rows.integer(try id(event.thread))
                rows.text(event.actor)
                rows.text(event.detail)
                rows.real(event.at ?? now.timeIntervalSince1970)
                rows.endRow()
            }
            try await bulkInsert("events", columns: ["kind", "thread_id", "actor", "detail", "at"], rows: rows)
        }
        return ids
    }

    /// The tiers (segments) of these contacts, leaving out those who opted out.
    func segments(ofContacts ids: [ContactID]) async throws -> [ContactID: String] {
        var tiers: [ContactID: String] = [:]
        for chunk in Array(Set(ids)).chunked(400) {
            for row in try await sql.raw("SELECT id, tier FROM contacts WHERE id IN (\(binds: Array(chunk))) AND opted_out = 0").all() {
                if let tier = try row.decode(column: "tier", as: String?.self) { tiers[try row.decode(column: "id", as: ContactID.self)] = tier }
            }
        }
        return tiers
    }
}
