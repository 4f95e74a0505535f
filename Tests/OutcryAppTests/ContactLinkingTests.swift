import Foundation
import OutcryFetch
import OutcryModel
import OutcryPipeline
import OutcryScoring
import OutcryTestSupport
import Testing
@testable import OutcryStore

/// Polls a JSON source of Mastodon-like posts through a poller with a contact linker.
struct LinkingRig {
    let server: TestHTTPServer
    let store: Store
    let client: FetchClient
    let clock: ManualWallClock
    let poller: Poller
    let source: SourceConfig

    static func with(_ body: (LinkingRig) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let server = try await TestHTTPServer.start()
            let store = try await Store.open(directory: dir)
            let client = FetchClient()
            let clock = ManualWallClock(Date(timeIntervalSince1970: 1_795_000_000))
            let poller = Poller(store: store, client: client, scorer: Scorer(), settings: PollerSettings(), clock: clock, random: { 0.5 },
                                linker: ContactLinker(store: store))
            let source = SourceConfig(name: "social", url: server.url("/posts"), kind: .json, interval: 60, options: [
                "items": "/items", "id": "/id", "text": "/text", "author": "/author", "handle": "/handle", "network": "mastodon",
            ])
            let rig = LinkingRig(server: server, store: store, client: client, clock: clock, poller: poller, source: source)
            do {
                try await store.syncSources([source], now: clock.now())
                try await body(rig)
            } catch {
                await client.shutdown()
                try? await store.close()
                try? await server.stop()
                throw error
            }
            await client.shutdown()
            try await store.close()
            try await server.stop()
        }
    }

    func serve(_ posts: [(id: String, author: String, handle: String, text: String)]) {
        let items = posts.map { #"{"id": "\#($0.id)", "author": "\#($0.author)", "handle": "\#($0.handle)", "text": "\#($0.text)"}"# }
        server.route("/posts", .resource(text: #"{"items": [\#(items.joined(separator: ","))]}"#))
    }

    /// The stored link of each mention, by key.
    func links() async throws -> [String: (outcome: String, contactID: ContactID?, reason: String)] {
        var links: [String: (String, ContactID?, String)] = [:]
        let rows = try await store.sql.raw("""
            SELECT m.key, ml.outcome, ml.contact_id, ml.reason FROM mention_links ml JOIN mentions m ON m.id = ml.mention_id
            """).all()
        for row in rows {
            links[try row.decode(column: "key", as: String.self)] = (
                try row.decode(column: "outcome", as: String.self), try row.decode(column: "contact_id", as: ContactID?.self),
                try row.decode(column: "reason", as: String.self))
        }
        return links
    }
}

@Suite(.serialized) struct ContactLinkingTests {
    static let contacts = [
        Contact(externalID: "c-ada", name: "Ada Lovelace", handles: [SocialHandle(network: .mastodon, handle: "ada@mastodon.social")],
                company: "Analytical Engines", tier: "gold"),
        Contact(externalID: "c-grace", name: "Grace Hopper", emails: ["grace@navylabs.example"], company: "Navy Labs"),
        Contact(externalID: "c-john1", name: "John Smith", company: "Acme"),
        Contact(externalID: "c-john2", name: "John Smith", company: "Acme"),
        Contact(externalID: "c-olive", name: "Olive Out", handles: [SocialHandle(network: .mastodon, handle: "olive@mastodon.social")], optedOut: true),
    ]

    @Test func mentionsAreLinkedInThePollAndFeedTheScorer() async throws {
        try await LinkingRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test") { try await $0.upsert(Self.contacts) }
            rig.serve([
                ("1", "Ada L.", "@ada@mastodon.social", "My order never arrived and I am still waiting for a refund. Terrible service."),
                ("2", "Grace Hopper", "@gh@other.example", "The Navy Labs team has had a broken router for a week"),
                ("3", "John Smith", "@js@other.example", "Acme here, the app keeps crashing"),
                ("4", "Olive Out", "@olive@mastodon.social", "Refund still missing, awful"),
                ("5", "Somebody", "@nobody@other.example", "Nice weather"),
            ])
            let first = await rig.poller.poll(rig.source)
            #expect(!first.isFailure, "\(first.summary)")
            let ada = try #require(try await rig.store.findContact("c-ada")?.id)
            let grace = try #require(try await rig.store.findContact("c-grace")?.id)
            let links = try await rig.links()
            #expect(links["1"]?.outcome == "linked" && links["1"]?.contactID == ada, "\(links)")
            #expect(links["1"]?.reason.contains("Mastodon handle") == true)
            #expect(links["2"]?.outcome == "linked" && links["2"]?.contactID == grace, "\(links)")
            #expect(links["3"]?.outcome == "ambiguous" && links["3"]?.contactID == nil)
            #expect(links["4"]?.outcome == "opted_out" && links["4"]?.contactID == nil)
            #expect(links["4"]?.reason.contains("Olive") == false)
            #expect(links["5"]?.outcome == "unlinked")

            // The gold tier raised the linked complaint, and says so.
            let timeline = try await rig.store.timeline(contactID: ada)
            #expect(timeline.first?.mention.score.reasons.contains { $0.rule == "severity.value" } == true)

            // Two days later Ada complains again: the scorer hears about the previous complaint.
            rig.clock.advance(by: 2 * 86400)
            rig.serve([("6", "Ada L.", "@ada@mastodon.social", "Still no refund for my order. This is the worst service, I want my money back.")])
            _ = await rig.poller.poll(rig.source)
            let again = try await rig.store.timeline(contactID: ada)
            #expect(again.count == 2)
            #expect(again.first?.mention.score.reasons.contains { $0.rule == "severity.repeat" && $0.evidence.contains("2 days") } == true,
                    "\(again.first?.mention.score.reasons ?? [])")
        }
    }

    @Test func anErasedPersonIsNeverLinkedAgain() async throws {
        try await LinkingRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test") { try await $0.upsert(Self.contacts) }
            let ada = try #require(try await rig.store.findContact("c-ada")?.id)
            _ = try await rig.store.erase(contactID: ada, actor: "test")
            rig.serve([("7", "Ada L.", "@ada@mastodon.social", "My order never arrived")])
            _ = await rig.poller.poll(rig.source)
            let links = try await rig.links()
            #expect(links["7"]?.outcome == "opted_out" && links["7"]?.contactID == nil)
        }
    }
}
