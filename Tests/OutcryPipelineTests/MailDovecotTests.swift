import Foundation
import OutcryAlerting
import OutcryFetch
import OutcryModel
import OutcryScoring
import OutcryTestSupport
import Testing
@testable import OutcryPipeline
@testable import OutcryStore

/// A mail poller over a fresh store against a real Dovecot (scripts/dovecot.sh) on free
/// 127.0.0.1 ports, in a folder of its own; everything is stopped and removed afterwards.
/// Without Dovecot installed the tests fail, saying so (`scripts/setup.sh --test` installs it).
struct MailRig {
    let dovecot: TestDovecot
    let store: Store
    let clock: ManualWallClock
    let dir: String

    static let complaint = "My order never arrived and I am still waiting for a refund. Terrible service, I want my money back."

    static func with(_ body: (MailRig) async throws -> Void) async throws {
        let dovecot = try await TestDovecot.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-mail-\(UUID().uuidString)").path
        let store: Store
        do {
            store = try await Store.open(directory: dir)
        } catch {
            await dovecot.stop()
            throw error
        }
        let rig = MailRig(dovecot: dovecot, store: store, clock: ManualWallClock(Date()), dir: dir)
        do {
            try await body(rig)
        } catch {
            try? await store.close()
            await dovecot.stop()
            try? FileManager.default.removeItem(atPath: dir)
            throw error
        }
        try await store.close()
        await dovecot.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func imap(_ name: String = "support", folder: String = "INBOX", _ options: [String: String] = [:]) -> SourceConfig {
        SourceConfig(name: name, url: dovecot.imapURL(folder), kind: .imap, interval: 60,
                     options: ["username": dovecot.user, "password": dovecot.password, "tls": "none"].merging(options) { $1 })
    }

    func pop3(_ name: String = "support-pop", _ options: [String: String] = [:]) -> SourceConfig {
        SourceConfig(name: name, url: dovecot.pop3URL, kind: .pop3, interval: 60,
                     options: ["username": dovecot.user, "password": dovecot.password, "tls": "none"].merging(options) { $1 })
    }

    func poller(hooks: MailPollerHooks = MailPollerHooks(), batchSize: Int = 25, linker: ContactLinker? = nil) -> MailPoller {
        MailPoller(store: store, scorer: Scorer(), settings: PollerSettings(), clock: clock, random: { 0.5 }, hooks: hooks,
                   batchSize: batchSize, linker: linker)
    }

    /// One pass over `source` (registered in the store first); the clock moves on a minute after it.
    func poll(_ source: SourceConfig, with poller: MailPoller? = nil) async throws -> SourcePollResult.Outcome {
        try await store.syncSources([source], now: clock.now())
        let outcome = try await (poller ?? self.poller()).poll(source, state: try await store.pollState(source.name))
        clock.advance(by: 60)
        return outcome
    }

    /// The pass stored; its result and warning.
    func stored(_ outcome: SourcePollResult.Outcome, _ comment: Comment? = nil) throws -> (IngestResult, String?) {
        guard case .stored(let result, let warning) = outcome else {
            throw TestDovecot.Failure(description: "the pass did not store: \(outcome) \(comment.map { "\($0)" } ?? "")\n\(dovecot.log.suffix(2000))")
        }
        return (result, warning)
    }

    /// Delivers a customer's message (a complaint unless `body` says otherwise).
    @discardableResult
    func deliver(id: String?, from: String? = "ann@customer.example", to: String = "support@shop.example", subject: String = "Order 1234",
                 date: Date? = nil, inReplyTo: String? = nil, body: String = MailRig.complaint, folder: String = "INBOX",
                 seen: Bool = false) throws -> String {
        let sent = date ?? clock.now().addingTimeInterval(-30)
        return try dovecot.deliver(TestDovecot.message(id: id, from: from, to: to, subject: subject, date: sent, inReplyTo: inReplyTo, body: body),
                                   folder: folder, seen: seen, arrived: sent)
    }

    /// Each stored mention key of a source with how many times it is stored.
    func keyCounts(_ source: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await store.sql.raw("SELECT key FROM mentions WHERE source_name = \(bind: source)").all() {
            counts[try row.decode(column: "key", as: String.self), default: 0] += 1
        }
        return counts
    }

    func mail(_ source: String, _ messageID: String) async throws -> StoredMail? {
        if let found = try await store.storedMail(source: source, key: messageID) { return found }
        return try await store.storedMail(source: source, key: "<\(messageID)>")
    }
}

/// Counts the commits a pass attempts and fails the chosen one, as a crash between fetching a
/// batch and committing it would.
final class CrashAtCommit: @unchecked Sendable {
    struct Crash: Error, CustomStringConvertible { var description: String { "simulated crash before commit" } }
    private let lock = NSLock()
    private var calls = 0
    let failing: Int

