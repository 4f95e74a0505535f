import Foundation
@testable import OutcryAlerting
import Testing

@Suite struct RedactorTests {
    static let cases: [(String, String)] = [
        ("mail me at ann.lee+shop@example.co.uk now", "mail me at [email] now"),
        ("call +44 20 7946 0958 or 020-7946-0958", "call [phone] or [phone]"),
        ("my card 4111 1111 1111 1111 was charged twice", "my card [card] was charged twice"),
        ("card 4111-1111-1111-1111.", "card [card]."),
        ("thanks @acme_help and @bob@mastodon.social", "thanks [handle] and [handle]"),
        ("I live at 221B Baker Street, London NW1 6XE", "I live at [address], London [postcode]"),
        ("deliver to 12 High St. please", "deliver to [address] please"),
        ("order 12345 arrived broken", "order 12345 arrived broken"),
        ("it cost 45.99 on 2026-03-23", "it cost 45.99 on 2026-03-23"),
        ("email ann@example.org, phone 07700 900123", "email [email], phone [phone]"),
        ("no personal data here", "no personal data here"),
    ]

    @Test(arguments: cases.indices)
    func redactsPersonalData(_ i: Int) {
        let (input, expected) = Self.cases[i]
        #expect(Redactor().redact(input) == expected)
    }

    @Test func policyCanBeTurnedOffOrNarrowed() {
        let text = "ann@example.org @ann"
        #expect(RedactionPolicy(enabled: false).apply(text) == text)
        #expect(RedactionPolicy(kinds: [.email]).apply(text) == "[email] @ann")
        #expect(RedactionPolicy().apply(text) == "[email] [handle]")
    }
}
