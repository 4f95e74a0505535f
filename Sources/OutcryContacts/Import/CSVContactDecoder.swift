/// Reads contacts from CSV: the first record is the header, whose columns are recognised
/// (HubSpot, Salesforce, Pipedrive, Zoho, …) or mapped explicitly.
struct CSVContactDecoder {
    private var parser: CSVRecordParser
    private var mapper: RowMapper

    init(delimiter: UInt8, mapping: [String: String], builder: ContactRowBuilder, maxRecordBytes: Int) {
        parser = CSVRecordParser(delimiter: delimiter, maxRecordBytes: maxRecordBytes)
        mapper = RowMapper(mapping: mapping, builder: builder)
    }

    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into rows: inout [ContactImportRow]) throws(ContactImportError) {
        var mapper = self.mapper
        // Records are converted as they complete, so only one is held at a time.
        parser.feed(bytes) { event in mapper.handle(event, into: &rows) }
        self.mapper = mapper
        if let error = mapper.headerError { throw error }
    }

    /// Each header column and the field it fills, once the header was read.
    var columns: [ContactColumn]? {
        guard let header = mapper.header, let fields = mapper.columns else { return nil }
        return zip(header, fields).map { ContactColumn(header: $0, field: $1) }
    }

    var delimiter: UInt8 { parser.delimiter }

    mutating func finish(into rows: inout [ContactImportRow]) throws(ContactImportError) {
        var mapper = self.mapper
        parser.finish { event in mapper.handle(event, into: &rows) }
        self.mapper = mapper
        if let error = mapper.headerError { throw error }
        if mapper.columns == nil { throw ContactImportError("CSV input has no header row") }
    }
}

/// Maps the fields of CSV records to contact fields, learning the columns from the header.
private struct RowMapper {
    var columns: [ContactField?]?
    var header: [String]?
    var headerError: ContactImportError?
    let mapping: [String: String]
    let builder: ContactRowBuilder

    init(mapping: [String: String], builder: ContactRowBuilder) {
        self.mapping = mapping
        self.builder = builder
    }

    mutating func handle(_ event: CSVRecordParser.Event, into rows: inout [ContactImportRow]) {
        if headerError != nil { return }
        switch event {
        case .broken(let line, let reason):
            rows.append(.rejected(ContactRejection(line: line, kind: .malformed, detail: reason)))
        case .record(let record):
            guard let columns else {
                do {
                    let names = (0..<record.count).map { record.string($0) }
                    header = names
                    columns = try Self.columns(header: names, mapping: mapping)
                } catch {
                    headerError = error
                }
                return
            }
            if record.count > columns.count, !(record.count == columns.count + 1 && record.field(record.count - 1).isEmpty) {
                rows.append(.rejected(ContactRejection(
                    line: record.line, kind: .malformed,
                    detail: "\(record.count) fields where the header has \(columns.count) (an unquoted delimiter?)")))
                return
            }
            var contact = ContactRecord()
            for index in 0..<min(record.count, columns.count) {
                guard let field = columns[index] else { continue }
                let bytes = record.field(index)
                if bytes.isEmpty { continue }
                contact.add(field, String(decoding: bytes, as: UTF8.self))
            }
            rows.append(contentsOf: builder.build(contact, line: record.line))
        }
    }

    /// The field of each header column: explicit mapping first, then recognised names.
    static func columns(header: [String], mapping: [String: String]) throws(ContactImportError) -> [ContactField?] {
        var columns = header.map(ContactField.recognise(header:))
        // Never read the same single-valued field from two columns: the first wins.
        var seen: Set<ContactField> = []
        for index in columns.indices {
            guard let field = columns[index] else { continue }
            if !field.isMultiValued && !seen.insert(field).inserted { columns[index] = nil }
        }
        let folded = header.map { $0.trimmedSpace.lowercased() }
        for (key, value) in mapping.sorted(by: { $0.key < $1.key }) {
            guard let field = ContactField(rawValue: key) ?? ContactField.recognise(header: key) else {
                let known = ContactField.allCases.map(\.rawValue).joined(separator: ", ")
                throw ContactImportError("column mapping names an unknown field \"\(key)\" (known fields: \(known))")
            }
            for index in columns.indices where columns[index] == field { columns[index] = nil }
            for column in value.split(separator: "|").map({ String($0).trimmedSpace.lowercased() }) {
                guard let index = folded.firstIndex(of: column) else {
                    throw ContactImportError(
                        "column mapping \(key): \"\(column)\" is not a column of the header (columns: \(header.joined(separator: ", ")))"
                            + ContactField.suggestion(column, among: header))
                }
                columns[index] = field
            }
        }
        guard columns.contains(where: { $0 == .name || $0 == .firstName || $0 == .lastName }) else {
            throw ContactImportError(
                "no name column in the header (looked for Name, Full Name, First Name, Last Name, Vorname, Nachname, …); "
                    + "map one explicitly, e.g. --map \"\(header.first ?? "Contact")=name\" (or `name: \"\(header.first ?? "Contact")\"` under contacts.mapping); "
                    + "columns: \(header.joined(separator: ", "))")
        }
        return columns
    }
}
