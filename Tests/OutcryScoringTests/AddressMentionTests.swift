import Foundation
import Testing
import OutcryModel
@testable import OutcryScoring

// Issue 13, item 9: an e-mail address never counts as an @mention, so the domain of a
// customer's address is never quoted as `complaint.directed` evidence (and sent out).
@Suite struct AddressMentionTests {
    @Test func anEmailAddressIsNotAnAtMention() {
        let s = scorer.score(text: "Refund refused again, this is terrible. Write to jane.doe@doefamily.net")
        #expect(!s.reasons.contains { $0.evidence.lowercased().contains("doefamily") }, "\(s.reasons)")
    }

    @Test func aRealMentionStillCounts() {
        let s = scorer.score(text: "@acme refund refused again, this is terrible")
        #expect(s.reasons.contains { $0.rule == "complaint.directed" })
        // A fediverse handle's instance is part of the handle, not a second mention.
        let f = scorer.score(text: "@acme@mastodon.social refund refused again, this is terrible")
        #expect(!f.reasons.contains { $0.evidence.lowercased().contains("mastodon") })
    }
}
