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

    /// Reads the whole input in bounded memory, as the import would.
    public static func read<Reader: ByteChunkReader>(_ reader: Reader, options: ContactImportOptions) throws(ContactImportError) -> ContactImportPreview {
        var importer = ContactImporter(reader: reader, options: options)
        var contacts = 0
        var rejections: [ContactRejection] = []
        while let row = try importer.next() {
            switch row {
            case .contact: contacts += 1
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        return ContactImportPreview(columns: importer.columns, delimiter: importer.csvDelimiter.map { Character(Unicode.Scalar($0)) },
                                    contacts: contacts, rejections: rejections)
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
