import Foundation
import Testing
@testable import OutcryModel

// Issue 13, item 12: URLs are shown, logged and stored with their secrets masked.
@Suite struct SecretMaskingTests {
    @Test(arguments: [
        ("https://feeds.example.org/rss?token=abc123&page=2", "https://feeds.example.org/rss?token=***&page=2"),
        ("https://x.example/f?API_KEY=1&q=refund&sig=zz&X-Amz-Signature=ff&private_token=p",
         "https://x.example/f?API_KEY=***&q=refund&sig=***&X-Amz-Signature=***&private_token=***"),
        ("https://x.example/cb#access_token=abc&state=1", "https://x.example/cb#access_token=***&state=1"),
        ("smtp://alerts:s3cret@mail.example.org:587", "smtp://alerts:***@mail.example.org:587"),
        ("imaps://support@mail.example.org/INBOX", "imaps://support@mail.example.org/INBOX"),
        ("https://ghp_0123456789abcdefghij@git.example/x", "https://***@git.example/x"),
        ("https://hooks.slack.com/services/T000/B000/XXXXXXXX", "https://hooks.slack.com/services/***"),
        ("https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456", "https://acme.webhook.office.com/webhookb2/***"),
        ("https://chat.example.org/hooks/xx1234", "https://chat.example.org/hooks/***"),
        ("https://discord.com/api/webhooks/123/tok", "https://discord.com/api/webhooks/***"),
        ("https://example.org/feed.xml?keyword=refund", "https://example.org/feed.xml?keyword=refund"),
        ("not a url", "not a url"),
    ])
    func maskURL(_ input: String, _ expected: String) {
        #expect(SecretMasking.maskURL(input) == expected)
    }

    @Test func urlsInsideErrorTextAreMaskedAndTheRestKept() {
        let text = "HTTP 404 from https://hooks.slack.com/services/T0/B0/SECRET. Retrying (https://feeds.example.org/rss?token=abc), see 'smtp://u:pw@mail.example:25'"
        #expect(SecretMasking.maskSecrets(inText: text)
            == "HTTP 404 from https://hooks.slack.com/services/***. Retrying (https://feeds.example.org/rss?token=***), see 'smtp://u:***@mail.example:25'")
        #expect(SecretMasking.maskSecrets(inText: "no url here") == "no url here")
        // Masking twice changes nothing more.
        let once = SecretMasking.maskSecrets(inText: text)
        #expect(SecretMasking.maskSecrets(inText: once) == once)
    }

    /// The quick check before the pattern: "://" anywhere, by bytes, as `String.contains` said.
    @Test(arguments: ["://", "x://", "a:/", ":/", "a: //", "ab", "", "fin :/", "é://ü", "日本://", "ftp:/x://y", "a:\u{301}//"])
    func schemeSeparatorCheckAgreesWithContains(_ text: String) {
        #expect(SecretMasking.hasSchemeSeparator(text) == text.contains("://"))
    }
}
