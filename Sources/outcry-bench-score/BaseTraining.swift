import Foundation
import OutcryModel
import OutcryScoring

/// `outcry-bench-score train-base --out Sources/OutcryScoring/Learning/BaseModelData.swift`:
/// trains the shipped base model from GoEmotions (train split) and VADER's four sets, tunes
/// the complaint threshold on GoEmotions dev, measures it on GoEmotions test, and writes the
/// generated Swift source that embeds it.
enum BaseTraining {
    static let seed: UInt64 = 15
    static let handwrittenPath = "Tests/OutcryScoringTests/Fixtures/handwritten.jsonl"

    static var options: TrainingOptions {
        var o = TrainingOptions()
        o.seed = seed
        o.epochs = 5
        o.learningRate = 0.1
        o.l2 = 1e-5
        o.minCount = 3
        o.balanceClasses = true
        o.l2Dense = 0.2
        // Chosen by leave-one-domain-out validation (`outcry-bench-score tune`, docs/scorer.md):
        // held to the rules' prior, the sentiment outputs carry over to texts unlike the
        // training data; the weak complaint labels move the words' complaint weights little;
        // the baseline is free to learn each output's base rate, so that frequent words do not.
        o.l2DenseSentiment = 0.3
        o.l2HashedComplaint = Float(ProcessInfo.processInfo.environment["OUTCRY_BASE_L2HC"] ?? "") ?? 0.05
        o.l2Bias = 1e-5
        return o
    }

    /// The scale of the sentiment prior (see `prior(sentiment:)`), chosen with the options.
    static let sentimentPrior: Float = 6

    /// The complaint output's prior on the lexicon's tone (a negative tone points to a
    /// complaint). `tune --base-complaint` tries others.
    nonisolated(unsafe) static var complaintTone: Float = 3

    /// What the rules already know, as a prior on the named features' complaint weights: the
    /// complaint rules and the urgency rules point to a complaint. Training moves them only as far as the data
    /// insists (`l2Dense`); Reddit and review texts rarely carry customer-service cues, so
    /// without a prior the cues would count for little.
    ///
    /// `sentiment` scales the same idea for the sentiment outputs: the lexicon's tone points to
    /// its sign, and complaint and urgency cues point to negative (a customer who reports a fault
    /// is unhappy whatever the words' tone). Reddit and review texts seldom carry those cues, so
    /// the data alone would leave them near zero.
    static func prior(sentiment s: Float) -> [SIMD4<Float>] {
        var w = LearnedModel.zero().weights
        func set(_ d: FeatureSpace.Dense, _ v: SIMD4<Float>) { w[FeatureSpace.hashedCount + d.rawValue] = v }
        set(.bias, SIMD4(0, 0, 0, -1))
        set(.compound, SIMD4(-2 * s, 0, 2 * s, -complaintTone))  // a negative tone points to a complaint too
        set(.complaintRules, SIMD4(1.5 * s, 0, -1.5 * s, 3))
        set(.urgency, SIMD4(1 * s, 0, -1 * s, 3))
        return w
    }


