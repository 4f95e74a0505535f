import Foundation
import OutcryModel
import Testing
@testable import OutcryContacts

@Suite("Contact linking")
struct ContactLinkTests {
    static let contacts: [Contact] = [
        Contact(externalID: "c0", name: "Ada Lovelace", emails: ["ada@analytical.example"], phones: ["+442079460958"],
                handles: [SocialHandle(network: .x, handle: "adal"), SocialHandle(network: .mastodon, handle: "ada@mastodon.social")],
                company: "Analytical Engines Ltd"),
        Contact(externalID: "c1", name: "John Smith", emails: ["john.smith@acme.example"], company: "Acme"),
        Contact(externalID: "c2", name: "John Smith", emails: ["jsmith@globex.example"], company: "Globex"),
        Contact(externalID: "c3", name: "Grace Hopper", emails: ["grace@navy.example", "shared@family.example"],
                handles: [SocialHandle(network: .reddit, handle: "amazing_grace")]),
        Contact(externalID: "c4", name: "Harry Hopper", emails: ["shared@family.example"]),
        Contact(externalID: "c5", name: "Olive Optout", emails: ["olive@private.example"], phones: ["+14155552671"],
                handles: [SocialHandle(network: .bluesky, handle: "olive.bsky.social")], company: "Acme", optedOut: true),
        Contact(externalID: "c6", name: "Alan Turing", emails: ["alan@bletchley.example"], company: "Bletchley Park"),
    ]

