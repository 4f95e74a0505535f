import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// Makes the `sources` table match the configuration: new sources are added (due at
    /// once), changed ones take the configured URL, kind and interval. Sources removed from
    /// the configuration are kept (their mentions stay) but disabled.
    public func syncSources(_ sources: [SourceConfig], now: Date = Date()) async throws {
        try await transaction {
            // Takes its turn with the workers' claims: a sync that locked rows in the
            // configuration's order while a claim locked others in due order deadlocked on
            // PostgreSQL when several workers started at once.
            try await serialiseClaims()
            let rows = try await sql.raw("SELECT name, config_url, kind, interval_seconds, disabled, last_error FROM sources").all()
            var known: [String: (url: String, kind: String, interval: Double, removed: Bool)] = [:]
            for row in rows {
                known[try row.decode(column: "name", as: String.self)] = (
                    try row.decode(column: "config_url", as: String.self), try row.decode(column: "kind", as: String.self),
                    try row.decode(column: "interval_seconds", as: Double.self),
                    try row.decode(column: "disabled", as: Int.self) != 0
                        && row.decode(column: "last_error", as: String?.self) == Self.removedFromConfiguration)
            }
            for source in sources {
                if let stored = known[source.name] {
                    let configURL = stored.url
                    // Unchanged rows are left alone (no lock taken, no write: a restart of many
                    // workers over 100,000 sources writes nothing).
                    if configURL == source.url, stored.kind == source.kind.rawValue, stored.interval == source.interval, !stored.removed {
                        continue
                    }
                    if stored.removed {
                        // Back in the configuration: polled again.
                        try await sql.raw("UPDATE sources SET disabled = 0, last_error = NULL WHERE name = \(bind: source.name)").run()
                    }
                    if configURL != source.url {
                        // A new URL in the config starts afresh: old validators belong to the old URL.
                        try await sql.raw("""
                            UPDATE sources SET config_url = \(bind: source.url), url = \(bind: source.url), etag = NULL,
                            last_modified = NULL, kind = \(bind: source.kind.rawValue), interval_seconds = \(bind: source.interval),
                            disabled = 0 WHERE name = \(bind: source.name)
                            """).run()
                    } else {
                        try await sql.raw("""
                            UPDATE sources SET kind = \(bind: source.kind.rawValue), interval_seconds = \(bind: source.interval)
                            WHERE name = \(bind: source.name)
                            """).run()
                    }
                } else {
                    try await sql.raw("""
                        INSERT INTO sources (name, config_url, url, kind, interval_seconds, next_poll_at, created_at)
                        VALUES (\(bind: source.name), \(bind: source.url), \(bind: source.url), \(bind: source.kind.rawValue),
                        \(bind: source.interval), \(bind: now.timeIntervalSince1970), \(bind: now.timeIntervalSince1970))
                        ON CONFLICT (name) DO NOTHING
                        """).run()
                }
            }
            let configured = Set(sources.map(\.name))
            for (name, stored) in known where !configured.contains(name) && !stored.removed {
                try await sql.raw("UPDATE sources SET disabled = 1, last_error = \(bind: Self.removedFromConfiguration) WHERE name = \(bind: name)").run()
            }
        }
    }

    static let removedFromConfiguration = "removed from the configuration"

    /// The poll state of every source, by name.
    public func pollStates() async throws -> [PollState] {
        try await sql.raw("SELECT * FROM sources ORDER BY name").all().map(Self.pollState(from:))
    }

    /// The poll state of one source.
    public func pollState(_ name: String) async throws -> PollState {
        guard let row = try await sql.raw("SELECT * FROM sources WHERE name = \(bind: name)").first() else {
            throw StoreError.notFound("source '\(name)'")
        }
        return try Self.pollState(from: row)
    }

    /// Whether the first poll of a source (its backlog) has been stored.
    public func backlogDone(_ name: String) async throws -> Bool {
        let row = try await sql.raw("SELECT backlog_done FROM sources WHERE name = \(bind: name)").first()
        return try row?.decode(column: "backlog_done", as: Int.self) == 1
    }

    /// Records a poll that failed: the error in words, the next attempt, and — the first time
    /// a source has been failing for longer than `downAfter` — one "source down" event.
    /// Returns true when that event was written.
    @discardableResult
    public func recordPollFailure(
        _ name: String, error: String, nextPollAt: Date, disable: Bool = false, downAfter: TimeInterval, now: Date
    ) async throws -> Bool {
        let error = SecretMasking.maskSecrets(inText: error)  // feed URLs with ?token=… are stored masked
        return try await transaction {
            let state = try await pollState(name)
            let failingSince = state.failingSince ?? now
            try await sql.raw("""
                UPDATE sources SET consecutive_errors = consecutive_errors + 1, last_error = \(bind: error),
                last_attempt_at = \(bind: now.timeIntervalSince1970), next_poll_at = \(bind: nextPollAt.timeIntervalSince1970),
                failing_since = \(bind: failingSince.timeIntervalSince1970), disabled = \(bind: disable || state.disabled ? 1 : 0)
                WHERE name = \(bind: name)
                """).run()
            guard now.timeIntervalSince(failingSince) >= downAfter else { return false }
            let alreadyDown = try await lastSourceEvent(name) == "source.down"
            if alreadyDown { return false }
            try await recordEvent(kind: "source.down", sourceName: name, detail: error, at: now)
            return true
        }
    }

    /// Quarantines a source's content after its parse crashed the process: the error is shown
    /// on the source, and the same content is not parsed again (``PollState/quarantinedContent``).
    public func quarantineContent(_ name: String, contentHash: String, error: String, nextPollAt: Date, now: Date) async throws {
        try await transaction {
            // The validators go too: the next fetch must bring the body, so that the quarantine
            // stays visible (a 304 would read as success) and a change of content is seen.
            try await sql.raw("""
                UPDATE sources SET quarantined_content = \(bind: contentHash), etag = NULL, last_modified = NULL WHERE name = \(bind: name)
                """).run()
            _ = try await recordPollFailure(name, error: error, nextPollAt: nextPollAt, downAfter: 0, now: now)
            try await recordEvent(kind: "source.quarantined", sourceName: name, detail: error, at: now)
        }
    }

    /// Lifts a source's content quarantine (its content changed).
    public func liftQuarantine(_ name: String) async throws {
        try await transaction {
            try await sql.raw("UPDATE sources SET quarantined_content = NULL WHERE name = \(bind: name)").run()
        }
    }

    /// The kind of the latest source.down/recovered event of a source. (The `LIKE` term is
    /// what lets SQLite use the partial index `events_source_latest`.)
    func lastSourceEvent(_ name: String) async throws -> String? {
        let row = try await sql.raw("""
            SELECT kind FROM events WHERE source_name = \(bind: name) AND kind LIKE 'source.%'
            AND kind IN ('source.down', 'source.recovered') ORDER BY id DESC LIMIT 1
            """).first()
        return try row?.decode(column: "kind", as: String.self)
    }

    func recordEvent(kind: String, sourceName: String? = nil, threadID: ThreadID? = nil, actor: String = "outcry", detail: String, at: Date) async throws {
        let detail = SecretMasking.maskSecrets(inText: detail)
        try await sql.raw("""
            INSERT INTO events (kind, source_name, thread_id, actor, detail, at)
            VALUES (\(bind: kind), \(bind: sourceName), \(bind: threadID), \(bind: actor), \(bind: detail), \(bind: at.timeIntervalSince1970))
            """).run()
    }

    /// Events about sources (down, recovered), newest first.
    public func sourceEvents(limit: Int = 100) async throws -> [SourceEvent] {
        try await sql.raw("""
            SELECT kind, source_name, detail, at FROM events WHERE kind LIKE 'source.%' ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { row in
            SourceEvent(
                kind: try row.decode(column: "kind", as: String.self),
                sourceName: try row.decode(column: "source_name", as: String.self),
                detail: try row.decode(column: "detail", as: String.self),
                at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self))
            )
        }
    }

    static func pollState(from row: any SQLRow) throws -> PollState {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        return PollState(
            sourceName: try row.decode(column: "name", as: String.self),
            url: try row.decode(column: "url", as: String.self),
            etag: try row.decode(column: "etag", as: String?.self),
            lastModified: try row.decode(column: "last_modified", as: String?.self),
            nextPollAt: try date("next_poll_at"),
            lastAttemptAt: try date("last_attempt_at"),
            lastSuccessAt: try date("last_success_at"),
            consecutiveErrors: try row.decode(column: "consecutive_errors", as: Int.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            failingSince: try date("failing_since"),
            disabled: try row.decode(column: "disabled", as: Int.self) == 1,
            quarantinedContent: try row.decode(column: "quarantined_content", as: String?.self)
        )
    }
}

/// Something that happened to a source: it went down, or came back.
public struct SourceEvent: Sendable, Equatable {
    public var kind: String
    public var sourceName: String
    public var detail: String
    public var at: Date
}
