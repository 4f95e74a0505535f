import Foundation
import OutcryModel

/// The CRM contact a thread was linked to, with how sure the link is.
public struct ContactLink: Sendable, Equatable, Codable {
    public var name: String?
    public var url: String
    /// 0...1
    public var confidence: Double
    /// Why the link was made (`email matched`, …).
    public var basis: String?

    public init(name: String? = nil, url: String, confidence: Double, basis: String? = nil) {
        self.name = name
        self.url = url
        self.confidence = confidence
        self.basis = basis
    }
}

/// Why an alert exists.
public enum AlertKind: String, Sendable, Hashable, Codable {
    case newThread = "new_thread"
    case escalation
    case slaWarning = "sla_warning"
    case slaBreach = "sla_breach"
    case crisis
}

/// An alert about a thread: what routing matches on and what notifications show.
///
/// ```swift
/// let alert = ThreadAlert(id: "t42/new", threadID: "42", kind: .newThread, title: "Refund refused",
///                         severity: .p1, urgency: [.legal], brand: "acme", source: "mastodon",
///                         channel: .social, excerpt: text, firedAt: now)
/// ```
public struct ThreadAlert: Sendable, Equatable, Codable {
    /// Stable id: the idempotency key of the alert (thread id + what fired).
    public var id: String
    public var threadID: String
    public var kind: AlertKind
    public var title: String
    public var severity: Severity
    public var urgency: [UrgencyCategory]
    public var brand: String?
    public var source: String
    public var channel: Channel
    public var segment: String?
    public var language: String?
    /// The scorer's and the clocks' reasons, shown in every notification.
    public var reasons: [Reason]
    /// Mention text; redacted when a notification is built.
    public var excerpt: String
    public var contact: ContactLink?
    /// The original post's own address (the mention that made the thread severe), when it has one.
    public var postURL: String?
    public var firedAt: Date

    public init(
        id: String, threadID: String, kind: AlertKind = .newThread, title: String, severity: Severity,
        urgency: [UrgencyCategory] = [], brand: String? = nil, source: String, channel: Channel,
        segment: String? = nil, language: String? = nil, reasons: [Reason] = [], excerpt: String = "",
        contact: ContactLink? = nil, postURL: String? = nil, firedAt: Date
    ) {
        self.postURL = postURL
        self.id = id
        self.threadID = threadID
        self.kind = kind
        self.title = title
        self.severity = severity
        self.urgency = urgency
        self.brand = brand
        self.source = source
        self.channel = channel
        self.segment = segment
        self.language = language
        self.reasons = reasons
        self.excerpt = excerpt
        self.contact = contact
        self.firedAt = firedAt
    }

    /// The values of a label; urgency may have several, a missing label is `[""]`.
    public func values(of label: AlertLabel) -> [String] {
        switch label {
        case .severity: [severity.rawValue]
        case .urgency: urgency.isEmpty ? [""] : urgency.map(\.rawValue)
        case .brand: [brand ?? ""]
        case .source: [source]
        case .channel: [channel.rawValue]
        case .segment: [segment ?? ""]
        case .language: [language ?? ""]
        case .kind: [kind.rawValue]
        }
    }
}

/// The labels routes can match and group on.
public enum AlertLabel: String, Sendable, Hashable, Codable, CaseIterable {
    case severity, urgency, brand, source, channel, segment, language, kind
}
