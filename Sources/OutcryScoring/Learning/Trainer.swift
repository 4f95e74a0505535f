import Foundation
import OutcryModel

/// One labelled text, as features.
public struct TrainingExample: Sendable {
    public var hits: [FeatureHit]
    /// 0 negative, 1 neutral, 2 positive; nil when the label says nothing about sentiment.
    public var sentiment: Int?
    public var complaint: Bool?
    public var weight: Float

    public init(hits: [FeatureHit], sentiment: Int?, complaint: Bool?, weight: Float = 1) {
        self.hits = hits
        self.sentiment = sentiment
        self.complaint = complaint
        self.weight = weight
    }
}

/// How to train. Defaults suit the base model; `adaptation` suits an installation's labels.
public struct TrainingOptions: Sendable, Equatable {
    public var epochs = 6
    /// AdaGrad step size.
    public var learningRate: Float = 0.1
    /// L2 pull toward the prior weights (zero for the base model, the base for an installation).
    public var l2: Float = 1e-5
    public var seed: UInt64 = 15
    /// Weight the sentiment classes so that each counts as much in total.
    public var balanceClasses = true
    /// Weight of the complaint loss relative to the sentiment loss.
    public var complaintWeight: Float = 1
    /// Hashed features seen in fewer training examples than this are not learned.
    public var minCount = 1
    /// Multiplies every example weight (0 makes training a no-op; tests use it).
    public var labelWeight: Float = 1
    /// L2 pull of the named (rule and lexicon) features' complaint weights toward their prior;
    /// nil: `l2`.
    public var l2Dense: Float? = nil
    /// The same for their sentiment weights; nil: `l2`.
    public var l2DenseSentiment: Float? = nil
    /// L2 pull of the word features' complaint weights; nil: `l2`. Weak complaint labels (an
    /// angry Reddit comment is not a customer's complaint) should move the words less than
    /// the rules.
    public var l2HashedComplaint: Float? = nil
    /// L2 pull of the baseline (bias) toward its prior; nil: as the other named features.
    public var l2Bias: Float? = nil
    /// Folds of an inner cross-validation on the labels that choose the complaint threshold
    /// (`Adaptation.train`); 0 keeps the base model's threshold. Used only when the labels hold
    /// at least `thresholdMinimum` complaints and as many non-complaints.
    public var thresholdFolds = 0
    public var thresholdMinimum = 20
    /// Candidate couplings of the complaint output to the sentiment outputs
    /// (`Adaptation.couple`), chosen with the threshold by the same inner cross-validation; the
    /// first is kept unless another is better. Empty: no coupling.
    public var complaintCouplings: [Float] = []

    public init() {}

    /// Fine-tuning a base model on an installation's labels. Step and epochs chosen by
    /// adapting bases trained without a VADER set to k labels of it (`outcry-bench-score tune
    /// --adapt`, docs/scorer.md). The words are held near the base (L2 2e-3: a few labels move
    /// a few words), the named features and the baseline much less (1e-4, 1e-5): they are few
    /// and every label informs them, so an installation's own balance of tone, cues and
    /// classes is learned from its labels (`tune --adapt-complaint`). The complaint threshold
    /// is chosen by a 3-fold cross-validation on the labels when there are at least 20
    /// complaints and 20 non-complaints; then the complaint output also reads the sentiment
    /// outputs, at 0.2 (`Adaptation.couple`; chosen on the tuning draws, docs/scorer.md).
    public static var adaptation: TrainingOptions {
        var o = TrainingOptions()
        o.epochs = 16
        o.learningRate = 0.2
        o.l2 = 2e-3
        o.l2Dense = 1e-4
        o.l2DenseSentiment = 1e-4
        o.l2Bias = 1e-5
        o.balanceClasses = false
        o.thresholdFolds = 3
        o.complaintCouplings = [0.2]
        return o
    }
}

