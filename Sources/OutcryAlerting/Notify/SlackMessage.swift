import Foundation

/// Body for Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat): `text` plus one
/// legacy attachment, which all three render.
public enum SlackMessage {
    struct Body: Encodable {
        var text: String
        var attachments: [Attachment]
    }

    struct Attachment: Encodable {
        var fallback: String
        var color: String
        var title: String
        var title_link: String
        var text: String
        var fields: [Field]
        var footer: String
        var ts: Int64
    }

    struct Field: Encodable {
        var title: String
        var value: String
        var short: Bool
    }

    public static func request(for n: Notification) -> OutboundRequest {
        var fields = [
            Field(title: "Severity", value: n.severity.rawValue, short: true),
            Field(title: "Channel", value: "\(n.channel.rawValue) · \(escape(n.source))", short: true),
        ]
        if !n.urgency.isEmpty {
            fields.append(Field(title: "Urgency", value: n.urgency.map(\.rawValue).joined(separator: ", "), short: true))
        }
        if !n.reasons.isEmpty {
            fields.append(Field(title: "Why", value: n.reasons.map { "• " + escape($0) }.joined(separator: "\n"), short: false))
        }
        if let c = n.contact {
            let pct = Int((c.confidence * 100).rounded())
            fields.append(Field(title: "Contact", value: "<\(c.url)|\(escape(c.name ?? "contact"))> (confidence \(pct)%)", short: false))
        }
        if !n.alsoInGroup.isEmpty {
            fields.append(Field(title: "Also in this group", value: n.alsoInGroup.map(escape).joined(separator: "\n"), short: false))
        }
        let body = Body(
            text: "\(escape(n.headline)) — <\(n.threadURL)|open thread> · <\(n.ackURL)|acknowledge>",
            attachments: [Attachment(
                fallback: escape(n.headline), color: PayloadJSON.severityColor(n.severity), title: escape(n.title),
                title_link: n.threadURL, text: escape(n.excerpt), fields: fields, footer: "Outcry",
                ts: Int64(n.createdAt.timeIntervalSince1970)
            )]
        )
        return OutboundRequest(body: PayloadJSON.encode(body), headers: [("Content-Type", "application/json")])
    }

    /// Slack's three control characters in message text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
