import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct EscalationTests {
    static func chain() throws -> EscalationChain {
        try EscalationChain(name: "p1", tiers: [
            EscalationTier(after: .minutes(0), receivers: ["oncall-slack"]),
            EscalationTier(after: .minutes(15), receivers: ["lead-email"]),
            EscalationTier(after: .minutes(45), receivers: ["head-sms"]),
        ], repeatCount: 1, repeatAfter: .minutes(30))
    }

    static let t0 = utc("2026-03-23T10:00:00Z")

    @Test func scheduleWithRepeats() throws {
        let s = try Self.chain().schedule(unacknowledgedSince: Self.t0)
        #expect(s.map(\.key) == ["p1/tier-1/pass-0", "p1/tier-2/pass-0", "p1/tier-3/pass-0",
                                 "p1/tier-1/pass-1", "p1/tier-2/pass-1", "p1/tier-3/pass-1"])
        #expect(s.map { $0.dueAt.timeIntervalSince(Self.t0) / 60 } == [0, 15, 45, 75, 90, 120])
    }

    static let dueCases: [(minutesIn: Double, sent: Set<String>, status: ThreadStatus, due: [String], next: Double?)] = [
        (0, [], .new, ["p1/tier-1/pass-0"], 15),
        (20, ["p1/tier-1/pass-0"], .new, ["p1/tier-2/pass-0"], 45),
        (50, [], .new, ["p1/tier-1/pass-0", "p1/tier-2/pass-0", "p1/tier-3/pass-0"], 75),
        (80, ["p1/tier-1/pass-0", "p1/tier-2/pass-0", "p1/tier-3/pass-0"], .new, ["p1/tier-1/pass-1"], 90),
        (200, ["p1/tier-1/pass-0", "p1/tier-2/pass-0", "p1/tier-3/pass-0", "p1/tier-1/pass-1", "p1/tier-2/pass-1"], .new, ["p1/tier-3/pass-1"], nil),
        (20, [], .acknowledged, [], nil),
        (20, [], .onHold, [], nil),
    ]

    @Test(arguments: dueCases.indices)
    func dueTiers(_ i: Int) throws {
        let c = Self.dueCases[i]
        let plan = try Self.chain().due(status: c.status, unacknowledgedSince: Self.t0, alreadySent: c.sent, now: Self.t0 + minutes(c.minutesIn))
        #expect(plan.due.map(\.key) == c.due)
        #expect(plan.nextDueAt == c.next.map { Self.t0 + minutes($0) })
    }

    @Test func tiersCanCountBusinessHours() throws {
        let chain = try EscalationChain(name: "p3", tiers: [EscalationTier(after: .hours(2), receivers: ["team"])])
        let s = chain.schedule(unacknowledgedSince: local("2026-03-27 16:00"), calendar: try londonOffice())
        #expect(s.first?.dueAt == local("2026-03-30 10:00"))
        #expect(s.first?.reason == "escalation 'p3' tier 1: unacknowledged")
    }

    @Test func decodesAndValidates() throws {
        let chains = try decodeJSON([String: EscalationChain].self, """
        {"p1": {"tiers": [{"after": "0m", "receivers": ["a"]}, {"after": "15m", "receivers": ["b"]}], "repeat": 2, "repeat_after": "30m"}}
        """)
        #expect(chains["p1"]?.name == "p1")
        #expect(chains["p1"]?.repeatCount == 2)
        #expect(throws: (any Error).self) { try decodeJSON(EscalationChain.self, #"{"name": "x", "tiers": []}"#) }
        #expect(throws: (any Error).self) {
            try decodeJSON(EscalationChain.self, #"{"name": "x", "tiers": [{"after": "15m", "receivers": ["a"]}, {"after": "5m", "receivers": ["b"]}]}"#)
        }
    }
}
