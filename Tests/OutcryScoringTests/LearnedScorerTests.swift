import Foundation
import OutcryModel
import Testing
@testable import OutcryScoring

let learned = Scorer(model: .base)

/// The hand-written posts beside the tests (Fixtures/handwritten.jsonl, or another file there).
func handwrittenPosts(_ name: String = "handwritten.jsonl") throws
    -> [(text: String, complaint: Bool?, urgency: [UrgencyCategory], kind: String, sentiment: SentimentLabel?)]
{
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (o["text"] as! String, o["complaint"] as? Bool,
                ((o["urgency"] as? [String]) ?? []).compactMap(UrgencyCategory.init(rawValue:)), o["kind"] as? String ?? "",
                (o["sentiment"] as? String).flatMap(SentimentLabel.init(rawValue:)))
    }
}

/// A made-up domain the base model cannot know: "blorf" is bad, "zarp" is good.
func inventedDomain(_ n: Int) -> [LabelExample] {
    let things = ["widget", "gadget", "service", "parcel", "app", "router", "flight", "meal"]
    return (0..<n).map { i in
        let bad = i % 2 == 0
        let text = "the \(things[i % things.count]) was \(bad ? "blorf" : "zarp") \(["today", "again", "this week", "as usual"][i % 4])"
        return LabelExample(id: LabelID(Int64(i + 1)), text: text, sentiment: bad ? .negative : .positive, complaint: bad)
    }
}

@Suite struct LearnedModelTests {
    @Test func trainingIsDeterministic() {
        let examples = Adaptation.examples(inventedDomain(60), featureScorer: Scorer())
        var options = TrainingOptions()
        options.seed = 99
        let zero = LearnedModel.zero().weights
        let a = Trainer.train(examples, start: zero, prior: nil, options: options)
        let b = Trainer.train(examples, start: zero, prior: nil, options: options)
        #expect(a == b)
        #expect(a != zero)
        options.seed = 100
        let c = Trainer.train(examples, start: zero, prior: nil, options: options)
        #expect(c != a, "another seed visits the examples in another order")
    }

    @Test func adaptationLearnsTheDomainAndStaysNearTheBase() {
        let labels = inventedDomain(80)
        let model = Adaptation.train(base: .base, labels: labels, version: 1)
        let s = Scorer(model: model)
        #expect(s.score(text: "the kettle was blorf again").sentiment.label == .negative)
        #expect(s.score(text: "the kettle was zarp today").sentiment.label == .positive)
        // A few labels do not wreck what the base knows.
        #expect(s.score(text: "I love this, thank you so much!").sentiment.label == .positive)
        #expect(model.info.labelCount == 80 && model.info.labelsThrough == 80 && model.info.version == 1)
        // Only the features in the labels moved; besides, every complaint weight takes its share
        // of the feature's sentiment pull (the coupling, a fixed recipe, not what the labels said).
        let beta = Float(model.info.figures["complaint_sentiment_coupling"] ?? 0)
        #expect(beta == 0.2)
        var moved = 0
        for i in model.weights.indices {
            let w = model.weights[i], b = LearnedModel.base.weights[i]
            if w[0] != b[0] || w[1] != b[1] || w[2] != b[2] || abs(w[3] - beta * (w[0] - w[2]) - b[3]) > 1e-4 { moved += 1 }
        }
        #expect(moved > 0 && moved < 2_000)
    }

    @Test func kFoldSwitchRefusesAWorseModel() {
        let labels = inventedDomain(60)
        // Current model: base + these labels. A candidate that ignores its labels (weight 0) is
        // the base model again: worse on the held-out folds, so it must not be activated.
        var useless = TrainingOptions.adaptation
        useless.labelWeight = 0
        let refused = Adaptation.crossValidate(
            base: .base, labels: labels, currentLabelsThrough: 60, candidateOptions: useless, folds: 5)
        #expect(!refused.accepted, "\(refused.reason)")
        #expect(refused.candidate.combined < (refused.current?.combined ?? 0))
        let accepted = Adaptation.crossValidate(base: .base, labels: labels, currentLabelsThrough: nil, folds: 5)
        #expect(accepted.accepted, "\(accepted.reason)")
        #expect(accepted.candidate.combined > accepted.base.combined)
    }

