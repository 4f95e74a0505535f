import OutcryModel

/// How contacts are matched: folding of emails, the region of national phone numbers, and the
/// thresholds of fuzzy linking.
public struct ContactMatchOptions: Sendable, Equatable {
    public var emailFolding: EmailFolding
    /// The region phone numbers found in mention text without a country code belong to.
    public var defaultRegion: PhoneRegion?
    /// The confidence from which a mention is linked (below it, candidates are returned).
    public var linkThreshold: Double
    /// Candidates closer than this to the best one make the link ambiguous.
    public var ambiguityMargin: Double
    /// How many candidates an unlinked or ambiguous answer lists at most.
    public var maxCandidates: Int
    /// A name block with more contacts than this is too common to tell anyone apart, and skipped.
    public var maxBlockSize: Int

    public init(
        emailFolding: EmailFolding = EmailFolding(), defaultRegion: PhoneRegion? = nil, linkThreshold: Double = 0.8,
        ambiguityMargin: Double = 0.03, maxCandidates: Int = 5, maxBlockSize: Int = 2_000
    ) {
        self.emailFolding = emailFolding
        self.defaultRegion = defaultRegion
        self.linkThreshold = linkThreshold
        self.ambiguityMargin = ambiguityMargin
        self.maxCandidates = maxCandidates
        self.maxBlockSize = maxBlockSize
    }
}

/// An in-memory index of contacts for linking mentions: exact lookups by normalised email,
/// phone and handle, and a name-token blocking index for fuzzy matches.
///
/// Built once from the store's contacts (or straight from an import), then shared: it is an
/// immutable value. About 100 bytes per contact plus its identifiers.
///
/// ```swift
/// let index = ContactIndex(contacts, options: ContactMatchOptions(defaultRegion: .named("GB")))
/// let link = index.link(LinkQuery(mention: mention, network: .mastodon))
/// ```
public struct ContactIndex: Sendable {
    struct Entry: Sendable {
        var id: Int64?
        var externalID: String
        var name: String
        /// Folded name tokens joined by spaces.
        var nameKey: String
        var companyKey: String?
        /// The first email domain that is not a free mail provider.
        var domain: String?
        var optedOut: Bool
    }

    let entries: [Entry]
    let identifiers: SortedMultiMap
    let nameBlocks: SortedMultiMap
    public let options: ContactMatchOptions

    /// Indexes contacts; their positions become `ContactRef.ordinal`.
    public init<S: Sequence>(_ contacts: S, options: ContactMatchOptions = ContactMatchOptions()) where S.Element == Contact {
        var builder = Builder(options: options)
        for contact in contacts { builder.add(contact) }
        self = builder.build()
    }

    init(entries: [Entry], identifiers: SortedMultiMap, nameBlocks: SortedMultiMap, options: ContactMatchOptions) {
        self.entries = entries
        self.identifiers = identifiers
        self.nameBlocks = nameBlocks
        self.options = options
    }

    /// Builds an index one contact at a time (straight from a `ContactImporter`, say), without
    /// holding the contacts themselves.
    public struct Builder {
        public let options: ContactMatchOptions
        private var entries: [Entry] = []
        private var identifierPairs: [(key: UInt64, value: Int32)] = []
        private var blockPairs: [(key: UInt64, value: Int32)] = []

        public init(options: ContactMatchOptions = ContactMatchOptions()) {
            self.options = options
        }

        public mutating func add(_ contact: Contact) {
            let ordinal = Int32(entries.count)
            let tokens = NameNormalizer.tokens(contact.name)
            var domain: String?
            for raw in contact.emails {
                guard let email = EmailNormalizer.normalize(raw, folding: options.emailFolding) else { continue }
                identifierPairs.append((IdentifierKey.hash(IdentifierKey.email, email.utf8), ordinal))
                if domain == nil, let emailDomain = EmailNormalizer.domain(of: email), !EmailNormalizer.isFreeMailDomain(emailDomain) {
                    domain = String(emailDomain)
                }
            }
            for raw in contact.phones {
                guard let phone = PhoneNormalizer.e164(raw, region: options.defaultRegion) else { continue }
                identifierPairs.append((IdentifierKey.hash(IdentifierKey.phone, phone.utf8), ordinal))
            }
            for handle in contact.handles {
                guard let canonical = HandleNormalizer.normalize(handle.handle, network: handle.network) else { continue }
                identifierPairs.append((ContactIndex.handleKey(canonical), ordinal))
            }
            // Opted-out people are never fuzzily matched: they are not in the name index at all.
            if !contact.optedOut {
                for key in ContactIndex.blockKeys(tokens) { blockPairs.append((key, ordinal)) }
            }
            entries.append(Entry(
                id: contact.id, externalID: contact.externalID, name: contact.name,
                nameKey: tokens.joined(separator: " "), companyKey: contact.company.flatMap(CompanyNormalizer.key),
                domain: domain, optedOut: contact.optedOut))
        }

        public var count: Int { entries.count }

        public func build() -> ContactIndex {
            ContactIndex(entries: entries, identifiers: SortedMultiMap(pairs: identifierPairs),
                         nameBlocks: SortedMultiMap(pairs: blockPairs), options: options)
        }
    }

    /// How many contacts are indexed.
    public var count: Int { entries.count }

    /// The contact at an ordinal, as the index knows it.
    public func ref(_ ordinal: Int) -> ContactRef {
        let entry = entries[ordinal]
        return ContactRef(ordinal: ordinal, id: entry.id, externalID: entry.externalID, name: entry.name)
    }

    static func handleKey(_ handle: SocialHandle) -> UInt64 {
        let tag = UInt8(SocialNetwork.allCases.firstIndex(of: handle.network)!)
        return IdentifierKey.hash(IdentifierKey.handle(tag), handle.handle.utf8)
    }

    /// Blocking keys of a name: each full token paired with the initial of each other token
    /// (`john smith` → `john|s`, `smith|j`), so one misspelt token still meets the other.
    static func blockKeys(_ tokens: [String]) -> [UInt64] {
        guard tokens.count >= 2 else { return [] }
        let used = tokens.count > 4 ? Array(tokens.prefix(3)) + [tokens[tokens.count - 1]] : tokens
        var keys: [UInt64] = []
        keys.reserveCapacity(used.count * (used.count - 1))
        for (i, token) in used.enumerated() where token.utf8.count >= 2 {
            for (j, other) in used.enumerated() where j != i {
                var bytes = Array(token.utf8)
                bytes.append(UInt8(ascii: "|"))
                bytes.append(other.utf8.first!)
                let key = IdentifierKey.hash(IdentifierKey.nameBlock, bytes)
                if !keys.contains(key) { keys.append(key) }
            }
        }
        return keys
    }
}
