import Foundation

/// Body for Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat): `text` plus one
/// legacy attachment, which all three render.
///
/// Customer text is escaped for the receiver's markup, so a complaint cannot bring a live link,
/// image or mention into the card: Slack's mrkdwn knows only `&`, `<`, `>` as control
/// characters (`<https://x|click>`, `<!channel>`); Mattermost and Rocket.Chat render Markdown
/// (`[Acknowledge](https://…)`, `![x](tracker)`) and `@channel`.
public enum SlackMessage {
    /// Which markup the receiver renders.
    public enum Flavor: Sendable {
        /// Slack mrkdwn.
        case slack
        /// Markdown (Mattermost, Rocket.Chat).
        case markdown
    }

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

    public static func request(for n: Notification, flavor: Flavor = .slack) -> OutboundRequest {
        func escape(_ s: String) -> String { flavor == .slack ? Self.escape(s) : Self.escapeMarkdown(s) }
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
        if !n.others.isEmpty {
            let lines = n.others.map { other in
                var line = "\(escape(other.headline)) — <\(other.threadURL)|open thread>"
                if let post = other.postURL { line += " · <\(Self.escape(post))|original post>" }
                if let ack = other.ackURL { line += " · <\(ack)|acknowledge>" }
                return line
            }
            fields.append(Field(title: "Also in this group", value: lines.joined(separator: "\n"), short: false))
        }
        let post = n.postURL.map { " · <\(Self.escape($0))|original post>" } ?? ""
        let body = Body(
            text: "\(escape(n.headline)) — <\(n.threadURL)|open thread>\(post) · <\(n.ackURL)|acknowledge>",
            attachments: [Attachment(
                fallback: escape(n.headline), color: PayloadJSON.severityColor(n.severity), title: escape(n.title),
                title_link: n.threadURL, text: escape(n.excerpt), fields: fields, footer: "Outcry",
                ts: Int64(n.createdAt.timeIntervalSince1970)
            )]
        )
        return OutboundRequest(body: PayloadJSON.encode(body), headers: [("Content-Type", "application/json")])
    }

    /// Markdown (CommonMark, as Mattermost renders it) made literal: every punctuation character
    /// that can start a link, image, emphasis, code, heading, quote or HTML is backslash-escaped,
    /// and `@channel`, `@all`, `@here` no longer notify anyone.
    static func escapeMarkdown(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for ch in s {
            if "\\`*_{}[]()<>#!|~&".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return neutraliseGroupMentions(out)
    }

    /// `@channel` → `@\u{200B}channel` (a zero-width space: reads the same, pings nobody).
    static func neutraliseGroupMentions(_ s: String) -> String {
        guard s.contains("@") else { return s }
        var out = s
        for word in ["channel", "all", "here", "everyone"] {
            out = out.replacingOccurrences(of: "@" + word, with: "@\u{200B}" + word, options: .caseInsensitive)
        }
        return out
    }

    /// Slack's three control characters in message text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
