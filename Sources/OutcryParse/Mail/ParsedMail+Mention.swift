import Foundation
import OutcryModel

extension ParsedMail {
    /// The mention this mail becomes: channel `.mail`, keyed by its Message-ID (else a hash
    /// of sender, date, subject and text), text = the sender's new words, author from `From`.
    ///
    /// ```swift
    /// let mention = MailParser.parse(bytes).mention(sourceName: "support-inbox", fetchedAt: .now)
    /// ```
    public func mention(sourceName: String, fetchedAt: Date) -> Mention {
        let key: String
        if let messageID, !messageID.isEmpty {
            key = messageID
        } else {
            let material = [from?.email ?? "", date?.iso8601 ?? "", subject ?? "", text].joined(separator: "\u{1F}")
            key = "hash:" + StableHash.hex(of: material)
        }
        return Mention(
            sourceName: sourceName, channel: .mail, key: key, title: subject, text: newText, html: nil,
            authorName: from?.name, authorHandle: from?.email, authorEmail: from?.email.isEmpty == false ? from?.email : nil,
            publishedAt: date?.date, fetchedAt: fetchedAt, inReplyTo: inReplyTo, references: references
        )
    }
}
