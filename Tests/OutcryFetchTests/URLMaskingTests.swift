import OutcryFetch
import Testing

@Suite struct URLMaskingTests {
    @Test(arguments: [
        ("https://feeds.example.com/x.xml?user=ann&token=s3cr3t", "https://feeds.example.com/x.xml?user=ann&token=***"),
        ("https://api.example.com/v1?api_key=abc&q=refund&sig=deadbeef", "https://api.example.com/v1?api_key=***&q=refund&sig=***"),
        ("https://s3.example.com/f?X-Amz-Signature=ff00&X-Amz-Credential=AKIA", "https://s3.example.com/f?X-Amz-Signature=***&X-Amz-Credential=***"),
        ("https://x.example/?access_token=t1#id_token=t2", "https://x.example/?access_token=***#id_token=***"),
        ("https://x.example/?Password=p&keywords=late&monkey=1", "https://x.example/?Password=***&keywords=late&monkey=1"),
        ("smtp://outcry:hunter2@mail.example.com:587", "smtp://outcry:***@mail.example.com:587"),
        ("https://ghp_token123@example.com/feed", "https://***@example.com/feed"),
        ("https://hooks.slack.com/services/T000/B000/XXXXXXXX", "https://hooks.slack.com/services/***"),
        ("https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456", "https://contoso.webhook.office.com/webhookb2/***"),
        ("https://chat.example.com/hooks/xyz123", "https://chat.example.com/hooks/***"),
        ("https://discord.com/api/webhooks/1/tok", "https://discord.com/api/webhooks/***"),
        ("https://feeds.example.com/rss.xml", "https://feeds.example.com/rss.xml"),
        ("not a url", "not a url"),
    ])
    func secretsAreMasked(url: String, masked: String) {
        #expect(URLMasking.mask(url) == masked)
    }

    @Test func urlsInsideATextAreMasked() {
        let text = "HTTP 500 from https://hooks.slack.com/services/T0/B0/X1 (retry https://x.example/?token=t)"
        #expect(URLMasking.maskURLs(in: text) == "HTTP 500 from https://hooks.slack.com/services/*** (retry https://x.example/?token=***)")
    }

    @Test func fetchAndMailErrorsShowNoSecret() {
        let fetch = FetchError(.timeout, url: "https://feeds.example.com/f?token=s3cr3t", detail: "Operation timed out for https://a.example/?key=k2")
        #expect(!fetch.description.contains("s3cr3t") && !fetch.description.contains("k2"), "\(fetch)")
        #expect(fetch.description.contains("https://feeds.example.com/f?token=***"))
        let mail = MailError(.connect, url: "imaps://u:pw@mail.example.com")
        #expect(!mail.description.contains("pw@"), "\(mail)")
    }

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("[::1]", "loopback"),
        ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"), ("10.1.2.3", "private (10.0.0.0/8)"),
        ("172.16.0.1", "private (172.16.0.0/12)"), ("172.31.255.255", "private (172.16.0.0/12)"), ("192.168.1.1", "private (192.168.0.0/16)"),
        ("fc00::1", "private (unique local)"), ("fd12:3456::1", "private (unique local)"), ("0.0.0.0", "this network (0.0.0.0/8)"),
        ("100.64.0.1", "shared (CGNAT 100.64.0.0/10)"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private (10.0.0.0/8)"), ("::", "unspecified"),
    ])
    func internalAddressesAreRecognised(ip: String, kind: String) {
        #expect(InternalAddress.kind(of: ip) == kind)
    }

    @Test(arguments: ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "example.com"])
    func publicAddressesAreNot(ip: String) {
        #expect(InternalAddress.kind(of: ip) == nil)
    }

    @Test func smtpRequiresTLSForEveryHostButLoopback() {
        #expect(SMTPClient.Settings(url: "smtp://mail.example.com:587").tlsUse == .all)
        #expect(SMTPClient.Settings(url: "smtp://10.0.0.5:25").tlsUse == .all)
        #expect(SMTPClient.Settings(url: "smtps://mail.example.com").tlsUse == .all)
        #expect(SMTPClient.Settings(url: "smtp://mail.example.com:25", tls: SMTPClient.TLS.none).tlsUse == .none)
        #expect(SMTPClient.Settings(url: "smtp://127.0.0.1:2525").tlsUse == .tryIt)
        #expect(SMTPClient.Settings(url: "smtp://localhost:25").tlsUse == .tryIt)
        #expect(SMTPClient.Settings(url: "smtp://[::1]:25").tlsUse == .tryIt)
        #expect(SMTPClient.Settings(url: "smtp://127.0.0.1:2525", tls: .required).tlsUse == .all)
    }
}
