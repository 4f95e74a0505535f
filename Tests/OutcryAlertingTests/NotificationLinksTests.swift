import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

/// Every notification carries the original post's address; a group lists each thread once,
/// led by its most severe new alert, with an acknowledge link for every P1 in it.
@Suite struct NotificationLinksTests {
    static let now = utc("2026-03-23T10:00:00Z")
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)

    static func group() -> OutcryAlerting.Notification {
        let warning = ThreadAlert(id: "t40/sla_warning", threadID: "40", kind: .slaWarning, title: "Old P1 waiting", severity: .p1,
                                  source: "rss", channel: .feed, postURL: "https://forum.example.org/t/40", firedAt: now - 600)
        let lead = ThreadAlert(id: "t42/new", threadID: "42", title: "Refund refused", severity: .p1, brand: "acme", source: "mastodon",
                               channel: .social, postURL: "https://social.example/@ann/1", firedAt: now)
        let p3 = ThreadAlert(id: "t43/new", threadID: "43", title: "Still waiting", severity: .p3, source: "rss", channel: .feed,
                             postURL: "javascript:alert(1)", firedAt: now)
        let p3Again = ThreadAlert(id: "t43/sla_warning", threadID: "43", kind: .slaWarning, title: "Still waiting", severity: .p3,
                                  source: "rss", channel: .feed, firedAt: now)
        let ordered = LeadOrderStage.apply([p3, warning, p3Again, lead])
        let composer = NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: AckTokenSigner(key: key))
        return composer.compose(alerts: ordered, receiver: "comms", groupKey: "g", now: now)
    }

    @Test func aGroupIsLedByItsMostSevereNewAlertAndListsEachThreadOnce() throws {
        let n = Self.group()
        #expect(n.kind == .newThread)
        #expect(n.title == "Refund refused")
        #expect(n.headline == "[P1] Refund refused (acme) +2 more")
        #expect(n.others.map(\.threadID) == ["40", "43"])
        #expect(n.postURL == "https://social.example/@ann/1")
        // The other P1 has its own acknowledge link, for its own thread; the P3 has none.
        let p1 = try #require(n.others.first { $0.threadID == "40" })
        let token = try #require(p1.ackURL?.split(separator: "/").last.map(String.init))
        #expect(try AckTokenSigner(key: Self.key).verify(token, now: Self.now) == "40")
        #expect(p1.postURL == "https://forum.example.org/t/40")
        #expect(n.others.first { $0.threadID == "43" }?.ackURL == nil)
        // A post address that is not http(s) never becomes a link.
        #expect(n.others.first { $0.threadID == "43" }?.postURL == nil)
    }

    @Test func everyRendererCarriesThePostAndEachP1sAcknowledgeLink() throws {
        let n = Self.group()
        let p1Ack = try #require(n.others.first?.ackURL)
        let bodies = [
            ("slack", SlackMessage.request(for: n).bodyText),
            ("mattermost", SlackMessage.request(for: n, flavor: .markdown).bodyText),
            ("teams", TeamsMessage.request(for: n).bodyText),
            ("webhook", WebhookMessage.request(for: n, secret: Self.key, now: Self.now).bodyText),
            ("email", try EmailMessage.render(n, from: .init("o@example.org"), to: [.init("a@example.org")], now: Self.now)),
        ]
        for (name, body) in bodies {
            let text = name == "email" ? body.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=") : body
            #expect(text.contains("https://social.example/@ann/1"), "\(name)")
            #expect(text.contains("https://forum.example.org/t/40"), "\(name)")
            #expect(text.contains(p1Ack), "\(name)")
            #expect(!text.contains("javascript:"), "\(name)")
        }
        let webhook = try #require(try JSONSerialization.jsonObject(with: WebhookMessage.request(for: n, secret: Self.key, now: Self.now).body) as? [String: Any])
        #expect(webhook["post_url"] as? String == "https://social.example/@ann/1")
        let group = try #require(webhook["group"] as? [[String: Any]])
        #expect(group.map { $0["thread_id"] as? String } == ["40", "43"])
        #expect(group[0]["ack_url"] as? String == p1Ack && group[1]["ack_url"] == nil)
    }

    @Test func aPostAddressCannotBreakOutOfALink() {
        #expect(NotificationComposer.safeLinkURL("https://x.example/a|b>c<d\"e'f (g)") == "https://x.example/a%7Cb%3Ec%3Cd%22e%27f%20%28g%29")
        #expect(NotificationComposer.safeLinkURL("data:text/html,hi") == nil)
        #expect(NotificationComposer.safeLinkURL("  ") == nil)
    }
}
