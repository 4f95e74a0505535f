import Foundation
import OutcryAlerting
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing

/// A receiver with its own template gets the template's body, signed like the built-in one; a
/// template that renders no JSON dead-letters that message with the reason.
@Suite(.serialized) struct TemplatedDeliveryTests {
    @Test func aTemplatedWebhookGetsTheTemplatesBodySigned() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook"))) { config in
            config.receivers["hook"]?.templateText = #"{"summary": "{{headline}}", "link": "{{thread_url}}", "ack": "{{ack_url}}"}"#
        }
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.drain()
        let request = try #require(server.requests(path: "/hook").first)
        #expect(WebhookMessage.verify(body: Data(request.body), timestamp: request.header(WebhookMessage.timestampHeader) ?? "",
                                      signatureHeader: request.header(WebhookMessage.signatureHeader) ?? "",
                                      secret: Array("s3cret".utf8), now: f.clock.now()))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(json.keys.sorted() == ["ack", "link", "summary"])
        #expect(json["summary"]?.hasPrefix("[P1] Complaint a") == true, "\(json)")
        #expect(json["link"]?.hasPrefix("https://outcry.example.org/threads/") == true)
        #expect(json["ack"]?.hasPrefix("https://outcry.example.org/ack/") == true)
    }

    @Test func aTemplateThatRendersNoJSONDeadLettersItsMessage() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook"))) { config in
            config.receivers["hook"]?.templateText = "{{headline}}"
        }
        defer { Task { await f.close(); try? await server.stop() } }
        try await f.open(["a"])
        try await f.drain()
        #expect(server.requests(path: "/hook").isEmpty)
        let dead = try await f.store.outbox(status: .dead, limit: 10)
        #expect(dead.count == 1 && dead[0].lastError?.contains("did not render a JSON object") == true, "\(dead)")
    }
}
