import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct PayloadTests {
    static let now = utc("2026-03-23T10:00:00Z")
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)

    static func notification(title: String = "Refund refused", excerpt: String? = nil) -> OutcryAlerting.Notification {
        let alert = ThreadAlert(
            id: "t42/new", threadID: "42", title: title, severity: .p1, urgency: [.legal], brand: "acme", source: "mastodon",
            channel: .social,
            reasons: [Reason(rule: "urgency.legal", evidence: "my lawyer", weight: 1)],
            excerpt: excerpt ?? "My lawyer will hear about this. Call me on +44 20 7946 0958 or mail ann@example.org",
            contact: ContactLink(name: "Ann Lee", url: "https://crm.example.org/c/7", confidence: 0.92, basis: "email matched"),
            firedAt: now
        )
        let other = ThreadAlert(id: "t43/new", threadID: "43", title: "Still waiting", severity: .p3, source: "rss", channel: .feed, firedAt: now)
        let composer = NotificationComposer(dashboardURL: "https://outcry.example.org/", ackSigner: AckTokenSigner(key: key))
        return composer.compose(alerts: [other, alert], receiver: "comms", groupKey: "root:{brand=\"acme\"}",
                                routeReasons: ["route 'root' matched (no matchers)"], now: now)
    }

    @Test func composerRedactsAndLinks() throws {
        let n = Self.notification()
        #expect(n.excerpt == "My lawyer will hear about this. Call me on [phone] or mail [email]")
        #expect(n.threadURL == "https://outcry.example.org/threads/42")
        #expect(n.ackURL.hasPrefix("https://outcry.example.org/ack/"))
        let token = String(n.ackURL.dropFirst("https://outcry.example.org/ack/".count))
        #expect(try AckTokenSigner(key: Self.key).verify(token, now: Self.now) == "42")
        #expect(n.ackExpiresAt == Self.now + 86400)
        #expect(n.reasons == ["urgency.legal: my lawyer", "route 'root' matched (no matchers)"])
        #expect(n.headline == "[P1] Refund refused (acme) +1 more")
        #expect(n.alsoInGroup == ["[P3] Still waiting"])
        #expect(n.contactLine == "Ann Lee (confidence 92%, email matched) https://crm.example.org/c/7")
        #expect(Self.notification().id == n.id)   // stable idempotency key
    }

    @Test func slackBody() throws {
        let req = SlackMessage.request(for: Self.notification())
        let json = try #require(try JSONSerialization.jsonObject(with: req.body) as? [String: Any])
        #expect((json["text"] as? String)?.contains("<https://outcry.example.org/threads/42|open thread>") == true)
        let att = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(att["color"] as? String == "#D0021B")
        let fields = try #require(att["fields"] as? [[String: Any]])
        #expect(fields.contains { $0["title"] as? String == "Contact" && ($0["value"] as? String)?.contains("confidence 92%") == true })
        #expect(!req.bodyText.contains("ann@example.org"))
        #expect(req.header("content-type") == "application/json")
    }

    @Test func slackEscapesControlCharacters() {
        #expect(SlackMessage.escape("a <b> & c") == "a &lt;b&gt; &amp; c")
    }

    @Test func teamsAdaptiveCard() throws {
        let req = TeamsMessage.request(for: Self.notification())
        let json = try #require(try JSONSerialization.jsonObject(with: req.body) as? [String: Any])
        #expect(json["type"] as? String == "message")
        let att = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(att["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(att["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json")
        let actions = try #require(card["actions"] as? [[String: Any]])
        #expect(actions.map { $0["title"] as? String } == ["Open thread", "Acknowledge"])
        #expect(!req.bodyText.contains("7946"))
    }

    @Test func signedWebhook() throws {
        let secret = Array("whsec_test".utf8)
        let n = Self.notification()
        let req = WebhookMessage.request(for: n, secret: secret, now: Self.now)
        #expect(req.header("Idempotency-Key") == n.id)
        #expect(req.header("X-Outcry-Timestamp") == "1774260000")
        let sig = try #require(req.header("X-Outcry-Signature"))
        #expect(sig == "sha256=" + HMACSigner.hexMAC(key: secret, message: Array("1774260000.".utf8) + Array(req.body)))
        #expect(WebhookMessage.verify(body: req.body, timestamp: "1774260000", signatureHeader: sig, secret: secret, now: Self.now + 60))
        #expect(!WebhookMessage.verify(body: req.body + Data(" ".utf8), timestamp: "1774260000", signatureHeader: sig, secret: secret, now: Self.now))
        #expect(!WebhookMessage.verify(body: req.body, timestamp: "1774260001", signatureHeader: sig, secret: secret, now: Self.now))
        #expect(!WebhookMessage.verify(body: req.body, timestamp: "1774260000", signatureHeader: sig, secret: secret, now: Self.now + 3600))
        let json = try #require(try JSONSerialization.jsonObject(with: req.body) as? [String: Any])
        #expect(json["severity"] as? String == "P1")
        #expect(json["ack_url"] as? String == n.ackURL)
        #expect((json["contact"] as? [String: Any])?["confidence"] as? Double == 0.92)
    }

    @Test func emailMessage() throws {
        let n = Self.notification(title: "Rückerstattung verweigert – schon wieder", excerpt: "Zu lang? \(String(repeating: "ä", count: 60))")
        let text = try EmailMessage.render(n, from: .init("alerts@example.org", name: "Outcry Alerts"),
                                           to: [.init("comms@example.org"), .init("lead@example.org", name: "Zoë")], now: Self.now)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))     // CRLF only
        let head = String(text[..<text.range(of: "\r\n\r\n")!.lowerBound])
        #expect(head.contains("From: \"Outcry Alerts\" <alerts@example.org>"))
        #expect(head.contains("To: comms@example.org,\r\n =?UTF-8?B?Wm/Dqw==?= <lead@example.org>"))
        #expect(head.contains("Date: Mon, 23 Mar 2026 10:00:00 +0000"))
        #expect(head.contains("MIME-Version: 1.0"))
        #expect(head.contains("Content-Type: multipart/alternative; boundary=\"=_outcry_\(n.id)\""))
        #expect(head.contains("Message-ID: <\(n.id).1774260000@example.org>"))
        // Subject: encoded words, each ≤ 75 characters, decoding back to the headline.
        let subjectLines = head.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        let words = subjectLines.map { $0.replacingOccurrences(of: "Subject: ", with: "").trimmingCharacters(in: .whitespaces) }
        #expect(words.count >= 2)
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { w in String(decoding: Data(base64Encoded: String(w.dropFirst(10).dropLast(2)))!, as: UTF8.self) }.joined()
        #expect(decoded == n.headline)
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.hasSuffix("--=_outcry_\(n.id)--\r\n"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 998 })
        #expect(text.components(separatedBy: "\r\n").filter { $0.contains("=C3=A4") }.allSatisfy { $0.count <= 76 })
    }

    static let qp: [(String, String)] = [
        ("plain text", "plain text"),
        ("a=b", "a=3Db"),
        ("trailing space ", "trailing space=20"),
        ("café", "caf=C3=A9"),
        ("one\ntwo", "one\r\ntwo"),
        (String(repeating: "x", count: 80), String(repeating: "x", count: 75) + "=\r\n" + String(repeating: "x", count: 5)),
    ]

    @Test(arguments: qp.indices)
    func quotedPrintable(_ i: Int) {
        #expect(EmailMessage.quotedPrintable(Self.qp[i].0) == Self.qp[i].1)
    }

    @Test func headerInjectionIsRefused() {
        #expect(throws: AlertingConfigError.self) {
            try EmailMessage.render(Self.notification(), from: .init("a@example.org"), to: [.init("b@example.org\r\nBcc: x@evil.test")], now: Self.now)
        }
        #expect(EmailMessage.encodeHeaderText("plain ASCII subject") == "plain ASCII subject")
        #expect(EmailMessage.encodeHeaderText("bad\r\nBcc: x").hasPrefix("=?UTF-8?B?"))
    }
}
