import Foundation
import OutcryModel
import SQLKit

/// Which open threads the escalation queue lists, as the database filters them (`outcry queue`,
/// the dashboard's queue page, `GET /api/threads`). Every field narrows: an empty list or nil
/// lets everything through. Text is compared without case.
public struct QueueThreadFilter: Sendable, Equatable {
    public var severities: Set<Severity> = []
    public var brands: [String] = []
    /// Channels (`feed`, `social`, `mail`, …).
    public var channels: [String] = []
    /// Statuses among the open ones (`resolved` threads are never in the queue).
    public var statuses: Set<ThreadStatus> = []
    /// Segments (the linked contact's tier).
    public var segments: [String] = []
    /// Threads with at least one mention in any of these urgency categories.
    public var urgencies: Set<UrgencyCategory> = []
    /// A person or team the thread is assigned to.
    public var assignee: String?
    /// A team the thread is assigned to.
    public var team: String?

    public init() {}

    /// Whether no field narrows.
    public var isEmpty: Bool { self == QueueThreadFilter() }
}

/// The orders the database gives the queue in: `severity` (most severe, then longest waiting,
/// then id) and `waiting` (oldest first, then id), each from a partial index.
public enum QueueOrder: String, Sendable {
    case severity, waiting

    var clause: String {
        switch self {
        case .severity: "ORDER BY severity_rank ASC, opened_at ASC, id ASC"
        case .waiting: "ORDER BY opened_at ASC, id ASC"
        }
    }
}

extension Store {
    /// Open threads that pass `filter`, in the queue's order (most severe, then longest waiting,
    /// then id; or oldest first with `.waiting`), skipping `offset` and returning at most `limit`.
    ///
    /// The filter and the paging run in the database: the partial index `threads_open_queue`
    /// gives the order without sorting, and the partial indexes of migration 0016 serve a
    /// brand, assignee, segment or channel asked for alone.
    public func queueThreads(_ filter: QueueThreadFilter, order: QueueOrder = .severity, offset: Int = 0,
                             limit: Int) async throws -> [MentionThread] {
        try await sql.raw(queueQuery(filter, order: order, offset: offset, limit: limit)).all().map(Self.thread(from:))
    }

    /// How many open threads pass `filter` (for the queue's "n of m").
    public func queueCount(_ filter: QueueThreadFilter) async throws -> Int {
        let query: SQLQueryString = "SELECT COUNT(*) AS n FROM threads WHERE " + queueConditions(filter)
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The statement behind ``queueThreads(_:order:offset:limit:)`` (tests read its plan).
    func queueQuery(_ filter: QueueThreadFilter, order: QueueOrder = .severity, offset: Int, limit: Int) -> SQLQueryString {
        "SELECT * FROM threads WHERE " + queueConditions(filter)
            + " \(unsafeRaw: order.clause) LIMIT \(bind: max(0, limit)) OFFSET \(bind: max(0, offset))"
    }

    func queueConditions(_ filter: QueueThreadFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = ["status <> 'resolved'"]
        // One value is an equality (the partial indexes seek it); several are an IN list. The
        // brand, segment and assignee indexes leave out the threads without one (migration
        // 0019); `IS NOT NULL`, implied by the equality, is said so the planners see it.
        func oneOf(_ column: String, _ values: [String]) {
            let lowered = Array(Set(values.map { $0.lowercased() })).sorted()
            guard !lowered.isEmpty else { return }
            if column != "channel" { parts.append("\(unsafeRaw: column) IS NOT NULL") }
            parts.append(lowered.count == 1 ? "LOWER(\(unsafeRaw: column)) = \(bind: lowered[0])"
                                            : "LOWER(\(unsafeRaw: column)) IN (\(binds: lowered))")
        }
        if !filter.severities.isEmpty {
            let ranks = filter.severities.map(\.rank).sorted()
            parts.append(ranks.count == 1 ? "severity_rank = \(bind: ranks[0])" : "severity_rank IN (\(binds: ranks))")
        }
        if !filter.statuses.isEmpty {
            parts.append("status IN (\(binds: filter.statuses.map(\.rawValue).sorted()))")
        }
        oneOf("brand", filter.brands)
        oneOf("channel", filter.channels)
        oneOf("segment", filter.segments)
        if let assignee = filter.assignee { oneOf("assignee_name", [assignee]) }
        if let team = filter.team {
            oneOf("assignee_name", [team])
            parts.append("assignee_kind = 'team'")
        }
        if !filter.urgencies.isEmpty {
            // The mentions' urgency is a JSON array of category names: `["legal","press"]`.
            let any = filter.urgencies.map(\.rawValue).sorted().map { category -> SQLQueryString in
                "\(unsafeRaw: dialect.positionFunction)(m.urgency, \(bind: "\"\(category)\"")) > 0"
            }
            parts.append("EXISTS (SELECT 1 FROM mentions m WHERE m.thread_id = threads.id AND (" + any.joined(separator: " OR ") + "))")
        }
        return parts.joined(separator: " AND ")
    }

    /// A short text that changes whenever the queue may have: a thread opened, a mention
    /// stored (new, or joining a thread), a lifecycle event (acknowledged, assigned, resolved…).
    /// Three primary-key maxima, so asking every few seconds costs nothing (`/queue/events`).
    public func queueStamp() async throws -> String {
        let row = try await sql.raw("""
            SELECT (SELECT MAX(id) FROM threads) AS t, (SELECT MAX(id) FROM mentions) AS m, (SELECT MAX(id) FROM thread_events) AS e
            """).first()
        func value(_ column: String) throws -> Int64 { try row?.decode(column: column, as: Int64?.self) ?? 0 }
        return "\(try value("t"))-\(try value("m"))-\(try value("e"))"
    }
}
