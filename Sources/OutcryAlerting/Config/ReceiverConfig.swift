import Foundation

/// Where notifications go, as written under `receivers:`. Secrets are `${NAME}` references that
/// the app resolves from the environment; this type only keeps the text.
///
/// ```yaml
/// receivers:
///   comms-slack: {type: slack, url: "${SLACK_COMMS_WEBHOOK}"}
///   intl-teams:  {type: teams, url: "${TEAMS_WEBHOOK}"}
///   crm-hook:    {type: webhook, url: "https://crm.example.org/outcry", secret: "${CRM_HOOK_SECRET}"}
///   legal-email: {type: email, to: ["legal@example.org"], from: "outcry@example.org"}
/// ```
public struct ReceiverConfig: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat).
        case slack, mattermost
        /// Microsoft Teams incoming webhook / Workflows (Adaptive Card).
        case teams
        /// Generic JSON webhook signed with HMAC-SHA256.
        case webhook
        /// E-mail over SMTP.
        case email
    }

    public var type: Kind
    public var url: String?
    /// HMAC secret for `webhook` (a `${NAME}` reference).
    public var secret: String?
    public var to: [String]?
    public var from: String?
    /// Overrides the global retry policy for this receiver.
    public var retry: RetryPolicy?
    /// Redaction for this receiver; on by default. Turn off only for an internal, access-controlled sink.
    public var redaction: RedactionPolicy?
    /// `email` only: `none` allows clear text (no STARTTLS); `required` (the default for every
    /// host but loopback) fails the send unless the connection is encrypted.
    public var tls: String?
    /// Environment variables this receiver's fields name (`${NAME}`) that are not set: the
    /// configuration still loads (reading and polling need no receiver secrets), and every
    /// notification to this receiver alone is dead-lettered with the names until they are set.
    public var missingVariables: [String] = []
    /// A Mustache file that renders this receiver's notification body (see ``NotificationTemplate``);
    /// relative to the configuration file. Nil: the built-in body.
    public var template: String?
    /// The template's text, read by the app when it loads the configuration.
    public var templateText: String?

    enum CodingKeys: String, CodingKey {
        case type, url, secret, to, from, retry, redaction, tls, template
    }

    public init(type: Kind, url: String? = nil, secret: String? = nil, to: [String]? = nil, from: String? = nil,
                retry: RetryPolicy? = nil, redaction: RedactionPolicy? = nil) {
        self.type = type
        self.url = url
        self.secret = secret
        self.to = to
        self.from = from
        self.retry = retry
        self.redaction = redaction
    }

    /// Problems with this receiver's fields, as sentences naming it.
    public func problems(name: String) -> [String] {
        var out: [String] = []
        switch type {
        case .slack, .mattermost, .teams, .webhook:
            if url?.isEmpty ?? true { out.append("receiver '\(name)': a \(type.rawValue) receiver needs url") }
            if type == .webhook, secret?.isEmpty ?? true { out.append("receiver '\(name)': a webhook receiver needs secret (e.g. \"${OUTCRY_WEBHOOK_SECRET}\")") }
            if let s = secret, !s.isEmpty, !s.hasPrefix("${") {
                out.append("receiver '\(name)': put the secret in the environment and write \"${NAME}\" here")
            }
        case .email:
            if let tls, !["none", "required"].contains(tls.lowercased()) {
                out.append("receiver '\(name)': tls should be required or none, not '\(tls)'")
            }
            if to?.isEmpty ?? true { out.append("receiver '\(name)': an email receiver needs at least one address in to") }
            if from?.isEmpty ?? true { out.append("receiver '\(name)': an email receiver needs from") }
        }
        return out
    }
}
