import OutcryModel

/// One column of a CSV header and the contact field it fills (nil: not read).
public struct ContactColumn: Sendable, Equatable {
    public var header: String
    public var field: ContactField?

    public init(header: String, field: ContactField?) {
        self.header = header
        self.field = field
    }
}

/// What an import would do, read without storing anything (`outcry contacts import --dry-run`):
/// which column fills which field, how many contacts would be imported, and every row or field
/// that would be rejected, with its line.
///
/// ```swift
/// let preview = try ContactImportPreview.read(BytesReader(csv), options: options)
/// preview.columns    // [Vorname → first_name, Nachname → last_name, E-Mail-Adresse → email, …]
/// ```
public struct ContactImportPreview: Sendable, Equatable {
    /// Nil for JSON lines and vCard, whose keys name their fields.
    public var columns: [ContactColumn]?
    /// The CSV delimiter found (`,`, `;` or tab).
    public var delimiter: Character?
    public var contacts: Int
    public var rejections: [ContactRejection]
    /// CRM ids that come again in the file (the first 100), and how many repeats there were.
    public var repeats: [ContactRepeat] = []
    public var repeatCount = 0

    /// Reads the whole input in bounded memory, as the import would.
    public static func read<Reader: ByteChunkReader>(_ reader: Reader, options: ContactImportOptions) throws(ContactImportError) -> ContactImportPreview {
        var importer = ContactImporter(reader: reader, options: options)
        var contacts = 0
        var rejections: [ContactRejection] = []
        var tracker = ContactRepeatTracker()
        while let row = try importer.next() {
            switch row {
            case .contact(let contact, let line):
                contacts += 1
                tracker.note(contact, line: line)
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        return ContactImportPreview(columns: importer.columns, delimiter: importer.csvDelimiter.map { Character(Unicode.Scalar($0)) },
                                    contacts: contacts, rejections: rejections, repeats: tracker.repeats, repeatCount: tracker.count)
    }

    /// `--map COLUMN=FIELD` arguments as an import mapping (field → columns joined by `|`).
    /// `FIELD=COLUMN` is read too when only its left side is a field name.
    public static func mapping(arguments: [String]) throws(ContactImportError) -> [String: String] {
        var mapping: [String: String] = [:]
        let fields = ContactField.allCases.map(\.rawValue)
        for argument in arguments {
            guard let equals = argument.lastIndex(of: "=") else {
                throw ContactImportError("--map \(argument): write COLUMN=FIELD, e.g. --map \"Work Email=email\"")
            }
            var column = String(argument[..<equals]).trimmedSpace
            var field = String(argument[argument.index(after: equals)...]).trimmedSpace
            if ContactField(rawValue: field.lowercased()) == nil, ContactField(rawValue: column.lowercased()) != nil {
                swap(&column, &field)
            }
            field = field.lowercased()
            guard ContactField(rawValue: field) != nil else {
                throw ContactImportError("--map \(argument): \"\(field)\" is not a contact field\(ContactField.suggestion(field, among: fields)) (fields: \(fields.joined(separator: ", ")))")
            }
            guard !column.isEmpty else { throw ContactImportError("--map \(argument): the column name is empty") }
            mapping[field] = mapping[field].map { "\($0)|\(column)" } ?? column
        }
        return mapping
    }
}

/// A CRM id seen again within one file: the later row updates the contact the earlier one made,
/// which is rarely what the export meant (two people under one id, or a row exported twice).
public struct ContactRepeat: Sendable, Equatable, CustomStringConvertible {
    public var externalID: String
    public var firstLine: Int
    public var line: Int

    /// What happened, without the line: `CRM id 'hs-1' also on line 2; the later row wins`.
    public var message: String {
        externalID.hasPrefix("import:")
            ? "the same contact (name and addresses) as line \(firstLine); imported once"
            : "CRM id '\(externalID)' also on line \(firstLine); the later row wins"
    }

    public var description: String { "line \(line): \(message)" }
}

/// Notes each contact's CRM id while a file is read and reports the ones that come again.
/// Keeps one small entry per distinct id (its hash and first line, about 30 bytes): a million
/// contacts cost some 30 MB, not the ids themselves. Two ids with one 64-bit hash would only
/// give a needless warning.
public struct ContactRepeatTracker: Sendable {
    private var firstLines: [Int: Int32] = [:]
    /// The repeats found, the first `limit` of them.
    public private(set) var repeats: [ContactRepeat] = []
    /// How many repeats there were in all.
    public private(set) var count = 0
    public let limit: Int

    public init(limit: Int = 100) { self.limit = limit }

    public mutating func note(_ contact: Contact, line: Int) {
        let key = contact.externalID.hashValue
        if let first = firstLines[key] {
            count += 1
            if repeats.count < limit { repeats.append(ContactRepeat(externalID: contact.externalID, firstLine: Int(first), line: line)) }
        } else {
            firstLines[key] = Int32(clamping: line)
        }
    }
}
