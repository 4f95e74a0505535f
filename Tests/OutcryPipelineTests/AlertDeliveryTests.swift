import Foundation
import OutcryAlerting
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing

@Suite(.serialized) struct AlertDeliveryTests {
    @Test func aReceiverDownForAWhileGetsEverythingOnceInOrder() async throws {
        let server = try await TestHTTPServer.start()
        let down = Switch(1)
        server.route("/hook", .respond { _ in down.current == 1 ? TestResponse(status: 503) : TestResponse(status: 200) })
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }

        let threads = try await f.open(["a", "b"])
        try await f.drain()                                    // routed, then the first attempt fails
        #expect(server.requests(path: "/hook").count == 2)
        #expect(try await f.rows(receiver: "hook").allSatisfy { $0.status == .pending && $0.attempts == 1 })
        f.clock.advance(by: 10)
        try await f.drain()                                    // second attempt, still down
        #expect(try await f.rows(receiver: "hook").allSatisfy { $0.attempts == 2 })
        f.clock.advance(by: 5)
        try await f.drain()                                    // not due yet (backoff 20 s)
        #expect(server.requests(path: "/hook").count == 4)
        down.set(0)
        f.clock.advance(by: 15)
        try await f.drain()
        f.clock.advance(by: 3600)
        try await f.drain()
        let requests = server.requests(path: "/hook")
        #expect(requests.count == 6)
        let bodies = requests.suffix(2).map { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
        #expect(bodies.map { ($0?["thread_url"] as? String)?.split(separator: "/").last.map(String.init) } == threads.map { String($0) })
        #expect(Set(requests.suffix(2).compactMap { $0.header("Idempotency-Key") }).count == 2)
        let delivered = try await f.rows(receiver: "hook").filter { $0.kind != "repeat" }
        #expect(delivered.count == 2 && delivered.allSatisfy { $0.status == .sent && $0.attempts == 3 })
    }

