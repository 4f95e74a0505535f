import Foundation
import OutcryModel
import Testing
@testable import OutcryContacts

/// Imports `text` in chunks of `chunkSize` bytes and returns every row.
func importRows(_ text: String, options: ContactImportOptions = ContactImportOptions(defaultRegion: PhoneRegion.named("US")),
                chunkSize: Int = 1 << 16) throws -> [ContactImportRow] {
    var importer = ContactImporter(reader: BytesReader(text, chunkSize: chunkSize), options: options)
    var rows: [ContactImportRow] = []
    while let row = try importer.next() { rows.append(row) }
    return rows
}

func contacts(_ rows: [ContactImportRow]) -> [Contact] {
    rows.compactMap { if case .contact(let contact, _) = $0 { contact } else { nil } }
}

func rejections(_ rows: [ContactImportRow]) -> [ContactRejection] {
    rows.compactMap { if case .rejected(let rejection) = $0 { rejection } else { nil } }
}

@Suite("Contact import")
struct ContactImportTests {
    struct HeaderCase: Sendable, CustomStringConvertible {
        var crm: String
        var csv: String
        var expected: Contact
        var description: String { crm }
    }

    static let headerCases: [HeaderCase] = [
        HeaderCase(
            crm: "HubSpot",
            csv: """
            Record ID,First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Contact owner,Twitter Username
            101,Ada,Lovelace,Ada@Example.com,(415) 555-2671,Analytical Engines,customer,Grace Hopper,@AdaL

            """,
            expected: Contact(externalID: "101", name: "Ada Lovelace", emails: ["ada@example.com"], phones: ["+14155552671"],
                              handles: [SocialHandle(network: .x, handle: "adal")], company: "Analytical Engines",
                              segment: "customer", owner: "Grace Hopper")),
        HeaderCase(
            crm: "Salesforce",
            csv: """
            "Contact ID","FirstName","LastName","Email","Phone","MobilePhone","Account Name","HasOptedOutOfEmail"
            "0035g00000ABC","Ada","Lovelace","ada@example.com","415-555-2671","+44 7700 900123","Analytical Engines","1"

            """,
            expected: Contact(externalID: "0035g00000ABC", name: "Ada Lovelace", emails: ["ada@example.com"],
                              phones: ["+14155552671", "+447700900123"], company: "Analytical Engines", optedOut: true)),
        HeaderCase(
            crm: "Pipedrive",
            csv: """
            Person - ID,Person - Name,Person - Email - Work,Person - Phone - Mobile,Organization - Name
            7,"Lovelace, Ada",ada@example.com,415 555 2671,Analytical Engines Ltd

            """,
            expected: Contact(externalID: "7", name: "Ada Lovelace", emails: ["ada@example.com"], phones: ["+14155552671"],
                              company: "Analytical Engines Ltd")),
        HeaderCase(
            crm: "Zoho",
            csv: """
            Record Id;Contact Owner;First Name;Last Name;Email;Phone;Account Name;Email Opt Out
            zcrm_1;Grace Hopper;Ada;Lovelace;ada@example.com;4155552671;Analytical Engines;false

            """,
            expected: Contact(externalID: "zcrm_1", name: "Ada Lovelace", emails: ["ada@example.com"], phones: ["+14155552671"],
                              company: "Analytical Engines", owner: "Grace Hopper")),
    ]

    @Test("CRM header styles are recognised", arguments: headerCases)
    func crmHeaders(testCase: HeaderCase) throws {
        let rows = try importRows(testCase.csv)
        #expect(rows == [.contact(testCase.expected, line: 2)])
    }

    @Test("chunk boundaries do not change the result", arguments: [1, 2, 3, 7, 64])
    func chunking(size: Int) throws {
        for testCase in Self.headerCases {
            #expect(try importRows(testCase.csv, chunkSize: size) == importRows(testCase.csv))
        }
    }

    @Test("header names", arguments: [
        ("Email", ContactField?.some(.email)), ("E-mail 2 - Value", .email), ("Person - Email - Work", .email),
        ("Email Domain", nil), ("Email Opt Out", .optedOut), ("Phone 1 - Value", .phone), ("Phone Extension", nil),
        ("Account Name", .company), ("AccountId", nil), ("OwnerId", nil), ("Lifecycle Stage", .segment),
        ("Twitter Username", .x), ("Additional email addresses", .email), ("Unsubscribed from all email", .optedOut),
    ])
    func headerNames(header: String, expected: ContactField?) {
        #expect(ContactField.recognise(header: header) == expected)
    }

