import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

@Suite struct MailKindTests {
    @Test(arguments: [
        (["From: a@x.com", "Auto-Submitted: auto-replied", "Subject: Re: help"], MailKind.autoReply),
        (["From: a@x.com", "Auto-Submitted: no", "Subject: help"], .customer),
        (["From: a@x.com", "X-Autoreply: yes", "Subject: help"], .autoReply),
        (["From: a@x.com", "X-Autorespond: yes", "Subject: help"], .autoReply),
        (["From: a@x.com", "Precedence: auto_reply", "Subject: help"], .autoReply),
        (["From: a@x.com", "Subject: Out of Office: Re: help"], .autoReply),
        (["From: a@x.com", "Subject: Automatic reply: help"], .autoReply),
        (["From: a@x.com", "Subject: Abwesenheitsnotiz: Hilfe"], .autoReply),
        (["From: a@x.com", "Subject: Réponse automatique : aide"], .autoReply),
        (["From: a@x.com", "Precedence: bulk", "Subject: newsletter"], .list),
        (["From: a@x.com", "Precedence: list", "Subject: digest"], .list),
        (["From: Mail Delivery Subsystem <MAILER-DAEMON@x.com>", "Subject: Returned mail"], .bounce),
        (["From: postmaster@x.com", "Subject: Undeliverable: help"], .bounce),
        (["From: a@x.com", "X-Failed-Recipients: b@y.com", "Subject: failure"], .bounce),
        (["From: a@x.com", "Subject: My order is late, out of patience"], .customer),
    ])
    func headerRules(headers: [String], expected: MailKind) {
        let mail = parseMail(headers + ["", "body"])
        #expect(mail.kind == expected)
        #expect((mail.kindReason == nil) == (expected == .customer))
    }

    @Test func deliveryStatusReportIsABounce() {
        let mail = parseMail([
            "From: postmaster@x.com", "Content-Type: multipart/report; report-type=delivery-status; boundary=r", "",
            "--r", "Content-Type: text/plain", "", "Delivery failed.", "--r", "Content-Type: message/delivery-status", "",
            "Reporting-MTA: dns; x.com", "", "Final-Recipient: rfc822; b@y.com", "Action: failed", "--r--",
        ])
        #expect(mail.kind == .bounce)
        #expect(mail.kindReason == "multipart/report; report-type=delivery-status")
        #expect(mail.attachments.map(\.contentType) == ["message/delivery-status"])
    }

    @Test func abuseReportIsAFeedbackReport() {
        let mail = parseMail([
            "From: fbl@isp.example", "Content-Type: multipart/report; report-type=feedback-report; boundary=r", "",
            "--r", "Content-Type: text/plain", "", "Abuse report.", "--r", "Content-Type: message/feedback-report", "",
            "Feedback-Type: abuse", "--r", "Content-Type: message/rfc822", "", "Subject: spam", "", "spam", "--r--",
        ])
        #expect(mail.kind == .feedbackReport)
    }

    @Test func mentionFromMail() {
        let mail = parseMail([
            "From: \"Anne Person\" <anne@example.com>", "Subject: Broken", "Message-ID: <m1@example.com>",
            "In-Reply-To: <m0@shop.com>", "References: <m0@shop.com>", "Date: Tue, 2 Jan 2024 10:00:00 +0000", "",
            "It broke.", "", "On Mon, Shop <s@shop.com> wrote:", "> fixed",
        ])
        let fetched = Date(timeIntervalSince1970: 1_704_200_000)
        let mention = mail.mention(sourceName: "inbox", fetchedAt: fetched)
        #expect(mention.channel == .mail)
        #expect(mention.key == "m1@example.com")
        #expect(mention.text == "It broke.")
        #expect(mention.title == "Broken")
        #expect(mention.authorName == "Anne Person")
        #expect(mention.authorEmail == "anne@example.com")
        #expect(mention.inReplyTo == "m0@shop.com")
        #expect(mention.references == ["m0@shop.com"])
        #expect(mention.publishedAt == Date(timeIntervalSince1970: 1_704_189_600))

        let noID = parseMail(["From: a@x.com", "", "hello"]).mention(sourceName: "inbox", fetchedAt: fetched)
        #expect(noID.key.hasPrefix("hash:"))
        #expect(noID.key == parseMail(["From: a@x.com", "", "hello"]).mention(sourceName: "inbox", fetchedAt: fetched).key)
    }

    @Test func jsonFollowsTheContract() throws {
        let mail = parseMail(MailFixtures.simple)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(mail)) as? [String: Any]
        let keys = Set(object?.keys.map { $0 } ?? [])
        #expect(keys == ["message_id", "in_reply_to", "references", "from", "to", "cc", "reply_to", "subject", "date", "text",
                         "html", "attachments", "defects", "new_text", "kind", "kind_reason"])
        let from = object?["from"] as? [String: Any]
        #expect(from?["email"] as? String == "anne@example.com")
        #expect(from?["name"] is NSNull)
        #expect(object?["date"] as? String == "2024-01-02T10:00:00+01:00")
    }
}

enum MailFixtures {
    static let simple = ["From: anne@example.com", "Date: Tue, 2 Jan 2024 10:00:00 +0100", "Subject: hi", "", "hello"]
}