/// Multinomial (sentiment) and binary (complaint) logistic regression by AdaGrad epochs in a
/// seeded order, with an L2 prior toward given weights. Single-threaded and deterministic: the
/// same examples, start, prior and options give the same weights, bit for bit.
public enum Trainer {
    public static func train(
        _ examples: [TrainingExample], start: [SIMD4<Float>], prior: [SIMD4<Float>]?, options: TrainingOptions
    ) -> [SIMD4<Float>] {
        var w = start
        precondition(w.count == FeatureSpace.dimension)
        if examples.isEmpty || options.labelWeight == 0 || options.epochs == 0 { return w }
        var g = [SIMD4<Float>](repeating: SIMD4(repeating: 0.1), count: w.count)
        var allowed: [Bool]? = nil
        if options.minCount > 1 {
            var counts = [UInt16](repeating: 0, count: FeatureSpace.hashedCount)
            for e in examples {
                for h in e.hits where Int(h.index) < FeatureSpace.hashedCount && counts[Int(h.index)] < UInt16.max {
                    counts[Int(h.index)] += 1
                }
            }
            var a = [Bool](repeating: true, count: w.count)
            for i in 0..<FeatureSpace.hashedCount where Int(counts[i]) < options.minCount { a[i] = false }
            allowed = a
        }
        var classWeight = SIMD3<Float>(1, 1, 1)
        if options.balanceClasses {
            var n = SIMD3<Float>(0, 0, 0)
            for e in examples { if let s = e.sentiment { n[s] += e.weight } }
            let total = n[0] + n[1] + n[2]
            for c in 0..<3 where n[c] > 0 { classWeight[c] = total / (3 * n[c]) }
        }
        var order = Array(examples.indices)
        var random = SplitMix64(state: options.seed)
        let lr = options.learningRate
        let l2 = options.l2
        let l2Dense = SIMD4<Float>(options.l2DenseSentiment ?? l2, options.l2DenseSentiment ?? l2, options.l2DenseSentiment ?? l2, options.l2Dense ?? l2)
        let l2Hashed = SIMD4<Float>(l2, l2, l2, options.l2HashedComplaint ?? l2)
        let biasIndex = Int(FeatureSpace.dense(.bias))
        let l2Bias = options.l2Bias.map { SIMD4<Float>(repeating: $0) } ?? l2Dense
        let zeroPrior = prior == nil
        let p0 = prior ?? []
        for _ in 0..<options.epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
            for idx in order {
                let e = examples[idx]
                var z = SIMD4<Float>.zero
                for h in e.hits { z += w[Int(h.index)] * h.value }
                var grad = SIMD4<Float>.zero
                let ew = e.weight * options.labelWeight
                if let s = e.sentiment {
                    let p = LearnedModel.softmax(z)
                    let cw = classWeight[s] * ew
                    grad[0] = (p[0] - (s == 0 ? 1 : 0)) * cw
                    grad[1] = (p[1] - (s == 1 ? 1 : 0)) * cw
                    grad[2] = (p[2] - (s == 2 ? 1 : 0)) * cw
                }
                if let c = e.complaint {
                    grad[3] = (LearnedModel.sigmoid(z[3]) - (c ? 1 : 0)) * ew * options.complaintWeight
                }
                if grad == .zero { continue }
                for h in e.hits {
                    let j = Int(h.index)
                    if let allowed, !allowed[j] { continue }
                    var gj = grad * h.value
                    gj += (j == biasIndex ? l2Bias : j >= FeatureSpace.hashedCount ? l2Dense : l2Hashed) * (zeroPrior ? w[j] : w[j] - p0[j])
                    g[j] += gj * gj
                    w[j] -= lr * gj / g[j].squareRoot()
                }
            }
        }
        return w
    }
}

/// Figures for a set of predictions against labels.
public struct Figures: Sendable, Equatable, Codable {
    public var sentimentCount = 0
    public var accuracy = 0.0
    public var negativeF1 = 0.0
    public var complaintCount = 0
    public var complaintF1 = 0.0
    public var complaintAccuracy = 0.0

    public init() {}

    /// One number to compare models: the mean of accuracy and complaint F1 (those measured).
    public var combined: Double {
        var parts: [Double] = []
        if sentimentCount > 0 { parts.append(accuracy) }
        if complaintCount > 0 { parts.append(complaintF1) }
        return parts.isEmpty ? 0 : parts.reduce(0, +) / Double(parts.count)
    }

    public static func measure(
        sentiment: [(predicted: SentimentLabel, gold: SentimentLabel)], complaint: [(predicted: Bool, gold: Bool)]
    ) -> Figures {
        var f = Figures()
        f.sentimentCount = sentiment.count
        if !sentiment.isEmpty {
            f.accuracy = Double(sentiment.filter { $0.predicted == $0.gold }.count) / Double(sentiment.count)
            f.negativeF1 = f1(sentiment.map { ($0.predicted == .negative, $0.gold == .negative) })
        }
        f.complaintCount = complaint.count
        if !complaint.isEmpty {
            f.complaintF1 = f1(complaint)
            f.complaintAccuracy = Double(complaint.filter { $0.predicted == $0.gold }.count) / Double(complaint.count)
        }
        return f
    }

    public static func f1(_ pairs: [(predicted: Bool, gold: Bool)]) -> Double {
        var tp = 0.0, fp = 0.0, fn = 0.0
        for p in pairs {
            if p.predicted && p.gold { tp += 1 } else if p.predicted { fp += 1 } else if p.gold { fn += 1 }
        }
        return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
    }

    public var summary: String {
        var parts: [String] = []
        if sentimentCount > 0 {
            parts.append("sentiment accuracy \(String(format: "%.3f", accuracy)), negative F1 \(String(format: "%.3f", negativeF1)) (n=\(sentimentCount))")
        }
        if complaintCount > 0 {
            parts.append("complaint F1 \(String(format: "%.3f", complaintF1)), accuracy \(String(format: "%.3f", complaintAccuracy)) (n=\(complaintCount))")
        }
        return parts.isEmpty ? "no labels to measure" : parts.joined(separator: "; ")
    }
}
