import Foundation
import OutcryModel

/// One judgement a person made about a text: any of sentiment, complaint and urgency.
public struct LabelExample: Sendable, Equatable {
    public var id: LabelID
    public var text: String
    public var sentiment: SentimentLabel?
    public var complaint: Bool?
    /// nil: not said; []: no urgency.
    public var urgency: [UrgencyCategory]?

    public init(id: LabelID = 0, text: String, sentiment: SentimentLabel? = nil, complaint: Bool? = nil, urgency: [UrgencyCategory]? = nil) {
        self.id = id
        self.text = text
        self.sentiment = sentiment
        self.complaint = complaint
        self.urgency = urgency
    }
}

/// What cross-validation said about a candidate model, against the base and the current one.
public struct AdaptationReport: Sendable, Codable, Equatable {
    public var folds: Int
    public var candidate: Figures
    public var base: Figures
    /// The active installation model's recipe (base + the labels it had), on the same folds.
    public var current: Figures?
    public var accepted: Bool
    public var reason: String
}

/// Adapting the base model to an installation's labels, and deciding whether to switch.
public enum Adaptation {
    /// The sentiment class index the trainer uses.
    static func classIndex(_ label: SentimentLabel) -> Int {
        switch label {
        case .negative: 0
        case .neutral: 1
        case .positive: 2
        }
    }

    public static func examples(_ labels: [LabelExample], featureScorer: Scorer) -> [TrainingExample] {
        labels.compactMap { l in
            guard l.sentiment != nil || l.complaint != nil else { return nil }
            return TrainingExample(
                hits: featureScorer.features(text: l.text).hits, sentiment: l.sentiment.map(classIndex), complaint: l.complaint)
        }
    }

    /// The base model fine-tuned on `labels` (regularised toward the base), with urgency phrases
    /// learned from the labels' urgency judgements.
    public static func train(
        base: LearnedModel, labels: [LabelExample], config: ScoringConfig = ScoringConfig(),
        options: TrainingOptions = .adaptation, version: Int, createdAt: String = ""
    ) -> LearnedModel {
        let featureScorer = Scorer(config: config)
        let xs = examples(labels, featureScorer: featureScorer)
        var weights = Trainer.train(xs, start: base.weights, prior: base.weights, options: options)
        var info = base.info
        if let t = complaintThreshold(xs, base: base, options: options, coupled: config.complaintPullsSentiment) {
            info.complaintThreshold = t.threshold
            info.figures["threshold_cv_figure"] = t.figure
            if t.coupling != 0 {
                couple(&weights, t.coupling)
                info.figures["complaint_sentiment_coupling"] = (Double(t.coupling) * 1000).rounded() / 1000
            }
        }
        info.version = version
        info.createdAt = createdAt
        info.labelCount = labels.count
        info.labelsThrough = labels.map(\.id).max() ?? 0
        info.seed = options.seed
        info.learnedPhrases = PhraseLearner.learn(labels, scorer: featureScorer, existing: base.info.learnedPhrases)
        info.notes = "base model adapted with \(labels.count) installation labels (AdaGrad \(options.epochs) epochs, L2 \(options.l2) toward the base)"
        return LearnedModel(info: info, weights: weights)
    }

    /// Adds `beta` times each feature's sentiment pull (negative minus positive weight) to its
    /// complaint weight: the complaint output then also reads what the sentiment outputs learned
    /// from every label (a sentiment label is given more often than a complaint label, and the
    /// base's sentiment words come from 67,000 texts where its complaint words are held near
    /// zero). Still one weight per named feature, so the reasons name the same words and rules.
    static func couple(_ w: inout [SIMD4<Float>], _ beta: Float) {
        for j in w.indices { w[j][3] += beta * (w[j][0] - w[j][2]) }
    }

