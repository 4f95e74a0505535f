import Foundation
import OutcryModel
import SQLKit
import Testing
@testable import OutcryStore

/// The queue's filters and paging run in the database (issue 17): on a varied store, every
/// filter gives what filtering every open thread in Swift gives, on both backends, and the
/// common filters are answered from a partial index in the queue's order (no sort).
@Suite struct QueueStoreTests {
    static let brands: [String?] = [nil, "Acme", "acme", "Bolt", "Cirrus"]
    static let segments = ["gold", "Gold", "silver", "bronze"]
    static let people = ["ana", "Ana", "bo", "billing"]

    /// 240 threads: each mention opens its own (distinct authors), with varied severity, channel,
    /// brand, urgency and opening time (ties included); then statuses, segments and assignees.
    static func fill(_ store: Store, seed: UInt64) async throws {
        var random = SplitMix64(state: seed)
        try await store.syncSources([forum])
        for batch in 0..<4 {
            var items: [ScoredMention] = []
            for n in 0..<60 {
                let key = "q-\(batch)-\(n)"
                let severity = random.pick([Severity.p1, .p2, .p3, .p4])  // actionable: each opens a thread
                let urgency = UrgencyCategory.allCases.filter { _ in random.below(5) == 0 }
                // Opening times collide on purpose: the id breaks the tie.
                let published = t0 + Double(random.below(40)) * 60
                let mention = Mention(
                    sourceName: "forum", channel: random.pick([Channel.feed, .social, .mail]), key: key, title: "t-\(key)",
                    text: "text \(key)", authorName: "author \(key)", authorHandle: "@\(key)", publishedAt: published,
                    fetchedAt: published, brand: random.pick(brands)
                )
                items.append(ScoredMention(mention: mention, score: Score(
                    sentiment: Sentiment(compound: -0.5, label: .negative),
                    complaint: ComplaintIntent(isComplaint: severity != .none, score: severity == .none ? 0 : 0.9),
                    urgency: urgency, severity: severity, reasons: [Reason(rule: "lexicon", evidence: "late", weight: -0.5)]
                )))
            }
            let now = t0 + 3600 * Double(batch + 1)
            _ = try await store.commitPoll(source: "forum", mentions: items, success: success(now), now: now)
        }
        try await store.transaction {
            try await store.exec("""
                UPDATE threads SET
                status = CASE id % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'acknowledged' WHEN 2 THEN 'responded' WHEN 3 THEN 'on_hold' ELSE 'resolved' END,
                segment = CASE id % 5 WHEN 0 THEN NULL WHEN 1 THEN 'gold' WHEN 2 THEN 'Gold' WHEN 3 THEN 'silver' ELSE 'bronze' END,
                assignee_name = CASE id % 7 WHEN 0 THEN 'ana' WHEN 1 THEN 'Ana' WHEN 2 THEN 'bo' WHEN 3 THEN 'billing' ELSE NULL END,
                assignee_kind = CASE id % 7 WHEN 0 THEN 'person' WHEN 1 THEN 'person' WHEN 2 THEN 'person' WHEN 3 THEN 'team' ELSE NULL END
                """)
        }
    }

    struct Row {
        var thread: MentionThread
        var assigneeName: String?
        var assigneeKind: String?
        var urgencies: Set<UrgencyCategory>
    }

    /// Every thread with what the filters look at, read plainly.
    static func everything(_ store: Store) async throws -> [Row] {
        var urgencies: [ThreadID: Set<UrgencyCategory>] = [:]
        for row in try await store.sql.raw("SELECT thread_id, urgency FROM mentions WHERE thread_id IS NOT NULL").all() {
            let list = try JSONDecoder().decode([UrgencyCategory].self, from: Data(try row.decode(column: "urgency", as: String.self).utf8))
            urgencies[try row.decode(column: "thread_id", as: ThreadID.self), default: []].formUnion(list)
        }
        return try await store.sql.raw("SELECT * FROM threads").all().map { row in
            let thread = try Store.thread(from: row)
            return Row(thread: thread, assigneeName: try row.decode(column: "assignee_name", as: String?.self),
                       assigneeKind: try row.decode(column: "assignee_kind", as: String?.self), urgencies: urgencies[thread.id!] ?? [])
        }
    }