    @Test func brokenRowsReportTheirLine() throws {
        let csv = """
        Name,Email,Phone
        Ada Lovelace,ada@example.com,415 555 2671
        Bad Email,ada@,
        Bad Phone,,12
        ,nobody@example.com,
        Too,many,fields,here
        "Grace ""Amazing"" Hopper",grace@example.com,
        "Unclosed, quote,x@example.com,
        """
        let rows = try importRows(csv)
        // A bad optional field is left out; its row's contact is still imported.
        #expect(contacts(rows).map(\.name) == ["Ada Lovelace", "Bad Email", "Bad Phone", "Grace \"Amazing\" Hopper"])
        #expect(contacts(rows).first { $0.name == "Bad Email" }?.emails == [])
        #expect(contacts(rows).first { $0.name == "Bad Phone" }?.phones == [])
        let rejected = rejections(rows)
        #expect(rejected.map(\.line) == [3, 4, 5, 6, 8])
        #expect(rejected.map(\.kind) == [.badEmail, .badPhone, .missingName, .malformed, .malformed])
        #expect(rejected.map(\.fieldOnly) == [true, true, false, false, false])
        #expect(rejected[0].description == "line 3: bad email: \"ada@\" is not a valid address; the contact was imported without it")
        #expect(rejected[1].description.contains("default region US"))
    }

    @Test func quotingEdgeCases() throws {
        let csv = "\u{FEFF}Name;Email;Company\r\n"
            + "\"Lovelace; Ada\";ada@example.com;\"Analytical\r\nEngines\"\r\n"
            + "\r\n"
            + "\"Grace Hopper\";\"grace@example.com\";\"\"\"Navy\"\"\"\r\n"
            + "Alan Turing;alan@example.com;Bletchley\"Park"
        let rows = try importRows(csv)
        #expect(contacts(rows).map(\.name) == ["Lovelace; Ada", "Grace Hopper", "Alan Turing"])
        #expect(contacts(rows).map(\.company) == ["Analytical\r\nEngines", "\"Navy\"", "Bletchley\"Park"])
        // Lines count physical lines, including the one inside the quoted field and the blank one.
        #expect(rows.map { if case .contact(_, let line) = $0 { line } else { 0 } } == [2, 5, 6])
    }

    @Test func explicitMapping() throws {
        let csv = """
        Kunde,Mail privat,Mail Arbeit,Handy,Mastodon-Konto
        Ada Lovelace,ada@home.example,ada@work.example,+49 30 123456,@ada@chaos.social

        """
        var options = ContactImportOptions(defaultRegion: PhoneRegion.named("DE"))
        options.mapping = ["name": "Kunde", "email": "Mail privat|Mail Arbeit", "phone": "Handy", "mastodon": "Mastodon-Konto"]
        let imported = contacts(try importRows(csv, options: options))
        #expect(imported.count == 1)
        #expect(imported.first?.emails == ["ada@home.example", "ada@work.example"])
        #expect(imported.first?.phones == ["+4930123456"])
        #expect(imported.first?.handles == [SocialHandle(network: .mastodon, handle: "ada@chaos.social")])
    }