    /// The complaint threshold chosen on the installation's own labels: `options.thresholdFolds`
    /// models of the same recipe, each trained without one fold, predict the held-out fold; the
    /// threshold is the one whose out-of-fold figure is best — the figure the k-fold switch
    /// compares (the mean of 3-way accuracy and complaint F1, those labelled), with a complaint
    /// that the sentiment outputs call neutral counted negative as the scorer does
    /// (`coupled`, `ScoringConfig.complaintPullsSentiment`). Each threshold (0.05 … 0.95) is
    /// judged by the mean of its figure and its two neighbours' 0.01 away, so that one lucky
    /// split does not pick it; of a run as good, the middle. nil (keep the base's threshold) without `thresholdMinimum`
    /// complaints and as many non-complaints. Deterministic: folds by position after a seeded
    /// shuffle.
    public static func complaintThreshold(
        _ xs: [TrainingExample], base: LearnedModel, options: TrainingOptions, coupled: Bool = true
    ) -> (threshold: Double, figure: Double, coupling: Float)? {
        let k = options.thresholdFolds
        guard k >= 2 else { return nil }
        let positives = xs.filter { $0.complaint == true }.count, negatives = xs.filter { $0.complaint == false }.count
        guard positives >= options.thresholdMinimum && negatives >= options.thresholdMinimum else { return nil }
        var order = Array(xs.indices)
        var random = SplitMix64(state: options.seed ^ 0x7E5D)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        var inner = options
        inner.thresholdFolds = 0
        var predictions: [OutOfFold] = []
        var logits: [SIMD4<Float>] = []
        let foreign = FeatureSpace.dense(.foreign)
        for fold in 0..<k {
            var train: [TrainingExample] = [], held: [TrainingExample] = []
            for (pos, i) in order.enumerated() { if pos % k == fold { held.append(xs[i]) } else { train.append(xs[i]) } }
            let w = Trainer.train(train, start: base.weights, prior: base.weights, options: inner)
            let m = LearnedModel(info: base.info, weights: w)
            for e in held {
                let z = m.logits(e.hits)
                var cls = 0
                if z[1] > z[cls] { cls = 1 }
                if z[2] > z[cls] { cls = 2 }
                // A text the lexicon cannot read (not English) is neutral whatever the outputs say.
                if e.hits.contains(where: { $0.index == foreign }) { cls = 1 }
                logits.append(z)
                predictions.append(OutOfFold(
                    complaint: Double(LearnedModel.sigmoid(z[3])), sentiment: cls, goldSentiment: e.sentiment, goldComplaint: e.complaint,
                    pullable: coupled && cls == 1 && !e.hits.contains(where: { $0.index == foreign })))
            }
        }
        // The coupling (`options.complaintCouplings`, the first when none is better) and the
        // threshold are chosen together on the same out-of-fold predictions.
        var best: (threshold: Double, figure: Double, coupling: Float)? = nil
        for beta in options.complaintCouplings.isEmpty ? [0] : options.complaintCouplings {
            for i in predictions.indices {
                let z = logits[i]
                predictions[i].complaint = Double(LearnedModel.sigmoid(z[3] + beta * (z[0] - z[2])))
            }
            let t = bestThreshold(predictions)
            if best == nil || t.figure > best!.figure + 1e-9 { best = (t.threshold, t.figure, beta) }
        }
        return best
    }

    /// One held-out prediction: the complaint probability, the sentiment class (0 negative,
    /// 1 neutral, 2 positive), the labels, and whether a complaint would pull it to negative.
    public struct OutOfFold: Sendable {
        public var complaint: Double
        public var sentiment: Int
        public var goldSentiment: Int?
        public var goldComplaint: Bool?
        public var pullable: Bool

        public init(complaint: Double, sentiment: Int = 1, goldSentiment: Int? = nil, goldComplaint: Bool?, pullable: Bool = false) {
            self.complaint = complaint
            self.sentiment = sentiment
            self.goldSentiment = goldSentiment
            self.goldComplaint = goldComplaint
            self.pullable = pullable
        }
    }

