import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OutcryModel
import SQLKit
import OutcryTestSupport
import Testing
@testable import OutcryStore

// Issue 13, items 8, 10, 11, 12 and 20 (store side): erase and purge reach every copy, keyed
// suppression hashes, private file modes, secrets masked where errors are stored, episodes.

private let jane = Contact(externalID: "crm-jane", name: "Jane Doe", emails: ["jane.doe@doefamily.net"], phones: ["+447700900123"],
                           handles: [SocialHandle(network: .x, handle: "janedoe_77")], company: "Doe Family", tier: "gold")
private let bob = Contact(externalID: "crm-bob", name: "Bob Stone", emails: ["bob@stone.example"])

/// Everything that identifies Jane or quotes her health, looked for in the raw files. ("disabled"
/// alone is a column name of `sources`, in the schema: the phrase is looked for.)
private let janeNeedles = ["jane.doe@doefamily.net", "+447700900123", "447700900123", "janedoe_77", "Jane Doe", "am disabled", "on chemo", "chemo"]

private let mail = SourceConfig(name: "support-inbox", url: "imaps://mail.example.org/INBOX", kind: .imap, interval: 600)

/// The bytes of the database and WAL files, lowercased (ASCII), for case-insensitive greps.
private func fileBytes(_ dir: String) -> [(String, Data)] {
    ["outcry.sqlite", "outcry.sqlite-wal"].map { name in
        let data = (try? Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))) ?? Data()
        return (name, Data(data.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }))
    }
}

private func found(_ needles: [String], in dir: String) -> [String] {
    var hits: [String] = []
    for (name, bytes) in fileBytes(dir) {
        for needle in needles where bytes.range(of: Data(needle.lowercased().utf8)) != nil { hits.append("\(needle) in \(name)") }
    }
    return hits
}

/// Where a needle is still stored, table by table and column by column (a readable companion
/// to the byte grep).
private func storedIn(_ store: Store, _ needles: [String]) async throws -> [String] {
    var hits: [String] = []
    let postgres = store.dialect.backend == .postgres
    let tables = try await store.sql.raw(postgres
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        : "SELECT name FROM sqlite_master WHERE type = 'table'").all().map { try $0.decode(column: "name", as: String.self) }
    for table in tables {
        let columns = try await store.sql.raw(postgres
            ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)"
            : "SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
        for column in columns {
            for needle in needles {
                let row = try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(unsafeRaw: postgres ? "STRPOS" : "INSTR")(LOWER(CAST(\(ident: column) AS TEXT)), \(bind: needle.lowercased())) > 0").first()
                if try row?.decode(column: "n", as: Int.self) ?? 0 > 0 { hits.append("\(needle) in \(table).\(column)") }
            }
        }
    }
    return hits
}

