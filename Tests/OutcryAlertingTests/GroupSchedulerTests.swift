import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct GroupSchedulerTests {
    static let t0 = utc("2026-03-23T10:00:00Z")
    static let options = GroupingOptions(groupWait: 30, groupInterval: 300, repeatInterval: 4 * 3600)

    /// (seconds after t0 now, last notified at (seconds), notified ids, active ids, due at (seconds), due now, reason)
    static let cases: [(Double, Double?, Set<String>, Set<String>, Double?, Bool, GroupDecision.Reason?)] = [
        (10, nil, [], ["a"], 30, false, .groupWait),
        (30, nil, [], ["a", "b"], 30, true, .groupWait),
        (100, 30, ["a"], ["a", "b"], 330, false, .groupInterval),
        (400, 30, ["a"], ["a", "b"], 330, true, .groupInterval),
        (400, 30, ["a", "b"], ["a", "b"], 30 + 4 * 3600, false, .repeatInterval),
        (30 + 4 * 3600, 30, ["a", "b"], ["a"], 30 + 4 * 3600, true, .repeatInterval),
        (400, 30, ["a"], [], nil, false, nil),
    ]

    @Test(arguments: cases.indices)
    func timing(_ i: Int) {
        let (now, last, notified, active, due, isDue, reason) = Self.cases[i]
        let group = AlertGroupState(key: "g", firstAlertAt: Self.t0, lastNotifiedAt: last.map { Self.t0 + $0 }, notifiedAlertIDs: notified)
        let d = GroupScheduler.decide(group: group, activeAlertIDs: active, options: Self.options, now: Self.t0 + now)
        #expect(d.dueAt == due.map { Self.t0 + $0 })
        #expect(d.isDue == isDue)
        #expect(d.reason == reason)
    }

    @Test func quietHoursDelayUnlessOverridden() throws {
        let night = try QuietHours(name: "night", timeZoneID: "Europe/London", hours: [.mon: [try TimeRange(parsing: "20:00-08:00")]])
        let first = local("2026-03-23 21:00")
        let group = AlertGroupState(key: "g", firstAlertAt: first)
        let p3 = GroupScheduler.decide(group: group, activeAlertIDs: ["a"], options: Self.options, now: first + 60, severity: .p3, quietHours: [night])
        #expect(p3.dueAt == local("2026-03-24 08:00"))
        #expect(!p3.isDue)
        #expect(p3.explanation.contains("quiet hours 'night'"))
        let p1 = GroupScheduler.decide(group: group, activeAlertIDs: ["a"], options: Self.options, now: first + 60, severity: .p1, quietHours: [night])
        #expect(p1.dueAt == first + 30)
        #expect(p1.isDue)
    }
}
