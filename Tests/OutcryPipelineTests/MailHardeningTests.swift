import Foundation
import OutcryFetch
import OutcryModel
import OutcryScoring
import OutcryTestSupport
import Testing
@testable import OutcryPipeline
@testable import OutcryStore

/// Issue 13, items 6 and 14, against a real Dovecot.
@Suite(.serialized, .timeLimit(.minutes(10))) struct MailHardeningTests {
    /// Item 6: a backlog of thousands of messages is listed in pages and taken in (libcurl's own
    /// IMAP client refused the one `UID FETCH n:*` answer past ~115 messages), then read again
    /// after a UIDVALIDITY change without duplicates and without quarantining anything twice.
    @Test func aBacklogOfThousandsIsTakenInAndReadAgainAfterAUIDValidityChange() async throws {
        try await MailRig.with { rig in
            let source = rig.imap("support", ["max_message_size": "4KB"])
            let count = 3000
            let start = rig.clock.now().addingTimeInterval(-86400)
            try rig.dovecot.deliver("X-Junk: nothing here\r\n\r\n\r\n")
            try rig.deliver(id: "huge@customer.example", body: String(repeating: "Far too long. ", count: 400))
            for n in 1...count {
                try rig.deliver(id: "b\(n)@customer.example", from: "c\(n % 97)@customer.example", subject: "Case \(n)",
                                date: start.addingTimeInterval(Double(n)), body: n % 3 == 0 ? MailRig.complaint : "Where is parcel \(n)?")
            }
            let clock = ContinuousClock()
            let began = clock.now
            let (first, warning) = try rig.stored(try await rig.poll(source))
            let took = clock.now - began
            #expect(first.inserted == count, "\(first.inserted) of \(count)")
            #expect(warning?.contains("2 messages quarantined") == true, "\(warning ?? "no warning")")
            #expect(try await rig.store.mailboxCursor(source: "support", folder: "INBOX")?.lastUID == UInt32(count + 2))
            #expect(try await rig.dovecot.flags().values.allSatisfy { !$0.contains("\\Seen") }, "a fetch marked mail read")
            print("backlog of \(count + 2) messages taken in in \(took)")

            try rig.dovecot.resetUIDValidity()
            try rig.deliver(id: "after@customer.example", from: "new@customer.example", subject: "New case")
            let (again, resyncWarning) = try rig.stored(try await rig.poll(source))
            #expect(again.inserted == 1 && again.unchanged == count, "\(again.inserted) new, \(again.unchanged) known")
            #expect(resyncWarning?.contains("UIDVALIDITY") == true, "\(resyncWarning ?? "")")
            #expect(resyncWarning?.contains("2 messages already quarantined") == true, "\(resyncWarning ?? "")")
            let quarantined = try await rig.store.quarantine(source: "support")
            #expect(quarantined.count == 2, "quarantined again: \(quarantined.map { "\($0.uidValidity)/\($0.messageRef): \($0.reason)" })")
            let counts = try await rig.keyCounts("support")
            #expect(counts.count == count + 1 && counts.values.allSatisfy { $0 == 1 })
        }
    }

    /// Item 6, the listing itself: pages of a few UIDs give the same messages as one page.
    @Test func smallListPagesCommitEveryMessageOnce() async throws {
        try await MailRig.with { rig in
            for n in 1...23 { try rig.deliver(id: "p\(n)@customer.example", from: "c\(n)@customer.example", subject: "Case \(n)") }
            let poller = MailPoller(store: rig.store, scorer: Scorer(), settings: PollerSettings(), clock: rig.clock, random: { 0.5 },
                                    batchSize: 4, listPageSize: 5)
            let (result, _) = try rig.stored(try await rig.poll(rig.imap(), with: poller))
            #expect(result.inserted == 23)
            #expect(try await rig.store.mailboxCursor(source: "support", folder: "INBOX")?.lastUID == 23)
        }
    }

    static let trusted = "mx.shop.example"

    /// A reply from the team's domain, with the given Authentication-Results fields.
    func teamReply(_ rig: MailRig, id: String, inReplyTo: String, authentication: [String], folder: String = "INBOX") throws {
        let headers = authentication.map { "Authentication-Results: \($0)\r\n" }.joined()
        try rig.dovecot.deliver(headers + TestDovecot.message(
            id: id, from: "Agent <agent@shop.example>", to: "ann@customer.example", subject: "Re: Order 1234",
            date: rig.clock.now().addingTimeInterval(-10), inReplyTo: inReplyTo, body: "We are sorry, a replacement is on its way."), folder: folder)
    }

    func supportBox(_ rig: MailRig, _ name: String = "support", trusted: Bool = true) -> SourceConfig {
        var options = ["own_addresses": "shop.example", "sent_folder": "Sent"]
        if trusted { options["trusted_authserv_id"] = Self.trusted }
        return rig.imap(name, options)
    }

    /// Item 14: a From header alone, or Authentication-Results written by anyone but the
    /// trusted receiving server, do not make a team response.
    @Test(arguments: [
        ("no-auth", [String]()),
        ("forged-authserv", ["mx.attacker.example; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=agent@shop.example"]),
        ("trusted-fail", ["mx.shop.example; dkim=fail header.d=shop.example; spf=softfail smtp.mailfrom=agent@shop.example"]),
        ("trusted-other-domain", ["mx.shop.example; dkim=pass header.d=attacker.example"]),
    ])
    func aForgedTeamReplyIsACustomersMessage(label: String, authentication: [String]) async throws {
        try await MailRig.with { rig in
            let source = supportBox(rig)
            try rig.deliver(id: "q1@customer.example")
            _ = try rig.stored(try await rig.poll(source))
            let thread = try #require(try await rig.mail("support", "q1@customer.example")?.threadID)

            try teamReply(rig, id: "forged-\(label)@shop.example", inReplyTo: "q1@customer.example", authentication: authentication)
            let (result, _) = try rig.stored(try await rig.poll(source))
            #expect(result.inserted == 1)
            let forged = try #require(try await rig.mail("support", "forged-\(label)@shop.example"))
            #expect(forged.role == .customer, "\(label): stored as \(forged.role)")
            #expect(forged.roleReason?.contains("From claims own address agent@shop.example") == true, "\(forged.roleReason ?? "no note")")
            #expect(try await rig.store.thread(id: thread).status != .responded, "\(label): the forged mail marked the thread answered")
            #expect(try await rig.store.responseTimes(thread: thread).isEmpty)
        }
    }

    @Test func aReplyAuthenticatedByTheTrustedServerIsAResponse() async throws {
        try await MailRig.with { rig in
            let source = supportBox(rig)
            try rig.deliver(id: "q1@customer.example")
            try rig.deliver(id: "q2@customer.example", from: "bob@customer.example", subject: "Broken kettle")
            _ = try rig.stored(try await rig.poll(source))
            let ann = try #require(try await rig.mail("support", "q1@customer.example")?.threadID)
            let bob = try #require(try await rig.mail("support", "q2@customer.example")?.threadID)

            // A forged field above the trusted one does not spoil it; a comment and a version are read past.
            try teamReply(rig, id: "dkim@shop.example", inReplyTo: "q1@customer.example", authentication: [
                "mx.attacker.example; dkim=fail",
                "mx.shop.example 1; dkim=pass (2048-bit key; secure) header.d=shop.example header.s=s1; dmarc=pass header.from=shop.example",
            ])
            try rig.dovecot.deliver("Authentication-Results: mx.shop.example; spf=pass smtp.mailfrom=desk@mail.shop.example\r\n" + TestDovecot.message(
                id: "spf@shop.example", from: "desk@mail.shop.example", to: "bob@customer.example", subject: "Re: Broken kettle",
                date: rig.clock.now().addingTimeInterval(-10), inReplyTo: "q2@customer.example", body: "A new kettle is on its way."))
            let (result, _) = try rig.stored(try await rig.poll(source))
            #expect(result.inserted == 2 && result.alertsQueued == 0)
            let dkim = try #require(try await rig.mail("support", "dkim@shop.example"))
            #expect(dkim.role == .response && dkim.threadID == ann, "\(dkim)")
            #expect(dkim.roleReason?.contains("dkim=pass header.d=shop.example by mx.shop.example") == true, "\(dkim.roleReason ?? "")")
            let spf = try #require(try await rig.mail("support", "spf@shop.example"))
            #expect(spf.role == .response && spf.threadID == bob, "\(spf)")
            #expect(try await rig.store.thread(id: ann).status == .responded)
            #expect(try await rig.store.thread(id: bob).status == .responded)
        }
    }

    @Test func withoutATrustedServerOnlyTheSentFolderHoldsResponses() async throws {
        try await MailRig.with { rig in
            let source = supportBox(rig, trusted: false)
            try rig.deliver(id: "q1@customer.example")
            _ = try rig.stored(try await rig.poll(source))
            let thread = try #require(try await rig.mail("support", "q1@customer.example")?.threadID)
            // Even a "pass" from a server nobody named is not believed.
            try teamReply(rig, id: "inbox@shop.example", inReplyTo: "q1@customer.example", authentication: ["mx.shop.example; dkim=pass header.d=shop.example"])
            _ = try rig.stored(try await rig.poll(source))
            #expect(try await rig.mail("support", "inbox@shop.example")?.role == .customer)
            #expect(try await rig.store.thread(id: thread).status != .responded)

            try teamReply(rig, id: "sent@shop.example", inReplyTo: "q1@customer.example", authentication: [], folder: "Sent")
            _ = try rig.stored(try await rig.poll(source))
            #expect(try await rig.mail("support", "sent@shop.example")?.role == .response)
            #expect(try await rig.store.thread(id: thread).status == .responded)
        }
    }

    /// Item 14: a response answers only threads of its own mailbox.
    @Test func aResponseCannotAnswerAnotherMailboxsThread() async throws {
        try await MailRig.with { rig in
            // "sales" reads Done; its customer's thread must not be answered from "support".
            let sales = rig.imap("sales", folder: "Done", ["own_addresses": "shop.example"])
            try rig.deliver(id: "s1@customer.example", folder: "Done")
            _ = try rig.stored(try await rig.poll(sales))
            let salesThread = try #require(try await rig.mail("sales", "s1@customer.example")?.threadID)

            let support = supportBox(rig)
            try teamReply(rig, id: "cross@shop.example", inReplyTo: "s1@customer.example", authentication: [], folder: "Sent")
            let (result, _) = try rig.stored(try await rig.poll(support))
            #expect(result.inserted == 1)
            let cross = try #require(try await rig.mail("support", "cross@shop.example"))
            #expect(cross.role == .response && cross.threadID == nil, "\(cross)")
            #expect(try await rig.store.thread(id: salesThread).status != .responded, "another mailbox's thread was answered")
        }
    }
}
