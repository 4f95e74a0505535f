import Foundation
import OutcryContacts
import OutcryPipeline

/// A row of a contacts file that was rejected, or whose contact was imported without a field.
public struct ContactImportRejection: Sendable, Equatable {
    public var line: Int
    /// What happened to the row: `rejected`, or `field left out` (``fieldOnly``).
    public var verdict: String
    /// Why, as a word (`invalid_email`, `missing_id`, …), and the detail (may be empty).
    public var kind: String
    public var detail: String
    /// The row's contact was imported, without the field.
    public var fieldOnly: Bool

    init(_ r: ContactRejection) {
        line = r.line
        verdict = r.verdict
        kind = r.kind.rawValue
        detail = r.detail
        fieldOnly = r.fieldOnly
    }
}

/// A CRM id seen again further down the file: the later row wins.
public struct ContactImportRepeat: Sendable, Equatable {
    public var line: Int
    public var message: String

    init(_ r: ContactRepeat) {
        line = r.line
        message = r.message
    }
}

/// What an import did (`outcry contacts import|sync`).
public struct ContactImportOutcome: Sendable, Equatable {
    public var rejections: [ContactImportRejection]
    /// The first repeated CRM ids, and how many there were in all.
    public var repeats: [ContactImportRepeat]
    public var repeatCount: Int
    /// "12 contacts imported (10 new, 2 updated), …" in words.
    public var summary: String
}

/// What importing a file would do, read without touching the store (`contacts import --dry-run`).
public struct ContactImportDryRun: Sendable, Equatable {
    /// For CSV: each column's header and the field it fills (nil: not read); nil for other formats.
    public var columns: [(header: String, field: String?)]?
    /// For CSV: the column separator found.
    public var delimiter: Character?
    /// How many contacts would be imported.
    public var contacts: Int
    public var rejections: [ContactImportRejection]
    public var repeats: [ContactImportRepeat]
    public var repeatCount: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.columns?.map(\.header) == b.columns?.map(\.header) && a.columns?.map(\.field) == b.columns?.map(\.field) && a.delimiter == b.delimiter
            && a.contacts == b.contacts && a.rejections == b.rejections && a.repeats == b.repeats && a.repeatCount == b.repeatCount
    }
}

/// The import's arguments as the command line gives them: a format name, a phone region and
/// `COLUMN=FIELD` mappings, checked and read here.
public struct ContactImportArguments: Sendable {
    public var format: String?
    public var region: String?
    public var maps: [String]

    public init(format: String? = nil, region: String? = nil, maps: [String] = []) {
        self.format = format
        self.region = region
        self.maps = maps
    }

    /// What is wrong with the arguments, in words; nil when they are usable.
    public var problem: String? {
        if let format, ContactImportFormat(rawValue: format.lowercased()) == nil {
            return "unknown format '\(format)': write csv, jsonl or vcard"
        }
        if let region, PhoneRegion.named(region) == nil {
            return "unknown region '\(region)': write an ISO code such as GB, US or DE"
        }
        do { _ = try ContactImportPreview.mapping(arguments: maps) } catch { return error.message }
        return nil
    }

    var importFormat: ContactImportFormat { format.flatMap { ContactImportFormat(rawValue: $0.lowercased()) } ?? .auto }
    func mapping() throws -> [String: String] { try ContactImportPreview.mapping(arguments: maps) }
}

extension Application {
    /// Imports a contacts file in one transaction (``importContacts(path:format:region:mapping:actor:progress:)``),
    /// with the command line's arguments; throws a ``ContactImportError`` (its words say why)
    /// when the file cannot be used, and nothing is imported then.
    public func importContactFile(path: String, arguments: ContactImportArguments = ContactImportArguments(), actor: String,
                                  progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> ContactImportOutcome {
        let report = try await importContacts(path: path, format: arguments.importFormat, region: arguments.region, mapping: try arguments.mapping(),
                                              actor: actor, progress: progress)
        return ContactImportOutcome(rejections: report.rejections.map(ContactImportRejection.init), repeats: report.repeats.map(ContactImportRepeat.init),
                                    repeatCount: report.repeatCount, summary: report.summary)
    }

    /// What importing `path` would do (``previewContacts(path:format:region:mapping:)``), with the command line's arguments.
    public func previewContactFile(path: String, arguments: ContactImportArguments) throws -> ContactImportDryRun {
        let preview = try previewContacts(path: path, format: arguments.importFormat, region: arguments.region, mapping: try arguments.mapping())
        return ContactImportDryRun(columns: preview.columns?.map { (header: $0.header, field: $0.field?.rawValue) }, delimiter: preview.delimiter,
                                   contacts: preview.contacts, rejections: preview.rejections.map(ContactImportRejection.init),
                                   repeats: preview.repeats.map(ContactImportRepeat.init), repeatCount: preview.repeatCount)
    }
}
