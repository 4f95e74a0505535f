import Foundation
@testable import OutcryPipeline
import Testing

/// The parse journal keeps one file a process with a slot a parse in flight: the parses still
/// in it when the next process starts are the ones that never returned.
@Suite struct ParseJournalTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func unfinishedParsesAreFoundAndFinishedOnesAreNot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = ParseJournal(dataDirectory: dir)
        let a = journal.begin(source: "a", contentHash: "00aa", now: Self.t0)
        let b = journal.begin(source: "b \"quoted\"\nline", contentHash: "00bb", now: Self.t0)
        journal.end(b)
        let c = journal.begin(source: "c", contentHash: "00cc", now: Self.t0)
        #expect(c == b, "a finished parse's slot is taken again")
        let files = try FileManager.default.contentsOfDirectory(atPath: journal.directory)
        #expect(files.count == 1 && files[0].hasPrefix("\(getpid())."), "\(files)")
        // Another process's parse left in a file of the earlier format (one entry, no padding).
        try Data(#"{"source":"old","contentHash":"00dd","startedAt":0}"#.utf8)
            .write(to: URL(fileURLWithPath: journal.directory + "/999999999.parsing"))

        // What the next process finds (this process's own files count as a dead one's here).
        let found = ParseJournal(dataDirectory: dir).takeUnfinished()
        #expect(Set(found.map(\.source)) == ["a", "c", "old"], "\(found)")
        #expect(found.first { $0.source == "a" }?.contentHash == "00aa")
        #expect(try FileManager.default.contentsOfDirectory(atPath: journal.directory).isEmpty, "the journal files are removed")
        _ = a
    }

    @Test func anEntryTooLongForItsSlotIsNotJournaled() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = ParseJournal(dataDirectory: dir)
        #expect(journal.begin(source: String(repeating: "x", count: 2_000), contentHash: "00", now: Self.t0) == nil)
        journal.end(nil)
    }
}
