import OutcryModel
import Testing
@testable import OutcryScoring

/// The byte-level word splitting and matching (`QueryWords`) held equal to the `Character`
/// definitions (`QueryDocument.words`, `QueryDocument.same`) on varied text.
@Suite struct QueryWordsTests {
    static let samples: [String] = [
        "", " ", "acme", "ACME Air's app", "@AcmeAir still hasn't refunded me, on hold for an hour. Charged twice!",
        "Hey @telco #fail!! refund-- pls__ don't'", "@@acme ##x #@y a@b c#d e'f g-h i_j -k 'l _m",
        "line one\r\nline two\rthree\nfour\ttab", "café crème — déçu; l’eau bout", "cafe\u{301} cre\u{300}me e\u{301}",
        "naïve façade Ærø Øre ÅSA straße STRASSE", "İstanbul ISTANBUL ıi", "ΟΔΟΣ ΟΔΟΣ::a Σ.Α σς", "\u{212A}elvin 5\u{212B}",
        "I hate this 😡 so much 😭😭 🙂", "👨‍👩‍👧 family 🇫🇷🇩🇪 flags 🏳️‍🌈 x", "1\u{FE0F}\u{20E3} #\u{FE0F}\u{20E3} keycaps",
        "エアコンが壊れた acme 最悪", "中文 测试，标点。ok", "한국어 텍스트 kakao", "Привет, МИР! acme", "مرحبا acme ١٢٣",
        "x\u{301}y a \u{301}b ,\u{301}c", "½ ² ³ ⅷ Ⅻ ٣ numbers", "fi ﬁ ﬀ ligatures", "tab\u{00A0}nbsp\u{2003}em\u{200B}zw",
        "ab'\u{2019}cd’s it’s", "don\u{2019}t-\u{301}", "a\u{0600}b \u{0600} c", "\u{0600}@acme", "-acme- _acme_ 'acme'",
        "acme.com/x?y=z&w=1 acme@mail.com", "ALL CAPS RAGE!!! WHY", "trailing'", "end-", "@", "#", "'", "\u{00E9}", "e\u{301}",
    ]

    static func reference(_ s: String) -> [[UInt8]] { QueryDocument.words(s).map { Array($0.utf8) } }

    static func bytes(_ s: String) -> [[UInt8]] {
        let w = QueryWords(s)
        return (0..<w.count).map { Array(w.token($0).utf8) }
    }

    @Test(arguments: samples)
    func wordsEqualTheCharacterDefinition(text: String) {
        #expect(Self.bytes(text) == Self.reference(text), "\(text.debugDescription)")
    }

    /// Random text from pieces that stress each rule: ASCII word and separator bytes next to
    /// combining marks, emoji, CJK, case mappings that change length, curly apostrophes.
    @Test func randomTextEqualsTheCharacterDefinition() {
        let pieces = ["a", "Z", "q", "7", "@", "#", "'", "-", "_", " ", ".", ",", "!", ":", "\r", "\n", "\r\n", "\t", "/",
                      "\u{301}", "\u{308}", "é", "É", "ß", "İ", "Σ", "ς", "\u{212A}", "’", "😡", "👍🏽", "‍", "🇫", "🇷", "\u{FE0F}",
                      "\u{20E3}", "中", "が", "ア", "한", "ж", "Ж", "١", "½", "ﬁ", "\u{00A0}", "\u{200B}", "\u{0600}", "\u{0903}",
                      "acme", "ACME", "refund", "Kestrel's"]
        var g = SplitMix64(state: 18)
        var mismatches = 0
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<Int(g.next() % 14) { s += pieces[Int(g.next() % UInt64(pieces.count))] }
            if Self.bytes(s) != Self.reference(s) {
                mismatches += 1
                if mismatches <= 5 { Issue.record("differs on \(s.debugDescription): \(QueryWords(s).strings) vs \(QueryDocument.words(s))") }
            }
        }
        #expect(mismatches == 0)
    }

    /// Matching: every token against every query word, exact and as a prefix, equal to the
    /// `Character` comparison (canonical equivalence included).
    @Test func matchingEqualsTheCharacterDefinition() {
        let text = "@acme ACME acmeair #acme café cafe\u{301} caf e\u{301} straße 中文 😡x refund refunded ﬁx fix @ # x\u{308}"
        let words = ["acme", "@acme", "#acme", "acm", "café", "cafe\u{301}", "cafe", "caf", "stra", "straße", "中", "中文", "😡",
                     "refund", "ref", "refunded!", "ﬁ", "fi", "@", "#", "x", "x\u{308}", "ac"]
        let doc = QueryWords(text)
        let ref = QueryDocument.words(text)
        #expect(doc.count == ref.count)
        var compared = 0
        for k in 0..<min(doc.count, ref.count) {
            for w in words {
                for prefix in [false, true] {
                    #expect(doc.matches(at: k, [w], prefix: prefix) == QueryDocument.same(ref[k], w, prefix: prefix),
                            "token \(ref[k].debugDescription), word \(w.debugDescription), prefix \(prefix)")
                    compared += 1
                }
            }
        }
        #expect(compared == ref.count * words.count * 2)
    }

    @Test func queriesMatchAcrossScripts() throws {
        let doc = QueryDocument(text: "Je suis DÉÇU par Acme’s service 😡 — ＡＣＭＥ 中文 @Kestrel", author: "Zoë", source: "forum")
        #expect(try Query("déçu").matches(doc))
        #expect(try Query("\"acme's service\"").matches(doc))
        #expect(try Query("kestrel").matches(doc))
        #expect(try Query("author:zoë").matches(doc))
        #expect(try Query("author:zoe\u{308}").matches(doc))
        #expect(try Query("中文").matches(doc))
        #expect(try !Query("acme NEAR/1 中文").matches(doc))
        #expect(try Query("déç*").matches(doc))
        #expect(try !Query("dec*").matches(doc))
    }
}
