import Foundation
import OutcryContacts
import OutcryModel
import OutcryPipeline
import OutcryScoring
import OutcryStore
import Testing
@testable import OutcryApp

/// Writes `text` to a file in `dir` and returns its path.
func write(_ text: String, _ name: String, in dir: String) throws -> String {
    let path = (dir as NSString).appendingPathComponent(name)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// A fresh store in a temporary folder, closed afterwards.
func withContactStore<T>(_ body: (Store, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { dir in
        let store = try await Store.open(directory: (dir as NSString).appendingPathComponent("data"))
        do {
            let result = try await body(store, dir)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

let usOptions = ContactImportOptions(defaultRegion: PhoneRegion.named("US"))

@Suite struct ContactImportStoreTests {
    static let exports: [(crm: String, csv: String, externalID: String, optedOut: Bool)] = [
        ("HubSpot", """
        Record ID,First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Contact owner,Twitter Username
        101,Ada,Lovelace,Ada@Example.com,(415) 555-2671,Analytical Engines,customer,Grace Hopper,@AdaL
        102,Charles,Babbage,charles@example.com,,Difference Ltd,lead,,
        """, "101", false),
        ("Salesforce", """
        "Contact ID","FirstName","LastName","Email","Phone","MobilePhone","Account Name","HasOptedOutOfEmail"
        "0035g00000ABC","Ada","Lovelace","ada@example.com","415-555-2671","+44 7700 900123","Analytical Engines","1"
        "0035g00000ABD","Charles","Babbage","charles@example.com","","","Difference Ltd","0"
        """, "0035g00000ABC", true),
        ("Pipedrive", """
        Person - ID,Person - Name,Person - Email - Work,Person - Phone - Mobile,Organization - Name
        7,"Lovelace, Ada",ada@example.com,415 555 2671,Analytical Engines Ltd
        8,Charles Babbage,charles@example.com,,Difference Ltd
        """, "7", false),
        ("Zoho", """
        Record Id;Contact Owner;First Name;Last Name;Email;Phone;Account Name;Email Opt Out
        zcrm_1;Grace Hopper;Ada;Lovelace;ada@example.com;4155552671;Analytical Engines;false
        zcrm_2;;Charles;Babbage;charles@example.com;;Difference Ltd;false
        """, "zcrm_1", false),
    ]

    @Test(arguments: 0..<exports.count)
    func eachCRMExportImportsIntoTheStore(_ index: Int) async throws {
        let export = Self.exports[index]
        try await withContactStore { store, dir in
            let path = try write(export.csv, "\(export.crm).csv", in: dir)
            let report = try await ContactFileImport.run(path: path, options: usOptions, store: store, actor: "test")
            #expect(report.rejections.isEmpty, "\(export.crm): \(report.rejections)")
            #expect(report.upserted.inserted == 2, "\(export.crm)")
            let ada = try #require(try await store.findContact(export.externalID), "\(export.crm)")
            #expect(ada.name == "Ada Lovelace" && ada.emails == ["ada@example.com"] && ada.phones.first == "+14155552671", "\(export.crm): \(ada)")
            #expect(ada.optedOut == export.optedOut)
            #expect(try await store.findContact("charles@example.com")?.name == "Charles Babbage")
        }
    }

    @Test func aBrokenRowIsReportedWithItsLineAndTheRestImported() async throws {
        try await withContactStore { store, dir in
            let path = try write("""
            Record ID,First Name,Last Name,Email
            1,Ada,Lovelace,ada@example.com
            2,Charles,Babbage,charles@@example.com
            3,Grace,Hopper,grace@example.com
            """, "broken.csv", in: dir)
            let report = try await ContactFileImport.run(path: path, options: usOptions, store: store, actor: "test")
            #expect(report.rejections.map(\.line) == [3])
            #expect(report.rejections.first?.kind == .badEmail)
            #expect(report.rejections.first?.fieldOnly == true)
            // The contact of the row with the bad email is kept, without the email.
            #expect(report.upserted.inserted == 3)
            #expect(try await store.contactCount() == 3)
            #expect(try await store.findContact("2")?.name == "Charles Babbage")
            #expect(try await store.findContact("2")?.emails == [])
        }
    }

    @Test func reimportUpdatesWithoutDuplicates() async throws {
        try await withContactStore { store, dir in
            let path = try write(Self.exports[0].csv, "hubspot.csv", in: dir)
            _ = try await ContactFileImport.run(path: path, options: usOptions, store: store, actor: "test")
            let changed = try write(Self.exports[0].csv.replacingOccurrences(of: "Difference Ltd", with: "Engines Ltd"), "hubspot2.csv", in: dir)
            let again = try await ContactFileImport.run(path: changed, options: usOptions, store: store, actor: "test")
            #expect(again.upserted == ContactUpsertResult(inserted: 0, updated: 2))
            #expect(try await store.contactCount() == 2)
            #expect(try await store.findContact("102")?.company == "Engines Ltd")
        }
    }

    @Test func anUnusableFileLeavesNothing() async throws {
        try await withContactStore { store, dir in
            _ = try await ContactFileImport.run(path: try write(Self.exports[0].csv, "ok.csv", in: dir), options: usOptions, store: store, actor: "test")
            let utf16 = (dir as NSString).appendingPathComponent("utf16.csv")
            try Data([0xFF, 0xFE] + Array("Record ID,Name\n9,Someone\n".utf8)).write(to: URL(fileURLWithPath: utf16))
            await #expect(throws: ContactImportError.self) {
                _ = try await ContactFileImport.run(path: utf16, options: usOptions, store: store, actor: "test")
            }
            await #expect(throws: ContactImportError.self) {
                _ = try await ContactFileImport.run(path: (dir as NSString).appendingPathComponent("missing.csv"), options: usOptions, store: store, actor: "test")
            }
            #expect(try await store.contactCount() == 2)
        }
    }

    @Test func contactsAndRetentionConfigIsValidatedWithLines() throws {
        let good = try ConfigLoader.parse("""
            sources: []
            contacts:
              sync_file: crm/contacts.csv
              sync_interval: 30m
              default_region: gb
              mapping: { email: "Work Email" }
              link_threshold: 0.85
            retention:
              mentions: 365d
              mail_bodies: 90d
            """, path: "/etc/outcry/outcry.yaml")
        #expect(good.contacts.syncFile == "/etc/outcry/crm/contacts.csv" && good.contacts.syncInterval == 1800)
        #expect(good.contacts.defaultRegion == "GB" && good.contacts.mapping == ["email": "Work Email"] && good.contacts.linkThreshold == 0.85)
        #expect(good.retention == RetentionSettings(mentions: 365 * 86400, mailBodies: 90 * 86400))
        do {
            _ = try ConfigLoader.parse("""
                sources: []
                contacts:
                  default_region: XX
                  mapping: { emial: "Work Email" }
                  link_threshold: 2
                retention:
                  mentions: forever
                """, path: "bad.yaml")
            Issue.record("a bad contacts section was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.compactMap(\.line) == [3, 4, 5, 7], "\(error)")
            #expect(error.description.contains("did you mean `email`?"))
        }
    }
}
