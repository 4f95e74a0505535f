import Foundation
import Testing
@testable import OutcryApp

@Suite struct JSONKeysTests {
    @Test(arguments: [
        ("mergedExternalIDs", "merged_external_ids"), ("threadID", "thread_id"), ("threadURL", "thread_url"),
        ("URLValue", "url_value"), ("alsoInGroup", "also_in_group"), ("p50", "p50"), ("id", "id"),
    ])
    func keysAreSnakeCaseWithInitialismsWhole(name: String, key: String) {
        #expect(JSONKeys.snake(name) == key)
    }
}

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct PrivacyExportCLITests {
    /// An address two contacts hold is refused with both listed (one was exported silently);
    /// the export's keys are snake_case with initialisms whole (`merged_external_ids`).
    @Test func anAddressHeldByTwoContactsIsRefusedAndListed() async throws {
        try await withTemporaryDirectory { dir in
            _ = try write("data_dir: data\nsources: []\n", "outcry.yaml", in: dir)
            let csv = try write("Record ID,First Name,Last Name,Email\n1,Ada,Lovelace,shared@example.com\n2,Augusta,King,shared@example.com\n", "c.csv", in: dir)
            let config = ["--config", "outcry.yaml"]
            let imported = try await outcry(["contacts", "import", csv] + config, in: dir)
            #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
            let ambiguous = try await outcry(["privacy", "export", "shared@example.com"] + config, in: dir)
            #expect(ambiguous.status == 2 && ambiguous.stdout.isEmpty, "\(ambiguous.stdout)")
            #expect(ambiguous.stderr.contains("2 contacts hold shared@example.com"), "\(ambiguous.stderr)")
            #expect(ambiguous.stderr.contains("Ada Lovelace") && ambiguous.stderr.contains("Augusta King"), "\(ambiguous.stderr)")
            let erase = try await outcry(["privacy", "erase", "shared@example.com"] + config, in: dir)
            #expect(erase.status == 2, "nothing is erased on a guess: \(erase.stdout)")

            let one = try await outcry(["privacy", "export", "1"] + config, in: dir)
            #expect(one.status == 0, "\(one.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
            let contact = try #require(json["contact"] as? [String: Any])
            #expect(contact["merged_external_ids"] != nil, "\(contact.keys.sorted())")
            #expect(contact["merged_external_i_ds"] == nil)
        }
    }
}
