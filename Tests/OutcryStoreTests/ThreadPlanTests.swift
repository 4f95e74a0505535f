import Foundation
import OutcryModel
@testable import OutcryStore
import Testing

/// Thread placement decided from facts alone, without a database: each rule, and how the
/// mentions of one batch see what the earlier ones did.
@Suite struct ThreadPlanTests {
    static let window: TimeInterval = 24 * 3600

    static func item(_ key: String, handle: String? = nil, name: String? = nil, replyTo: String? = nil, brand: String? = nil,
                     severity: Severity = .p3, at: Date = t0, contact: ContactID? = nil, channel: Channel = .social) -> PlacementItem {
        let mention = Mention(sourceName: "s", channel: channel, key: key, title: "t-\(key)", text: "text \(key)", authorName: name,
                              authorHandle: handle, publishedAt: at, fetchedAt: at, inReplyTo: replyTo, brand: brand)
        let score = Score(sentiment: Sentiment(compound: -0.5, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                          urgency: [], severity: severity, reasons: [])
        return PlacementItem(item: ScoredMention(mention: mention, score: score), mentionID: 0, contactID: contact)
    }

    static func stored(_ id: ThreadID, status: ThreadStatus = .new, handle: String? = nil, name: String? = nil, brand: String? = nil,
                       severity: Severity = .p3, last: Date = t0, lastEvent: Date? = nil) -> ThreadFacts {
        ThreadFacts(id: id, status: status.rawValue, severity: severity.rawValue, severityRank: severity.rank, summary: "stored",
                    channel: Channel.social.rawValue, authorName: name, authorHandle: handle, brand: brand, segment: nil,
                    lastMentionAt: last.timeIntervalSince1970, lastEventAt: lastEvent?.timeIntervalSince1970)
    }

    @Test func aReplyJoinsItsParentsThreadStoredOrPlacedEarlierInTheBatch() {
        var facts = PlacementFacts()
        facts.threadOfKey["old"] = 7
        facts.threads[7] = Self.stored(7)
        let plan = ThreadPlan([
            Self.item("a", replyTo: "old"),
            Self.item("b"),
            Self.item("c", replyTo: "b", severity: .p1),
        ], facts: facts, authorWindow: Self.window, now: t0)
        #expect(plan.placements.map(\.thread) == [.stored(7), .new(0), .new(0)])
        #expect(plan.placements.map(\.opened) == [false, true, false])
        #expect(plan.updates[7]?.joined == 1)
        #expect(plan.newThreads.count == 1 && plan.newThreads[0].mentionCount == 2)
        #expect(plan.newThreads[0].facts.severity == Severity.p1.rawValue, "a more severe reply raises the thread it joins")
        #expect(plan.events.map(\.kind) == ["thread.opened"])
    }

    @Test func aNonReplyJoinsItsAuthorsOpenThreadOnTheSameBrandWithinTheWindow() {
        var facts = PlacementFacts()
        facts.threads[3] = Self.stored(3, handle: "@ann", brand: "A", last: t0 - 3600)
        facts.threads[4] = Self.stored(4, handle: "@ann", brand: "A", last: t0 - 2 * Self.window)  // outside the window
        facts.threads[5] = Self.stored(5, status: .resolved, handle: "@ann", brand: "A", last: t0)  // resolved
        let plan = ThreadPlan([
            Self.item("a", handle: "@ann", brand: "A"),
            Self.item("b", handle: "@ann", brand: "B"),  // another brand: a thread of its own
            Self.item("c", handle: "@ann", brand: "B", at: t0 + 60),  // joins b's, opened a moment ago
            Self.item("d", name: "Ann"),  // no handle: by name, and no stored thread has that name
            Self.item("e", handle: "", name: "Ann"),  // an empty handle never joins, not even by name
        ], facts: facts, authorWindow: Self.window, now: t0 + 120)
        #expect(plan.placements.map(\.thread) == [.stored(3), .new(0), .new(0), .new(1), .new(2)])
        #expect(plan.updates.keys.sorted() == [3])
    }

    @Test func withoutTheWindowOnlyRepliesJoin() {
        var facts = PlacementFacts()
        facts.threads[3] = Self.stored(3, handle: "@ann")
        let plan = ThreadPlan([Self.item("a", handle: "@ann"), Self.item("b", handle: "@ann")], facts: facts, authorWindow: 0, now: t0)
        #expect(plan.placements.map(\.thread) == [.new(0), .new(1)])
    }

    @Test func aCustomerWritingAgainMovesTheStatusAndRecordsWhenAfterTheLastEvent() {
        var facts = PlacementFacts()
        facts.threadOfKey["r"] = 1
        facts.threadOfKey["h"] = 2
        facts.threads[1] = Self.stored(1, status: .resolved, lastEvent: t0 + 500)  // an event later than the mention
        facts.threads[2] = Self.stored(2, status: .responded)
        let plan = ThreadPlan([
            Self.item("a", replyTo: "r"),
            Self.item("b", replyTo: "h"),
            Self.item("c", replyTo: "r"),  // the reopened thread is new now: no second change
        ], facts: facts, authorWindow: Self.window, now: t0 + 1000)
        #expect(plan.placements.map(\.reopened) == [true, false, false])
        #expect(plan.statusChanges.map { "\($0.from)→\($0.to)" } == ["resolved→new", "responded→acknowledged"])
        #expect(plan.statusChanges[0].at == (t0 + 500).timeIntervalSince1970, "never before the thread's last event")
        #expect(plan.statusChanges[1].at == t0.timeIntervalSince1970)
        #expect(plan.updates[1]?.joined == 2 && plan.updates[1]?.facts.status == ThreadStatus.new.rawValue)
        #expect(plan.events.map(\.kind) == ["thread.reopened"])
    }

    @Test func theSegmentComesFromTheLinkedContactAndFillsOnlyAnEmptyOne() {
        var facts = PlacementFacts()
        facts.segments = [9: "gold"]
        facts.threadOfKey["p"] = 1
        facts.threads[1] = Self.stored(1)
        let plan = ThreadPlan([Self.item("a", contact: 9), Self.item("b", replyTo: "p", contact: 9), Self.item("c", contact: 8)],
                              facts: facts, authorWindow: Self.window, now: t0)
        #expect(plan.newThreads.map(\.facts.segment) == ["gold", nil])
        #expect(plan.updates[1]?.facts.segment == "gold")
    }

    // MARK: Mail

    static func mail(_ key: String, from sender: String = "ann@x", subject: String = "refund", replyTo: String? = nil,
                     response: Bool = false, source: String = "inbox", at: Date = t0, severity: Severity = .p3) -> PlacementItem {
        var p = item(key, replyTo: replyTo, severity: severity, at: at, channel: .mail)
        p.item.mention.sourceName = source
        p.mail = PlacementMail(role: response ? .response(actor: "team@x", note: "mail response \(key)") : .customer, source: source,
                               correspondents: [sender], subjectKey: subject, sentAt: at.timeIntervalSince1970)
        return p
    }

    @Test func aMailWithoutReferencesJoinsTheLatestThreadOfItsSenderAndSubjectStoredOrEarlierInTheBatch() {
        var facts = PlacementFacts()
        let key = PlacementFacts.SubjectKey(sender: "ann@x", subject: "refund")
        facts.subjectMails[key] = [
            .init(source: "inbox", sentAt: (t0 - 3600).timeIntervalSince1970, mentionID: 5, thread: 1),
            .init(source: "other", sentAt: (t0 - 60).timeIntervalSince1970, mentionID: 4, thread: 2),  // the latest: any mailbox
            .init(source: "inbox", sentAt: (t0 - 40 * 86400).timeIntervalSince1970, mentionID: 6, thread: 3),  // outside the window
        ]
        for id in [1, 2, 3] as [ThreadID] { facts.threads[id] = Self.stored(id) }
        let plan = ThreadPlan([
            Self.mail("a"),
            Self.mail("b", subject: "lid"),  // another subject: a thread of its own
            Self.mail("c", subject: "lid", at: t0 + 60),  // joins b's, opened earlier in the batch
            Self.mail("d", from: "bob@x", subject: "lid", at: t0 + 120),  // another sender
            Self.mail("e", subject: "", at: t0 + 180),  // no subject, no fallback
            Self.mail("f", from: "bob@x", subject: "refund", replyTo: "a"),  // a reference wins over the subject
        ], facts: facts, authorWindow: Self.window, now: t0 + 600)
        #expect(plan.placements.map(\.thread) == [.stored(2), .new(0), .new(0), .new(1), .new(2), .stored(2)])
        #expect(plan.updates[2]?.joined == 2 && plan.updates.keys.sorted() == [2])
    }

    @Test func aResponseMarksTheThreadItAnswersInItsOwnMailboxAndAReplyToItJoinsThatThread() {
        var facts = PlacementFacts()
        facts.threadOfKey["q"] = 1
        facts.threadOfSourceKey[Store.SourceKey(source: "other", key: "q")] = 1  // another mailbox's mail
        facts.threadOfKey["r"] = 2
        facts.threadOfSourceKey[Store.SourceKey(source: "inbox", key: "r")] = 2
        facts.threads[1] = Self.stored(1)
        facts.threads[2] = Self.stored(2, status: .resolved)
        let plan = ThreadPlan([
            Self.mail("a", replyTo: "q", response: true),  // names another mailbox's mail: answers nothing
            Self.mail("b", replyTo: "r", response: true),  // a resolved thread stays resolved
            Self.mail("c", from: "cy@x", subject: "lid"),  // opens a thread
            Self.mail("d", from: "cy@x", subject: "lid", response: true, at: t0 + 60),  // answers it by recipient and subject
            Self.mail("e", from: "cy@x", subject: "other", replyTo: "d", at: t0 + 120),  // the customer replies to the response
        ], facts: facts, authorWindow: Self.window, now: t0 + 600)
        #expect(plan.placements.map(\.thread) == [nil, .stored(2), .new(0), .new(0), .new(0)])
        #expect(plan.placements.map(\.responded) == [false, true, false, true, false])
        #expect(plan.updates[2]?.facts.status == ThreadStatus.resolved.rawValue && plan.updates[2]?.joined == 0)
        #expect(plan.newThreads[0].facts.status == ThreadStatus.acknowledged.rawValue, "responded, then the customer wrote again")
        #expect(plan.newThreads[0].mentionCount == 2, "a response is no mention of the thread's count")
        #expect(plan.statusChanges.map { "\($0.from)→\($0.to)" } == ["responded→acknowledged"])
        let responded = plan.events.filter { $0.kind == "thread.responded" }
        #expect(responded.map(\.actor) == ["team@x", "team@x"] && responded.map(\.at) == [t0.timeIntervalSince1970, (t0 + 60).timeIntervalSince1970])
    }
}