    @Test func retryAfterIsHonoured() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(429, headers: [("Retry-After", "120")]))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.drain()
        let row = try #require(try await f.rows(receiver: "hook").first)
        #expect(row.nextAttemptAt == alertT0.addingTimeInterval(120))
        #expect(row.lastError?.contains("Retry-After 2m") == true)
        f.clock.advance(by: 119)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
    }

    @Test func deadLetterAfterMaxAttemptsThenRetry() async throws {
        let server = try await TestHTTPServer.start()
        let down = Switch(1)
        server.route("/hook", .respond { _ in TestResponse(status: down.current == 1 ? 500 : 204) })
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        for _ in 0..<4 {
            try await f.drain()
            f.clock.advance(by: 3600)
        }
        let dead = try await f.store.outbox(status: .dead)
        #expect(dead.count == 1)
        #expect(dead.first?.lastError?.contains("gave up after 4 attempts") == true)
        down.set(0)
        #expect(try await f.store.retryDead(dead[0].id, now: f.clock.now()))
        try await f.drain()
        #expect(try await f.store.outboxMessage(id: dead[0].id).status == .sent)
        #expect(server.requests(path: "/hook").count == 5)
    }

    @Test func aPermanentFailureIsDeadLetteredAtOnce() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(404))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.drain()
        #expect(try await f.store.outbox(status: .dead).count == 1)
    }

    @Test func theWebhookIsSignedAndRedacted() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook")))
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.drain()
        let request = try #require(server.requests(path: "/hook").first)
        let valid = WebhookMessage.verify(body: Data(request.body), timestamp: request.header(WebhookMessage.timestampHeader) ?? "",
                                          signatureHeader: request.header(WebhookMessage.signatureHeader) ?? "",
                                          secret: Array("s3cret".utf8), now: f.clock.now())
        #expect(valid)
        #expect(!WebhookMessage.verify(body: Data(request.body), timestamp: request.header(WebhookMessage.timestampHeader) ?? "",
                                       signatureHeader: request.header(WebhookMessage.signatureHeader) ?? "",
                                       secret: Array("wrong".utf8), now: f.clock.now()))
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(!body.contains("ann@example.com"))
        #expect(!body.contains("7946 0958"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["severity"] as? String == "P1")
        #expect((json["reasons"] as? [String])?.contains { $0.contains("never arrived") } == true)
        #expect((json["ack_url"] as? String)?.hasPrefix("https://outcry.example.org/ack/") == true)
        #expect((json["thread_url"] as? String)?.hasPrefix("https://outcry.example.org/threads/") == true)
        #expect((json["contact"] as? [String: Any])?["url"] != nil)
        let token = String((json["ack_url"] as? String ?? "").split(separator: "/").last ?? "")
        #expect(try AckTokenSigner(key: Array(repeating: 7, count: 32)).verify(token, now: f.clock.now()) == "1")
    }

    @Test(.enabled(if: SMTPSink.isAvailable, "aiosmtpd is not installed: run scripts/setup.sh --test"))
    func anEmailArrivesWithTextAndHTMLParts() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let config = """
        {
          "routes": {"receiver": "legal", "group_wait": "0s"},
          "receivers": {"legal": {"type": "email", "url": "\(sink.url)", "to": ["legal@example.org"], "from": "outcry@example.org"}}
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close() } }
        try await f.open(["a"])
        try await f.drain()
        let messages = try await sink.waitForMessages(1)
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m.mailFrom == "outcry@example.org")
        #expect(m.rcptTos == ["legal@example.org"])
        #expect(m.text.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(m.text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(m.text.contains("Subject: [P1] Complaint a"))
        #expect(try await f.rows(receiver: "legal").first?.status == .sent)
    }

    @Test(.enabled(if: SMTPSink.isAvailable, "aiosmtpd is not installed: run scripts/setup.sh --test"))
    func smtpRepliesMapToRetryOrDeadLetter() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let config = """
        {
          "routes": {"receiver": "busy", "group_wait": "0s", "routes": [{"matchers": ["severity=P2"], "receiver": "gone"}]},
          "receivers": {
            "busy": {"type": "email", "url": "\(sink.url)", "to": ["busy@example.org"], "from": "outcry@example.org"},
            "gone": {"type": "email", "url": "\(sink.url)", "to": ["reject@example.org"], "from": "outcry@example.org"}
          }
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close() } }
        try await f.open(["a"])
        try await f.open(["b"], severity: .p2)
        try await f.drain()
        let busy = try #require(try await f.rows(receiver: "busy").first)
        #expect(busy.status == .pending)
        #expect(busy.lastError?.contains("451") == true)
        let gone = try #require(try await f.rows(receiver: "gone").first)
        #expect(gone.status == .dead)
        #expect(gone.lastError?.contains("550") == true)
    }

    @Test func alertsOfOneGroupGoOutTogetherAfterGroupWait() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let config = """
        {
          "routes": {"receiver": "hook", "group_by": ["severity"], "group_wait": "30s", "group_interval": "5m"},
          "receivers": {"hook": {"type": "webhook", "url": "\(server.url("/hook"))", "secret": "s3cret"}}
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a", "b"])
        try await f.drain()
        #expect(server.requests(path: "/hook").isEmpty)
        f.clock.advance(by: 30)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(server.requests(path: "/hook")[0].body)) as? [String: Any])
        #expect((first["also_in_group"] as? [String])?.count == 1)
        f.clock.advance(by: 60)
        try await f.open(["c"])
        try await f.drain()
        f.clock.advance(by: 60)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)     // group_interval: 5 minutes after the last one
        f.clock.advance(by: 180)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 2)
    }

    @Test func anUnacknowledgedGroupIsRepeatedAfterRepeatInterval() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook"), routeExtra: ", \"repeat_interval\": \"1h\""))
        defer { Task { await f.close(); try? await server.stop() } }
        let thread = try #require(try await f.open(["a"]).first)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        f.clock.advance(by: 3599)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        f.clock.advance(by: 1)
        try await f.drain()
        let requests = server.requests(path: "/hook")
        #expect(requests.count == 2)
        #expect(requests[0].header("Idempotency-Key") != requests[1].header("Idempotency-Key"))
        #expect(String(decoding: requests[1].body, as: UTF8.self).contains("repeated after repeat_interval 1h: still unacknowledged"))
        try await f.actions.perform(thread, .acknowledge, by: "ana")
        f.clock.advance(by: 3600)
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 2)                  // acknowledged: no more repeats
        #expect(try await f.store.outbox(status: .pending).isEmpty)
    }

    @Test func quietHoursHoldAP3ButNotAP1() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        // alertT0 is 2026-11-18 (Wednesday) 11:06:40 UTC: inside the quiet 11:00-18:00.
        let config = """
        {
          "quiet_hours": {"night": {"time_zone": "UTC", "hours": {"wed": ["11:00-18:00"]}, "override": "P1"}},
          "routes": {"receiver": "hook", "group_by": ["..."], "group_wait": "0s", "quiet_hours": ["night"]},
          "receivers": {"hook": {"type": "webhook", "url": "\(server.url("/hook"))", "secret": "s3cret"}}
        }
        """
        let f = try await AlertFixture(config: config)
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["urgent"], severity: .p1)
        try await f.open(["later"], severity: .p3, urgency: [])
        try await f.drain()
        #expect(server.requests(path: "/hook").count == 1)
        let held = try await f.rows(receiver: "hook").first { $0.status == .pending }
        #expect(held?.nextAttemptAt == ISO8601DateFormatter().date(from: "2026-11-18T18:00:00Z"))
    }
}
