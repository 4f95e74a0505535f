import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OutcryApp
import OutcryModel
import Testing
@testable import OutcryWeb

/// ``QueuePageCache``: an entry serves its page only with the same stamp, in the same
/// generation (no write since), within its lifetime and before its threads' first deadline.
@Suite struct QueuePageCacheTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func overview(_ id: Int64, due: ThreadOverview.Due = .none) -> ThreadOverview {
        let thread = MentionThread(id: ThreadID(id), key: "k\(id)", severity: .p3, title: "t\(id)", sourceName: "social", channel: .social, openedAt: t0, lastMentionAt: t0)
        return ThreadOverview(thread: thread, assigneeName: nil, assigneeKind: nil, due: due, url: nil, clocks: [], policyName: nil)
    }

    @Test func anEntryServesItsPageWithTheSameStampForAMoment() {
        let cache = QueuePageCache()
        #expect(cache.lookup("", stamp: "1-1-1", now: t0) == nil)
        cache.store("", stamp: "1-1-1", generation: cache.generation, now: t0, [overview(1), overview(2)])
        #expect(cache.lookup("", stamp: "1-1-1", now: t0 + 0.5)?.map(\.thread.id) == [1, 2])
        // Another page, another stamp (a new thread, mention or event), a moment later: read again.
        #expect(cache.lookup("?offset=50", stamp: "1-1-1", now: t0 + 0.5) == nil)
        #expect(cache.lookup("", stamp: "1-2-1", now: t0 + 0.5) == nil)
        #expect(cache.lookup("", stamp: "1-1-1", now: t0 + QueuePageCache.lifetime) == nil)
        // A clock set back does not make an old entry new.
        #expect(cache.lookup("", stamp: "1-1-1", now: t0 - 5) == nil)
    }

    @Test func aWriteForgetsEveryPageAndAReadBeganBeforeItIsNotKept() {
        let cache = QueuePageCache()
        let before = cache.generation
        cache.store("", stamp: "s", generation: before, now: t0, [overview(1)])
        cache.invalidate()
        #expect(cache.lookup("", stamp: "s", now: t0) == nil)
        // A read that began before the write finishes after it: its threads may predate the write.
        cache.store("", stamp: "s", generation: before, now: t0, [overview(1)])
        #expect(cache.lookup("", stamp: "s", now: t0) == nil)
        cache.store("", stamp: "s", generation: cache.generation, now: t0, [overview(1)])
        #expect(cache.lookup("", stamp: "s", now: t0)?.count == 1)
    }

    @Test func anEntryEndsAtItsThreadsFirstDeadline() {
        let cache = QueuePageCache()
        cache.store("", stamp: "s", generation: cache.generation, now: t0,
                    [overview(1, due: .at(t0 + 0.3, clock: "acknowledge")), overview(2, due: .at(t0 + 0.8, clock: "acknowledge"))])
        #expect(cache.lookup("", stamp: "s", now: t0 + 0.2) != nil)
        #expect(cache.lookup("", stamp: "s", now: t0 + 0.3) == nil)
    }

    /// The server forgets its kept pages once a POST (a form, an API action) has been answered; a GET does not.
    @Test func aPostForgetsTheKeptPages() async throws {
        let cache = QueuePageCache()
        cache.store("", stamp: "s", generation: cache.generation, now: t0, [overview(1)])
        let router = Router()
        router.add(middleware: WriteInvalidatesMiddleware { cache.invalidate() })
        router.get("/") { _, _ in "queue" }
        router.post("/act") { _, _ in "done" }
        try await Application(router: router).test(.router) { client in
            let read = try await client.execute(uri: "/", method: .get)
            #expect(read.status == .ok && cache.count == 1)
            let act = try await client.execute(uri: "/act", method: .post)
            #expect(act.status == .ok)
            #expect(cache.count == 0 && cache.lookup("", stamp: "s", now: t0) == nil)
        }
    }

    @Test func theCacheKeepsAtMostItsCapacity() {
        let cache = QueuePageCache()
        for i in 0..<(QueuePageCache.capacity + 10) {
            cache.store("?offset=\(i)", stamp: "s", generation: cache.generation, now: t0 + Double(i) * 0.001, [overview(Int64(i))])
        }
        #expect(cache.count <= QueuePageCache.capacity)
        // The newest stays.
        #expect(cache.lookup("?offset=\(QueuePageCache.capacity + 9)", stamp: "s", now: t0 + 0.2) != nil)
    }
}

/// The queue rows' "why" drops the severity prefix ("P2: ") exactly as the first version did
/// (the first colon within four characters of a summary starting with P; blanks trimmed).
@Suite struct QueueWhyTests {
    static func reference(_ summary: String) -> String {
        if let colon = summary.firstIndex(of: ":"), summary[..<colon].count <= 4, summary.hasPrefix("P") {
            return summary[summary.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return summary
    }

    @Test func theSeverityPrefixGoesAsBefore() {
        let samples = [
            "P2: refund never came", "P1:legal threat  ", "P3 : spaced", "P10: long prefix", "Price: not a prefix",
            "P: empty severity", "P2:", "P2:   ", "P2: \u{3000}ideographic space\u{3000}", "P2:\tTabbed\t", "P2: line\nbreak\n",
            "Pé: accented", "Pééé: four", "Péééé: five", "no colon at all", "", "P", "p2: lower case", "P2: 🚨 emoji", "P2:\u{00A0}nbsp",
            "P1: a: b: c", "Plain summary: with a colon later",
        ]
        for s in samples { #expect(DashboardRoutes.why(s) == Self.reference(s), "\(s.debugDescription)") }
    }
}
