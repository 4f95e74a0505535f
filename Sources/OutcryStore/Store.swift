import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OutcryModel
import PostgresKit
import SQLKit
import SQLiteKit

/// Outcry's database: one SQLite file in the data directory (WAL), or a PostgreSQL database,
/// reached through SQLKit with the same statements (differences: ``StoreDialect``).
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
    /// The writing connection. Every write runs inside ``transaction(_:)`` on it, and only the
    /// task that holds the transaction's turn reaches it.
    private let writerSQL: any SQLDatabase
    /// Reads outside a transaction: a few more connections that refuse writes (SQLite's
    /// `query_only`, PostgreSQL's read-only sessions), so they see only committed data and a
    /// write that forgot its transaction fails loudly instead of landing inside another task's
    /// open transaction. Reads take them in turn, so a slow query (a report) does not hold up
    /// the dashboard's next page behind it.
    private let readerSQLs: [any SQLDatabase]
    private let closeConnections: @Sendable () async throws -> Void
    /// SQLite: the connection that copies the write-ahead log into the database file, beside
    /// the writer. The writer's own automatic checkpoint ran inside the commit that crossed
    /// 1,000 pages (the copy and two fsyncs on a pass's one serial step), so it is off, and
    /// each commit asks this connection for a passive checkpoint instead (``scheduleCheckpoint``).
    private let checkpointer: (any SQLDatabase)?
    private var checkpointTask: Task<Void, Never>?
    private var checkpointWanted = false
    /// How many checkpoints the checkpointer ran, and whether it has none to run (tests).
    private(set) var checkpointsRun = 0
    var checkpointerIdle: Bool { checkpointTask == nil }
    private var nextReader = 0
    /// How many read connections a store opens.
    static let readerCount = 4
    /// The database file, or the PostgreSQL address without its password (for messages).
    public nonisolated let path: String
    /// What the statements ask about the database they run on.
    public nonisolated let dialect: StoreDialect
    let logger: Logger
    private var inTransaction = false
    /// Whether some task holds the transaction's turn now (tests wait for it).
    var hasTransactionRunning: Bool { inTransaction }
    /// Threads: an author's open thread takes their next non-reply mention within this window.
    public private(set) var authorThreadWindow: TimeInterval = defaultAuthorThreadWindow
    /// Whether a commit places its mentions by a ``ThreadPlan`` (the default) or one by one with
    /// ``placeInThread`` (the reference tests compare the plan with).
    var placesByPlan = true
    /// How many threads commits opened by a plan (tests check that the plan ran).
    var threadsOpenedByPlan = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The key of the suppression hashes (HMAC-SHA-256), from `suppression.key` in the data directory.
    nonisolated let suppressionKey: [UInt8]
    /// The migrations this store applied when it was opened (`outcry migrate` prints them).
    public internal(set) var migrationsAppliedOnOpen: [String] = []
    /// Column types by table, for the casts of bulk inserts on PostgreSQL.
    var columnTypes: [String: [String: String]] = [:]

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

    private func takeReader() -> Int {
        defer { nextReader = (nextReader + 1) % readerSQLs.count }
        return nextReader
    }

    private init(
        writer: any SQLDatabase, readers: [any SQLDatabase], checkpointer: (any SQLDatabase)? = nil,
        close: @escaping @Sendable () async throws -> Void, dialect: StoreDialect, path: String, logger: Logger, suppressionKey: [UInt8]
    ) {
        self.suppressionKey = suppressionKey
        self.writerSQL = writer
        self.checkpointer = checkpointer
        self.readerSQLs = readers
        self.closeConnections = close
        self.dialect = dialect
        self.path = path
        self.logger = logger
    }

    /// Opens the database a configuration names: `database` is nil or empty for SQLite in
    /// `directory` (the default), or a `postgres://user:password@host:port/name` address. The
    /// directory holds the suppression key either way.
    public static func open(database: String?, directory: String, logger: Logger = Logger(label: "outcry.store")) async throws -> Store {
        guard let database, !database.isEmpty else { return try await open(directory: directory, logger: logger) }
        return try await open(postgres: database, directory: directory, logger: logger)
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
        let dialect = StoreDialect.sqlite
        do {
            // Customer data: the file, its WAL and lock files are the owner's alone.
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
            try await configure(writer.sql(), dialect.sessionSetup(readOnly: false))
            // Opened after WAL is on, so they read snapshots beside the writer.
            for _ in 0..<readerCount {
                let opened = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(opened)
                try await configure(opened.sql(), dialect.sessionSetup(readOnly: true))
            }
            let checkpointer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            readers.append(checkpointer)  // closed with the readers if what follows fails
            try await configure(checkpointer.sql(), ["PRAGMA busy_timeout = 10000"])
            let opened = readers
            let store = Store(
                writer: writer.sql(), readers: readers.dropLast().map { $0.sql() }, checkpointer: checkpointer.sql(),
                close: {
                    // The writer last: the last connection to close copies what is left of the log.
                    for reader in opened { try? await reader.close() }
                    try await writer.close()
                },
                dialect: dialect, path: path, logger: logger, suppressionKey: suppressionKey)
            try await store.recordMigrations(try await store.migrate())
            return store
        } catch {
            for reader in readers { try? await reader.close() }
            try? await writer.close()
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Opens a PostgreSQL database (`postgres://user:password@host:port/name`, optionally
    /// `?sslmode=disable|prefer|require`) and brings its schema up to date: one connection
    /// writes, ``readerCount`` more read in read-only sessions, as with SQLite.
    public static func open(postgres url: String, directory: String, logger: Logger = Logger(label: "outcry.store")) async throws -> Store {
        let shown = Self.maskingPassword(url)
        let configuration: PostgresConnection.Configuration
        let suppressionKey: [UInt8]
        do {
            configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        } catch {
            throw StoreError.cannotOpen(path: shown, reason: "not a postgres://user:password@host:port/database address")
        }
        do {
            try DataFiles.prepareDirectory(directory)
            suppressionKey = try DataFiles.key(named: Store.suppressionKeyFile, in: directory)
        } catch {
            throw StoreError.cannotOpen(path: directory, reason: "cannot read the suppression key: \(error)")
        }
        let dialect = StoreDialect.postgres
        var opened: [PostgresConnection] = []
        do {
            for id in 0...readerCount {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
                opened.append(connection)
                try await configure(connection.sql(), dialect.sessionSetup(readOnly: id > 0))
            }
            let (writer, readers) = (opened[0], Array(opened.dropFirst()))
            let store = Store(
                writer: writer.sql(), readers: readers.map { $0.sql() },
                close: {
                    for reader in readers { try? await reader.close() }
                    try await writer.close()
                },
                dialect: dialect, path: shown, logger: logger, suppressionKey: suppressionKey)
            try await store.recordMigrations(try await store.migrate())
            return store
        } catch {
            for connection in opened { try? await connection.close() }
            throw StoreError.cannotOpen(path: shown, reason: String(reflecting: error))
        }
    }

    /// The address with its password replaced, for messages and logs.
    static func maskingPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    private static func configure(_ sql: any SQLDatabase, _ statements: [String]) async throws {
        for statement in statements {
            let _: [any SQLRow] = try await sql.raw(SQLQueryString(statement)).all()
        }
    }

    private func recordMigrations(_ ids: [String]) { migrationsAppliedOnOpen = ids }

    func setPlacesByPlan(_ on: Bool) { placesByPlan = on }

    /// Sets how long an author's open thread takes their next non-reply mention (0: never).
    public func setAuthorThreadWindow(_ window: TimeInterval) { authorThreadWindow = max(0, window) }

    /// Closes every connection; pending work has finished when this returns.
    public func close() async throws {
        checkpointTask?.cancel()
        await checkpointTask?.value
        try await closeConnections()
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
            try await shielded(dialect.beginTransaction)
            do {
                let result = try await body()
                try await shielded("COMMIT")
                scheduleCheckpoint()
                return result
            } catch {
                try? await shielded("ROLLBACK")
                throw StoreError.readable(error)
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

    /// Asks the checkpointer for a passive checkpoint after a commit: one runs at a time, and
    /// the commits that land meanwhile ask for the next, at most ten a second. A passive
    /// checkpoint takes no lock the writer or the readers wait for; the log is reset by the
    /// writer once a checkpoint has copied all of it.
    private func scheduleCheckpoint() {
        guard let checkpointer else { return }
        checkpointWanted = true
        guard checkpointTask == nil else { return }
        checkpointTask = Task { await self.runCheckpoints(on: checkpointer) }
    }

    private func runCheckpoints(on checkpointer: any SQLDatabase) async {
        while checkpointWanted && !Task.isCancelled {
            checkpointWanted = false
            do {
                try await checkpointer.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                checkpointsRun += 1
            } catch where Task.isCancelled {
                break  // the store is closing: the last connection to close checkpoints the rest
            } catch {
                logger.warning("checkpoint of the write-ahead log failed: \(String(describing: error))")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        checkpointTask = nil
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
    /// always go to the writer, which is the connection whose behaviour they are meant to change;
    /// a database without them skips them (see ``StoreDialect/hasPragmas``).
    func exec(_ statement: String) async throws {
        let isPragma = statement.hasPrefix("PRAGMA")
        if isPragma && !dialect.hasPragmas { return }
        let target = isPragma ? writerSQL : sql
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

    /// PostgreSQL's errors describe themselves as "Generic description to prevent accidental
    /// leakage of sensitive data", which tells an operator nothing: this gives the server's
    /// message, its SQLSTATE and hint, or the kind of client failure (never the query's values).
    static func readable(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if let info = error.serverInfo, let message = info[.message] {
            var words = "PostgreSQL: \(message)"
            if let state = info[.sqlState] { words += " (SQLSTATE \(state))" }
            if let hint = info[.hint] { words += "; hint: \(hint)" }
            return StoreError(description: SecretMasking.maskSecrets(inText: words))
        }
        var words = "PostgreSQL: \(error.code)"
        if let underlying = error.underlying { words += ": \(underlying)" }
        return StoreError(description: SecretMasking.maskSecrets(inText: words))
    }
}
