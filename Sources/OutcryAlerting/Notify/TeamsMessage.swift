import Foundation

/// Body for Microsoft Teams incoming webhooks / Workflows: a message with one Adaptive Card (1.4).
///
/// TextBlocks and facts render a Markdown subset (emphasis, lists, `[text](url)` links): customer
/// text is escaped so a complaint cannot bring a live link (`[Acknowledge](https://phish…)`),
/// image or reference link into the card.
public enum TeamsMessage {
    public static func request(for n: Notification) -> OutboundRequest {
        let e = escape
        var facts: [[String: String]] = [
            ["title": "Severity", "value": n.severity.rawValue],
            ["title": "Channel", "value": "\(n.channel.rawValue) · \(e(n.source))"],
        ]
        if let brand = n.brand { facts.append(["title": "Brand", "value": e(brand)]) }
        if !n.urgency.isEmpty { facts.append(["title": "Urgency", "value": n.urgency.map(\.rawValue).joined(separator: ", ")]) }
        if let line = n.contactLine { facts.append(["title": "Contact", "value": e(line)]) }

        var body: [CardElement] = [
            .text(TextBlock(text: e(n.headline), weight: "Bolder", size: "Medium", color: n.severity == .p1 ? "Attention" : "Default")),
            .facts(FactSet(facts: facts.map { Fact(title: $0["title"]!, value: $0["value"]!) })),
            .text(TextBlock(text: e(n.excerpt), isSubtle: true)),
        ]
        if !n.reasons.isEmpty {
            body.append(.text(TextBlock(text: n.reasons.map { "- " + e($0) }.joined(separator: "\n"))))
        }
        if !n.others.isEmpty {
            let lines = n.others.map { other in
                var line = "- \(e(other.headline)) — [open thread](\(other.threadURL))"
                if let post = other.postURL { line += " · [original post](\(post))" }
                if let ack = other.ackURL { line += " · [acknowledge](\(ack))" }
                return line
            }
            body.append(.text(TextBlock(text: "Also in this group:\n" + lines.joined(separator: "\n"))))
        }
        var actions = [OpenURL(title: "Open thread", url: n.threadURL)]
        if let post = n.postURL { actions.append(OpenURL(title: "Original post", url: post)) }
        actions.append(OpenURL(title: "Acknowledge", url: n.ackURL))
        let card = AdaptiveCard(body: body, actions: actions)
        let message = Message(attachments: [Attachment(content: card)])
        return OutboundRequest(body: PayloadJSON.encode(message), headers: [("Content-Type", "application/json")])
    }

    /// Customer text made inert in an Adaptive Card: Teams does not honour backslash escapes
    /// everywhere (they would show), so the syntax itself is broken with a zero-width space where
    /// a link, an image or a reference definition would form (`](`, `][`, `]:`, `![`). The text
    /// reads the same; emphasis is left alone (it changes no target).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        var previous: Character?
        for ch in s {
            if previous == "]", ch == "(" || ch == "[" || ch == ":" { out.append("\u{200B}") }
            if previous == "!", ch == "[" { out.append("\u{200B}") }
            out.append(ch)
            previous = ch
        }
        return out
    }

    struct Message: Encodable {
        var type = "message"
        var attachments: [Attachment]
    }

    struct Attachment: Encodable {
        var contentType = "application/vnd.microsoft.card.adaptive"
        var contentUrl: String? = nil
        var content: AdaptiveCard
    }

    struct AdaptiveCard: Encodable {
        var schema = "http://adaptivecards.io/schemas/adaptive-card.json"
        var type = "AdaptiveCard"
        var version = "1.4"
        var body: [CardElement]
        var actions: [OpenURL]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", type, version, body, actions
        }
    }

    enum CardElement: Encodable {
        case text(TextBlock)
        case facts(FactSet)

        func encode(to encoder: Encoder) throws {
            switch self {
            case .text(let t): try t.encode(to: encoder)
            case .facts(let f): try f.encode(to: encoder)
            }
        }
    }

    struct TextBlock: Encodable {
        var type = "TextBlock"
        var text: String
        var wrap = true
        var weight: String? = nil
        var size: String? = nil
        var color: String? = nil
        var isSubtle: Bool? = nil
    }

    struct FactSet: Encodable {
        var type = "FactSet"
        var facts: [Fact]
    }

    struct Fact: Encodable {
        var title: String
        var value: String
    }

    struct OpenURL: Encodable {
        var type = "Action.OpenUrl"
        var title: String
        var url: String
    }
}
