import Foundation
import OutcryModel
import SQLKit

/// A named lease held by one worker: the singletons (the alert dispatcher, the clocks, the
/// crisis monitor, retention, retraining) run only on the worker holding theirs.
public struct LeaseRecord: Sendable, Equatable {
    public var name: String
    public var owner: String
    /// Counts the hand-overs: a new holder gets the next term, a renewal keeps it.
    public var term: Int
    public var acquiredAt: Date
    public var expiresAt: Date
}

/// A worker process as it last said it was alive.
public struct WorkerRecord: Sendable, Equatable {
    public var id: String
    public var roles: [String]
    public var host: String
    public var pid: Int
    public var startedAt: Date
    public var heartbeatAt: Date

    public init(id: String, roles: [String], host: String, pid: Int, startedAt: Date, heartbeatAt: Date) {
        self.id = id
        self.roles = roles
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
    }
}

extension Store {
    // MARK: source leases

    /// Claims due sources for `owner`: each source is polled by one worker at a time, and a
    /// host never has more than `perHost` polls in flight across all workers. Sources whose
    /// lease expired (their worker died) are due again and taken over. `release` names sources
    /// `owner` has finished with: their leases end in the same transaction, before the count.
    /// `dueBy` (default `now`) bounds which sources count as due: a pass claims what was due
    /// when it began, so a short interval cannot keep it going for ever.
    ///
    /// Claims take turns (SQLite: the transaction holds the write lock from its first
    /// statement), so the per-host count one claim sees cannot change under it; a claim is a
    /// few indexed statements, so the turns are short. Returns the claimed names, most overdue first.
    public func claimDueSources(
        owner: String, limit: Int, perHost: Int, leaseFor: TimeInterval, release: [String] = [], dueBy: Date? = nil, now: Date
    ) async throws -> [String] {
        try await transaction {
            try await serialiseClaims()
            if !release.isEmpty { try await releaseSourceLeases(release, owner: owner) }
            guard limit > 0 else { return [] }
            let at = now.timeIntervalSince1970
            var inFlight: [String: Int] = [:]
            for row in try await sql.raw("SELECT url FROM sources WHERE lease_until > \(bind: at)").all() {
                inFlight[SourceConfig.hostKey(try row.decode(column: "url", as: String.self)), default: 0] += 1
            }
            // More candidates than the limit, so that a saturated host does not hide the others behind it.
            let candidates = try await sql.raw("""
                SELECT name, url FROM sources
                WHERE disabled = 0 AND (next_poll_at IS NULL OR next_poll_at <= \(bind: (dueBy ?? now).timeIntervalSince1970))
                AND (lease_until IS NULL OR lease_until <= \(bind: at))
                ORDER BY next_poll_at, name LIMIT \(bind: limit * 4 + 64)
                """).all()
            var claimed: [String] = []
            for row in candidates where claimed.count < limit {
                let host = SourceConfig.hostKey(try row.decode(column: "url", as: String.self))
                guard inFlight[host, default: 0] < perHost else { continue }
                inFlight[host, default: 0] += 1
                claimed.append(try row.decode(column: "name", as: String.self))
            }
            for chunk in claimed.chunked(500) {
                try await sql.raw("""
                    UPDATE sources SET lease_owner = \(bind: owner), lease_until = \(bind: at + leaseFor)
                    WHERE name IN (\(Self.bindList(chunk)))
                    """).run()
            }
            return claimed
        }
    }

    /// Ends `owner`'s leases on these sources (a lease another worker took over is left alone).
    public func releaseSources(_ names: [String], owner: String) async throws {
        guard !names.isEmpty else { return }
        try await transaction { try await releaseSourceLeases(names, owner: owner) }
    }

    private func releaseSourceLeases(_ names: [String], owner: String) async throws {
        for chunk in names.chunked(500) {
            try await sql.raw("""
                UPDATE sources SET lease_owner = NULL, lease_until = NULL
                WHERE lease_owner = \(bind: owner) AND name IN (\(Self.bindList(chunk)))
                """).run()
        }
    }

    /// The heartbeat: extends `owner`'s unexpired source leases to `until`. Returns how many.
    @discardableResult
    public func renewSourceLeases(owner: String, until: Date, now: Date) async throws -> Int {
        try await transaction {
            try await sql.raw("""
                UPDATE sources SET lease_until = \(bind: until.timeIntervalSince1970)
                WHERE lease_owner = \(bind: owner) AND lease_until > \(bind: now.timeIntervalSince1970)
                RETURNING name
                """).all().count
        }
    }

    /// Who holds which source now (for `outcry workers` and tests).
    public func sourceLeases(now: Date) async throws -> [(source: String, owner: String, until: Date)] {
        try await sql.raw("""
            SELECT name, lease_owner, lease_until FROM sources WHERE lease_until > \(bind: now.timeIntervalSince1970) ORDER BY name
            """).all().map {
            (try $0.decode(column: "name", as: String.self), try $0.decode(column: "lease_owner", as: String.self),
             Date(timeIntervalSince1970: try $0.decode(column: "lease_until", as: Double.self)))
        }
    }

