import OutcryModel

extension Store {
    /// The tables of migration `0007_contacts`.
    ///
    /// - `contacts`: one row per person, keyed by the CRM's id (`external_id`).
    /// - `contact_identifiers`: normalised emails, phones (E.164) and handles (kind = network);
    ///   migration `0010` rebuilt it without a rowid.
    /// - `contact_external_ids`: the CRM ids of records merged into a contact, so that a
    ///   re-import of the merged record updates the contact it became.
    /// - `mention_links`: whose mention it is, with the outcome, confidence and reason; opted-out
    ///   links never name a contact (a CHECK keeps it so).
    /// - `audit`: who did what to which contact (imports, merges, exports, erasures, purges).
    /// - `suppressions`: hashes of the identifiers of erased people, so that a later import or
    ///   mention never brings them back.
    /// - `contact_state`: a revision number bumped by every change to contacts, so a linker can
    ///   tell cheaply whether its index is still current.
    /// Finds a contact by an identifier. An import into an empty store drops it and builds it
    /// once at the end, which is several times cheaper than millions of random inserts.
    static let contactIdentifiersLookupIndex = "CREATE INDEX contact_identifiers_lookup ON contact_identifiers (kind, value)"

    static let contactsSchema: [String] = [
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            external_id TEXT NOT NULL UNIQUE CHECK (external_id <> ''),
            name TEXT NOT NULL,
            company TEXT,
            segment TEXT,
            tier TEXT,
            owner TEXT,
            opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        """
        CREATE TABLE contact_identifiers (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'x', 'mastodon', 'reddit', 'bluesky', 'instagram', 'tiktok')),
            value TEXT NOT NULL CHECK (value <> ''),
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (contact_id, kind, value)
        )
        """,
        "CREATE INDEX contact_identifiers_lookup ON contact_identifiers (kind, value)",
        """
        CREATE TABLE contact_external_ids (
            external_id TEXT PRIMARY KEY NOT NULL CHECK (external_id <> ''),
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            merged_at REAL NOT NULL
        )
        """,
        "CREATE INDEX contact_external_ids_contact ON contact_external_ids (contact_id)",
        """
        CREATE TABLE mention_links (
            mention_id INTEGER NOT NULL UNIQUE REFERENCES mentions(id) ON DELETE CASCADE,
            outcome TEXT NOT NULL CHECK (outcome IN ('linked', 'ambiguous', 'opted_out', 'unlinked', 'erased')),
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
            reason TEXT NOT NULL DEFAULT '',
            linked_at REAL NOT NULL,
            CHECK (outcome = 'linked' OR contact_id IS NULL)
        )
        """,
        "CREATE INDEX mention_links_contact ON mention_links (contact_id)",
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            contact_id INTEGER,
            detail TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX audit_contact ON audit (contact_id, at)",
        """
        CREATE TABLE suppressions (
            hash TEXT PRIMARY KEY NOT NULL,
            created_at REAL NOT NULL
        )
        """,
        """
        CREATE TABLE contact_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            revision INTEGER NOT NULL DEFAULT 0
        )
        """,
        "INSERT INTO contact_state (id, revision) VALUES (1, 0)",
    ]
}
