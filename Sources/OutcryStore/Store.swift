import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOPosix
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
    let sql: any SQLDatabase
    let connection: SQLiteConnection
    public nonisolated let path: String
    let logger: Logger
    private var inTransaction = false
    /// Threads: an author's open thread takes their next non-reply mention within this window.
    public private(set) var authorThreadWindow: TimeInterval = defaultAuthorThreadWindow
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The key of the suppression hashes (HMAC-SHA-256), from `suppression.key` in the data directory.
    nonisolated let suppressionKey: [UInt8]

    private init(connection: SQLiteConnection, path: String, logger: Logger, suppressionKey: [UInt8]) {
        self.suppressionKey = suppressionKey
        self.connection = connection
        self.sql = connection.sql()
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
        let connection: SQLiteConnection
        let suppressionKey: [UInt8]
        do {
            // Customer data: the file, its WAL and lock files are the owner's alone (issue 13).
            try DataFiles.prepareDatabase(path)
            suppressionKey = try DataFiles.key(named: Store.suppressionKeyFile, in: (path as NSString).deletingLastPathComponent)
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
        let store = Store(connection: connection, path: path, logger: logger, suppressionKey: suppressionKey)
        do {
            // Switching to WAL and migrating need the database alone: processes opening it at
            // the same moment (the daemon and a CLI command) take turns on a lock file.
            let turn = try await OpenTurn.take(path + ".open-lock")
            defer { turn.release() }
            try await store.configure()
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
        return store
    }

    private func configure() async throws {
        for pragma in [
            // The busy timeout first: switching to WAL needs a lock another process may hold.
            "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            // Freed cells and pages are zeroed, so erased and purged text does not linger in free space.
            "PRAGMA secure_delete = ON",
        ] {
            let _: [any SQLRow] = try await sql.raw(SQLQueryString(pragma)).all()
        }
    }

    /// Sets how long an author's open thread takes their next non-reply mention (0: never).
    public func setAuthorThreadWindow(_ window: TimeInterval) { authorThreadWindow = max(0, window) }

    /// Closes the connection; pending work has finished when this returns.
    public func close() async throws {
        try await connection.close()
    }

    /// Runs `body` inside one transaction: all of it lands, or none of it.
    ///
    /// The actor is reentrant at every `await`, so transactions take turns explicitly: a
    /// second one waits until the first has committed or rolled back.
    func transaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquireTransactionTurn()
        defer { releaseTransactionTurn() }
        try await exec("BEGIN IMMEDIATE")
        do {
            let result = try await body()
            try await exec("COMMIT")
            return result
        } catch {
            try? await exec("ROLLBACK")
            throw error
        }
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

    func exec(_ statement: String) async throws {
        try await sql.raw(SQLQueryString(statement)).run()
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
