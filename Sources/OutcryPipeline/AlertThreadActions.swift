import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// People's actions on threads (`outcry ack|assign|hold|respond|resolve|reopen`): checked by
/// `ThreadLifecycle.apply`, then stored with the new status, the clocks' next wake-up and any
/// notices in one transaction.
///
/// ```swift
/// let event = try await AlertThreadActions(store: store, settings: settings).perform(42, .acknowledge, by: "ana")
/// ```
public struct AlertThreadActions: Sendable {
    let store: Store
    let settings: AlertSettings?
    let clock: any WallClock

    public init(store: Store, settings: AlertSettings?, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.settings = settings
        self.clock = clock
    }

    /// Applies `command` and returns the stored event; throws `TransitionError` with the reason
    /// when the lifecycle does not allow it, `ThreadConflict` when someone else acted first.
    @discardableResult
    public func perform(_ threadID: ThreadID, _ command: ThreadCommand, by actor: String, note: String? = nil) async throws -> ThreadEvent {
        let facts = try await store.threadAlertFacts(threadID)
        var life = AlertHistory.lifecycle(facts: facts, stored: try await store.threadEvents(threadID))
        let before = facts.thread.status
        let now = max(clock.now(), life.events.last?.at ?? .distantPast)
        let event = try life.apply(command, by: actor, at: now, note: note)
        var outbox = OutboxWrites()
        var wake: Date?
        if let settings {
            let pass = try AlertClockEvaluator(settings: settings).evaluate(
                facts: facts, life: life, sent: try await store.sentNoticeKeys(threadID), now: now)
            // Notices are written by the clock service (which records their keys); here only the
            // wake-up — now, when something already fell due (a reopen restarts the escalation).
            wake = pass.noticeKeys.isEmpty ? pass.nextWakeUp : now
            if command == .reopen {
                let alert = AlertHistory.alert(facts: facts, kind: .newThread, id: "t\(threadID)/reopened/\(Int64(now.timeIntervalSince1970))",
                                               extraReasons: [Reason(rule: "reopened", evidence: "reopened by \(actor)", weight: 0)],
                                               settings: settings, now: now)
                let crisisBrands = alert.brand == nil ? [] : try await store.declaredCrisisBrands()
                outbox = try AlertRouter(settings: settings).route(alert, threadID: threadID, kind: "thread.reopened", idempotencyKey: alert.id,
                                                                   crisisBrands: crisisBrands, now: now)
            }
        }
        try await store.recordThreadAction(AlertHistory.stored(event, threadID: threadID), expectedStatus: before.rawValue,
                                           outbox: outbox, nextWakeUp: wake, now: now)
        return event
    }
}
