import Foundation
import Logging
import Synchronization
import OutcryModel
@testable import OutcryPipeline
@testable import OutcryStore
import Testing

/// Polls that finish while a commit runs are committed together; a batch the store refuses is
/// committed a poll at a time, so only the poll at fault fails.
@Suite struct PollCommitQueueTests {
    struct Timeout: Error {
        var what: String
    }

    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func commit(_ source: String) -> PollCommit {
        let items = (0..<3).map { n in
            ScoredMention(
                mention: Mention(sourceName: source, channel: .social, key: "\(source)-\(n)", text: "Still waiting for my refund \(n)",
                                 authorHandle: "@\(source)\(n)", publishedAt: t0, fetchedAt: t0),
                score: Score(sentiment: Sentiment(compound: -0.6, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                             urgency: [], severity: .p3, reasons: []))
        }
        return PollCommit(source: source, mentions: items, success: PollSuccess(etag: "\"\(source)\"", lastModified: nil, nextPollAt: t0 + 600))
    }

    @Test func aRefusedPollInABatchFailsAloneAndTheOthersLand() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-commits-\(UUID().uuidString)").path
        let store = try await Store.open(directory: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try await store.syncSources(["a", "b", "d"].map { SourceConfig(name: $0, url: "https://example.org/\($0)", kind: .feed, interval: 600) })
            let queue = PollCommitQueue(store: store, router: AlertRouter(settings: nil, logger: Logger(label: "test")), alertOnBacklog: false,
                                        logger: Logger(label: "test"))
            // Another transaction holds the writer while the polls arrive: the first poll waits
            // alone, and the three that come meanwhile wait for the next transaction together.
            let released = Mutex(false)
            let holder = Task {
                try await store.transaction { while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) } }
            }
            func until(_ what: String, _ condition: () async -> Bool) async throws {
                let deadline = ContinuousClock.now + .seconds(30)
                while !(await condition()) {
                    guard ContinuousClock.now < deadline else { throw Timeout(what: what) }
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            try await until("the writer is held") { await store.hasTransactionRunning }
            let first = Task { try await queue.commit(Self.commit("a"), now: Self.t0) }
            try await until("the first poll's transaction waits") { await queue.batchSizes == [1] }
            let rest = ["b", "ghost", "d"].map { source in Task { try await queue.commit(Self.commit(source), now: Self.t0) } }
            try await until("the three others wait") { await queue.waitingCount == 3 }
            released.withLock { $0 = true }
            try await holder.value
            #expect(try await first.value.inserted == 3)
            #expect(try await rest[0].value.threadsOpened.count == 3)
            await #expect(throws: StoreError.self) { try await rest[1].value }
            #expect(try await rest[2].value.inserted == 3)
            #expect(await queue.batchSizes == [1, 3], "the three late polls were tried in one transaction")
            #expect(try await store.mentionCount() == 9)
            #expect(try await store.pollState("d").etag == "\"d\"")
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    /// A batch is one transaction: when any of its polls is refused, none of it is stored.
    @Test func aBatchLandsWholeOrNotAtAll() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-commits-\(UUID().uuidString)").path
        let store = try await Store.open(directory: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try await store.syncSources([SourceConfig(name: "a", url: "https://example.org/a", kind: .feed, interval: 600)])
            await #expect(throws: StoreError.self) {
                try await store.commitPolls([Self.commit("a"), Self.commit("ghost")], now: Self.t0)
            }
            #expect(try await store.mentionCount() == 0)
            #expect(try await store.openThreads().isEmpty)
            #expect(try await store.pollState("a").etag == nil)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
