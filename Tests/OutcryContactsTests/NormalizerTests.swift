import Foundation
import OutcryModel
import Testing
@testable import OutcryContacts

@Suite("Contact normalisers")
struct NormalizerTests {
    @Test("emails", arguments: [
        ("Ada.Lovelace@Example.COM", EmailFolding(), "ada.lovelace@example.com"),
        ("  <ada@example.com> ", EmailFolding(), "ada@example.com"),
        ("Ada Lovelace <Ada@Example.com>", EmailFolding(), "ada@example.com"),
        ("mailto:ada@example.com?subject=hi", EmailFolding(), "ada@example.com"),
        ("ada+news@example.com", EmailFolding(), "ada+news@example.com"),
        ("ada+news@example.com", EmailFolding(plusAddresses: true), "ada@example.com"),
        ("a.d.a@gmail.com", EmailFolding(), "a.d.a@gmail.com"),
        ("a.d.a+x@googlemail.com", EmailFolding(plusAddresses: true, gmailDots: true), "ada@gmail.com"),
        ("a.d.a@example.com", EmailFolding(gmailDots: true), "a.d.a@example.com"),
        ("zoë@exämple.de", EmailFolding(), "zoë@exämple.de"),
        ("Ada@GoogleMail.COM", EmailFolding(), "ada@gmail.com"),
        ("A.D.A+x@GMAIL.com", EmailFolding(plusAddresses: true, gmailDots: true), "ada@gmail.com"),
        (" MAILTO:Ada@Example.com?subject=x ", EmailFolding(), "ada@example.com"),
        ("Ada <ADA+x@Example.com> ", EmailFolding(plusAddresses: true), "ada@example.com"),
    ])
    func email(raw: String, folding: EmailFolding, expected: String) {
        #expect(EmailNormalizer.normalize(raw, folding: folding) == expected)
    }

    @Test("invalid emails", arguments: [
        "", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a b@example.com", "ada@exa mple.com",
        "ada..l@example.com", ".ada@example.com", "ada@-example.com", "ada@example.123", "ada@example..com",
    ])
    func invalidEmail(raw: String) {
        #expect(EmailNormalizer.normalize(raw) == nil)
    }