    /// Trains a base model on GoEmotions train plus the VADER sets named (all by default).
    static func train(vaderSets: [String] = Corpora.vaderSets, log: Bool = true) throws -> LearnedModel {
        let clock = ContinuousClock()
        let start = clock.now
        let featureScorer = Scorer()
        var labels = try Corpora.goEmotions("train")
        for set in vaderSets { labels += try Corpora.vader(set) }
        let examples = Adaptation.examples(labels, featureScorer: featureScorer)
        let featuresDone = clock.now
        let prior = Self.prior(sentiment: sentimentPrior)
        var weights = Trainer.train(examples, start: prior, prior: prior, options: options)
        if let beta = Float(ProcessInfo.processInfo.environment["OUTCRY_BASE_FOLD"] ?? "") {
            for j in 0..<FeatureSpace.hashedCount { weights[j][3] += beta * (weights[j][0] - weights[j][2]) }
        }
        var info = ModelInfo()
        info.seed = seed
        info.baseExamples = examples.count
        info.sources = [
            "GoEmotions train split (43,410 Reddit comments; Demszky et al., ACL 2020), Apache-2.0",
        ] + vaderSets.map { "VADER ground truth: \($0) (Hutto & Gilbert, ICWSM 2014), MIT" }
        info.notes = "sentiment: GoEmotions groups (positive only, negative only, else neutral; mixed dropped); VADER mean ≥ 0.5 positive, ≤ -0.5 negative. complaint (weak labels): GoEmotions anger/annoyance/disappointment/disapproval/disgust without a positive emotion; VADER Amazon and movie review snippets ≤ -1.0; anything rated ≥ 0.5 is not; complaint prior: rules +3, urgency +3, lexicon tone -\(complaintTone). AdaGrad \(options.epochs) epochs, lr \(options.learningRate), L2 \(options.l2) (named features' sentiment \(options.l2DenseSentiment ?? options.l2) toward a prior of scale \(sentimentPrior), complaint \(options.l2Dense ?? options.l2), words' complaint \(options.l2HashedComplaint ?? options.l2), baseline \(options.l2Bias ?? options.l2)), features seen < \(options.minCount) times dropped."
        var model = LearnedModel(info: info, weights: weights)
        if log {
            for d in FeatureSpace.Dense.allCases {
                let w = weights[FeatureSpace.hashedCount + d.rawValue]
                FileHandle.standardError.write(Data("  \(d.label): \(w)\n".utf8))
            }
        }
        // Complaint threshold: the best mean of the complaint F1 on GoEmotions dev (weak labels)
        // and on the hand-written posts (so their complaint figures are tuned, not held out).
        let dev = try Corpora.goEmotions("dev")
        let devScorer = Scorer(model: model)
        var probs: [(Double, Bool)] = []
        for l in dev { if let c = l.complaint { probs.append((devScorer.score(text: l.text).complaint.score, c)) } }
        var hand: [(Double, Bool)] = []
        for p in (try? Corpora.handwritten(handwrittenPath)) ?? [] {
            if let c = p.label.complaint { hand.append((devScorer.score(text: p.label.text).complaint.score, c)) }
        }
        var best = (0.5, 0.0)
        for t in stride(from: 0.1, through: 0.8, by: 0.02) {
            let f = Figures.f1(probs.map { (predicted: $0.0 >= t, gold: $0.1) })
            let h = hand.isEmpty ? f : Figures.f1(hand.map { (predicted: $0.0 >= t, gold: $0.1) })
            if (f + h) / 2 > best.1 { best = (t, (f + h) / 2) }
        }
        model.info.complaintThreshold = (best.0 * 100).rounded() / 100
        model.info.figures["tuning_complaint_f1_mean"] = best.1
        if log {
            let s = Double((featuresDone - start).components.attoseconds) * 1e-18 + Double((featuresDone - start).components.seconds)
            let e = clock.now - featuresDone
            let t = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
            FileHandle.standardError.write(Data("trained on \(examples.count) examples: features \(String(format: "%.1f", s)) s, training \(String(format: "%.1f", t)) s; complaint threshold \(model.info.complaintThreshold) (dev F1 \(String(format: "%.3f", best.1)))\n".utf8))
        }
        return model
    }

    static func run(_ args: [String]) throws {
        var out = "Sources/OutcryScoring/Learning/BaseModelData.swift"
        var i = 0
        while i < args.count {
            if args[i] == "--out", i + 1 < args.count { out = args[i + 1]; i += 1 }
            i += 1
        }
        var model = try train()
        let test = try Corpora.goEmotions("test")
        let f = Adaptation.evaluate(model, on: test)
        model.info.figures["goemotions_test_accuracy"] = f.accuracy
        model.info.figures["goemotions_test_negative_f1"] = f.negativeF1
        model.info.figures["goemotions_test_complaint_f1_weak"] = f.complaintF1
        let rules = Adaptation.evaluate(nil, on: test)
        model.info.figures["rules_goemotions_test_accuracy"] = rules.accuracy
        model.info.figures["rules_goemotions_test_negative_f1"] = rules.negativeF1
        print("GoEmotions test, base model: \(f.summary)")
        print("GoEmotions test, rules only: \(rules.summary)")
        let bytes = ModelCodec.encode(model, compact: true)
        let b64 = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        var src = """
            // GENERATED by scripts/train_base_model.sh (outcry-bench-score train-base) — do not edit.
            //
            // Outcry's base scoring model: \(bytes.count) bytes, Int8 weights with per-output scales.
            // Trained, seed \(seed), from:

            """
        for s in model.info.sources { src += "//   - \(s)\n" }
        src += "// Licences: GoEmotions Apache-2.0 (../shared/corpora/goemotions/LICENSE), VADER MIT\n"
        src += "// (../shared/corpora/vader-groundtruth/LICENSE). Figures: see docs/scorer.md.\n\n"
        src += "enum BaseModelData {\n    static let base64 = \"\"\"\n"
        for line in b64.split(separator: "\n") { src += "        " + line + "\n" }
        src += "        \"\"\"\n}\n"
        try src.write(toFile: out, atomically: true, encoding: .utf8)
        print("wrote \(out): \(bytes.count) bytes of model, \(src.utf8.count) bytes of source")
    }
}
