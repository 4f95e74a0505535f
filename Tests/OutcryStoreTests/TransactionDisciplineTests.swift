import Foundation
import OutcryModel
import Testing
@testable import OutcryStore

private struct PollRolledBack: Error {}

extension Store {
    /// Stands in for a poll's transaction: writes an outbox row, waits (as a poll awaits its
    /// statements), then fails, so everything it wrote is rolled back.
    fileprivate func failingPoll(key: String, holdFor pause: Duration, now: Date) async throws {
        try await transaction {
            try await insertOutbox(NewOutboxRow(threadID: nil, kind: "new_thread", receiver: "hook", idempotencyKey: key,
                                                payload: "{}", notBefore: now), now: now)
            try await Task.sleep(for: pause)
            throw PollRolledBack()
        }
    }
}

@Suite struct TransactionDisciplineTests {
    /// A delivery marked while another task's transaction is open is not undone by that
    /// transaction's rollback (it used to run inside it, and the notification went out twice).
    @Test(arguments: Backend.allCases) func markSentSurvivesAnotherTasksRollback(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.enqueue([NewOutboxRow(threadID: nil, kind: "new_thread", receiver: "hook", idempotencyKey: "delivered",
                                                  payload: "{}", notBefore: t0)], now: t0)
            let id = try #require(try await store.outbox(status: .pending).first?.id)
            let poll = Task { try await store.failingPoll(key: "rolled-back", holdFor: .milliseconds(400), now: t0) }
            try await Task.sleep(for: .milliseconds(100))
            // Outside the poll's transaction nothing uncommitted is visible.
            #expect(try await store.outbox().map(\.idempotencyKey) == ["delivered"])
            try await store.markSent(id, now: t0)
            await #expect(throws: PollRolledBack.self) { try await poll.value }
            let after = try await store.outboxMessage(id: id)
            #expect(after.status == .sent)
            #expect(try await store.outbox().map(\.idempotencyKey) == ["delivered"])
        }
    }

    /// Failed deliveries and postponements wait for the open transaction too.
    @Test(arguments: Backend.allCases) func markFailedAndPostponeSurviveAnotherTasksRollback(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.enqueue([
                NewOutboxRow(threadID: nil, kind: "new_thread", receiver: "hook", idempotencyKey: "a", payload: "{}", notBefore: t0),
                NewOutboxRow(threadID: nil, kind: "new_thread", receiver: "hook", idempotencyKey: "b", payload: "{}", notBefore: t0),
            ], now: t0)
            let rows = try await store.outbox(status: .pending)
            let a = try #require(rows.first { $0.idempotencyKey == "a" }?.id)
            let b = try #require(rows.first { $0.idempotencyKey == "b" }?.id)
            let poll = Task { try await store.failingPoll(key: "rolled-back", holdFor: .milliseconds(400), now: t0) }
            try await Task.sleep(for: .milliseconds(100))
            try await store.markFailed(a, error: "HTTP 500", retryAt: nil)
            try await store.postpone([b], until: t0.addingTimeInterval(3600))
            _ = try? await poll.value
            #expect(try await store.outboxMessage(id: a).status == .dead)
            #expect(try await store.outboxMessage(id: b).nextAttemptAt == t0.addingTimeInterval(3600))
        }
    }

    /// A write that forgets its transaction fails loudly instead of landing in someone else's.
    @Test(arguments: Backend.allCases) func writesOutsideATransactionAreRefused(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("DELETE FROM outbox").run()
            }
        }
    }
}

/// SQLite: the write-ahead log is copied into the database file by the store's checkpointer,
/// beside the writer, not inside the commit that crosses a size (the writer's own automatic
/// checkpoint is off).
@Suite struct CheckpointTests {
    @Test func commitsReachTheDatabaseFileThroughTheCheckpointer() async throws {
        try await withTemporaryStore(.sqlite) { store, dir in
            let automatic = try await store.writerRows("PRAGMA wal_autocheckpoint")
            #expect(try automatic.first?.decode(column: "wal_autocheckpoint", as: Int.self) == 0)
            try await store.transaction { try await store.exec("CREATE TABLE probe (x INTEGER)") }
            try await store.transaction { try await store.exec("INSERT INTO probe VALUES (42)") }
            for _ in 0..<500 where !(await store.checkpointerIdle) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await store.checkpointerIdle)
            #expect(await store.checkpointsRun >= 1)
            // The database file alone, without its log, holds the committed row.
            let copy = (dir as NSString).appendingPathComponent("copy")
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: (dir as NSString).appendingPathComponent("outcry.sqlite"),
                                             toPath: (copy as NSString).appendingPathComponent("outcry.sqlite"))
            let alone = try await Store.open(file: (copy as NSString).appendingPathComponent("outcry.sqlite"))
            let rows = try await alone.writerRows("SELECT x FROM probe")
            try await alone.close()
            #expect(try rows.map { try $0.decode(column: "x", as: Int.self) } == [42])
        }
    }
}