    init(failing: Int) { self.failing = failing }

    var hooks: MailPollerHooks {
        MailPollerHooks { _, _ in
            let call = self.lock.withLock { self.calls += 1; return self.calls }
            if call == self.failing { throw Crash() }
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(2))) struct MailDovecotTests {
    @Test func onlyMailThatArrivedSinceTheLastPassIsStored() async throws {
        try await MailRig.with { rig in
            let source = rig.imap()
            try rig.deliver(id: "a1@customer.example")
            try rig.deliver(id: "a2@customer.example", from: "bob@customer.example")
            let (first, _) = try rig.stored(try await rig.poll(source))
            #expect(first.inserted == 2 && first.backlog)

            try rig.deliver(id: "a3@customer.example", from: "cy@customer.example")
            let (second, _) = try rig.stored(try await rig.poll(source))
            #expect(second.inserted == 1 && second.unchanged == 0 && !second.backlog)
            #expect(try await rig.keyCounts("support").count == 3)
            #expect(try await rig.store.mailboxCursor(source: "support", folder: "INBOX")?.lastUID == 3)

            // Nothing new: nothing fetched, nothing stored.
            let (third, _) = try rig.stored(try await rig.poll(source))
            #expect(third.inserted == 0 && third.unchanged == 0)
        }
    }

    @Test func mailCarriesItsMailboxBrandAndAThreadsVelocity() async throws {
        try await MailRig.with { rig in
            var source = rig.imap()
            source.brand = "Kestrel"
            let poller = MailPoller(store: rig.store, scorer: Scorer(), settings: PollerSettings(), clock: rig.clock, random: { 0.5 },
                                    brands: try BrandTagger([.init(name: "Kestrel", keywords: ["kestrel"]), .init(name: "Osprey", keywords: ["osprey"])]))
            try rig.deliver(id: "v0@customer.example", subject: "Osprey order never arrived")
            for i in 1...10 {
                try rig.deliver(id: "v\(i)@customer.example", subject: "Re: Osprey order never arrived", inReplyTo: "v\(i - 1)@customer.example",
                                body: "Still nothing, this is terrible. Refund me now.")
            }
            _ = try rig.stored(try await rig.poll(source, with: poller))
            var stored = try await rig.store.mention(key: "v10@customer.example", source: "support")
            if stored == nil { stored = try await rig.store.mention(key: "<v10@customer.example>", source: "support") }
            let last = try #require(stored)
            #expect(last.mention.brand == "Kestrel")  // the mailbox's brand wins over the words
            #expect(last.score.reasons.contains { $0.rule == "severity.velocity" && $0.evidence == "11 mentions in this thread in 1 h" }, "\(last.mention.key) \(String(describing: last.mention.inReplyTo)) \(last.mention.references) \(last.score.reasons)")
        }
    }

    @Test func aPassLeavesTheFlagsAsTheyWere() async throws {
        try await MailRig.with { rig in
            try rig.deliver(id: "unseen@customer.example")
            try rig.deliver(id: "seen@customer.example", from: "bob@customer.example", seen: true)
            let before = try await rig.dovecot.flags()
            #expect(before[1]?.contains("\\Seen") == false && before[2]?.contains("\\Seen") == true, "\(before)")
            let (result, _) = try rig.stored(try await rig.poll(rig.imap()))
            #expect(result.inserted == 2)
            let after = try await rig.dovecot.flags()
            #expect(after[1]?.contains("\\Seen") == false, "the unread message was left read: \(after)")
            #expect(after[2]?.contains("\\Seen") == true, "the read message was left unread: \(after)")
            #expect(after.count == 2)
        }
    }

    /// Commits 1, 2 and 3 of a pass over five messages in batches of two: a crash before each.
    @Test(arguments: [1, 2, 3])
    func aCrashBetweenFetchAndCommitLosesNothingAndStoresNothingTwice(failingCommit: Int) async throws {
        try await MailRig.with { rig in
            let source = rig.imap()
            for n in 1...5 { try rig.deliver(id: "k\(n)@customer.example", from: "c\(n)@customer.example", subject: "Case \(n)") }
            let crash = CrashAtCommit(failing: failingCommit)
            let crashed = try await rig.poll(source, with: rig.poller(hooks: crash.hooks, batchSize: 2))
            guard case .failed(let why, _) = crashed else { Issue.record("the pass did not fail: \(crashed)"); return }
            #expect(why.contains("simulated crash"))
            let committed = 2 * (failingCommit - 1)
            #expect(try await rig.keyCounts("support").count == committed)
            // The cursor is the highest UID committed: not one behind (which would fetch a message again).
            let cursor = try await rig.store.mailboxCursor(source: "support", folder: "INBOX")
            #expect(cursor?.lastUID == (committed == 0 ? nil : UInt32(committed)), "\(String(describing: cursor))")
            // The fetches (BODY.PEEK[]) set no flag: the crash left the flags alone.
            #expect(try await rig.dovecot.flags().values.allSatisfy { !$0.contains("\\Seen") })

            let (next, _) = try rig.stored(try await rig.poll(source, with: rig.poller(batchSize: 2)))
            #expect(next.inserted == 5 - committed)
            #expect(next.unchanged == 0, "a committed message was fetched again")
            let counts = try await rig.keyCounts("support")
            #expect(counts.count == 5 && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
            #expect(try await rig.store.mailboxCursor(source: "support", folder: "INBOX")?.lastUID == 5)
        }
    }

    @Test func aNewUIDValidityResynchronisesWithoutDuplicates() async throws {
        try await MailRig.with { rig in
            let source = rig.imap()
            for n in 1...3 { try rig.deliver(id: "v\(n)@customer.example", from: "c\(n)@customer.example", subject: "Case \(n)") }
            _ = try rig.stored(try await rig.poll(source))
            let oldValidity = try #require(try await rig.store.mailboxCursor(source: "support", folder: "INBOX")?.uidValidity)

            try rig.dovecot.resetUIDValidity()
            try rig.deliver(id: "v4@customer.example", from: "c4@customer.example", subject: "Case 4")
            let newValidity = try #require(try await rig.dovecot.uidValidity())
            #expect(newValidity != oldValidity)

            let (result, warning) = try rig.stored(try await rig.poll(source))
            #expect(result.inserted == 1, "only the new message is new")
            #expect(result.unchanged == 3, "the others are known by Message-ID")
            #expect(warning?.contains("UIDVALIDITY") == true, "\(warning ?? "no warning")")
            let counts = try await rig.keyCounts("support")
            #expect(counts.count == 4 && counts.values.allSatisfy { $0 == 1 })
            let cursor = try await rig.store.mailboxCursor(source: "support", folder: "INBOX")
            #expect(cursor?.uidValidity == newValidity && cursor?.lastUID == 4)
        }
    }

    @Test func pop3IsFollowedByUIDLAndNothingIsDeleted() async throws {
        try await MailRig.with { rig in
            let source = rig.pop3()
            try rig.deliver(id: "p1@customer.example")
            try rig.deliver(id: "p2@customer.example", from: "bob@customer.example", seen: true)
            let (first, _) = try rig.stored(try await rig.poll(source))
            #expect(first.inserted == 2)
            // Read with TOP, not RETR (which Dovecot counts as reading): the flags are as they were.
            let flags = try await rig.dovecot.flags()
            #expect(flags.count == 2 && flags[1]?.contains("\\Seen") == false && flags[2]?.contains("\\Seen") == true, "\(flags)")
            let uidls = try await rig.dovecot.pop3UIDLs()
            #expect(uidls.count == 2)
            #expect(try await rig.store.seenUIDLs(source: "support-pop") == Set(uidls))

            try rig.deliver(id: "p3@customer.example", from: "cy@customer.example")
            let (second, _) = try rig.stored(try await rig.poll(source))
            #expect(second.inserted == 1 && second.unchanged == 0)
            let (third, _) = try rig.stored(try await rig.poll(source))
            #expect(third.inserted == 0 && third.unchanged == 0)

            // Still all on the server: POP3 DELE is never sent.
            let after = try await rig.dovecot.pop3UIDLs()
            #expect(after.count == 3 && Set(uidls).isSubset(of: Set(after)))
            #expect(try await rig.store.seenUIDLs(source: "support-pop") == Set(after))
            let counts = try await rig.keyCounts("support-pop")
            #expect(counts.count == 3 && counts.values.allSatisfy { $0 == 1 })
        }
    }

    @Test(arguments: [SourceKind.imap, .pop3])
    func aMalformedMessageIsQuarantinedWithItsReasonAndNotFetchedAgain(kind: SourceKind) async throws {
        try await MailRig.with { rig in
            let source = kind == .imap ? rig.imap("support", ["max_message_size": "2KB"]) : rig.pop3("support", ["max_message_size": "2KB"])
            try rig.dovecot.deliver("X-Junk: nothing here\r\n\r\n\r\n")
            try rig.deliver(id: "big@customer.example", body: String(repeating: "This is far too long. ", count: 200))
            try rig.deliver(id: "good@customer.example", from: "bob@customer.example")
            let (first, warning) = try rig.stored(try await rig.poll(source))
            #expect(first.inserted == 1)
            #expect(warning?.contains("2 messages quarantined") == true, "\(warning ?? "no warning")")
            let quarantined = try await rig.store.quarantine(source: "support")
            #expect(quarantined.count == 2)
            let junk = quarantined.first { $0.reason.contains("unreadable") }
            #expect(junk?.reason.contains("no sender and no text") == true, "\(quarantined)")
            let big = quarantined.first { $0.reason.contains("too large") }
            #expect(big?.reason.contains("limit 2048") == true, "\(quarantined)")
            if kind == .imap {
                #expect(junk?.messageRef == "1" && junk?.folder == "INBOX" && big?.messageRef == "2", "\(quarantined)")
            } else {
                let uidls = try await rig.dovecot.pop3UIDLs()
                #expect(junk?.messageRef == uidls.first && big?.messageRef == uidls.dropFirst().first, "\(quarantined) \(uidls)")
            }
            #expect(try await rig.mail("support", "good@customer.example") != nil)

            // The next pass does not take them up again.
            let (second, again) = try rig.stored(try await rig.poll(source))
            #expect(second.inserted == 0 && second.unchanged == 0 && again == nil, "\(again ?? "")")
            #expect(try await rig.store.quarantine(source: "support").count == 2)
        }
    }

    @Test(arguments: [SourceKind.imap, .pop3])
    func theBacklogIsStoredSilentlyAndMailOlderThanSinceIsSkipped(kind: SourceKind) async throws {
        try await MailRig.with { rig in
            let source = kind == .imap ? rig.imap("support", ["since": "30d"]) : rig.pop3("support", ["since": "30d"])
            let now = rig.clock.now()
            try rig.deliver(id: "old@customer.example", date: now.addingTimeInterval(-60 * 86400))
            try rig.deliver(id: "recent@customer.example", from: "bob@customer.example", date: now.addingTimeInterval(-86400))
            let (first, warning) = try rig.stored(try await rig.poll(source))
            #expect(first.backlog && first.inserted == 1)
            #expect(first.alertsQueued == 0, "the backlog alerted")
            #expect(first.threadsOpened.count == 1, "the backlog is still threaded")
            #expect(warning?.contains("1 message older than `since` skipped") == true, "\(warning ?? "no warning")")
            #expect(try await rig.mail("support", "old@customer.example") == nil)
            #expect(try await rig.mail("support", "recent@customer.example") != nil)

            try rig.deliver(id: "new@customer.example", from: "cy@customer.example", subject: "Broken device")
            let (second, _) = try rig.stored(try await rig.poll(source))
            #expect(!second.backlog && second.inserted == 1 && second.alertsQueued == 1)
        }
    }

    @Test func markSeenAndMoveToActOnlyAfterTheCommit() async throws {
        try await MailRig.with { rig in
            let source = rig.imap("support", ["mark_seen": "true", "move_to": "Done"])
            try rig.deliver(id: "m1@customer.example")
            try rig.deliver(id: "m2@customer.example", from: "bob@customer.example")

            let crash = CrashAtCommit(failing: 1)
            let crashed = try await rig.poll(source, with: rig.poller(hooks: crash.hooks))
            guard case .failed = crashed else { Issue.record("the pass did not fail: \(crashed)"); return }
            let inbox = try await rig.dovecot.flags()
            #expect(inbox.count == 2, "moved before the commit: \(inbox)")
            #expect(inbox.values.allSatisfy { !$0.contains("\\Seen") }, "marked before the commit: \(inbox)")
            #expect(try await rig.dovecot.flags(folder: "Done").isEmpty)

            let (result, warning) = try rig.stored(try await rig.poll(source))
            #expect(result.inserted == 2 && warning == nil, "\(warning ?? "")")
            #expect(try await rig.dovecot.flags().isEmpty, "still in INBOX")
            let done = try await rig.dovecot.flags(folder: "Done")
            #expect(done.count == 2 && done.values.allSatisfy { $0.contains("\\Seen") }, "\(done)")
        }
    }

    @Test func theTeamsRepliesAreRecordedAsResponses() async throws {
        try await MailRig.with { rig in
            let source = rig.imap("support", ["own_addresses": "shop.example", "sent_folder": "Sent", "trusted_authserv_id": "mx.shop.example"])
            try rig.deliver(id: "q1@customer.example")
            try rig.deliver(id: "q2@customer.example", from: "bob@customer.example", subject: "Broken kettle")
            let (first, _) = try rig.stored(try await rig.poll(source))
            #expect(first.threadsOpened.count == 2)
            let ann = try #require(try await rig.mail("support", "q1@customer.example")?.threadID)
            let bob = try #require(try await rig.mail("support", "q2@customer.example")?.threadID)

            // One answer from an own address in the INBOX (a copy to the shared box, authenticated by
            // the receiving server), one in Sent.
            try rig.dovecot.deliver("Authentication-Results: mx.shop.example; dkim=pass header.d=shop.example\r\n" + TestDovecot.message(
                id: "r1@shop.example", from: "agent@shop.example", to: "ann@customer.example", subject: "Re: Order 1234",
                date: rig.clock.now().addingTimeInterval(-30), inReplyTo: "q1@customer.example", body: "We are sorry, a replacement is on its way."))
            try rig.deliver(id: "r2@help.example", from: "desk@help.example", to: "bob@customer.example", subject: "Re: Broken kettle",
                            inReplyTo: "q2@customer.example", body: "A new kettle is on its way.", folder: "Sent")
            let (second, _) = try rig.stored(try await rig.poll(source))
            #expect(second.inserted == 2 && second.threadsOpened.isEmpty && second.alertsQueued == 0)

            let r1 = try #require(try await rig.mail("support", "r1@shop.example"))
            #expect(r1.role == .response && r1.threadID == ann && r1.roleReason?.contains("own address") == true)
            let r2 = try #require(try await rig.mail("support", "r2@help.example"))
            #expect(r2.role == .response && r2.threadID == bob && r2.roleReason?.contains("Sent") == true)
            #expect(try await rig.store.thread(id: ann).status == .responded)
            #expect(try await rig.store.thread(id: bob).status == .responded)
            #expect(try await rig.store.responseTimes(thread: ann).count == 1)
        }
    }

    @Test func aCustomersReplyReopensAResolvedThread() async throws {
        try await MailRig.with { rig in
            let source = rig.imap("support", ["own_addresses": "shop.example"])
            try rig.deliver(id: "t1@customer.example")
            _ = try rig.stored(try await rig.poll(source))
            let thread = try #require(try await rig.mail("support", "t1@customer.example")?.threadID)
            try await AlertThreadActions(store: rig.store, settings: nil, clock: rig.clock).perform(thread, .resolve, by: "ana")
            #expect(try await rig.store.thread(id: thread).status == .resolved)

            try rig.deliver(id: "t2@customer.example", subject: "Re: Order 1234", inReplyTo: "t1@customer.example",
                            body: "Still no refund and nobody answers. This is unacceptable, I want my money back now.")
            let (result, _) = try rig.stored(try await rig.poll(source))
            #expect(result.inserted == 1 && result.threadsJoined == [thread] && result.threadsOpened.isEmpty)
            #expect(result.alertsQueued == 1, "a reopened thread alerts")
            #expect(try await rig.store.thread(id: thread).status != .resolved)
            #expect(try await rig.mail("support", "t2@customer.example")?.threadID == thread)
        }
    }

    @Test func customerMailIsLinkedToItsContactUnlessTheyOptedOut() async throws {
        try await MailRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test") {
                try await $0.upsert([
                    Contact(externalID: "c-ann", name: "Ann Archer", emails: ["ann@customer.example"], tier: "gold"),
                    Contact(externalID: "c-olive", name: "Olive Out", emails: ["olive@customer.example"], optedOut: true),
                ])
            }
            let annID = try #require(try await rig.store.findContact("c-ann")?.id)
            try rig.deliver(id: "l1@customer.example", from: "Ann Archer <Ann@Customer.example>")
            try rig.deliver(id: "l2@customer.example", from: "Olive Out <olive@customer.example>")
            try rig.deliver(id: "l3@customer.example", from: "Stranger <who@else.example>")
            // Through the feed poller's entry point, so the wiring (its linker reaches the mail poller) is tested too.
            let client = FetchClient()
            let poller = Poller(store: rig.store, client: client, scorer: Scorer(), settings: PollerSettings(), clock: rig.clock, random: { 0.5 },
                                linker: ContactLinker(store: rig.store))
            let source = rig.imap()
            try await rig.store.syncSources([source], now: rig.clock.now())
            let result = await poller.poll(source)
            await client.shutdown()
            #expect(!result.isFailure, "\(result.summary)")

            let ann = try #require(try await rig.mail("support", "l1@customer.example"))
            let annLink = try #require(try await rig.store.link(mentionID: ann.mentionID))
            #expect(annLink.outcome == .linked && annLink.contactID == annID)
            #expect(annLink.confidence == 0.99)  // the sender address, as for any exact email match (a From header can be forged)
            #expect(annLink.reason.contains("sender email ann@customer.example") && annLink.reason.contains("Ann Archer"), "\(annLink.reason)")
            // The gold tier reached the scorer, as it does for feed mentions.
            let timeline = try await rig.store.timeline(contactID: annID)
            #expect(timeline.count == 1 && timeline.first?.mention.score.reasons.contains { $0.rule == "severity.value" } == true)

            let olive = try #require(try await rig.mail("support", "l2@customer.example"))
            let oliveLink = try await rig.store.link(mentionID: olive.mentionID)
            #expect(oliveLink?.outcome == .optedOut && oliveLink?.contactID == nil)
            #expect(oliveLink?.reason.contains("Olive") == false)

            let stranger = try #require(try await rig.mail("support", "l3@customer.example"))
            #expect(try await rig.store.link(mentionID: stranger.mentionID)?.outcome == .unlinked)
        }
    }
}
