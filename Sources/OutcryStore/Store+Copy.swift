import Foundation
import SQLKit

/// `outcry db copy`: an SQLite installation copied into a PostgreSQL database, table by table.
extension Store {
    /// How far a copy has got, for a progress line.
    public struct CopyProgress: Sendable {
        public var table: String
        public var copied: Int
        public var total: Int
    }

    /// Copies every row of every table of this store into `target`, in batches of `batchSize`
    /// rows, tables in the order they were created (a referenced table before the tables that
    /// refer to it). Rows are upserted by primary key (or the table's unique key), so a copy
    /// that stopped half-way can be run again and ends with the same rows. Both stores must be
    /// at the same schema: each is migrated when opened. Returns the rows copied per table.
    public func copy(to target: Store, batchSize: Int = 500, progress: @Sendable (CopyProgress) -> Void = { _ in }) async throws -> [(table: String, rows: Int)] {
        let mine = try await appliedMigrations()
        let theirs = try await target.appliedMigrations()
        guard mine == theirs else {
            throw StoreError(description: "the two databases are at different schemas (\(mine.last ?? "none") and \(theirs.last ?? "none")): run `outcry migrate` with the same version on both")
        }
        var copied: [(String, Int)] = []
        for table in try await tableNames() where table != "schema_migrations" {
            let columns = try await target.columnNames(table)
            let key = try await target.conflictKey(table)
            let types = try await target.columnSQLTypes(table)
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            let order = try await orderKey(table)
            var done = 0
            // Tables with a rowid are paged by it (each page an index seek, so a million-row
            // table copies in linear time); the few without one by OFFSET on their key.
            var lastRowID = Int64.min
            progress(CopyProgress(table: table, copied: 0, total: total))
            while done < total {
                let rows = order == "rowid"
                    ? try await sql.raw("""
                        SELECT rowid AS outcry_copy_rowid, \(unsafeRaw: columns.joined(separator: ", ")) FROM \(ident: table)
                        WHERE rowid > \(bind: lastRowID) ORDER BY rowid LIMIT \(unsafeRaw: String(batchSize))
                        """).all()
                    : try await sql.raw("""
                        SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM \(ident: table) ORDER BY \(unsafeRaw: order) LIMIT \(unsafeRaw: String(batchSize)) OFFSET \(unsafeRaw: String(done))
                        """).all()
                if rows.isEmpty { break }
                if order == "rowid", let last = rows.last { lastRowID = try last.decode(column: "outcry_copy_rowid", as: Int64.self) }
                try await target.upsert(table, columns: columns, types: types, key: key, rows: rows)
                done += rows.count
                progress(CopyProgress(table: table, copied: done, total: total))
            }
            try await target.advanceIdentity(table)
            copied.append((table, done))
        }
        return copied
    }

    /// The tables in the order they were created (SQLite) or by name (PostgreSQL).
    func tableNames() async throws -> [String] {
        try await sql.raw(SQLQueryString(dialect.backend == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"))
            .all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// A stable order for paging through a table: its rowid, else its primary key.
    private func orderKey(_ table: String) async throws -> String {
        let info = try await sql.raw("SELECT name, pk FROM pragma_table_info(\(bind: table)) ORDER BY pk").all()
        let keys = try info.filter { try $0.decode(column: "pk", as: Int.self) > 0 }.map { try $0.decode(column: "name", as: String.self) }
        let withoutRowid = try await sql.raw("SELECT sql FROM sqlite_master WHERE name = \(bind: table)").first()?
            .decode(column: "sql", as: String?.self)?.uppercased().contains("WITHOUT ROWID") ?? false
        return withoutRowid ? keys.joined(separator: ", ") : "rowid"
    }

    /// The columns of a table on this (PostgreSQL) store, in their order.
    func columnNames(_ table: String) async throws -> [String] {
        try await sql.raw("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
            """).all().map { try $0.decode(column: "column_name", as: String.self) }
    }

    private func columnSQLTypes(_ table: String) async throws -> [String: String] {
        var types: [String: String] = [:]
        for row in try await sql.raw("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)
            """).all() {
            types[try row.decode(column: "column_name", as: String.self)] = try row.decode(column: "data_type", as: String.self)
        }
        return types
    }

    /// The columns that identify a row: the primary key, else the first full unique index.
    private func conflictKey(_ table: String) async throws -> [String] {
        let rows = try await sql.raw("""
            SELECT i.indisprimary AS is_primary, ic.relname AS index_name, a.attname AS column_name, k.n AS position
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE c.relname = \(bind: table) AND i.indisunique AND i.indpred IS NULL
            ORDER BY i.indisprimary DESC, ic.relname, k.n
            """).all()
        guard let first = rows.first else { throw StoreError(description: "table \(table) has no primary or unique key to copy by") }
        let index = try first.decode(column: "index_name", as: String.self)
        return try rows.filter { try $0.decode(column: "index_name", as: String.self) == index }.map { try $0.decode(column: "column_name", as: String.self) }
    }

    /// Inserts rows read from another store, replacing a row with the same key.
    private func upsert(_ table: String, columns: [String], types: [String: String], key: [String], rows: [any SQLRow]) async throws {
        var values: [SQLQueryString] = []
        for row in rows {
            var tuple: SQLQueryString = "("
            for (index, column) in columns.enumerated() {
                if index > 0 { tuple.appendInterpolation(unsafeRaw: ", ") }
                switch types[column] {
                case "bigint", "integer", "smallint": tuple.appendInterpolation(bind: try row.decode(column: column, as: Int64?.self))
                case "double precision", "real": tuple.appendInterpolation(bind: try row.decode(column: column, as: Double?.self))
                case "bytea": tuple.appendInterpolation(bind: try row.decode(column: column, as: Data?.self))
                default: tuple.appendInterpolation(bind: try row.decode(column: column, as: String?.self))
                }
            }
            tuple.appendInterpolation(unsafeRaw: ")")
            values.append(tuple)
        }
        let others = columns.filter { !key.contains($0) }
        let update = others.isEmpty
            ? "DO NOTHING"
            : "DO UPDATE SET " + others.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await transaction {
            try await sql.raw("""
                INSERT INTO \(ident: table) (\(unsafeRaw: columns.joined(separator: ", "))) OVERRIDING SYSTEM VALUE VALUES \(values.joined(separator: ", "))
                ON CONFLICT (\(unsafeRaw: key.joined(separator: ", "))) \(unsafeRaw: update)
                """).run()
        }
    }

    /// After ids were written by hand, the identity column's next value comes after the largest.
    private func advanceIdentity(_ table: String) async throws {
        let identity = try await sql.raw("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) AND is_identity = 'YES'
            """).all().map { try $0.decode(column: "column_name", as: String.self) }
        for column in identity {
            try await transaction {
                _ = try await sql.raw("""
                    SELECT setval(pg_get_serial_sequence(\(bind: table), \(bind: column)), COALESCE((SELECT MAX(\(ident: column)) FROM \(ident: table)), 0) + 1, false)
                    """).all()
            }
        }
    }
}
