import Foundation

/// The outcome of linking a mention to a contact, as stored in `mention_links`.
public enum MentionLinkOutcome: String, Sendable, Codable, CaseIterable {
    case linked
    case ambiguous
    /// The author opted out (or was erased): the mention is kept and routed anonymously.
    case optedOut = "opted_out"
    case unlinked
    /// The contact was erased; the link was anonymised.
    case erased
}

/// Whose mention it is: what the pipeline stores for each mention it links.
///
/// Only `.linked` names a contact; an opted-out author is never named, not even by id.
public struct MentionLink: Sendable, Equatable, Codable {
    public var outcome: MentionLinkOutcome
    public var contactID: ContactID?
    public var confidence: Double?
    /// Plain words: which fact tied the mention to the contact.
    public var reason: String

    public init(outcome: MentionLinkOutcome, contactID: ContactID? = nil, confidence: Double? = nil, reason: String = "") {
        self.outcome = outcome
        self.contactID = outcome == .linked ? contactID : nil
        self.confidence = confidence.map { min(1, max(0, $0)) }
        self.reason = reason
    }
}
