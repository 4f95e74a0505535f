import Foundation
import Logging
import OutcryContacts
import OutcryModel
import OutcryScoring
import OutcryStore

/// What linking a batch of mentions gave: the link to store for each mention (by key) and the
/// contact facts the scorer may use (tier, days since the previous complaint), by position.
public struct LinkedBatch: Sendable, Equatable {
    public var links: [String: MentionLink] = [:]
    public var contexts: [ScoreContext] = []
}

/// Links ingested mentions to contacts: by the sender's email for mail, the author's handle on
/// the source's network for social sources, a phone number in the text, or a fuzzy name with the
/// company. Opted-out people, and erased people (their identifiers are suppressed), are stored
/// as `opted_out` without a contact: monitored and routed anonymously, never profiled.
///
/// The `ContactIndex` is built from the store once and kept until the contacts change (the
/// store's contacts revision moves with every import, merge and erasure); a check per batch is
/// one single-row query.
///
/// ```swift
/// let linker = ContactLinker(store: store, options: ContactMatchOptions(defaultRegion: .named("GB")))
/// let batch = try await linker.link(mentions, network: .mastodon, now: now)
/// ```
public actor ContactLinker {
    struct Snapshot: Sendable {
        var revision: Int64
        var index: ContactIndex
        var tiers: [ContactID: String]
        var hasSuppressions: Bool
    }

    let store: Store
    public let options: ContactMatchOptions
    /// How far back a previous complaint is looked for.
    public let repeatWindow: TimeInterval
    let logger: Logger
    private var snapshot: Snapshot?
    private var building: Task<Snapshot, any Error>?

    public init(store: Store, options: ContactMatchOptions = ContactMatchOptions(), repeatWindow: TimeInterval = 90 * 86400,
                logger: Logger = Logger(label: "outcry.contacts")) {
        self.store = store
        self.options = options
        self.repeatWindow = repeatWindow
        self.logger = logger
    }

    /// The current index, rebuilt when the contacts changed; concurrent callers share one build.
    func current() async throws -> Snapshot {
        let revision = try await store.contactsRevision()
        if let snapshot, snapshot.revision == revision { return snapshot }
        if let building { return try await building.value }
        let (store, options) = (self.store, self.options)
        let task = Task { try await Self.build(store: store, options: options, revision: revision) }
        building = task
        defer { building = nil }
        let built = try await task.value
        snapshot = built
        // Debug, not info: `poll --once` builds it on every pass, and cron mails whatever is printed.
        logger.debug("contact index built: \(SourcePollResult.count(built.index.count, "contact")) (revision \(revision))")
        return built
    }

    static func build(store: Store, options: ContactMatchOptions, revision: Int64) async throws -> Snapshot {
        var builder = ContactIndex.Builder(options: options)
        var tiers: [ContactID: String] = [:]
        var after: ContactID = 0
        while true {
            let page = try await store.contacts(after: after, limit: 10_000)
            guard let last = page.last?.id else { break }
            for contact in page {
                builder.add(contact)
                if let id = contact.id, let tier = contact.tier, !contact.optedOut { tiers[id] = tier }
            }
            after = last
        }
        let suppressions = try await store.suppressionCount()
        return Snapshot(revision: revision, index: builder.build(), tiers: tiers, hasSuppressions: suppressions > 0)
    }

    /// Links mentions (of one source, on `network` when it is a social network).
    public func link(_ mentions: [Mention], network: SocialNetwork?, now: Date) async throws -> LinkedBatch {
        var batch = LinkedBatch(contexts: Array(repeating: ScoreContext(), count: mentions.count))
        let snap = try await current()
        guard snap.index.count > 0 || snap.hasSuppressions, !mentions.isEmpty else { return batch }

        var suppressedAt: Set<Int> = []
        if snap.hasSuppressions {
            var hashes: [Int: [String]] = [:]
            for (position, mention) in mentions.enumerated() { hashes[position] = Self.suppressionHashes(mention, network: network) }
            let found = try await store.suppressedHashes(hashes.values.flatMap { $0 })
            for (position, list) in hashes where list.contains(where: found.contains) { suppressedAt.insert(position) }
        }

        var linkedIDs: [Int: ContactID] = [:]
        for (position, mention) in mentions.enumerated() {
            let link: MentionLink
            if suppressedAt.contains(position) {
                link = MentionLink(outcome: .optedOut, reason: ContactLink.optedOut.description)
            } else {
                link = Self.mentionLink(snap.index.link(mention, network: network))
            }
            batch.links[mention.key] = link
            if link.outcome == .linked, let id = link.contactID {
                linkedIDs[position] = id
                batch.contexts[position].customerTier = snap.tiers[id]
            }
        }
        if !linkedIDs.isEmpty {
            let previous = try await store.previousComplaints(
                contactIDs: Array(Set(linkedIDs.values)), before: now.addingTimeInterval(1), within: repeatWindow,
                excluding: Set(mentions.map(\.key)))
            for (position, id) in linkedIDs {
                guard let last = previous[id] else { continue }
                let at = mentions[position].publishedAt ?? now
                if last < at { batch.contexts[position].daysSincePreviousComplaint = at.timeIntervalSince(last) / 86400 }
            }
        }
        return batch
    }

    /// What is stored for a link; only a confident link names a contact.
    static func mentionLink(_ link: ContactLink) -> MentionLink {
        switch link {
        case .linked(let candidate):
            return MentionLink(outcome: .linked, contactID: candidate.contact.id, confidence: candidate.confidence, reason: candidate.reason)
        case .ambiguous(let candidates):
            return MentionLink(outcome: .ambiguous, confidence: candidates.first?.confidence, reason: link.description)
        case .optedOut:
            return MentionLink(outcome: .optedOut, reason: link.description)
        case .unlinked(let candidates):
            return MentionLink(outcome: .unlinked, confidence: candidates.first?.confidence, reason: link.description)
        }
    }

    /// The suppression hashes the author of a mention would have if they were erased.
    static func suppressionHashes(_ mention: Mention, network: SocialNetwork?) -> [String] {
        let query = LinkQuery(mention: mention, network: network)
        var hashes: [String] = []
        if let email = query.email.flatMap({ EmailNormalizer.normalize($0) }) {
            hashes.append(Store.suppressionProbe(kind: "email", value: email))
        }
        if let raw = query.handle {
            let networks = query.network.map { [$0] } ?? SocialNetwork.allCases
            for network in networks {
                if let handle = HandleNormalizer.normalize(raw, network: network) {
                    hashes.append(Store.suppressionProbe(kind: handle.network.rawValue, value: handle.handle))
                }
            }
        }
        return hashes
    }

    /// The social network of a source: its `network` option, else its JSON preset.
    public static func network(of source: SourceConfig) -> SocialNetwork? {
        if let name = source.options["network"] { return SocialNetwork(name: name) }
        switch source.options["preset"]?.lowercased() {
        case "mastodon", "mastodon-search": return .mastodon
        case "reddit": return .reddit
        case "bluesky": return .bluesky
        default: return nil
        }
    }
}
