import Foundation
import OutcryModel

/// Computes SLA clocks from a thread's event history. Pure: the same events, policy, calendar
/// and instant always give the same answer, so the store keeps only events and `nextWakeUp`.
///
/// Rules:
/// - `opened` starts acknowledge, first response and resolution; `acknowledged` (or `responded`)
///   stops acknowledge; the first `responded` stops first response, later ones stop next response.
/// - A customer message on a responded or held thread starts a next-response clock.
/// - On hold pauses every running clock until the customer writes (or someone responds or resolves).
/// - `resolved` stops every running clock; a reopen starts new acknowledge, resolution and
///   (after a first response) next-response clocks, numbered as new episodes.
/// - With `businessHours`, only open calendar time counts; otherwise every second does.
///
/// ```swift
/// let eval = SLAEngine.evaluate(events: history, policy: p, calendar: office, now: clock.now())
/// store.saveWakeUp(thread, eval.nextWakeUp)
/// ```
public enum SLAEngine {
    struct Episode {
        var kind: SLAClockKind
        var index: Int
        var start: Date
        var end: Date?
    }

    /// Evaluates every clock at `now`. `notifiedUpTo` is the instant of the previous evaluation:
    /// notices that fell due in `(notifiedUpTo, now]` are returned (all up to `now` when nil).
    public static func evaluate(
        events: [ThreadEvent], policy: SLAPolicy, calendar: BusinessCalendar, now: Date, notifiedUpTo: Date? = nil
    ) -> SLAEvaluation {
        let cal = policy.businessHours ? calendar : .twentyFourSeven
        let (episodes, holds) = replay(events.filter { $0.at <= now }.sorted { $0.at < $1.at }, policy: policy)
        var clocks: [SLAClock] = []
        var notices: [SLANotice] = []
        var wake: Date?
        for ep in episodes {
            guard let target = policy.targets[ep.kind]?.seconds else { continue }
            var clock = measure(ep, target: target, holds: holds, calendar: cal, now: now)
            if clock.stoppedAt == nil, let deadline = clock.deadline {
                let warn = max(deadline.addingTimeInterval(-policy.warningLead), ep.start)
                clock.warningAt = clock.status == .breached ? nil : warn
                for at in [warn, deadline] where at > now {
                    wake = min(wake ?? at, at)
                }
            }
            if let deadline = clock.deadline {
                let warn = max(deadline.addingTimeInterval(-policy.warningLead), ep.start)
                let stop = clock.stoppedAt ?? .distantFuture
                for (kind, at) in [(SLANotice.Kind.warning, warn), (.breach, deadline)]
                where at <= now && at < stop && (notifiedUpTo.map { at > $0 } ?? true) {
                    notices.append(SLANotice(kind: kind, clock: ep.kind, episode: ep.index, at: at, deadline: deadline))
                }
            }
            clocks.append(clock)
        }
        notices.sort { ($0.at, $0.key) < ($1.at, $1.key) }
        return SLAEvaluation(policyName: policy.name, evaluatedAt: now, clocks: clocks, nextWakeUp: wake, notices: notices)
    }

    static func replay(_ events: [ThreadEvent], policy: SLAPolicy) -> ([Episode], [DateInterval]) {
        var episodes: [Episode] = []
        var open: [SLAClockKind: Int] = [:]
        var counts: [SLAClockKind: Int] = [:]
        var holds: [DateInterval] = []
        var holdStart: Date?
        var hadFirstResponse = false

        func start(_ kind: SLAClockKind, _ at: Date) {
            guard open[kind] == nil else { return }
            if kind == .firstResponse, hadFirstResponse { return }
            let n = counts[kind, default: 0]
            counts[kind] = n + 1
            open[kind] = episodes.count
            episodes.append(Episode(kind: kind, index: n, start: at, end: nil))
        }
        func stop(_ kind: SLAClockKind, _ at: Date) {
            guard let i = open.removeValue(forKey: kind) else { return }
            episodes[i].end = at
            if kind == .firstResponse { hadFirstResponse = true }
        }
        func endHold(_ at: Date) {
            if let s = holdStart { holds.append(DateInterval(start: s, end: at)) }
            holdStart = nil
        }

        for event in events {
            let at = event.at
            switch event.kind {
            case .opened:
                start(.acknowledge, at)
                start(.firstResponse, at)
                start(.resolution, at)
            case .acknowledged:
                stop(.acknowledge, at)
            case .responded:
                endHold(at)
                stop(.acknowledge, at)
                if open[.firstResponse] != nil { stop(.firstResponse, at) } else { stop(.nextResponse, at) }
            case .putOnHold:
                if holdStart == nil { holdStart = at }
            case .customerWrote, .reopened:
                endHold(at)
                if event.from == .resolved {
                    start(.acknowledge, at)
                    start(.resolution, at)
                    if hadFirstResponse { start(.nextResponse, at) } else { start(.firstResponse, at) }
                } else if event.from == .responded || event.from == .onHold, hadFirstResponse {
                    start(.nextResponse, at)
                }
            case .resolved:
                endHold(at)
                for kind in SLAClockKind.allCases { stop(kind, at) }
            case .assigned:
                break
            }
        }
        if let s = holdStart { holds.append(DateInterval(start: s, end: .distantFuture)) }
        return (episodes, holds)
    }

    /// Active (not on hold) segments of an episode; the last one may be open-ended (`end == nil`).
    static func segments(start: Date, end: Date?, holds: [DateInterval]) -> [(Date, Date?)] {
        var result: [(Date, Date?)] = []
        var cursor = start
        for hold in holds.sorted(by: { $0.start < $1.start }) {
            if let end, hold.start >= end { break }
            if hold.end <= cursor { continue }
            if hold.start > cursor { result.append((cursor, hold.start)) }
            cursor = max(cursor, hold.end)
            if cursor == .distantFuture { return result }
        }
        if let end {
            if end > cursor { result.append((cursor, end)) }
        } else {
            result.append((cursor, nil))
        }
        return result
    }

    static func measure(_ ep: Episode, target: TimeInterval, holds: [DateInterval], calendar: BusinessCalendar, now: Date) -> SLAClock {
        let segs = segments(start: ep.start, end: ep.end, holds: holds)
        var elapsed: TimeInterval = 0
        var deadline: Date?
        for (s, e) in segs {
            let counted = calendar.businessSeconds(from: s, to: min(e ?? now, now))
            if deadline == nil {
                let remaining = target - elapsed
                let candidate = calendar.addBusinessTime(remaining, to: s)
                if e == nil || candidate <= e! { deadline = candidate }
            }
            elapsed += counted
        }
        let onHoldNow = holds.contains { $0.start <= now && now < $0.end }
        var status: SLAClockStatus
        var why: String
        if let end = ep.end {
            let late = deadline.map { $0 < end } ?? false
            status = late ? .breached : .met
            why = late ? "stopped after the deadline" : "stopped within the target"
        } else if let d = deadline, d <= now {
            status = .breached
            why = "deadline passed"
        } else if onHoldNow {
            status = .paused
            why = "paused: on hold, waiting for the customer"
            deadline = nil
        } else if !calendar.isOpen(at: now) {
            status = .paused
            why = "paused: outside business hours"
        } else {
            status = .running
            why = "running"
        }
        return SLAClock(kind: ep.kind, episode: ep.index, target: target, startedAt: ep.start, stoppedAt: ep.end,
                        elapsed: elapsed, deadline: deadline, warningAt: nil, status: status, explanation: why)
    }
}
