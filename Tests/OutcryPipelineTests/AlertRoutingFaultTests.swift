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

@Suite(.serialized) struct AlertRoutingFaultTests {
    /// A thread that cannot be read when its alert is routed leaves the alert pending (it was
    /// marked sent without being routed); once it can be read, the alert goes out.
    @Test func aFailedReadLeavesTheAlertPendingUntilItCanBeRouted() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        let threads = try await f.open(["a"])
        let id = try #require(threads.first)
        try await f.store.execInTransaction("UPDATE threads SET opened_at = 'unreadable ' || opened_at WHERE id = \(id)")
        try await f.drain()
        #expect(server.requests(path: "/hook").isEmpty)
        let routing = try await f.rows(receiver: AlertDispatcher.routingReceiver)
        #expect(!routing.isEmpty && routing.allSatisfy { $0.status == "pending" }, "\(routing)")

        try await f.store.execInTransaction("UPDATE threads SET opened_at = CAST(substr(opened_at, 12) AS REAL) WHERE id = \(id)")
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        #expect(try await f.rows(receiver: AlertDispatcher.routingReceiver).allSatisfy { $0.status == "sent" })
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
        #expect(try await f.rows(receiver: "hook").filter { $0.kind != "repeat" }.allSatisfy { $0.status == "sent" })
    }
}
