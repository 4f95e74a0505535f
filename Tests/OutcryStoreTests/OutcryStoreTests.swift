import Foundation
import OutcryModel
import SQLKit
import OutcryTestSupport
import Testing
@testable import OutcryStore

/// The databases the store's conformance tests run on: every parameterised test runs on both.
/// PostgreSQL is a throwaway cluster started once per test process (`TestPostgres`), a fresh
/// database per test; when it cannot start, its cases fail saying why.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
}

/// Opens a store of `backend` whose suppression key lives in `dir` (and, for SQLite, the file).
func openStore(_ backend: Backend, dir: String, database: String?) async throws -> Store {
    switch backend {
    case .sqlite: return try await Store.open(directory: dir)
    case .postgres: return try await Store.open(postgres: try #require(database), directory: dir)
    }
}

/// Opens the same database as `store` again (a restart, a second process).
func reopen(_ store: Store, dir: String) async throws -> Store {
    store.dialect.backend == .postgres ? try await Store.open(postgres: store.path, directory: dir) : try await Store.open(directory: dir)
}

/// A fresh database (a file in a temporary directory, or a new PostgreSQL database), removed after the test.
func withTemporaryStore<T>(_ backend: Backend = .sqlite, _ body: (Store, String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-store-\(UUID().uuidString)").path
    let database = backend == .postgres ? try await TestPostgres.database() : nil
    let store = try await openStore(backend, dir: dir, database: database)
    do {
        let result = try await body(store, dir)
        try await store.close()
        try? FileManager.default.removeItem(atPath: dir)
        return result
    } catch {
        try? await store.close()
        try? FileManager.default.removeItem(atPath: dir)
        // PostgreSQL's errors describe themselves only when reflected (they may quote values).
        throw StoreTestFailure(description: String(reflecting: error))
    }
}

struct StoreTestFailure: Error, CustomStringConvertible {
    let description: String
}

let t0 = Date(timeIntervalSince1970: 1_795_000_000)

func item(
    _ key: String, text: String = "hello", severity: Severity = .none, source: String = "forum", inReplyTo: String? = nil
) -> ScoredMention {
    ScoredMention(
        mention: Mention(sourceName: source, channel: .feed, key: key, title: "t-\(key)", text: text, fetchedAt: t0, inReplyTo: inReplyTo),
        score: Score(
            sentiment: Sentiment(compound: severity == .none ? 0.2 : -0.7, label: severity == .none ? .positive : .negative),
            complaint: ComplaintIntent(isComplaint: severity != .none, score: severity == .none ? 0 : 0.9),
            urgency: severity == .p1 ? [.legal] : [], severity: severity,
            reasons: [Reason(rule: "lexicon", evidence: "worst", weight: -0.7)]
        )
    )
}

func success(_ at: Date = t0, etag: String? = "\"v1\"") -> PollSuccess {
    PollSuccess(etag: etag, lastModified: "Mon, 23 Nov 2026 10:00:00 GMT", nextPollAt: at + 600)
}

let forum = SourceConfig(name: "forum", url: "https://example.org/feed", kind: .feed, interval: 600)

@Suite struct StoreTests {
    @Test(arguments: Backend.allCases) func migrationsApplyOnceAndReopenIsIdempotent(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, dir in
            let applied = try await store.appliedMigrations()
            #expect(applied == Store.migrations.map(\.id))
            let again = try await reopen(store, dir: dir)
            #expect(try await again.appliedMigrations() == applied)
            try await again.close()
        }
    }

    @Test(arguments: Backend.allCases) func savingTheSameItemsTwiceStoresThemOnce(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            let batch = [item("a"), item("b", severity: .p3), item("c")]
            let first = try await store.commitPoll(source: "forum", mentions: batch, success: success(), now: t0)
            #expect(first.inserted == 3 && first.backlog)
            let second = try await store.commitPoll(source: "forum", mentions: batch, success: success(), now: t0 + 60)
            #expect(second.inserted == 0 && second.unchanged == 3 && second.threadsOpened.isEmpty && !second.backlog)
            #expect(try await store.mentionCount(source: "forum") == 3)
            let state = try await store.pollState("forum")
            #expect(state.etag == "\"v1\"" && state.lastModified != nil && state.consecutiveErrors == 0)
        }
    }

    @Test(arguments: Backend.allCases) func anEditedItemIsUpdatedWithoutASecondThreadOrAlert(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            let routing = OneReceiverRouting()
            _ = try await store.commitPoll(source: "forum", mentions: [item("x")], success: success(), routing: routing, now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [item("a", text: "broken", severity: .p3)], success: success(),
                                           routing: routing, now: t0)
            let edited = try await store.commitPoll(
                source: "forum", mentions: [item("a", text: "broken and still broken", severity: .p3)], success: success(), routing: routing, now: t0 + 60
            )
            #expect(edited.updated == 1 && edited.inserted == 0 && edited.alertsQueued == 0)
            #expect(try await store.openThreads().count == 1)
            #expect(try await store.outbox().count == 1)
        }
    }

    @Test(arguments: Backend.allCases) func theFirstPollIsStoredQuietlyAndLaterOnesAlert(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            let routing = OneReceiverRouting()
            let backlog = try await store.commitPoll(source: "forum", mentions: [item("old", severity: .p2)], success: success(), routing: routing, now: t0)
            #expect(backlog.threadsOpened.count == 1 && backlog.alertsQueued == 0)
            let live = try await store.commitPoll(source: "forum", mentions: [item("new", severity: .p1)], success: success(),
                                                  routing: routing, now: t0 + 600)
            #expect(live.threadsOpened.count == 1 && live.alertsQueued == 1)
            let due = try await store.dueOutbox(now: t0 + 600)
            #expect(due.count == 1 && due[0].payload.contains("\"severity\":\"P1\"") && due[0].receiver == "team")
        }
    }

    @Test(arguments: Backend.allCases) func theQueueShowsTheMostUrgentFirstThenTheLongestWaiting(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [
                item("p3", severity: .p3), item("p1", severity: .p1), item("praise"), item("p2", severity: .p2),
            ], success: success(), now: t0)
            let queue = try await store.openThreads()
            #expect(queue.map(\.title) == ["t-p1", "t-p2", "t-p3"])
        }
    }

    @Test(arguments: Backend.allCases) func aReplyJoinsItsThreadAndRaisesItsSeverity(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [item("root", severity: .p3)], success: success(), now: t0)
            let reply = try await store.commitPoll(
                source: "forum", mentions: [item("reply", severity: .p1, inReplyTo: "root")], success: success(), now: t0 + 60
            )
            #expect(reply.threadsOpened.isEmpty && reply.threadsJoined.count == 1)
            let queue = try await store.openThreads()
            #expect(queue.count == 1 && queue[0].mentionCount == 2 && queue[0].severity == .p1)
        }
    }

    @Test(arguments: Backend.allCases) func aSourceGoesDownOnceAndRecoversOnce(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            var downs = 0
            for minute in stride(from: 0, through: 180, by: 30) {
                let now = t0 + Double(minute * 60)
                if try await store.recordPollFailure("forum", error: "HTTP 500", nextPollAt: now + 60, downAfter: 3600, now: now) {
                    downs += 1
                }
            }
            #expect(downs == 1)
            let state = try await store.pollState("forum")
            #expect(state.consecutiveErrors == 7 && state.lastError == "HTTP 500" && state.failingSince == t0)
            let back = try await store.commitPoll(source: "forum", mentions: [], success: success(t0 + 20000), now: t0 + 20000)
            #expect(back.recovered)
            let events = try await store.sourceEvents().map(\.kind)
            #expect(events == ["source.recovered", "source.down"])
            #expect(try await store.pollState("forum").consecutiveErrors == 0)
        }
    }

    @Test func sourceHealthIsFoundThroughItsIndexAmongManyThreadEvents() async throws {
        try await withTemporaryStore { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.recordPollFailure("forum", error: "HTTP 500", nextPollAt: t0 + 60, downAfter: 0, now: t0)
            try await store.recordThreadEvents(300, at: t0)
            #expect(try await store.lastSourceEvent("forum") == "source.down")
            #expect(try await store.lastSourceEvent("elsewhere") == nil)
            #expect(try await store.sourceEvents().map(\.kind) == ["source.down"])
            // Both questions are answered from the small partial indexes, not by reading every event.
            func plan(_ query: String) async throws -> String {
                try await store.sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + query)).all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
            }
            let latest = try await plan("""
                SELECT kind FROM events WHERE source_name = 'forum' AND kind LIKE 'source.%'
                AND kind IN ('source.down', 'source.recovered') ORDER BY id DESC LIMIT 1
                """)
            #expect(latest.contains("USING INDEX events_source_latest"), "\(latest)")
            let recent = try await plan("SELECT kind FROM events WHERE kind LIKE 'source.%' ORDER BY id DESC LIMIT 100")
            #expect(recent.contains("USING INDEX events_sources") || recent.contains("USING COVERING INDEX events_sources"), "\(recent)")
        }
    }

    @Test(arguments: Backend.allCases) func aFailedCommitLeavesNothingBehind(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            // A mention of a source that does not exist violates a foreign key: the whole poll rolls back.
            await #expect(throws: (any Error).self) {
                _ = try await store.commitPoll(source: "nope", mentions: [item("a", source: "nope")], success: success(), now: t0)
            }
            #expect(try await store.mentionCount() == 0)
            _ = try await store.commitPoll(source: "forum", mentions: [item("a")], success: success(), now: t0)
            #expect(try await store.mentionCount() == 1)
        }
    }

    @Test(arguments: Backend.allCases) func concurrentCommitsTakeTurns(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let sources = (0..<8).map { SourceConfig(name: "s\($0)", url: "https://example.org/\($0)", kind: .feed, interval: 60) }
            try await store.syncSources(sources, now: t0)
            try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for s in sources {
                    group.addTask {
                        try await store.commitPoll(
                            source: s.name, mentions: (0..<50).map { item("k\($0)", severity: .p4, source: s.name) }, success: success(), now: t0
                        )
                    }
                }
                for try await result in group { #expect(result.inserted == 50) }
            }
            #expect(try await store.mentionCount() == 400)
        }
    }

    @Test(arguments: Backend.allCases) func aChangedURLInTheConfigDropsTheOldValidators(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [], success: success(), now: t0)
            var moved = forum
            moved.url = "https://example.org/new-feed"
            try await store.syncSources([moved], now: t0)
            let state = try await store.pollState("forum")
            #expect(state.url == moved.url && state.etag == nil)
        }
    }

    /// A sync writes only what changed: a new interval is taken, an unchanged source keeps its
    /// validators, a source removed from the configuration is disabled with the reason, and
    /// one put back is polled again.
    @Test(arguments: Backend.allCases) func aSyncChangesOnlyWhatTheConfigChanged(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let blog = SourceConfig(name: "blog", url: "https://example.org/blog", kind: .feed, interval: 900)
            try await store.syncSources([forum, blog], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [], success: success(), now: t0)
            var slower = blog
            slower.interval = 3600
            try await store.syncSources([forum, slower], now: t0)
            #expect(try await store.pollState("forum").etag == "\"v1\"")
            let interval = try await store.sql.raw("SELECT interval_seconds FROM sources WHERE name = 'blog'").first()?
                .decode(column: "interval_seconds", as: Double.self)
            #expect(interval == 3600)

            try await store.syncSources([forum], now: t0)
            var removed = try await store.pollState("blog")
            #expect(removed.disabled && removed.lastError == "removed from the configuration")
            try await store.syncSources([forum], now: t0)
            removed = try await store.pollState("blog")
            #expect(removed.disabled && removed.lastError == "removed from the configuration")

            try await store.syncSources([forum, slower], now: t0)
            let back = try await store.pollState("blog")
            #expect(!back.disabled && back.lastError == nil)
            #expect(try await store.pollState("forum").etag == "\"v1\"")
        }
    }
}

