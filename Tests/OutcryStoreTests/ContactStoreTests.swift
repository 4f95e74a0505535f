import Foundation
import OutcryModel
import Testing
@testable import OutcryStore

let ada = Contact(externalID: "hs-101", name: "Ada Lovelace", emails: ["ada@example.com"], phones: ["+442079460958"],
                  handles: [SocialHandle(network: .x, handle: "ada")], company: "Analytical Engines", tier: "gold")
let charles = Contact(externalID: "hs-102", name: "Charles Babbage", emails: ["charles@example.com"], company: "Difference Ltd")

/// A complaint written by someone, with their address and number in it.
func authored(_ key: String, email: String?, name: String = "Ada Lovelace", text: String, severity: Severity = .p3, at: Date = t0) -> ScoredMention {
    var scored = item(key, text: text, severity: severity)
    scored.mention.authorEmail = email
    scored.mention.authorName = name
    scored.mention.authorHandle = email
    scored.mention.url = "https://forum.example/t/\(key)"
    scored.mention.publishedAt = at
    return scored
}

func importing(_ store: Store, _ contacts: [Contact], at now: Date = t0) async throws -> ContactUpsertResult {
    try await store.importContacts(actor: "test", now: now) { session in try await session.upsert(contacts) }
}

@Suite struct ContactStoreTests {
    @Test(arguments: Backend.allCases) func reimportUpdatesByExternalIDWithoutDuplicates(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let first = try await importing(store, [ada, charles])
            #expect(first == ContactUpsertResult(inserted: 2, updated: 0))
            var moved = ada
            moved.company = "Engines Ltd"
            moved.emails = ["ada@engines.example"]
            let second = try await importing(store, [moved, charles])
            #expect(second == ContactUpsertResult(inserted: 0, updated: 2))
            #expect(try await store.contactCount() == 2)
            let stored = try #require(try await store.findContact("hs-101"))
            #expect(stored.company == "Engines Ltd" && stored.emails == ["ada@engines.example"] && stored.phones == ["+442079460958"])
            #expect(try await store.findContact("ada@engines.example")?.externalID == "hs-101")
            #expect(try await store.findContact("ada@example.com") == nil)
        }
    }

    @Test(arguments: Backend.allCases) func anOptOutIsNeverUndoneByAnImport(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            var out = ada
            out.optedOut = true
            _ = try await importing(store, [out])
            _ = try await importing(store, [ada])
            #expect(try await store.findContact("hs-101")?.optedOut == true)
        }
    }

    @Test(arguments: Backend.allCases) func aFailingImportLeavesNothing(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            struct Broken: Error {}
            let revision = try await store.contactsRevision()
            await #expect(throws: Broken.self) {
                _ = try await store.importContacts(actor: "test", now: t0) { session -> ContactUpsertResult in
                    _ = try await session.upsert([ada, charles])
                    throw Broken()
                }
            }
            #expect(try await store.contactCount() == 0)
            #expect(try await store.audit().isEmpty)
            #expect(try await store.contactsRevision() == revision)
        }
    }

    @Test(arguments: Backend.allCases) func largeBatchesAreChunked(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            // More rows than one bulk statement carries (5,000), for contacts and identifiers.
            let many = (0..<12_000).map {
                Contact(externalID: "c\($0)", name: "Person \($0)", emails: ["p\($0)@example.com"], phones: ["+1415555\(String(format: "%04d", $0 % 10_000))"])
            }
            let result = try await importing(store, many)
            #expect(result == ContactUpsertResult(inserted: 12_000, updated: 0))
            let stored = try await store.contacts(after: 0, limit: 20_000)
            #expect(stored.count == 12_000)
            #expect(stored.map(\.externalID) == many.map(\.externalID))
            #expect(stored.allSatisfy { $0.emails.count == 1 && $0.phones.count == 1 })
            #expect(try await store.findContact("p11999@example.com")?.externalID == "c11999")
            // A second pass over the same rows updates every one of them and adds nothing.
            #expect(try await importing(store, many) == ContactUpsertResult(inserted: 0, updated: 12_000))
            #expect(try await store.contactCount() == 12_000)
        }
    }

    @Test(arguments: Backend.allCases) func textOfEveryKindSurvivesTheBulkPathExactly(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let odd = Contact(
                externalID: "id \"quoted\" \\ back", name: "O\"Brien \\ Zoë 😀\n\tline\u{1}\u{1F}\u{7F}\u{2028}end",
                emails: ["a\"b\\c@example.com"], handles: [SocialHandle(network: .mastodon, handle: "zoë@social.example")],
                company: "", segment: nil, tier: "{\"json\": [1]}", owner: "null")
            #expect(try await importing(store, [odd]) == ContactUpsertResult(inserted: 1, updated: 0))
            let stored = try #require(try await store.findContact(odd.externalID))
            #expect(stored.name == odd.name)
            #expect(stored.company == "" && stored.segment == nil && stored.tier == odd.tier && stored.owner == "null")
            #expect(stored.emails == odd.emails && stored.handles == odd.handles)
        }
    }

    @Test func aFirstImportBuildsTheLookupIndexAtTheEndAndAFailedOneKeepsIt() async throws {
        try await withTemporaryStore { store, _ in
            func lookupIndexExists() async throws -> Bool {
                try await store.sql.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'contact_identifiers_lookup'").first() != nil
            }
            struct Broken: Error {}
            await #expect(throws: Broken.self) {
                _ = try await store.importContacts(actor: "test", now: t0) { session -> ContactUpsertResult in
                    _ = try await session.upsert([ada])
                    throw Broken()
                }
            }
            #expect(try await lookupIndexExists())
            _ = try await importing(store, [ada, charles])
            #expect(try await lookupIndexExists())
            let plan = try await store.sql.raw(
                "EXPLAIN QUERY PLAN SELECT contact_id FROM contact_identifiers WHERE kind = 'email' AND value = 'ada@example.com'").all()
            let details = try plan.map { try $0.decode(column: "detail", as: String.self) }
            #expect(details.contains { $0.contains("contact_identifiers_lookup") }, "plan: \(details)")
            #expect(try await store.findContact("charles@example.com")?.externalID == "hs-102")
        }
    }

    @Test func migration0010KeepsEveryIdentifier() async throws {
        try await withTemporaryStore { store, _ in
            // Put the table back as 0007 made it, with rows, and forget that 0010 ran.
            _ = try await importing(store, [ada, charles])
            try await store.transaction {
                try await store.exec("CREATE TABLE old_identifiers AS SELECT * FROM contact_identifiers")
                try await store.exec("DROP TABLE contact_identifiers")
                for statement in Store.contactsSchema where statement.contains("contact_identifiers (") || statement.contains("contact_identifiers_lookup") {
                    try await store.exec(statement)
                }
                try await store.exec("INSERT INTO contact_identifiers SELECT * FROM old_identifiers")
                try await store.exec("DROP TABLE old_identifiers")
                try await store.exec("DELETE FROM schema_migrations WHERE id = '0010_contact_identifiers_without_rowid'")
            }
            let before = try await store.findContact("hs-101")
            try await store.migrate()
            let table = try #require(try await store.sql.raw("SELECT sql FROM sqlite_master WHERE name = 'contact_identifiers'").first())
            #expect(try table.decode(column: "sql", as: String.self).contains("WITHOUT ROWID"))
            #expect(try await store.findContact("hs-101") == before)
            #expect(try await store.findContact("ada@example.com")?.handles == ada.handles)
            #expect(try await store.appliedMigrations().contains("0010_contact_identifiers_without_rowid"))
        }
    }

    @Test(arguments: Backend.allCases) func linksLandWithThePollAndMakeATimeline(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await importing(store, [ada])
            let id = try #require(try await store.findContact("hs-101")?.id)
            let earlier = authored("m1", email: "ada@example.com", text: "My order never came", at: t0 - 3 * 86400)
            let later = authored("m2", email: "ada@example.com", text: "Still nothing", at: t0)
            _ = try await store.commitPoll(
                source: "forum", mentions: [earlier, later], success: success(), alertOnBacklog: true,
                links: ["m1": MentionLink(outcome: .linked, contactID: id, confidence: 0.99, reason: "sender email"),
                        "m2": MentionLink(outcome: .linked, contactID: id, confidence: 0.99, reason: "sender email")],
                now: t0)
            let timeline = try await store.timeline(contactID: id)
            #expect(timeline.map(\.mention.mention.key) == ["m2", "m1"])
            #expect(timeline.first?.thread != nil)
            let previous = try await store.previousComplaint(contactID: id, before: t0, within: 14 * 86400)
            #expect(previous == t0 - 3 * 86400)
            #expect(try await store.previousComplaint(contactID: id, before: t0, within: 86400) == nil)
            // An opted-out link never names a contact.
            #expect(MentionLink(outcome: .optedOut, contactID: id).contactID == nil)
        }
    }

    @Test(arguments: Backend.allCases) func mergeKeepsBothHistoriesAndAudits(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            var twin = ada
            twin.externalID = "hs-201"
            twin.emails = ["ada.l@analytical.example"]
            twin.phones = []
            _ = try await importing(store, [ada, twin])
            let a = try #require(try await store.findContact("hs-101"))
            let b = try #require(try await store.findContact("hs-201"))
            _ = try await store.commitPoll(
                source: "forum", mentions: [authored("m1", email: "ada@example.com", text: "one"), authored("m2", email: "ada.l@analytical.example", text: "two")],
                success: success(), links: ["m1": MentionLink(outcome: .linked, contactID: a.id, confidence: 0.99, reason: "email"),
                                            "m2": MentionLink(outcome: .linked, contactID: b.id, confidence: 0.99, reason: "email")], now: t0)
            var merged = a
            merged.emails += b.emails
            merged.mergedExternalIDs = ["hs-201"]
            try await store.mergeContacts(keep: a.id!, remove: b.id!, merged: merged, audit: ["merged hs-201 into hs-101"], actor: "test", now: t0)
            #expect(try await store.contactCount() == 1)
            #expect(Set(try await store.timeline(contactID: a.id!).map(\.mention.mention.key)) == ["m1", "m2"])
            #expect(try await store.audit(contactID: a.id!).contains { $0.action == "merge" && $0.detail.contains("hs-201") })
            // The merged record's CRM id now finds, and a re-import updates, the kept contact.
            #expect(try await store.findContact("hs-201")?.id == a.id)
            let again = try await importing(store, [twin])
            #expect(again.updated == 1 && again.inserted == 0)
            #expect(try await store.contactCount() == 1)
        }
    }

    @Test func eraseLeavesNoPersonalDataInTheFiles() async throws {
        try await withTemporaryStore { store, dir in
            try await store.syncSources([forum], now: t0)
            _ = try await importing(store, [ada, charles])
            let id = try #require(try await store.findContact("hs-101")?.id)
            let complaint = authored("m1", email: "ada@example.com", text: "Call me on +442079460958 or ada@example.com, my order never came", severity: .p2)
            let other = authored("m2", email: "charles@example.com", name: "Charles Babbage", text: "Broken again", severity: .p3)
            _ = try await store.commitPoll(
                source: "forum", mentions: [complaint, other], success: success(), alertOnBacklog: true,
                links: ["m1": MentionLink(outcome: .linked, contactID: id, confidence: 0.99, reason: "sender email ada@example.com is on Ada Lovelace's record")],
                now: t0)
            let before = try await store.openThreads()
            let data = try await store.personalData(contactID: id, actor: "test", now: t0)
            #expect(data.mentions.map(\.text) == [complaint.mention.text])

            let result = try await store.erase(contactID: id, actor: "test", now: t0)
            #expect(result.mentionsAnonymised == 1 && result.threadsAnonymised == 1 && result.checkpointed)

            let after = try await store.openThreads()
            #expect(after.count == before.count)
            #expect(after.map(\.mentionCount) == before.map(\.mentionCount))
            #expect(after.map(\.severity) == before.map(\.severity))
            let m1 = try await store.mention(id: try #require(data.mentions.first?.id))
            #expect(m1.mention.text == "[erased]" && m1.mention.authorEmail == nil && m1.mention.url == nil && m1.score.severity == .p2)
            #expect(try await store.contactCount() == 1)

            for file in ["outcry.sqlite", "outcry.sqlite-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(file)))) ?? Data()
                for secret in ["ada@example.com", "+442079460958", "442079460958", "Ada Lovelace", "Lovelace"] {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) still in \(file)")
                }
                if file == "outcry.sqlite" { #expect(bytes.range(of: Data("charles@example.com".utf8)) != nil) }
            }
            // Suppressed: a later import of the same person is skipped.
            let again = try await importing(store, [ada])
            #expect(again.suppressed == 1 && again.inserted == 0)
            #expect(try await store.audit().contains { $0.action == "erase" })
        }
    }

    @Test(arguments: Backend.allCases) func retentionPurgesOldMentionsButKeepsOpenComplaintsAndCounts(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            var old = item("old", text: "lovely product, thanks Ada")
            old.mention.authorName = "Ada"
            var openComplaint = item("open", text: "still broken", severity: .p3)
            openComplaint.mention.authorName = "Ada"
            _ = try await store.commitPoll(source: "forum", mentions: [old, openComplaint], success: success(), now: t0)
            let threads = try await store.openThreads()
            let result = try await store.purge(mentionsBefore: t0 + 1, mailBodiesBefore: nil, now: t0 + 400 * 86400)
            #expect(result.mentionsPurged == 1)
            #expect(try await store.mentionCount() == 2)
            #expect(try await store.openThreads() == threads)
            let rows = try await store.sql.raw("SELECT key, text, author_name FROM mentions ORDER BY key").all()
            #expect(try rows.map { try $0.decode(column: "text", as: String.self) } == ["[purged]", "still broken"])
            // Purging again finds nothing more.
            #expect(try await store.purge(mentionsBefore: t0 + 1, mailBodiesBefore: nil, now: t0).mentionsPurged == 0)
        }
    }
}