    static let index = ContactIndex(contacts, options: ContactMatchOptions(emailFolding: EmailFolding(plusAddresses: true),
                                                                           defaultRegion: PhoneRegion.named("GB")))

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var query: LinkQuery
        var expected: Expected
    }

    enum Expected: Sendable, Equatable {
        case linked(String, LinkEvidence)
        case ambiguous([String])
        case optedOut
        case unlinked(candidates: [String])
    }

    static let cases: [Case] = [
        Case(description: "sender email, case and plus tag folded", query: LinkQuery(email: "ADA+orders@Analytical.example"),
             expected: .linked("c0", .email)),
        Case(description: "X handle as URL", query: LinkQuery(handle: "https://x.com/AdaL"), expected: .linked("c0", .handle(.x))),
        Case(description: "Mastodon handle, network from its form", query: LinkQuery(handle: "@Ada@mastodon.social"),
             expected: .linked("c0", .handle(.mastodon))),
        Case(description: "Reddit handle on a given network", query: LinkQuery(handle: "Amazing_Grace", network: .reddit),
             expected: .linked("c3", .handle(.reddit))),
        Case(description: "handle on another network does not match", query: LinkQuery(handle: "adal", network: .instagram),
             expected: .unlinked(candidates: [])),
        Case(description: "phone number in the text", query: LinkQuery(text: "Please call me back on 020 7946 0958, nobody answers"),
             expected: .linked("c0", .phone)),
        Case(description: "name and company named in the text", query: LinkQuery(name: "Jon Smith", text: "Acme support has ignored me for a week"),
             expected: .linked("c1", .name)),
        Case(description: "name and company domain of the sender", query: LinkQuery(email: "j.smith@globex.example", name: "John Smith"),
             expected: .linked("c2", .name)),
        Case(description: "'Last, First' name with company given", query: LinkQuery(name: "Turing, Alan", company: "Bletchley Park Ltd"),
             expected: .linked("c6", .name)),
        Case(description: "name alone is below the threshold", query: LinkQuery(name: "John Smith", text: "Terrible service"),
             expected: .unlinked(candidates: ["c1", "c2"])),
        Case(description: "a shared address is ambiguous", query: LinkQuery(email: "shared@family.example"),
             expected: .ambiguous(["c3", "c4"])),
        Case(description: "opted out by email", query: LinkQuery(email: "olive@private.example", name: "Olive Optout"),
             expected: .optedOut),
        Case(description: "opted out by handle", query: LinkQuery(handle: "@olive.bsky.social"), expected: .optedOut),
        Case(description: "opted out by phone in the text", query: LinkQuery(text: "call +1 415 555 2671"), expected: .optedOut),
        Case(description: "opted-out people are not fuzzy candidates", query: LinkQuery(name: "Olive Optout", text: "Acme is awful"),
             expected: .unlinked(candidates: [])),
        Case(description: "unknown person", query: LinkQuery(email: "someone@else.example", name: "Mary Jones"),
             expected: .unlinked(candidates: [])),
    ]

    @Test("links", arguments: cases)
    func link(testCase: Case) {
        let result = Self.index.link(testCase.query)
        switch (result, testCase.expected) {
        case (.linked(let candidate), .linked(let id, let evidence)):
            #expect(candidate.contact.externalID == id)
            #expect(candidate.evidence.contains(evidence))
            #expect(candidate.confidence >= 0.8 && candidate.confidence <= 1)
            #expect(!candidate.reason.isEmpty)
        case (.ambiguous(let candidates), .ambiguous(let ids)):
            #expect(candidates.map(\.contact.externalID).sorted() == ids)
        case (.optedOut, .optedOut):
            #expect(result.description == "anonymous (opted out)")
            #expect(!result.description.contains("Olive"))
        case (.unlinked(let candidates), .unlinked(let ids)):
            #expect(candidates.map(\.contact.externalID).sorted() == ids)
            #expect(candidates.allSatisfy { $0.confidence < 0.8 })
        default:
            Issue.record("\(testCase.description): got \(result)")
        }
    }

    @Test func reasonsSayWhy() {
        let byEmail = Self.index.link(LinkQuery(email: "ada@analytical.example"))
        #expect(byEmail.description == "linked to Ada Lovelace (99%): sender email ada@analytical.example is on Ada Lovelace's record")
        let fuzzy = Self.index.link(LinkQuery(name: "Jon Smith", text: "Acme support has ignored me"))
        #expect(fuzzy.description.contains("is like John Smith"))
        #expect(fuzzy.description.contains("the company \"acme\" is named in the text"))
        let weak = Self.index.link(LinkQuery(name: "John Smith"))
        #expect(weak.description.contains("nothing else confirms it"))
    }

    @Test func multiWordCompanyNamedWithoutItsLegalForm() {
        let link = Self.index.link(LinkQuery(name: "Ada Lovelace", text: "analytical engines lost my order"))
        #expect(link.contact?.externalID == "c0")
        #expect(Self.index.companies(inText: "I bought from Analytical Engines and ACME") == ["analytical engines", "acme"])
    }

    @Test func builderMatchesSequenceInit() {
        var builder = ContactIndex.Builder(options: Self.index.options)
        for contact in Self.contacts { builder.add(contact) }
        let built = builder.build()
        #expect(built.count == Self.index.count)
        for testCase in Self.cases { #expect(built.link(testCase.query) == Self.index.link(testCase.query)) }
    }

    @Test func twoIdentifiersStrengthenOneLink() {
        guard case .linked(let candidate) = Self.index.link(LinkQuery(email: "ada@analytical.example", handle: "@adal", network: .x)) else {
            Issue.record("not linked")
            return
        }
        #expect(candidate.evidence == [.email, .handle(.x)])
        #expect(candidate.confidence > 0.999)
    }

    @Test func mentions() {
        let now = Date(timeIntervalSince1970: 0)
        let mail = Mention(sourceName: "complaints", channel: .mail, key: "m1", text: "Where is my refund?",
                           authorName: "Ada Lovelace", authorHandle: "ada@analytical.example", fetchedAt: now)
        #expect(Self.index.link(mail).contact?.externalID == "c0")
        let post = Mention(sourceName: "mastodon", channel: .social, key: "p1", text: "@brand broken again",
                           authorHandle: "@ada@mastodon.social", fetchedAt: now)
        #expect(Self.index.link(post).contact?.externalID == "c0")
    }
}