    /// The threshold is the one with the best figure the k-fold switch compares: complaint F1,
    /// and with sentiment labels the 3-way accuracy too, a neutral text over the threshold
    /// counting as negative (the scorer's "a complaint is not neutral").
    @Test func bestThresholdMaximisesTheSwitchFigure() {
        var xs: [Adaptation.OutOfFold] = []
        for i in 0..<10 {
            xs.append(.init(complaint: 0.305 + Double(i) / 100, goldComplaint: true))
            xs.append(.init(complaint: 0.055 + Double(i) / 100, goldComplaint: false))
        }
        let alone = Adaptation.bestThreshold(xs)
        // Every threshold from 0.15 to 0.30 separates them: the middle keeps a margin.
        #expect(alone.threshold >= 0.2 && alone.threshold <= 0.25, "\(alone)")
        #expect(alone.figure > 0.99)
        // Neutral texts labelled neutral whose complaint probability is 0.205–0.295: a threshold
        // at or below them would pull them to negative, so it must sit above them.
        for i in 0..<10 {
            xs.append(.init(complaint: 0.205 + Double(i) / 100, sentiment: 1, goldSentiment: 1, goldComplaint: nil, pullable: true))
        }
        let coupled = Adaptation.bestThreshold(xs)
        #expect(coupled.threshold == 0.30, "\(coupled)")
        #expect(coupled.figure > 0.9)
    }

    /// An installation's complaint labels choose its threshold by cross-validation on them;
    /// too few keep the base's, and the choice is deterministic.
    @Test func adaptationChoosesTheComplaintThresholdOnItsLabels() {
        let labels = inventedDomain(80)
        let a = Adaptation.train(base: .base, labels: labels, version: 1)
        let b = Adaptation.train(base: .base, labels: labels, version: 1)
        #expect(a.info.complaintThreshold == b.info.complaintThreshold && a.weights == b.weights)
        #expect(a.info.figures["threshold_cv_figure"] != nil)
        #expect(a.info.complaintThreshold != LearnedModel.base.info.complaintThreshold, "\(a.info.complaintThreshold)")
        let s = Scorer(model: a)
        #expect(s.score(text: "the kettle was blorf again").complaint.isComplaint)
        #expect(!s.score(text: "the kettle was zarp today").complaint.isComplaint)
        // 15 complaints and 15 not: fewer than 20 of each, the base's threshold stays.
        let few = Adaptation.train(base: .base, labels: inventedDomain(30), version: 1)
        #expect(few.info.complaintThreshold == LearnedModel.base.info.complaintThreshold)
        #expect(few.info.figures["threshold_cv_figure"] == nil)
        var off = TrainingOptions.adaptation
        off.thresholdFolds = 0
        #expect(Adaptation.train(base: .base, labels: labels, options: off, version: 1).info.complaintThreshold
            == LearnedModel.base.info.complaintThreshold)
    }

    @Test func theComplaintOutputReadsTheSentimentOutputsWhenChosen() {
        let labels = inventedDomain(80)
        var plain = TrainingOptions.adaptation
        plain.complaintCouplings = []
        let a = Adaptation.train(base: .base, labels: labels, options: plain, version: 1)
        let b = Adaptation.train(base: .base, labels: labels, version: 1)
        #expect(a.info.figures["complaint_sentiment_coupling"] == nil)
        #expect(b.info.figures["complaint_sentiment_coupling"] == 0.2)
        // The same training; the complaint weights then take 0.2 of each feature's sentiment
        // pull (negative minus positive), the sentiment weights stay.
        var folded = 0
        for j in a.weights.indices {
            let w = a.weights[j], v = b.weights[j]
            #expect(v[0] == w[0] && v[1] == w[1] && v[2] == w[2])
            #expect(v[3] == w[3] + 0.2 * (w[0] - w[2]))
            if v[3] != w[3] { folded += 1 }
        }
        #expect(folded > 0)
        // Too few complaint judgements to choose a threshold: no coupling either.
        #expect(Adaptation.train(base: .base, labels: inventedDomain(30), version: 1).info.figures["complaint_sentiment_coupling"] == nil)
        // Chosen among several by the inner cross-validation, as the threshold is.
        var several = TrainingOptions.adaptation
        several.complaintCouplings = [0, 0.2, 0.5]
        let c = Adaptation.train(base: .base, labels: labels, options: several, version: 1)
        #expect(c.info.figures["threshold_cv_figure"] != nil)
        #expect([nil, 0.2, 0.5].contains(c.info.figures["complaint_sentiment_coupling"]))
    }

    @Test func codecRoundTripsAndNamesTheBadPlace() throws {
        let model = Adaptation.train(base: .base, labels: inventedDomain(20), version: 3)
        let bytes = ModelCodec.encode(model, compact: false)
        let back = try ModelCodec.decode(bytes, name: "v3")
        #expect(back.weights == model.weights && back.info == model.info)
        #expect(throws: ModelFileError.self) { try ModelCodec.decode(Array(bytes.prefix(bytes.count - 3)), name: "v3") }
        do { _ = try ModelCodec.decode(Array("NOTMODEL1234".utf8), name: "f.bin") } catch {
            #expect(String(describing: error) == "f.bin: byte 0: not an Outcry model file (no OUTCRYM1 header)")
        }
    }

    @Test func baseModelIsEmbeddedWithItsProvenance() {
        let info = LearnedModel.base.info
        #expect(info.seed == 15 && info.baseExamples > 60_000)
        #expect(info.sources.contains { $0.contains("GoEmotions") && $0.contains("Apache-2.0") })
        #expect(info.sources.contains { $0.contains("VADER") && $0.contains("MIT") })
        #expect((info.figures["goemotions_test_accuracy"] ?? 0) > 0.64)  // 0.646: the tone prior and the movie snippets cost 1.4 points (docs/scorer.md)
    }
}

