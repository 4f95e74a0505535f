import Foundation
import OutcryModel
import OutcryScoring

/// `outcry-bench-score tune [--posts FILE]…`: chooses the base model's training options by
/// leave-one-domain-out validation on its own training data: for each candidate, a model is
/// trained on GoEmotions train plus three of VADER's sets and measured on the fourth (a domain it
/// has not seen), and on GoEmotions dev. GoEmotions test is not read. Prints one row per
/// candidate and held-out domain, and the mean over the domains.
enum Tuning {
    /// Unbuffered, so that a long run shows its rows as they come.
    static func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

    struct Candidate {
        var name: String
        var options: TrainingOptions
        var sentimentPrior: Float
    }

    struct Set {
        var name: String
        var examples: [TrainingExample]
    }

    nonisolated(unsafe) static var coupled = false

    static func measure(_ model: LearnedModel, _ xs: [TrainingExample], threshold: Double) -> Figures {
        var s: [(predicted: SentimentLabel, gold: SentimentLabel)] = []
        var c: [(predicted: Bool, gold: Bool)] = []
        let labels: [SentimentLabel] = [.negative, .neutral, .positive]
        for e in xs {
            let z = model.logits(e.hits)
            if let g = e.sentiment {
                var k = 0
                if z[1] > z[k] { k = 1 }
                if z[2] > z[k] { k = 2 }
                if coupled && k == 1 && Double(1 / (1 + exp(-z[3]))) >= threshold { k = 0 }
                s.append((labels[k], labels[g]))
            }
            if let g = e.complaint { c.append((Double(1 / (1 + exp(-z[3]))) >= threshold, g)) }
        }
        return Figures.measure(sentiment: s, complaint: c)
    }

    /// The complaint threshold with the best F1 on `xs` (0.1 … 0.8).
    /// As the base training chooses it: the best mean of the F1 on both sets (the second may be empty).
    static func threshold(_ model: LearnedModel, _ xs: [TrainingExample], _ ys: [TrainingExample] = []) -> Double {
        func probs(_ xs: [TrainingExample]) -> [(Double, Bool)] {
            xs.compactMap { e in e.complaint.map { (Double(1 / (1 + exp(-model.logits(e.hits)[3]))), $0) } }
        }
        let a = probs(xs), b = probs(ys)
        var best = (0.5, -1.0)
        for t in stride(from: 0.1, through: 0.8, by: 0.02) {
            let f = Figures.f1(a.map { (predicted: $0.0 >= t, gold: $0.1) })
            let g = b.isEmpty ? f : Figures.f1(b.map { (predicted: $0.0 >= t, gold: $0.1) })
            if (f + g) / 2 > best.1 { best = (t, (f + g) / 2) }
        }
        return best.0
    }