@Suite struct ConcurrentOpenTests {
    /// Several processes (the daemon and CLI commands) opening a new database at once must
    /// each apply every migration exactly once, without "table already exists".
    @Test func openingAFreshDatabaseFromManyConnectionsAtOnce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-open-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let results = await withTaskGroup(of: Result<Store, any Error>.self) { group in
            for _ in 0..<6 { group.addTask { do { return .success(try await Store.open(directory: dir)) } catch { return .failure(error) } } }
            var all: [Result<Store, any Error>] = []
            for await result in group { all.append(result) }
            return all
        }
        for result in results {
            switch result {
            case .success(let store):
                #expect(try await store.appliedMigrations() == Store.migrations.map(\.id))
                try await store.close()
            case .failure(let error):
                Issue.record("open failed: \(error)")
            }
        }
    }
}

extension Store {
    /// Test help: `count` thread events in one transaction (every write needs one).
    fileprivate func recordThreadEvents(_ count: Int, at: Date) async throws {
        try await transaction {
            for i in 0..<count { try await recordEvent(kind: "thread.opened", threadID: nil, detail: "t\(i)", at: at) }
        }
    }
}

/// Routes every alert to one receiver, the request's severity in its payload: the store's side
/// of routing (written in the commit's transaction) without the pipeline's routing tree.
struct OneReceiverRouting: ThreadAlertRouting {
    func outbox(for alerts: [ThreadAlertRequest], store: Store, now: Date) async throws -> OutboxWrites {
        OutboxWrites(rows: alerts.map {
            NewOutboxRow(threadID: $0.threadID, kind: $0.event, receiver: "team", idempotencyKey: $0.idempotencyKey,
                         payload: #"{"severity":"\#($0.severity.rawValue)"}"#, notBefore: now)
        })
    }
}
