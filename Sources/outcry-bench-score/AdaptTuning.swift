import Foundation
import OutcryModel
import OutcryScoring

/// `outcry-bench-score tune --adapt-complaint [--held-out tweets,amazonReviewSnippets,goemotions-dev]
/// [--variants a,b] [--sizes 0,100,…]`: the installation's adaptation options, chosen as
/// `tune --adapt` chose its step: the base retrained without a VADER set (for `goemotions-dev`,
/// the embedded base and GoEmotions' dev split: its own domain), adapted with k labels of it
/// drawn with a seed of their own (99, not the evaluation's 2026; `TUNE_SEEDS=99,199,…` several
/// draws and their means), measured on the rest. Prints, per variant and
/// k, 3-way accuracy, negative F1, complaint F1 (and the best complaint F1 any threshold would
/// give on the scored rest: the ceiling of threshold choice), and the threshold used.
enum AdaptTuning {
    static func variants() -> [(String, TrainingOptions)] {
        var out: [(String, TrainingOptions)] = []
        // The options before this tuning (one L2 for everything, the base's threshold); each
        // variant changes them.
        var before = TrainingOptions.adaptation
        before.l2Dense = nil
        before.l2DenseSentiment = nil
        before.l2Bias = nil
        before.thresholdFolds = 0
        func add(_ name: String, _ f: (inout TrainingOptions) -> Void) {
            var o = before
            f(&o)
            out.append((name, o))
        }
        out.append(("chosen (TrainingOptions.adaptation)", .adaptation))
        add("before") { _ in }
        add("cv-threshold") { $0.thresholdFolds = 3 }
        add("l2 5e-4") { $0.l2 = 5e-4 }
        add("l2 5e-4+cv") { $0.l2 = 5e-4; $0.thresholdFolds = 3 }
        add("l2 8e-3+cv") { $0.l2 = 8e-3; $0.thresholdFolds = 3 }
        add("balance-sentiment") { $0.balanceClasses = true }
        add("epochs 8+cv") { $0.epochs = 8; $0.thresholdFolds = 3 }
        add("lr 0.4+cv") { $0.learningRate = 0.4; $0.thresholdFolds = 3 }
        add("complaintWeight 2+cv") { $0.complaintWeight = 2; $0.thresholdFolds = 3 }
        add("free-bias") { $0.l2Bias = 1e-5 }
        add("free-bias+cv") { $0.l2Bias = 1e-5; $0.thresholdFolds = 3 }
        add("free-dense+cv") { $0.l2Dense = 1e-4; $0.l2DenseSentiment = 1e-4; $0.thresholdFolds = 3 }
        add("free-dense-bias+cv") { $0.l2Dense = 1e-4; $0.l2DenseSentiment = 1e-4; $0.l2Bias = 1e-5; $0.thresholdFolds = 3 }
        add("words-held-8e-3+free-dense+cv") { $0.l2 = 8e-3; $0.l2Dense = 1e-4; $0.l2DenseSentiment = 1e-4; $0.l2Bias = 1e-5; $0.thresholdFolds = 3 }
        add("words-5e-4+free-dense+cv") { $0.l2 = 5e-4; $0.l2Dense = 1e-4; $0.l2DenseSentiment = 1e-4; $0.l2Bias = 1e-5; $0.thresholdFolds = 3 }
        func onChosen(_ name: String, _ f: (inout TrainingOptions) -> Void) {
            var o = TrainingOptions.adaptation
            f(&o)
            out.append((name, o))
        }
        onChosen("chosen+words-complaint-5e-4") { $0.l2HashedComplaint = 5e-4 }
        onChosen("chosen+words-complaint-1e-4") { $0.l2HashedComplaint = 1e-4 }
        onChosen("chosen+words-1e-3") { $0.l2 = 1e-3 }
        onChosen("chosen+epochs-32") { $0.epochs = 32 }
        onChosen("chosen+complaintWeight-2") { $0.complaintWeight = 2 }
        onChosen("chosen+minCount-2") { $0.minCount = 2 }
        onChosen("chosen-no-coupling") { $0.complaintCouplings = [] }
        onChosen("chosen+coupling-cv") { $0.complaintCouplings = [0, 0.1, 0.2, 0.3, 0.5] }
        onChosen("chosen+coupling-0.1") { $0.complaintCouplings = [0.1] }
        onChosen("chosen+coupling-0.3") { $0.complaintCouplings = [0.3] }
        onChosen("chosen+words-5e-4") { $0.l2 = 5e-4 }
        onChosen("chosen+words-1e-4") { $0.l2 = 1e-4 }
        onChosen("chosen+words-1e-5") { $0.l2 = 1e-5 }
        onChosen("chosen+words-complaint-1e-2") { $0.l2HashedComplaint = 1e-2 }
        onChosen("chosen+epochs-8") { $0.epochs = 8 }
        return out
    }

