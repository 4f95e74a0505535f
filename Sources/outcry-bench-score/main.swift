// Scorer throughput benchmark (one core).
//
//     swift build -c release --product outcry-bench-score
//     /usr/bin/time -v .build/release/outcry-bench-score [count] [--text-only]
//
// Scores `count` (default 1,000,000) short synthetic customer-service posts drawn from a pool of
// 50,000 distinct texts, on one thread, and prints texts/s. `--text-only` measures the text
// analysis without the escalation step; `--jsonl FILE` scores a JSON-lines file's texts instead
// (see below); `--model` scores with the embedded base model (as
// `outcry score` does) instead of the rules alone. `brand [passes]` measures brand tagging as
// ingest runs it (docs/benchmarks.md). `train-base` and `eval` are the learned
// scorer's training and evaluation (scripts/train_base_model.sh, scripts/eval_scorer.sh). Peak memory: "Maximum resident set size" from time -v.
import Foundation
import OutcryModel
import OutcryScoring

let arguments = Array(CommandLine.arguments.dropFirst())

// `brand [passes]`: brand tagging as ingest runs it (`BrandTagger.brand`, three brands with
// keywords and one with a query) over VADER's 4,200 tweets and 4,200 of the synthetic posts
// below, `passes` times (default 50), on one thread: texts/s and a checksum of the tags.
if arguments.first == "brand" {
    let passes = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
    var texts = (try? Corpora.vader("tweets").map(\.text)) ?? []
    let synthetic = ["@acmeair my flight was delayed 3 hours and nobody told us anything 😡", "Hey @telco still waiting for my refund, 3 weeks now #fail",
                     "Ugh Shopco charged twice for the same order, please fix this!!", "Kestrel's kettle: l'eau bout trop lentement — déçu 😭",
                     "on hold for an hour with BANK-help, this is ridiculous smh", "エアコンが壊れた acme 最悪", "Wow, Acme Air's app keeps crashing 🙂"]
    for i in 0..<4_200 { texts.append(synthetic[i % synthetic.count] + (i % 5 == 0 ? " #\(i)" : "")) }
    let tagger = try BrandTagger([
        .init(name: "Acme Air", keywords: ["acme", "acme air", "acmeair"]),
        .init(name: "Shopco", keywords: ["shopco", "shop co"], query: "refund* NEAR/4 order OR \"charged twice\""),
        .init(name: "Telco", keywords: ["telco", "bank-help"], query: "author:telco OR (phone AND signal)"),
    ])
    let clock = ContinuousClock()
    var tagged = 0
    let start = clock.now
    for _ in 0..<passes {
        for t in texts where tagger.brand(text: t, author: "someone", source: "twitter", lang: "en", sourceBrand: nil) != nil { tagged += 1 }
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let n = passes * texts.count
    print("brand-tagged \(n) texts in \(String(format: "%.3f", seconds)) s: \(Int(Double(n) / seconds)) texts/s; tagged \(tagged)")
    exit(0)
}
// `golden`: the golden hashes of ScoreGoldenTests (Tests/OutcryScoringTests/Fixtures/
// score-golden.txt for score-sample.jsonl, score-golden-tweets.txt for VADER's tweets), one
// line per input, `<FNV-1a 64 of the base model's answer> <of the rules-only answer>`, written
// beside the fixtures: after the base model is regenerated on purpose.
if arguments.first == "golden" {
    func fnv(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let x = String(h, radix: 16)
        return String(repeating: "0", count: 16 - x.count) + x
    }
    let model = Scorer(model: .base), rules = Scorer()
    func hashes(_ lines: [String]) -> String {
        lines.enumerated().map { n, l in
            fnv(ScoreLine.process(l, lineNumber: n + 1, scorer: model)) + " " + fnv(ScoreLine.process(l, lineNumber: n + 1, scorer: rules))
        }.joined(separator: "\n") + "\n"
    }
    let dir = "Tests/OutcryScoringTests/Fixtures/"
    let sample = try String(contentsOfFile: dir + "score-sample.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    try hashes(sample).write(toFile: dir + "score-golden.txt", atomically: true, encoding: .utf8)
    // As the test reads the tweets: rows end in CR LF and the text keeps its CR.
    let raw = try Data(contentsOf: URL(fileURLWithPath: Corpora.root + "/vader-groundtruth/tweets_GroundTruth.txt"))
    var tweets: [String] = []
    for row in raw.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let parts = row.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
        let text = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
        guard !text.allSatisfy(\.isWhitespace) else { continue }
        let data = try JSONSerialization.data(withJSONObject: ["id": tweets.count + 1, "text": text] as [String: Any])
        tweets.append(String(decoding: data, as: UTF8.self))
    }
    try hashes(tweets).write(toFile: dir + "score-golden-tweets.txt", atomically: true, encoding: .utf8)
    print("wrote \(dir)score-golden.txt (\(sample.count) lines) and score-golden-tweets.txt (\(tweets.count) lines)")
    exit(0)
}
if arguments.first == "train-base" || arguments.first == "eval" || arguments.first == "tune" {
    do {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "train-base": try BaseTraining.run(rest)
        case "tune" where rest.first == "--urgency-hits":
            // Every text of GoEmotions dev and the VADER sets that raises urgency, with the cue:
            // a check of the cues against ordinary texts (false alarms).
            let s = Scorer()
            var texts = try Corpora.goEmotions("dev").map(\.text)
            for v in Corpora.vaderSets { texts += try Corpora.vader(v).map(\.text) }
            for t in texts {
                let sc = s.score(text: t)
                for r in sc.reasons where r.rule.hasPrefix("urgency.") { print("\(r.rule)\t\(r.evidence)\t\(t.prefix(160))") }
            }
        case "tune" where rest.first == "--severity":
            // The severities and strongly negative share of JSON lines' texts, with the embedded
            // base model and (given a generated BaseModelData.swift) another one.
            var models: [(String, LearnedModel?)] = [("rules only", nil), ("embedded base", .base)]
            if rest.count > 2 {
                let src = try String(contentsOfFile: rest[2], encoding: .utf8)
                let lines = src.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                let open = (lines.firstIndex { $0.hasSuffix("base64 = \"\"\"") } ?? 0) + 1
                let b64 = lines[open...].prefix { $0 != "\"\"\"" }.joined()
                models.append((rest[2], try ModelCodec.decode(base64: b64, name: rest[2])))
            }
            let texts = try Corpora.lines(rest[1]).compactMap { l in (try? JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])?["text"] as? String }
            for (name, m) in models {
                let s = Scorer(model: m)
                var sev: [String: Int] = [:]
                var neg = 0, strong = 0
                for t in texts {
                    let r = s.score(text: t)
                    sev[r.severity.rawValue, default: 0] += 1
                    if r.sentiment.label == .negative { neg += 1; if r.sentiment.compound <= -0.6 { strong += 1 } }
                }
                print("\(name): \(sev.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); negative \(neg), compound ≤ -0.6 \(strong)")
            }
        case "tune" where rest.first == "--adapt-complaint": try AdaptTuning.run(Array(rest.dropFirst()))
        case "tune" where rest.first == "--base-complaint": try AdaptTuning.base(Array(rest.dropFirst()))
        case "tune": try Tuning.run(rest)
        default: try Evaluation.run(rest)
        }
    } catch {
        FileHandle.standardError.write(Data("outcry-bench-score: \(error)\n".utf8))
        exit(2)
    }
    exit(0)
}

