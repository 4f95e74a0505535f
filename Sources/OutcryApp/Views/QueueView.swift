import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// `NSNull()` for a missing value in a `JSONSerialization` object.
enum JSONValue {
    static func orNull(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }
    static func orNull(_ value: Int?) -> Any { value.map { $0 as Any } ?? NSNull() }
}

/// Which open threads `outcry queue` shows.
public struct QueueFilter: Sendable {
    /// A person or team the thread is assigned to (`--assignee`, `--mine`), compared without case.
    public var assignee: String?
    /// A team the thread is assigned to (`--team`).
    public var team: String?
    public var severities: Set<Severity> = []
    public var brands: [String] = []
    /// Channels (`feed`, `social`, `mail`, …), compared without case.
    public var channels: [String] = []
    public var statuses: Set<ThreadStatus> = []
    /// Segments (the linked contact's tier), compared without case.
    public var segments: [String] = []
    /// Threads with a mention in any of these urgency categories.
    public var urgencies: Set<UrgencyCategory> = []
    /// Only threads past a target or due within `breachingWithin` (`--breaching`).
    public var breaching = false
    public var breachingWithin: TimeInterval = 3600

    public init() {}

    /// The part of the filter the database applies (everything but `breaching`, which needs the SLA clocks).
    public var stored: QueueThreadFilter {
        var f = QueueThreadFilter()
        f.severities = severities
        f.brands = brands
        f.channels = channels
        f.statuses = statuses
        f.segments = segments
        f.urgencies = urgencies
        f.assignee = assignee
        f.team = team
        return f
    }

    /// Whether any field narrows the queue.
    public var isEmpty: Bool { stored.isEmpty && !breaching }

    /// The checks that need only the thread's own fields (severity, brand, channel, status, segment).
    public func matchesThread(_ t: MentionThread) -> Bool {
        if !severities.isEmpty, !severities.contains(t.severity) { return false }
        if !brands.isEmpty, !brands.contains(where: { $0.caseInsensitiveCompare(t.brand ?? "") == .orderedSame }) { return false }
        if !channels.isEmpty, !channels.contains(where: { $0.caseInsensitiveCompare(t.channel.rawValue) == .orderedSame }) { return false }
        if !statuses.isEmpty, !statuses.contains(t.status) { return false }
        if !segments.isEmpty, !segments.contains(where: { $0.caseInsensitiveCompare(t.segment ?? "") == .orderedSame }) { return false }
        return true
    }

    /// The checks on an overview (without urgency, which needs the thread's mentions).
    public func matches(_ o: ThreadOverview, now: Date) -> Bool {
        if let assignee, o.assigneeName?.caseInsensitiveCompare(assignee) != .orderedSame { return false }
        if let team, o.assigneeKind != "team" || o.assigneeName?.caseInsensitiveCompare(team) != .orderedSame { return false }
        if !matchesThread(o.thread) { return false }
        if breaching, !o.isBreaching(now: now, within: breachingWithin) { return false }
        return true
    }
}

/// The escalation queue as `outcry queue`, the dashboard and the API read it: the open threads
/// that pass the filter, ordered, from `offset`, at most `limit`.
public enum QueueQuery {
    /// At most this many open threads are looked at when the order or a filter needs the SLA
    /// clocks (`--sort due`, `--breaching`).
    public static let clockedScanLimit = 100_000

    public static func load(store: Store, alerting: AlertingConfig?, filter: QueueFilter, sort: QueueSort, limit: Int,
                            offset: Int = 0, now: Date) async throws -> [ThreadOverview] {
        let stored = filter.stored
        // The common case is all in the database: filters, order (its partial indexes) and paging;
        // only the `limit` threads shown get their overview (history, clocks) read.
        if sort != .due, !filter.breaching {
            let threads = sort == .severity
                ? try await store.queueThreads(stored, offset: offset, limit: limit)
                : try await store.queueThreads(stored, order: .waiting, offset: offset, limit: limit)
            return try await ThreadOverview.loadMany(threads, store: store, alerting: alerting, now: now)
        }
        // The clocks decide (breaching, or nearest target first): the database still filters
        // the rest; each match gets its overview, in pages, up to `clockedScanLimit` threads.
        var result: [ThreadOverview] = []
        var seen = 0, skipped = 0
        while seen < clockedScanLimit {
            let page = try await store.queueThreads(stored, order: sort == .waiting ? .waiting : .severity, offset: seen, limit: 1000)
            seen += page.count
            for o in try await ThreadOverview.loadMany(page, store: store, alerting: alerting, now: now) {
                guard !filter.breaching || o.isBreaching(now: now, within: filter.breachingWithin) else { continue }
                // In the stored orders the clocks only filter: paging can stop early.
                if sort != .due, skipped < offset { skipped += 1; continue }
                result.append(o)
            }
            if sort != .due, result.count >= limit { break }
            if page.count < 1000 { break }
        }
        guard sort == .due else { return Array(result.prefix(limit)) }
        return Array(sort.sorted(result, now: now).dropFirst(offset).prefix(limit))
    }
}

