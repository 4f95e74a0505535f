import Foundation
import Testing

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct ContactsCLITests {
    @Test func importExitCodesShowAndExport() async throws {
        try await withTemporaryDirectory { dir in
            _ = try write("data_dir: data\nsources: []\ncontacts:\n  default_region: GB\n", "outcry.yaml", in: dir)
            let good = try write("Record ID,First Name,Last Name,Email,Phone Number\n1,Ada,Lovelace,ada@example.com,020 7946 0958\n", "good.csv", in: dir)
            let broken = try write("Record ID,First Name,Last Name,Email\n2,Charles,Babbage,charles@@example.com\n3,Grace,Hopper,grace@example.com\n", "broken.csv", in: dir)
            let config = ["--config", "outcry.yaml"]

            let ok = try await outcry(["contacts", "import", good] + config, in: dir)
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stdout.contains("1 new, 0 updated, 0 rejected"))
            #expect(ok.stderr.isEmpty, "no progress bar when stderr is not a terminal")

            let rejected = try await outcry(["contacts", "import", broken] + config, in: dir)
            #expect(rejected.status == 1)
            #expect(rejected.stdout.contains("broken.csv:2: field left out: bad email"), "\(rejected.stdout)")
            #expect(rejected.stdout.contains("2 new"), "the row's contact is kept without the bad email: \(rejected.stdout)")

            let utf16 = (dir as NSString).appendingPathComponent("utf16.csv")
            try Data([0xFF, 0xFE, 0x41, 0x00]).write(to: URL(fileURLWithPath: utf16))
            let unusable = try await outcry(["contacts", "import", utf16] + config, in: dir)
            #expect(unusable.status == 2 && unusable.stderr.contains("UTF-16") && unusable.stderr.contains("nothing was imported"))

            let show = try await outcry(["contacts", "show", "ada@example.com"] + config, in: dir)
            #expect(show.status == 0 && show.stdout.contains("Ada Lovelace") && show.stdout.contains("+442079460958"), "\(show.stdout)\(show.stderr)")

            let export = try await outcry(["privacy", "export", "1"] + config, in: dir)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
            #expect((json["contact"] as? [String: Any])?["name"] as? String == "Ada Lovelace")
            #expect(json["mentions"] is [Any] && json["threads"] is [Any] && json["audit"] is [Any] && json["identifiers"] is [Any])

            let erase = try await outcry(["privacy", "erase", "1"] + config, in: dir)
            #expect(erase.status == 0 && erase.stdout.contains("erased contact #1"))
            let gone = try await outcry(["contacts", "show", "1"] + config, in: dir)
            #expect(gone.status == 2)
        }
    }
}