    /// Makes concurrent claims take turns. SQLite's `BEGIN IMMEDIATE` already did: the
    /// transaction holds the database's write lock from its start; PostgreSQL takes an
    /// advisory lock held until the claim's transaction ends.
    func serialiseClaims() async throws {
        if let lock = dialect.turnLock(7_260_532) { try await exec(lock) }
    }

    // MARK: named leases (elected singletons)

    /// Takes or renews the lease `name` for `owner` until `now + ttl`: granted when nobody
    /// holds it, its holder's lease has expired, or `owner` holds it already. Returns the
    /// lease's term when granted, nil when another worker holds it.
    public func acquireLease(_ name: String, owner: String, ttl: TimeInterval, now: Date) async throws -> Int? {
        let at = now.timeIntervalSince1970
        return try await transaction {
            // SET sees the row as it was, so a renewal keeps the term and a hand-over counts one more.
            try await sql.raw("""
                INSERT INTO leases (name, owner, term, acquired_at, expires_at)
                VALUES (\(bind: name), \(bind: owner), 1, \(bind: at), \(bind: at + ttl))
                ON CONFLICT (name) DO UPDATE SET
                    term = CASE WHEN leases.owner = excluded.owner THEN leases.term ELSE leases.term + 1 END,
                    acquired_at = CASE WHEN leases.owner = excluded.owner THEN leases.acquired_at ELSE excluded.acquired_at END,
                    owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at <= excluded.acquired_at
                RETURNING term
                """).first()?.decode(column: "term", as: Int.self)
        }
    }

    /// Gives the lease up at once (a clean shutdown), so a standby takes over without waiting for it to expire.
    public func releaseLease(_ name: String, owner: String) async throws {
        try await transaction {
            try await sql.raw("DELETE FROM leases WHERE name = \(bind: name) AND owner = \(bind: owner)").run()
        }
    }

    /// Every named lease, expired or not.
    public func leases() async throws -> [LeaseRecord] {
        try await sql.raw("SELECT * FROM leases ORDER BY name").all().map {
            LeaseRecord(
                name: try $0.decode(column: "name", as: String.self), owner: try $0.decode(column: "owner", as: String.self),
                term: try $0.decode(column: "term", as: Int.self),
                acquiredAt: Date(timeIntervalSince1970: try $0.decode(column: "acquired_at", as: Double.self)),
                expiresAt: Date(timeIntervalSince1970: try $0.decode(column: "expires_at", as: Double.self))
            )
        }
    }

    // MARK: workers

    /// Records that a worker is alive (inserted on its first beat).
    public func heartbeat(_ worker: WorkerRecord) async throws {
        try await transaction {
            try await sql.raw("""
                INSERT INTO workers (id, roles, host, pid, started_at, heartbeat_at)
                VALUES (\(bind: worker.id), \(bind: worker.roles.joined(separator: ",")), \(bind: worker.host), \(bind: worker.pid),
                \(bind: worker.startedAt.timeIntervalSince1970), \(bind: worker.heartbeatAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, roles = excluded.roles
                """).run()
        }
    }

    /// A worker stopped cleanly: it leaves the list, and its source leases end.
    public func removeWorker(_ id: String) async throws {
        try await transaction {
            try await sql.raw("UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = \(bind: id)").run()
            try await sql.raw("DELETE FROM workers WHERE id = \(bind: id)").run()
        }
    }

    /// The workers that have said they are alive, oldest first (for `outcry workers`).
    public func workers() async throws -> [WorkerRecord] {
        try await sql.raw("SELECT * FROM workers ORDER BY started_at, id").all().map {
            WorkerRecord(
                id: try $0.decode(column: "id", as: String.self),
                roles: try $0.decode(column: "roles", as: String.self).split(separator: ",").map(String.init),
                host: try $0.decode(column: "host", as: String.self), pid: try $0.decode(column: "pid", as: Int.self),
                startedAt: Date(timeIntervalSince1970: try $0.decode(column: "started_at", as: Double.self)),
                heartbeatAt: Date(timeIntervalSince1970: try $0.decode(column: "heartbeat_at", as: Double.self))
            )
        }
    }

    /// Forgets workers silent since before `before` (dead or stopped without saying so).
    public func forgetWorkers(silentSince before: Date) async throws {
        try await transaction {
            try await sql.raw("DELETE FROM workers WHERE heartbeat_at < \(bind: before.timeIntervalSince1970)").run()
        }
    }

    /// `?, ?, ?` with each value bound.
    static func bindList<C: Collection<String>>(_ values: C) -> SQLQueryString {
        values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
    }
}
