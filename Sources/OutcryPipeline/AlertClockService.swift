import Foundation
import Logging
import OutcryAlerting
import OutcryModel
import OutcryStore
import ServiceLifecycle

/// Keeps the SLA clocks and escalation chains: wakes at the earliest stored `next_wake_up` (and
/// at least every `pollEvery`, to pick up new threads), evaluates the threads that are due, and
/// stores their notices and next wake-up in one transaction each. Everything lives in the
/// store, so a restart picks up exactly where the last pass left off.
///
/// ```swift
/// let clocks = AlertClockService(store: store, settings: settings, clock: ManualWallClock(t0))
/// try await clocks.tick()      // one pass, for tests and `poll --once`
/// ```
public struct AlertClockService: Service {
    let store: Store
    let settings: AlertSettings
    let clock: any WallClock
    let logger: Logger
    let pollEvery: TimeInterval

    public init(store: Store, settings: AlertSettings, clock: any WallClock = SystemWallClock(),
                logger: Logger = Logger(label: "outcry.clocks"), pollEvery: TimeInterval = 1) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.pollEvery = pollEvery
    }

    /// Evaluates every thread that is due (or new to the clocks); returns how many notices were written.
    @discardableResult
    public func tick() async throws -> Int {
        let now = clock.now()
        PipelineMetrics.clockLag(try await store.earliestWakeUp().map { now.timeIntervalSince($0) } ?? 0)
        var ids = try await store.threadsWithoutClocks()
        ids += try await store.threadsDueForClocks(now: now).filter { !ids.contains($0) }
        var written = 0
        for id in ids {
            do {
                written += try await evaluate(id, now: now)
            } catch {
                logger.error("clocks of thread \(id): \(error)")
            }
        }
        return written
    }

    func evaluate(_ threadID: ThreadID, now: Date) async throws -> Int {
        let facts = try await store.threadAlertFacts(threadID)
        let life = AlertHistory.lifecycle(facts: facts, stored: try await store.threadEvents(threadID))
        let crisisBrands = facts.thread.brand == nil ? [] : try await store.declaredCrisisBrands()
        let pass = try AlertClockEvaluator(settings: settings).evaluate(
            facts: facts, life: life, sent: try await store.sentNoticeKeys(threadID), crisisBrands: crisisBrands, now: now)
        try await store.recordClockPass(threadID: threadID, noticeKeys: pass.noticeKeys, outbox: pass.outbox, nextWakeUp: pass.nextWakeUp, now: now)
        for key in pass.noticeKeys { logger.notice("thread \(threadID): \(key) fired") }
        return pass.noticeKeys.count
    }

    public func run() async throws {
        await ServiceLoop.run("clock pass", logger: logger, failureWait: pollEvery) {
            try await tick()
            guard let next = try await store.earliestWakeUp() else { return pollEvery }
            return min(pollEvery, next.timeIntervalSince(clock.now()))
        }
    }
}
