import Foundation
import Testing
@testable import OutcryApp

/// The use cases the command line calls (`Application.withDesk`, the `Desk` extensions under
/// `UseCases/`): what they return and how they refuse, without the binary.
@Suite struct UseCaseTests {
    @Test func aStoreThatCannotBeOpenedIsStoreUnavailableAndTheBodyNeverRuns() async throws {
        try await withTemporaryDirectory { dir in
            // The data directory is a file: nothing can be created in it.
            let file = try write("not a directory", "data", in: dir)
            let ran = Counter()
            await #expect(throws: StoreUnavailable.self) {
                try await Application(config: try sampleConfig(dataDir: file)).withDesk { _ in ran.add() }
            }
            #expect(ran.value == 0)
        }
    }

    @Test func aContactKeyNamesOneContactOrSaysWhyNot() async throws {
        try await withTemporaryDirectory { dir in
            let app = Application(config: try sampleConfig(dataDir: (dir as NSString).appendingPathComponent("data")))
            let csv = try write("""
                Record ID,First Name,Last Name,Email
                101,Ada,Lovelace,shared@example.com
                102,Ada,Lovelace,shared@example.com
                103,Charles,Babbage,charles@example.com
                """, "crm.csv", in: dir)
            let outcome = try await app.importContactFile(path: csv, actor: "test")
            #expect(outcome.rejections.isEmpty)
            try await app.withDesk { desk in
                let charles = try await desk.findContact("charles@example.com")
                #expect(charles.contact.externalID == "103")
                #expect(try await desk.findContact(String(charles.id)) == charles)
                #expect(try await desk.findContact("103") == charles)
                do {
                    _ = try await desk.findContact("Shared@example.com ")
                    Issue.record("an address two contacts hold named one of them")
                } catch ContactLookupError.ambiguous(let address, let holders) {
                    #expect(address == "Shared@example.com")
                    #expect(holders.map(\.contact.externalID) == ["101", "102"])
                    #expect(Set(holders.map(\.id)).count == 2)
                }
                await #expect(throws: ContactLookupError.notFound("nobody")) { try await desk.findContact("nobody") }
                // The two records of Ada are likely one person; the pair names both ids.
                let (pairs, count) = try await desk.contactDuplicates(minimum: 0.75)
                #expect(count == 3)
                let ada = try #require(pairs.first)
                #expect(Set([ada.firstID, ada.secondID]) == Set([ada.first.id, ada.second.id].compactMap { $0 }))
                #expect(Set([ada.first.externalID, ada.second.externalID]) == ["101", "102"])
                #expect(try await desk.timeline(of: charles, limit: 10).isEmpty)
            }
        }
    }

    @Test func crisesAreListedWithTheirIdsAndEndingNoneIsAConflict() async throws {
        try await withTemporaryDirectory { dir in
            let app = Application(config: try sampleConfig(dataDir: (dir as NSString).appendingPathComponent("data")))
            try await app.withDesk { desk in
                let id = try await desk.declareCrisis(brand: "Kestrel Home", by: "cli:ana", note: "outage")
                let listed = try await desk.crises(limit: 100)
                #expect(listed.map(\.id) == [id])
                #expect(listed.first?.open == true)
                #expect(listed.first?.origin == "declared")
                #expect(listed.first?.openedBy == "cli:ana")
                let ended = try await desk.endCrisis(brand: "Kestrel Home", by: "cli:ben", note: nil)
                #expect(ended.id == id && !ended.open && ended.endedBy == "cli:ben")
                await #expect(throws: DeskError.self) { try await desk.endCrisis(brand: "Kestrel Home", by: "cli:ben", note: nil) }
            }
        }
    }

    @Test func importArgumentsAreCheckedInWords() {
        #expect(ContactImportArguments().problem == nil)
        #expect(ContactImportArguments(format: "CSV", region: "gb", maps: ["Work Email=email"]).problem == nil)
        #expect(ContactImportArguments(format: "xls").problem == "unknown format 'xls': write csv, jsonl or vcard")
        #expect(ContactImportArguments(region: "ZZ").problem == "unknown region 'ZZ': write an ISO code such as GB, US or DE")
        #expect(ContactImportArguments(maps: ["no equals sign"]).problem != nil)
    }

    @Test func aLabelsFileIsReadLineByLineAndABadLineIsNamed() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let good = Data("""
            {"text": "still broken", "complaint": true, "urgency": ["safety", "safety"]}

            {"text": "thanks!", "sentiment": "positive"}\r
            """.utf8)
        let batch = try ScorerLabelBatch.parse(good, path: "l.jsonl", by: "bulk:l.jsonl", now: now)
        #expect(batch.count == 2)
        #expect(batch.records[0].urgency == [.safety])
        #expect(batch.records[1].sentiment == .positive)
        #expect(batch.records.allSatisfy { $0.by == "bulk:l.jsonl" && $0.at == now })
        let bad = Data("{\"text\": \"ok\", \"complaint\": false}\n{\"text\": \"x\", \"sentiment\": \"angry\"}\n".utf8)
        #expect(throws: LabelsFileError.self) { try ScorerLabelBatch.parse(bad, path: "l.jsonl", by: "b", now: now) }
        do { _ = try ScorerLabelBatch.parse(bad, path: "l.jsonl", by: "b", now: now) } catch {
            #expect("\(error)" == "l.jsonl:2: \"sentiment\" must be \"negative\", \"neutral\" or \"positive\", not \"angry\"")
        }
        do { _ = try ScorerLabelBatch.parse(Data("{\"text\": \"only words\"}".utf8), path: "p", by: "b", now: now) } catch {
            #expect("\(error)" == "p:1: a label needs at least one of \"sentiment\", \"complaint\", \"urgency\"")
        }
    }

    @Test func lexiconLinesAreTermsAndValencesOrANamedError() throws {
        let entries = try ScoreStream.lexiconEntries("# mine\n\nBlorf\t-2.5\nyay\t 3\n", path: "lex.tsv")
        #expect(entries.map(\.0) == ["blorf", "yay"])
        #expect(entries.map(\.1) == [-2.5, 3])
        #expect(throws: LexiconFileError.self) { try ScoreStream.lexiconEntries("ok\t1\nbroken line\n", path: "lex.tsv") }
        do { _ = try ScoreStream.lexiconEntries("ok\t1\nbroken\n", path: "lex.tsv") } catch {
            #expect("\(error)" == "lex.tsv:2: expected `term<TAB>valence`")
        }
    }

    @Test func aRouteSampleWithABadValueIsRefusedInWords() async throws {
        try await withTemporaryDirectory { dir in
            var config = try sampleConfig(dataDir: (dir as NSString).appendingPathComponent("data"))
            config.alerting = try ConfigLoader.parse("sources: []\n" + alertingYAML, path: "/etc/outcry/outcry.yaml",
                                                     environment: ["HOOK_SECRET": "s3cret"]).alerting
            // A good sample reaches the default receiver.
            #expect(try await Application(config: config).explainRoutes(RouteSample()).hasPrefix("→ hook"))
            var sample = RouteSample()
            sample.severity = "P9"
            do {
                _ = try await Application(config: config).explainRoutes(sample)
                Issue.record("P9 was taken for a severity")
            } catch let error as RouteSampleError {
                #expect(error.description == "--severity: 'P9' is not P1, P2, P3, P4 or none")
            }
            sample = RouteSample()
            sample.at = "yesterday"
            await #expect(throws: RouteSampleError.self) { try await Application(config: config).explainRoutes(sample) }
            config.alerting = nil
            await #expect(throws: RoutesNotConfigured.self) { try await Application(config: config).explainRoutes(RouteSample()) }
        }
    }
}

/// A count a `Sendable` closure can raise.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
