import Foundation
import OutcryModel
import Testing
@testable import OutcryStore

/// Sources on two hosts, all due at `t0`.
private func sources(_ count: Int, hosts: [String] = ["a.example", "b.example"]) -> [SourceConfig] {
    (0..<count).map { SourceConfig(name: String(format: "s%03d", $0), url: "https://\(hosts[$0 % hosts.count])/feed/\($0)", kind: .feed, interval: 60) }
}

@Suite struct LeaseStoreTests {
    /// Two workers (two stores on one database, as two processes would have) claiming in turn
    /// get disjoint sets that together are every due source. (Claims racing at the same moment
    /// are the next test on PostgreSQL and `WorkerKillTests`' three processes on SQLite: two
    /// SQLite stores in one process share sqlite-nio's threads, and one waiting for the write
    /// lock can hold the thread the other needs to commit.)
    @Test(arguments: Backend.allCases) func claimsInTurnNeverShareASource(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { first, dir in
            try await first.syncSources(sources(200), now: t0)
            let second = try await reopen(first, dir: dir)
            var one: [String] = [], two: [String] = []
            for _ in 0..<4 {
                one += try await first.claimDueSources(owner: "w1", limit: 30, perHost: 1000, leaseFor: 60, now: t0)
                two += try await second.claimDueSources(owner: "w2", limit: 30, perHost: 1000, leaseFor: 60, now: t0)
            }
            try await second.close()
            #expect(Set(one).isDisjoint(with: two))
            #expect(one.count + two.count == 200)
            #expect(Set(one + two) == Set(sources(200).map(\.name)))
            #expect(try await first.claimDueSources(owner: "w3", limit: 10, perHost: 1000, leaseFor: 60, now: t0).isEmpty)
        }
    }

    /// Two PostgreSQL workers claiming at the same moment get disjoint sets that together are
    /// every due source.
    @Test func concurrentClaimsNeverShareASourceOnPostgres() async throws {
        try await withTemporaryStore(.postgres) { first, dir in
            try await first.syncSources(sources(200), now: t0)
            let second = try await reopen(first, dir: dir)
            async let a = first.claimDueSources(owner: "w1", limit: 150, perHost: 1000, leaseFor: 60, now: t0)
            async let b = second.claimDueSources(owner: "w2", limit: 150, perHost: 1000, leaseFor: 60, now: t0)
            let (one, two) = try await (a, b)
            try await second.close()
            #expect(Set(one).isDisjoint(with: two))
            #expect(one.count + two.count == 200)
            #expect(Set(one + two) == Set(sources(200).map(\.name)))
            // Nothing is left for a third.
            #expect(try await first.claimDueSources(owner: "w3", limit: 10, perHost: 1000, leaseFor: 60, now: t0).isEmpty)
        }
    }

