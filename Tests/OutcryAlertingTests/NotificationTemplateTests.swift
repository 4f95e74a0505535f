import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

/// A receiver's own Mustache template: values are escaped for where they land, a chat or
/// webhook body must come out as JSON, and the built-in bodies stay as they were without one.
@Suite struct NotificationTemplateTests {
    static let now = utc("2026-03-23T10:00:00Z")
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)

    static func notification(title: String = "Refund \"refused\" <b>") -> OutcryAlerting.Notification {
        let lead = ThreadAlert(id: "t42/new", threadID: "42", title: title, severity: .p1, brand: "acme", source: "mastodon",
                               channel: .social, excerpt: "line one\nline \\two", postURL: "https://social.example/@ann/1", firedAt: now)
        let other = ThreadAlert(id: "t43/new", threadID: "43", title: "Second", severity: .p1, source: "rss", channel: .feed, firedAt: now)
        let composer = NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: AckTokenSigner(key: key))
        return composer.compose(alerts: [lead, other], receiver: "comms", groupKey: "g", now: now)
    }

    static let slackTemplate = """
        {"text": "{{headline}} <{{thread_url}}|open>{{#post_url}} <{{post_url}}|post>{{/post_url}}\\n{{excerpt}}{{#others}}\\n{{headline}} <{{ack_url}}|ack>{{/others}}"}
        """

    @Test func aSlackTemplateEscapesCustomerTextForJSONAndSlack() throws {
        let n = Self.notification()
        let body = try NotificationTemplate(Self.slackTemplate, for: .slack).render(n)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("[P1] Refund \"refused\" &lt;b&gt; (acme) +1 more <https://outcry.example.org/threads/42|open>"), "\(text)")
        #expect(text.contains("<https://social.example/@ann/1|post>"))
        #expect(text.contains("line one\nline \\two"))
        #expect(text.contains("[P1] Second <https://outcry.example.org/ack/"))
    }

    @Test func customerTextCannotBreakTheJSON() throws {
        let hostile = Self.notification(title: "\", \"channel\": \"#general")
        let body = try NotificationTemplate(#"{"text": "{{title}}"}"#, for: .webhook).render(hostile)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json.keys.sorted() == ["text"])
        #expect(json["text"] as? String == "\", \"channel\": \"#general")
    }

    @Test func aTemplateThatGivesNoJSONObjectIsRefused() throws {
        #expect(throws: AlertingConfigError.self) { try NotificationTemplate("{{headline}}", for: .teams).render(Self.notification()) }
        #expect(throws: AlertingConfigError.self) { try NotificationTemplate("{{#others}}", for: .slack) }
    }

    @Test func aWebhookTemplateIsSignedAndAnEmailTemplateIsPlainText() throws {
        let n = Self.notification()
        let request = try NotificationTemplate(#"{"t": "{{title}}", "sev": "{{severity}}"}"#, for: .webhook).request(for: n, secret: Self.key, now: Self.now)
        let timestamp = try #require(request.header(WebhookMessage.timestampHeader))
        let signature = try #require(request.header(WebhookMessage.signatureHeader))
        #expect(WebhookMessage.verify(body: request.body, timestamp: timestamp, signatureHeader: signature, secret: Self.key, now: Self.now))

        let text = try NotificationTemplate("{{headline}}\nOpen: {{thread_url}}\n", for: .email).render(n)
        #expect(text == "[P1] Refund \"refused\" <b> (acme) +1 more\nOpen: https://outcry.example.org/threads/42\n")
        let mail = try EmailMessage.render(n, from: .init("o@example.org"), to: [.init("a@example.org")], now: Self.now, text: text)
        #expect(mail.contains("Content-Type: text/plain; charset=utf-8") && !mail.contains("text/html"))
        // Without a template the built-in message is unchanged: both parts.
        #expect(try EmailMessage.render(n, from: .init("o@example.org"), to: [.init("a@example.org")], now: Self.now).contains("text/html"))
    }
}
