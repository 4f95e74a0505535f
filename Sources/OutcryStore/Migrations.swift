import Foundation
import SQLKit

/// One schema change. The list is append-only: a released migration is never edited,
/// a new one is added after it.
struct Migration: Sendable {
    let id: String
    let statements: [String]
}

extension Store {
    /// The schema, oldest first, in SQLite's DDL (translated for PostgreSQL by
    /// ``StoreDialect/ddl(_:)``). Dates are stored as UNIX seconds (REAL, DOUBLE PRECISION on
    /// PostgreSQL) so that both compare them the same way.
    static let migrations: [Migration] = [
        Migration(id: "0001_sources", statements: [
            """
            CREATE TABLE sources (
                name TEXT PRIMARY KEY NOT NULL,
                config_url TEXT NOT NULL,
                url TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('feed', 'json', 'imap', 'pop3')),
                interval_seconds REAL NOT NULL CHECK (interval_seconds > 0),
                etag TEXT,
                last_modified TEXT,
                next_poll_at REAL,
                last_attempt_at REAL,
                last_success_at REAL,
                consecutive_errors INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_errors >= 0),
                last_error TEXT,
                failing_since REAL,
                disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                backlog_done INTEGER NOT NULL DEFAULT 0 CHECK (backlog_done IN (0, 1)),
                created_at REAL NOT NULL
            )
            """,
        ]),
        Migration(id: "0002_threads", statements: [
            """
            CREATE TABLE threads (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'responded', 'on_hold', 'resolved')),
                severity TEXT NOT NULL CHECK (severity IN ('P1', 'P2', 'P3', 'P4', 'none')),
                severity_rank INTEGER NOT NULL,
                title TEXT NOT NULL,
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                channel TEXT NOT NULL,
                author_name TEXT,
                author_handle TEXT,
                opened_at REAL NOT NULL,
                last_mention_at REAL NOT NULL,
                mention_count INTEGER NOT NULL DEFAULT 1,
                summary TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX threads_queue ON threads (status, severity_rank, opened_at)",
        ]),
        Migration(id: "0003_mentions", statements: [
            """
            CREATE TABLE mentions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                key TEXT NOT NULL,
                channel TEXT NOT NULL,
                url TEXT,
                title TEXT,
                text TEXT NOT NULL,
                html TEXT,
                author_name TEXT,
                author_handle TEXT,
                author_email TEXT,
                published_at REAL,
                fetched_at REAL NOT NULL,
                language TEXT,
                followers INTEGER,
                likes INTEGER,
                reposts INTEGER,
                replies INTEGER,
                in_reply_to TEXT,
                refs TEXT NOT NULL DEFAULT '[]',
                content_hash TEXT NOT NULL,
                thread_id INTEGER REFERENCES threads(id),
                sentiment REAL,
                sentiment_label TEXT,
                complaint_score REAL,
                is_complaint INTEGER,
                urgency TEXT NOT NULL DEFAULT '[]',
                severity TEXT NOT NULL DEFAULT 'none',
                reasons TEXT NOT NULL DEFAULT '[]',
                backlog INTEGER NOT NULL DEFAULT 0,
                UNIQUE (source_name, key)
            )
            """,
            "CREATE INDEX mentions_thread ON mentions (thread_id)",
            "CREATE INDEX mentions_fetched ON mentions (fetched_at)",
        ]),
        Migration(id: "0004_outbox", statements: [
            """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                thread_id INTEGER REFERENCES threads(id),
                kind TEXT NOT NULL,
                receiver TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                last_error TEXT,
                created_at REAL NOT NULL,
                sent_at REAL,
                UNIQUE (receiver, idempotency_key)
            )
            """,
            "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
        ]),
        Migration(id: "0005_events", statements: [
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                source_name TEXT,
                thread_id INTEGER REFERENCES threads(id),
                actor TEXT NOT NULL DEFAULT 'outcry',
                detail TEXT NOT NULL DEFAULT '',
                at REAL NOT NULL
            )
            """,
            "CREATE INDEX events_thread ON events (thread_id, at)",
        ]),
        Migration(id: "0006_mailboxes", statements: [
            // IMAP: per folder, the UIDVALIDITY and the highest UID committed.
            """
            CREATE TABLE mailbox_cursors (
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                folder TEXT NOT NULL,
                uid_validity INTEGER NOT NULL,
                last_uid INTEGER NOT NULL DEFAULT 0 CHECK (last_uid >= 0),
                updated_at REAL NOT NULL,
                PRIMARY KEY (source_name, folder)
            )
            """,
            // POP3: every UIDL already taken in.
            """
            CREATE TABLE mailbox_uidls (
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                uidl TEXT NOT NULL,
                seen_at REAL NOT NULL,
                PRIMARY KEY (source_name, uidl)
            )
            """,
            // What each stored mail is (customer, automatic, a team response) and the subject key for threading.
            """
            CREATE TABLE mail_messages (
                mention_id INTEGER PRIMARY KEY NOT NULL REFERENCES mentions(id),
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                message_key TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('customer', 'auto_reply', 'bounce', 'feedback_report', 'list', 'response')),
                kind_reason TEXT,
                folder TEXT NOT NULL DEFAULT '',
                message_ref TEXT NOT NULL DEFAULT '',
                sender TEXT NOT NULL DEFAULT '',
                subject_key TEXT NOT NULL DEFAULT '',
                sent_at REAL NOT NULL,
                UNIQUE (source_name, message_key)
            )
            """,
            "CREATE INDEX mail_messages_subject ON mail_messages (sender, subject_key, sent_at)",
            // Messages that could not be taken in (too large, unreadable), never fetched again.
            """
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source_name TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
                folder TEXT NOT NULL DEFAULT '',
                uid_validity INTEGER NOT NULL DEFAULT 0,
                message_ref TEXT NOT NULL,
                message_id TEXT,
                size INTEGER,
                reason TEXT NOT NULL,
                at REAL NOT NULL,
                UNIQUE (source_name, folder, uid_validity, message_ref)
            )
            """,
            "CREATE INDEX quarantine_source ON quarantine (source_name, at)",
        ]),
        // Contacts, their identifiers and merged ids, mention links, audit, erasure suppressions.
        Migration(id: "0007_contacts", statements: Store.contactsSchema),
        // Alerting: thread lifecycle history, assignment, stored SLA/escalation wake-ups,
        // notices already written, alert groups, and the outbox's group key.
        Migration(id: "0008_alerting", statements: [
            """
            CREATE TABLE thread_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                thread_id INTEGER NOT NULL REFERENCES threads(id),
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                at REAL NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                note TEXT,
                assignee_kind TEXT CHECK (assignee_kind IN ('person', 'team')),
                assignee_name TEXT
            )
            """,
            "CREATE INDEX thread_events_thread ON thread_events (thread_id, at, id)",
            "ALTER TABLE threads ADD COLUMN assignee_kind TEXT",
            "ALTER TABLE threads ADD COLUMN assignee_name TEXT",
            "ALTER TABLE threads ADD COLUMN next_wake_up REAL",
            "ALTER TABLE threads ADD COLUMN clocks_evaluated_at REAL",
            "CREATE INDEX threads_wake_up ON threads (next_wake_up)",
            """
            CREATE TABLE sent_notices (
                thread_id INTEGER NOT NULL REFERENCES threads(id),
                key TEXT NOT NULL,
                at REAL NOT NULL,
                PRIMARY KEY (thread_id, key)
            )
            """,
            """
            CREATE TABLE alert_groups (
                key TEXT PRIMARY KEY NOT NULL,
                first_alert_at REAL NOT NULL,
                last_notified_at REAL,
                notified_ids TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "ALTER TABLE outbox ADD COLUMN group_key TEXT",
        ]),
        // Brands on mentions and threads, the linked contact's segment on threads, and crises
        // (a brand's spike of negative mentions, detected or declared by a person).
        Migration(id: "0009_brands_crises", statements: [
            "ALTER TABLE mentions ADD COLUMN brand TEXT",
            "CREATE INDEX mentions_brand_time ON mentions (brand, published_at)",
            // Replies find their parent by key alone (any source): without this, a table scan each.
            "CREATE INDEX mentions_key ON mentions (key)",
            "ALTER TABLE threads ADD COLUMN brand TEXT",
            "ALTER TABLE threads ADD COLUMN segment TEXT",
            "CREATE INDEX threads_author_handle ON threads (author_handle)",
            "CREATE INDEX threads_author_name ON threads (author_name)",
            """
            CREATE TABLE crises (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                brand TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'ended')),
                origin TEXT NOT NULL CHECK (origin IN ('detected', 'declared')),
                started_at REAL NOT NULL,
                ended_at REAL,
                hour REAL,
                count INTEGER,
                baseline REAL,
                p_value REAL,
                top_terms TEXT NOT NULL DEFAULT '[]',
                example_ids TEXT NOT NULL DEFAULT '[]',
                summary TEXT NOT NULL DEFAULT '',
                opened_by TEXT NOT NULL,
                ended_by TEXT,
                folded INTEGER NOT NULL DEFAULT 0
            )
            """,
            // At most one open crisis per brand.
            "CREATE UNIQUE INDEX crises_open_brand ON crises (brand) WHERE status = 'open'",
        ]),
        // Identifiers keyed by (contact, kind, value) without a rowid: one b-tree fewer to
        // write per identifier (the rowid table and its UNIQUE index were the same data twice),
        // which is a fifth of a million-contact import.
        Migration(id: "0010_contact_identifiers_without_rowid", statements: [
            """
            CREATE TABLE contact_identifiers_new (
                contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'x', 'mastodon', 'reddit', 'bluesky', 'instagram', 'tiktok')),
                value TEXT NOT NULL CHECK (value <> ''),
                position INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (contact_id, kind, value)
            ) WITHOUT ROWID
            """,
            "INSERT INTO contact_identifiers_new (contact_id, kind, value, position) SELECT contact_id, kind, value, position FROM contact_identifiers",
            "DROP TABLE contact_identifiers",
            "ALTER TABLE contact_identifiers_new RENAME TO contact_identifiers",
            Store.contactIdentifiersLookupIndex,
        ]),
        // Source events (down, recovered, moved) are a handful among the thread events; every
        // successful poll asks for its source's latest one. Without these, that question read
        // the whole events table backwards once per source and poll: a pass over 2,000 sources
        // spent most of its time there, more as the table grew.
        Migration(id: "0011_events_sources", statements: [
            "CREATE INDEX events_source_latest ON events (source_name, id) WHERE kind LIKE 'source.%'",
            "CREATE INDEX events_sources ON events (id) WHERE kind LIKE 'source.%'",
        ]),
        // Crash-loop protection: the hash of a body whose parse killed the process.
        Migration(id: "0012_source_quarantine", statements: [
            "ALTER TABLE sources ADD COLUMN quarantined_content TEXT",
        ]),
        // People's judgements that teach the scorer. A label on a stored mention keeps
        // no copy of the text (it is read from the mention, so erasing the person's mention
        // erases it here too); a bulk label has its own text.
        Migration(id: "0013_labels", statements: [
            """
            CREATE TABLE labels (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mention_id INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
                text TEXT,
                sentiment TEXT CHECK (sentiment IS NULL OR sentiment IN ('negative', 'neutral', 'positive')),
                complaint INTEGER CHECK (complaint IS NULL OR complaint IN (0, 1)),
                urgency TEXT,
                labelled_by TEXT NOT NULL,
                labelled_at REAL NOT NULL,
                CHECK ((mention_id IS NULL) <> (text IS NULL)),
                CHECK (sentiment IS NOT NULL OR complaint IS NOT NULL OR urgency IS NOT NULL)
            )
            """,
            "CREATE INDEX labels_mention ON labels (mention_id) WHERE mention_id IS NOT NULL",
            // The installation's scorer models: every version trained, its cross-validated
            // figures, whether it was accepted, and which one is active (none: the base model).
            """
            CREATE TABLE scorer_models (
                version INTEGER PRIMARY KEY,
                created_at REAL NOT NULL,
                label_count INTEGER NOT NULL,
                labels_through INTEGER NOT NULL,
                report TEXT NOT NULL,
                accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),
                active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
                model BLOB NOT NULL,
                CHECK (active = 0 OR accepted = 1)
            )
            """,
            "CREATE UNIQUE INDEX scorer_models_active ON scorer_models (active) WHERE active = 1",
        ]),
        // The dashboard's people: local users with a role, their login sessions and
        // their API tokens. Only hashes are stored: a bcrypt hash of the password, SHA-256 of
        // the session cookie and of the API token (a copy of the database logs nobody in).
        // The partial index serves the queue's order (open threads, most severe, oldest first)
        // without scanning resolved threads or sorting in a temporary B-tree.
        Migration(id: "0014_users_sessions", statements: [
            """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
                password_hash TEXT NOT NULL,
                created_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL
            )
            """,
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
            "CREATE INDEX threads_open_queue ON threads (severity_rank, opened_at, id) WHERE status <> 'resolved'",
        ]),
        // Several workers on one database: a source is polled by the worker holding its lease
        // (lease_owner until lease_until, renewed by a heartbeat, taken over once it expires);
        // the singletons (the dispatcher, the clocks, the crisis monitor, retention, retraining)
        // run on the worker elected through a named lease; each worker says it is alive in `workers`.
        Migration(id: "0015_leases", statements: [
            "ALTER TABLE sources ADD COLUMN lease_owner TEXT",
            "ALTER TABLE sources ADD COLUMN lease_until REAL",
            "CREATE INDEX sources_due ON sources (next_poll_at)",
            "CREATE INDEX sources_leased ON sources (lease_until) WHERE lease_until IS NOT NULL",
            """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY NOT NULL,
                owner TEXT NOT NULL,
                term INTEGER NOT NULL,
                acquired_at REAL NOT NULL,
                expires_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE workers (
                id TEXT PRIMARY KEY NOT NULL,
                roles TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                started_at REAL NOT NULL,
                heartbeat_at REAL NOT NULL
            )
            """,
        ]),
        // The queue's filters in the database: a brand, channel, segment or assignee asked
        // for alone is sought in a partial index over open threads that is already in the queue's
        // order (severity, then longest waiting, then id), so neither a scan of every open thread
        // nor a sort is needed; the oldest-first order has its own. Text is compared lowercased, so the indexes are on LOWER(column).
        // The audit log (the dashboard's /audit) reads each kind of action newest first, by time.
        Migration(id: "0016_queue_filters", statements: [
            "CREATE INDEX threads_open_brand ON threads (LOWER(brand), severity_rank, opened_at, id) WHERE status <> 'resolved'",
            "CREATE INDEX threads_open_channel ON threads (LOWER(channel), severity_rank, opened_at, id) WHERE status <> 'resolved'",
            "CREATE INDEX threads_open_segment ON threads (LOWER(segment), severity_rank, opened_at, id) WHERE status <> 'resolved'",
            "CREATE INDEX threads_open_assignee ON threads (LOWER(assignee_name), severity_rank, opened_at, id) WHERE status <> 'resolved'",
            "CREATE INDEX threads_open_waiting ON threads (opened_at, id) WHERE status <> 'resolved'",
            // The audit log page reads the newest of each kind of action first.
            "CREATE INDEX thread_events_at ON thread_events (at)",
            "CREATE INDEX events_at ON events (at)",
            "CREATE INDEX audit_at ON audit (at)",
        ]),
        // The clock pass asks every second for the open threads the clocks have not evaluated
        // yet (``Store/threadsWithoutClocks(limit:)``): without an index of its own that was a
        // scan of every thread, 0.6 s of reading on 500,000 threads, once a second, beside the dashboard.
        Migration(id: "0017_unclocked_threads", statements: [
            "CREATE INDEX threads_unclocked ON threads (id) WHERE clocks_evaluated_at IS NULL AND status <> 'resolved'",
        ]),
        // Alerts are routed when they are raised, in the transaction that raises them; before,
        // a poll queued a row for the receiver `log` that the dispatcher routed later. Rows of
        // that routing inbox still waiting are set apart, so the dispatcher routes them once
        // (``Store/unroutedReceiver``) instead of delivering them to the `log` receiver.
        Migration(id: "0018_unrouted_outbox", statements: [
            "UPDATE outbox SET receiver = '(unrouted)' WHERE receiver = 'log' AND status = 'pending'",
        ]),
        // Every new thread went into twelve indexes and every new mention into six: on a poll
        // pass of 40,000 new posts that upkeep was the biggest part of the commit, the pass's
        // serial step. The indexes a new row cannot be found by leave it out: a new thread has
        // no assignee, and often no brand or segment (the queue's filters name one, so they ask
        // `IS NOT NULL` too); retention looks for resolved threads only; the crisis monitor reads
        // a brand's mentions (`brand = ?` implies it is not null, for both databases' planners).
        Migration(id: "0019_leaner_indexes", statements: [
            "DROP INDEX threads_queue",
            "CREATE INDEX threads_resolved ON threads (last_mention_at) WHERE status = 'resolved'",
            "DROP INDEX threads_open_brand",
            "CREATE INDEX threads_open_brand ON threads (LOWER(brand), severity_rank, opened_at, id) WHERE status <> 'resolved' AND brand IS NOT NULL",
            "DROP INDEX threads_open_segment",
            "CREATE INDEX threads_open_segment ON threads (LOWER(segment), severity_rank, opened_at, id) WHERE status <> 'resolved' AND segment IS NOT NULL",
            "DROP INDEX threads_open_assignee",
            "CREATE INDEX threads_open_assignee ON threads (LOWER(assignee_name), severity_rank, opened_at, id) WHERE status <> 'resolved' AND assignee_name IS NOT NULL",
            "DROP INDEX mentions_brand_time",
            "CREATE INDEX mentions_brand_time ON mentions (brand, published_at) WHERE brand IS NOT NULL",
        ]),
    ]

    /// Applies the migrations not yet recorded, each in its own transaction, with its DDL
    /// translated for the database (``StoreDialect/ddl(_:)``); returns the ids it applied.
    @discardableResult
    func migrate() async throws -> [String] {
        try await transaction {
            if let lock = dialect.migrationLock { try await exec(lock) }
            for statement in dialect.schemaPrelude { try await exec(statement) }
            try await exec(dialect.ddl("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY NOT NULL, applied_at REAL NOT NULL)"))
        }
        let rows = try await sql.raw("SELECT id FROM schema_migrations").all()
        let applied = Set(try rows.map { try $0.decode(column: "id", as: String.self) })
        var done: [String] = []
        for migration in Self.migrations where !applied.contains(migration.id) {
            let ran = try await transaction { () -> Bool in
                // Another process (a CLI command beside the daemon) may have applied it meanwhile;
                // the write lock (BEGIN IMMEDIATE, or the advisory lock) is held, so this second look is the one that counts.
                if let lock = dialect.migrationLock { try await exec(lock) }
                let done = try await sql.raw("SELECT id FROM schema_migrations WHERE id = \(bind: migration.id)").first()
                if done != nil { return false }
                for statement in migration.statements { try await exec(dialect.ddl(statement)) }
                try await sql.raw("INSERT INTO schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: Date().timeIntervalSince1970))").run()
                return true
            }
            if ran { done.append(migration.id) }
        }
        return done
    }

    /// The migrations this build knows that the database has not applied (for `/readyz`).
    public func pendingMigrations() async throws -> [String] {
        let applied = Set(try await appliedMigrations())
        return Self.migrations.map(\.id).filter { !applied.contains($0) }
    }

    /// The ids of the applied migrations, in order (for `outcry config check` and tests).
    public func appliedMigrations() async throws -> [String] {
        try await sql.raw("SELECT id FROM schema_migrations ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
    }
}
