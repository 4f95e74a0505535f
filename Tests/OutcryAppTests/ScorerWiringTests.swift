import Foundation
import OutcryModel
import OutcryPipeline
import OutcryScoring
import OutcryStore
import Testing
@testable import OutcryApp

@Suite(.serialized) struct ScorerWiringTests {
    /// Until the team activates a model, polling scores by the rules; once one is active, the
    /// pipeline scores with it and the stored reasons name the learned features.
    @Test func thePipelineScoresWithTheInstallationsActiveModel() async throws {
        try await withTemporaryDirectory { dir in
            let app = Application(config: try sampleConfig(dataDir: dir))
            _ = try await app.pollOnce()
            let before = try await withStore(dir) { store in try await store.openThreads(limit: 100) }
            #expect(!before.isEmpty)
            let rulesReasons = try await withStore(dir) { store in try await store.mention(id: 1).score.reasons.map(\.rule) }
            #expect(!rulesReasons.contains { $0.hasPrefix("model.") }, "\(rulesReasons)")

            try await withStore(dir) { store in
                try await store.saveScorerModel(ScorerModelRecord(
                    version: 1, createdAt: Date(), labelCount: 0, labelsThrough: 0, report: "{}", accepted: true,
                    model: ModelCodec.encode(.base, compact: true)))
                #expect(try await store.activeScorerModel()?.version == 1)
            }
            // A second data directory polls the same feeds with the model active from the start.
            let fresh = (dir as NSString).appendingPathComponent("with-model")
            try await withStore(fresh) { store in
                try await store.saveScorerModel(ScorerModelRecord(
                    version: 1, createdAt: Date(), labelCount: 0, labelsThrough: 0, report: "{}", accepted: true,
                    model: ModelCodec.encode(.base, compact: true)))
            }
            _ = try await Application(config: try sampleConfig(dataDir: fresh)).pollOnce()
            let learned = try await withStore(fresh) { store in try await store.mention(id: 1).score.reasons.map(\.rule) }
            #expect(learned.contains { $0.hasPrefix("model.") }, "\(learned)")
        }
    }
}

/// Issue 15: `outcry run` retrains by itself once enough new labels have arrived, hands an accepted
/// model to the running pipeline, and waits for the next batch of labels before training again.
@Suite struct RetrainServiceTests {
    static func labels(_ count: Int, from start: Int = 0) -> [LabelRecord] {
        (start..<(start + count)).map { i in
            let bad = i % 2 == 0
            return LabelRecord(text: "the \(["router", "app", "parcel", "meal"][i % 4]) was \(bad ? "blorf" : "zarp") \(i)",
                               sentiment: bad ? .negative : .positive, complaint: bad, by: "web:ana", at: Date(timeIntervalSince1970: 1_795_000_000 + Double(i)))
        }
    }

    @Test func enoughNewLabelsTrainAndActivateAModelInTheRunningPipeline() async throws {
        try await withTemporaryDirectory { dir in
            try await withStore(dir) { store in
                let activated = ActivatedModels()
                let service = RetrainService(store: store, after: 30) { activated.add($0) }
                #expect(try await service.checkOnce() == nil, "no labels: nothing to train")
                _ = try await store.addLabels(Self.labels(29))
                #expect(try await service.checkOnce() == nil, "29 of 30 labels: not yet")
                _ = try await store.addLabels(Self.labels(11, from: 29))

                let outcome = try #require(try await service.checkOnce())
                #expect(outcome.version == 1 && outcome.labelCount == 40 && outcome.accepted)
                #expect(activated.versions == [1])
                #expect(try await store.activeScorerModel()?.version == 1)
                // The pipeline's switch gets a scorer with the new model: its reasons say so.
                let switcher = ScorerSwitch(Scorer())
                switcher.use(Scorer(model: try #require(activated.models.first)))
                let score = switcher.current.score(Mention(sourceName: "s", channel: .feed, key: "k", text: "the router was blorf again",
                                                           fetchedAt: Date()))
                #expect(score.reasons.contains { $0.rule.hasPrefix("model.") && $0.evidence.contains("blorf") }, "\(score.reasons)")

                #expect(try await service.checkOnce() == nil, "no new labels since v1")
                _ = try await store.addLabels(Self.labels(5, from: 40))
                #expect(try await service.checkOnce() == nil, "5 new labels of 30")
                #expect(try await ScorerTraining.labelsSinceLastTraining(store: store) == 5)
            }
        }
    }

    @Test func zeroTurnsAutomaticTrainingOff() async throws {
        try await withTemporaryDirectory { dir in
            try await withStore(dir) { store in
                _ = try await store.addLabels(Self.labels(60))
                #expect(try await RetrainService(store: store, after: 0) { _ in }.checkOnce() == nil)
                #expect(try await store.scorerModels().isEmpty)
            }
        }
    }
}

private final class ActivatedModels: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LearnedModel] = []
    func add(_ model: LearnedModel) { lock.withLock { stored.append(model) } }
    var models: [LearnedModel] { lock.withLock { stored } }
    var versions: [Int] { models.map(\.info.version) }
}
