import Foundation
import OutcryModel

/// Everything a notification shows, independent of where it goes. Built by `NotificationComposer`
/// (redaction already applied); rendered by `SlackMessage`, `TeamsMessage`, `WebhookMessage`, `EmailMessage`.
public struct Notification: Sendable, Equatable, Codable {
    /// Idempotency key: the same notification is never delivered twice.
    public var id: String
    public var receiver: String
    public var groupKey: String
    public var kind: AlertKind
    public var title: String
    public var severity: Severity
    public var brand: String?
    public var channel: Channel
    public var source: String
    public var urgency: [UrgencyCategory]
    /// Plain-language reasons: the scorer's, the route's, the clock's.
    public var reasons: [String]
    /// Redacted (unless redaction is off) and shortened mention text.
    public var excerpt: String
    public var contact: ContactLink?
    public var threadURL: String
    /// The original post on its network or site (http or https only, made safe for links), if known.
    public var postURL: String?
    public var ackURL: String
    public var ackExpiresAt: Date
    /// The other threads of the same group notification, each once, most severe first.
    public var others: [GroupedThread]
    public var createdAt: Date

    /// Headlines of the other threads in the group (`[P3] Still waiting`).
    public var alsoInGroup: [String] { others.map(\.headline) }

    /// `[P1] Refund refused (acme)`.
    public var headline: String {
        var s = "[\(severity.rawValue)] \(title)"
        if let brand { s += " (\(brand))" }
        if !alsoInGroup.isEmpty { s += " +\(alsoInGroup.count) more" }
        return s
    }

    /// One-line contact description: `Ann Lee (confidence 92%) https://crm/…`.
    public var contactLine: String? {
        guard let c = contact else { return nil }
        let pct = Int((c.confidence * 100).rounded())
        return "\(c.name ?? "contact") (confidence \(pct)%\(c.basis.map { ", \($0)" } ?? "")) \(c.url)"
    }
}

/// Another thread in a group notification: its own links, and for a P1 its own acknowledge link
/// (a P1 is never acknowledged only because another thread led the message).
public struct GroupedThread: Sendable, Equatable, Codable {
    public var threadID: String
    public var severity: Severity
    /// `[P1] Refund refused`.
    public var headline: String
    public var threadURL: String
    public var postURL: String?
    /// Set for P1 threads only.
    public var ackURL: String?
}

/// Builds notifications from alerts: redacts the excerpt, adds the dashboard link and a signed
/// acknowledge link.
///
/// ```swift
/// let composer = NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: signer)
/// let n = composer.compose(alerts: group, receiver: "comms-slack", groupKey: key, routeReasons: m.reasons, now: now)
/// ```
public struct NotificationComposer: Sendable {
    public var dashboardURL: String
    public var ackSigner: AckTokenSigner
    public var ackLifetime: TimeInterval
    public var redaction: RedactionPolicy
    public var excerptLimit: Int

    public init(dashboardURL: String, ackSigner: AckTokenSigner, ackLifetime: TimeInterval = 24 * 3600,
                redaction: RedactionPolicy = RedactionPolicy(), excerptLimit: Int = 500) {
        self.dashboardURL = dashboardURL.hasSuffix("/") ? String(dashboardURL.dropLast()) : dashboardURL
        self.ackSigner = ackSigner
        self.ackLifetime = ackLifetime
        self.redaction = redaction
        self.excerptLimit = excerptLimit
    }

    /// One notification for a group of alerts; `alerts` must not be empty. The most severe leads;
    /// among equals the given order stands (the dispatcher orders them with ``LeadOrderStage``).
    public func compose(alerts: [ThreadAlert], receiver: String, groupKey: String, routeReasons: [String] = [], now: Date) -> Notification {
        let sorted = alerts.enumerated().sorted { ($0.element.severity.rank, $0.offset) < ($1.element.severity.rank, $1.offset) }.map(\.element)
        let lead = sorted[0]
        let expires = now.addingTimeInterval(ackLifetime)
        // The link acknowledges this episode only: it carries when the lead alert fired.
        let token = ackSigner.token(threadID: lead.threadID, firedAt: lead.firedAt, expiresAt: expires)
        // Every field that leaves the machine is redacted, reasons and the contact's basis included.
        var reasons = lead.reasons.map { r in r.evidence.isEmpty ? r.rule : "\(r.rule): \(redaction.apply(r.evidence))" }
        reasons += routeReasons.map { redaction.apply($0) }
        var contact = lead.contact
        if let basis = contact?.basis { contact?.basis = redaction.apply(basis) }
        let id = StableHash.hex(of: ([receiver, groupKey] + sorted.map(\.id)).joined(separator: "\u{1F}"))
        var seen: Set<String> = [lead.threadID]
        let others: [GroupedThread] = sorted.dropFirst().compactMap { alert in
            guard seen.insert(alert.threadID).inserted else { return nil }
            let ack = alert.severity == .p1
                ? "\(dashboardURL)/ack/\(ackSigner.token(threadID: alert.threadID, firedAt: alert.firedAt, expiresAt: expires))" : nil
            return GroupedThread(threadID: alert.threadID, severity: alert.severity, headline: "[\(alert.severity.rawValue)] \(redaction.apply(alert.title))",
                                 threadURL: threadURL(alert.threadID), postURL: Self.safeLinkURL(alert.postURL), ackURL: ack)
        }
        return Notification(
            id: id, receiver: receiver, groupKey: groupKey, kind: lead.kind, title: redaction.apply(lead.title),
            severity: lead.severity, brand: lead.brand, channel: lead.channel, source: lead.source, urgency: lead.urgency,
            reasons: reasons, excerpt: Self.shorten(redaction.apply(lead.excerpt), to: excerptLimit), contact: contact,
            threadURL: threadURL(lead.threadID), postURL: Self.safeLinkURL(lead.postURL),
            ackURL: "\(dashboardURL)/ack/\(token)", ackExpiresAt: expires, others: others, createdAt: now
        )
    }

    func threadURL(_ threadID: String) -> String { "\(dashboardURL)/threads/\(Self.pathEscape(threadID))" }

    /// A post's address as a link may carry it: http(s) only (no `javascript:`), and every
    /// character that could end a link in Slack (`|`, `>`), Markdown (`)`) or HTML (`"`, `'`) or
    /// that is not URL text at all percent-encoded. Nil for anything else.
    public static func safeLinkURL(_ url: String?) -> String? {
        guard let url = url?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty else { return nil }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&*+,;=%")
        return url.addingPercentEncoding(withAllowedCharacters: allowed)
    }

    static func shorten(_ s: String, to limit: Int) -> String {
        guard s.count > limit else { return s }
        return String(s.prefix(max(0, limit - 1))) + "…"
    }

    static func pathEscape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

/// A request body with the headers it needs; the delivery loop adds nothing but the URL.
public struct OutboundRequest: Sendable, Equatable {
    public var body: Data
    /// Header names and values in a fixed order.
    public var headers: [(String, String)]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public static func == (a: OutboundRequest, b: OutboundRequest) -> Bool {
        a.body == b.body && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
    }
}

enum PayloadJSON {
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain structs of strings and numbers cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func severityColor(_ s: Severity) -> String {
        switch s {
        case .p1: "#D0021B"
        case .p2: "#F5A623"
        case .p3: "#F8E71C"
        case .p4: "#4A90E2"
        case .none: "#9B9B9B"
        }
    }
}
