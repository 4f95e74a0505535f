import Foundation
import OutcryModel

/// Builds a `Report` from thread histories. Pure: the instant and the configuration are inputs.
///
/// Response times are wall-clock seconds from opening (what the customer lived through); SLA
/// results use each thread's policy and calendar, as the live clocks do. A thread still waiting
/// counts in the fairness view with its wait so far (leaving it out would hide the longest waits).
///
/// ```swift
/// let report = ReportBuilder.build(threads: history, policies: sla, calendars: cals, options: ReportOptions(), now: now)
/// print(report.csv())
/// ```
public enum ReportBuilder {
    public static func build(
        threads: [ReportThread], policies: SLAPolicySet, calendars: [String: BusinessCalendar] = [:],
        defaultCalendar: BusinessCalendar = .twentyFourSeven, options: ReportOptions = ReportOptions(), now: Date
    ) -> Report {
        // SLA outcomes per thread.
        var outcomes: [String: (met: Int, breached: Int)] = [:]
        var breaches: [SLABreachRecord] = []
        for t in threads {
            guard t.events.first?.kind == .opened, let policy = policies.policy(severity: t.severity, channel: t.channel) else { continue }
            let cal = policy.calendar.flatMap { calendars[$0] } ?? defaultCalendar
            let eval = SLAEngine.evaluate(events: t.events, policy: policy, calendar: cal, now: now)
            var o = (met: 0, breached: 0)
            for c in eval.clocks {
                switch c.status {
                case .met: o.met += 1
                case .breached:
                    o.breached += 1
                    if let d = c.deadline {
                        breaches.append(SLABreachRecord(threadID: t.id, policy: policy.name, clock: c.kind, episode: c.episode,
                                                        deadline: d, stoppedAt: c.stoppedAt))
                    }
                case .running, .paused: break
                }
            }
            outcomes[t.id] = o
        }

        var dims: [ReportDimension] = [.overall] + options.dimensions.filter { $0 != .overall && $0 != .person }
        if options.perPerson { dims.append(.person) }
        var rows: [ReportRow] = []
        for dim in dims {
            var groups: [String: [ReportThread]] = [:]
            for t in threads {
                guard let key = key(t, dim, options) else { continue }
                groups[key, default: []].append(t)
            }
            for key in groups.keys.sorted(by: { sortKey(dim, $0) < sortKey(dim, $1) }) {
                let members = groups[key]!
                let met = members.reduce(0) { $0 + (outcomes[$1.id]?.met ?? 0) }
                let breached = members.reduce(0) { $0 + (outcomes[$1.id]?.breached ?? 0) }
                rows.append(ReportRow(
                    dimension: dim, key: key, threads: members.count,
                    acknowledge: Percentiles(members.compactMap(\.acknowledgeTime)),
                    firstResponse: Percentiles(members.compactMap(\.firstResponseTime)),
                    resolution: Percentiles(members.compactMap(\.resolutionTime)),
                    slaMet: met, slaBreached: breached
                ))
            }
        }
        breaches.sort { ($0.deadline, $0.threadID) < ($1.deadline, $1.threadID) }
        return Report(generatedAt: now, rows: rows, breaches: breaches, fairness: fairness(threads, options, now))
    }

    static func key(_ t: ReportThread, _ dim: ReportDimension, _ options: ReportOptions) -> String? {
        switch dim {
        case .overall: return "all"
        case .severity: return t.severity.rawValue
        case .channel: return t.channel.rawValue
        case .team: return t.team ?? "(none)"
        case .segment: return t.segment ?? "(none)"
        case .person: return t.assignedPerson ?? "(unassigned)"
        case .week:
            guard let opened = t.openedAt else { return nil }
            return isoWeek(opened, timeZoneID: options.timeZoneID)
        }
    }

    static func sortKey(_ dim: ReportDimension, _ key: String) -> String {
        dim == .severity ? String(Severity(rawValue: key)?.rank ?? 9) : key
    }

    /// `2026-W03` for the ISO week containing the instant in the time zone.
    public static func isoWeek(_ date: Date, timeZoneID: String) -> String {
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = TimeZone(identifier: timeZoneID) ?? TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 0, c.weekOfYear ?? 0)
    }

    static func wait(_ t: ReportThread, _ metric: WaitMetric, now: Date) -> TimeInterval? {
        let done: TimeInterval?
        switch metric {
        case .acknowledge: done = t.acknowledgeTime
        case .firstResponse: done = t.firstResponseTime
        case .resolution: done = t.resolutionTime
        }
        if let done { return done }
        guard let opened = t.openedAt, t.events.last?.to != .resolved else { return nil }
        return now.timeIntervalSince(opened)
    }

    static func fairness(_ threads: [ReportThread], _ options: ReportOptions, _ now: Date) -> [FairnessRow] {
        var out: [FairnessRow] = []
        let waits: [(ReportThread, TimeInterval)] = threads.compactMap { t in wait(t, options.fairnessMetric, now: now).map { (t, $0) } }
        for dim in [ReportDimension.segment, .channel] {
            let keyed = waits.map { (key($0.0, dim, options) ?? "(none)", $0.1) }
            for group in Set(keyed.map(\.0)).sorted() {
                let mine = keyed.filter { $0.0 == group }.map(\.1).sorted()
                let others = keyed.filter { $0.0 != group }.map(\.1).sorted()
                let median = Percentiles.nearestRank(0.5, mine)
                let othersMedian = others.isEmpty ? nil : Percentiles.nearestRank(0.5, others)
                let ratio = othersMedian.flatMap { $0 > 0 ? median / $0 : nil }
                let enough = mine.count >= options.fairnessMinimumThreads && others.count >= options.fairnessMinimumThreads
                let flagged = enough && (ratio ?? 0) > options.fairnessRatio
                var why: String
                if let ratio, let othersMedian {
                    why = String(format: "%@ %@ waits %@ (median of %d) vs %@ for everyone else (median of %d): %.2f×",
                                 dim.rawValue, group, ConfigDuration(seconds: median).description, mine.count,
                                 ConfigDuration(seconds: othersMedian).description, others.count, ratio)
                    if flagged { why += String(format: ", above the %.2f× limit", options.fairnessRatio) }
                    if !enough { why += String(format: "; too few threads to judge (fewer than %d)", options.fairnessMinimumThreads) }
                } else {
                    why = "\(dim.rawValue) \(group): nothing to compare with"
                }
                out.append(FairnessRow(dimension: dim, group: group, threads: mine.count, medianWait: median,
                                       othersThreads: others.count, othersMedianWait: othersMedian, ratio: ratio,
                                       flagged: flagged, explanation: why))
            }
        }
        return out
    }
}
