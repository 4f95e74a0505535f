import Foundation
import OutcryModel

/// One thread as a report sees it: its facts and its event history.
public struct ReportThread: Sendable, Equatable, Codable {
    public var id: String
    public var severity: Severity
    public var channel: Channel
    public var team: String?
    /// Customer segment (value tier, region, …) for the fairness view.
    public var segment: String?
    public var events: [ThreadEvent]

    public init(id: String, severity: Severity, channel: Channel, team: String? = nil, segment: String? = nil, events: [ThreadEvent]) {
        self.id = id
        self.severity = severity
        self.channel = channel
        self.team = team
        self.segment = segment
        self.events = events.sorted { $0.at < $1.at }
    }

    public var openedAt: Date? { events.first { $0.kind == .opened }?.at }

    /// Seconds from opening to the first acknowledgement (a response counts as one).
    public var acknowledgeTime: TimeInterval? {
        since(events.first { $0.kind == .acknowledged || $0.kind == .responded })
    }

    /// Seconds from opening to the first response.
    public var firstResponseTime: TimeInterval? {
        since(events.first { $0.kind == .responded })
    }

    /// Seconds from opening to the final resolution (nil while the thread is open).
    public var resolutionTime: TimeInterval? {
        guard let last = events.last(where: { $0.kind != .assigned }), last.kind == .resolved else { return nil }
        return since(last)
    }

    /// The person it was last assigned to, for per-person figures.
    public var assignedPerson: String? {
        events.last { $0.kind == .assigned && $0.assignee?.kind == .person }?.assignee?.name
    }

    private func since(_ e: ThreadEvent?) -> TimeInterval? {
        guard let e, let opened = openedAt else { return nil }
        return e.at.timeIntervalSince(opened)
    }
}

/// What a report covers and how.
public struct ReportOptions: Sendable, Equatable, Codable {
    /// Groupings, in output order (`overall` is always first).
    public var dimensions: [ReportDimension]
    /// Time zone of ISO weeks.
    public var timeZoneID: String
    /// Per-person figures: off by default (they are about people, not queues).
    public var perPerson: Bool
    /// Flag a segment or channel whose median wait exceeds everyone else's by this ratio.
    public var fairnessRatio: Double
    /// Groups smaller than this (on either side) are shown but never flagged.
    public var fairnessMinimumThreads: Int
    /// The wait the fairness view compares.
    public var fairnessMetric: WaitMetric

    public init(dimensions: [ReportDimension] = [.severity, .channel, .team, .week, .segment], timeZoneID: String = "UTC",
                perPerson: Bool = false, fairnessRatio: Double = 1.5, fairnessMinimumThreads: Int = 5,
                fairnessMetric: WaitMetric = .firstResponse) {
        self.dimensions = dimensions
        self.timeZoneID = timeZoneID
        self.perPerson = perPerson
        self.fairnessRatio = fairnessRatio
        self.fairnessMinimumThreads = fairnessMinimumThreads
        self.fairnessMetric = fairnessMetric
    }
}

public enum ReportDimension: String, Sendable, Hashable, Codable, CaseIterable {
    case overall, severity, channel, team, week, segment, person
}

public enum WaitMetric: String, Sendable, Hashable, Codable {
    case acknowledge, firstResponse = "first_response", resolution
}
