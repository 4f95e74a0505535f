import Foundation
import Logging
import OutcryAlerting
import OutcryModel
import OutcryStore
import ServiceLifecycle

/// Delivers the outbox: rows are already routed (one per receiver, by ``AlertRouter`` in the
/// transaction that raised the alert). They are grouped (`group_wait`, `group_interval`),
/// rendered for their receiver type, sent, and retried with the receiver's `RetryPolicy`
/// (exponential backoff, `Retry-After` honoured) until they are sent or dead-lettered.
/// A thread's messages to one receiver go out in order: a newer one waits for an older one.
///
/// ```swift
/// let dispatcher = AlertDispatcher(store: store, settings: settings, notifier: Notifier(client: client), clock: clock)
/// try await dispatcher.deliverDue()
/// ```
public struct AlertDispatcher: Service {
    let store: Store
    let settings: AlertSettings?
    let notifier: Notifier
    let clock: any WallClock
    let logger: Logger
    let pollEvery: TimeInterval

    public init(store: Store, settings: AlertSettings?, notifier: Notifier, clock: any WallClock = SystemWallClock(),
                logger: Logger = Logger(label: "outcry.alerts"), pollEvery: TimeInterval = 1) {
        self.store = store
        self.settings = settings
        self.notifier = notifier
        self.clock = clock
        self.logger = logger
        self.pollEvery = pollEvery
    }

    /// Delivers until nothing more is due now (grouping releases rows, an upgrade's unrouted
    /// rows are routed), at most `rounds` times; returns how many rows were handled. A cron
    /// pass calls this before it exits, so an alert raised in the pass also goes out in it.
    @discardableResult
    public func deliverAllDue(rounds: Int = 8) async throws -> Int {
        var total = 0
        for _ in 0..<rounds {
            let handled = try await deliverDue()
            total += handled
            if handled == 0 { break }
        }
        return total
    }

    /// One pass over what is due; returns how many rows were delivered (or routed, after an upgrade).
    @discardableResult
    public func deliverDue() async throws -> Int {
        var handled = Set<OutboxID>()
        var blocked = Set<String>()
        var count = 0
        for message in try await store.dueOutbox(now: clock.now()) where !handled.contains(message.id) {
            if message.receiver == Store.unroutedReceiver {
                // A row that cannot be routed now stays pending for the next pass; it never
                // holds up the rows behind it.
                do {
                    try await routeUnrouted(message)
                    count += 1
                } catch {
                    logger.error("routing outbox row \(message.id) failed, left pending: \(error)")
                }
                continue
            }
            let lane = "\(message.threadID ?? -1)|\(message.receiver)"
            if blocked.contains(lane) { continue }
            if let thread = message.threadID,
               let older = try await store.olderPendingAttempt(threadID: thread, receiver: message.receiver, beforeID: message.id) {
                try await store.postpone([message.id], until: max(older, clock.now()).addingTimeInterval(0.001))
                blocked.insert(lane)
                continue
            }
            let outcome = try await deliver(message)
            handled.formUnion(outcome.ids)
            if outcome.failed { blocked.insert(lane) }
            if outcome.sent { count += outcome.ids.count }
        }
        return count
    }

    // MARK: delivery

    /// How long a row being sent is hidden from other dispatchers (longer than any send's timeout).
    static let inFlightHold: TimeInterval = 120

    struct Outcome {
        var ids: [OutboxID]
        var sent = false
        var failed = false
    }

