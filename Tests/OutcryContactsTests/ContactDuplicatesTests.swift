import OutcryModel
import Testing
@testable import OutcryContacts

/// Contacts with known duplicate pairs: a base set of distinct people, then copies of some of
/// them changed the way duplicates arise (re-typed names, other formats, another address).
struct SyntheticContacts {
    var contacts: [Contact] = []
    var truePairs: Set<[Int]> = []

    static let firstNames = ["james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david", "elizabeth",
                             "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen",
                             "christopher", "lisa", "daniel", "nancy", "matthew", "betty", "anthony", "sandra", "mark", "ashley",
                             "zoë", "josé", "jürgen", "siobhan", "priya", "wei", "aiko", "olusegun", "fatima", "lars"]
    static let lastNames = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
                            "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
                            "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
                            "müller", "o'brien", "nakamura", "okafor", "patel", "kowalski", "dubois", "rossi", "nguyen", "andersson"]
    static let companies = (0..<40).map { "Company \($0) Ltd" }

    init(people: Int, duplicates: Int, seed: UInt64) {
        var random = SplitMix64(state: seed)
        var names: Set<String> = []
        func title(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }
        while contacts.count < people {
            let first = random.pick(Self.firstNames), last = random.pick(Self.lastNames)
            let companyIndex = random.below(Self.companies.count)
            // Distinct people at one company have distinct names (otherwise no one could tell them apart).
            guard names.insert("\(first) \(last) \(companyIndex)").inserted else { continue }
            let n = contacts.count
            let localPart = NameNormalizer.fold(first) + "." + NameNormalizer.fold(last).replacingOccurrences(of: " ", with: "") + "\(n)"
            let email = random.below(3) == 0 ? "\(localPart)@gmail.com" : "\(localPart)@company\(companyIndex).example"
            var handles: [SocialHandle] = []
            if random.below(2) == 0 { handles.append(SocialHandle(network: .x, handle: "user\(n)")) }
            contacts.append(Contact(
                externalID: "base-\(n)", name: "\(title(first)) \(title(last))", emails: [email],
                phones: ["+1415\(String(2_000_000 + n))"], handles: handles, company: Self.companies[companyIndex]))
        }
        var used: Set<Int> = []
        while used.count < duplicates {
            let original = random.below(people)
            guard used.insert(original).inserted else { continue }
            let base = contacts[original]
            var copy = Contact(externalID: "dup-\(original)", name: base.name, company: base.company)
            switch random.below(4) {
            case 0: // same email written differently, name turned round
                copy.emails = [base.emails[0].uppercased()]
                let parts = base.name.split(separator: " ")
                copy.name = "\(parts.last!), \(parts.dropLast().joined(separator: " "))"
                copy.company = nil
            case 1: // same phone in a national format, a misspelt name, a private address
                let digits = base.phones[0].dropFirst(2)
                copy.phones = ["(\(digits.prefix(3))) \(digits.dropFirst(3).prefix(3))-\(digits.suffix(4))"]
                copy.name = Self.misspell(base.name, &random)
                copy.emails = ["someone\(original)@yahoo.com"]
            case 2: // same handle as a profile URL, or the same phone when there is no handle
                if let handle = base.handles.first {
                    copy.handles = [SocialHandle(network: .x, handle: "https://twitter.com/\(handle.handle.uppercased())")]
                } else {
                    copy.phones = base.phones
                }
                copy.company = nil
            default: // only the name, re-typed, at the same company
                copy.name = Self.misspell(base.name, &random)
                copy.emails = ["new\(original)@company-mail.example"]
            }
            truePairs.insert([original, contacts.count])
            contacts.append(copy)
        }
    }

    /// One typo in the longest word: a letter dropped, doubled or two swapped.
    static func misspell(_ name: String, _ random: inout SplitMix64) -> String {
        var words = name.split(separator: " ").map { Array($0) }
        let target = words.indices.max { words[$0].count < words[$1].count }!
        var word = words[target]
        let position = 1 + random.below(max(1, word.count - 2))
        switch random.below(3) {
        case 0: word.remove(at: position)
        case 1: word.insert(word[position], at: position)
        default: word.swapAt(position, min(position + 1, word.count - 1))
        }
        words[target] = word
        return words.map { String($0) }.joined(separator: " ")
    }
}