private func score(_ severity: Severity, urgency: [UrgencyCategory] = [], reasons: [Reason]) -> Score {
    Score(sentiment: Sentiment(compound: -0.8, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
          urgency: urgency, severity: severity, reasons: reasons)
}

/// Jane's post (with her number, address and health), Bob's post quoting her in other cases.
private func janePost(at: Date = t0) -> ScoredMention {
    ScoredMention(
        mention: Mention(sourceName: "forum", channel: .feed, key: "jane-1", url: "https://forum.example/t/janedoe_77/1",
                         title: "Jane Doe: refund refused", text: "I am disabled and on chemo. Call +447700900123 or jane.doe@doefamily.net",
                         authorName: "Jane Doe", authorHandle: "janedoe_77", authorEmail: "jane.doe@doefamily.net", publishedAt: at, fetchedAt: at),
        score: score(.p1, urgency: [.vulnerable, .safety], reasons: [
            Reason(rule: "urgency.vulnerable", evidence: "am disabled", weight: 1), Reason(rule: "urgency.safety", evidence: "on chemo", weight: 1),
            Reason(rule: "complaint.directed", evidence: "doefamily", weight: 0.15), Reason(rule: "lexicon", evidence: "refused", weight: -0.6),
        ]))
}

private func bobPost(at: Date = t0) -> ScoredMention {
    ScoredMention(
        mention: Mention(sourceName: "forum", channel: .feed, key: "bob-1", title: "Like JANE DOE said",
                         text: "My neighbour Jane Doe (@JaneDoe_77, JANE.DOE@DOEFAMILY.NET, 00447700900123 no: +447700900123) has the same problem",
                         authorName: "Bob Stone", authorHandle: "bobstone", authorEmail: "bob@stone.example", publishedAt: at, fetchedAt: at),
        score: score(.p2, reasons: [Reason(rule: "complaint.failure", evidence: "same problem", weight: 0.5),
                                    Reason(rule: "complaint.directed", evidence: "JaneDoe_77", weight: 0.15)]))
}

private func janeMail(at: Date = t0) -> MailItem {
    MailItem(
        scored: ScoredMention(
            mention: Mention(sourceName: "support-inbox", channel: .mail, key: "<m-1@mail.example>", title: "Chemo appointment refund",
                             text: "Being on chemo I cannot come in. Jane Doe, +447700900123", authorName: "Jane Doe",
                             authorEmail: "jane.doe@doefamily.net", publishedAt: at, fetchedAt: at),
            score: score(.p2, urgency: [.safety], reasons: [Reason(rule: "urgency.safety", evidence: "on chemo", weight: 1)])),
        role: .customer, folder: "INBOX", messageRef: "1", correspondents: ["jane.doe@doefamily.net"], subjectKey: "chemo appointment refund")
}

/// A ThreadAlert as `AlertDispatcher` stores it in a `RoutedAlert` (same keys and shapes).
private func alertObject(thread: ThreadID, title: String, excerpt: String, contact: String?, basis: String?, evidence: [String]) -> [String: Any] {
    var object: [String: Any] = [
        "id": "new_thread:\(thread):k", "threadID": String(thread), "kind": "new_thread", "title": title, "severity": "P1",
        "urgency": ["vulnerable"], "source": "forum", "channel": "feed", "excerpt": excerpt, "firedAt": 816_000_000.5,
        "reasons": evidence.map { ["rule": "urgency.vulnerable", "evidence": $0, "weight": 1] },
    ]
    if let contact {
        object["contact"] = ["name": contact, "url": "https://outcry.example/contacts/1", "confidence": 0.99, "basis": basis ?? ""]
    }
    return object
}

private func json(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

@Suite(.serialized) struct PrivacyHardeningTests {
    /// Builds Jane's history: posts, a mail, links, routed notifications sent, dead, pending and a
    /// repeat of a group with Bob's alert. Returns Jane's contact id and threads (hers, Bob's).
    private func janesHistory(_ store: Store, resolve: Bool = false) async throws -> (contact: ContactID, janeThread: ThreadID, bobThread: ThreadID) {
        try await store.syncSources([forum, mail], now: t0)
        _ = try await importing(store, [jane, bob])
        let janeID = try #require(try await store.findContact("crm-jane")?.id)
        let link = MentionLink(outcome: .linked, contactID: janeID, confidence: 0.99,
                               reason: "sender email jane.doe@doefamily.net is on Jane Doe's record")
        _ = try await store.commitPoll(source: "forum", mentions: [janePost(), bobPost()], success: success(), alertOnBacklog: true,
                                       links: ["jane-1": link], now: t0)
        _ = try await store.commitMailPoll(source: "support-inbox", MailCommit(items: [janeMail()], links: ["<m-1@mail.example>": link]),
                                           alertOnBacklog: true, now: t0)
        let janeThread = try #require(try await store.mention(key: "jane-1", source: "forum")?.threadID)
        let bobThread = try #require(try await store.mention(key: "bob-1", source: "forum")?.threadID)
        // A note a person wrote on her thread, and a crisis fold of her alert.
        try await store.recordThreadAction(
            StoredThreadEvent(threadID: janeThread, kind: "acknowledged", actor: "ana", at: t0 + 60, from: "new", to: "acknowledged",
                              note: "called Jane Doe back, she is on chemo"),
            expectedStatus: "new", outbox: [], nextWakeUp: nil, now: t0 + 60)
        try await store.recordEventForTest(kind: "alert.folded", detail: "new_thread:\(janeThread):jane-1 folded into the crisis of acme: I am disabled", at: t0)

        let janeAlert = alertObject(thread: janeThread, title: "Jane Doe: refund refused",
                                    excerpt: "I am disabled and on chemo. Call +447700900123 or jane.doe@doefamily.net",
                                    contact: "Jane Doe", basis: "sender email jane.doe@doefamily.net is on Jane Doe's record", evidence: ["am disabled", "on chemo"])
        let bobAlert = alertObject(thread: bobThread, title: "Like [erased-not-yet] said", excerpt: "same problem here", contact: nil, basis: nil, evidence: ["same problem"])
        let routed = try json(["alert": janeAlert, "routeReasons": ["severity P1 → hook"]])
        let repeatPayload = try json(["alert": bobAlert, "routeReasons": ["repeated"], "repeatOf": [bobAlert, janeAlert], "repeatNumber": 2])
        try await store.enqueue([
            NewOutboxRow(threadID: janeThread, kind: "new_thread", receiver: "hook", idempotencyKey: "a", payload: routed, notBefore: t0),
            NewOutboxRow(threadID: janeThread, kind: "new_thread", receiver: "slack", idempotencyKey: "a", payload: routed, notBefore: t0),
            NewOutboxRow(threadID: janeThread, kind: "new_thread", receiver: "teams", idempotencyKey: "a", payload: routed, notBefore: t0),
            NewOutboxRow(threadID: bobThread, kind: "repeat", receiver: "hook", idempotencyKey: "repeat:g#2", payload: repeatPayload, notBefore: t0 + 14400),
        ], now: t0)
        let rows = try await store.outbox(limit: 1000)
        let slack = try #require(rows.first { $0.receiver == "slack" })
        let teams = try #require(rows.first { $0.receiver == "teams" })
        try await store.markSent(slack.id, now: t0)
        try await store.markFailed(teams.id, error: "HTTP 400: body rejected: 'Jane Doe' +447700900123", retryAt: nil)
        if resolve {
            try await store.writeForTest("UPDATE threads SET status = 'resolved'")
        }
        return (janeID, janeThread, bobThread)
    }

    @Test(arguments: Backend.allCases) func eraseReachesEveryCopyInTheDatabaseAndWALFiles(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, dir in
            let (id, janeThread, bobThread) = try await janesHistory(store)
            try await store.checkpoint()
            // The scenario really put her data everywhere (else the test proves nothing).
            if backend == .sqlite { #expect(found(janeNeedles, in: dir).count >= janeNeedles.count) }
            let result = try await store.erase(contactID: id, actor: "test", now: t0 + 3600)
            #expect(result.checkpointed)
            let left = try await storedIn(store, janeNeedles)
            #expect(left == [])
            #expect(found(janeNeedles, in: dir) == [])

            // An erased mention keeps its numbers, not the quoted words.
            let m = try #require(try await store.mention(key: "jane-1", source: "forum"))
            #expect(m.mention.text == "[erased]" && m.score.severity == .p1 && m.score.urgency == [.vulnerable, .safety])
            #expect(m.score.reasons.map(\.rule) == ["urgency.vulnerable", "urgency.safety", "complaint.directed", "lexicon"])
            #expect(m.score.reasons.map(\.weight) == [1, 1, 0.15, -0.6] && m.score.reasons.allSatisfy { $0.evidence.isEmpty })
            // Bob's post stays, with her identifiers replaced whatever their case.
            let b = try #require(try await store.mention(key: "bob-1", source: "forum"))
            #expect(b.mention.text == "My neighbour [erased] ([erased], [erased], [erased] no: [erased]) has the same problem")
            #expect(b.score.reasons.map(\.evidence) == ["same problem", "[erased]"])
            #expect(try await store.thread(id: bobThread).title == "Like [erased] said")
            // Every outbox row still reads as JSON; her alert lost its words, Bob's alert kept his.
            for row in try await store.outbox(limit: 100) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(row.payload.utf8)) as? [String: Any])
                if row.kind == "repeat" {
                    let alerts = try #require(object["repeatOf"] as? [[String: Any]])
                    #expect(alerts.map { $0["threadID"] as? String } == [String(bobThread), String(janeThread)])
                    #expect(alerts[0]["excerpt"] as? String == "same problem here" && alerts[1]["excerpt"] as? String == "[erased]")
                    #expect((alerts[1]["contact"] as? [String: Any])?["url"] as? String == "https://outcry.example/contacts/1")
                }
            }
            #expect(try await store.outbox(status: .dead).first?.lastError == "HTTP 400: body rejected: '[erased]' [erased]")
            // Counts and severities of the queue are unchanged.
            #expect(try await store.thread(id: janeThread).severity == .p1)
        }
    }

    /// Issue 15: the team's labels on a person's mentions go out with the export and are deleted
    /// by the erasure; a bulk label quoting them loses the quote; labels on others' posts stay.
    @Test(arguments: Backend.allCases) func labelsAreExportedAndErasedWithThePersonsData(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let (id, _, _) = try await janesHistory(store)
            let jane = try #require(try await store.mention(key: "jane-1", source: "forum")?.mention.id)
            let bob = try #require(try await store.mention(key: "bob-1", source: "forum")?.mention.id)
            _ = try await store.addLabels([
                LabelRecord(mentionID: jane, sentiment: .negative, complaint: true, urgency: [.vulnerable], by: "web:ana", at: t0 + 10),
                LabelRecord(mentionID: bob, complaint: true, by: "web:ana", at: t0 + 20),
                LabelRecord(text: "write to jane.doe@doefamily.net about the refund", complaint: false, by: "bulk:old.jsonl", at: t0 + 30),
            ])
            let export = try await store.personalData(contactID: id, actor: "test", now: t0 + 40)
            let exported = try #require(export.mentions.first { $0.id == jane })
            #expect(exported.labels.count == 1)
            #expect(exported.labels.first?.sentiment == "negative" && exported.labels.first?.complaint == true)
            #expect(exported.labels.first?.urgency == ["vulnerable"] && exported.labels.first?.labelledBy == "web:ana")

            let result = try await store.erase(contactID: id, actor: "test", now: t0 + 3600)
            #expect(result.labelsDeleted == 1)
            let left = try await store.labels()
            #expect(left.count == 2 && !left.contains { $0.mentionID == jane })
            #expect(left.contains { $0.mentionID == bob })
            #expect(left.first { $0.mentionID == nil }?.text == "write to [erased] about the refund")
        }
    }

    @Test(arguments: Backend.allCases) func aRetentionPurgeReachesEveryCopyOfResolvedThreads(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, dir in
            // The purge does not delete contacts: look for what only the customer's content holds.
            let (_, _, _) = try await janesHistory(store, resolve: true)
            let content = ["am disabled", "on chemo", "chemo", "refund refused", "same problem", "neighbour"]
            try await store.checkpoint()
            if backend == .sqlite { #expect(found(content, in: dir).count >= content.count) }
            let result = try await store.purge(mentionsBefore: t0 + 1, mailBodiesBefore: t0 + 1, now: t0 + 400 * 86400)
            #expect(result.mentionsPurged == 3)
            let left = try await storedIn(store, content)
            #expect(left == [])
            #expect(found(content, in: dir) == [])
            let m = try #require(try await store.mention(key: "jane-1", source: "forum"))
            #expect(m.mention.text == "[purged]" && m.score.severity == .p1 && m.score.reasons.allSatisfy { $0.evidence.isEmpty })
            let mailRow = try #require(try await store.sql.raw("SELECT sender, subject_key FROM mail_messages").first())
            #expect(try mailRow.decode(column: "sender", as: String.self) == "" && mailRow.decode(column: "subject_key", as: String.self) == "")
        }
    }

    // MARK: item 10

    @Test(arguments: Backend.allCases) func suppressionsAreKeyedHashesAndOldOnesStillMatchUntilReplaced(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, dir in
            try await store.syncSources([forum], now: t0)
            _ = try await importing(store, [ada])
            let id = try #require(try await store.findContact("hs-101")?.id)
            _ = try await store.erase(contactID: id, actor: "test", now: t0)
            let stored = try await store.sql.raw("SELECT hash FROM suppressions").all().map { try $0.decode(column: "hash", as: String.self) }
            let probe = Store.suppressionProbe(kind: "phone", value: "+442079460958")
            // Not the unkeyed hash anyone can compute by enumerating phone numbers.
            #expect(!stored.contains(Store.legacySuppressionHash(probe: probe)))
            #expect(stored.allSatisfy { $0.count == 64 })
            #expect(stored.contains(store.suppressionHash(probe: probe)))
            #expect(try await store.suppressedHashes([probe, Store.suppressionProbe(kind: "phone", value: "+15550100")]) == [probe])
            // The key is the data directory's own: 32 bytes, 0600, the same on reopening.
            let keyPath = (dir as NSString).appendingPathComponent("suppression.key")
            #expect(DataFiles.mode(of: keyPath) == 0o600)
            #expect((try Data(contentsOf: URL(fileURLWithPath: keyPath))).count == 32)
            let again = try await reopen(store, dir: dir)
            #expect(again.suppressionHash(probe: probe) == store.suppressionHash(probe: probe))
            try await again.close()
            // A suppression written before (unkeyed) is still matched, and replaced when erased again.
            let charlesProbe = Store.suppressionProbe(kind: "email", value: "charles@example.com")
            try await store.writeForTest("INSERT INTO suppressions (hash, created_at) VALUES ('\(Store.legacySuppressionHash(probe: charlesProbe))', 0)")
            #expect(try await store.suppressedHashes([charlesProbe]) == [charlesProbe])
            #expect(try await importing(store, [charles]).suppressed == 1)
        }
    }

    @Test func anotherDataDirectoryHashesTheSameIdentifierDifferently() async throws {
        let probe = Store.suppressionProbe(kind: "email", value: "ada@example.com")
        let first = try await withTemporaryStore { store, _ in store.suppressionHash(probe: probe) }
        let second = try await withTemporaryStore { store, _ in store.suppressionHash(probe: probe) }
        #expect(first != second)
    }

    // MARK: item 11

    @Test func theDataDirectoryAndDatabaseFilesAreTheOwnersAlone() async throws {
        try await withTemporaryStore { store, dir in
            try await store.syncSources([forum], now: t0)
            #expect(DataFiles.mode(of: dir) == 0o700)
            for name in ["outcry.sqlite", "outcry.sqlite-wal", "outcry.sqlite-shm", "outcry.sqlite.open-lock", "suppression.key"] {
                let path = (dir as NSString).appendingPathComponent(name)
                #expect(DataFiles.mode(of: path) == 0o600, "\(name) is \(String(DataFiles.mode(of: path) ?? 0, radix: 8))")
            }
        }
    }

    @Test func openingTightensADirectoryAndFilesMadeByAnOlderVersion() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-modes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try await Store.open(directory: dir)
        try await store.syncSources([forum], now: t0)
        try await store.close()
        chmod(dir, 0o755)
        for name in ["outcry.sqlite", "outcry.sqlite-wal", "outcry.sqlite-shm", "outcry.sqlite.open-lock"] {
            chmod((dir as NSString).appendingPathComponent(name), 0o644)
        }
        #expect(DataFiles.mode(of: (dir as NSString).appendingPathComponent("outcry.sqlite")) == 0o644)
        let reopened = try await Store.open(directory: dir)
        #expect(DataFiles.mode(of: dir) == 0o700)
        for name in ["outcry.sqlite", "outcry.sqlite-wal", "outcry.sqlite-shm", "outcry.sqlite.open-lock"] {
            // (SQLite may have removed the WAL and shared-memory files on close: new ones take the database's mode.)
            let path = (dir as NSString).appendingPathComponent(name)
            #expect(DataFiles.mode(of: path) == 0o600 || (name.hasSuffix("-wal") || name.hasSuffix("-shm")) && DataFiles.mode(of: path) == nil, "\(name)")
        }
        try await reopened.close()
    }

    // MARK: item 12

    @Test(arguments: Backend.allCases) func errorsAreStoredWithSecretsMasked(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let secretFeed = SourceConfig(name: "private", url: "https://feeds.example.org/rss?token=s3cr3t-feed-token&page=2", kind: .feed, interval: 600)
            try await store.syncSources([secretFeed], now: t0)
            try await store.recordPollFailure("private", error: "HTTP 503 from https://feeds.example.org/rss?token=s3cr3t-feed-token&page=2",
                                              nextPollAt: t0 + 60, downAfter: 0, now: t0)
            let state = try #require(try await store.pollStates().first { $0.sourceName == "private" })
            #expect(state.lastError == "HTTP 503 from https://feeds.example.org/rss?token=***&page=2")
            let events = try await store.sourceEvents()
            #expect(events.first?.detail == "HTTP 503 from https://feeds.example.org/rss?token=***&page=2")
            // A source going down is an event (and a log line), not a notification in the outbox.
            #expect(try await store.outbox(limit: 10).isEmpty)
            try await store.enqueue([NewOutboxRow(threadID: nil, kind: "test", receiver: "slack", idempotencyKey: "k", payload: "{}", notBefore: t0)], now: t0)
            let notice = try #require(try await store.outbox(limit: 10).first)
            try await store.markFailed(notice.id, error: "HTTP 404 from https://hooks.slack.com/services/T000/B000/XXXXSECRET", retryAt: nil)
            #expect(try await store.outboxMessage(id: notice.id).lastError == "HTTP 404 from https://hooks.slack.com/services/***")
        }
    }

    // MARK: item 20

    @Test(arguments: Backend.allCases) func aThreadReopenedAfterAnAlertIsANewEpisode(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [item("x", severity: .p1)], success: success(), alertOnBacklog: true, now: t0)
            let thread = try #require(try await store.openThreads().first?.id)
            #expect(try await store.threadReopened(thread, after: t0) == nil)
            try await store.writeForTest("UPDATE threads SET status = 'resolved' WHERE id = \(thread)")
            var reply = item("x2", severity: .p2, inReplyTo: "x")
            reply.mention.publishedAt = t0 + 7200
            reply.mention.fetchedAt = t0 + 7200
            _ = try await store.commitPoll(source: "forum", mentions: [reply], success: success(t0 + 7200), now: t0 + 7200)
            #expect(try await store.thread(id: thread).status == .new)
            #expect(try await store.threadReopened(thread, after: t0) != nil)
            #expect(try await store.threadReopened(thread, after: t0 + 7200) == nil)
        }
    }
}