    /// The delivery chain for one due row (and the rest of its group): group wait → dedupe →
    /// repeat filter → order → render → send → record. The decisions are Alerting's pure
    /// stages (``GroupWaitStage``, ``DedupeStage``, ``RepeatFilterStage``, ``LeadOrderStage``,
    /// ``RetryPolicy``); this function reads what they need and writes what they decided.
    func deliver(_ message: OutboxMessage) async throws -> Outcome {
        let now = clock.now()
        guard let routed = try? CanonicalJSON.decode(RoutedAlert.self, message.payload) else {
            try await store.markFailed(message.id, error: "the payload cannot be read", retryAt: nil)
            return Outcome(ids: [message.id], failed: true)
        }
        guard let settings else {
            try await store.markFailed(message.id, error: "alerting is not configured", retryAt: nil)
            return Outcome(ids: [message.id], failed: true)
        }
        // The rows that go out together: the pending rows of this row's group for this receiver.
        let groupKey = try await store.outboxGroupKey(id: message.id)
        var group: AlertGroupState?
        if let groupKey, let stored = try await store.alertGroup(groupKey) {
            group = AlertGroupState(key: groupKey, firstAlertAt: stored.firstAlertAt, lastNotifiedAt: stored.lastNotifiedAt,
                                    notifiedAlertIDs: Set(stored.notifiedIDs))
        }
        var members = [(message, routed)]
        if let groupKey, routed.grouping != nil {
            var pending: [(OutboxMessage, RoutedAlert)] = []
            for m in try await store.pendingInGroup(groupKey, receiver: message.receiver, now: now) {
                if let r = try? CanonicalJSON.decode(RoutedAlert.self, m.payload) { pending.append((m, r)) }
            }
            if !pending.isEmpty { members = pending }
        }
        let ids = members.map(\.0.id)

        // 1. Group wait.
        if case .wait(let until) = GroupWaitStage.decide(group: group, groupKey: groupKey, alerts: members.map(\.1.alert),
                                                         grouping: routed.grouping, now: now) {
            try await store.postpone(ids, until: until)
            return Outcome(ids: ids)
        }
        // 2. Dedupe: each thread once.
        var alerts = DedupeStage.apply(members.map(\.1.alert))
        // 3. Repeat filter: a repeat only for the threads still unacknowledged.
        var notificationKey = groupKey ?? message.idempotencyKey
        if let repeated = routed.repeatOf {
            let candidates = DedupeStage.apply(repeated)
            var unacknowledged: Set<String> = []
            for a in candidates {
                if let id = ThreadID(a.threadID), (try? await store.thread(id: id).status) == .new { unacknowledged.insert(a.threadID) }
            }
            alerts = RepeatFilterStage.apply(candidates, stillUnacknowledged: unacknowledged)
            guard !alerts.isEmpty else {
                try await store.markSent([message.id], now: now)
                logger.info("repeat to \(message.receiver) not needed: every thread was acknowledged")
                return Outcome(ids: [message.id], sent: true)
            }
            notificationKey = "\(message.idempotencyKey)#\(routed.repeatNumber ?? 1)"
        }
        // 4. Order: the lead is the most severe alert not yet notified in the group.
        alerts = LeadOrderStage.apply(alerts, alreadyNotified: group?.notifiedAlertIDs ?? [])
        // 5. Render.
        let notification = settings.composer(for: message.receiver).compose(
            alerts: alerts, receiver: message.receiver, groupKey: notificationKey, routeReasons: routed.routeReasons, now: now)
        // 6. Send — the rows held first, committed, for longer than a send can take (webhooks
        // time out after 60 s, SMTP after 30 s): a dispatcher that takes over meanwhile (this
        // one's lease ran out while it was busy or starved of a thread: libcurl still sends on
        // its own) does not send them again; if this one dies before recording, they are due
        // again when the hold ends — delivered at least once, never twice by two live dispatchers.
        try await store.hold(ids, until: now.addingTimeInterval(Self.inFlightHold))
        let failure = await notifier.send(notification, receiver: message.receiver, config: settings.config.receivers[message.receiver], now: now)
        // 7. Record.
        guard let failure else {
            try await store.markSent(ids, now: clock.now())
            if let groupKey {
                let first = group?.firstAlertAt ?? now
                let notified = (group?.notifiedAlertIDs ?? []).union(members.map(\.1.alert.id))
                try await store.saveAlertGroup(groupKey, firstAlertAt: first, lastNotifiedAt: now, notifiedIDs: notified.sorted())
            }
            logger.info("sent \(notification.headline) to \(message.receiver)")
            PipelineMetrics.delivery(receiver: message.receiver, failed: false)
            try await scheduleRepeat(of: alerts, after: message, routed: routed, groupKey: groupKey, now: now)
            return Outcome(ids: ids, sent: true)
        }
        PipelineMetrics.delivery(receiver: message.receiver, failed: true)
        let policy = settings.retryPolicy(for: message.receiver)
        for (m, _) in members {
            switch policy.decide(failure: failure, attemptsMade: m.attempts + 1, now: now, jitterSample: settings.jitter()) {
            case .retry(let at, let reason):
                try await store.markFailed(m.id, error: "\(failure.message); \(reason)", retryAt: at)
                logger.warning("delivery to \(m.receiver) failed (\(failure.message)); \(reason)")
            case .deadLetter(let reason):
                try await store.markFailed(m.id, error: reason, retryAt: nil)
                logger.error("delivery to \(m.receiver) dead-lettered: \(reason)")
            }
        }
        return Outcome(ids: ids, failed: true)
    }

    /// After a group notification (or a repeat), queues a repeat `repeat_interval` later; it is
    /// sent only if some of its threads are still unacknowledged by then.
    func scheduleRepeat(of alerts: [ThreadAlert], after message: OutboxMessage, routed: RoutedAlert, groupKey: String?, now: Date) async throws {
        let interval: TimeInterval
        let number: Int
        let key: String
        if routed.repeatOf != nil, let every = routed.grouping?.repeatInterval {
            interval = every
            number = (routed.repeatNumber ?? 1) + 1
            key = message.idempotencyKey.components(separatedBy: "#").first ?? message.idempotencyKey
        } else if let groupKey, let grouping = routed.grouping {
            interval = grouping.repeatInterval
            number = 1
            key = "repeat:\(groupKey):\(Int64(now.timeIntervalSince1970))"
        } else {
            return
        }
        let reason = "repeated after repeat_interval \(ConfigDuration(seconds: interval)): still unacknowledged"
        let payload = RoutedAlert(alert: alerts[0], routeReasons: routed.routeReasons.filter { !$0.hasPrefix("repeated after") } + [reason],
                                  grouping: routed.grouping, repeatOf: alerts, repeatNumber: number)
        try await store.enqueue([NewOutboxRow(threadID: message.threadID, kind: "repeat", receiver: message.receiver,
                                              idempotencyKey: "\(key)#\(number)", payload: try CanonicalJSON.encode(payload),
                                              notBefore: now.addingTimeInterval(interval))], now: now)
    }

    public func run() async throws {
        await ServiceLoop.run("alert delivery", logger: logger, failureWait: pollEvery) {
            try await deliverDue()
            return pollEvery
        }
    }
}
