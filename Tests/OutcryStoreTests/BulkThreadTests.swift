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
}
