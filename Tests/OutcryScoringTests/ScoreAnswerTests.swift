import Foundation
import OutcryModel
import Testing

@testable import OutcryScoring

/// `outcry score`'s direct answer writer (`Scorer.answer(utf8:language:id:into:)`: the engine's
/// figures and reasons written as bytes, no `Score` made; and the same made in a `ScoreWorkspace`
/// reused from text to text, as `outcry score`'s workers do) against the way through a `Score`
/// (`Scorer.score(utf8:language:)` then `ScoreLine.encode(id:_:into:)`, which ScoreGoldenTests
/// holds to the build before): the same bytes, with the base model and by the rules alone, on
/// real text (VADER's tweets and review snippets, GoEmotions' Reddit comments, the golden sample)
/// and on tricky text (non-ASCII, emoji, combining marks, scripts, long texts, language hints).
@Suite struct ScoreAnswerTests {
    static let scorers = [Scorer(model: .base), Scorer()]

    /// Every difference between the two ways for `texts`, at most `limit` described.
    static func differences(_ texts: [(text: String, lang: String?)], limit: Int = 5) -> [String] {
        var found: [String] = []
        let ids: [[UInt8]] = [Array("17".utf8), Array("\"a \\\"b\\\"\"".utf8), Array("null".utf8)]
        // One workspace per scorer, reused for every text (as a worker of `outcry score` does),
        // small to begin with so that long texts make it grow.
        let workspaces = scorers.map { _ in ScoreWorkspace(capacity: 1024, answerCapacity: 512) }
        for (n, c) in texts.enumerated() {
            for (s, scorer) in scorers.enumerated() {
                let id = ids[n % ids.count]
                var text = c.text
                var direct: [UInt8] = [0x41]  // appends after what is there
                var reused: [UInt8] = [0x41]
                var viaScore: [UInt8] = [0x41]
                text.withUTF8 { utf8 in
                    id.withUnsafeBufferPointer { id in
                        scorer.answer(utf8: utf8, language: c.lang, id: id, into: &direct)
                        scorer.answer(utf8: utf8, language: c.lang, id: id, into: &reused, workspace: workspaces[s])
                        ScoreLine.encode(id: id, scorer.score(utf8: utf8, language: c.lang), into: &viaScore)
                    }
                }
                if (direct != viaScore || reused != viaScore) && found.count < limit {
                    found.append("\(s == 0 ? "model" : "rules") \(c.text.debugDescription):\n\(String(decoding: direct, as: UTF8.self))\n\(String(decoding: reused, as: UTF8.self))\n\(String(decoding: viaScore, as: UTF8.self))")
                }
            }
        }
        return found
    }

    /// Column `column` of each tab-separated row of a corpus file (rows without it skipped).
    static func column(_ name: String, _ column: Int) throws -> [(text: String, lang: String?)] {
        let raw = try Data(contentsOf: ScoreCorpora.url(name))
        return raw.split(separator: 0x0A).compactMap { row in
            let parts = row.split(separator: 0x09, omittingEmptySubsequences: false)
            return parts.count > column ? (String(decoding: parts[column], as: UTF8.self), nil) : nil
        }
    }

