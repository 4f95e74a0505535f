import Foundation
import OutcryModel

/// p50 and p90 of a set of durations, by the nearest-rank method: the p-th percentile of n sorted
/// values is the value at rank ⌈p·n⌉ (so it is always an observed value).
public struct Percentiles: Sendable, Equatable, Codable {
    public var count: Int
    public var p50: TimeInterval
    public var p90: TimeInterval

    public init?(_ values: [TimeInterval]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        p50 = Self.nearestRank(0.5, sorted)
        p90 = Self.nearestRank(0.9, sorted)
    }

    public static func nearestRank(_ p: Double, _ sorted: [TimeInterval]) -> TimeInterval {
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Response times and SLA results for one group of threads.
public struct ReportRow: Sendable, Equatable, Codable {
    public var dimension: ReportDimension
    public var key: String
    public var threads: Int
    public var acknowledge: Percentiles?
    public var firstResponse: Percentiles?
    public var resolution: Percentiles?
    /// Stopped clocks that stopped in time / too late, plus running ones already past their deadline.
    public var slaMet: Int
    public var slaBreached: Int

    /// met / (met + breached), nil when no clock has an outcome yet.
    public var slaAttainment: Double? {
        slaMet + slaBreached == 0 ? nil : Double(slaMet) / Double(slaMet + slaBreached)
    }
}

/// A clock that missed its deadline.
public struct SLABreachRecord: Sendable, Equatable, Codable {
    public var threadID: String
    public var policy: String
    public var clock: SLAClockKind
    public var episode: Int
    public var deadline: Date
    /// When the clock stopped; nil if it is still running.
    public var stoppedAt: Date?
}

/// One segment's (or channel's) wait against everyone else's.
public struct FairnessRow: Sendable, Equatable, Codable {
    public var dimension: ReportDimension
    public var group: String
    public var threads: Int
    public var medianWait: TimeInterval
    public var othersThreads: Int
    public var othersMedianWait: TimeInterval?
    /// medianWait / othersMedianWait.
    public var ratio: Double?
    public var flagged: Bool
    public var explanation: String
}

/// Response-time, SLA and fairness report over a set of threads.
public struct Report: Sendable, Equatable, Codable {
    public var generatedAt: Date
    public var rows: [ReportRow]
    public var breaches: [SLABreachRecord]
    public var fairness: [FairnessRow]
    /// Mentions per brand and day, with sentiment.
    public var volume: [DailyVolume] = []
    /// Threads left out of the response times and SLA figures because a source's first poll
    /// (its backlog of old posts) opened them.
    public var backlogThreadsLeftOut = 0
}
