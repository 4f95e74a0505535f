import Foundation
import OutcryModel
import SQLKit
import Testing
@testable import OutcryStore

/// The audit log's one query (issue 17) on both backends: people's thread actions (not the
/// customers' writes), crises declared and ended, the privacy/admin audit (labels included),
/// newest first, paged.
@Suite struct ActivityStoreTests {
    @Test(arguments: Backend.allCases) func theAuditLogGathersEveryKindOfActionNewestFirst(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum])
            let result = try await store.commitPoll(source: "forum", mentions: [item("a1", severity: .p2)], success: success(), now: t0)
            let thread = try #require(result.threadsOpened.first)
            try await store.appendThreadEvents([
                StoredThreadEvent(threadID: thread, kind: "customer_wrote", actor: "customer", at: t0 + 10, from: "new", to: "new"),
                StoredThreadEvent(threadID: thread, kind: "acknowledged", actor: "web:ana", at: t0 + 20, from: "new", to: "acknowledged", note: "on it"),
            ])
            _ = try await store.declareCrisis(brand: "Acme", by: "web:adam", note: "outage", outbox: { _ in [] }, now: t0 + 30)
            _ = try await store.endCrisis(brand: "Acme", by: "web:adam", note: nil, now: t0 + 40)
            try await store.recordActivity(actor: "web:adam", action: "download", detail: "reports.csv", at: t0 + 50)
            let mention = try #require(try await store.mentions(ofThread: thread).first?.mention.id)
            _ = try await store.addLabel(LabelRecord(mentionID: mention, complaint: false, by: "web:rita", at: t0 + 60))

            let log = try await store.activity()
            #expect(log.map(\.action) == ["label", "download", "crisis.ended", "crisis.declared", "acknowledged"], "\(log)")
            #expect(log.map(\.actor) == ["web:rita", "web:adam", "web:adam", "web:adam", "web:ana"])
            #expect(log[0].detail.hasPrefix("mention \(mention):"), "\(log[0])")
            #expect(log[4].subject == "thread \(thread)" && log[4].detail == "new → acknowledged: on it")
            #expect(log[1].detail == "reports.csv" && log[3].detail.contains("outage"))
            #expect(try await store.activity(offset: 1, limit: 2).map(\.action) == ["download", "crisis.ended"])
            #expect(try await store.activity(offset: 10, limit: 5).isEmpty)
        }
    }

    /// The contacts page's search: a part of the name, company or external id without case, by
    /// name; an exact email or id first.
    @Test(arguments: Backend.allCases) func contactSearchFindsPartsWithoutCase(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.importContacts(actor: "test", now: t0) { session in
                try await session.upsert([
                    Contact(externalID: "crm-1", name: "Ada Lovelace", emails: ["ada@example.org"], company: "Engines"),
                    Contact(externalID: "crm-2", name: "Charles Babbage", company: "Analytical Engines"),
                    Contact(externalID: "zz-3", name: "Grace Hopper", emails: ["grace@example.org"]),
                ])
            }
            #expect(try await store.searchContacts("LOVE").map(\.name) == ["Ada Lovelace"])
            #expect(try await store.searchContacts("engines").map(\.name) == ["Ada Lovelace", "Charles Babbage"])
            #expect(try await store.searchContacts("crm-").map(\.name) == ["Ada Lovelace", "Charles Babbage"])
            #expect(try await store.searchContacts("grace@example.org").map(\.name) == ["Grace Hopper"])
            #expect(try await store.searchContacts("  ").isEmpty)
            #expect(try await store.searchContacts("nobody").isEmpty)
        }
    }

    /// The reports' aggregates come from SQL, and equal what counting by hand gives.
    @Test(arguments: Backend.allCases) func reportAggregatesCountInTheDatabase(_ backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await store.syncSources([forum])
            var items: [ScoredMention] = []
            for (n, brand) in ["Acme", "Acme", "Bolt", nil].enumerated() {
                var m = item("r\(n)", severity: n == 3 ? .p1 : .p2)
                m.mention.brand = brand
                m.mention.authorHandle = "@r\(n)"
                m.mention.publishedAt = t0
                items.append(m)
            }
            let result = try await store.commitPoll(source: "forum", mentions: items, success: success(), now: t0)
            let ids = result.threadsOpened.sorted()
            #expect(ids.count == 4)
            try await store.transaction {
                try await store.exec("UPDATE threads SET segment = CASE id WHEN \(ids[0]) THEN 'gold' WHEN \(ids[1]) THEN 'gold' WHEN \(ids[2]) THEN 'silver' ELSE NULL END")
            }
            // First responses after 5 min, 30 min (a later one does not count), 2 h; the fourth none yet.
            try await store.appendThreadEvents([
                StoredThreadEvent(threadID: ids[0], kind: "acknowledged", actor: "web:ana", at: t0 + 300, from: "new", to: "acknowledged"),
                StoredThreadEvent(threadID: ids[1], kind: "responded", actor: "web:ana", at: t0 + 1800, from: "new", to: "responded"),
                StoredThreadEvent(threadID: ids[1], kind: "acknowledged", actor: "web:ana", at: t0 + 5000, from: "responded", to: "acknowledged"),
                StoredThreadEvent(threadID: ids[2], kind: "acknowledged", actor: "web:bo", at: t0 + 7200, from: "new", to: "acknowledged"),
            ])
            let r = try await store.reportAggregates(since: t0 - 3600, targets: [.p2: 600, .p1: 60])
            #expect(r.responseTimes.map(\.bucket) == ReportAggregates.buckets)
            #expect(r.responseTimes.map(\.threads) == [1, 1, 1, 0, 0, 1])
            let day = ISO8601DateFormatter().string(from: t0).prefix(10)
            #expect(r.attainment.count == 1 && r.attainment[0].day == String(day))
            #expect(r.attainment[0].threads == 4 && r.attainment[0].withinTarget == 1)
            #expect(r.volume.map { "\($0.brand) \($0.mentions)" } == ["- 1", "Acme 2", "Bolt 1"])
            #expect(r.volume.allSatisfy { $0.meanSentiment == -0.7 })
            _ = try await store.declareCrisis(brand: "Acme", by: "web:adam", note: nil, outbox: { _ in [] }, now: t0 + 60)
            let marked = try await store.reportAggregates(since: t0 - 3600, targets: [:])
            #expect(marked.crises.map { "\($0.brand) \($0.day) \($0.origin)" } == ["Acme \(day) declared"])
            #expect(r.fairness.map(\.segment) == ["-", "gold", "silver"])
            #expect(r.fairness.map(\.threads) == [1, 2, 1] && r.fairness.map(\.answered) == [0, 2, 1])
            #expect(r.fairness.map(\.meanResponseSeconds) == [nil, 1050, 7200])
            #expect(r.fairness.map(\.withinTarget) == [0, 1, 0])
            // Outside the window: nothing.
            let later = try await store.reportAggregates(since: t0 + 86_400, targets: [:])
            #expect(later.responseTimes.map(\.threads) == [0, 0, 0, 0, 0, 0] && later.volume.isEmpty && later.attainment.isEmpty)
        }
    }
}
