import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

private let at = utc("2026-11-18T10:00:00Z")

private func alert(_ id: String, thread: String, _ severity: Severity, _ kind: AlertKind = .newThread, firedAt: Date = at) -> ThreadAlert {
    ThreadAlert(id: id, threadID: thread, kind: kind, title: "Thread \(thread) \(kind.rawValue)", severity: severity,
                source: "social", channel: .social, firedAt: firedAt)
}

@Suite struct DeliveryStagesTests {
    @Test func groupWaitSendsUngroupedAlertsAtOnceAndHoldsAGroupUntilGroupWait() {
        let a = [alert("1", thread: "1", .p2)]
        #expect(GroupWaitStage.decide(group: nil, groupKey: nil, alerts: a, grouping: nil, now: at) == .send)
        let grouping = GroupingOptions(groupWait: 30, groupInterval: 300, repeatInterval: 3600)
        let fresh = AlertGroupState(key: "g", firstAlertAt: at)
        #expect(GroupWaitStage.decide(group: fresh, groupKey: "g", alerts: a, grouping: grouping, now: at) == .wait(until: at + 30))
        #expect(GroupWaitStage.decide(group: fresh, groupKey: "g", alerts: a, grouping: grouping, now: at + 30) == .send)
        // After a notification, a new alert waits for group_interval.
        let notified = AlertGroupState(key: "g", firstAlertAt: at, lastNotifiedAt: at + 30, notifiedAlertIDs: ["1"])
        let more = a + [alert("2", thread: "2", .p3)]
        #expect(GroupWaitStage.decide(group: notified, groupKey: "g", alerts: more, grouping: grouping, now: at + 60) == .wait(until: at + 330))
    }

    @Test func dedupeListsEachThreadOnceByItsMostSevereNewestAlert() {
        let alerts = [
            alert("t1/new", thread: "1", .p2),
            alert("t2/new", thread: "2", .p3),
            alert("t1/warn", thread: "1", .p2, .slaWarning, firedAt: at + 600),
            alert("t1/esc", thread: "1", .p1, .escalation, firedAt: at + 60),
        ]
        let kept = DedupeStage.apply(alerts)
        #expect(kept.map(\.threadID) == ["1", "2"])
        #expect(kept.map(\.id) == ["t1/esc", "t2/new"])
        // On equal severity, the newest alert of the thread stands for it.
        #expect(DedupeStage.apply(Array(alerts.prefix(3))).map(\.id) == ["t1/warn", "t2/new"])
    }

    @Test func repeatFilterKeepsOnlyUnacknowledgedThreads() {
        let alerts = [alert("a", thread: "1", .p1), alert("b", thread: "2", .p2)]
        #expect(RepeatFilterStage.apply(alerts, stillUnacknowledged: ["2"]).map(\.id) == ["b"])
        #expect(RepeatFilterStage.apply(alerts, stillUnacknowledged: []).isEmpty)
    }

    /// A new P1 leads the message, not an older thread's SLA warning of the same severity
    /// (a new P1 arrived titled "sla_warning … +3 more").
    @Test func theLeadIsTheMostSevereNewAlert() {
        let warning = alert("t7/warn", thread: "7", .p1, .slaWarning, firedAt: at)
        let newP1 = alert("t9/new", thread: "9", .p1, .newThread, firedAt: at + 120)
        let p2 = alert("t8/new", thread: "8", .p2, firedAt: at - 600)
        let ordered = LeadOrderStage.apply([p2, warning, newP1])
        #expect(ordered.map(\.id) == ["t9/new", "t7/warn", "t8/new"])
        // An alert already sent in this group does not lead a later message.
        let already = LeadOrderStage.apply([newP1, alert("t10/new", thread: "10", .p1, firedAt: at + 300)], alreadyNotified: ["t9/new"])
        #expect(already.first?.id == "t10/new")
    }

    @Test func theComposerKeepsTheStagesOrderAmongEqualSeverities() {
        let composer = NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: AckTokenSigner(key: Array(repeating: 1, count: 32)))
        let ordered = LeadOrderStage.apply([alert("t7/warn", thread: "7", .p1, .slaWarning), alert("t9/new", thread: "9", .p1, firedAt: at + 120)])
        let n = composer.compose(alerts: ordered, receiver: "hook", groupKey: "g", now: at + 200)
        #expect(n.kind == .newThread)
        #expect(n.title == "Thread 9 new_thread")
        #expect(n.alsoInGroup.count == 1)
    }
}
