import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The fast XML path sets its mentions' content hashes all at once, four FNV-1a chains side by
/// side (`ContentHashes`); each must equal `Mention`'s own hash of the same mention.
@Suite struct FastFeedHashTests {
    @Test func interleavedHashesEqualTheSerialOnes() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            // 0 to 40 pieces, of lengths from 1 (the separators alone would be 2) to 3,000,
            // some much longer than the others so that lanes finish at different times.
            let count = round % 41
            var bytes: [UInt8] = []
            var ends: [Int] = []
            for _ in 0..<count {
                let length = Int.random(in: 1...(Bool.random(using: &rng) ? 20 : 3000), using: &rng)
                for _ in 0..<length { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
                ends.append(bytes.count)
            }
            let hashes = bytes.withUnsafeBufferPointer { ContentHashes.fnv1a($0, ends: ends) }
            #expect(hashes.count == count)
            var start = 0
            for k in 0..<count {
                #expect(hashes[k] == StableHash.fnv1a64(bytes[start..<ends[k]]), "round \(round) piece \(k)")
                start = ends[k]
            }
        }
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
