import Foundation
import OutcryAlerting
import OutcryFetch
import OutcryModel
import OutcryScoring
import OutcryStore
import OutcryTestSupport
import Testing
@testable import OutcryPipeline

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

private func mention(_ key: String, replyTo: String? = nil, at: Date = t0, text: String = "hello") -> Mention {
    Mention(sourceName: "s", channel: .social, key: key, text: text, publishedAt: at, fetchedAt: t0, inReplyTo: replyTo)
}

@Suite struct ThreadVelocityTests {
    @Test func countsTheReplyChainInTheBatchPlusTheStoredThread() {
        let batch = [
            mention("a"), mention("b", replyTo: "a"), mention("c", replyTo: "b"),  // a new conversation of three
            mention("d"),                                                          // alone
            mention("e", replyTo: "x"),                                            // joins a stored thread with 4 in the hour
            mention("f", replyTo: "a", at: t0 - 7200),                             // same chain, but two hours old: not counted
        ]
        #expect(ThreadVelocity.counts(batch, stored: ["x": 4], now: t0) == [3, 3, 3, 1, 5, 3])
    }

    @Test func aReplyToAStoredMentionJoinsItsThreadEvenThroughReferences() {
        var m = mention("r")
        m.references = ["root", "middle"]
        // The nearest stored ancestor counts: `middle` (References are read from the end).
        #expect(ThreadVelocity.counts([m], stored: ["middle": 9, "root": 2], now: t0) == [10])
        #expect(ThreadVelocity.counts([m], stored: [:], now: t0) == [1])
    }
}

/// A poller with brands over a fresh store and the test HTTP server.
private func brandRig(_ brands: [BrandTagger.Rule], _ body: (Rig, Poller) async throws -> Void) async throws {
    try await Rig.with { rig in
        let poller = Poller(store: rig.store, client: rig.client, scorer: Scorer(), settings: PollerSettings(), clock: rig.clock,
                            random: { 0.5 }, brands: try BrandTagger(brands))
        try await body(rig, poller)
    }
}

