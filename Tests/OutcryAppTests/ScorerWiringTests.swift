import Foundation
import OutcryModel
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