    @Test("phones to E.164", arguments: [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", nil, "+442079460958"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("07700 900123", "GB", "+447700900123"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("1-415-555-2671", "US", "+14155552671"),
        ("+1 415 555 2671 ext. 12", nil, "+14155552671"),
        ("415.555.2671 x12", "CA", "+14155552671"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("030 123456", "DE", "+4930123456"),
        ("01 23 45 67 89", "FR", "+33123456789"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("912 345 678", "ES", "+34912345678"),
        ("06 6982 1234", "IT", "+390669821234"),
        ("+39 06 6982 1234", nil, "+390669821234"),
        ("347 123 4567", "IT", "+393471234567"),
        ("020 123 4567", "NL", "+31201234567"),
        ("02 123 45 67", "BE", "+3221234567"),
        ("(02) 9876 5432", "AU", "+61298765432"),
        ("0412 345 678", "AU", "+61412345678"),
        ("09 123 4567", "NZ", "+6491234567"),
        ("01 234 5678", "IE", "+35312345678"),
        ("098765 43210", "IN", "+919876543210"),
        ("(11) 98765-4321", "BR", "+5511987654321"),
        ("55 1234 5678", "MX", "+525512345678"),
        ("+52 1 55 1234 5678", nil, "+525512345678"),
        ("03-1234-5678", "JP", "+81312345678"),
        ("tel:+1-415-555-2671", nil, "+14155552671"),
        ("+7 495 123 45 67", nil, "+74951234567"),
    ])
    func phone(raw: String, region: String?, expected: String) {
        #expect(PhoneNormalizer.e164(raw, region: region.flatMap(PhoneRegion.named)) == expected)
    }

    @Test("invalid phones", arguments: [
        ("12345", "GB"),
        ("020 7946", "GB"),
        ("(415) 555-267", "US"),
        ("(015) 555-2671", "US"),
        ("415 555 2671", nil),
        ("call me", "US"),
        ("+44 20 7946 0958 0958 0958", nil),
        ("06 12 34 56 78 9", "FR"),
        ("+0 123 456 789", nil),
        ("1+2", "US"),
    ])
    func invalidPhone(raw: String, region: String?) {
        #expect(PhoneNormalizer.e164(raw, region: region.flatMap(PhoneRegion.named)) == nil)
    }

    @Test func phonesInText() {
        let text = "Ring me on 020 7946 0958 or +1 (415) 555-2671, order 12345678 was 3 days late, ref 2024-01-05"
        #expect(PhoneNormalizer.numbers(inText: text, region: PhoneRegion.named("GB")) == ["+442079460958", "+14155552671"])
    }

    @Test("handles", arguments: [
        ("@AdaL", SocialNetwork?.some(.x), SocialNetwork.x, "adal"),
        ("https://twitter.com/AdaL", nil, .x, "adal"),
        ("x.com/AdaL?s=20", nil, .x, "adal"),
        ("https://mobile.twitter.com/adal/status/1", nil, .x, "adal"),
        ("@Ada@Mastodon.Social", nil, .mastodon, "ada@mastodon.social"),
        ("ada@hachyderm.io", SocialNetwork?.some(.mastodon), .mastodon, "ada@hachyderm.io"),
        ("https://fosstodon.org/@ada", nil, .mastodon, "ada@fosstodon.org"),
        ("u/Ada_L", nil, .reddit, "ada_l"),
        ("/u/Ada_L", nil, .reddit, "ada_l"),
        ("https://www.reddit.com/user/Ada_L/", nil, .reddit, "ada_l"),
        ("Ada_L", SocialNetwork?.some(.reddit), .reddit, "ada_l"),
        ("@ada.bsky.social", nil, .bluesky, "ada.bsky.social"),
        ("ada", SocialNetwork?.some(.bluesky), .bluesky, "ada.bsky.social"),
        ("https://bsky.app/profile/ada.example.com", nil, .bluesky, "ada.example.com"),
        ("https://www.instagram.com/ada.l/", nil, .instagram, "ada.l"),
        ("@Ada.L", SocialNetwork?.some(.instagram), .instagram, "ada.l"),
        ("https://www.tiktok.com/@ada_l", nil, .tiktok, "ada_l"),
        ("@ada_l", SocialNetwork?.some(.tiktok), .tiktok, "ada_l"),
    ])
    func handle(raw: String, network: SocialNetwork?, expectedNetwork: SocialNetwork, expected: String) {
        #expect(HandleNormalizer.normalize(raw, network: network) == SocialHandle(network: expectedNetwork, handle: expected))
    }

    @Test("invalid handles", arguments: [
        ("ada", SocialNetwork?.none),
        ("this_name_is_far_too_long", SocialNetwork?.some(.x)),
        ("ada lovelace", SocialNetwork?.some(.x)),
        ("https://example.com/ada", SocialNetwork?.none),
        ("https://twitter.com/ada", SocialNetwork?.some(.reddit)),
        ("ada@", SocialNetwork?.some(.mastodon)),
        ("u/ab", SocialNetwork?.none),
    ])
    func invalidHandle(raw: String, network: SocialNetwork?) {
        #expect(HandleNormalizer.normalize(raw, network: network) == nil)
    }

    @Test("display names", arguments: [
        ("  Ada   Lovelace ", "Ada Lovelace"),
        ("Lovelace, Ada", "Ada Lovelace"),
        ("Dr. Lovelace, Ada", "Ada Lovelace"),
        ("Mrs Ada Lovelace", "Ada Lovelace"),
        ("Prof. Dr. Ada King", "Ada King"),
        ("Martin Luther King, Jr.", "Martin Luther King"),
        ("Ｚｏë Ｗｉｌｌｉａｍｓ", "Zoë Williams"),
        ("Mr", "Mr"),
    ])
    func displayName(raw: String, expected: String) {
        #expect(NameNormalizer.display(raw) == expected)
    }

    @Test("name match tokens", arguments: [
        ("Zoë O'Brien-Núñez, PhD", ["zoe", "obrien", "nunez"]),
        ("JOSÉ ÁLVAREZ", ["jose", "alvarez"]),
        ("Müller, Jürgen", ["jurgen", "muller"]),
        ("Straße Łukasz", ["strasse", "lukasz"]),
        ("Søren Kierkegaard", ["soren", "kierkegaard"]),
        ("Ms. Ada Lovelace", ["ada", "lovelace"]),
    ])
    func nameTokens(raw: String, expected: [String]) {
        #expect(NameNormalizer.tokens(raw) == expected)
    }

    /// Plain ASCII names take a shortcut (folded whole, no display form made): on thousands of
    /// names built from honorifics, suffixes, initials, apostrophes and punctuation (which must
    /// leave the shortcut) it must give what the display-form path gives.
    @Test func asciiNameTokensShortcutMatchesTheDisplayPath() {
        let words = ["Dr.", "Mr", "sr", "Sr.", "Jr.", "jr", "PhD", "III", "John", "O'Brien", "J.R.", "-", "Anne-Marie",
                     "Smith", "x", "Dr.Smith", "Mrs", "de", "la", "Q", "Esq", "mba", "ii", "  ", ".", "DON", "`Ed`", "42", "'", "Mr.Dr",
                     "Lovelace,", "d'Arc", "\t"]
        var generator = SplitMix64(state: 7)
        for _ in 0..<5_000 {
            let count = generator.below(5) + 1
            let name = (0..<count).map { _ in generator.pick(words) }.joined(separator: generator.below(4) == 0 ? "  " : " ")
            #expect(NameNormalizer.tokens(name) == NameNormalizer.tokens(ofDisplay: NameNormalizer.display(name) ?? ""), "\(name)")
        }
    }

    /// Names of ASCII and Latin letters (U+00C0…U+024F) are folded letter by letter from a table
    /// and shown without Foundation's NFKC: on every such letter alone and on thousands of
    /// generated mixes, the fold must equal the general (decomposing) fold, and NFKC must leave
    /// the names the table calls stable as they are.
    @Test func latinLettersFoldLikeTheGeneralPath() {
        var stable: [Character] = [], foldable: [Character] = []
        for value in UInt32(0xC0)...0x24F {
            let letter = String(Character(Unicode.Scalar(value)!))
            if let fast = NameNormalizer.latinFold(letter) {
                #expect(fast == NameNormalizer.generalFold(letter), "U+\(String(value, radix: 16))")
                foldable.append(Character(letter))
            }
            if NameNormalizer.latin(Unicode.Scalar(value)!)?.nfkcStable == true { stable.append(Character(letter)) }
        }
        #expect(stable.count > 350 && foldable.count > 350)
        #expect(NameNormalizer.latinFold("Zoë O'Brien-Núñez") == "zoe obrien nunez")
        #expect(NameNormalizer.latinFold("Straße Łukasz Ĳssel") == "strasse lukasz ijssel")
        #expect(NameNormalizer.latinFold("Zoë \u{2019}") == nil)
        let ascii = Array("aZ09 '-.`,\t")
        var generator = SplitMix64(state: 3)
        for _ in 0..<5_000 {
            let length = generator.below(12) + 1
            let name = String((0..<length).map { _ in generator.below(2) == 0 ? generator.pick(foldable) : generator.pick(ascii) })
            #expect(NameNormalizer.latinFold(name) == NameNormalizer.generalFold(name), "\(name)")
            let shown = String((0..<length).map { _ in generator.below(2) == 0 ? generator.pick(stable) : generator.pick(ascii) })
            #expect(Array(shown.precomposedStringWithCompatibilityMapping.unicodeScalars) == Array(shown.unicodeScalars), "\(shown)")
        }
    }

    /// Handle candidates for an unknown network read the text once; they must be what
    /// normalising on each network gives.
    @Test("handle candidates", arguments: [
        ("@someone_5", SocialNetwork?.none), ("ada", SocialNetwork?.none), ("@Ada@Mastodon.Social", SocialNetwork?.none),
        ("https://x.com/AdaL?s=20", SocialNetwork?.none), ("u/ada_l", SocialNetwork?.none), ("@ada.example.com", SocialNetwork?.none),
        ("@Ada.L", SocialNetwork?.none), ("@ada", SocialNetwork?.some(.x)), ("https://x.com/ada", SocialNetwork?.some(.reddit)), ("  ", SocialNetwork?.none),
    ])
    func handleCandidates(raw: String, network: SocialNetwork?) {
        let expected: [SocialHandle]
        if let handle = HandleNormalizer.normalize(raw, network: network) {
            expected = [handle]
        } else if network == nil {
            expected = SocialNetwork.allCases.compactMap { HandleNormalizer.normalize(raw, network: $0) }
        } else {
            expected = []
        }
        #expect(HandleNormalizer.candidates(raw, network: network) == expected)
        if raw == "@someone_5" { #expect(expected.map(\.network) == [.x, .reddit, .instagram, .tiktok]) }
    }

    /// The contact index scores names as buffers into their match keys; that must equal scoring
    /// the token arrays.
    @Test func similarityOnKeyBuffersEqualsTokenArrays() {
        let names = ["John Smith", "Jon Smith", "J. Smith", "Smith John", "Jane Q Smith", "Mary Jones", "Anne-Marie de la Cruz", "John"]
        for a in names {
            for b in names {
                let left = NameNormalizer.tokens(a), right = NameNormalizer.tokens(b)
                var leftKey = left.joined(separator: " "), rightKey = right.joined(separator: " ")
                let buffered = leftKey.withUTF8 { l in
                    rightKey.withUTF8 { r in
                        NameSimilarity.withTokens(of: l) { lt in NameSimilarity.withTokens(of: r) { rt in NameSimilarity.score(tokens: lt, rt) } }
                    }
                }
                #expect(buffered == NameSimilarity.score(left, right), "\(a) ~ \(b)")
            }
        }
    }

    @Test("name similarity", arguments: [
        ("John Smith", "John Smith", 1.0, 1.0),
        ("Jon Smith", "John Smith", 0.93, 0.97),
        ("Smith, John", "John Smith", 1.0, 1.0),
        ("J. Smith", "John Smith", 0.88, 0.9),
        ("Jane Smith", "John Smith", 0.7, 0.82),
        ("Mary Jones", "John Smith", 0.0, 0.6),
    ])
    func similarity(a: String, b: String, low: Double, high: Double) {
        let score = NameSimilarity.score(NameNormalizer.tokens(a), NameNormalizer.tokens(b))
        #expect(score >= low && score <= high, "\(a) ~ \(b) = \(score)")
    }

    /// The published Jaro-Winkler values (Winkler 1990; prefix scale 0.1), on short words and on
    /// words longer than 64 bytes, which take the general path.
    @Test("Jaro-Winkler", arguments: [
        ("MARTHA", "MARHTA", 0.9611), ("DWAYNE", "DUANE", 0.84), ("DIXON", "DICKSONX", 0.8133), ("ABC", "XYZ", 0.0), ("SAME", "SAME", 1.0),
    ])
    func jaroWinkler(a: String, b: String, expected: Double) {
        #expect(abs(NameSimilarity.jaroWinkler(Array(a.utf8), Array(b.utf8)) - expected) < 0.0001)
        // Padded beyond 64 bytes with the same tail on both sides, the two paths must agree
        // with a straightforward reference.
        let tail = String(repeating: "qz", count: 40)
        let long = NameSimilarity.jaroWinkler(Array((a + tail).utf8), Array((b + tail).utf8))
        #expect(abs(long - referenceJaroWinkler(Array((a + tail).utf8), Array((b + tail).utf8))) < 1e-12)
        #expect(abs(NameSimilarity.jaroWinkler(Array(a.utf8), Array(b.utf8)) - referenceJaroWinkler(Array(a.utf8), Array(b.utf8))) < 1e-12)
    }

    /// Jaro-Winkler written out plainly, for comparison.
    private func referenceJaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count), bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            for j in max(0, i - window)..<min(b.count, i + window + 1) where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true; bMatched[j] = true; matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        let aSeq = a.indices.filter { aMatched[$0] }.map { a[$0] }, bSeq = b.indices.filter { bMatched[$0] }.map { b[$0] }
        let t = Double(zip(aSeq, bSeq).filter { $0 != $1 }.count / 2)
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - t) / m) / 3
        let prefix = zip(a, b).prefix(4).prefix { $0 == $1 }.count
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    @Test("company keys", arguments: [
        ("ACME Ltd.", "acme"), ("Acme", "acme"), ("Société Générale S.A.", "societe generale"), ("The Widget Co", "widget"),
    ])
    func company(raw: String, expected: String) {
        #expect(CompanyNormalizer.key(raw) == expected)
    }
}