    /// The filter written in Swift, over every thread.
    static func reference(_ rows: [Row], _ f: QueueThreadFilter, order: QueueOrder, offset: Int, limit: Int) -> [ThreadID] {
        func among(_ values: [String], _ value: String?) -> Bool {
            values.isEmpty || values.contains { $0.lowercased() == value?.lowercased() }
        }
        let kept = rows.filter { r in
            let t = r.thread
            guard t.status != .resolved else { return false }
            if !f.severities.isEmpty, !f.severities.contains(t.severity) { return false }
            if !f.statuses.isEmpty, !f.statuses.contains(t.status) { return false }
            guard among(f.brands, t.brand), among(f.channels, t.channel.rawValue), among(f.segments, t.segment) else { return false }
            if let a = f.assignee, r.assigneeName?.lowercased() != a.lowercased() { return false }
            if let team = f.team, r.assigneeKind != "team" || r.assigneeName?.lowercased() != team.lowercased() { return false }
            if !f.urgencies.isEmpty, r.urgencies.isDisjoint(with: f.urgencies) { return false }
            return true
        }
        let sorted = kept.sorted { a, b in
            let (x, y) = (a.thread, b.thread)
            switch order {
            case .severity: return (x.severity.rank, x.openedAt, x.id!) < (y.severity.rank, y.openedAt, y.id!)
            case .waiting: return (x.openedAt, x.id!) < (y.openedAt, y.id!)
            }
        }
        return Array(sorted.dropFirst(offset).prefix(limit).map { $0.thread.id! })
    }

    static func randomFilter(_ random: inout SplitMix64) -> QueueThreadFilter {
        var f = QueueThreadFilter()
        func some<T>(_ values: [T]) -> [T] { values.filter { _ in random.below(3) == 0 } }
        if random.below(2) == 0 { f.severities = Set(some(Severity.allCases)) }
        if random.below(3) == 0 { f.statuses = Set(some(ThreadStatus.allCases)) }
        if random.below(3) == 0 { f.brands = some(["ACME", "bolt", "Cirrus", "none-such"]) }
        if random.below(3) == 0 { f.channels = some(["FEED", "social", "mail"]) }
        if random.below(3) == 0 { f.segments = some(["GOLD", "silver", "bronze"]) }
        if random.below(4) == 0 { f.urgencies = Set(some(UrgencyCategory.allCases)) }
        if random.below(4) == 0 { f.assignee = random.pick(people + ["nobody"]) }
        if random.below(6) == 0 { f.team = random.pick(["billing", "BILLING", "ana"]) }
        return f
    }

