import Foundation
import Testing
@testable import OutcryModel

@Test func stableHashIsStableAndSixteenHexDigits() {
    #expect(StableHash.hex(of: "") == "cbf29ce484222325")
    #expect(StableHash.hex(of: "a") == "af63dc4c8601ec8c")
    #expect(StableHash.hex(of: "hello").count == 16)
}

@Test func severityOrdersP1AboveP4() {
    #expect(Severity.p1 > Severity.p2)
    #expect(Severity.p4 > Severity.none)
    #expect([Severity.p3, .p1, .none, .p2].sorted(by: >) == [.p1, .p2, .p3, .none])
}

@Test func scoringTextDoesNotRepeatTheTitle() {
    let m = Mention(sourceName: "s", channel: .feed, key: "k", title: "Broken", text: "Broken again", fetchedAt: Date())
    #expect(m.scoringText == "Broken again")
    let n = Mention(sourceName: "s", channel: .feed, key: "k", title: "Refund", text: "still waiting", fetchedAt: Date())
    #expect(n.scoringText == "Refund. still waiting")
}