var count = 1_000_000
var textOnly = false
var useModel = false
var jsonl: String?
for (k, arg) in arguments.enumerated() {
    if arg == "--text-only" { textOnly = true } else if arg == "--model" { useModel = true }
    else if arg == "--jsonl", k + 1 < arguments.count { jsonl = arguments[k + 1] } else if let n = Int(arg) { count = n }
}

// `--jsonl FILE`: the texts of a JSON-lines file (`{"id","text"}`), scored and written as
// `outcry score` writes them (bytes, not kept), on one thread: the scoring and encoding part of
// the command without its reading, for profiling (`perf record`).
if let jsonl {
    var texts: [[UInt8]] = []
    var ids: [[UInt8]] = []
    let data = try Data(contentsOf: URL(fileURLWithPath: jsonl))
    for line in data.split(separator: 0x0A) {
        guard let o = try JSONSerialization.jsonObject(with: line) as? [String: Any], let t = o["text"] as? String else { continue }
        texts.append(Array(t.utf8))
        ids.append(Array(ScoreLine.encodeID(o["id"] ?? NSNull()).utf8))
    }
    let scorer = useModel ? Scorer(model: .base) : Scorer()
    let clock = ContinuousClock()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 20)
    var written = 0
    let start = clock.now
    var done = 0
    while done < count {
        for k in texts.indices where done < count {
            let s = texts[k].withUnsafeBufferPointer { scorer.score(utf8: $0) }
            ids[k].withUnsafeBufferPointer { ScoreLine.encode(id: $0, s, into: &out) }
            out.append(0x0A)
            done += 1
            if out.count > 1 << 20 { written += out.count; out.removeAll(keepingCapacity: true) }
        }
    }
    written += out.count
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print("scored and encoded \(done) texts of \(jsonl) in \(String(format: "%.3f", seconds)) s: \(Int(Double(done) / seconds)) texts/s\(useModel ? " with the base model" : " (rules only)"), \(written) bytes out")
    exit(0)
}

