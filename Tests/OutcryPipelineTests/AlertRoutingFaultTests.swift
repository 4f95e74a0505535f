import Foundation
import OutcryAlerting
import OutcryModel
@testable import OutcryPipeline
@testable import OutcryStore
import OutcryTestSupport
import Testing

extension Store {
    /// Test help: one statement in its own transaction (the only way a write gets in).
    fileprivate func execInTransaction(_ statement: String) async throws {
        try await transaction { try await exec(statement) }
    }
}

/// A router that fails, standing in for a routing read that fails inside a poll's transaction.
private struct FailingRouter: ThreadAlertRouting {
    struct Failure: Error {}
    func outbox(for alerts: [ThreadAlertRequest], store: Store, now: Date) async throws -> OutboxWrites { throw Failure() }
}

@Suite(.serialized) struct AlertRoutingFaultTests {
    /// An alert is routed in the transaction that raises it: when routing fails, the poll is
    /// not stored at all (no mention, no thread, no row, the source's validators unchanged), so
    /// the next pass fetches the items again, raises the alert again and delivers it once.
    @Test func aFailedRoutingLeavesNoPollBehindAndTheNextPassRaisesTheAlert() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        let item = ScoredMention(
            mention: Mention(sourceName: "social", channel: .social, key: "a", title: "Complaint a", text: "My order never arrived",
                             publishedAt: f.clock.now(), fetchedAt: f.clock.now()),
            score: Score(sentiment: Sentiment(compound: -0.8, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                         urgency: [.legal], severity: .p1, reasons: []))
        let success = PollSuccess(etag: "\"v2\"", lastModified: nil, nextPollAt: f.clock.now() + 600)
        await #expect(throws: FailingRouter.Failure.self) {
            try await f.store.commitPoll(source: "social", mentions: [item], success: success, alertOnBacklog: true,
                                         routing: FailingRouter(), now: f.clock.now())
        }
        #expect(try await f.store.openThreads().isEmpty)
        #expect(try await f.rows().isEmpty)
        #expect(try await f.store.sql.raw("SELECT COUNT(*) AS n FROM mentions").first()?.decode(column: "n", as: Int.self) == 0)
        #expect(try await f.store.sql.raw("SELECT etag FROM sources WHERE name = 'social'").first()?.decode(column: "etag", as: String?.self) == nil)

        let again = try await f.store.commitPoll(source: "social", mentions: [item], success: success, alertOnBacklog: true,
                                                 routing: f.router, now: f.clock.now())
        #expect(again.threadsOpened.count == 1 && again.alertsQueued == 1)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        #expect(try await f.rows().filter { $0.kind != "repeat" }.map(\.receiver) == ["hook"])
    }

    /// A row an earlier version queued for routing (receiver `log`) and had not routed yet when
    /// the database was upgraded is set apart by the migration and routed once by the dispatcher:
    /// delivered to the route's receiver, the old row marked sent — and a row that was already
    /// sent is left alone.
    @Test func anUpgradesUnroutedRowIsRoutedOnce() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        // A thread stored as the earlier version did, and its routing-inbox row in that version's format.
        let result = try await f.store.commitPoll(
            source: "social",
            mentions: [ScoredMention(
                mention: Mention(sourceName: "social", channel: .social, key: "old", title: "Old complaint", text: "Still waiting for my refund",
                                 publishedAt: f.clock.now(), fetchedAt: f.clock.now()),
                score: Score(sentiment: Sentiment(compound: -0.7, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                             urgency: [], severity: .p2, reasons: []))],
            success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: f.clock.now() + 600), alertOnBacklog: true, now: f.clock.now())
        let thread = try #require(result.threadsOpened.first)
        #expect(try await f.rows().isEmpty)  // no router: nothing written
        let payload = #"{"event":"thread.opened","severity":"P2","source":"social","summary":"complaint","threadID":\#(thread),"title":"Old complaint"}"#
        for (key, status) in [("thread.opened:\(thread):old", "pending"), ("thread.opened:\(thread):older", "sent")] {
            try await f.store.execInTransaction("""
                INSERT INTO outbox (thread_id, kind, receiver, idempotency_key, payload, status, next_attempt_at, created_at)
                VALUES (\(thread), 'thread.opened', 'log', '\(key)', '\(payload)', '\(status)', \(f.clock.now().timeIntervalSince1970), \(f.clock.now().timeIntervalSince1970))
                """)
        }
        try await f.store.execInTransaction("DELETE FROM schema_migrations WHERE id = '0018_unrouted_outbox'")
        try await f.store.migrate()
        #expect(try await f.rows().map(\.receiver) == [Store.unroutedReceiver, "log"])

        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        let rows = try await f.rows().filter { $0.kind != "repeat" }  // (the group's repeat, queued for later)
        #expect(rows.map(\.receiver) == [Store.unroutedReceiver, "log", "hook"])
        #expect(rows.allSatisfy { $0.status == .sent }, "\(rows)")
        #expect(rows.last?.idempotencyKey == "thread.opened:\(thread):old")
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
    }

    /// One pass of `deliverAllDue` routes an alert and delivers it (a cron pass used to send it
    /// only on the next pass, up to one timer interval late).
    @Test func onePassRoutesAndDelivers() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.dispatcher.deliverAllDue()
        #expect(server.requests(path: "/hook").count == 1)
        #expect(try await f.rows(receiver: "hook").filter { $0.kind != "repeat" }.allSatisfy { $0.status == .sent })
    }
}