@Suite struct LearnedScoringTests {
    @Test func reasonsNameLearnedFeatures() throws {
        let s = learned.score(text: "@acme still waiting for my refund, 3 weeks now, no reply to my emails")
        #expect(s.complaint.isComplaint)
        let model = s.reasons.filter { $0.rule == "model.complaint" }
        #expect(model.first?.evidence.hasPrefix("complaint ") == true)
        #expect(model.dropFirst().contains { $0.evidence.hasPrefix("'") && $0.weight > 0 }, "\(model)")
    }

    @Test func scoreLineKeepsTheContractWithLearnedReasons() throws {
        let out = ScoreLine.process(#"{"id":7,"text":"Third time my parcel has gone to the wrong address, still no refund"}"#, lineNumber: 1, scorer: learned)
        #expect(out.hasPrefix(#"{"id":7,"sentiment":{"compound":"#))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(Set(obj.keys) == ["id", "sentiment", "complaint", "urgency", "severity", "reasons"])
        let complaint = try #require(obj["complaint"] as? [String: Any])
        #expect(complaint["is_complaint"] as? Bool == true)
        let reasons = try #require(obj["reasons"] as? [[String: Any]])
        #expect(reasons.allSatisfy { Set($0.keys) == ["rule", "evidence", "weight"] })
        #expect(reasons.contains { ($0["rule"] as? String) == "model.complaint" && ($0["evidence"] as? String)?.hasPrefix("'") == true })
    }

    @Test(arguments: [
        "Your charger gave my son an electric shock this morning, this is a safety hazard",
        "You leaked my credit card number, I will report you to the ICO",
    ])
    func sentimentNeverCancelsUrgency(text: String) {
        for s in [scorer.score(text: text), learned.score(text: text)] {
            #expect(s.severity == .p1, "\(text): \(s.summary)")
            #expect(s.sentiment.label != .positive, "\(text): \(s.summary)")
        }
    }

    @Test func handwrittenUrgencyAndNoFalseAlarms() throws {
        var tp = 0, fp = 0, fn = 0, alarms = 0, complaintsRight = 0, complaints = 0
        for p in try handwrittenPosts() {
            let s = learned.score(text: p.text)
            let got = Set(s.urgency), gold = Set(p.urgency)
            tp += gold.intersection(got).count
            fp += got.subtracting(gold).count
            fn += gold.subtracting(got).count
            if p.kind == "harmless" && !got.isEmpty { alarms += 1 }
            if let c = p.complaint { complaints += 1; if c == s.complaint.isComplaint { complaintsRight += 1 } }
        }
        let f1 = Double(2 * tp) / Double(2 * tp + fp + fn)
        #expect(f1 >= 0.85)
        #expect(alarms == 0)
        #expect(Double(complaintsRight) / Double(complaints) >= 0.85)
    }

    /// Customer posts written before the last changes and kept out of every choice
    /// (docs/scorer.md, "Posts written by hand"): the base model with no labels of them.
    @Test func customerPostsKeptOut() throws {
        var tp = 0, fp = 0, fn = 0, alarms = 0, right = 0, judged = 0, tone = 0, toned = 0
        for p in try handwrittenPosts("customer-posts-b.jsonl") {
            let s = learned.score(text: p.text)
            let got = Set(s.urgency), gold = Set(p.urgency)
            tp += gold.intersection(got).count
            fp += got.subtracting(gold).count
            fn += gold.subtracting(got).count
            if p.kind == "harmless" && !got.isEmpty { alarms += 1 }
            if let c = p.complaint { judged += 1; if c == s.complaint.isComplaint { right += 1 } }
            if let g = p.sentiment { toned += 1; if g == s.sentiment.label { tone += 1 } }
        }
        #expect(Double(2 * tp) / Double(2 * tp + fp + fn) >= 0.85)
        #expect(alarms == 0)
        #expect(Double(right) / Double(judged) >= 0.85)
        #expect(Double(tone) / Double(toned) >= 0.85)
    }

    @Test func uncertainComplaintsAreMarked() {
        let threshold = LearnedModel.base.info.complaintThreshold
        let texts = try! handwrittenPosts().map(\.text)
        let near = texts.map { learned.score(text: $0) }.filter { abs($0.complaint.score - threshold) < 0.03 }
        #expect(near.allSatisfy { $0.reasons.contains { $0.rule == "model.uncertain" } })
        #expect(!learned.score(text: "I love this, thank you so much!").reasons.contains { $0.rule == "model.uncertain" })
    }

    /// A complaint the model is sure of is not called neutral: a model whose sentiment says
    /// neutral and whose complaint output says yes to everything gives a negative label, and
    /// the reasons say why.
    @Test func aComplaintIsNotNeutral() {
        var model = LearnedModel.zero()
        var weights = model.weights
        weights[Int(FeatureSpace.dense(.bias))] = SIMD4(0, 1, 0, 5)
        model = LearnedModel(info: ModelInfo(), weights: weights)
        let s = Scorer(model: model).score(text: "the parcel was meant to come on Monday")
        #expect(s.complaint.isComplaint)
        #expect(s.sentiment.label == .negative && s.sentiment.compound <= -0.05)
        #expect(s.reasons.contains { $0.rule == "complaint.tone" })
        var off = ScoringConfig()
        off.complaintPullsSentiment = false
        #expect(Scorer(config: off, model: model).score(text: "the parcel was meant to come on Monday").sentiment.label == .neutral)
    }

    @Test func labelsTeachUrgencyPhrases() {
        let labels = [
            LabelExample(id: 1, text: "the kettle lid scalded my wrist", urgency: [.safety]),
            LabelExample(id: 2, text: "your kettle lid scalded my daughter", urgency: [.safety]),
            LabelExample(id: 3, text: "the kettle lid is a lovely colour", urgency: []),
        ]
        #expect(learned.score(text: "kettle lid scalded me").urgency.isEmpty)
        let model = Adaptation.train(base: .base, labels: labels, version: 1)
        #expect(model.info.learnedPhrases["safety"]?.contains { $0.hasPrefix("lid scalded") } == true, "\(model.info.learnedPhrases)")
        let s = Scorer(model: model).score(text: "The kettle lid scalded my son this morning")
        #expect(s.urgency == [.safety])
        #expect(s.severity == .p1)
        #expect(Scorer(model: model).score(text: "the kettle lid is a lovely colour").urgency.isEmpty)
    }

    @Test func valueNeverLowersWithTheModel() {
        let plain = learned.score(text: "still waiting for my refund, 3 weeks now")
        let bronze = learned.score(text: "still waiting for my refund, 3 weeks now", context: ScoreContext(customerTier: "bronze"))
        let gold = learned.score(text: "still waiting for my refund, 3 weeks now", context: ScoreContext(customerTier: "gold"))
        #expect(bronze.severity == plain.severity)
        #expect(gold.severity >= plain.severity)
    }
}