    @Test("inputs that cannot be imported throw", arguments: [
        ("Email,Phone\nada@example.com,1\n", [String: String]()),
        ("Name,Email\nAda,ada@example.com\n", ["email": "E-Mail"]),
        ("Name,Email\nAda,ada@example.com\n", ["favourite_colour": "Name"]),
        ("", [String: String]()),
    ])
    func unusableInput(csv: String, mapping: [String: String]) {
        #expect(throws: ContactImportError.self) {
            _ = try importRows(csv, options: ContactImportOptions(mapping: mapping))
        }
    }

    @Test func utf16IsRefused() {
        #expect(throws: ContactImportError.self) {
            var importer = ContactImporter(reader: BytesReader([0xFF, 0xFE, 0x4E, 0x00]))
            _ = try importer.next()
        }
    }

    @Test func runawayQuoteIsBounded() throws {
        let csv = "Name,Email\n\"Ada" + String(repeating: "x", count: 5_000) + "\nGrace Hopper,grace@example.com\n"
        let rows = try importRows(csv, options: ContactImportOptions(maxRecordBytes: 1_000), chunkSize: 100)
        #expect(rejections(rows).map(\.line) == [2])
        #expect(contacts(rows).map(\.name) == ["Grace Hopper"])
    }

    @Test func jsonLines() throws {
        let jsonl = """
        {"id": 1, "name": "Ada Lovelace", "emails": ["ada@example.com", "Ada@Work.example"], "handles": {"x": "@adal", "bluesky": "ada"}}
        {"First Name": "Grace", "Last Name": "Hopper", "phone": "+1 415 555 2671", "opted_out": true}
        not json
        {"name": "Bad", "email": "bad@"}
        """
        let rows = try importRows(jsonl)
        let imported = contacts(rows)
        // The row with the bad email keeps its contact, without the email.
        #expect(imported.count == 3)
        #expect(imported[2].name == "Bad" && imported[2].emails.isEmpty)
        #expect(imported[0].externalID == "1")
        #expect(imported[0].emails == ["ada@example.com", "ada@work.example"])
        #expect(Set(imported[0].handles) == [SocialHandle(network: .x, handle: "adal"), SocialHandle(network: .bluesky, handle: "ada.bsky.social")])
        #expect(imported[1].name == "Grace Hopper" && imported[1].optedOut)
        #expect(rejections(rows).map(\.line) == [3, 4])
    }

    @Test func vCard3() throws {
        let vcf = """
        BEGIN:VCARD\r
        VERSION:3.0\r
        N:Lovelace;Ada;;Countess;\r
        FN:Ada Lovelace\r
        ORG:Analytical Engines;Research\r
        EMAIL;TYPE=INTERNET,WORK:ada@example.com\r
        TEL;TYPE=CELL:+44 7700 9\r
         00123\r
        X-SOCIALPROFILE;type=twitter;x-user=AdaL:http://twitter.com/AdaL\r
        IMPP;X-SERVICE-TYPE=Mastodon:x-apple:@ada@mastodon.social\r
        IMPP:xmpp:ada@jabber.example\r
        UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r
        END:VCARD\r
        BEGIN:VCARD\r
        VERSION:3.0\r
        N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r
        EMAIL:juergen@example.de\r
        NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0A=\r
        second line\r
        END:VCARD\r
        BEGIN:VCARD\r
        VERSION:3.0\r
        EMAIL:nobody@example.com\r
        END:VCARD\r

        """
        let rows = try importRows(vcf)
        let imported = contacts(rows)
        #expect(imported.count == 2)
        #expect(imported[0] == Contact(
            externalID: "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", name: "Ada Lovelace", emails: ["ada@example.com"],
            phones: ["+447700900123"],
            handles: [SocialHandle(network: .x, handle: "adal"), SocialHandle(network: .mastodon, handle: "ada@mastodon.social")],
            company: "Analytical Engines"))
        #expect(imported[1].name == "Jürgen Müller")
        #expect(rejections(rows) == [ContactRejection(line: 21, kind: .missingName, detail: "no name, first name or last name")])
        #expect(rows.compactMap { if case .contact(_, let line) = $0 { line } else { nil } } == [1, 14])
    }

    @Test func vCard4() throws {
        let vcf = """
        BEGIN:VCARD
        VERSION:4.0
        FN:Grace Hopper
        N:Hopper;Grace;;;
        EMAIL;TYPE=work:grace@navy.example
        TEL;VALUE=uri;TYPE="voice,cell":tel:+1-415-555-2671
        X-SOCIALPROFILE;TYPE=bluesky:https://bsky.app/profile/grace.bsky.social
        X-SOCIALPROFILE:https://www.instagram.com/grace.h/
        ORG:US Navy\\, Reserve
        CATEGORIES:vip,press
        END:VCARD
        BEGIN:VCARD
        VERSION:4.0
        FN:Broken
        """
        let rows = try importRows(vcf)
        #expect(contacts(rows) == [Contact(
            externalID: contacts(rows).first?.externalID ?? "", name: "Grace Hopper", emails: ["grace@navy.example"],
            phones: ["+14155552671"],
            handles: [SocialHandle(network: .bluesky, handle: "grace.bsky.social"), SocialHandle(network: .instagram, handle: "grace.h")],
            company: "US Navy, Reserve", segment: "vip")])
        #expect(contacts(rows).first?.externalID.hasPrefix("import:") == true)
        #expect(rejections(rows).map(\.line) == [12])
    }

    @Test func asyncStream() async throws {
        let csv = Self.headerCases[0].csv
        let chunks = AsyncChunks(chunks: Array(csv.utf8).chunked(5))
        var rows: [ContactImportRow] = []
        for try await row in ContactImportStream(chunks: chunks, options: ContactImportOptions(defaultRegion: PhoneRegion.named("US"))) {
            rows.append(row)
        }
        #expect(rows == [.contact(Self.headerCases[0].expected, line: 2)])
    }
}

struct AsyncChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [[UInt8]]
        mutating func next() async -> [UInt8]? { remaining.isEmpty ? nil : remaining.removeFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks) }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

@Suite("Contact import from a file descriptor")
struct FileDescriptorImportTests {
    @Test func readsAFileInChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-contacts-\(UInt64.random(in: 0...UInt64.max)).csv").path
        let rows = (1...500).map { "\($0),Person \($0) Example,person\($0)@example.com" }
        try ("Record ID,Name,Email\n" + rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        var importer = ContactImporter(reader: FileDescriptorReader(fd, chunkSize: 333))
        var count = 0
        var last: Contact?
        while let row = try importer.next() {
            if case .contact(let contact, let line) = row {
                count += 1
                last = contact
                #expect(line == count + 1)
            }
        }
        #expect(count == 500)
        #expect(last?.externalID == "500" && last?.emails == ["person500@example.com"])
    }
}
