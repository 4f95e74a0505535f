import Foundation
import Logging
import OutcryModel
import OutcryPipeline
import OutcryStore

/// What the store's schema is at (`outcry migrate`).
public struct MigrationStatus: Sendable, Equatable {
    /// The migrations this opening applied (empty: it was up to date).
    public var applied: [String]
    /// The last migration applied, nil for an empty schema.
    public var schema: String?
    /// The database's file or address (password masked), and `SQLite` or `PostgreSQL`.
    public var path: String
    public var backend: String
}

/// How far `outcry db copy` is: rows copied of one table.
public struct DatabaseCopyStep: Sendable, Equatable {
    public var table: String
    public var copied: Int
    public var total: Int
}

/// What `outcry db copy` copied.
public struct DatabaseCopySummary: Sendable, Equatable {
    public var rows: Int
    public var tables: Int
    public var source: String
    public var target: String
}

extension Desk {
    /// The outbox's notifications (only the dead letters with `dead`), newest first, at most
    /// `limit`; the last errors with their secrets masked.
    public func outbox(dead: Bool, limit: Int) async throws -> [OutboxMessage] {
        try await store.outbox(status: dead ? .dead : nil, limit: limit).map { m in
            var m = m
            m.lastError = m.lastError.map { SecretMasking.maskSecrets(inText: $0) }
            return m
        }
    }

    /// Puts a dead-lettered message back in the queue; false when it is not dead-lettered.
    public func retryDead(_ id: OutboxID) async throws -> Bool {
        try await store.retryDead(id, now: now)
    }

    /// Puts every dead-lettered message back in the queue; returns how many.
    public func retryAllDead() async throws -> Int {
        try await store.retryAllDead(now: now)
    }

    /// The schema's state after opening (which migrates).
    public func migrationStatus() async throws -> MigrationStatus {
        let applied = await store.migrationsAppliedOnOpen
        let all = try await store.appliedMigrations()
        return MigrationStatus(applied: applied, schema: all.last, path: store.path,
                               backend: store.dialect.backend == .postgres ? "PostgreSQL" : "SQLite")
    }

    /// The `outcry run` processes sharing the database, the singletons' leases and the sources being polled, for ``WorkersView``.
    public func workers() async throws -> (workers: [WorkerRecord], leases: [LeaseRecord], sourceLeases: [(source: String, owner: String, until: Date)]) {
        (try await store.workers(), try await store.leases(), try await store.sourceLeases(now: now))
    }

    /// The dashboard's users and tokens over this store (`outcry users`).
    public func accounts(hasher: any PasswordHasher) -> UserAccounts {
        UserAccounts(store: store, hasher: hasher)
    }
}

extension Application {
    /// Copies the SQLite database in the data directory into the PostgreSQL database at
    /// `address`, table by table (``Store/copy(to:batchSize:progress:)``: re-runnable, rows upserted).
    /// A database that cannot be opened is a ``StoreUnavailable``; a failed copy throws its error.
    public func copyDatabase(toPostgres address: String, batchSize: Int,
                             progress: @escaping @Sendable (DatabaseCopyStep) -> Void) async throws -> DatabaseCopySummary {
        let source: Store
        let target: Store
        do { source = try await Store.open(directory: config.dataDirectory) } catch { throw StoreUnavailable(error) }
        do { target = try await Store.open(postgres: address, directory: config.dataDirectory) } catch {
            try? await source.close()
            throw StoreUnavailable(error)
        }
        do {
            let copied = try await source.copy(to: target, batchSize: max(1, batchSize)) { step in
                progress(DatabaseCopyStep(table: step.table, copied: step.copied, total: step.total))
            }
            let summary = DatabaseCopySummary(rows: copied.reduce(0) { $0 + $1.rows }, tables: copied.count, source: source.path, target: target.path)
            try await source.close()
            try await target.close()
            return summary
        } catch {
            try? await source.close()
            try? await target.close()
            throw error
        }
    }
}

extension Desk {
    /// One thread in full for ``ThreadView`` (`outcry show`), its clocks read at `now` (default:
    /// the desk's clock); an unknown thread is a ``StoreFailure`` in the store's words.
    public func threadInput(_ id: ThreadID, now: Date? = nil) async throws -> ThreadView.Input {
        try await StoreFailure.mapping { try await ThreadView.load(id, store: store, alerting: alertingConfig, now: now ?? self.now) }
    }

    /// What `outcry explain` explains: one mention, or every mention of a thread.
    public enum ExplainTarget: Sendable {
        case mention(MentionID)
        case thread(ThreadID)
    }

    /// The stored mentions `outcry explain` explains (a thread must exist, and may have none).
    /// Unknown ids are ``StoreFailure``s in the store's words.
    public func mentionsToExplain(_ target: ExplainTarget) async throws -> [StoredMention] {
        try await StoreFailure.mapping {
            switch target {
            case .thread(let thread):
                _ = try await store.thread(id: thread)
                return try await store.mentions(ofThread: thread)
            case .mention(let id):
                return [try await store.mention(id: id)]
            }
        }
    }
}

/// One polled source's outcome in words (`outcry poll`).
public struct SourcePollOutcome: Sendable, Equatable {
    /// "name: 3 new mentions (12 in the feed)", "name: failed: …".
    public var summary: String
    public var isFailure: Bool
    /// The store refused the poll's writes (nothing of it was stored).
    public var isStoreError: Bool
}

extension Application {
    /// One polling pass (``pollOnce(force:only:clock:)``), each polled source's outcome in words.
    public func pollPass(force: Bool = false, only: Set<String>? = nil) async throws -> [SourcePollOutcome] {
        try await pollOnce(force: force, only: only).map {
            SourcePollOutcome(summary: $0.summary, isFailure: $0.isFailure, isStoreError: $0.isStoreError)
        }
    }
}