@Suite("Contact duplicates and merge")
struct ContactDuplicatesTests {
    @Test("precision and recall on a synthetic set", arguments: [UInt64(1), 2, 3])
    func precisionRecall(seed: UInt64) {
        let set = SyntheticContacts(people: 3_000, duplicates: 300, seed: seed)
        let found = ContactDuplicates.find(in: set.contacts, options: .init(defaultRegion: PhoneRegion.named("US")))
        let reported = Set(found.map { [$0.first, $0.second] })
        let truePositives = reported.intersection(set.truePairs).count
        let precision = Double(truePositives) / Double(max(1, reported.count))
        let recall = Double(truePositives) / Double(set.truePairs.count)
        print("duplicates seed \(seed): \(reported.count) reported, precision \(precision), recall \(recall)")
        #expect(precision >= 0.95) // measured 0.958–0.974 over seeds 1–3: the misses are real look-alikes (Anderson/Andersson, Mary/Mark)
        #expect(recall >= 0.99) // measured 0.997–1.0
    }

    @Test func reasonsNameTheSharedFacts() {
        let a = Contact(externalID: "a", name: "Ada Lovelace", emails: ["ada@example.com"], company: "Acme")
        let b = Contact(externalID: "b", name: "Lovelace, Ada", emails: ["ADA@example.com"])
        let c = Contact(externalID: "c", name: "Ada Lovelaace", emails: ["al@acme.example"], company: "ACME Ltd.")
        let d = Contact(externalID: "d", name: "Bob Lovelace", phones: ["+14155552671"], company: "Acme")
        let e = Contact(externalID: "e", name: "Carol Jones", phones: ["+14155552671"])
        let pairs = ContactDuplicates.find(in: [a, b, c, d, e])
        #expect(pairs.map { [$0.first, $0.second] } == [[0, 1], [0, 2]])
        #expect(pairs[0].reasons == ["same email ada@example.com", "names 100% alike"])
        #expect(pairs[1].reasons == ["names 98% alike (one letter apart) at the same company (acme)"])
        // d and e share a phone but not a name: reported only below the threshold.
        let loose = ContactDuplicates.find(in: [d, e], options: .init(minimumScore: 0.1))
        #expect(loose.first?.reasons.last?.hasPrefix("but the names differ") == true)
    }

    @Test func commonIdentifiersAreNotEvidence() {
        let names = SyntheticContacts.firstNames
        let team = (0..<30).map { Contact(externalID: "t\($0)", name: "\(names[$0]) \(names[$0 + 1])", emails: ["support@acme.example"]) }
        #expect(ContactDuplicates.find(in: team).isEmpty)
    }

    @Test func merge() {
        let a = Contact(id: 7, externalID: "hs-1", name: "Ada Lovelace", emails: ["ada@example.com"], company: "Acme", tier: "gold")
        let b = Contact(externalID: "sf-9", name: "Ada King", emails: ["ada@example.com", "ada@home.example"], phones: ["+442079460958"],
                        handles: [SocialHandle(network: .x, handle: "adal")], company: "Acme Ltd", segment: "customer", tier: "silver",
                        optedOut: true, mergedExternalIDs: ["zoho-3"])
        let result = ContactMerge.merge(b, into: a)
        #expect(result.merged == Contact(
            id: 7, externalID: "hs-1", name: "Ada Lovelace", emails: ["ada@example.com", "ada@home.example"], phones: ["+442079460958"],
            handles: [SocialHandle(network: .x, handle: "adal")], company: "Acme", segment: "customer", tier: "gold",
            optedOut: true, mergedExternalIDs: ["sf-9", "zoho-3"]))
        #expect(result.audit == [
            "merged sf-9 (Ada King) into hs-1 (Ada Lovelace)",
            "added email ada@home.example",
            "added phone +442079460958",
            "added handle X @adal",
            "kept name \"Ada Lovelace\" (sf-9 had \"Ada King\")",
            "kept company \"Acme\" (sf-9 had \"Acme Ltd\")",
            "took segment \"customer\" from sf-9",
            "kept tier \"gold\" (sf-9 had \"silver\")",
            "sf-9 had opted out, so the merged contact is opted out",
            "noted sf-9 as a merged external id",
        ])
    }
}
