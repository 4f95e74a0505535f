import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct SLAEngineTests {
    static let officePolicy = SLAPolicy(
        name: "p2-office", severities: [.p2], targets: SLATargets(acknowledge: .hours(1), firstResponse: .hours(4), resolution: .hours(16))
    )
    static let roundTheClock = SLAPolicy(
        name: "p1", severities: [.p1], targets: SLATargets(acknowledge: .minutes(30), firstResponse: .hours(4),
                                                          nextResponse: .hours(2), resolution: .hours(24)),
        businessHours: false
    )

    /// Opened Mon 23 Mar 2026 16:30 London, office hours 09–17, nothing done yet.
    static let businessHourCases: [(now: String, kind: SLAClockKind, status: SLAClockStatus, elapsed: TimeInterval, deadline: String, warning: String?)] = [
        ("2026-03-23 16:45", .acknowledge, .running, minutes(15), "2026-03-24 09:30", "2026-03-24 09:15"),
        ("2026-03-23 16:45", .firstResponse, .running, minutes(15), "2026-03-24 12:30", "2026-03-24 12:15"),
        ("2026-03-23 16:45", .resolution, .running, minutes(15), "2026-03-25 16:30", "2026-03-25 16:15"),
        ("2026-03-23 18:00", .acknowledge, .paused, minutes(30), "2026-03-24 09:30", "2026-03-24 09:15"),
        ("2026-03-24 09:40", .acknowledge, .breached, minutes(70), "2026-03-24 09:30", nil),
        ("2026-03-24 09:40", .firstResponse, .running, minutes(70), "2026-03-24 12:30", "2026-03-24 12:15"),
    ]

    @Test(arguments: businessHourCases.indices)
    func clocksCountOnlyBusinessHours(_ i: Int) throws {
        let c = Self.businessHourCases[i]
        let events = try history([(nil, local("2026-03-23 16:30"))])
        let eval = SLAEngine.evaluate(events: events, policy: Self.officePolicy, calendar: try londonOffice(), now: local(c.now))
        let clock = try #require(eval.clock(c.kind))
        #expect(clock.status == c.status)
        #expect(clock.elapsed == c.elapsed)
        #expect(clock.deadline == local(c.deadline))
        #expect(clock.warningAt == c.warning.map { local($0) })
    }

    @Test func nextWakeUpAndNotices() throws {
        let events = try history([(nil, local("2026-03-23 16:30"))])
        let office = try londonOffice()
        let early = SLAEngine.evaluate(events: events, policy: Self.officePolicy, calendar: office, now: local("2026-03-23 16:45"))
        #expect(early.nextWakeUp == local("2026-03-24 09:15"))
        #expect(early.notices.isEmpty)

        let late = SLAEngine.evaluate(events: events, policy: Self.officePolicy, calendar: office, now: local("2026-03-24 09:40"))
        #expect(late.notices.map(\.key) == ["acknowledge#0:warning", "acknowledge#0:breach"])
        #expect(late.notices.map(\.at) == [local("2026-03-24 09:15"), local("2026-03-24 09:30")])
        #expect(late.nextWakeUp == local("2026-03-24 12:15"))

        let sinceLast = SLAEngine.evaluate(events: events, policy: Self.officePolicy, calendar: office,
                                           now: local("2026-03-24 09:40"), notifiedUpTo: local("2026-03-24 09:20"))
        #expect(sinceLast.notices.map(\.key) == ["acknowledge#0:breach"])
    }

    @Test func acknowledgingInTimeMeetsTheClock() throws {
        let events = try history([(nil, local("2026-03-23 16:30")), (.acknowledge, local("2026-03-24 09:10"))])
        let eval = SLAEngine.evaluate(events: events, policy: Self.officePolicy, calendar: try londonOffice(), now: local("2026-03-24 10:00"))
        let ack = try #require(eval.clock(.acknowledge))
        #expect(ack.status == .met)
        #expect(ack.elapsed == minutes(40))
        #expect(ack.stoppedAt == local("2026-03-24 09:10"))
        #expect(eval.notices.isEmpty)
    }

    /// 24×7 policy: opened 10:00, acknowledged 10:10, on hold 11:00–13:00, responded 15:00,
    /// customer writes 15:30, resolved 16:00, customer writes again 20:00 (reopens).
    static let holdCases: [(now: String, kind: SLAClockKind, status: SLAClockStatus, elapsed: TimeInterval, deadline: String?)] = [
        ("12:00", .firstResponse, .paused, hours(1), nil),
        ("12:00", .resolution, .paused, hours(1), nil),
        ("12:00", .acknowledge, .met, minutes(10), nil),
        ("13:30", .firstResponse, .running, hours(1.5), "16:00"),
        ("13:30", .resolution, .running, hours(1.5), "2026-03-24T12:00:00Z"),
        ("15:45", .firstResponse, .met, hours(3), nil),
        ("15:45", .nextResponse, .running, minutes(15), "17:30"),
        ("18:00", .nextResponse, .met, minutes(30), nil),
        ("18:00", .resolution, .met, hours(4), nil),
        ("20:10", .acknowledge, .running, minutes(10), "20:30"),
    ]

    @Test(arguments: holdCases.indices)
    func holdPausesEveryClock(_ i: Int) throws {
        let c = Self.holdCases[i]
        func t(_ hm: String) -> Date { hm.contains("T") ? utc(hm) : utc("2026-03-23T\(hm):00Z") }
        let events = try history([
            (nil, t("10:00")), (.acknowledge, t("10:10")), (.putOnHold, t("11:00")), (.customerWrote, t("13:00")),
            (.respond, t("15:00")), (.customerWrote, t("15:30")), (.resolve, t("16:00")), (.customerWrote, t("20:00")),
        ])
        let eval = SLAEngine.evaluate(events: events, policy: Self.roundTheClock, calendar: .twentyFourSeven, now: t(c.now))
        let clock = try #require(eval.clock(c.kind), "no \(c.kind) clock at \(c.now)")
        #expect(clock.status == c.status)
        #expect(clock.elapsed == c.elapsed)
        if let d = c.deadline { #expect(clock.deadline == t(d)) }
        if c.status == .paused { #expect(clock.deadline == nil && clock.warningAt == nil) }
    }

    @Test func pausedOnHoldHasNothingToWakeFor() throws {
        let t0 = utc("2026-03-23T10:00:00Z")
        let events = try history([(nil, t0), (.acknowledge, t0 + minutes(5)), (.putOnHold, t0 + hours(1))])
        let eval = SLAEngine.evaluate(events: events, policy: Self.roundTheClock, calendar: .twentyFourSeven, now: t0 + hours(2))
        #expect(eval.nextWakeUp == nil)
    }

    @Test func reopenStartsNewEpisodes() throws {
        let t0 = utc("2026-03-23T10:00:00Z")
        let events = try history([(nil, t0), (.respond, t0 + minutes(20)), (.resolve, t0 + hours(1)), (.customerWrote, t0 + hours(5))])
        let eval = SLAEngine.evaluate(events: events, policy: Self.roundTheClock, calendar: .twentyFourSeven, now: t0 + hours(5) + minutes(1))
        #expect(eval.clocks.map(\.key) == ["acknowledge#0", "first_response#0", "resolution#0", "acknowledge#1", "resolution#1", "next_response#0"])
        #expect(eval.clock(.acknowledge)?.deadline == t0 + hours(5) + minutes(30))
        #expect(eval.nextWakeUp == t0 + hours(5) + minutes(15))
    }

    @Test func warningNeverBeforeTheClockStarts() throws {
        let short = SLAPolicy(name: "x", targets: SLATargets(acknowledge: .minutes(10)), businessHours: false)
        let t0 = utc("2026-03-23T10:00:00Z")
        let eval = SLAEngine.evaluate(events: try history([(nil, t0)]), policy: short, calendar: .twentyFourSeven, now: t0)
        #expect(eval.clock(.acknowledge)?.warningAt == t0)
        #expect(eval.clock(.acknowledge)?.deadline == t0 + minutes(10))
    }

    @Test func policySelectionAndDecoding() throws {
        let set = try decodeJSON(SLAPolicySet.self, """
        [{"name": "p1", "severities": ["P1"], "targets": {"acknowledge": "15m", "first_response": "1h"}, "business_hours": false},
         {"name": "mail", "channels": ["mail"], "targets": {"first_response": "1d"}, "calendar": "uk", "warn_before": "1h"},
         {"name": "default", "targets": {"first_response": "8h"}}]
        """)
        #expect(set.policy(severity: .p1, channel: .mail)?.name == "p1")
        #expect(set.policy(severity: .p3, channel: .mail)?.name == "mail")
        #expect(set.policy(severity: .p3, channel: .mail)?.warningLead == 3600)
        #expect(set.policy(severity: .p3, channel: .social)?.name == "default")
        #expect(set.policies[0].targets.acknowledge?.seconds == 900)
        #expect(set.policies[2].businessHours)
    }
}
