import Foundation
import OutcryAlerting
import OutcryModel
import OutcryPipeline
import OutcryStore

/// One open thread as the queue shows it: the thread, who it is assigned to, where its next SLA
/// target stands and the original post's URL.
public struct ThreadOverview: Sendable {
    public enum Due: Sendable, Equatable {
        /// No SLA policy applies (or alerting is not configured).
        case none
        /// Every running clock is paused (on hold, or outside business hours with no deadline yet).
        case paused
        /// The earliest running target falls due at this instant.
        case at(Date, clock: String)
        /// A target's deadline passed while its clock still runs.
        case breached(since: Date, clock: String)
    }

    public var thread: MentionThread
    public var assigneeName: String?
    public var assigneeKind: String?
    public var due: Due
    public var url: String?
    public var clocks: [SLAClock]
    public var policyName: String?

    /// "ana", "team:billing", or nil.
    public var assignee: String? {
        assigneeName.map { assigneeKind == "team" ? "team:" + $0 : $0 }
    }

    /// Seconds to the next target (negative once breached), for sorting; nil without one.
    public func secondsLeft(now: Date) -> TimeInterval? {
        switch due {
        case .none, .paused: nil
        case .at(let date, _): date.timeIntervalSince(now)
        case .breached(let since, _): since.timeIntervalSince(now)
        }
    }

    public func isBreaching(now: Date, within: TimeInterval) -> Bool {
        guard let left = secondsLeft(now: now) else { return false }
        return left <= within
    }

    /// The queue's DUE cell: "BREACHED", "2h 10m", "paused", "-".
    public func dueText(now: Date) -> String {
        switch due {
        case .none: "-"
        case .paused: "paused"
        case .breached: "BREACHED"
        case .at(let date, _): Age.short(date.timeIntervalSince(now), precise: true)
        }
    }

    /// Builds the overview of `thread` from its stored facts and history.
    public static func load(_ thread: MentionThread, store: Store, alerting: AlertingConfig?, now: Date) async throws -> ThreadOverview {
        let id = thread.id ?? 0
        return try await make(thread, facts: try await store.threadAlertFacts(id), alerting: alerting, now: now) {
            try await store.threadEvents(id)
        }
    }

    /// The overviews of many threads, in their order, from two or three statements whatever
    /// their number (the queue page shows 200): the same as ``load(_:store:alerting:now:)`` each.
    public static func loadMany(_ threads: [MentionThread], store: Store, alerting: AlertingConfig?, now: Date) async throws -> [ThreadOverview] {
        let ids = threads.compactMap(\.id)
        let facts = try await store.threadAlertFacts(ids: ids)
        let events = alerting == nil ? [:] : try await store.threadEvents(ids: ids)
        var result: [ThreadOverview] = []
        for thread in threads {
            let id = thread.id ?? 0
            // A thread removed between the two reads (a purge) is left out of the page.
            guard let f = facts[id] else { continue }
            result.append(try await make(thread, facts: f, alerting: alerting, now: now) { events[id] ?? [] })
        }
        return result
    }

    private static func make(_ thread: MentionThread, facts: ThreadAlertFacts, alerting: AlertingConfig?, now: Date,
                             events: () async throws -> [StoredThreadEvent]) async throws -> ThreadOverview {
        var overview = ThreadOverview(thread: thread, assigneeName: facts.assigneeName, assigneeKind: facts.assigneeKind,
                                      due: .none, url: facts.url, clocks: [], policyName: nil)
        guard let alerting, let policy = alerting.sla.policy(severity: thread.severity, channel: thread.channel) else { return overview }
        let life = AlertHistory.lifecycle(facts: facts, stored: try await events())
        let eval = SLAEngine.evaluate(events: life.events, policy: policy, calendar: alerting.calendar(for: policy), now: now)
        overview.policyName = policy.name
        overview.clocks = eval.clocks
        overview.due = due(of: eval.clocks)
        return overview
    }

    /// The next target among the clocks still running: a breached one first, else the earliest deadline.
    static func due(of clocks: [SLAClock]) -> Due {
        let open = clocks.filter { $0.stoppedAt == nil }
        if let breached = open.filter({ $0.status == .breached }).min(by: { ($0.deadline ?? .distantFuture) < ($1.deadline ?? .distantFuture) }) {
            return .breached(since: breached.deadline ?? breached.startedAt, clock: breached.kind.rawValue)
        }
        if let next = open.filter({ $0.status == .running && $0.deadline != nil }).min(by: { $0.deadline! < $1.deadline! }) {
            return .at(next.deadline!, clock: next.kind.rawValue)
        }
        return open.contains { $0.status == .paused } ? .paused : .none
    }
}