    /// `tune --base-complaint [--tones 0,1,2] [--no-movies]`: bases trained without the Amazon snippets with
    /// other complaint priors on the lexicon's tone; their complaint F1 on the snippets (no
    /// labels), on GoEmotions dev, and the hand-written posts' figures.
    static func base(_ args: [String]) throws {
        var tones: [Float] = [0, 1, 2, 3]
        if let k = args.firstIndex(of: "--tones"), k + 1 < args.count { tones = args[k + 1].split(separator: ",").compactMap { Float($0) } }
        let amazon = try Corpora.vader("amazonReviewSnippets")
        if args.contains("--no-movies") { Corpora.complaintSets.remove("movieReviewSnippets") }
        let dev = try Corpora.goEmotions("dev")
        let postFiles = ["handwritten.jsonl", "customer-posts-a.jsonl", "customer-posts-b.jsonl"].map { "Tests/OutcryScoringTests/Fixtures/" + $0 }
        let posts = try postFiles.map { try Corpora.handwritten($0).map(\.label) }
        Tuning.say("| tone prior | threshold | Amazon acc / neg F1 / complaint F1 | GoEmotions dev acc / complaint F1 | " + postFiles.map { ($0 as NSString).lastPathComponent + " acc / compl acc / compl F1" }.joined(separator: " | ") + " |")
        for t in tones {
            BaseTraining.complaintTone = t
            let m = try BaseTraining.train(vaderSets: Corpora.vaderSets.filter { $0 != "amazonReviewSnippets" }, log: false)
            let a = Adaptation.evaluate(m, on: amazon), d = Adaptation.evaluate(m, on: dev)
            var row = "| \(t) | \(m.info.complaintThreshold) | " + String(format: "%.3f / %.3f / %.3f | %.3f / %.3f", a.accuracy, a.negativeF1, a.complaintF1, d.accuracy, d.complaintF1)
            for p in posts {
                let f = Adaptation.evaluate(m, on: p)
                row += String(format: " | %.3f / %.3f / %.3f", f.accuracy, f.complaintAccuracy, f.complaintF1)
            }
            Tuning.say(row + " |")
        }
    }

