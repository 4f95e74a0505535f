import Foundation
import OutcryAlerting
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing

@Suite(.serialized) struct AlertClockTests {
    static func escalationConfig(_ url: String) -> String {
        """
        {
          "escalations": {"p1": {"tiers": [{"after": "0m", "receivers": ["oncall"]}, {"after": "15m", "receivers": ["lead"]}]}},
          "routes": {"receiver": "oncall", "group_by": ["..."], "group_wait": "0s"},
          "receivers": {
            "oncall": {"type": "webhook", "url": "\(url)/oncall", "secret": "s"},
            "lead": {"type": "webhook", "url": "\(url)/lead", "secret": "s"}
          }
        }
        """
    }

    @Test func escalationTiersFireOnTimeAcrossARestart() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/oncall", .status(200))
        server.route("/lead", .status(200))
        let f = try await AlertFixture(config: Self.escalationConfig(server.baseURL))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        #expect(try await f.clocks.tick() == 1)                              // tier 1 at once
        #expect(try await f.store.earliestWakeUp() == alertT0.addingTimeInterval(15 * 60))
        try await f.reopenStore()                                             // a restart in the middle
        f.clock.advance(by: 15 * 60 - 1)
        #expect(try await f.clocks.tick() == 0)
        try await f.drain()
        #expect(server.requests(path: "/lead").isEmpty)
        f.clock.advance(by: 1)
        #expect(try await f.clocks.tick() == 1)                              // tier 2, on time
        #expect(try await f.clocks.tick() == 0)                              // and only once
        try await f.drain()
        #expect(server.requests(path: "/lead").count == 1)
        let body = String(decoding: server.requests(path: "/lead")[0].body, as: UTF8.self)
        #expect(body.contains("escalation 'p1' tier 2: unacknowledged"))
        // oncall got the routed new-thread alert and the tier-1 escalation, each once.
        #expect(server.requests(path: "/oncall").count == 2)
    }

    @Test func acknowledgingStopsTheEscalation() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/oncall", .status(200))
        server.route("/lead", .status(200))
        let f = try await AlertFixture(config: Self.escalationConfig(server.baseURL))
        defer { Task { await f.close(); try? await server.stop() } }
        let thread = try #require(try await f.open(["a"]).first)
        try await f.clocks.tick()
        f.clock.advance(by: 60)
        let event = try await f.actions.perform(thread, .acknowledge, by: "ana", note: "on it")
        #expect(event.to == .acknowledged)
        #expect(try await f.store.thread(id: thread).status == .acknowledged)
        let history = try await f.store.threadEvents(thread)
        #expect(history.map(\.kind) == ["acknowledged"])
        #expect(history.first?.actor == "ana" && history.first?.note == "on it" && history.first?.from == "new")
        f.clock.advance(by: 3600)
        #expect(try await f.clocks.tick() == 0)
        try await f.drain()
        #expect(server.requests(path: "/lead").isEmpty)
        await #expect(throws: TransitionError.self) { try await f.actions.perform(thread, .acknowledge, by: "bo") }
        _ = try await f.actions.perform(thread, .assign(.person("bo")), by: "ana")
        #expect(try await f.store.threadAlertFacts(thread).assigneeName == "bo")
        // Resolved, then reopened: the chain starts again from tier 1.
        try await f.actions.perform(thread, .resolve, by: "bo")
        f.clock.advance(by: 60)
        try await f.actions.perform(thread, .reopen, by: "bo")
        #expect(try await f.clocks.tick() == 1)
        f.clock.advance(by: 15 * 60)
        #expect(try await f.clocks.tick() == 1)
        try await f.drain()
        #expect(server.requests(path: "/lead").count == 1)
    }

    @Test func slaWarningThenBreach() async throws {
        let config = """
        {
          "sla": [{"name": "p1", "severities": ["P1"], "targets": {"acknowledge": "30m"}, "business_hours": false, "warn_before": "10m"}],
          "routes": {"receiver": "hook", "group_by": ["..."], "group_wait": "0s"},
          "receivers": {"hook": {"type": "webhook", "url": "http://127.0.0.1:9/none", "secret": "s"}}
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close() } }
        let thread = try #require(try await f.open(["a"]).first)
        #expect(try await f.clocks.tick() == 0)
        #expect(try await f.store.earliestWakeUp() == alertT0.addingTimeInterval(20 * 60))
        f.clock.advance(by: 20 * 60)
        #expect(try await f.clocks.tick() == 1)
        f.clock.advance(by: 10 * 60)
        #expect(try await f.clocks.tick() == 1)
        // Each routed when it was raised: straight to the route's receiver.
        let kinds = try await f.rows(receiver: "hook").filter { $0.threadID == thread }.map(\.kind)
        #expect(kinds == ["thread.opened", "sla.warning", "sla.breach"])
        #expect(try await f.rows().allSatisfy { $0.receiver == "hook" })
        #expect(try await f.store.sentNoticeKeys(thread) == ["sla:acknowledge#0:warning", "sla:acknowledge#0:breach"])
        #expect(try await f.store.earliestWakeUp() == nil)
    }

    @Test func reportFiguresFromAConstructedHistory() async throws {
        let config = """
        {
          "sla": [{"name": "all", "targets": {"acknowledge": "10m"}, "business_hours": false}],
          "routes": {"receiver": "hook"},
          "receivers": {"hook": {"type": "webhook", "url": "http://127.0.0.1:9/none", "secret": "s"}}
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close() } }
        let ids = try await f.open(["a", "b", "c"])
        for (i, id) in ids.enumerated() {
            f.clock.set(alertT0.addingTimeInterval(Double(i + 1) * 5 * 60))   // acknowledged after 5, 10, 15 minutes
            try await f.actions.perform(id, .acknowledge, by: "ana")
        }
        try await f.actions.perform(ids[0], .assign(.person("bo")), by: "ana")
        f.clock.set(alertT0.addingTimeInterval(3600))
        try await f.actions.perform(ids[0], .respond, by: "bo")
        let report = try await AlertReport.build(store: f.store, config: f.settings.config, since: nil, perPerson: true, now: f.clock.now())
        let overall = try #require(report.rows.first { $0.dimension == .overall })
        #expect(overall.threads == 3)
        #expect(overall.acknowledge?.p50 == 600)
        #expect(overall.acknowledge?.p90 == 900)
        #expect(overall.firstResponse?.count == 1)
        #expect(overall.slaMet == 2 && overall.slaBreached == 1)
        #expect(report.rows.contains { $0.dimension == .person && $0.key == "bo" })
        #expect(report.csv().hasPrefix("dimension,key,threads"))
    }
}
