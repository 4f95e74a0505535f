import Foundation
import Mustache

/// A receiver's own notification body, written by the operator as a Mustache template
/// (`receivers.X.template: FILE`), in the manner of Alertmanager's templates. Without one, the
/// built-in renderers (`SlackMessage`, `TeamsMessage`, `WebhookMessage`, `EmailMessage`) are used
/// unchanged.
///
/// For chat and webhook receivers the template renders the JSON body: every `{{value}}` is
/// escaped for a JSON string (and, for Slack and Mattermost, for their link syntax), and the
/// result must be valid JSON, else the send fails with the reason. For e-mail it renders the
/// plain-text body (sent as `text/plain`, without the HTML part).
///
/// ```mustache
/// {"text": "{{headline}} — {{thread_url}}{{#post_url}} · {{post_url}}{{/post_url}}{{#others}}\n{{headline}}{{/others}}"}
/// ```
///
/// The values: `id`, `kind`, `receiver`, `title`, `headline`, `severity`, `brand`, `channel`,
/// `source`, `urgency` (list), `reasons` (list), `excerpt`, `contact` (`name`, `url`,
/// `confidence_percent`, `basis`), `thread_url`, `post_url`, `ack_url`, `ack_expires_at`,
/// `others` (list of `headline`, `severity`, `thread_url`, `post_url`, `ack_url`), `created_at`.
public struct NotificationTemplate: Sendable {
    public let kind: ReceiverConfig.Kind
    let template: MustacheTemplate

    /// Parses the template for a receiver of `kind`; throws ``AlertingConfigError`` with the reason.
    public init(_ text: String, for kind: ReceiverConfig.Kind) throws {
        self.kind = kind
        _ = Self.registerContentTypes
        let pragma = kind == .email ? "{{% CONTENT_TYPE: TEXT}}" : "{{% CONTENT_TYPE: \(Self.jsonContentType(for: kind))}}"
        do {
            template = try MustacheTemplate(string: pragma + text)
        } catch {
            throw AlertingConfigError("the template does not parse: \(error)")
        }
    }

    /// The body for one notification; for a JSON receiver, an error when it is not valid JSON.
    public func render(_ n: Notification) throws -> String {
        let text = template.render(Self.values(n))
        if kind != .email {
            guard (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) is [String: Any] else {
                throw AlertingConfigError("the \(kind.rawValue) template did not render a JSON object")
            }
        }
        return text
    }

    /// The request a chat or webhook receiver gets from this template (signed for a webhook).
    public func request(for n: Notification, secret: [UInt8]?, now: Date) throws -> OutboundRequest {
        let body = Data(try render(n).utf8)
        var headers = [("Content-Type", "application/json")]
        if kind == .webhook, let secret {
            let timestamp = String(Int64(now.timeIntervalSince1970))
            headers += [
                ("User-Agent", "Outcry"), (WebhookMessage.timestampHeader, timestamp),
                (WebhookMessage.signatureHeader, "sha256=" + WebhookMessage.signature(secret: secret, timestamp: timestamp, body: body)),
                ("Idempotency-Key", n.id),
            ]
        }
        return OutboundRequest(body: body, headers: headers)
    }

    /// The values a template sees, named like the webhook's JSON keys.
    static func values(_ n: Notification) -> [String: Any] {
        let iso = ISO8601DateFormatter()
        var values: [String: Any] = [
            "id": n.id, "kind": n.kind.rawValue, "receiver": n.receiver, "title": n.title, "headline": n.headline,
            "severity": n.severity.rawValue, "channel": n.channel.rawValue, "source": n.source,
            "urgency": n.urgency.map(\.rawValue), "reasons": n.reasons, "excerpt": n.excerpt,
            "thread_url": n.threadURL, "ack_url": n.ackURL, "ack_expires_at": iso.string(from: n.ackExpiresAt),
            "created_at": iso.string(from: n.createdAt),
            "others": n.others.map { other -> [String: Any] in
                var entry: [String: Any] = ["headline": other.headline, "severity": other.severity.rawValue, "thread_url": other.threadURL]
                if let post = other.postURL { entry["post_url"] = post }
                if let ack = other.ackURL { entry["ack_url"] = ack }
                return entry
            },
        ]
        if let brand = n.brand { values["brand"] = brand }
        if let post = n.postURL { values["post_url"] = post }
        if let c = n.contact {
            var contact: [String: Any] = ["url": c.url, "confidence_percent": Int((c.confidence * 100).rounded())]
            if let name = c.name { contact["name"] = name }
            if let basis = c.basis { contact["basis"] = basis }
            values["contact"] = contact
        }
        return values
    }

    static func jsonContentType(for kind: ReceiverConfig.Kind) -> String {
        switch kind {
        case .slack: "OUTCRY_SLACK_JSON"
        case .mattermost: "OUTCRY_MATTERMOST_JSON"
        case .teams: "OUTCRY_TEAMS_JSON"
        default: "OUTCRY_JSON"
        }
    }

    /// Registered once, before the first template is parsed.
    static let registerContentTypes: Void = {
        MustacheContentTypes.register(JSONText(markup: { $0 }), named: "OUTCRY_JSON")
        MustacheContentTypes.register(JSONText(markup: SlackMessage.escape), named: "OUTCRY_SLACK_JSON")
        MustacheContentTypes.register(JSONText(markup: SlackMessage.escapeMarkdown), named: "OUTCRY_MATTERMOST_JSON")
        MustacheContentTypes.register(JSONText(markup: TeamsMessage.escape), named: "OUTCRY_TEAMS_JSON")
    }()

    /// Text inside a JSON string: first made inert for the chat's own markup, then JSON-escaped
    /// (quotes, backslashes, control characters), so customer text can never end the string.
    struct JSONText: MustacheContentType {
        let markup: @Sendable (String) -> String

        func escapeText(_ text: String) -> String {
            var out = ""
            for scalar in markup(text).unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<": out += "\\u003c"
                case ">": out += "\\u003e"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                        out += String(format: "\\u%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out
        }
    }
}
