import OutcryModel

/// What an index knows about a contact it can name: enough to show and to store a link.
public struct ContactRef: Sendable, Equatable, Hashable {
    /// Position of the contact in the sequence the index was built from.
    public var ordinal: Int
    public var id: ContactID?
    public var externalID: String
    public var name: String

    public init(ordinal: Int, id: ContactID?, externalID: String, name: String) {
        self.ordinal = ordinal
        self.id = id
        self.externalID = externalID
        self.name = name
    }
}

/// The fact that tied a mention to a contact.
public enum LinkEvidence: Sendable, Equatable, Hashable {
    case email
    case handle(SocialNetwork)
    case phone
    case name
}

/// One contact a mention may belong to, with how sure the index is and why.
public struct LinkCandidate: Sendable, Equatable {
    public var contact: ContactRef
    /// 0…1
    public var confidence: Double
    public var evidence: [LinkEvidence]
    /// Plain words: "sender email ada@example.com is Ada Lovelace's".
    public var reason: String

    public init(contact: ContactRef, confidence: Double, evidence: [LinkEvidence], reason: String) {
        self.contact = contact
        self.confidence = confidence
        self.evidence = evidence
        self.reason = reason
    }
}

/// The answer to "whose mention is this?".
///
/// ```swift
/// switch index.link(query) {
/// case .linked(let candidate): print(candidate.contact.name, candidate.reason)
/// case .ambiguous(let candidates): print("one of", candidates.map(\.contact.name))
/// case .optedOut: print("anonymous (opted out)")
/// case .unlinked(let candidates): print("no link; closest:", candidates.map(\.contact.name))
/// }
/// ```
public enum ContactLink: Sendable, Equatable, CustomStringConvertible {
    /// One contact, confidently.
    case linked(LinkCandidate)
    /// Two or more contacts equally likely: never resolved by guessing.
    case ambiguous([LinkCandidate])
    /// The mention belongs to someone who opted out. Who it is is deliberately not said.
    case optedOut
    /// No contact above the threshold; the closest ones, best first (may be empty).
    case unlinked(candidates: [LinkCandidate])

    public var description: String {
        switch self {
        case .linked(let candidate):
            "linked to \(candidate.contact.name) (\(Self.percent(candidate.confidence))): \(candidate.reason)"
        case .ambiguous(let candidates):
            "ambiguous between " + candidates.map { "\($0.contact.name) (\(Self.percent($0.confidence)))" }.joined(separator: ", ")
                + ": " + (candidates.first?.reason ?? "")
        case .optedOut:
            "anonymous (opted out)"
        case .unlinked(let candidates):
            candidates.isEmpty ? "no matching contact"
                : "no link; closest: " + candidates.map { "\($0.contact.name) (\(Self.percent($0.confidence)): \($0.reason))" }.joined(separator: "; ")
        }
    }

    /// The linked contact, if any.
    public var contact: ContactRef? {
        if case .linked(let candidate) = self { return candidate.contact }
        return nil
    }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}

/// What is known about the author of a mention, for linking.
///
/// ```swift
/// LinkQuery(email: "ada@example.com", name: "Ada Lovelace", text: "My order never came")
/// ```
public struct LinkQuery: Sendable, Equatable {
    public var email: String?
    public var handle: String?
    /// The network of `handle`; nil reads it from the handle's form, or tries each network.
    public var network: SocialNetwork?
    public var name: String?
    /// The mention's text: searched for phone numbers and company names.
    public var text: String?
    /// The author's company when known some other way (mail signature, profile).
    public var company: String?

    public init(email: String? = nil, handle: String? = nil, network: SocialNetwork? = nil, name: String? = nil,
                text: String? = nil, company: String? = nil) {
        self.email = email
        self.handle = handle
        self.network = network
        self.name = name
        self.text = text
        self.company = company
    }

    /// The query for a mention: the sender's address for mail, the author's handle for posts.
    public init(mention: Mention, network: SocialNetwork? = nil) {
        var email = mention.authorEmail
        var handle = mention.authorHandle
        if mention.channel == .mail {
            // For mail the "handle" is the sender's address.
            if email == nil, let address = handle, EmailNormalizer.normalize(address) != nil { email = address }
            handle = nil
        }
        self.init(email: email, handle: handle, network: network, name: mention.authorName, text: mention.scoringText)
    }
}
