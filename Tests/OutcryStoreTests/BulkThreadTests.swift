import Foundation
import OutcryModel
import SQLKit
import Testing
@testable import OutcryStore

/// A commit's thread plan places every mention exactly where placing each one by one
/// (``Store/placeInThread``) puts it: the same sequence of polls, on two stores, one placing by
/// plan and one mention at a time.
@Suite struct BulkThreadTests {
    /// Authors that meet each other's rules: handles, a name alone, a name shared with a handle's
    /// owner, an empty handle (which never joins by name), none at all.
    static let authors: [(handle: String?, name: String?)] = [
        ("@ann", "Ann"), ("@bob", "Bob"), (nil, "Ann"), (nil, "Cy"), ("", "Dee"), (nil, nil), ("@eve", nil), ("@ann", "Annie"),
    ]

    static func commit(_ random: inout SplitMix64, number: Int, source: String, earlier: [String]) -> [ScoredMention] {
        let keys = (0..<30).map { "\(source)-\(number)-\($0)" }
        return keys.enumerated().map { index, key in
            let author = random.pick(authors)
            let severity: Severity = random.pick([Severity.p1, .p2, .p3, .p4, .none])
            var parent: String?
            switch random.below(6) {
            case 0 where !earlier.isEmpty: parent = random.pick(earlier)
            case 1: parent = random.pick(keys)  // in this commit, before or after
            default: parent = nil
            }
            let published = t0 + Double(number) * 10 * 3600 + Double(random.below(20 * 3600))
            let mention = Mention(
                sourceName: source, channel: random.below(4) == 0 ? .social : .feed, key: key, title: "t-\(key)",
                text: "text \(key)", authorName: author.name, authorHandle: author.handle, publishedAt: published,
                fetchedAt: published, inReplyTo: parent == key ? nil : parent, brand: random.pick([nil, "A", "B"])
            )
            return ScoredMention(mention: mention, score: Score(
                sentiment: Sentiment(compound: -0.5, label: .negative),
                complaint: ComplaintIntent(isComplaint: severity != .none, score: severity == .none ? 0 : 0.9),
                urgency: [], severity: severity, reasons: [Reason(rule: "lexicon", evidence: "late", weight: -0.5)]
            ))
        }
    }

    /// Everything placement decides, keyed by what both stores share (mention and thread keys, not ids).
    static func snapshot(_ store: Store) async throws -> [String] {
        let mentions = try await store.sql.raw("""
            SELECT m.key AS key, t.key AS thread FROM mentions m LEFT JOIN threads t ON t.id = m.thread_id ORDER BY m.key
            """).all().map { "\(try $0.decode(column: "key", as: String.self)) → \(try $0.decode(column: "thread", as: String?.self) ?? "-")" }
        let threads = try await store.sql.raw("""
            SELECT COALESCE(CAST(key AS TEXT), '-') || '|' || COALESCE(CAST(status AS TEXT), '-') || '|' || COALESCE(CAST(severity AS TEXT), '-') || '|' || COALESCE(CAST(mention_count AS TEXT), '-') || '|' || COALESCE(CAST(last_mention_at AS TEXT), '-') || '|' || COALESCE(CAST(opened_at AS TEXT), '-') || '|' || COALESCE(CAST(brand AS TEXT), '-') || '|' || COALESCE(CAST(channel AS TEXT), '-') || '|' || COALESCE(CAST(author_name AS TEXT), '-') || '|' || COALESCE(CAST(author_handle AS TEXT), '-') || '|' || COALESCE(CAST(segment AS TEXT), '-') || '|' ||
            (SELECT COUNT(*) FROM events e WHERE e.thread_id = threads.id) || '|' ||
            (SELECT COUNT(*) FROM thread_events e WHERE e.thread_id = threads.id) || '|' ||
            (SELECT COUNT(*) FROM outbox o WHERE o.thread_id = threads.id) AS line
            FROM threads ORDER BY key
            """).all().map { try $0.decode(column: "line", as: String.self) }
        return mentions + threads
    }

