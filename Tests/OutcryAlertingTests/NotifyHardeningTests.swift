import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

// Issue 13, items 9 (redaction of every field), 19 (markup injection), 20 (episode links).

@Suite struct NotifyHardeningTests {
    static let now = utc("2026-03-23T10:00:00Z")
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)

    static func alert(excerpt: String = "Refund refused", title: String = "Refund refused", basis: String? = "phone number +447700900123 in the text and X handle @janedoe_77 are on Jane Doe's record",
                      evidence: String = "doe@doefamily.net") -> ThreadAlert {
        ThreadAlert(
            id: "t42/new", threadID: "42", title: title, severity: .p1, source: "forum", channel: .feed,
            reasons: [Reason(rule: "complaint.directed", evidence: evidence, weight: 0.15)], excerpt: excerpt,
            contact: ContactLink(name: "Jane Doe", url: "https://crm.example.org/c/7", confidence: 0.97, basis: basis), firedAt: now)
    }

    static func compose(_ alert: ThreadAlert, routeReasons: [String] = [], redaction: RedactionPolicy = RedactionPolicy()) -> OutcryAlerting.Notification {
        NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: AckTokenSigner(key: key), redaction: redaction)
            .compose(alerts: [alert], receiver: "hook", groupKey: "g", routeReasons: routeReasons, now: now)
    }

    // MARK: item 9

    @Test func theContactsBasisAndEveryReasonAreRedactedInEveryFormat() throws {
        let n = Self.compose(Self.alert(), routeReasons: ["matched brand mail from jane.doe@doefamily.net"])
        #expect(n.contact?.basis == "phone number [phone] in the text and X handle [handle] are on Jane Doe's record")
        #expect(n.reasons == ["complaint.directed: [email]", "matched brand mail from [email]"])
        let bodies = [
            WebhookMessage.request(for: n, secret: Self.key, now: Self.now).bodyText, SlackMessage.request(for: n).bodyText,
            SlackMessage.request(for: n, flavor: .markdown).bodyText, TeamsMessage.request(for: n).bodyText,
            try EmailMessage.render(n, from: .init("outcry@example.org"), to: [.init("comms@example.org")], now: Self.now),
        ]
        for body in bodies {
            for secret in ["7700900123", "janedoe_77", "doefamily"] { #expect(!body.contains(secret), "\(secret) in \(body.prefix(60))") }
        }
    }

    @Test func anAlertIsStoredRedactedForItsReceiver() {
        let raw = Self.alert(excerpt: "Call me on +44 7700 900123 or at jane.doe@doefamily.net", title: "From jane.doe@doefamily.net")
        let stored = RedactionPolicy().apply(to: raw)
        #expect(stored.excerpt == "Call me on [phone] or at [email]")
        #expect(stored.title == "From [email]")
        #expect(stored.reasons.map(\.evidence) == ["[email]"])
        #expect(stored.contact?.basis?.contains("+447700900123") == false)
        #expect(stored.contact?.name == "Jane Doe" && stored.id == raw.id && stored.severity == raw.severity)
        // A receiver with redaction off (an internal sink) gets the text as written.
        #expect(RedactionPolicy(enabled: false).apply(to: raw) == raw)
    }

    @Test func redditHandlesAreRedactedToo() {
        #expect(Redactor().redact("Reddit handle u/jane_doe_77 is on her record") == "Reddit handle [handle] is on her record")
    }

    // MARK: item 19

    static let hostile = "Click [Acknowledge](https://phish.example/ack) ![x](https://tracker.example/p.gif) <https://evil.example|click here> @channel [a][1]\n[1]: https://phish.example"

    @Test func slackCardsCarryNoLiveLinksFromCustomerText() throws {
        let n = Self.compose(Self.alert(excerpt: Self.hostile, title: "see <https://evil.example|this>"), redaction: .init(enabled: false))
        let json = try #require(try JSONSerialization.jsonObject(with: SlackMessage.request(for: n).body) as? [String: Any])
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        let text = try #require(attachment["text"] as? String)
        // Slack mrkdwn links and mentions are `<…>`: none survives from the customer.
        #expect(!text.contains("<") && !text.contains(">") && text.contains("&lt;https://evil.example|click here&gt;"))
        let headline = try #require(json["text"] as? String)
        #expect(headline.hasPrefix("[P1] see &lt;https://evil.example|this&gt;"))
        #expect(headline.contains("<https://outcry.example.org/ack/"))  // our own link is live
    }

    @Test func mattermostCardsCarryNoLiveMarkdownFromCustomerText() throws {
        let n = Self.compose(Self.alert(excerpt: Self.hostile), redaction: .init(enabled: false))
        let json = try #require(try JSONSerialization.jsonObject(with: SlackMessage.request(for: n, flavor: .markdown).body) as? [String: Any])
        let text = try #require((json["attachments"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(text.contains(#"\[Acknowledge\]\(https://phish.example/ack\)"#))
        #expect(text.contains(#"\!\[x\]\(https://tracker.example/p.gif\)"#))
        #expect(text.contains(#"\<https://evil.example\|click here\>"#))
        #expect(!text.contains("](") && !text.contains("!["))
        #expect(!text.contains("@channel") && text.contains("@\u{200B}channel"))
        #expect(text.contains(#"\[1\]: https://phish.example"#))
    }

    @Test func teamsCardsCarryNoLiveMarkdownFromCustomerText() throws {
        let n = Self.compose(Self.alert(excerpt: Self.hostile, title: "[Open](https://phish.example)"), redaction: .init(enabled: false))
        let body = TeamsMessage.request(for: n).bodyText
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let card = try #require((json["attachments"] as? [[String: Any]])?.first?["content"] as? [String: Any])
        let texts = try #require(card["body"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        for text in texts {
            #expect(!text.contains("](") && !text.contains("![") && !text.contains("]:") && !text.contains("]["), "\(text)")
        }
        #expect(texts.contains { $0.contains("[Acknowledge]\u{200B}(https://phish.example/ack)") })
        // The real actions are untouched.
        let actions = try #require(card["actions"] as? [[String: Any]])
        #expect(actions.map { $0["title"] as? String } == ["Open thread", "Acknowledge"])
    }

    // MARK: item 20

    @Test func anAcknowledgeLinkNamesTheEpisodeItWasSentFor() throws {
        let n = Self.compose(Self.alert())
        let token = String(n.ackURL.dropFirst("https://outcry.example.org/ack/".count))
        let claim = try AckTokenSigner(key: Self.key).verifyClaim(token, now: Self.now)
        #expect(claim.threadID == "42" && claim.firedAt == Self.now && claim.expiresAt == Self.now + 86400)
        // Old (v1) links still verify, without an episode; thread ids with bars survive both.
        let v1 = AckTokenSigner(key: Self.key).token(threadID: "a|b", expiresAt: Self.now + 60)
        #expect(try AckTokenSigner(key: Self.key).verifyClaim(v1, now: Self.now) == .init(threadID: "a|b", firedAt: nil, expiresAt: Self.now + 60))
        let v2 = AckTokenSigner(key: Self.key).token(threadID: "a|7", firedAt: Self.now + 0.0004, expiresAt: Self.now + 60)
        let c2 = try AckTokenSigner(key: Self.key).verifyClaim(v2, now: Self.now)
        #expect(c2.threadID == "a|7" && c2.firedAt! >= Self.now + 0.0004 && c2.firedAt! <= Self.now + 0.001)
    }
}
