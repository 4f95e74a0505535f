import Foundation
import Logging
import OutcryAlerting
import OutcryModel
import OutcryStore

/// Routes an alert when it is raised: the routing tree picks its receivers, and the result is
/// one outbox row per receiver (the alert redacted for that receiver, the route's reasons and
/// grouping), or a fold into the brand's open crisis — written by the caller in the same
/// transaction that raised the alert, so an alert is never stored without its routing, nor
/// routed twice. Without alerting configured, an alert is only logged.
///
/// ```swift
/// let router = AlertRouter(settings: settings)
/// try await store.commitPoll(source: "social", mentions: scored, success: success, routing: router)
/// ```
public struct AlertRouter: ThreadAlertRouting {
    let settings: AlertSettings?
    let logger: Logger

    public init(settings: AlertSettings?, logger: Logger = Logger(label: "outcry.alerts")) {
        self.settings = settings
        self.logger = logger
    }

    /// The alerts of threads a commit opened or reopened, read (inside the commit's
    /// transaction) and routed.
    public func outbox(for alerts: [ThreadAlertRequest], store: Store, now: Date) async throws -> OutboxWrites {
        var writes = OutboxWrites()
        for request in alerts {
            logger.notice("\(request.severity.rawValue) \(request.event) thread \(request.threadID): \(request.title) — \(request.summary)")
        }
        guard let settings, !alerts.isEmpty else { return writes }
        let crisisBrands = try await store.declaredCrisisBrands()
        for request in alerts {
            let facts = try await store.threadAlertFacts(request.threadID)
            let alert = AlertHistory.alert(facts: facts, kind: .newThread, id: request.idempotencyKey, settings: settings, now: now)
            writes.append(try route(alert, threadID: request.threadID, kind: request.event, idempotencyKey: request.idempotencyKey,
                                    crisisBrands: crisisBrands, now: now))
        }
        return writes
    }

    /// One alert through the routing tree: a row per receiver that is to get it (from the end
    /// of its quiet hours), and at most one fold into its brand's crisis. Pure.
    public func route(_ alert: ThreadAlert, threadID: ThreadID?, kind: String, idempotencyKey: String,
                      crisisBrands: Set<String>, now: Date) throws -> OutboxWrites {
        guard let settings else {
            logger.notice("\(alert.severity.rawValue) \(alert.kind.rawValue) \(alert.threadID): \(alert.title)")
            return OutboxWrites()
        }
        var writes = OutboxWrites()
        for decision in settings.tree.decide(alert, crisisBrands: crisisBrands, now: now) {
            if case .foldIntoCrisis(let brand) = decision.action, writes.folds.isEmpty {
                // Counted on the crisis and logged; the thread stays in the queue with its clocks.
                writes.folds.append(CrisisFold(brand: brand, alertID: alert.id, title: alert.title))
                logger.info("thread \(alert.threadID) folded into the crisis of \(brand)")
            }
            guard case .deliver(let notBefore) = decision.action else { continue }
            // Stored already redacted for that receiver: raw personal data never waits in the outbox.
            let payload = RoutedAlert(alert: settings.composer(for: decision.match.receiver).redaction.apply(to: alert),
                                      routeReasons: decision.reasons, grouping: decision.match.route.grouping)
            writes.rows.append(NewOutboxRow(threadID: threadID, kind: kind, receiver: decision.match.receiver,
                                            idempotencyKey: idempotencyKey, payload: try CanonicalJSON.encode(payload),
                                            notBefore: max(notBefore, now), groupKey: "\(decision.match.receiver)|\(decision.match.groupKey)"))
            logger.info("thread \(alert.threadID) → \(decision.match.receiver): \(decision.reasons.joined(separator: " → "))")
            PipelineMetrics.routed(receiver: decision.match.receiver)
        }
        return writes
    }
}
