import Foundation

/// What differs between the two databases the store runs on (SQLite and PostgreSQL).
///
/// Statements ask this value instead of branching on the backend: how to begin a write
/// transaction, how a migration's DDL is spelled, whether row locks can be skipped, and the few
/// functions that have different names. Everything else is one statement both accept
/// (`INSERT … ON CONFLICT`, `RETURNING`, `COALESCE`, `LOWER`, `||`).
public struct StoreDialect: Sendable, Equatable {
    public enum Backend: String, Sendable {
        case sqlite, postgres
    }

    public let backend: Backend

    public static let sqlite = StoreDialect(backend: .sqlite)
    public static let postgres = StoreDialect(backend: .postgres)

    /// The statement that opens a write transaction. SQLite: IMMEDIATE takes the write lock at
    /// once, so a second process's transaction waits instead of failing at its first write.
    /// PostgreSQL locks rows as they are written.
    var beginTransaction: String { backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN" }

    /// Whether `FOR UPDATE SKIP LOCKED` exists: on PostgreSQL several workers claim different
    /// rows at once; SQLite has one writer at a time, so its claims need no row locks.
    public var skipLocked: Bool { backend == .postgres }

    /// The clause a `SELECT` of rows the transaction will write from what it read ends with:
    /// PostgreSQL's `FOR UPDATE` (another worker's change to them waits for this transaction, and
    /// the read sees the latest committed row), nothing on SQLite (a writing transaction holds the
    /// database's one write lock from its `BEGIN IMMEDIATE`).
    public var rowLockClause: String { backend == .postgres ? "FOR UPDATE" : "" }

    /// The clause a claiming `SELECT` ends with: `FOR UPDATE SKIP LOCKED`, or nothing.
    public var skipLockedClause: String { skipLocked ? "FOR UPDATE SKIP LOCKED" : "" }

    /// Whether connection settings are `PRAGMA` statements (SQLite's page cache, secure delete,
    /// checkpoints). Where they are not, the store skips them: they tune or harden the file,
    /// and a PostgreSQL server is configured by its administrator.
    var hasPragmas: Bool { backend == .sqlite }

    /// A statement run first inside each migration's transaction so that two processes
    /// migrating at once take turns (SQLite's `BEGIN IMMEDIATE` already does that).
    var migrationLock: String? { turnLock(7_260_531) }

    /// A statement after which transactions that run it with the same `key` take turns until
    /// they end (PostgreSQL's transaction-level advisory lock; the key names the lock). SQLite's
    /// write transactions take turns already, so there it is nil.
    public func turnLock(_ key: Int64) -> String? {
        backend == .postgres ? "SELECT pg_advisory_xact_lock(\(key))" : nil
    }

    /// The larger of two values: SQLite's two-argument `MAX`, PostgreSQL's `GREATEST`.
    func greatest(_ a: String, _ b: String) -> String {
        backend == .sqlite ? "MAX(\(a), \(b))" : "GREATEST(\(a), \(b))"
    }

    /// The 1-based position of `needle` in `haystack`, 0 when absent.
    func position(of needle: String, in haystack: String) -> String {
        "\(positionFunction)(\(haystack), \(needle))"
    }

    /// The name of the function behind ``position(of:in:)``: `INSTR` or `STRPOS` (haystack first).
    var positionFunction: String { backend == .sqlite ? "INSTR" : "STRPOS" }

    /// A number cut to its integer part, toward zero (PostgreSQL's cast would round).
    func truncatedInteger(_ expression: String) -> String {
        backend == .sqlite ? "CAST(\(expression) AS INTEGER)" : "CAST(TRUNC(\(expression)) AS BIGINT)"
    }

    /// The UTC calendar day (`YYYY-MM-DD`) of a UNIX-seconds expression.
    func utcDay(_ seconds: String) -> String {
        backend == .sqlite
            ? "date(\(seconds), 'unixepoch')"
            : "to_char(to_timestamp(\(seconds)) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    }

    /// The rows of a JSON array of arrays bound as one parameter, each as a JSON array named
    /// `value` (``Store/bulkInsert``). SQLite's `jsonb_each` hands them over already parsed.
    func jsonRows(_ parameter: String) -> String {
        backend == .sqlite ? "jsonb_each(\(parameter))" : "jsonb_array_elements(CAST(\(parameter) AS jsonb)) AS r(value)"
    }

    /// Element `index` of the JSON array `value`, as a value of the column's SQL type
    /// (PostgreSQL does not turn text into numbers by itself).
    func jsonElement(_ index: Int, type: String?) -> String {
        guard backend == .postgres, let type else { return "value->>\(index)" }
        return "CAST(value->>\(index) AS \(type))"
    }

    /// The statements that prepare a new connection before anything else runs on it.
    /// How much of the database file a read connection maps (SQLite caps it at its compiled maximum).
    static let readerMmapSize = 1 << 30

    func sessionSetup(readOnly: Bool) -> [String] {
        switch backend {
        case .sqlite:
            // Readers map the file (pages are read from the OS cache without a `pread` and a copy
            // each: a fifth of the dashboard's CPU under load) and keep a larger page cache each.
            return readOnly ? ["PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON",
                               "PRAGMA mmap_size = \(Self.readerMmapSize)", "PRAGMA cache_size = -16384"] : [
                // The busy timeout first: switching to WAL needs a lock another process may hold.
                "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
                // The store's checkpointer connection copies the log into the file, beside the writer.
                "PRAGMA wal_autocheckpoint = 0",
                // A poll batch's transaction writes thousands of rows: with the default 2 MB page
                // cache it spilled pages to the WAL before its commit, and the statement journals of
                // its multi-row inserts went to a temporary file (a write per page).
                "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY",
                // Freed cells and pages are zeroed, so erased and purged text does not linger in free space.
                "PRAGMA secure_delete = ON",
            ]
        case .postgres:
            // UTC and one date style whatever the server's defaults; readers refuse writes, as
            // SQLite's `query_only` readers do, so a write that forgot its transaction fails loudly.
            let common = ["SET TIME ZONE 'UTC'", "SET client_min_messages = WARNING"]
            return readOnly ? common + ["SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"] : common
        }
    }

    /// Statements run before the first migration on an empty database.
    var schemaPrelude: [String] {
        switch backend {
        case .sqlite: return []
        case .postgres:
            // SQLite's NOCASE (user names): equal ignoring case, as a nondeterministic ICU
            // collation, so UNIQUE and `=` behave the same on both.
            return [
                """
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase') THEN
                        CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
                    END IF;
                END $$
                """,
            ]
        }
    }

    /// A migration statement written in SQLite's DDL, translated for this database.
    ///
    /// The translation is by type name, outside quoted literals, so new migrations need no
    /// change here: `INTEGER PRIMARY KEY AUTOINCREMENT` becomes an identity column, `INTEGER`
    /// `BIGINT` (SQLite integers are 64-bit), `REAL` `DOUBLE PRECISION` (PostgreSQL's `REAL` is
    /// 4 bytes, too coarse for UNIX seconds), `BLOB` `BYTEA`; `WITHOUT ROWID` is dropped and
    /// `COLLATE NOCASE` uses the collation of ``schemaPrelude``.
    func ddl(_ statement: String) -> String {
        guard backend == .postgres else { return statement }
        return Self.outsideLiterals(statement) { code in
            var s = code
            let rules: [(String, String)] = [
                (#"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b"#, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
                (#"\bINTEGER\b"#, "BIGINT"),
                (#"\bREAL\b"#, "DOUBLE PRECISION"),
                (#"\bBLOB\b"#, "BYTEA"),
                (#"\)\s*WITHOUT\s+ROWID\b"#, ")"),
                (#"\bCOLLATE\s+NOCASE\b"#, "COLLATE nocase"),
            ]
            for (pattern, replacement) in rules {
                s = s.replacingOccurrences(of: pattern, with: replacement, options: [.regularExpression, .caseInsensitive])
            }
            return s
        }
    }

    /// `statement` with `transform` applied to the parts outside single-quoted literals.
    static func outsideLiterals(_ statement: String, _ transform: (String) -> String) -> String {
        var result = ""
        var code = ""
        var literal = ""
        var inLiteral = false
        for character in statement {
            if inLiteral {
                literal.append(character)
                // A doubled quote inside a literal closes and reopens it: same result.
                if character == "'" {
                    result += literal
                    literal = ""
                    inLiteral = false
                }
            } else if character == "'" {
                result += transform(code)
                code = ""
                literal = "'"
                inLiteral = true
            } else {
                code.append(character)
            }
        }
        return result + transform(code) + literal
    }
}