@Suite struct ThreadSegmentTests {
    @Test(arguments: Backend.allCases) func aLinkedThreadCarriesTheContactsTierAndLinkAndAnOptedOutOneDoesNot(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            var bob = charles
            bob.optedOut = true
            bob.tier = "platinum"
            _ = try await importing(store, [ada, bob])
            let adaID = try #require(try await store.findContact("hs-101")?.id)
            var a = authored("m1", email: "ada@example.com", text: "My order never came")
            a.mention.language = "de"
            let b = authored("m2", email: "charles@example.com", name: "Charles Babbage", text: "Charged twice")
            let result = try await store.commitPoll(
                source: "forum", mentions: [a, b], success: success(), alertOnBacklog: true,
                links: ["m1": MentionLink(outcome: .linked, contactID: adaID, confidence: 0.97, reason: "sender email"),
                        "m2": MentionLink(outcome: .optedOut, contactID: nil)],
                now: t0)
            #expect(result.threadsOpened.count == 2)
            let first = try await store.threadAlertFacts(result.threadsOpened[0])
            #expect(first.thread.segment == "gold" && first.language == "de")
            #expect(first.contact == LinkedContactFact(contactID: adaID, name: "Ada Lovelace", confidence: 0.97, reason: "sender email"))
            let second = try await store.threadAlertFacts(result.threadsOpened[1])
            #expect(second.thread.segment == nil && second.contact == nil)
        }
    }

    @Test(arguments: Backend.allCases) func factsAndEventsOfManyThreadsAtOnceAreEachThreadsOwn(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await importing(store, [ada])
            let adaID = try #require(try await store.findContact("hs-101")?.id)
            let a = authored("m1", email: "ada@example.com", text: "My order never came", severity: .p3)
            let b = authored("m2", email: "charles@example.com", name: "Charles Babbage", text: "Charged twice", severity: .p2)
            let result = try await store.commitPoll(
                source: "forum", mentions: [a, b], success: success(), alertOnBacklog: true,
                links: ["m1": MentionLink(outcome: .linked, contactID: adaID, confidence: 0.97, reason: "sender email")], now: t0)
            let ids = result.threadsOpened
            #expect(ids.count == 2)
            try await store.appendThreadEvents([
                StoredThreadEvent(threadID: ids[0], kind: "note", actor: "cli:ana", at: t0 + 60, from: "new", to: "new", note: "first"),
                StoredThreadEvent(threadID: ids[0], kind: "note", actor: "cli:ana", at: t0 + 30, from: "new", to: "new", note: "earlier"),
                StoredThreadEvent(threadID: ids[1], kind: "note", actor: "cli:bo", at: t0 + 90, from: "new", to: "new", note: "other"),
            ])
            // An unknown id is left out; a repeated one is read once.
            let facts = try await store.threadAlertFacts(ids: ids + [ids[0], 999_999])
            #expect(facts.count == 2)
            let events = try await store.threadEvents(ids: ids + [999_999])
            for id in ids {
                #expect(facts[id] == (try await store.threadAlertFacts(id)))
                #expect(events[id] == (try await store.threadEvents(id)))
            }
            #expect(facts[ids[0]]?.contact?.contactID == adaID && facts[ids[1]]?.contact == nil)
            #expect(facts[ids[1]]?.excerpt == "Charged twice")
            #expect(events[ids[0]]?.map(\.note) == ["earlier", "first"])
            #expect(try await store.threadAlertFacts(ids: []).isEmpty)
        }
    }
}
