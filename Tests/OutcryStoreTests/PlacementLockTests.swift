import Foundation
import OutcryModel
import Testing
@testable import OutcryStore

/// Two workers on one database: a person's change to a thread made while a poll's commit is
/// placing a reply into it is not undone by the plan's update (the facts are read locked).
@Suite struct PlacementLockTests {
    static func item(_ key: String, replyTo parent: String? = nil, at: Date) -> ScoredMention {
        ScoredMention(
            mention: Mention(sourceName: "forum", channel: .feed, key: key, title: "t-\(key)", text: "still broken \(key)",
                             authorName: "Ann", authorHandle: "@ann", publishedAt: at, fetchedAt: at, inReplyTo: parent),
            score: Score(sentiment: Sentiment(compound: -0.5, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                         urgency: [], severity: .p3, reasons: [Reason(rule: "lexicon", evidence: "broken", weight: -0.5)]))
    }

    @Test(arguments: Backend.allCases) func aResponseMadeWhileAReplyIsPlacedIsKept(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { poller, dir in
            try await poller.syncSources([SourceConfig(name: "forum", url: "https://example.org/forum", kind: .feed, interval: 600)])
            let first = try await poller.commitPoll(source: "forum", mentions: [Self.item("m1", at: t0)], success: success(t0), now: t0)
            let thread = try #require(first.threadsOpened.first)

            // A second worker (the dashboard's) marks the thread responded in a transaction that
            // is still open when the poller's commit reads the thread.
            let desk = try await reopen(poller, dir: dir)
            let (updated, signal) = AsyncStream<Void>.makeStream()
            let responding = Task {
                defer { signal.finish() }  // a failed update ends the wait below, not the run
                try await desk.transaction {
                    try await desk.exec("UPDATE threads SET status = 'responded' WHERE id = \(thread)")
                    signal.yield()
                    try await Task.sleep(for: .milliseconds(800))
                }
            }
            for await _ in updated { break }  // the response is written, not yet committed
            let later = t0 + 60
            let reply = try await poller.commitPoll(source: "forum", mentions: [Self.item("m2", replyTo: "m1", at: later)],
                                                    success: success(later), now: later)
            try await responding.value
            try await desk.close()

            #expect(reply.threadsJoined == [thread])
            // The customer wrote after the response: responded → acknowledged, with its event.
            let stored = try await poller.thread(id: thread)
            #expect(stored.status == .acknowledged, "the response was undone: \(stored.status)")
            let moves = try await poller.sql.raw("""
                SELECT from_status, to_status FROM thread_events WHERE thread_id = \(bind: thread) AND kind = 'customer_wrote'
                """).all().map { "\(try $0.decode(column: "from_status", as: String.self))→\(try $0.decode(column: "to_status", as: String.self))" }
            #expect(moves == ["responded→acknowledged"])
        }
    }
}
