import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The fast XML path sets its mentions' content hashes all at once, four FNV-1a chains side by
/// side (`ContentHashes`); each must equal `Mention`'s own hash of the same mention.
@Suite struct FastFeedHashTests {
    @Test func interleavedHashesEqualTheSerialOnes() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<500 {
            // Four buffers of lengths from 0 to 3,000, some much longer than the others.
            let pieces = (0..<4).map { _ in
                (0..<Int.random(in: 0...(Bool.random(using: &rng) ? 20 : 3000), using: &rng)).map { _ in
                    UInt8.random(in: 0...255, using: &rng)
                }
            }
            let h = pieces[0].withUnsafeBufferPointer { a in pieces[1].withUnsafeBufferPointer { b in
                pieces[2].withUnsafeBufferPointer { c in pieces[3].withUnsafeBufferPointer { d in
                    ContentHashes.fnv1a4(a, b, c, d, (ContentHashes.offsetBasis, ContentHashes.offsetBasis,
                                                      ContentHashes.offsetBasis, ContentHashes.offsetBasis))
                } }
            } }
            #expect([h.0, h.1, h.2, h.3] == pieces.map { StableHash.fnv1a64($0) }, "round \(round)")
        }
    }

    @Test func manyMentionsOfMixedLengths() {
        var rng = SystemRandomNumberGenerator()
        let words = ["a", "café", "日本語", "\u{1F}", " ", "refund", "e\u{301}", "😀"]
        var mentions: [Mention] = []
        for k in 0..<203 {
            let length = Int.random(in: 0...(k % 3 == 0 ? 600 : 40), using: &rng)
            let text = (0..<length).map { _ in words.randomElement(using: &rng)! }.joined()
            let title: String? = Bool.random(using: &rng) ? nil : "t\(k) " + (words.randomElement(using: &rng)!)
            let url: String? = k % 5 == 0 ? nil : "https://x.example/\(k)"
            mentions.append(Mention(sourceName: "s", channel: .feed, key: "k", url: url, title: title, text: text,
                                    fetchedAt: Date(timeIntervalSince1970: 0)))
        }
        let expected = mentions.map(\.contentHash)
        for k in mentions.indices { mentions[k].contentHash = "" }
        ContentHashes.fill(&mentions)
        #expect(mentions.map(\.contentHash) == expected)
    }

    @Test func filledHashesEqualTheMentionsOwn() {
        let texts = ["", "a", "Hello there, café ☕️ — 日本語", String(repeating: "long text ", count: 500), "\u{1F}", "e\u{301}"]
        var mentions: [Mention] = []
        var expected: [String] = []
        for (k, text) in texts.enumerated() {
            for title in [nil, "", "Title \(k)", "Ünïcödé"] as [String?] {
                for url in [nil, "https://x.example/\(k)", ""] as [String?] {
                    let m = Mention(sourceName: "s", channel: .feed, key: "k", url: url, title: title, text: text,
                                    fetchedAt: Date(timeIntervalSince1970: 0))
                    expected.append(m.contentHash)
                    var blank = m
                    blank.contentHash = ""
                    mentions.append(blank)
                }
            }
        }
        for prefix in [0, 1, 3, 4, 5, 9, mentions.count] {
            var some = Array(mentions.prefix(prefix))
            ContentHashes.fill(&some)
            #expect(some.map(\.contentHash) == Array(expected.prefix(prefix)))
        }
    }
}
