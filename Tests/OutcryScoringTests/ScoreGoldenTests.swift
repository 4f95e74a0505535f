import Foundation
import OutcryModel
import Testing

@testable import OutcryScoring

/// The differential tests of `outcry score`'s fast path: the answers are the same bytes as the
/// build before it (hashes of that build's output lines, `Fixtures/score-golden*.txt`), by the
/// reference way (`ScoreLine.process`: JSONSerialization, strings) and by the byte way
/// (`Scorer.score(utf8:)`, `ScoreLine.encode(id:_:into:)`), with the base model and by the rules
/// alone.
///
/// The sample (`Fixtures/score-sample.jsonl`, 617 lines: synthetic customer posts, edge cases,
/// the hand-written posts, language hints; every other line \u-escaped) and the golden hashes
/// were made once from the build before the fast path:
///     outcry score < score-sample.jsonl > model.out; outcry score --rules-only < … > rules.out
/// and one line per input, `<FNV-1a 64 of the model line> <of the rules-only line>` in hex.
/// When the scorer's behaviour changes on purpose, regenerate them with the new build
/// (`swift test --filter ScoreGoldenTests` prints the hashes with OUTCRY_PRINT_GOLDEN=1), or
/// write both files from a release build: `.build/release/outcry-bench-score golden` (after
/// `scripts/train_base_model.sh`, with the regenerated base compiled in).
@Suite struct ScoreGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let model = Scorer(model: .base)
    static let rules = Scorer()

    static func fnv(_ bytes: some Sequence<UInt8>) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The input lines and the golden hash pairs beside them.
    static func load(_ sample: [String], golden name: String) throws -> [(line: String, model: String, rules: String)] {
        let golden = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(golden.count == sample.count, "\(name): \(golden.count) hashes for \(sample.count) lines")
        return zip(sample, golden).map { ($0, $1[0], $1[1]) }
    }

    /// Both ways for one line with one scorer: the reference line, and whether the byte way matched it.
    static func answer(_ line: String, number: Int, scorer: Scorer) throws -> (String, Bool) {
        let reference = ScoreLine.process(line, lineNumber: number, scorer: scorer)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        var text = try #require(object["text"] as? String)
        let id = object["id"].map(ScoreLine.encodeID) ?? "null"
        var bytes: [UInt8] = []
        let score = text.withUTF8 { scorer.score(utf8: $0, language: object["lang"] as? String) }
        Array(id.utf8).withUnsafeBufferPointer { ScoreLine.encode(id: $0, score, into: &bytes) }
        return (reference, bytes == Array(reference.utf8))
    }

    static func check(_ cases: [(line: String, model: String, rules: String)], _ name: String) throws {
        var failures = 0
        var printed: [String] = []
        for (n, c) in cases.enumerated() {
            let (model, modelBytes) = try answer(c.line, number: n + 1, scorer: Self.model)
            let (rules, rulesBytes) = try answer(c.line, number: n + 1, scorer: Self.rules)
            printed.append(fnv(model.utf8) + " " + fnv(rules.utf8))
            #expect(modelBytes && rulesBytes, "\(name) line \(n + 1): the byte way differs from the reference way\n\(c.line)")
            if fnv(model.utf8) != c.model || fnv(rules.utf8) != c.rules {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(name) line \(n + 1) differs from the build before:\n\(c.line)\nmodel: \(model)\nrules: \(rules)")
                }
            }
        }
        #expect(failures == 0, "\(name): \(failures) of \(cases.count) lines differ from the build before")
        if ProcessInfo.processInfo.environment["OUTCRY_PRINT_GOLDEN"] == "1" {
            print(printed.joined(separator: "\n"))
        }
    }

    @Test func sampleMatchesTheBuildBefore() throws {
        let sample = try String(contentsOf: Self.fixtures.appendingPathComponent("score-sample.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(sample.count == 617)
        try Self.check(try Self.load(sample, golden: "score-golden.txt"), "score-sample.jsonl")
    }

    /// VADER's 4,200 rated tweets (real text: entities, URLs, emoticons, slang), as
    /// scripts/bench_score_jsonl.py writes them, when the corpus is beside the repository.
    @Test(.enabled(if: ScoreCorpora.has("vader-groundtruth"))) func realTweetsMatchTheBuildBefore() throws {
        // Rows end in CR LF; the text keeps its CR, as the script's Python reads it.
        let raw = try Data(contentsOf: ScoreCorpora.url("vader-groundtruth/tweets_GroundTruth.txt"))
        var lines: [String] = []
        for row in raw.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let parts = row.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
            let text = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            let data = try JSONSerialization.data(withJSONObject: ["id": lines.count + 1, "text": text] as [String: Any])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        #expect(lines.count == 4200)
        try Self.check(try Self.load(lines, golden: "score-golden-tweets.txt"), "tweets_GroundTruth.txt")
    }

    /// The "%.2f" formatting of reasons, without Foundation's formatter, is printf's, for the
    /// Floats reasons carry: ties, signs, zeros, large and tiny values, and a sweep.
    @Test func reasonNumbersFormatAsPrintf() {
        var values: [Float] = [0, -0, 0.005, -0.005, 0.015, 0.125, 0.375, -0.125, 1.005, 2.675, 0.045, 0.995, -0.995,
                               99.995, 1e-8, -1e-8, 123456.78, 1e9, -3.14159, .leastNonzeroMagnitude, 0.5, 1, -1]
        var state: UInt32 = 12345
        for _ in 0..<20_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            values.append(Float(Int32(bitPattern: state)) / Float(1 << 24))  // about ±128, every fraction
            values.append(Float(bitPattern: (state & 0x807F_FFFF) | 0x3C00_0000))  // 2^-7…2^-6 region, random mantissas
        }
        for k in -2000...2000 { values.append(Float(k) / 200) }  // exact and near ties at the third decimal
        var bad: [Float] = []
        for v in values {
            if ScoringEngine.fmt(v) != String(format: "%.2f", Double(v)) { bad.append(v) }
            if ScoringEngine.signed(v) != (v >= 0 ? "+" : "") + String(format: "%.2f", Double(v)) { bad.append(v) }
        }
        #expect(bad.isEmpty, "formatted unlike printf: \(bad.prefix(10))")
    }

    /// The byte writer's numbers are `number(_:)`'s (`Int` or `Double.description` of the value
    /// rounded to four decimals): integers, ties, signs, tiny and huge values, and sweeps.
    @Test func answerNumbersEqualTheStringWriter() {
        var values: [Double] = [0, -0.0, 0.00004, -0.00004, 0.00005, -0.00005, 0.0001, -0.0001, 0.5, -0.5, 1, -1, 0.35, 3.093,
                                22.692, -22.488, 0.95, 1e9 - 0.5, 1e9 + 0.25, -1e9 - 0.125, 123456789.1234, 1e13, 1e15 + 0.5, 1e16,
                                -1e20, 1e300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 0.1 + 0.2, 9.99995, 99999.99995]
        var g = SplitMix64(state: 7)
        for _ in 0..<50_000 {
            let u = Double(g.next() >> 11) / Double(1 << 53)
            values.append((u - 0.5) * 4)  // about ±2, as scores and weights are
            values.append((u - 0.5) * 2e6)
            values.append(Double(bitPattern: g.next()))  // any double
        }
        for k in -30_000...30_000 { values.append(Double(k) / 10_000); values.append(Double(k) / 20_000 + 0.00000001) }
        var bad: [Double] = []
        for v in values {
            var bytes: [UInt8] = []
            ScoreLine.appendNumber(v, into: &bytes)
            if bytes != Array(ScoreLine.number(v).utf8) { bad.append(v) }
        }
        #expect(bad.isEmpty, "written unlike number(_:): \(bad.prefix(10))")
    }

    /// The byte writer's strings are `string(_:)`'s: quotes, backslashes, every control
    /// character, DEL, non-ASCII text; and a whole answer with such reasons equals `encode(id:_:)`.
    @Test func answerStringsEqualTheStringWriter() {
        var samples = ["", "plain", "\"quoted\"", "back\\slash", "tab\tnew\nline\r", "\u{7F}del", "é ü 中文 😡 \u{301}",
                       "'refund' +0.35", "\\\"\\\""]
        for c in 0..<0x20 { samples.append("a\(Character(Unicode.Scalar(UInt8(c))))b") }
        var g = SplitMix64(state: 9)
        let pieces = ["a", "\"", "\\", "\n", "\u{0}", "\u{1F}", "é", "😡", " ", "\u{2028}", "/"]
        for _ in 0..<2_000 {
            var s = ""
            for _ in 0..<Int(g.next() % 12) { s += pieces[Int(g.next() % UInt64(pieces.count))] }
            samples.append(s)
        }
        for s in samples {
            var bytes: [UInt8] = []
            ScoreLine.appendString(s, into: &bytes)
            #expect(bytes == Array(ScoreLine.string(s).utf8), "\(s.debugDescription)")
        }
        var score = Scorer().score(text: "my lawyer says the refund is \"late\"\n\tagain")
        score.reasons += samples.prefix(60).map { Reason(rule: $0, evidence: $0 + $0, weight: 0.1234) }
        var bytes: [UInt8] = []
        Array("\"x\\\"y\"".utf8).withUnsafeBufferPointer { ScoreLine.encode(id: $0, score, into: &bytes) }
        #expect(bytes == Array(ScoreLine.encode(id: "\"x\\\"y\"", score).utf8))
    }
}

/// The shared corpora (`$OUTCRY_CORPORA`, else `../shared/corpora` beside the repository), as
/// the parse tests find them.
enum ScoreCorpora {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let root: URL = {
        if let setting = ProcessInfo.processInfo.environment["OUTCRY_CORPORA"], !setting.isEmpty {
            return setting.hasPrefix("/") ? URL(fileURLWithPath: setting).standardized
                : repository.appendingPathComponent(setting).standardized
        }
        return repository.appendingPathComponent("../shared/corpora").standardized
    }()
    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    static func has(_ name: String) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: url(name).path)) ?? []).isEmpty
    }
}
