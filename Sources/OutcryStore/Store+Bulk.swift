import Foundation
import SQLKit

/// Bulk writes for imports of millions of rows.
///
/// The rows travel as one JSON array bound to a single parameter and are unpacked by SQLite's
/// `jsonb_each`: `INSERT INTO t (a, b) SELECT value->>0, value->>1 FROM jsonb_each(?)`
/// (`jsonb_each` hands each row over as binary JSON; `json_each` would hand it as text that
/// every `->>` parses again, which was slower than placeholders). Binding
/// each value instead (multi-row `VALUES` with ~30,000 placeholders) spent more time preparing
/// the statement and copying bound text than inserting: a million-row contact import binds some
/// twenty million values. PostgreSQL does the same with `jsonb_array_elements`.
extension Store {
    /// `prefix INTO table (columns) SELECT value->>0, … FROM jsonb_each(chunk) suffix`, one
    /// statement per chunk of `rows`; returns the rows a `RETURNING` suffix produced. On
    /// PostgreSQL the same with `jsonb_array_elements` and a cast to each column's type.
    @discardableResult
    func bulkInsert(_ table: String, columns: [String], rows: BulkRows, prefix: String = "INSERT", suffix: String = "") async throws -> [any SQLRow] {
        guard rows.count > 0 else { return [] }
        precondition(rows.width == columns.count, "bulkInsert: rows of \(rows.width) values for \(columns.count) columns")
        let types = dialect.backend == .postgres ? try await columnTypes(of: table) : [:]
        let values = columns.enumerated().map { dialect.jsonElement($0.offset, type: types[$0.element]) }.joined(separator: ", ")
        var returned: [any SQLRow] = []
        for chunk in rows.chunks {
            returned.append(contentsOf: try await sql.raw(bulkStatement(prefix: prefix, table: table, columns: columns, values: values, chunk: chunk, suffix: suffix)).all())
        }
        return returned
    }

    /// `WHERE true` keeps SQLite from reading an `ON CONFLICT` suffix as a join constraint.
    private func bulkStatement(prefix: String, table: String, columns: [String], values: String, chunk: String, suffix: String) -> SQLQueryString {
        jsonStatement("""
            \(prefix) INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(values) FROM \(jsonRows) WHERE true \(suffix)
            """, chunk)
    }

    /// The `FROM` item that reads the rows of the JSON array bound in its place (each row an
    /// array named `value`; ``jsonStatement`` binds it).
    var jsonRows: String { dialect.jsonRows(Self.jsonParameter) }

    /// Element `index` of a JSON row, as the SQL type `type` (PostgreSQL's name) where it matters.
    func jsonValue(_ index: Int, _ type: String) -> String { dialect.jsonElement(index, type: type) }

    /// `statement` with the JSON rows (`chunk`) bound where ``jsonRows`` put its mark.
    func jsonStatement(_ statement: String, _ chunk: String) -> SQLQueryString {
        let parts = statement.components(separatedBy: Self.jsonParameter)
        precondition(parts.count == 2, "jsonStatement: one JSON parameter a statement")
        var query = SQLQueryString(parts[0])
        query.appendInterpolation(bind: chunk)
        query.appendInterpolation(unsafeRaw: parts[1])
        return query
    }

    private static let jsonParameter = "\u{1}"