    static func run(_ args: [String]) throws {
        var held = ["tweets", "amazonReviewSnippets"]
        var only: [String]? = nil
        var sizes = [0, 100, 250, 500, 1000]
        var i = 0
        while i < args.count {
            if args[i] == "--held-out", i + 1 < args.count { held = args[i + 1].split(separator: ",").map(String.init); i += 1 }
            else if args[i] == "--variants", i + 1 < args.count { only = args[i + 1].split(separator: ",").map(String.init); i += 1 }
            else if args[i] == "--sizes", i + 1 < args.count { sizes = args[i + 1].split(separator: ",").compactMap { Int($0) }; i += 1 }
            i += 1
        }
        var vs = variants()
        if let only { vs = vs.filter { only.contains($0.0) } }
        Tuning.say("| variant | held out | labels | accuracy | negative F1 | complaint F1 (best any threshold) | threshold |")
        for set in held {
            // "goemotions-dev": the base's own domain (the embedded base, its dev split).
            let base = set == "goemotions-dev" ? LearnedModel.base : try BaseTraining.train(vaderSets: Corpora.vaderSets.filter { $0 != set }, log: false)
            let all = set == "goemotions-dev" ? try Corpora.goEmotions("dev") : try Corpora.vader(set, weakComplaints: Corpora.complaintSets.contains(set))
            // `TUNE_SEEDS=99,199,299`: several tuning draws (never the evaluation's 2026), and their means.
            let seeds = (ProcessInfo.processInfo.environment["TUNE_SEEDS"] ?? "99").split(separator: ",").compactMap { UInt64($0) }
            var sums: [String: (n: Int, acc: Double, neg: Double, c: Double, best: Double)] = [:]
            var keys: [String] = []
            for seed in seeds {
                let items = Evaluation.shuffled(all, seed: seed)
                let test = Array(items[(Int(ProcessInfo.processInfo.environment["TUNE_HOLD"] ?? "") ?? 1000)...])
                let s0 = Scorer(model: base)
                // Base diagnostics: what a negative sentiment label would give as a complaint detector.
                var negAsComplaint: [(predicted: Bool, gold: Bool)] = []
                for l in test { if let c = l.complaint { negAsComplaint.append((s0.score(text: l.text).sentiment.label == .negative, c)) } }
                if !negAsComplaint.isEmpty {
                    Tuning.say("| (base: negative label as complaint) | \(set) | 0 | | | \(String(format: "%.3f", Figures.f1(negAsComplaint))) | |")
                }
                for (name, o) in vs {
                    for k in sizes {
                        if k == 0 && name != vs[0].0 { continue }
                        let model = k == 0 ? base : Adaptation.train(base: base, labels: Array(items[0..<k]), options: o, version: 1)
                        let f = Adaptation.evaluate(model, on: test)
                        let s = Scorer(model: model)
                        var pairs: [(predicted: Bool, gold: Bool)] = []
                        var best = 0.0
                        let scores = test.map { l in (s.score(text: l.text).complaint.score, l.complaint) }
                        for t in stride(from: 0.05, through: 0.95, by: 0.01) {
                            pairs = scores.compactMap { p in p.1.map { (p.0 >= t, $0) } }
                            best = max(best, Figures.f1(pairs))
                        }
                        let ceiling = pairs.isEmpty ? "–" : String(format: "%.3f", best)
                        if k == sizes.max(), let path = ProcessInfo.processInfo.environment["TUNE_DUMP"] {
                            // Every scored text of the rest with its complaint label and score (to read the misses).
                            var out = ""
                            for (l, p) in zip(test, scores) where l.complaint != nil {
                                out += String(format: "%.3f\t%@\t", p.0, l.complaint! ? "yes" : "no") + l.text.replacingOccurrences(of: "\n", with: " ") + "\n"
                            }
                            try? out.write(toFile: path, atomically: true, encoding: .utf8)
                        }
                        if ProcessInfo.processInfo.environment["TUNE_COUPLING"] != nil {
                            // The complaint logit plus beta times the sentiment outputs' negative-minus-positive logit.
                            let fs = Scorer()
                            let zs = test.map { l in (model.logits(fs.features(text: l.text).hits), l.complaint) }
                            var row = ""
                            for beta in [0.0, 0.1, 0.2, 0.3, 0.5, 0.8] as [Float] {
                                var bestC = 0.0
                                for t in stride(from: -4.0, through: 4.0, by: 0.05) {
                                    bestC = max(bestC, Figures.f1(zs.compactMap { p in p.1.map { (Double(p.0[3] + beta * (p.0[0] - p.0[2])) >= t, $0) } }))
                                }
                                row += String(format: " β %.1f: %.3f", beta, bestC)
                            }
                            Tuning.say("|   (coupling, best threshold) | \(set) | \(k) |" + row + " |")
                            // The same with only what the labels changed (the adapted minus the base's sentiment pull).
                            let zd = test.map { l in
                                let h = fs.features(text: l.text).hits
                                return (model.logits(h), base.logits(h), l.complaint)
                            }
                            row = ""
                            for beta in [0.0, 0.1, 0.2, 0.3, 0.5, 0.8] as [Float] {
                                var bestC = 0.0
                                for t in stride(from: -4.0, through: 4.0, by: 0.05) {
                                    bestC = max(bestC, Figures.f1(zd.compactMap { p in
                                        p.2.map { (Double(p.0[3] + beta * ((p.0[0] - p.1[0]) - (p.0[2] - p.1[2]))) >= t, $0) } }))
                                }
                                row += String(format: " β %.1f: %.3f", beta, bestC)
                            }
                            Tuning.say("|   (coupling of the change only, best threshold) | \(set) | \(k) |" + row + " |")
                        }
                        if ProcessInfo.processInfo.environment["TUNE_SENTIMENT_AS_COMPLAINT"] != nil {
                            // The adapted sentiment outputs as a complaint detector: -compound over a threshold.
                            let comp = test.map { l in (-s.score(text: l.text).sentiment.compound, l.complaint) }
                            var bestS = 0.0
                            for t in stride(from: -0.95, through: 0.95, by: 0.02) {
                                bestS = max(bestS, Figures.f1(comp.compactMap { p in p.1.map { (p.0 >= t, $0) } }))
                            }
                            Tuning.say("|   (sentiment as complaint, best threshold) | \(set) | \(k) | | | " + String(format: "%.3f", bestS) + " | |")
                        }
                        let c = f.complaintCount > 0 ? String(format: "%.3f (%@)", f.complaintF1, ceiling) : "–"
                        Tuning.say("| \(name) | \(set)\(seeds.count > 1 ? " seed \(seed)" : "") | \(k) | " + String(format: "%.3f | %.3f | ", f.accuracy, f.negativeF1) + c + " | \(model.info.complaintThreshold) |")
                        let key = "\(name) | \(set) | \(k)"
                        if sums[key] == nil { keys.append(key) }
                        var m = sums[key] ?? (0, 0, 0, 0, 0)
                        m.n += 1; m.acc += f.accuracy; m.neg += f.negativeF1; m.c += f.complaintF1; m.best += best
                        sums[key] = m
                    }
                }
            }
            if seeds.count > 1 {
                for key in keys {
                    let m = sums[key]!, n = Double(m.n)
                    Tuning.say("| **mean** \(key) | " + String(format: "%.3f | %.3f | %.3f (%.3f) |", m.acc / n, m.neg / n, m.c / n, m.best / n))
                }
            }
        }
    }
}
