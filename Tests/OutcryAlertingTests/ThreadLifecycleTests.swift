import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct ThreadLifecycleTests {
    static let allowed: [(ThreadCommand, ThreadStatus, ThreadStatus?)] = [
        (.acknowledge, .new, .acknowledged),
        (.acknowledge, .acknowledged, nil),
        (.acknowledge, .resolved, nil),
        (.respond, .new, .responded),
        (.respond, .acknowledged, .responded),
        (.respond, .onHold, .responded),
        (.respond, .resolved, nil),
        (.putOnHold, .acknowledged, .onHold),
        (.putOnHold, .responded, .onHold),
        (.putOnHold, .onHold, nil),
        (.customerWrote, .responded, .acknowledged),
        (.customerWrote, .onHold, .acknowledged),
        (.customerWrote, .resolved, .new),
        (.customerWrote, .new, .new),
        (.resolve, .responded, .resolved),
        (.resolve, .new, .resolved),
        (.resolve, .resolved, nil),
        (.reopen, .resolved, .new),
        (.reopen, .acknowledged, nil),
        (.assign(.team("support")), .onHold, .onHold),
        (.assign(.person("ana")), .resolved, nil),
    ]

    @Test(arguments: allowed.indices)
    func transitionTable(_ i: Int) {
        let (command, from, to) = Self.allowed[i]
        #expect(ThreadLifecycle.target(of: command, from: from) == to, "\(command) from \(from)")
    }

    @Test func everyTransitionReturnsAnEvent() throws {
        let t0 = utc("2026-03-23T10:00:00Z")
        var life = ThreadLifecycle(openedAt: t0)
        let e1 = try life.apply(.assign(.person("ana")), by: "lead", at: t0 + 60, note: "yours")
        #expect(e1 == ThreadEvent(kind: .assigned, actor: "lead", at: t0 + 60, from: .new, to: .new, note: "yours", assignee: .person("ana")))
        let e2 = try life.apply(.acknowledge, by: "ana", at: t0 + 120)
        #expect(e2.from == .new && e2.to == .acknowledged && e2.actor == "ana")
        try life.apply(.respond, by: "ana", at: t0 + 300)
        try life.apply(.putOnHold, by: "ana", at: t0 + 400, note: "asked for order number")
        try life.apply(.customerWrote, by: "customer", at: t0 + 900)
        #expect(life.status == .acknowledged)
        try life.apply(.respond, by: "ana", at: t0 + 1000)
        try life.apply(.resolve, by: "ana", at: t0 + 1100)
        try life.apply(.customerWrote, by: "customer", at: t0 + 5000)
        #expect(life.status == .new)
        #expect(life.assignee == .person("ana"))
        #expect(life.events.count == 9)
        // The history replays to the same state.
        #expect(try ThreadLifecycle(replaying: life.events) == life)
    }

    @Test func illegalTransitionsSayWhy() throws {
        let t0 = utc("2026-03-23T10:00:00Z")
        var life = ThreadLifecycle(openedAt: t0)
        try life.apply(.resolve, by: "ana", at: t0 + 10)
        let error = #expect(throws: TransitionError.self) { try life.apply(.acknowledge, by: "ana", at: t0 + 20) }
        #expect(error?.message == "cannot acknowledge a resolved thread; reopen it first")
        #expect(life.status == .resolved && life.events.count == 2)

        var other = ThreadLifecycle(openedAt: t0)
        try other.apply(.acknowledge, by: "ana", at: t0 + 10)
        #expect(throws: TransitionError.self) { try other.apply(.acknowledge, by: "bo", at: t0 + 20) }
        let reopen = #expect(throws: TransitionError.self) { try other.apply(.reopen, by: "bo", at: t0 + 20) }
        #expect(reopen?.message == "cannot reopen a thread that is acknowledged; only resolved threads reopen")
        let early = #expect(throws: TransitionError.self) { try other.apply(.respond, by: "bo", at: t0) }
        #expect(early?.message.contains("before its last event") == true)
    }

    @Test func replayRejectsBrokenHistories() {
        let t0 = utc("2026-03-23T10:00:00Z")
        let noOpen = [ThreadEvent(kind: .acknowledged, actor: "a", at: t0, from: .new, to: .acknowledged)]
        #expect(throws: TransitionError.self) { try ThreadLifecycle(replaying: noOpen) }
        let bad = [ThreadEvent(kind: .opened, actor: "c", at: t0, from: nil, to: .new),
                   ThreadEvent(kind: .reopened, actor: "a", at: t0, from: .new, to: .new)]
        #expect(throws: TransitionError.self) { try ThreadLifecycle(replaying: bad) }
    }

    @Test func eventsRoundTripThroughJSON() throws {
        var life = ThreadLifecycle(openedAt: utc("2026-03-23T10:00:00Z"))
        try life.apply(.assign(.team("legal")), by: "lead", at: utc("2026-03-23T10:01:00Z"))
        let data = try JSONEncoder().encode(life)
        #expect(try JSONDecoder().decode(ThreadLifecycle.self, from: data) == life)
    }
}