    /// The threshold (0.05 … 0.95 by 0.01) whose figure on `predictions` (the mean of 3-way
    /// accuracy and complaint F1, those labelled), averaged with its neighbours', is highest;
    /// of several as good in a row, the middle one.
    public static func bestThreshold(_ predictions: [OutOfFold]) -> (threshold: Double, figure: Double) {
        let grid = (0...92).map { 0.04 + Double($0) / 100 }
        let figures = grid.map { t -> Double in
            var right = 0, judged = 0
            var pairs: [(predicted: Bool, gold: Bool)] = []
            for p in predictions {
                let isComplaint = p.complaint >= t
                if let g = p.goldSentiment {
                    judged += 1
                    if (isComplaint && p.pullable ? 0 : p.sentiment) == g { right += 1 }
                }
                if let g = p.goldComplaint { pairs.append((isComplaint, g)) }
            }
            var parts: [Double] = []
            if judged > 0 { parts.append(Double(right) / Double(judged)) }
            if !pairs.isEmpty { parts.append(Figures.f1(pairs)) }
            return parts.isEmpty ? 0 : parts.reduce(0, +) / Double(parts.count)
        }
        var smoothed: [Double] = []
        for i in 1..<(grid.count - 1) {
            let sum: Double = figures[i - 1] + figures[i] + figures[i + 1]
            smoothed.append(sum / 3)
        }
        let top = smoothed.max() ?? 0
        // The middle of the first run of thresholds as good as the best: when the labels are
        // separated over a range, the threshold keeps a margin on both sides.
        let first = smoothed.firstIndex { $0 >= top - 1e-12 } ?? 0
        var last = first
        while last + 1 < smoothed.count && smoothed[last + 1] >= top - 1e-12 { last += 1 }
        let middle: Int = (first + last) / 2 + 1
        let threshold: Double = (grid[middle] * 100).rounded() / 100
        return (threshold, top)
    }

    /// Figures of `model` on `labels`.
    public static func evaluate(_ model: LearnedModel?, on labels: [LabelExample], config: ScoringConfig = ScoringConfig()) -> Figures {
        let scorer = Scorer(config: config, model: model)
        var s: [(predicted: SentimentLabel, gold: SentimentLabel)] = []
        var c: [(predicted: Bool, gold: Bool)] = []
        for l in labels where l.sentiment != nil || l.complaint != nil {
            let score = scorer.score(text: l.text)
            if let gold = l.sentiment { s.append((score.sentiment.label, gold)) }
            if let gold = l.complaint { c.append((score.complaint.isComplaint, gold)) }
        }
        return Figures.measure(sentiment: s, complaint: c)
    }

    /// k-fold cross-validation on the installation's labels: the candidate (base + all labels)
    /// against the base and against the current model's recipe (base + the labels with id ≤
    /// `currentLabelsThrough`), each trained without the held-out fold and scored on it. The
    /// candidate is accepted when its combined figure is not worse than the current one's (nor
    /// the base's, when there is no current model) by more than `tolerance`.
    public static func crossValidate(
        base: LearnedModel, labels: [LabelExample], currentLabelsThrough: LabelID?, config: ScoringConfig = ScoringConfig(),
        options: TrainingOptions = .adaptation, candidateOptions: TrainingOptions? = nil, folds requested: Int = 5,
        tolerance: Double = 0.005
    ) -> AdaptationReport {
        let usable = labels.filter { $0.sentiment != nil || $0.complaint != nil }
        let k = min(requested, usable.count)
        guard k >= 2 else {
            let f = evaluate(base, on: usable, config: config)
            return AdaptationReport(
                folds: 0, candidate: f, base: f, current: nil, accepted: true,
                reason: "too few labels to cross-validate (\(usable.count)); activated")
        }
        // Deterministic folds: by position after a seeded shuffle.
        var order = Array(usable.indices)
        var random = SplitMix64(state: options.seed ^ 0xF01D)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        var candS: [(predicted: SentimentLabel, gold: SentimentLabel)] = [], candC: [(predicted: Bool, gold: Bool)] = []
        var baseS = candS, baseC = candC, curS = candS, curC = candC
        let baseScorer = Scorer(config: config, model: base)
        for fold in 0..<k {
            var train: [LabelExample] = [], held: [LabelExample] = []
            for (pos, i) in order.enumerated() { if pos % k == fold { held.append(usable[i]) } else { train.append(usable[i]) } }
            let cand = Scorer(config: config, model: Adaptation.train(
                base: base, labels: train, config: config, options: candidateOptions ?? options, version: 0))
            var cur: Scorer? = nil
            if let through = currentLabelsThrough {
                cur = Scorer(config: config, model: Adaptation.train(
                    base: base, labels: train.filter { $0.id <= through }, config: config, options: options, version: 0))
            }
            for l in held {
                let a = cand.score(text: l.text), b = baseScorer.score(text: l.text)
                let c = cur?.score(text: l.text)
                if let gold = l.sentiment {
                    candS.append((a.sentiment.label, gold)); baseS.append((b.sentiment.label, gold))
                    if let c { curS.append((c.sentiment.label, gold)) }
                }
                if let gold = l.complaint {
                    candC.append((a.complaint.isComplaint, gold)); baseC.append((b.complaint.isComplaint, gold))
                    if let c { curC.append((c.complaint.isComplaint, gold)) }
                }
            }
        }
        let candidate = Figures.measure(sentiment: candS, complaint: candC)
        let baseF = Figures.measure(sentiment: baseS, complaint: baseC)
        let current = currentLabelsThrough == nil ? nil : Figures.measure(sentiment: curS, complaint: curC)
        let reference = current ?? baseF
        let name = current == nil ? "the base model" : "the active model"
        let accepted = candidate.combined >= reference.combined - tolerance
        let verdict = String(format: "%.3f", candidate.combined) + (accepted ? " is not worse than " : " is worse than ")
            + name + "'s " + String(format: "%.3f", reference.combined)
        return AdaptationReport(
            folds: k, candidate: candidate, base: baseF, current: current, accepted: accepted,
            reason: "\(k)-fold cross-validation: \(verdict)")
    }
}