@Suite(.serialized) struct BrandAndVelocityPipelineTests {
    @Test func mentionsAndThreadsCarryTheirBrandAndABusyThreadSaysSo() async throws {
        try await brandRig([.init(name: "Kestrel", keywords: ["kestrel"]), .init(name: "Osprey", keywords: [], query: "osprey NEAR/2 app")]) { rig, poller in
            var source = jsonSource("social", rig.server.url("/posts"))
            source.options["in_reply_to"] = "/reply_to"
            source.options["time"] = "/time"
            let now = ISO8601DateFormatter().string(from: rig.clock.now())
            var items = [#"{"id": "root", "text": "My Kestrel kettle is broken and support never answered, worst service", "time": "\#(now)"}"#]
            for i in 1...11 {
                items.append(#"{"id": "r\#(i)", "reply_to": "root", "text": "same here, my kettle broke too and nobody replies. terrible", "time": "\#(now)"}"#)
            }
            items.append(#"{"id": "o1", "text": "the osprey mobile app crashed and I lost my data, awful", "time": "\#(now)"}"#)
            items.append(#"{"id": "n1", "text": "lovely weather today", "time": "\#(now)"}"#)
            rig.server.route("/posts", .resource(text: #"{"items": [\#(items.joined(separator: ","))]}"#, contentType: "application/json"))
            try await rig.sync(source)
            let result = await poller.poll(source)
            #expect(!result.isFailure, "\(result.summary)")

            func brand(_ key: String) async throws -> String? { try #require(try await rig.store.mention(key: key, source: "social")).mention.brand }
            #expect(try await brand("root") == "Kestrel")
            #expect(try await brand("o1") == "Osprey")
            #expect(try await brand("n1") == nil)  // two brands configured and neither named: no brand
            #expect(try await brand("r3") == nil)  // a reply that does not name the brand…
            // …still lands in the brand's thread, and the thread is busy: 12 mentions in the hour.
            let stored = try await rig.store.mention(key: "r11", source: "social")
            let velocity = stored?.score.reasons.first { $0.rule == "severity.velocity" }
            #expect(velocity?.evidence == "12 mentions in this thread in 1 h")
            let threads = try await rig.store.openThreads()
            let kestrel = threads.first { $0.brand == "Kestrel" }
            #expect(kestrel?.mentionCount == 12)
        }
    }

    @Test func aSourceBrandWinsAndASingleBrandTagsEverything() throws {
        let one = try BrandTagger([.init(name: "Kestrel", keywords: ["kestrel"])])
        #expect(one.brand(text: "nothing about it", author: nil, source: nil, lang: nil, sourceBrand: nil) == "Kestrel")
        let two = try BrandTagger([.init(name: "Kestrel", keywords: ["kestrel"]), .init(name: "Osprey", keywords: ["osprey", "@OspreyHelp"])])
        #expect(two.brand(text: "nothing about it", author: nil, source: nil, lang: nil, sourceBrand: nil) == nil)
        #expect(two.brand(text: "nothing about it", author: nil, source: nil, lang: nil, sourceBrand: "Osprey") == "Osprey")
        #expect(two.brand(text: "hey @ospreyhelp my order?", author: nil, source: nil, lang: nil, sourceBrand: nil) == "Osprey")
        #expect(two.brand(text: "KESTREL!!! again", author: nil, source: nil, lang: nil, sourceBrand: nil) == "Kestrel")
        #expect(throws: BrandRuleError.self) { try BrandTagger([.init(name: "Bad", keywords: [], query: "refund AND (late")]) }
    }
}

@Suite(.serialized) struct CustomerWroteTests {
    @Test func aCustomerWritingOnAResolvedOrRespondedThreadIsAStoredEvent() async throws {
        let fixture = try await AlertFixture(config: CrisisMonitorTests.config)
        do {
            let ids = try await fixture.open(["m1"])
            let thread = try #require(ids.first)
            _ = try await fixture.actions.perform(thread, .acknowledge, by: "ann")
            _ = try await fixture.actions.perform(thread, .respond, by: "ann")
            // The customer answers: a reply to m1.
            fixture.clock.advance(by: 600)
            let reply = ScoredMention(
                mention: Mention(sourceName: "social", channel: .social, key: "m2", text: "still not here", publishedAt: fixture.clock.now(),
                                 fetchedAt: fixture.clock.now(), inReplyTo: "m1"),
                score: Score(sentiment: Sentiment(compound: -0.3, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.7),
                             urgency: [], severity: .p3, reasons: []))
            _ = try await fixture.store.commitPoll(source: "social", mentions: [reply],
                                                   success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: fixture.clock.now() + 600),
                                                   now: fixture.clock.now())
            let events = try await fixture.store.threadEvents(thread)
            let wrote = events.last
            #expect(wrote?.kind == "customer_wrote")
            #expect(wrote?.from == "responded" && wrote?.to == "acknowledged")
            #expect(try await fixture.store.thread(id: thread).status == .acknowledged)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}

/// Stores `count` negative complaint mentions of a brand in the hour starting at `hour`.
private func storeAdverse(_ store: Store, brand: String, hour: Date, count: Int, prefix: String, routing: AlertRouter? = nil) async throws {
    guard count > 0 else { return }
    let items = (0..<count).map { i in
        ScoredMention(
            mention: Mention(sourceName: "social", channel: .social, key: "\(prefix)-\(i)", text: "outage again, app down, refund please \(prefix) \(i)",
                             publishedAt: hour + Double(i % 3000), fetchedAt: hour + 3599, brand: brand),
            score: Score(sentiment: Sentiment(compound: -0.6, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.8),
                         urgency: [], severity: .p4, reasons: []))
    }
    _ = try await store.commitPoll(source: "social", mentions: items,
                                   success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: hour + 600), routing: routing, now: hour + 3599)
}

@Suite(.serialized) struct CrisisMonitorTests {
    static let config = #"""
        {"receivers": {"comms": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
         "routes": {"receiver": "comms", "group_wait": "0s"}}
        """#

    @Test func aSpikeOpensOneCrisisWithItsAlertAndFoldsTheBrandsAlertsUntilItEnds() async throws {
        let fixture = try await AlertFixture(config: Self.config)
        do {
            let store = fixture.store
            // A day at about two negative mentions an hour, then 30 in the current hour.
            let currentHour = Date(timeIntervalSince1970: (fixture.clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600)
            for h in 1...24 {
                try await storeAdverse(store, brand: "Kestrel", hour: currentHour - Double(h) * 3600, count: h % 2 == 0 ? 2 : 1, prefix: "base\(h)", routing: fixture.router)
            }
            let monitor = CrisisMonitor(store: store, settings: CrisisSettings(), brands: ["Kestrel", "Osprey"], alerting: fixture.settings, clock: fixture.clock)
            #expect(try await monitor.check().isEmpty)
            try await storeAdverse(store, brand: "Kestrel", hour: currentHour, count: 30, prefix: "spike", routing: fixture.router)
            fixture.clock.set(currentHour + 3599)
            try await fixture.drain()  // the spike's own alerts go out before the crisis is seen
            let before = try await fixture.rows(receiver: "comms").count
            let opened = try await monitor.check()
            #expect(opened.count == 1)
            let crisis = try #require(opened.first)
            #expect(crisis.brand == "Kestrel" && crisis.count == 30 && crisis.origin == .detected)
            #expect(crisis.topTerms.contains("outage") && crisis.exampleIDs.count == 5)
            #expect(crisis.summary.hasPrefix("possible crisis for Kestrel: 30 negative mentions in the hour"))
            // Looking again changes nothing: one crisis, one alert.
            #expect(try await monitor.check().isEmpty)
            let crisisRows = try await fixture.rows().filter { $0.kind == "crisis" }
            #expect(crisisRows.count == 1)
            #expect(try await store.openCrisisBrands() == ["Kestrel"])

            // The crisis alert is routed to comms when it is raised; while the crisis is only
            // detected, the brand's alerts still go out.
            try await fixture.drain()
            let routed = try await fixture.rows(receiver: "comms")
            #expect(routed.count == before + 1)
            #expect(routed.last?.payload.contains("Possible crisis: Kestrel") == true)
            try await storeAdverse(store, brand: "Kestrel", hour: currentHour, count: 1, prefix: "possible", routing: fixture.router)
            try await fixture.drain()
            #expect(try await fixture.rows(receiver: "comms").count == before + 2)
            // Declared by a person: the same crisis (no second alert), and a new Kestrel
            // thread's alert folds into it.
            let declared = try await CrisisMonitor.declare(store: store, alerting: fixture.settings, brand: "Kestrel", by: "lead", note: nil, now: fixture.clock.now())
            #expect(declared == crisis.id)
            try await storeAdverse(store, brand: "Kestrel", hour: currentHour, count: 1, prefix: "during", routing: fixture.router)
            try await fixture.drain()
            #expect(try await fixture.rows(receiver: "comms").count == before + 2)
            #expect(try await store.crises(openOnly: true).first?.folded == 1)
            #expect(try await store.crises(openOnly: true).first?.origin == .declared)

            // Ended by a person: alerts flow again.
            let ended = try await store.endCrisis(brand: "Kestrel", by: "lead", note: "handled", now: fixture.clock.now())
            #expect(ended.folded == 1 && !ended.open)
            try await storeAdverse(store, brand: "Kestrel", hour: currentHour, count: 1, prefix: "after", routing: fixture.router)
            try await fixture.drain()
            #expect(try await fixture.rows(receiver: "comms").count == before + 3)
            // The spike hour does not open a second crisis once it was ended.
            #expect(try await monitor.check().isEmpty)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test func aSlowRiseWithTheBaselineOpensNoCrisisAndADetectedOneEndsWhenQuiet() async throws {
        let fixture = try await AlertFixture(config: Self.config)
        do {
            let store = fixture.store
            let currentHour = Date(timeIntervalSince1970: (fixture.clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600)
            let monitor = CrisisMonitor(store: store, settings: CrisisSettings(), brands: ["Kestrel"], alerting: fixture.settings, clock: fixture.clock)
            // 48 hours rising slowly from 2 to 14 an hour: each hour checked as it happens.
            for h in 0..<48 {
                let hour = currentHour + Double(h) * 3600
                try await storeAdverse(store, brand: "Kestrel", hour: hour, count: 2 + h / 4, prefix: "rise\(h)", routing: fixture.router)
                fixture.clock.set(hour + 3599)
                #expect(try await monitor.check().isEmpty, "hour \(h)")
            }
            // A declared crisis stays open however quiet; a detected one ends after 3 quiet hours.
            let id = try await CrisisMonitor.declare(store: store, alerting: fixture.settings, brand: "Kestrel", by: "lead", note: "recall", now: fixture.clock.now())
            fixture.clock.advance(by: 5 * 3600)
            try await monitor.check()
            #expect(try await store.crises(openOnly: true).map(\.id) == [id])
            #expect(try await fixture.rows().filter { $0.kind == "crisis" }.count == 1)
            try await store.endCrisis(brand: "Kestrel", by: "lead", note: nil, now: fixture.clock.now())
            // A real spike over the risen baseline opens a detected crisis…
            let spikeHour = Date(timeIntervalSince1970: (fixture.clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600)
            try await storeAdverse(store, brand: "Kestrel", hour: spikeHour, count: 60, prefix: "spike", routing: fixture.router)
            #expect(try await monitor.check().count == 1)
            // …which ends by itself after three quiet hours.
            fixture.clock.advance(by: 2 * 3600)
            try await monitor.check()
            #expect(try await store.openCrisisBrands() == ["Kestrel"])
            fixture.clock.advance(by: 3 * 3600)
            try await monitor.check()
            #expect(try await store.openCrisisBrands().isEmpty)
            #expect(try await store.crises().first?.endedBy == "outcry")
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}

@Suite(.serialized) struct AuthorWindowThreadTests {
    @Test func anAuthorsNextPostOnTheSameBrandJoinsTheirOpenThreadWithinTheWindow() async throws {
        let fixture = try await AlertFixture(config: CrisisMonitorTests.config)
        do {
            func post(_ key: String, author: String?, brand: String?, at: Date) async throws -> IngestResult {
                let item = ScoredMention(
                    mention: Mention(sourceName: "social", channel: .social, key: key, text: "still broken \(key)", authorHandle: author,
                                     publishedAt: at, fetchedAt: at, brand: brand),
                    score: Score(sentiment: Sentiment(compound: -0.4, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.6),
                                 urgency: [], severity: .p3, reasons: []))
                return try await fixture.store.commitPoll(source: "social", mentions: [item],
                                                          success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: at + 600),
                                                          alertOnBacklog: true, now: at)
            }
            let first = try await post("p1", author: "@ann", brand: "Kestrel", at: t0)
            let thread = try #require(first.threadsOpened.first)
            #expect(try await post("p2", author: "@ann", brand: "Kestrel", at: t0 + 3600).threadsJoined == [thread])
            #expect(try await post("p3", author: "@ann", brand: "Osprey", at: t0 + 3700).threadsOpened.count == 1)   // another brand
            #expect(try await post("p4", author: "@bob", brand: "Kestrel", at: t0 + 3800).threadsOpened.count == 1)  // another author
            #expect(try await post("p5", author: nil, brand: "Kestrel", at: t0 + 3900).threadsOpened.count == 1)     // nobody to follow
            // A day after the thread's last mention, a new post is a new conversation.
            let sixth = try await post("p6", author: "@ann", brand: "Kestrel", at: t0 + 3600 + 86_401)
            #expect(sixth.threadsOpened.count == 1)
            #expect(try await fixture.store.thread(id: thread).mentionCount == 2)
            // A resolved thread is not joined this way (a reply would reopen it; a new post starts afresh).
            _ = try await fixture.actions.perform(thread, .resolve, by: "ana")
            await fixture.store.setAuthorThreadWindow(10 * 86400)
            #expect(try await post("p7", author: "@ann", brand: "Kestrel", at: t0 + 3 * 86400).threadsJoined == sixth.threadsOpened)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}
