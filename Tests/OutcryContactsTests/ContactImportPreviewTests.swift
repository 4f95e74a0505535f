import Foundation
import OutcryModel
import Testing
@testable import OutcryContacts

/// `contacts import --dry-run` and `--map`, and German exports (`;`-separated, German headers).
@Suite struct ContactImportPreviewTests {
    static let germanOutlook = """
        Vorname;Nachname;Firma;E-Mail-Adresse;E-Mail-Anzeigename;E-Mail 2: Adresse;Mobiltelefon;Notizen\r
        Anna;Müller;Kestrel GmbH;anna.mueller@example.de;Anna Müller;anna@privat.example;+49 151 23456789;VIP\r
        Jörg;Schmidt;;joerg@;Jörg;;;\r
        """

    @Test func aGermanOutlookExportIsReadWithoutAMapping() throws {
        let preview = try ContactImportPreview.read(BytesReader(Self.germanOutlook), options: ContactImportOptions())
        #expect(preview.delimiter == ";")
        let fields = Dictionary(uniqueKeysWithValues: (preview.columns ?? []).map { ($0.header, $0.field) })
        #expect(fields["Vorname"] == .firstName)
        #expect(fields["Nachname"] == .lastName)
        #expect(fields["Firma"] == .company)
        #expect(fields["E-Mail-Adresse"] == .email)
        #expect(fields["E-Mail 2: Adresse"] == .email)
        #expect(fields["Mobiltelefon"] == .phone)
        #expect(fields["E-Mail-Anzeigename"] == .some(nil))  // a display name, not an address
        #expect(fields["Notizen"] == .some(nil))
        #expect(preview.contacts == 2)
        // Jörg's broken address is left out, his row kept.
        #expect(preview.rejections.count == 1 && preview.rejections[0].line == 3 && preview.rejections[0].kind == .badEmail && preview.rejections[0].fieldOnly)

        var importer = ContactImporter(reader: BytesReader(Self.germanOutlook))
        guard case .contact(let anna, _)? = try importer.next() else { Issue.record("no contact"); return }
        #expect(anna.name == "Anna Müller")
        #expect(anna.emails.count == 2)
    }

    @Test func aCRMIdThatRepeatsIsReportedWithBothLines() throws {
        let csv = "Record ID,Name,Email\nhs-1,Ada Lovelace,ada@example.org\nhs-2,Grace Hopper,grace@example.org\nhs-1,Ada L.,ada@home.example\n"
        let preview = try ContactImportPreview.read(BytesReader(csv), options: ContactImportOptions())
        #expect(preview.repeatCount == 1)
        #expect(preview.repeats.map(\.description) == ["line 4: CRM id 'hs-1' also on line 2; the later row wins"])
    }

    @Test func mapArgumentsBecomeTheImportMapping() throws {
        #expect(try ContactImportPreview.mapping(arguments: ["Kontakt=name", "Mail 1=email", "email=Mail 2"]) == ["name": "Kontakt", "email": "Mail 1|Mail 2"])
        #expect(throws: ContactImportError.self) { try ContactImportPreview.mapping(arguments: ["Kontakt"]) }
        do {
            _ = try ContactImportPreview.mapping(arguments: ["Kontakt=nmae"])
            Issue.record("accepted an unknown field")
        } catch {
            #expect(error.message.contains("did you mean \"name\""), "\(error.message)")
        }
        let csv = "Kontakt;Mail 1;Mail 2\nAda Lovelace;ada@example.org;ada@home.example\n"
        // Without a mapping there is no name column, and the error says which --map to give.
        do {
            _ = try ContactImportPreview.read(BytesReader(csv), options: ContactImportOptions())
            Issue.record("read a file without a name column")
        } catch {
            #expect(error.message.contains("--map \"Kontakt=name\""), "\(error.message)")
        }
        let mapped = try ContactImportPreview.read(BytesReader(csv), options: ContactImportOptions(
            mapping: try ContactImportPreview.mapping(arguments: ["Kontakt=name", "Mail 1=email", "Mail 2=email"])))
        #expect(mapped.columns?.map(\.field) == [.name, .email, .email])
        #expect(mapped.contacts == 1 && mapped.rejections.isEmpty)
    }
}
