import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OutcryModel
import SQLKit
import SQLiteKit

/// Outcry's database: one SQLite file in the data directory (WAL), reached through SQLKit.
///
/// Every method is named by intent (`saveMentions`, `openThreads`, …) and runs whole: the
/// actor serialises them, and the ones that write several tables do it in one transaction,
/// so a crash or a shutdown never leaves half of a change behind.
///
/// ```swift
/// let store = try await Store.open(directory: dataDir)
/// try await store.syncSources(config.sources)
/// let open = try await store.openThreads()
/// try await store.close()
/// ```
public actor Store {
    /// The one connection that writes. Every write runs inside ``transaction(_:)`` on it, and
    /// only the task that holds the transaction's turn reaches it.
    let writer: SQLiteConnection
    /// Reads outside a transaction: a few more connections opened `query_only`, so they see only
    /// committed data (WAL snapshots) and a write that forgot its transaction fails loudly
    /// instead of landing inside another task's open transaction. Reads take them in turn, so a
    /// slow query (a report) does not hold up the dashboard's next page behind it.
    let readers: [SQLiteConnection]
    private let writerSQL: any SQLDatabase
    private let readerSQLs: [any SQLDatabase]
    private var nextReader = 0
    /// How many read connections a store opens.
    static let readerCount = 4
    public nonisolated let path: String
    let logger: Logger
    private var inTransaction = false
    /// Threads: an author's open thread takes their next non-reply mention within this window.
    public private(set) var authorThreadWindow: TimeInterval = defaultAuthorThreadWindow
    /// Whether a commit opens the threads it certainly opens in bulk (tests compare both ways).
    var bulkThreadOpening = true
    /// How many threads commits opened in bulk (tests check that the bulk path ran).
    var threadsOpenedInBulk = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The key of the suppression hashes (HMAC-SHA-256), from `suppression.key` in the data directory.
    nonisolated let suppressionKey: [UInt8]

    /// The store whose transaction the current task (and its child tasks) is running.
    @TaskLocal static var transactionOwner: ObjectIdentifier?

    /// Whether the current task runs inside this store's transaction.
    var insideTransaction: Bool { Self.transactionOwner == ObjectIdentifier(self) }

    /// The database for the current task: the writer inside this task's transaction (so it
    /// reads its own writes), the read-only reader everywhere else.
    var sql: any SQLDatabase {
        if insideTransaction { return writerSQL }
        return readerSQLs[takeReader()]
    }

    /// The raw connection for the current task (bulk statements), chosen like ``sql``.
    var connection: SQLiteConnection {
        if insideTransaction { return writer }
        return readers[takeReader()]
    }

    private func takeReader() -> Int {
        defer { nextReader = (nextReader + 1) % readers.count }
        return nextReader
    }

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], path: String, logger: Logger, suppressionKey: [UInt8]) {
        self.suppressionKey = suppressionKey
        self.writer = writer
        self.readers = readers
        self.writerSQL = writer.sql()
        self.readerSQLs = readers.map { $0.sql() }
        self.path = path
        self.logger = logger
    }

    /// Opens (creating if needed) `outcry.sqlite` in `directory` and brings its schema up to date.
    public static func open(directory: String, logger: Logger = Logger(label: "outcry.store")) async throws -> Store {
        do {
            try DataFiles.prepareDirectory(directory)
        } catch {
            throw StoreError.cannotOpen(path: directory, reason: "cannot create the data directory: \(error.localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent("outcry.sqlite")
        return try await open(file: path, logger: logger)
    }

    /// Opens a database file at an exact path (tests and tools).
    public static func open(file path: String, logger: Logger = Logger(label: "outcry.store")) async throws -> Store {
        let writer: SQLiteConnection
        let suppressionKey: [UInt8]
        do {
            // Customer data: the file, its WAL and lock files are the owner's alone (issue 13).
            try DataFiles.prepareDatabase(path)
            suppressionKey = try DataFiles.key(named: Store.suppressionKeyFile, in: (path as NSString).deletingLastPathComponent)
            writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
        var readers: [SQLiteConnection] = []
        do {
            // Switching to WAL and migrating need the database alone: processes opening it at
            // the same moment (the daemon and a CLI command) take turns on a lock file.
            let turn = try await OpenTurn.take(path + ".open-lock")
            defer { turn.release() }
            try await configure(writer, pragmas: [
                // The busy timeout first: switching to WAL needs a lock another process may hold.
                "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
                // Freed cells and pages are zeroed, so erased and purged text does not linger in free space.
                "PRAGMA secure_delete = ON",
            ])
            // Opened after WAL is on, so they read snapshots beside the writer.
            for _ in 0..<readerCount {
                let opened = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(opened)
                try await configure(opened, pragmas: ["PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON"])
            }
            let store = Store(writer: writer, readers: readers, path: path, logger: logger, suppressionKey: suppressionKey)
            try await store.migrate()
            return store
        } catch {
            for reader in readers { try? await reader.close() }
            try? await writer.close()
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    private static func configure(_ connection: SQLiteConnection, pragmas: [String]) async throws {
        let sql = connection.sql()
        for pragma in pragmas {
            let _: [any SQLRow] = try await sql.raw(SQLQueryString(pragma)).all()
        }
    }

    func setBulkThreadOpening(_ on: Bool) { bulkThreadOpening = on }

    /// Sets how long an author's open thread takes their next non-reply mention (0: never).
    public func setAuthorThreadWindow(_ window: TimeInterval) { authorThreadWindow = max(0, window) }

    /// Closes every connection; pending work has finished when this returns.
    public func close() async throws {
        for reader in readers { try? await reader.close() }
        try await writer.close()
    }

    /// Runs `body` inside one transaction: all of it lands, or none of it.
    ///
    /// The actor is reentrant at every `await`, so transactions take turns explicitly: a
    /// second one waits until the first has committed or rolled back. Only the task holding
    /// the turn (and its child tasks) reaches the writer; everyone else reads committed data
    /// on the reader. A transaction started inside another of the same task joins it.
    func transaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if insideTransaction { return try await body() }
        await acquireTransactionTurn()
        defer { releaseTransactionTurn() }
        return try await Self.$transactionOwner.withValue(ObjectIdentifier(self)) {
            try await shielded("BEGIN IMMEDIATE")
            do {
                let result = try await body()
                try await shielded("COMMIT")
                return result
            } catch {
                try? await shielded("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs a transaction's BEGIN, COMMIT or ROLLBACK even when the task has been cancelled:
    /// the database calls of a cancelled task throw before they run, and a ROLLBACK that never
    /// ran left the writer inside the transaction, holding the database's write lock, so every
    /// other worker's writes failed with "database is locked". A new task is not cancelled with
    /// the caller's.
    private func shielded(_ statement: String) async throws {
        let writer = writerSQL
        try await Task { try await writer.raw(SQLQueryString(statement)).run() }.value
    }

    private func acquireTransactionTurn() async {
        if !inTransaction {
            inTransaction = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func releaseTransactionTurn() {
        if waiting.isEmpty {
            inTransaction = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs one statement on the current task's connection. Connection settings (`PRAGMA`)
    /// always go to the writer, which is the connection whose behaviour they are meant to change.
    func exec(_ statement: String) async throws {
        let target = statement.hasPrefix("PRAGMA") ? writerSQL : sql
        try await target.raw(SQLQueryString(statement)).run()
    }

    /// A statement that must run on the writer outside a transaction (a checkpoint): it waits for
    /// the transaction's turn like a write, so it never lands inside another task's transaction.
    func writerRows(_ statement: String) async throws -> [any SQLRow] {
        if insideTransaction { return try await writerSQL.raw(SQLQueryString(statement)).all() }
        await acquireTransactionTurn()
        defer { releaseTransactionTurn() }
        return try await writerSQL.raw(SQLQueryString(statement)).all()
    }
}

/// An exclusive `flock` on a file beside the database, taken without blocking a thread:
/// it is polled, so waiting never ties up the concurrency pool.
struct OpenTurn {
    let fd: Int32

    static func take(_ path: String) async throws -> OpenTurn {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        for _ in 0..<3000 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return OpenTurn(fd: fd) }
            try await Task.sleep(for: .milliseconds(10))
        }
        close(fd)
        throw StoreError(description: "another process has held \(path) for 30 s")
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}

/// What can go wrong in the store, with the file it concerns.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The thing asked for does not exist (a thread id, a mention, a contact).
    public var isNotFound = false

    static func cannotOpen(path: String, reason: String) -> StoreError {
        StoreError(description: "cannot open the database \(path): \(reason)")
    }

    static func notFound(_ what: String) -> StoreError {
        StoreError(description: "\(what) not found", isNotFound: true)
    }
}