    @Test(.enabled(if: ScoreCorpora.has("vader-groundtruth"))) func vaderCorporaAnswerAlike() throws {
        var texts = try Self.column("vader-groundtruth/tweets_GroundTruth.txt", 2)
        texts += try Self.column("vader-groundtruth/amazonReviewSnippets_GroundTruth.txt", 2)
        texts += try Self.column("vader-groundtruth/movieReviewSnippets_GroundTruth.txt", 2)
        texts += try Self.column("vader-groundtruth/nytEditorialSnippets_GroundTruth.txt", 2)
        #expect(texts.count > 10_000)
        let diff = Self.differences(texts)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    @Test(.enabled(if: ScoreCorpora.has("goemotions"))) func goEmotionsAnswerAlike() throws {
        let texts = try Self.column("goemotions/test.tsv", 0) + Self.column("goemotions/dev.tsv", 0)
        #expect(texts.count > 10_000)
        let diff = Self.differences(texts)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    @Test func goldenSampleAnswersAlike() throws {
        let url = ScoreGoldenTests.fixtures.appendingPathComponent("score-sample.jsonl")
        var texts: [(text: String, lang: String?)] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = object["text"] as? String else { continue }
            texts.append((text, object["lang"] as? String))
        }
        #expect(texts.count > 500)
        let diff = Self.differences(texts)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    /// The lexicon's entries cut from bytes at start-up are the ones the character split gave.
    @Test func lexiconEntriesAsTheCharacterSplit() {
        for text in [VaderLexiconData.words, VaderLexiconData.emoji, "a\t1\n\nb\t-2.5\r\nno tab\nc\tx\n\u{301}\t1\né\t0.5"] {
            var expected: [String] = []
            for line in text.split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t"), let v = Double(line[line.index(after: tab)...]) else { continue }
                expected.append("\(String(line[..<tab])) \(v)")
            }
            var got: [String] = []
            ScoringEngine.forEachEntry(text) { word, v in got.append("\(word) \(v)") }
            #expect(got == expected)
            #expect(got.count > 2)
        }
    }

    @Test func trickyTextAnswersAlike() {
        var texts: [(text: String, lang: String?)] = [
            ("", nil), (" ", nil), ("!!!???", nil), ("\"quoted\" and back\\slash, tab\there\nnew line", nil),
            ("café déçu, naïve Ünïcödé ÀÉÎÕÜ", nil), ("e\u{301}norme de\u{301}ception, cafe\u{301}", nil),
            ("😡😡 worst service 🇬🇧 👩‍💻 👍🏽 1️⃣ ❤️", nil), ("中文 日本語 한국어 العربية עברית русский", nil),
            ("my lawyer will hear of this, still waiting for my refund!!!", nil),
            ("I’m not happy, it isn’t working", nil), ("sooooo goooood but the app keeps crashing", nil),
            ("SERVICE IS AWFUL and slow", nil), (":-( :D <3 xD", nil), ("@brand #fail https://x.y/z www.example.com", nil),
            // Emoticons holding a backslash (the only token bytes a JSON string escapes), quotes beside them.
            (#"that was :\ and \o/ then :-\ and \:< ok"#, nil), (#""quoted" :\ ""#, nil), (#":\"#, nil), (#"\o/"#, nil),
            (#"awful :\"#, "en"), (#"awful :\"#, #"e"s"#),
            ("service nul, très déçu, je veux un remboursement", "fr"), ("awful", "EN"), ("awful", "de-DE"),
            ("kind of good, sort of bad, the least helpful, at least it works", nil),
            ("\u{0}\u{1F} control \u{7F} characters \u{2028}", nil),
            (String(repeating: "terrible service again, still waiting for a refund, my lawyer says ", count: 40), nil),
        ]
        var g = SplitMix64(state: 18)
        let pieces = ["not", "good", "bad", "refund", "still", "waiting", "lawyer", "😡", "é", "\u{301}", "!", "?", "'", "’",
                      "\"", "\\", " ", " ", #":\"#, #"\o/"#, "but", "very", "KIND", "of", "@x", "#y", "3days", "ok.", ":(", "中", "\t", "never"]
        for _ in 0..<3_000 {
            var s = ""
            for _ in 0..<Int(g.next() % 24) { s += pieces[Int(g.next() % UInt64(pieces.count))] }
            texts.append((s, g.next() % 10 == 0 ? "es" : nil))
        }
        let diff = Self.differences(texts)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    /// The answer writer's table of reason starts: each rule's entry, closed into a JSON array
    /// of one reason, reads back as that rule's name with the evidence after it, and the
    /// padding that is copied with it (16 bytes at a time) is zeros, up to the spare entry.
    @Test func reasonPrefixesReadAsTheRuleNames() throws {
        let p = ReasonList.prefixes, stride = ReasonList.prefixStride
        for (i, name) in ReasonList.names.enumerated() {
            let entry = Array(UnsafeBufferPointer(start: p.bytes + stride * i, count: stride))
            let prefix = Array(entry[1..<p.counts[i]])  // without the comma
            let json = Data([UInt8(ascii: "[")] + prefix + Array(#"x \" y","weight":0.5}]"#.utf8))
            let array = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
            #expect(array.count == 1)
            #expect(array.first?["rule"] as? String == name)
            #expect(array.first?["evidence"] as? String == "x \" y")
            #expect(entry[0] == UInt8(ascii: ","))
            #expect(entry[p.counts[i]...].allSatisfy { $0 == 0 }, "\(name)")
        }
        let spare = UnsafeBufferPointer(start: p.bytes + stride * ReasonList.names.count, count: stride)
        #expect(spare.allSatisfy { $0 == 0 })
    }
}