    static func run(_ args: [String]) throws {
        var postFiles: [String] = []
        var only: String? = nil
        var i = 0
        while i < args.count {
            if args[i] == "--posts", i + 1 < args.count { postFiles.append(args[i + 1]); i += 1 }
            else if args[i] == "--only", i + 1 < args.count { only = args[i + 1]; i += 1 }
            i += 1
        }
        coupled = args.contains("--coupled")
        let fs = Scorer()
        let train = Adaptation.examples(try Corpora.goEmotions("train"), featureScorer: fs)
        let dev = Adaptation.examples(try Corpora.goEmotions("dev"), featureScorer: fs)
        var vader: [Set] = []
        for v in Corpora.vaderSets { vader.append(Set(name: v, examples: Adaptation.examples(try Corpora.vader(v), featureScorer: fs))) }
        var posts: [Set] = []
        for p in postFiles { posts.append(Set(name: p, examples: Adaptation.examples(try Corpora.handwritten(p).map(\.label), featureScorer: fs))) }

        var candidates: [Candidate] = []
        for prior in [Float(0), 1] {
            for l2 in [Float(1e-5), 1e-4] {
                for l2ds in [Float?.none, 0.02] {
                    for l2hc in [Float?.none, 1e-3, 1e-2] {
                        var o = BaseTraining.options
                        o.l2 = l2
                        o.l2DenseSentiment = l2ds
                        o.l2HashedComplaint = l2hc
                        candidates.append(Candidate(
                            name: "prior \(prior) l2 \(l2) l2ds \(l2ds.map { "\($0)" } ?? "=l2") l2hc \(l2hc.map { "\($0)" } ?? "=l2")",
                            options: o, sentimentPrior: prior))
                    }
                }
            }
        }
        if let only { candidates = candidates.filter { $0.name.contains(only) } }
        // `--candidates "prior,l2,l2ds,l2hc;…"` (0 for "as l2") replaces the grid.
        if let k = args.firstIndex(of: "--candidates"), k + 1 < args.count {
            candidates = args[k + 1].split(separator: ";").map { c in
                let v = c.split(separator: ",").map { Float($0) ?? 0 }
                var o = BaseTraining.options
                o.l2 = v[1]
                o.l2DenseSentiment = v[2] == 0 ? nil : v[2]
                o.l2HashedComplaint = v[3] == 0 ? nil : v[3]
                if v.count > 4 { o.l2Bias = v[4] }
                return Candidate(name: String(c), options: o, sentimentPrior: v[0])
            }
        }
        if let k = args.firstIndex(of: "--held-out"), k + 1 < args.count {
            let keep = args[k + 1].split(separator: ",").map(String.init)
            vader = vader.filter { keep.contains($0.name) } + vader.filter { !keep.contains($0.name) }.map { Set(name: "(train) " + $0.name, examples: $0.examples) }
        }
        if args.contains("--adapt") {
            try adapt(base: candidates[0], train: train, vader: vader)
            return
        }
        say("| candidate | held out | accuracy | negative F1 | complaint F1 | dev accuracy | dev complaint F1 | " + posts.map { "\($0.name) acc / neg F1 / compl F1" }.joined(separator: " | ") + " |")
        for c in candidates {
            var accs: [Double] = [], negs: [Double] = [], postAcc: [[Double]] = Array(repeating: [], count: posts.count)
            for (h, held) in vader.enumerated() where !held.name.hasPrefix("(train)") {
                let others = vader.enumerated().filter { $0.offset != h }.flatMap { $0.element.examples }
                let prior = BaseTraining.prior(sentiment: c.sentimentPrior)
                let w = Trainer.train(train + others, start: prior, prior: prior, options: c.options)
                let model = LearnedModel(info: ModelInfo(), weights: w)
                let t = threshold(model, dev, posts.first?.examples ?? [])
                let f = measure(model, held.examples, threshold: t)
                let d = measure(model, dev, threshold: t)
                var row = "| \(c.name) | \(held.name) | " + String(format: "%.3f | %.3f | %@ | %.3f | %.3f", f.accuracy, f.negativeF1, f.complaintCount > 0 ? String(format: "%.3f", f.complaintF1) : "–", d.accuracy, d.complaintF1)
                for (k, p) in posts.enumerated() {
                    let pf = measure(model, p.examples, threshold: t)
                    row += String(format: " | %.3f / %.3f / %.3f", pf.accuracy, pf.negativeF1, pf.complaintF1)
                    postAcc[k].append(pf.accuracy)
                }
                say(row + " | t \(String(format: "%.2f", t))")
                accs.append(f.accuracy); negs.append(f.negativeF1)
            }
            say("| \(c.name) | **mean** | " + String(format: "%.3f | %.3f |", accs.reduce(0, +) / Double(accs.count), negs.reduce(0, +) / Double(negs.count)))
        }
    }

    /// Adaptation options, chosen the same way: the base trained without a VADER set, adapted
    /// with k labels of it (drawn with a seed of its own, not the evaluation's), measured on the
    /// rest of the set.
    static func adapt(base c: Candidate, train: [TrainingExample], vader: [Set]) throws {
        var variants: [(String, TrainingOptions)] = []
        for lr in [Float(0.05), 0.1, 0.2] {
            for l2 in [Float(5e-4), 2e-3, 8e-3] {
                for epochs in [8, 16] {
                    for balance in [false, true] {
                        var o = TrainingOptions.adaptation
                        o.learningRate = lr
                        o.l2 = l2
                        o.epochs = epochs
                        o.balanceClasses = balance
                        variants.append(("lr \(lr) l2 \(l2) epochs \(epochs) balance \(balance)", o))
                    }
                }
            }
        }
        var sums = [String: [Double]]()
        for (h, held) in vader.enumerated() where !held.name.hasPrefix("(train)") {
            let others = vader.enumerated().filter { $0.offset != h }.flatMap { $0.element.examples }
            let prior = BaseTraining.prior(sentiment: c.sentimentPrior)
            let w = Trainer.train(train + others, start: prior, prior: prior, options: c.options)
            var xs = held.examples
            var r = SplitMix64(state: 99)
            for i in stride(from: xs.count - 1, to: 0, by: -1) { xs.swapAt(i, r.below(i + 1)) }
            let test = Array(xs[1000...])
            for (name, o) in variants {
                var accs: [Double] = []
                for k in [100, 500, 1000] {
                    let a = Trainer.train(Array(xs[0..<k]), start: w, prior: w, options: o)
                    let f = measure(LearnedModel(info: ModelInfo(), weights: a), test, threshold: 0.5)
                    accs.append(f.accuracy)
                }
                sums[name, default: [0, 0, 0]] = zip(sums[name, default: [0, 0, 0]], accs).map { $0 + $1 }
                say("| \(name) | \(held.name) | " + accs.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
            }
        }
        for (name, v) in sums.sorted(by: { $0.value[1] > $1.value[1] }) {
            say("| \(name) | **mean** | " + v.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
        }
    }
}