/// The queue's order: `severity` (most severe, then longest waiting; the default), `due` (the
/// nearest SLA target first, breached first, threads without one last), `waiting` (oldest first).
public enum QueueSort: String, Sendable, CaseIterable {
    case severity, due, waiting

    public func sorted(_ overviews: [ThreadOverview], now: Date) -> [ThreadOverview] {
        switch self {
        case .severity:
            return overviews.sorted {
                ($0.thread.severity.rank, $0.thread.openedAt, $0.thread.id ?? 0) < ($1.thread.severity.rank, $1.thread.openedAt, $1.thread.id ?? 0)
            }
        case .due:
            return overviews.sorted {
                let a = $0.secondsLeft(now: now) ?? .infinity, b = $1.secondsLeft(now: now) ?? .infinity
                return a != b ? a < b : ($0.thread.severity.rank, $0.thread.openedAt) < ($1.thread.severity.rank, $1.thread.openedAt)
            }
        case .waiting:
            return overviews.sorted { ($0.thread.openedAt, $0.thread.id ?? 0) < ($1.thread.openedAt, $1.thread.id ?? 0) }
        }
    }
}

/// The escalation queue as a terminal table or JSON.
public enum QueueView {
    /// The table; with `width`, the TITLE and WHY columns are cut (with "…") so each line fits.
    public static func table(_ overviews: [ThreadOverview], now: Date, width: Int? = nil) -> String {
        if overviews.isEmpty { return "No open threads.\n" }
        var table = TextTable(
            headers: ["ID", "SEV", "STATUS", "WAITING", "DUE", "ASSIGNEE", "BRAND", "SOURCE", "AUTHOR", "TITLE", "WHY"],
            limits: [8, 4, 12, 8, 9, 20, 20, 20, 20, 50, 90]
        )
        // Narrow terminals: WHY and TITLE give way first (to 12), then AUTHOR, SOURCE, BRAND and
        // ASSIGNEE; then SOURCE and AUTHOR are left out; then BRAND and ASSIGNEE go down to 8,
        // WHY to 6 and TITLE to 6.
        table.shrinkable = [10, 9, 8, 7, 6, 5]
        table.minimumShrunk = 12
        table.droppable = [7, 8]
        table.lastResort = [(6, 8), (5, 8), (10, 6), (9, 6), (2, 8)]
        for o in overviews {
            let t = o.thread
            table.rows.append([
                t.id.map(String.init) ?? "-", t.severity.rawValue, t.status.rawValue,
                Age.short(now.timeIntervalSince(t.openedAt)), o.dueText(now: now), o.assignee ?? "-", t.brand ?? "-",
                t.sourceName, t.authorName ?? t.authorHandle ?? "-", t.title, Self.why(t.summary),
            ])
        }
        return table.render(width: width)
    }

    /// The summary without the severity prefix the SEV column already shows.
    static func why(_ summary: String) -> String {
        if let colon = summary.firstIndex(of: ":"), summary[..<colon].count <= 4, summary.hasPrefix("P") {
            return summary[summary.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return summary
    }

    /// Each thread's stored fields (as before) plus `url` (the original post), `assignee`,
    /// `assignee_kind`, `due` ("BREACHED", "2h 10m", "paused", "-"), `due_at` and `due_clock`.
    public static func json(_ overviews: [ThreadOverview], now: Date = Date()) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = JSONKeys.snakeCase
        let iso = ISO8601DateFormatter()
        var list: [[String: Any]] = []
        for o in overviews {
            var object = try JSONSerialization.jsonObject(with: try encoder.encode(o.thread)) as? [String: Any] ?? [:]
            object["url"] = JSONValue.orNull(o.url)
            object["assignee"] = JSONValue.orNull(o.assigneeName)
            object["assignee_kind"] = JSONValue.orNull(o.assigneeKind)
            object["due"] = o.dueText(now: now)
            switch o.due {
            case .at(let date, let clock), .breached(let date, let clock):
                object["due_at"] = iso.string(from: date)
                object["due_clock"] = clock
            case .none, .paused:
                object["due_at"] = NSNull()
                object["due_clock"] = NSNull()
            }
            list.append(object)
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
