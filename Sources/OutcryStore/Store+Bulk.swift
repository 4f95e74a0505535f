import Foundation
import SQLiteNIO

/// Bulk writes that bypass SQLKit's `Encodable` binding: values go to SQLite as `SQLiteData`
/// directly, many rows a statement. A million-row contact import binds some twenty million
/// values; through `Encodable` that alone took most of a minute. (A PostgreSQL store would do
/// the same with `COPY`.)
extension Store {
    /// SQLite accepts 32,766 bound variables a statement; stay well below.
    static let maxBindsPerStatement = 30_000

    /// `INSERT INTO table (columns) VALUES (…), (…) suffix` in statements of as many rows as the
    /// bind limit allows (at most `maxRows`); returns the rows a `RETURNING` suffix produced.
    @discardableResult
    func bulkInsert(_ table: String, columns: [String], rows: [[SQLiteData]], prefix: String = "INSERT", suffix: String = "",
                    maxRows: Int = 1_000) async throws -> [SQLiteRow] {
        guard !rows.isEmpty else { return [] }
        let perStatement = max(1, min(maxRows, Self.maxBindsPerStatement / max(1, columns.count)))
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let head = "\(prefix) INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var returned: [SQLiteRow] = []
        var start = 0
        var cachedCount = -1
        var cachedSQL = ""
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let count = end - start
            if count != cachedCount {
                cachedSQL = head + Array(repeating: tuple, count: count).joined(separator: ",") + " " + suffix
                cachedCount = count
            }
            var binds: [SQLiteData] = []
            binds.reserveCapacity(count * columns.count)
            for row in rows[start..<end] {
                precondition(row.count == columns.count, "bulkInsert: a row of \(row.count) values for \(columns.count) columns")
                binds.append(contentsOf: row)
            }
            let result: [SQLiteRow] = try await connection.query(cachedSQL, binds)
            returned.append(contentsOf: result)
            start = end
        }
        return returned
    }

    /// `SELECT columns FROM table WHERE column IN (…)` over many values, in bind-sized chunks.
    func selectIn(_ table: String, columns: [String], where column: String, in values: [SQLiteData], extra: String = "") async throws -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        var start = 0
        let chunk = 5_000
        while start < values.count {
            let end = min(values.count, start + chunk)
            let marks = Array(repeating: "?", count: end - start).joined(separator: ",")
            let result: [SQLiteRow] = try await connection.query(
                "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(column) IN (\(marks)) \(extra)", Array(values[start..<end]))
            rows.append(contentsOf: result)
            start = end
        }
        return rows
    }

    /// Whether a table has any row (cheap: stops at the first).
    func hasRows(_ table: String) async throws -> Bool {
        let rows: [SQLiteRow] = try await connection.query("SELECT 1 AS one FROM \(table) LIMIT 1", [])
        return !rows.isEmpty
    }
}

extension SQLiteData {
    /// Text, or NULL for nil.
    static func nullableText(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
}
