import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

extension AlertDispatcher {
    /// What an earlier version's poll queued for routing (the `log` row of its routing inbox).
    struct UnroutedThreadAlert: Decodable {
        var threadID: ThreadID?
        var event: String
        var severity: String
        var source: String
        var title: String
        var summary: String
    }

    /// Routes a row an earlier version queued for routing and the upgrade set apart
    /// (``Store/unroutedReceiver``): the row is replaced by its routed rows in one transaction.
    /// A read that fails leaves it pending; a thread that no longer exists (erased, purged) is
    /// let go, and said so.
    func routeUnrouted(_ message: OutboxMessage) async throws {
        let now = clock.now()
        let router = AlertRouter(settings: settings, logger: logger)
        var writes = OutboxWrites()
        if let routed = try? CanonicalJSON.decode(RoutedAlert.self, message.payload) {
            let brands = routed.alert.brand == nil ? [] : try await store.declaredCrisisBrands()
            writes = try router.route(routed.alert, threadID: message.threadID, kind: message.kind, idempotencyKey: message.idempotencyKey,
                                      crisisBrands: brands, now: now)
        } else if let old = try? CanonicalJSON.decode(UnroutedThreadAlert.self, message.payload), let thread = old.threadID {
            logger.notice("\(old.severity) \(old.event) thread \(thread): \(old.title) — \(old.summary)")
            if let settings {
                do {
                    let facts = try await store.threadAlertFacts(thread)
                    let alert = AlertHistory.alert(facts: facts, kind: .newThread, id: message.idempotencyKey, settings: settings, now: now)
                    let brands = alert.brand == nil ? [] : try await store.declaredCrisisBrands()
                    writes = try router.route(alert, threadID: thread, kind: message.kind, idempotencyKey: message.idempotencyKey,
                                              crisisBrands: brands, now: now)
                } catch let error as StoreError where error.isNotFound {
                    logger.warning("thread \(thread) is gone; its alert is not routed")
                }
            }
        } else {
            logger.notice("alert \(message.kind): \(message.payload)")
        }
        try await store.fanOut(message.id, into: writes, now: now)
    }
}
