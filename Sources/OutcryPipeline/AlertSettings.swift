import Foundation
import OutcryAlerting
import OutcryFetch
import OutcryModel
import OutcryStore

/// Everything the alerting services need from the configuration, resolved once: the alerting
/// sections (secrets already substituted), the routing tree, the dashboard address and the key
/// that signs acknowledge links.
///
/// ```swift
/// let settings = try AlertSettings(config: alerting, dashboardURL: "https://outcry.example.org", ackKey: key)
/// ```
public struct AlertSettings: Sendable {
    public let config: AlertingConfig
    public let tree: RoutingTree
    public let dashboardURL: String
    public let ackKey: [UInt8]
    /// How long an acknowledge link stays valid.
    public var ackLifetime: TimeInterval
    /// Jitter sample for retries (0..<1); tests fix it.
    public var jitter: @Sendable () -> Double

    public init(config: AlertingConfig, dashboardURL: String, ackKey: [UInt8], ackLifetime: TimeInterval = 24 * 3600,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws {
        self.config = config
        self.tree = try config.routingTree()
        self.dashboardURL = dashboardURL
        self.ackKey = ackKey
        self.ackLifetime = ackLifetime
        self.jitter = jitter
    }

    /// The composer for one receiver: its own redaction if set, else the global one (on by default).
    func composer(for receiver: String) -> NotificationComposer {
        NotificationComposer(dashboardURL: dashboardURL, ackSigner: AckTokenSigner(key: ackKey), ackLifetime: ackLifetime,
                             redaction: config.receivers[receiver]?.redaction ?? config.redaction)
    }

    func retryPolicy(for receiver: String) -> RetryPolicy {
        config.receivers[receiver]?.retry ?? config.retry
    }

    /// The escalation chain of a severity: the one named like it (`p1` for P1), if configured.
    func escalationChain(for severity: Severity) -> EscalationChain? {
        config.escalations[severity.rawValue.lowercased()] ?? config.escalations[severity.rawValue]
    }
}

/// What a fanned-out outbox row carries: the alert, why it was routed there, and its group timing.
struct RoutedAlert: Codable, Sendable {
    var alert: ThreadAlert
    var routeReasons: [String]
    var grouping: GroupingOptions?
    /// For a `repeat` row: the alerts of the group notification to repeat while their threads stay unacknowledged.
    var repeatOf: [ThreadAlert]? = nil
    var repeatNumber: Int? = nil
}

/// Conversions between stored rows and the alerting core's types.
public enum AlertHistory {
    static func event(_ e: StoredThreadEvent) -> ThreadEvent? {
        guard let kind = ThreadEventKind(rawValue: e.kind), let to = ThreadStatus(rawValue: e.to) else { return nil }
        let assignee = e.assigneeName.map { Assignee(Assignee.Kind(rawValue: e.assigneeKind ?? "person") ?? .person, $0) }
        return ThreadEvent(kind: kind, actor: e.actor, at: e.at, from: e.from.flatMap(ThreadStatus.init(rawValue:)), to: to,
                           note: e.note, assignee: assignee)
    }

    static func stored(_ e: ThreadEvent, threadID: ThreadID) -> StoredThreadEvent {
        StoredThreadEvent(threadID: threadID, kind: e.kind.rawValue, actor: e.actor, at: e.at, from: e.from?.rawValue, to: e.to.rawValue,
                          note: e.note, assigneeKind: e.assignee?.kind.rawValue, assigneeName: e.assignee?.name)
    }

    /// The full history: the thread's opening (from the threads table), then the stored events.
    /// When ingest changed the status behind the history's back (a customer writing on a resolved
    /// or held thread), a `customer_wrote` event at the last mention is added so the two agree.
    public static func lifecycle(facts: ThreadAlertFacts, stored: [StoredThreadEvent]) -> ThreadLifecycle {
        var life = ThreadLifecycle(openedAt: facts.thread.openedAt)
        for e in stored.compactMap(event) {
            if let command = command(for: e) { _ = try? life.apply(command, by: e.actor, at: max(e.at, life.events.last!.at), note: e.note) }
        }
        if life.status != facts.thread.status, facts.thread.status == .new || facts.thread.status == .acknowledged {
            let at = max(facts.thread.lastMentionAt, life.events.last!.at)
            _ = try? life.apply(.customerWrote, by: "customer", at: at, note: "the customer wrote again")
        }
        return life
    }

    static func command(for e: ThreadEvent) -> ThreadCommand? {
        switch e.kind {
        case .opened: nil
        case .acknowledged: .acknowledge
        case .responded: .respond
        case .putOnHold: .putOnHold
        case .customerWrote: .customerWrote
        case .resolved: .resolve
        case .reopened: .reopen
        case .assigned: e.assignee.map { .assign($0) }
        }
    }

    /// The alert routing and notifications see for a thread.
    static func alert(facts: ThreadAlertFacts, kind: AlertKind, id: String, extraReasons: [Reason] = [], settings: AlertSettings?, now: Date) -> ThreadAlert {
        let t = facts.thread
        let tid = String(t.id ?? 0)
        var reasons = facts.reasons
        if !t.summary.isEmpty { reasons.insert(Reason(rule: "score", evidence: t.summary, weight: 0), at: 0) }
        reasons += extraReasons
        let dashboard = settings?.dashboardURL ?? ""
        let contact: ContactLink = if let c = facts.contact {
            ContactLink(name: c.name, url: "\(dashboard)/contacts/\(c.contactID)", confidence: c.confidence, basis: c.reason)
        } else {
            ContactLink(name: "no linked contact", url: "\(dashboard)/threads/\(tid)#contact", confidence: 0, basis: "no CRM contact matched")
        }
        return ThreadAlert(
            id: id, threadID: tid, kind: kind, title: t.title, severity: t.severity, urgency: facts.urgency, brand: t.brand,
            source: t.sourceName, channel: t.channel, segment: t.segment, language: facts.language, reasons: reasons, excerpt: facts.excerpt,
            contact: contact, postURL: facts.url, firedAt: now
        )
    }
}