let openings = ["@acmeair", "@shopco", "Hey @telco", "", "", "So", "Honestly", "@bank_help", "Wow", "Ugh"]
let bodies = [
    "my flight was delayed 3 hours and nobody told us anything", "still waiting for my refund, 3 weeks now",
    "thanks for the quick help today, great service!", "the app keeps crashing when I try to pay",
    "charged twice for the same order, please fix this", "what time does the store open on sunday?",
    "love the new update, so much faster", "on hold for an hour, this is ridiculous",
    "my package never arrived and no reply to my emails", "worst customer service ever, never again",
    "my lawyer will be in touch about this", "my phone caught fire while charging",
    "my account was hacked and you did nothing", "switching to a competitor next month",
    "the staff were not very helpful but the food was good", "is there wifi on this flight",
    "I am SO happy with my new phone :)", "lost my luggage AGAIN!!!", "kind of disappointed tbh",
    "elderly mother stranded at the gate with no wheelchair", "reporting you to the ombudsman",
]
let closings = ["", "", "#fail", "😡", "🙂", "!!", "smh", "thanks", "please help", "😭😭"]

struct LCG {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: state >> 33)
    }
}
var rng = LCG()
var pool: [String] = []
pool.reserveCapacity(50_000)
for i in 0..<50_000 {
    let text = [openings[rng.next() % openings.count], bodies[rng.next() % bodies.count], closings[rng.next() % closings.count]]
        .filter { !$0.isEmpty }.joined(separator: " ") + (i % 7 == 0 ? " #\(i)" : "")
    pool.append(text)
}
let bytes = pool.reduce(0) { $0 + $1.utf8.count }

let scorer = useModel ? Scorer(model: .base) : Scorer()
let clock = ContinuousClock()
var checksum = 0.0
var severe = 0
let start = clock.now
for i in 0..<count {
    let text = pool[i % pool.count]
    if textOnly {
        checksum += scorer.sentiment(text: text).compound
    } else {
        let s = scorer.score(text: text)
        checksum += s.sentiment.compound + s.complaint.score
        if s.severity != .none { severe += 1 }
    }
}
let elapsed = clock.now - start
var usage = rusage()
getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
let avgBytes = Double(bytes) / Double(pool.count)
print("scored \(count) posts (avg \(Int(avgBytes)) bytes) in \(String(format: "%.3f", seconds)) s: \(Int(Double(count) / seconds)) texts/s\(textOnly ? " (sentiment only)" : "")\(useModel ? " with the base model" : " (rules only)")")
print("process CPU time \(String(format: "%.3f", cpu)) s (includes building the pool and the scorer)")
print("checksum \(String(format: "%.4f", checksum)), with severity: \(severe)")