/// Urgency phrases learned from labels: word sequences that recur in texts people marked with
/// a category the rules missed, and never in texts marked without it. They stay readable
/// phrases in the category's list (shown by `outcry scorer status`).
public enum PhraseLearner {
    static let stop: Set<String> = [
        "the", "a", "an", "and", "or", "to", "of", "in", "on", "at", "for", "is", "was", "it", "this", "that", "my", "i",
        "me", "you", "your", "we", "our", "be", "with", "<num>", "<mention>", "so", "just", "are", "has", "have", "had",
    ]

    public static func learn(
        _ labels: [LabelExample], scorer: Scorer, existing: [String: [String]] = [:], perCategory: Int = 12
    ) -> [String: [String]] {
        var result = existing
        let judged = labels.filter { $0.urgency != nil }
        guard !judged.isEmpty else { return result }
        let grams: [Set<String>] = judged.map { l in
            let tokens = scorer.features(text: l.text).tokens
            var set = Set<String>()
            for n in 2...3 where tokens.count >= n {
                for i in 0...(tokens.count - n) {
                    let g = tokens[i..<(i + n)]
                    if g.allSatisfy({ stop.contains($0) }) || g.contains("<mention>") { continue }
                    if stop.contains(g.first!) && stop.contains(g.last!) { continue }
                    set.insert(g.joined(separator: " "))
                }
            }
            return set
        }
        for category in UrgencyCategory.allCases {
            var pos: [String: Int] = [:]
            var neg = Set<String>()
            for (l, g) in zip(judged, grams) {
                if l.urgency!.contains(category) {
                    if scorer.score(text: l.text).urgency.contains(category) { continue }  // the rules already see it
                    for x in g { pos[x, default: 0] += 1 }
                } else {
                    neg.formUnion(g)
                }
            }
            let picked = pos.filter { $0.value >= 2 && !neg.contains($0.key) }
                .sorted { ($0.value, $0.key.count, $1.key) > ($1.value, $1.key.count, $0.key) }
            var chosen = result[category.rawValue] ?? []
            for (g, _) in picked where chosen.count < perCategory + (existing[category.rawValue]?.count ?? 0) {
                if chosen.contains(where: { $0.contains(g) || g.contains($0) }) { continue }
                chosen.append(g)
            }
            if !chosen.isEmpty { result[category.rawValue] = chosen }
        }
        return result
    }
}
