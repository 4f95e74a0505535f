import Foundation
import OutcryModel
import SQLKit
import OutcryTestSupport
import Testing
@testable import OutcryStore

@Suite struct LabelStoreTests {
    @Test(arguments: Backend.allCases) func labelsSurviveReopeningTheStore(_ backend: Backend) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-labels-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = backend == .postgres ? try await TestPostgres.database() : nil
        var store = try await openStore(backend, dir: dir, database: database)
        let ids = try await store.addLabels([
            LabelRecord(text: "still waiting for my refund", sentiment: .negative, complaint: true, by: "bulk:a.jsonl", at: t0),
            LabelRecord(text: "the kettle lid scalded me", urgency: [.safety], by: "bulk:a.jsonl", at: t0),
            LabelRecord(text: "lovely", sentiment: .positive, urgency: [], by: "ana", at: t0),
        ])
        #expect(ids.count == 3)
        try await store.close()
        store = try await openStore(backend, dir: dir, database: database)
        let back = try await store.labels()
        try await store.close()
        #expect(back.map(\.text) == ["still waiting for my refund", "the kettle lid scalded me", "lovely"])
        #expect(back[0].sentiment == .negative && back[0].complaint == true && back[0].urgency == nil)
        #expect(back[1].urgency == [.safety] && back[1].sentiment == nil && back[1].complaint == nil)
        #expect(back[2].urgency == [] && back[2].by == "ana" && back[2].at == t0)
    }

    @Test(arguments: Backend.allCases) func aMentionLabelReadsTheMentionSoErasureReachesIt(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum], now: t0)
            _ = try await store.commitPoll(source: "forum", mentions: [item("m1", text: "my kettle caught fire")], success: success(), now: t0)
            let mentionID = try #require(try await store.sql.raw("SELECT id FROM mentions").first()?.decode(column: "id", as: MentionID.self))
            try await store.addLabel(LabelRecord(mentionID: mentionID, complaint: true, urgency: [.safety], by: "ana", at: t0))
            #expect(try await store.labels().first?.text == "my kettle caught fire")
            #expect(try await store.audit().contains { $0.action == "label" && $0.actor == "ana" && $0.detail.contains("urgency safety") })
            try await store.eraseMentionTextForTest(mentionID)
            #expect(try await store.labels().first?.text == "[erased]")
            await #expect(throws: StoreError.self) { try await store.addLabel(LabelRecord(mentionID: 999, complaint: true, by: "ana", at: t0)) }
            await #expect(throws: StoreError.self) { try await store.addLabel(LabelRecord(mentionID: mentionID, by: "ana", at: t0)) }
        }
    }

    @Test(arguments: Backend.allCases) func modelVersionsActivateAndRollBack(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            #expect(try await store.activeScorerModel() == nil)
            for (v, accepted) in [(1, true), (2, false), (3, true)] {
                #expect(try await store.nextScorerModelVersion() == v)
                try await store.saveScorerModel(ScorerModelRecord(
                    version: v, createdAt: t0, labelCount: v * 10, labelsThrough: LabelID(Int64(v * 10)), report: "{}", accepted: accepted, model: [UInt8(v)]))
            }
            #expect(try await store.activeScorerModel()?.version == 3)
            #expect(try await store.activeScorerModel()?.model == [3])
            #expect(try await store.rollbackScorerModel() == 1)
            #expect(try await store.activeScorerModel()?.version == 1)
            #expect(try await store.rollbackScorerModel() == nil)
            await #expect(throws: StoreError.self) { try await store.rollbackScorerModel() }
            #expect(try await store.scorerModels().map(\.version) == [3, 2, 1])
        }
    }
}

extension Store {
    /// Test help: what an erasure does to a mention's text, in a transaction (every write needs one).
    fileprivate func eraseMentionTextForTest(_ id: MentionID) async throws {
        try await transaction { try await exec("UPDATE mentions SET text = '[erased]' WHERE id = \(id)") }
    }
}
