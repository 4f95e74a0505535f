/// A social network on which a contact can have a handle.
///
/// ```swift
/// SocialNetwork(name: "Twitter") // .x
/// ```
public enum SocialNetwork: String, Sendable, Codable, CaseIterable, Hashable {
    case x
    case mastodon
    case reddit
    case bluesky
    case instagram
    case tiktok

    /// Reads a network from the names people and CRM exports use for it
    /// (`twitter`, `X`, `fediverse`, `bsky`, `ig`, …); nil when unknown.
    public init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "x", "twitter", "xtwitter", "twitterx", "xcom": self = .x
        case "mastodon", "fediverse", "activitypub": self = .mastodon
        case "reddit": self = .reddit
        case "bluesky", "bsky", "blueskysocial", "atproto": self = .bluesky
        case "instagram", "ig", "insta": self = .instagram
        case "tiktok": self = .tiktok
        default: return nil
        }
    }

    /// The name shown to people ("X", "Mastodon", …).
    public var displayName: String {
        switch self {
        case .x: "X"
        case .mastodon: "Mastodon"
        case .reddit: "Reddit"
        case .bluesky: "Bluesky"
        case .instagram: "Instagram"
        case .tiktok: "TikTok"
        }
    }
}

/// A contact's account on one social network.
///
/// `handle` is canonical once normalised: lowercase, no leading `@`, no URL; Mastodon handles are
/// `user@instance.social`, Bluesky handles are full domains (`name.bsky.social`).
public struct SocialHandle: Sendable, Equatable, Hashable, Codable {
    public var network: SocialNetwork
    public var handle: String

    public init(network: SocialNetwork, handle: String) {
        self.network = network
        self.handle = handle
    }
}

/// A person from the CRM, as imported and as linked to mentions.
///
/// Identifiers (emails, phones, handles) are stored normalised: emails lowercase and trimmed,
/// phones in E.164 (`+442079460958`), handles canonical per network. A contact who opted out
/// (`optedOut`) is kept so that the opt-out is remembered, but is never linked or profiled.
///
/// ```swift
/// let ada = Contact(externalID: "hs-101", name: "Ada Lovelace", emails: ["ada@example.com"],
///                   handles: [SocialHandle(network: .x, handle: "ada")], company: "Analytical Engines")
/// ```
public struct Contact: Sendable, Equatable, Codable {
    /// Database id, nil until stored.
    public var id: ContactID?
    /// The CRM's own id (HubSpot Record ID, Salesforce Contact ID, vCard UID, …).
    public var externalID: String
    /// Display name, "First Last", without honorifics.
    public var name: String
    public var emails: [String]
    public var phones: [String]
    public var handles: [SocialHandle]
    public var company: String?
    /// Customer segment (lifecycle stage, market, …), for per-segment reports.
    public var segment: String?
    /// Value tier (gold, enterprise, …); may raise attention, never lowers anyone else's.
    public var tier: String?
    /// The account owner in the CRM (a person to route to).
    public var owner: String?
    /// The person opted out: never linked to mentions, never profiled.
    public var optedOut: Bool
    /// External ids of records merged into this one, for audit and re-import.
    public var mergedExternalIDs: [String]

    public init(
        id: ContactID? = nil, externalID: String, name: String, emails: [String] = [], phones: [String] = [],
        handles: [SocialHandle] = [], company: String? = nil, segment: String? = nil, tier: String? = nil,
        owner: String? = nil, optedOut: Bool = false, mergedExternalIDs: [String] = []
    ) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.emails = emails
        self.phones = phones
        self.handles = handles
        self.company = company
        self.segment = segment
        self.tier = tier
        self.owner = owner
        self.optedOut = optedOut
        self.mergedExternalIDs = mergedExternalIDs
    }
}