@Suite struct PayloadScrubberTests {
    @Test func onlyTheAlertsOfErasedThreadsLoseTheirWordsAndEverythingElseSurvives() throws {
        let payload = #"{"alert":{"threadID":"7","title":"Jane Doe","excerpt":"on chemo","reasons":[{"rule":"r","evidence":"on chemo","weight":1.5}],"contact":{"name":"Jane Doe","url":"u","confidence":0.9,"basis":"phone +44"},"firedAt":816000000.25},"grouping":{"groupWait":30,"flag":true},"repeatOf":[{"threadID":"8","title":"ask jane doe"}],"repeatNumber":2}"#
        let scrubbed = PayloadScrubber.scrub(payload, threads: [7], scrubber: IdentifierScrubber(literals: ["Jane Doe"], marker: "[erased]"), marker: "[erased]")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(scrubbed.utf8)) as? [String: Any])
        let alert = try #require(object["alert"] as? [String: Any])
        #expect(alert["title"] as? String == "[erased]" && alert["excerpt"] as? String == "[erased]")
        #expect((alert["reasons"] as? [[String: Any]])?.first?["evidence"] as? String == "")
        #expect((alert["reasons"] as? [[String: Any]])?.first?["weight"] as? Double == 1.5)
        #expect((alert["contact"] as? [String: Any])?["basis"] as? String == "[erased]")
        #expect(alert["firedAt"] as? Double == 816000000.25)
        #expect((object["grouping"] as? [String: Any])?["flag"] as? Bool == true)
        #expect((object["repeatOf"] as? [[String: Any]])?.first?["title"] as? String == "ask [erased]")
        #expect(object["repeatNumber"] as? Int == 2)
    }

    @Test func identifiersAreReplacedAsWholeWordsInAnyCase() {
        let s = IdentifierScrubber(literals: ["ada", "Ada Lovelace", "+442079460958"], marker: "[erased]")
        #expect(s.scrub("ADA LOVELACE from Canada, @Ada, call +442079460958.") == "[erased] from Canada, @[erased], call [erased].")
    }
}

extension Store {
    /// Test help: one statement in its own transaction (every write needs one).
    fileprivate func writeForTest(_ statement: String) async throws {
        try await transaction { try await exec(statement) }
    }

    fileprivate func recordEventForTest(kind: String, detail: String, at: Date) async throws {
        try await transaction { try await recordEvent(kind: kind, detail: detail, at: at) }
    }
}
