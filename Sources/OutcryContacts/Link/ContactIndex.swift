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
    /// A name block with more contacts than this is too common to list candidates from (a name
    /// with a company is looked up in blocks eight times larger).
    public var maxBlockSize: Int

    public init(
        emailFolding: EmailFolding = EmailFolding(), defaultRegion: PhoneRegion? = nil, linkThreshold: Double = 0.8,
        ambiguityMargin: Double = 0.03, maxCandidates: Int = 5, maxBlockSize: Int = 64
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
        var id: ContactID?
        var externalID: String
        var name: String
        var companyKey: String?
        /// The first email domain that is not a free mail provider.
        var domain: String?
        var optedOut: Bool
    }

    /// The index's tables, behind one reference: copying the index (into a closure, a task, a
    /// snapshot) is one retain instead of one per table.
    final class Storage: Sendable {
        let entries: [Entry]
        /// Every contact's match key (folded name tokens joined by spaces), end to end:
        /// contact `n`'s is `nameKeys[nameKeyEnds[n - 1] ..< nameKeyEnds[n]]` (from 0 for the
        /// first). Fuzzy linking reads hundreds of candidates' names per mention; here that is
        /// two cache lines each, not an entry and a string object.
        let nameKeys: PageBuffer<UInt8>
        let nameKeyEnds: PageBuffer<UInt32>
        let identifiers: SortedMultiMap
        /// Name token × initial of another token (`smith|j`), for names without other evidence.
        let nameBlocks: SortedMultiMap
        /// Name token × company or company email domain (`smith|acme`, `smith|@acme.example`).
        let companyBlocks: SortedMultiMap
        /// Hashes of every company key, to find company names in a mention's text.
        let companyKeys: KeySet
        /// Hashes of every company key's first word (keyed as a one-word company): a text's
        /// words that begin no company are passed over at once.
        let companyFirstWords: KeySet
        /// The most words a company key has.
        let companyWords: Int

        init(entries: [Entry], nameKeys: PageBuffer<UInt8>, nameKeyEnds: PageBuffer<UInt32>, identifiers: SortedMultiMap, nameBlocks: SortedMultiMap, companyBlocks: SortedMultiMap,
             companyKeys: KeySet, companyFirstWords: KeySet, companyWords: Int) {
            self.entries = entries
            self.nameKeys = nameKeys
            self.nameKeyEnds = nameKeyEnds
            self.identifiers = identifiers
            self.nameBlocks = nameBlocks
            self.companyBlocks = companyBlocks
            self.companyKeys = companyKeys
            self.companyFirstWords = companyFirstWords
            self.companyWords = companyWords
        }
    }

    let storage: Storage
    public let options: ContactMatchOptions

    var entries: [Entry] { storage.entries }
    var identifiers: SortedMultiMap { storage.identifiers }
    var nameBlocks: SortedMultiMap { storage.nameBlocks }
    var companyBlocks: SortedMultiMap { storage.companyBlocks }

    /// Indexes contacts; their positions become `ContactRef.ordinal`.
    public init<S: Sequence>(_ contacts: S, options: ContactMatchOptions = ContactMatchOptions()) where S.Element == Contact {
        var builder = Builder(options: options)
        for contact in contacts { builder.add(contact) }
        self = builder.build()
    }

    init(storage: Storage, options: ContactMatchOptions) {
        self.storage = storage
        self.options = options
    }

    /// Builds an index one contact at a time (straight from a `ContactImporter`, say), without
    /// holding the contacts themselves.
    public struct Builder {
        public let options: ContactMatchOptions
        private var entries: [Entry] = []
        private var nameKeys: [UInt8] = []
        private var nameKeyEnds: [UInt32] = []
        private var identifierPairs: [(key: UInt64, value: Int32)] = []
        private var blockPairs: [(key: UInt64, value: Int32)] = []
        private var companyPairs: [(key: UInt64, value: Int32)] = []
        private var companyKeys = KeySet()
        private var companyFirstWords = KeySet()
        private var companyWords = 1

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
            let company = contact.company.flatMap(CompanyNormalizer.key)
            // Opted-out people are never fuzzily matched: they are not in the name indexes at all.
            if !contact.optedOut {
                for key in ContactIndex.blockKeys(tokens) { blockPairs.append((key, ordinal)) }
                if let company {
                    if companyKeys.insert(IdentifierKey.hash(IdentifierKey.companyBlock, company.utf8)) {
                        companyWords = max(companyWords, company.utf8.count { $0 == UInt8(ascii: " ") } + 1)
                        companyFirstWords.insert(IdentifierKey.hash(IdentifierKey.companyBlock, company.utf8.prefix { $0 != UInt8(ascii: " ") }))
                    }
                }
                for place in [company, domain.map { "@" + $0 }].compactMap({ $0 }) {
                    for token in tokens where token.utf8.count >= 2 {
                        companyPairs.append((ContactIndex.companyBlockKey(token: token, place: place), ordinal))
                    }
                }
            }
            entries.append(Entry(
                id: contact.id, externalID: contact.externalID, name: contact.name,
                companyKey: company, domain: domain, optedOut: contact.optedOut))
            for (n, token) in tokens.enumerated() {
                if n > 0 { nameKeys.append(UInt8(ascii: " ")) }
                nameKeys.append(contentsOf: token.utf8)
            }
            nameKeyEnds.append(UInt32(nameKeys.count))
        }

        public var count: Int { entries.count }

        /// The index; the builder is used up (its memory goes to the index).
        public consuming func build() -> ContactIndex {
            let identifiers = SortedMultiMap(taking: &identifierPairs)
            let nameBlocks = SortedMultiMap(taking: &blockPairs)
            let companyBlocks = SortedMultiMap(taking: &companyPairs)
            // The name arena is read at random by fuzzy linking: copied once onto huge pages.
            let storage = Storage(entries: entries, nameKeys: PageBuffer(nameKeys), nameKeyEnds: PageBuffer(nameKeyEnds), identifiers: identifiers, nameBlocks: nameBlocks, companyBlocks: companyBlocks,
                                  companyKeys: companyKeys, companyFirstWords: companyFirstWords, companyWords: min(companyWords, 6))
            return ContactIndex(storage: storage, options: options)
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

    static func companyBlockKey(token: String, place: String) -> UInt64 {
        var hasher = IdentifierKey.Hasher(IdentifierKey.companyBlock)
        hasher.add(token.utf8)
        hasher.add(UInt8(ascii: "|"))
        hasher.add(place.utf8)
        return hasher.value
    }

    /// The company keys of indexed contacts named in a text (as whole words, folded).
    func companies(inText text: String) -> [String] {
        var folded = NameNormalizer.fold(text)
        var found: [String] = []
        var words: [Range<Int>] = []
        let companyWords = storage.companyWords, companyKeys = storage.companyKeys, companyFirstWords = storage.companyFirstWords
        folded.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: " ") {
                if i > start { words.append(start..<i) }
                start = i + 1
            }
            if bytes.count > start { words.append(start..<bytes.count) }
            // Each run of up to `companyWords` words, hashed as it grows (no copy of the words).
            for first in words.indices {
                var hasher = IdentifierKey.Hasher(IdentifierKey.companyBlock)
                for last in first..<min(words.count, first + companyWords) {
                    if last > first { hasher.add(UInt8(ascii: " ")) }
                    hasher.add(UnsafeBufferPointer(rebasing: bytes[words[last]]))
                    if last == first && !companyFirstWords.contains(hasher.value) { break }
                    if companyKeys.contains(hasher.value) {
                        let company = String(decoding: bytes[words[first].lowerBound..<words[last].upperBound], as: UTF8.self)
                        if !found.contains(company) { found.append(company) }
                    }
                }
            }
        }
        return found
    }

    /// Blocking keys of a name: each full token paired with the initial of each other token
    /// (`john smith` → `john|s`, `smith|j`), so one misspelt token still meets the other.
    static func blockKeys(_ tokens: [String]) -> [UInt64] {
        guard tokens.count >= 2 else { return [] }
        let used = tokens.count > 4 ? Array(tokens.prefix(3)) + [tokens[tokens.count - 1]] : tokens
        var keys: [UInt64] = []
        keys.reserveCapacity(used.count * (used.count - 1))
        for (i, token) in used.enumerated() where token.utf8.count >= 2 {
            var hasher = IdentifierKey.Hasher(IdentifierKey.nameBlock)
            hasher.add(token.utf8)
            hasher.add(UInt8(ascii: "|"))
            for (j, other) in used.enumerated() where j != i {
                var key = hasher
                key.add(other.utf8.first!)
                if !keys.contains(key.value) { keys.append(key.value) }
            }
        }
        return keys
    }
}