    /// A host never has more than `perHost` polls in flight across workers; a release frees its slots.
    @Test(arguments: Backend.allCases) func thePerHostLimitHoldsAcrossWorkers(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources(sources(20), now: t0)
            let one = try await store.claimDueSources(owner: "w1", limit: 10, perHost: 2, leaseFor: 60, now: t0)
            #expect(one.count == 4, "two per host on two hosts: \(one)")
            #expect(try await store.claimDueSources(owner: "w2", limit: 10, perHost: 2, leaseFor: 60, now: t0).isEmpty)
            // w1 finishes two (one per host) and claims again in the same step: two more, not four.
            let finished = [one[0], one[1]]
            let again = try await store.claimDueSources(owner: "w1", limit: 10, perHost: 2, leaseFor: 60, release: finished, now: t0)
            #expect(again.count == 2)
            // A finished poll moved its source's next poll; here they are still due, so they may come back.
            let leased = try await store.sourceLeases(now: t0)
            #expect(leased.count == 4 && leased.allSatisfy { $0.owner == "w1" })
        }
    }

    /// A worker that dies leaves its leases to expire; another takes its sources over then, and
    /// not before. The dead worker's late release does not end the new holder's lease.
    @Test(arguments: Backend.allCases) func anExpiredLeaseIsTakenOver(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources(sources(6), now: t0)
            let dead = try await store.claimDueSources(owner: "dead", limit: 10, perHost: 10, leaseFor: 30, now: t0)
            #expect(dead.count == 6)
            #expect(try await store.claimDueSources(owner: "w2", limit: 10, perHost: 10, leaseFor: 30, now: t0 + 29).isEmpty)
            let taken = try await store.claimDueSources(owner: "w2", limit: 10, perHost: 10, leaseFor: 30, now: t0 + 31)
            #expect(Set(taken) == Set(dead))
            try await store.releaseSources(dead, owner: "dead")
            #expect(try await store.sourceLeases(now: t0 + 32).allSatisfy { $0.owner == "w2" })
            #expect(try await store.sourceLeases(now: t0 + 32).count == 6)
        }
    }

    /// The heartbeat extends only the worker's own leases that have not expired.
    @Test(arguments: Backend.allCases) func theHeartbeatRenewsOnlyLiveOwnLeases(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources(sources(4), now: t0)
            _ = try await store.claimDueSources(owner: "w1", limit: 2, perHost: 10, leaseFor: 30, now: t0)
            _ = try await store.claimDueSources(owner: "w2", limit: 2, perHost: 10, leaseFor: 30, now: t0)
            #expect(try await store.renewSourceLeases(owner: "w1", until: t0 + 100, now: t0 + 10) == 2)
            #expect(try await store.renewSourceLeases(owner: "w2", until: t0 + 100, now: t0 + 40) == 0, "w2's leases had expired")
            let live = try await store.sourceLeases(now: t0 + 50)
            #expect(live.count == 2 && live.allSatisfy { $0.owner == "w1" })
        }
    }

    /// Disabled sources and sources not yet due are not claimed; a source polled (next poll in
    /// the future) and released is claimed again only when due.
    @Test(arguments: Backend.allCases) func onlyDueEnabledSourcesAreClaimed(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources(sources(3), now: t0)
            try await store.syncSources(Array(sources(3).prefix(2)), now: t0)  // s002 removed: disabled
            let claimed = try await store.claimDueSources(owner: "w1", limit: 10, perHost: 10, leaseFor: 30, now: t0)
            #expect(claimed == ["s000", "s001"])
            _ = try await store.recordPollFailure("s000", error: "HTTP 500", nextPollAt: t0 + 120, downAfter: 3600, now: t0)
            let next = try await store.claimDueSources(owner: "w1", limit: 10, perHost: 10, leaseFor: 30, release: claimed, now: t0 + 1)
            #expect(next == ["s001"], "s000 is not due until t0+120")
        }
    }

    /// One holder at a time for a named lease: renewals keep the term, a hand-over after expiry
    /// counts one more, and a release hands it over at once.
    @Test(arguments: Backend.allCases) func aNamedLeaseHasOneHolder(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            #expect(try await store.acquireLease("dispatcher", owner: "w1", ttl: 30, now: t0) == 1)
            #expect(try await store.acquireLease("dispatcher", owner: "w2", ttl: 30, now: t0 + 5) == nil)
            #expect(try await store.acquireLease("dispatcher", owner: "w1", ttl: 30, now: t0 + 20) == 1, "renewed")
            #expect(try await store.acquireLease("dispatcher", owner: "w2", ttl: 30, now: t0 + 45) == nil, "renewed until t0+50")
            #expect(try await store.acquireLease("dispatcher", owner: "w2", ttl: 30, now: t0 + 51) == 2, "w1 stopped renewing")
            #expect(try await store.acquireLease("dispatcher", owner: "w1", ttl: 30, now: t0 + 52) == nil)
            try await store.releaseLease("dispatcher", owner: "w1")  // not its lease: nothing happens
            #expect(try await store.leases().first?.owner == "w2")
            try await store.releaseLease("dispatcher", owner: "w2")
            #expect(try await store.acquireLease("dispatcher", owner: "w1", ttl: 30, now: t0 + 53) == 1, "a new lease starts again")
            #expect(try await store.acquireLease("clocks", owner: "w2", ttl: 30, now: t0 + 53) == 1, "leases are independent")
        }
    }

    /// Two PostgreSQL workers racing for a free lease: exactly one wins (on SQLite, the three
    /// processes of `WorkerKillTests` race for theirs).
    @Test func racingForALeaseElectsOneOnPostgres() async throws {
        try await withTemporaryStore(.postgres) { first, dir in
            let second = try await reopen(first, dir: dir)
            defer { Task { try? await second.close() } }
            for round in 0..<20 {
                let name = "singleton-\(round)"
                async let a = first.acquireLease(name, owner: "w1", ttl: 30, now: t0)
                async let b = second.acquireLease(name, owner: "w2", ttl: 30, now: t0)
                let (one, two) = try await (a, b)
                #expect((one == nil) != (two == nil), "round \(round): \(String(describing: one)) \(String(describing: two))")
            }
        }
    }

    /// A worker that stops cleanly leaves the list and its source leases end with it.
    @Test(arguments: Backend.allCases) func removingAWorkerEndsItsLeases(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources(sources(4), now: t0)
            try await store.heartbeat(WorkerRecord(id: "w1", roles: ["poller"], host: "h", pid: 1, startedAt: t0, heartbeatAt: t0))
            try await store.heartbeat(WorkerRecord(id: "w1", roles: ["poller"], host: "h", pid: 1, startedAt: t0, heartbeatAt: t0 + 10))
            #expect(try await store.workers().map(\.heartbeatAt) == [t0 + 10])
            _ = try await store.claimDueSources(owner: "w1", limit: 4, perHost: 10, leaseFor: 30, now: t0)
            try await store.removeWorker("w1")
            #expect(try await store.workers().isEmpty)
            #expect(try await store.sourceLeases(now: t0).isEmpty)
        }
    }
}