    @Test(arguments: Backend.allCases, [7, 8])
    func theDatabaseFiltersAndPagesAsSwiftWould(_ backend: Backend, seed: UInt64) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await Self.fill(store, seed: seed)
            let rows = try await Self.everything(store)
            #expect(rows.count == 240)
            var random = SplitMix64(state: seed &* 31)
            var nonEmpty = 0
            for round in 0..<80 {
                let filter = round == 0 ? QueueThreadFilter() : Self.randomFilter(&random)
                let order: QueueOrder = random.below(3) == 0 ? .waiting : .severity
                let offset = random.pick([0, 0, 3, 10, 50]), limit = random.pick([1, 5, 20, 500])
                let expected = Self.reference(rows, filter, order: order, offset: offset, limit: limit)
                let got = try await store.queueThreads(filter, order: order, offset: offset, limit: limit).map { $0.id! }
                #expect(got == expected, "round \(round): \(filter) \(order) offset \(offset) limit \(limit)")
                let count = try await store.queueCount(filter)
                #expect(count == Self.reference(rows, filter, order: order, offset: 0, limit: .max).count, "round \(round): count of \(filter)")
                if !expected.isEmpty { nonEmpty += 1 }
            }
            // The rounds are not all trivially empty.
            #expect(nonEmpty > 30, "\(nonEmpty) of 80 rounds found threads")
        }
    }

    /// Pages one after the other cover the queue once, in order.
    @Test(arguments: Backend.allCases) func pagesFollowEachOther(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await Self.fill(store, seed: 3)
            let all = try await store.queueThreads(QueueThreadFilter(), limit: 1000).map { $0.id! }
            var paged: [ThreadID] = []
            for page in 0..<20 { paged += try await store.queueThreads(QueueThreadFilter(), offset: page * 13, limit: 13).map { $0.id! } }
            #expect(all.count > 100 && paged == all)
        }
    }

    /// SQLite answers the queue, alone or with one brand, channel, segment, assignee or severity,
    /// from a partial index already in the queue's order: no temporary B-tree for ORDER BY.
    @Test func theQueueQueryUsesAPartialIndexWithoutSorting() async throws {
        try await withTemporaryStore(.sqlite) { store, _ in
            try await Self.fill(store, seed: 5)
            func plan(_ filter: QueueThreadFilter, _ order: QueueOrder = .severity) async throws -> String {
                try await store.sql.raw("EXPLAIN QUERY PLAN " + store.queueQuery(filter, order: order, offset: 0, limit: 50)).all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
            }
            var cases: [(QueueThreadFilter, QueueOrder, String)] = [(QueueThreadFilter(), .severity, "threads_open_queue"),
                                                                    (QueueThreadFilter(), .waiting, "threads_open_waiting")]
            var f = QueueThreadFilter(); f.severities = [.p1]; cases.append((f, .severity, "threads_open_"))
            f = QueueThreadFilter(); f.brands = ["Acme"]; cases.append((f, .severity, "threads_open_brand"))
            f = QueueThreadFilter(); f.channels = ["social"]; cases.append((f, .severity, "threads_open_"))
            f = QueueThreadFilter(); f.segments = ["gold"]; cases.append((f, .severity, "threads_open_segment"))
            f = QueueThreadFilter(); f.assignee = "ana"; cases.append((f, .severity, "threads_open_assignee"))
            f = QueueThreadFilter(); f.urgencies = [.legal]; cases.append((f, .severity, "threads_open_queue"))
            for (filter, order, index) in cases {
                let text = try await plan(filter, order)
                #expect(text.contains("INDEX \(index)"), "\(filter) \(order): \(text)")
                #expect(!text.contains("TEMP B-TREE"), "\(filter) \(order): \(text)")
            }
        }
    }

    /// The clock pass's question every second (``Store/threadsWithoutClocks(limit:)``, the same
    /// statement) is answered from its partial index (migration 0017), not a scan of every thread;
    /// and the threads it names are the open ones the clocks have not evaluated.
    @Test func theClockPassFindsUnevaluatedThreadsFromItsIndex() async throws {
        try await withTemporaryStore(.sqlite) { store, _ in
            try await Self.fill(store, seed: 7)
            let detail = try await store.sql.raw("""
                EXPLAIN QUERY PLAN SELECT id FROM threads WHERE clocks_evaluated_at IS NULL AND status <> 'resolved' ORDER BY id LIMIT 200
                """).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
            #expect(detail.contains("INDEX threads_unclocked") && !detail.contains("TEMP B-TREE"), "\(detail)")
            let open = try await store.queueThreads(QueueThreadFilter(), limit: 10_000).compactMap(\.id).sorted()
            #expect(try await store.threadsWithoutClocks(limit: 10_000) == open)
        }
    }

    /// `/readyz` asks this: nothing pending on a migrated store; a missing migration is named.
    @Test(arguments: Backend.allCases) func pendingMigrationsNameWhatIsMissing(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            #expect(try await store.pendingMigrations().isEmpty)
            try await store.transaction { try await store.exec("DELETE FROM schema_migrations WHERE id = '0016_queue_filters'") }
            #expect(try await store.pendingMigrations() == ["0016_queue_filters"])
        }
    }

    /// The live queue's stamp moves with a new thread, a new mention and a lifecycle event, and
    /// stays put otherwise.
    @Test(arguments: Backend.allCases) func theQueueStampMovesWhenTheQueueMay(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum])
            let empty = try await store.queueStamp()
            #expect(empty == "0-0-0")
            let first = try await store.commitPoll(source: "forum", mentions: [item("s1", severity: .p2)], success: success(), now: t0)
            let opened = try await store.queueStamp()
            #expect(opened != empty)
            #expect(try await store.queueStamp() == opened)
            let id = try #require(first.threadsOpened.first)
            try await store.appendThreadEvents([StoredThreadEvent(threadID: id, kind: "acknowledged", actor: "ana", at: t0 + 60,
                                                                  from: "new", to: "acknowledged")])
            #expect(try await store.queueStamp() != opened)
        }
    }
}