    /// The SQL type of each column of `table` (PostgreSQL), read once per store.
    private func columnTypes(of table: String) async throws -> [String: String] {
        if let known = columnTypes[table] { return known }
        var types: [String: String] = [:]
        for row in try await sql.raw("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)
            """).all() {
            types[try row.decode(column: "column_name", as: String.self)] = try row.decode(column: "data_type", as: String.self)
        }
        columnTypes[table] = types
        return types
    }

    /// Whether a table has any row (cheap: stops at the first).
    func hasRows(_ table: String) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM \(unsafeRaw: table) LIMIT 1").first() != nil
    }
}

/// Rows of text, numbers and NULLs written straight into JSON arrays for ``Store/bulkInsert``:
/// `[[1,"email","ada@example.com",0],…]`, in chunks of `rowsPerChunk` rows.
///
/// ```swift
/// var rows = BulkRows(width: 2)
/// rows.beginRow(); rows.integer(7); rows.text("ada@example.com"); rows.endRow()
/// try await store.bulkInsert("t", columns: ["a", "b"], rows: rows)
/// ```
struct BulkRows {
    let width: Int
    let rowsPerChunk: Int
    private(set) var count = 0
    private var closed: [String] = []
    private var buffer: [UInt8] = []
    private var inChunk = 0
    private var inRow = 0
    private var lastReal: (value: Double, text: [UInt8])?

    init(width: Int, rowsPerChunk: Int = 5_000) {
        self.width = width
        self.rowsPerChunk = rowsPerChunk
    }

    /// The JSON text of each chunk.
    var chunks: [String] {
        inChunk == 0 ? closed : closed + [String(decoding: buffer + [UInt8(ascii: "]")], as: UTF8.self)]
    }

    mutating func beginRow() {
        buffer.append(inChunk == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        inRow = 0
    }

    mutating func endRow() {
        precondition(inRow == width, "BulkRows: a row of \(inRow) values for width \(width)")
        buffer.append(UInt8(ascii: "]"))
        count += 1
        inChunk += 1
        if inChunk == rowsPerChunk {
            buffer.append(UInt8(ascii: "]"))
            closed.append(String(decoding: buffer, as: UTF8.self))
            buffer.removeAll(keepingCapacity: true)
            inChunk = 0
        }
    }

    private mutating func separate() {
        buffer.append(inRow == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        inRow += 1
    }

    mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        buffer[start...].reverse()
    }

    /// An integer, or `null` for nil.
    mutating func integer(_ value: Int64?) {
        guard let value else { return null() }
        integer(value)
    }

    /// A number, or `null` for nil.
    mutating func real(_ value: Double?) {
        guard let value else { return null() }
        real(value)
    }

    private mutating func null() {
        separate()
        buffer.append(contentsOf: "null".utf8)
    }

    /// A number; JSON has no NaN or infinity, so those become `null`. Imports write the same
    /// timestamp on every row: its text is made once.
    mutating func real(_ value: Double) {
        separate()
        if value != lastReal?.value {
            lastReal = (value, Array((value.isFinite ? "\(value)" : "null").utf8))
        }
        buffer.append(contentsOf: lastReal!.text)
    }

    /// A string, escaped as JSON requires, or `null` for nil. Runs that need no escape (nearly
    /// all of a post's text) are copied whole.
    mutating func text(_ value: String?) {
        separate()
        guard var value else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        value.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                if byte >= 0x20 {
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(byte)
                } else {
                    buffer.append(contentsOf: "\\u00".utf8)
                    buffer.append(Self.hex[Int(byte >> 4)])
                    buffer.append(Self.hex[Int(byte & 0xF)])
                }
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Values written ahead of the row they belong to (``fragment(_:)``), for work done
    /// beside the other polls instead of on the commit.
    struct Fragment: Sendable {
        fileprivate var bytes: [UInt8]
        fileprivate var count: Int
    }

    /// The values `write` adds, as a fragment that ``values(_:)`` puts into a row later.
    static func fragment(_ write: (inout BulkRows) throws -> Void) rethrows -> Fragment {
        var rows = BulkRows(width: 0, rowsPerChunk: .max)
        rows.inRow = 1  // so that the first value is preceded by a comma, dropped below
        try write(&rows)
        return Fragment(bytes: Array(rows.buffer.dropFirst()), count: rows.inRow - 1)
    }

    /// The values of `fragment`, in the row being written.
    mutating func values(_ fragment: Fragment) {
        guard fragment.count > 0 else { return }
        separate()
        buffer.append(contentsOf: fragment.bytes)
        inRow += fragment.count - 1
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
