import Foundation
import OutcryAlerting
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing

// Issue 13, items 8 and 9 through the real dispatcher: routed rows are stored redacted, and after
// an erasure no notification — not a repeat queued before it, nor one queued after — carries
// the person.
@Suite(.serialized) struct PrivacyDeliveryTests {
    @Test func routedRowsAreStoredRedacted() async throws {
        let f = try await AlertFixture(config: webhookConfig(url: "http://127.0.0.1:9/hook"))
        defer { Task { await f.close() } }
        try await f.open(["a"])  // routed as it is raised: the receiver row waits in the outbox
        let routed = try await f.rows(receiver: "hook")
        #expect(routed.count == 1)
        for row in routed {
            #expect(!row.payload.contains("ann@example.com") && !row.payload.contains("7946"), "\(row.payload)")
            #expect(row.payload.contains("[email]") && row.payload.contains("[phone]"))
        }
    }

    @Test func afterAnErasureNoRepeatCarriesThePerson() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        let f = try await AlertFixture(config: webhookConfig(url: server.url("/hook"), routeExtra: ", \"repeat_interval\": \"1h\""))
        defer { Task { await f.close(); try? await server.stop() } }
        let ann = Contact(externalID: "crm-ann", name: "Ann Example", emails: ["ann@example.com"], phones: ["+442079460958"])
        _ = try await f.store.importContacts(actor: "test", now: alertT0) { try await $0.upsert([ann]) }
        let id = try #require(try await f.store.findContact("crm-ann")?.id)
        let mention = ScoredMention(
            mention: Mention(sourceName: "social", channel: .social, key: "ann-1", title: "Ann Example: chemo appointment cancelled",
                             text: "I am on chemo and my appointment was cancelled", authorName: "Ann Example", authorEmail: "ann@example.com",
                             publishedAt: alertT0, fetchedAt: alertT0),
            score: Score(sentiment: Sentiment(compound: -0.8, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                         urgency: [.safety], severity: .p1, reasons: [Reason(rule: "urgency.safety", evidence: "on chemo", weight: 1)]))
        _ = try await f.store.commitPoll(
            source: "social", mentions: [mention], success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: alertT0 + 600),
            alertOnBacklog: true, links: ["ann-1": MentionLink(outcome: .linked, contactID: id, confidence: 0.99, reason: "sender email ann@example.com is on Ann Example's record")],
            routing: f.router, now: alertT0)
        try await f.drain()
        f.clock.advance(by: 3600)
        try await f.drain()  // the first repeat goes out, the second is queued
        #expect(server.requests(path: "/hook").count == 2)
        #expect(String(decoding: server.requests(path: "/hook")[0].body, as: UTF8.self).contains("Ann Example"))

        _ = try await f.store.erase(contactID: id, actor: "test", now: f.clock.now())
        f.clock.advance(by: 3600)
        try await f.drain()  // the second repeat goes out, a third is queued
        let requests = server.requests(path: "/hook")
        #expect(requests.count == 3)
        let phrases = ["ann example", "ann@example.com", "chemo", "7946", "appointment"]
        for phrase in phrases {
            #expect(!String(decoding: requests[2].body, as: UTF8.self).lowercased().contains(phrase), "\(phrase) sent after the erasure")
        }
        for row in try await f.store.outbox(limit: 1000) {
            for phrase in phrases { #expect(!row.payload.lowercased().contains(phrase), "\(phrase) in outbox row \(row.id) (\(row.kind), \(row.status))") }
        }
        #expect(try await f.store.outbox(status: .pending).contains { $0.kind == "repeat" })
    }
}
