import Foundation
import OutcryModel
import SQLKit
import Testing
@testable import OutcryStore

/// The dashboard's users, sessions and tokens (migration 0014), and the queue's index.
@Suite struct UserStoreTests {
    @Test(arguments: Backend.allCases) func sessionsAndTokensAreKeptAsHashesAndExpire(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let user = try await store.addUser(name: "Ana", role: "responder", passwordHash: "$2b$04$hash", at: t0)
            // Names are unique without case.
            await #expect(throws: StoreError.self) { try await store.addUser(name: "ana", role: "viewer", passwordHash: "x", at: t0) }
            #expect(try await store.user(named: "ANA")?.id == user.id)

            let cookie = String(repeating: "c", count: 64), token = "oc_" + String(repeating: "t", count: 64)
            try await store.createSession(userID: user.id, token: cookie, csrfToken: "csrf-1", expiresAt: t0 + 3600, now: t0)
            try await store.addAPIToken(userID: user.id, token: token, now: t0)
            #expect(try await store.session(token: cookie, now: t0 + 60)?.user.name == "Ana")
            #expect(try await store.session(token: cookie, now: t0 + 60)?.csrfToken == "csrf-1")
            #expect(try await store.user(apiToken: token)?.name == "Ana")
            #expect(try await store.user(apiToken: token + "x") == nil)

            // Neither secret is in the database as written.
            let stored = try await store.sql.raw("SELECT token_hash FROM sessions UNION ALL SELECT token_hash FROM api_tokens").all()
                .map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(stored.count == 2 && !stored.contains(cookie) && !stored.contains(token))
            #expect(stored.allSatisfy { $0.count == 64 })

            // An expired session is no session, and the next login clears it away.
            #expect(try await store.session(token: cookie, now: t0 + 3600) == nil)
            try await store.createSession(userID: user.id, token: "other", csrfToken: "csrf-2", expiresAt: t0 + 9000, now: t0 + 4000)
            let left = try await store.sql.raw("SELECT COUNT(*) AS n FROM sessions").first()?.decode(column: "n", as: Int.self)
            #expect(left == 1)
            try await store.deleteSession(token: "other")
            #expect(try await store.session(token: "other", now: t0 + 4001) == nil)
        }
    }

    @Test func theQueueReadsOpenThreadsThroughTheirPartialIndexWithoutSorting() async throws {
        try await withTemporaryStore { store, _ in
            let plan = try await store.sql.raw("""
                EXPLAIN QUERY PLAN SELECT * FROM threads WHERE status <> 'resolved' ORDER BY severity_rank ASC, opened_at ASC, id ASC LIMIT 50
                """).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
            #expect(plan.contains("threads_open_queue"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    @Test(arguments: Backend.allCases) func openThreadsPageInTheQueueOrder(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([SourceConfig(name: "s", url: "https://example.org/feed", kind: .feed, interval: 600)], now: t0)
            try await store.transaction {
                for i in 0..<25 {
                    // Ties on rank and opening time, resolved threads between: the order is the stored
                    // (severity_rank, opened_at, id), which the cursor follows (even where the rank
                    // disagrees with the severity's name).
                    try await store.sql.raw("""
                        INSERT INTO threads (key, status, severity, severity_rank, title, source_name, channel, opened_at, last_mention_at)
                        VALUES (\(bind: "k\(i)"), \(bind: i % 5 == 0 ? "resolved" : "new"), 'P2', \(bind: i % 3),
                                't', 's', 'feed', \(bind: t0.timeIntervalSince1970 + Double(i % 4)), \(bind: t0.timeIntervalSince1970))
                        """).run()
                }
            }
            let all = try await store.openThreads(limit: 100)
            #expect(all.count == 20)
            var paged: [MentionThread] = []
            var last: ThreadID?
            for _ in 0..<10 {
                let page = try await store.openThreads(limit: 7, afterID: last)
                paged += page
                guard page.count == 7 else { break }
                last = page.last?.id
            }
            #expect(paged.map(\.id) == all.map(\.id))
            // The plan is SQLite's (PostgreSQL chooses by its statistics, and a 20-row table is scanned).
            if backend == .sqlite {
                let plan = try await store.sql.raw("""
                    EXPLAIN QUERY PLAN SELECT * FROM threads WHERE status <> 'resolved' AND (severity_rank, opened_at, id) > (1, 0, 3)
                    ORDER BY severity_rank ASC, opened_at ASC, id ASC LIMIT 7
                    """).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
                #expect(plan.contains("threads_open_queue") && !plan.contains("TEMP B-TREE"), "\(plan)")
            }
        }
    }
}