    @Test(arguments: Backend.allCases, [1, 2, 3, 4])
    func thePlanPlacesEveryMentionAsOneByOneWould(_ backend: Backend, seed: UInt64) async throws {
        try await withTemporaryStore(backend) { bulk, _ in
            try await withTemporaryStore(backend) { single, _ in
                await single.setPlacesByPlan(false)
                let sources = ["forum", "social"].map { SourceConfig(name: $0, url: "https://example.org/\($0)", kind: .feed, interval: 600) }
                for store in [bulk, single] { try await store.syncSources(sources) }
                var random = SplitMix64(state: seed)
                var earlier: [String] = []
                var opened = [0, 0]
                for number in 0..<6 {
                    for source in ["forum", "social"] {
                        let batch = Self.commit(&random, number: number, source: source, earlier: earlier)
                        let now = t0 + Double(number + 1) * 10 * 3600
                        let a = try await bulk.commitPoll(source: source, mentions: batch, success: success(now), routing: OneReceiverRouting(), now: now)
                        let b = try await single.commitPoll(source: source, mentions: batch, success: success(now), routing: OneReceiverRouting(), now: now)
                        #expect(a.inserted == b.inserted && a.threadsOpened.count == b.threadsOpened.count
                                && a.threadsJoined.count == b.threadsJoined.count && a.alertsQueued == b.alertsQueued,
                                "seed \(seed), commit \(number) \(source): \(a) vs \(b)")
                        opened[0] += a.threadsOpened.count
                        opened[1] += a.threadsJoined.count
                        earlier += batch.map(\.mention.key)
                    }
                    // People resolve some threads between polls: customers writing again reopen them.
                    for store in [bulk, single] {
                        try await store.transaction { try await store.exec("UPDATE threads SET status = 'resolved' WHERE key LIKE '%1'") }
                    }
                }
                #expect(opened[0] > 50 && opened[1] > 30, "the sequence exercises both opening and joining: \(opened)")
                #expect(await bulk.threadsOpenedByPlan == opened[0], "every thread opened by the plan")
                #expect(await single.threadsOpenedByPlan == 0)
                let (a, b) = (try await Self.snapshot(bulk), try await Self.snapshot(single))
                #expect(a.count == b.count)
                for (x, y) in zip(a, b) where x != y {
                    Issue.record("seed \(seed): bulk \(x) ≠ one by one \(y)")
                    break
                }
            }
        }
    }

    // MARK: Mail

    static let senders = ["ann@example.org", "bob@example.org", "cy@example.org"]
    static let subjects = ["refund", "broken lid", ""]

    /// A mail batch: customer mails (actionable or not) naming earlier mails (stored or in this
    /// batch, customers' or responses') by In-Reply-To or References, or none (the subject
    /// fallback), team responses to them, and automatic mail.
    static func mailBatch(_ random: inout SplitMix64, number: Int, earlier: inout [String]) -> [MailItem] {
        (0..<24).map { index in
            let key = "<m-\(number)-\(index)@mail.example>"
            let sender = random.pick(senders), subject = random.pick(subjects)
            let role: MailRole = random.pick([MailRole.customer, .customer, .customer, .response, .autoReply])
            var parent: String?, references: [String] = []
            switch random.below(4) {
            case 0 where !earlier.isEmpty: parent = random.pick(earlier)
            case 1 where !earlier.isEmpty: references = [random.pick(earlier), "<unknown-\(index)@x>"]
            default: break
            }
            let severity: Severity = random.below(5) == 0 ? .none : random.pick([Severity.p1, .p2, .p3, .p4])
            let sent = t0 + Double(number) * 5 * 86400 + Double(random.below(4 * 86400))
            let mention = Mention(
                sourceName: "inbox", channel: .mail, key: key, title: subject.isEmpty ? nil : "Re: \(subject)", text: "mail \(key)",
                authorName: role == .response ? "Team" : sender, authorEmail: role == .response ? "team@shop.example" : sender,
                publishedAt: sent, fetchedAt: sent, inReplyTo: parent, references: references)
            earlier.append(key)
            return MailItem(
                scored: ScoredMention(mention: mention, score: Score(
                    sentiment: Sentiment(compound: -0.5, label: .negative),
                    complaint: ComplaintIntent(isComplaint: severity != .none, score: severity == .none ? 0 : 0.9),
                    urgency: [], severity: severity, reasons: [])),
                role: role, roleReason: role == .customer && random.below(8) == 0 ? "claims an own address" : nil, folder: "INBOX",
                messageRef: "\(number)-\(index)", correspondents: [sender], subjectKey: subject)
        }
    }

    /// What a mail commit leaves beyond the placement snapshot: each thread's events and thread
    /// events with their kinds, actors and times, each mail's role and thread.
    static func mailSnapshot(_ store: Store) async throws -> [String] {
        let events = try await store.sql.raw("""
            SELECT t.key || '|' || e.kind || '|' || COALESCE(e.actor, '-') || '|' || CAST(e.at AS TEXT) || '|' || COALESCE(e.detail, '-') AS line
            FROM events e JOIN threads t ON t.id = e.thread_id ORDER BY line
            """).all().map { try $0.decode(column: "line", as: String.self) }
        let threadEvents = try await store.sql.raw("""
            SELECT t.key || '|' || e.kind || '|' || COALESCE(e.from_status, '-') || '|' || COALESCE(e.to_status, '-') || '|' || CAST(e.at AS TEXT) AS line
            FROM thread_events e JOIN threads t ON t.id = e.thread_id ORDER BY line
            """).all().map { try $0.decode(column: "line", as: String.self) }
        let mails = try await store.sql.raw("""
            SELECT mm.message_key || '|' || mm.kind || '|' || COALESCE(t.key, '-') || '|' || CAST(m.backlog AS TEXT) AS line
            FROM mail_messages mm JOIN mentions m ON m.id = mm.mention_id LEFT JOIN threads t ON t.id = m.thread_id ORDER BY line
            """).all().map { try $0.decode(column: "line", as: String.self) }
        return events + threadEvents + mails
    }

    @Test(arguments: Backend.allCases, [1, 2, 3, 4])
    func thePlanPlacesMailAsOneByOneWould(_ backend: Backend, seed: UInt64) async throws {
        try await withTemporaryStore(backend) { bulk, _ in
            try await withTemporaryStore(backend) { single, _ in
                await single.setPlacesByPlan(false)
                let sources = [SourceConfig(name: "inbox", url: "imaps://mail.example.org/INBOX", kind: .imap, interval: 600)]
                for store in [bulk, single] { try await store.syncSources(sources) }
                var random = SplitMix64(state: seed)
                var earlier: [String] = []
                var seen = (opened: 0, joined: 0, responded: 0, reopened: 0)
                for number in 0..<6 {
                    let batch = Self.mailBatch(&random, number: number, earlier: &earlier)
                    let now = t0 + Double(number + 1) * 5 * 86400
                    let commit = MailCommit(items: batch, success: success(now))
                    let a = try await bulk.commitMailPoll(source: "inbox", commit, routing: OneReceiverRouting(), now: now)
                    let b = try await single.commitMailPoll(source: "inbox", commit, routing: OneReceiverRouting(), now: now)
                    #expect(a == b, "seed \(seed), batch \(number): \(a) vs \(b)")
                    seen.opened += a.ingest.threadsOpened.count
                    seen.joined += a.ingest.threadsJoined.count
                    seen.responded += a.threadsResponded.count
                    // The team resolves some threads between passes: customers writing again reopen them.
                    for store in [bulk, single] {
                        try await store.transaction { try await store.exec("UPDATE threads SET status = 'resolved' WHERE id % 3 = 0") }
                    }
                }
                seen.reopened = try await bulk.sql.raw("SELECT COUNT(*) AS n FROM events WHERE kind = 'thread.reopened'").first()!
                    .decode(column: "n", as: Int.self)
                #expect(seen.opened > 10 && seen.joined > 10 && seen.responded > 5 && seen.reopened > 0,
                        "the sequence exercises opening, joining, responses and reopening: \(seen)")
                #expect(await single.threadsOpenedByPlan == 0)
                let (a, b) = (try await Self.snapshot(bulk) + Self.mailSnapshot(bulk), try await Self.snapshot(single) + Self.mailSnapshot(single))
                #expect(a.count == b.count)
                for (x, y) in zip(a, b) where x != y {
                    Issue.record("seed \(seed): bulk \(x) ≠ one by one \(y)")
                    break
                }
            }
        }
    }
}
