import Foundation

/// What a mail message says, ready for scoring and threading; the output of ``MailParser``.
///
/// Encodes to the `outcry parse mail` contract (DESIGN.md, "Contracts"):
/// `message_id`, `in_reply_to`, `references[]`, `from`, `to[]`, `cc[]`, `reply_to`,
/// `subject`, `date`, `text`, `html`, `attachments[]`, `defects[]`, plus `new_text`,
/// `kind` and `kind_reason`. Addresses are `{"name": String|null, "email": String}`;
/// message ids are written without angle brackets; `date` is ISO 8601 with the sender's
/// UTC offset (`Z` for `-0000`); `defects` are strings, `"Code (part 1.2): detail"`.
public struct ParsedMail: Sendable, Equatable {
    public var messageID: String?
    public var inReplyTo: String?
    public var references: [String] = []
    public var from: MailAddress?
    public var to: [MailAddress] = []
    public var cc: [MailAddress] = []
    public var replyTo: MailAddress?
    /// Decoded, unfolded, trimmed.
    public var subject: String?
    public var date: MailDate?
    /// The best plain text: the first `text/plain` body part, else the first `text/html`
    /// turned into text (the body Python's `get_body(('plain', 'html'))` picks); LF line ends.
    public var text: String = ""
    /// The first `text/html` body part, as sent (not sanitised).
    public var html: String?
    public var attachments: [MailAttachment] = []
    public var defects: [MailDefect] = []
    /// The customer's own words: `text` without quoted replies, forwarded history and signature.
    public var newText: String = ""
    public var kind: MailKind = .customer
    /// Why `kind` is not `customer` (the header, type or pattern that decided it).
    public var kindReason: String?
    /// All header fields of the message, for whoever needs more.
    public var headers = MailHeaders()

    public init() {}
}

/// An attachment, recorded by name, type and decoded size; its content is not kept.
public struct MailAttachment: Sendable, Equatable, Codable {
    public var filename: String?
    public var contentType: String
    public var size: Int

    public init(filename: String?, contentType: String, size: Int) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(filename, forKey: .filename)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(size, forKey: .size)
    }

    enum CodingKeys: String, CodingKey {
        case filename
        case contentType = "content_type"
        case size
    }
}

/// Who (or what) sent a message. Only `customer` mail is scored as a possible complaint.
public enum MailKind: String, Sendable, Equatable, Codable {
    case customer
    /// Out-of-office and other automatic answers (`Auto-Submitted`, `X-Autoreply`, …).
    case autoReply = "auto_reply"
    /// Delivery failure or delay reports (DSN, mailer-daemon).
    case bounce
    /// Abuse/spam complaint reports in the Abuse Reporting Format (RFC 5965).
    case feedbackReport = "feedback_report"
    /// Bulk and list mail (`Precedence: bulk|junk|list`).
    case list
}

extension ParsedMail: Encodable {
    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", inReplyTo = "in_reply_to", references, from, to, cc, replyTo = "reply_to"
        case subject, date, text, html, attachments, defects, newText = "new_text", kind, kindReason = "kind_reason"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messageID, forKey: .messageID)
        try c.encode(inReplyTo, forKey: .inReplyTo)
        try c.encode(references, forKey: .references)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(cc, forKey: .cc)
        try c.encode(replyTo, forKey: .replyTo)
        try c.encode(subject, forKey: .subject)
        try c.encode(date?.iso8601, forKey: .date)
        try c.encode(text, forKey: .text)
        try c.encode(html, forKey: .html)
        try c.encode(attachments, forKey: .attachments)
        try c.encode(defects.map(\.description), forKey: .defects)
        try c.encode(newText, forKey: .newText)
        try c.encode(kind, forKey: .kind)
        try c.encode(kindReason, forKey: .kindReason)
    }
}
