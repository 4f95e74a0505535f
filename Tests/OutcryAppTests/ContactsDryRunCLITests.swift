import Foundation
import Testing

/// `outcry contacts import --dry-run` shows the column map and what would be rejected, and imports
/// nothing; `--map COLUMN=FIELD` reads a column no export names the usual way.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct ContactsDryRunCLITests {
    @Test func aDryRunShowsTheMapAndImportsNothing() async throws {
        try await withTemporaryDirectory { dir in
            _ = try write("data_dir: data\nsources: []\ncontacts:\n  default_region: DE\n", "outcry.yaml", in: dir)
            let german = try write("""
                Vorname;Nachname;E-Mail-Adresse;Mobiltelefon;Kundenstatus\r
                Anna;Müller;anna@example.de;0151 23456789;Gold\r
                Jörg;Schmidt;joerg@;;\r
                """, "outlook.csv", in: dir)
            let config = ["--config", "outcry.yaml"]

            let dry = try await outcry(["contacts", "import", german, "--dry-run"] + config, in: dir)
            #expect(dry.status == 1, "a row would lose its field: \(dry.stdout)\(dry.stderr)")
            #expect(dry.stdout.contains("CSV, ';'-separated"), "\(dry.stdout)")
            #expect(dry.stdout.contains("Vorname") && dry.stdout.contains("→ first_name"))
            #expect(dry.stdout.contains("E-Mail-Adresse") && dry.stdout.contains("→ email"))
            #expect(dry.stdout.contains("Kundenstatus") && dry.stdout.contains("→ (not read)"))
            #expect(dry.stdout.contains("outlook.csv:3: would be left out (field): bad email"), "\(dry.stdout)")
            #expect(dry.stdout.contains("2 contacts would be imported") && dry.stdout.contains("nothing was imported"))
            #expect(try await outcry(["contacts", "show", "anna@example.de"] + config, in: dir).status == 2, "the dry run stored nothing")

            let mapped = try await outcry(["contacts", "import", german, "--map", "Kundenstatus=tier", "--dry-run"] + config, in: dir)
            #expect(mapped.stdout.contains("Kundenstatus") && mapped.stdout.contains("→ tier"), "\(mapped.stdout)")
            let wrong = try await outcry(["contacts", "import", german, "--map", "Kundenstatus=teir"] + config, in: dir)
            #expect(wrong.status == 64 && wrong.stderr.contains("did you mean \"tier\""), "\(wrong.stderr)")

            let real = try await outcry(["contacts", "import", german, "--map", "Kundenstatus=tier"] + config, in: dir)
            #expect(real.stdout.contains("2 new"), "\(real.stdout)\(real.stderr)")
            let anna = try await outcry(["contacts", "show", "anna@example.de"] + config, in: dir)
            #expect(anna.stdout.contains("Anna Müller") && anna.stdout.contains("Gold"), "\(anna.stdout)")
        }
    }
}

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct ContactsRepeatCLITests {
    @Test func anImportWarnsWhenACRMIdRepeats() async throws {
        try await withTemporaryDirectory { dir in
            _ = try write("data_dir: data\nsources: []\n", "outcry.yaml", in: dir)
            let csv = try write("Record ID,Name,Email\nhs-1,Ada Lovelace,ada@example.org\nhs-1,Ada L.,ada@home.example\n", "crm.csv", in: dir)
            let result = try await outcry(["contacts", "import", csv, "--config", "outcry.yaml"], in: dir)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("crm.csv:3: warning: CRM id 'hs-1' also on line 2; the later row wins"), "\(result.stdout)")
        }
    }
}
