import Foundation
import OutcryModel
import OutcryScoring

/// `outcry-bench-score eval [--handwritten FILE]… [--sizes 0,100,250,500,1000] [--skip-vader]`:
/// learning curves of the installation model (base + k labels of a domain, scored on the rest
/// of the domain), and the hand-written posts. Prints Markdown tables (docs/scorer.md).
enum Evaluation {
    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    static func shuffled(_ xs: [LabelExample], seed: UInt64) -> [LabelExample] {
        var xs = xs
        var r = SplitMix64(state: seed)
        for i in stride(from: xs.count - 1, to: 0, by: -1) { xs.swapAt(i, r.below(i + 1)) }
        return xs
    }

    static func curve(_ name: String, base: LearnedModel, domain: [LabelExample], sizes: [Int]) {
        let items = shuffled(domain, seed: 2026)
        let maxK = sizes.max() ?? 0
        guard items.count > maxK + 100 else { print("| \(name) | too small (\(items.count)) |"); return }
        let test = Array(items[maxK...])
        let rules = Adaptation.evaluate(nil, on: test)
        print("| \(name) | rules only | \(row(rules)) |")
        for k in sizes {
            let model = k == 0 ? base : Adaptation.train(base: base, labels: Array(items[0..<k]), version: 1)
            print("| \(name) | \(k) | \(row(Adaptation.evaluate(model, on: test))) |")
        }
    }

    static func row(_ f: Figures) -> String {
        let c = f.complaintCount > 0 ? String(format: "%.3f", f.complaintF1) : "–"
        return String(format: "%.3f | %.3f | ", f.accuracy, f.negativeF1) + c + " | \(f.sentimentCount)"
    }

    static func run(_ args: [String]) throws {
        var handwritten = [
            "Tests/OutcryScoringTests/Fixtures/handwritten.jsonl", "Tests/OutcryScoringTests/Fixtures/customer-posts-a.jsonl",
            "Tests/OutcryScoringTests/Fixtures/customer-posts-b.jsonl",
        ]
        var givenPosts = false
        var sizes = [0, 100, 250, 500, 1000]
        var skipVader = false
        var i = 0
        while i < args.count {
            switch args[i] {
            case "--handwritten" where i + 1 < args.count:
                if !givenPosts { handwritten = []; givenPosts = true }
                handwritten.append(args[i + 1]); i += 1
            case "--sizes" where i + 1 < args.count: sizes = args[i + 1].split(separator: ",").compactMap { Int($0) }; i += 1
            case "--skip-vader": skipVader = true
            default: throw ModelFileError("eval: unknown argument \(args[i])")
            }
            i += 1
        }
        let clock = ContinuousClock()
        let base = LearnedModel.base
        for path in handwritten {
            print("## Hand-written posts (\(path))\n")
            try handwrittenReport(path, base: base)
            print()
        }

        print("## Learning curves (labels of the domain → scored on the rest)\n")
        print("| domain | labels | 3-way accuracy | negative F1 | complaint F1 | n scored |")
        print("|---|---|---|---|---|---|")
        curve("GoEmotions test", base: base, domain: try Corpora.goEmotions("test"), sizes: sizes)
        if !skipVader {
            for set in Corpora.vaderSets {
                // A new domain: the base is retrained without this set.
                let others = Corpora.vaderSets.filter { $0 != set }
                let heldOutBase = try BaseTraining.train(vaderSets: others, log: false)
                curve("VADER \(set) (base without it)", base: heldOutBase, domain: try Corpora.vader(set, weakComplaints: Corpora.complaintSets.contains(set)), sizes: sizes)
            }
        }

        print("\n## Training time (one core)\n")
        let labels = Array(shuffled(try Corpora.goEmotions("test"), seed: 7).prefix(2000))
        let t0 = clock.now
        _ = Adaptation.train(base: base, labels: labels, version: 1)
        let t1 = clock.now
        let report = Adaptation.crossValidate(base: base, labels: labels, currentLabelsThrough: nil)
        let t2 = clock.now
        print("- adapting the base model to 2,000 labels: \(String(format: "%.2f", seconds(t1 - t0))) s")
        print("- 5-fold cross-validation of that (10 more trainings): \(String(format: "%.2f", seconds(t2 - t1))) s — \(report.reason)")
        let t3 = clock.now
        _ = try BaseTraining.train(log: false)
        print("- training the base model from scratch (GoEmotions train + VADER, ~66,000 texts): \(String(format: "%.1f", seconds(clock.now - t3))) s")
    }

    static func handwrittenReport(_ path: String, base: LearnedModel) throws {
        let posts = try Corpora.handwritten(path)
        print("| scorer | sentiment accuracy | negative F1 | complaint accuracy | complaint F1 | urgency micro-F1 | harmless posts with urgency |")
        print("|---|---|---|---|---|---|---|")
        for (name, model) in [("rules only", nil), ("base model", base)] as [(String, LearnedModel?)] {
            let s = Scorer(model: model)
            var tp = 0.0, fp = 0.0, fn = 0.0
            var harmless = 0, harmlessAlarms = 0
            var misses: [String] = []
            for p in posts {
                let score = s.score(text: p.label.text)
                let gold = Set(p.label.urgency ?? []), got = Set(score.urgency)
                tp += Double(gold.intersection(got).count)
                fp += Double(got.subtracting(gold).count)
                fn += Double(gold.subtracting(got).count)
                if p.kind == "harmless" { harmless += 1; if !got.isEmpty { harmlessAlarms += 1 } }
                if model != nil && (gold != got || (p.label.complaint.map { $0 != score.complaint.isComplaint } ?? false)) {
                    misses.append("  - \(p.label.text.prefix(70)) — urgency \(got.map(\.rawValue).sorted()) vs \(gold.map(\.rawValue).sorted()), complaint \(String(format: "%.2f", score.complaint.score)) vs \(p.label.complaint.map(String.init) ?? "-")")
                }
            }
            let f = Adaptation.evaluate(model, on: posts.map(\.label))
            let micro = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
            print(String(format: "| %@ | %.3f | %.3f | %.3f | %.3f | %.3f | %d of %d |", name, f.accuracy, f.negativeF1, f.complaintAccuracy, f.complaintF1, micro, harmlessAlarms, harmless))
            if ProcessInfo.processInfo.environment["EVAL_VERBOSE"] != nil { misses.forEach { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
        }
    }
}
