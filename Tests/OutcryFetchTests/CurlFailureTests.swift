import CCurl
@testable import OutcryFetch
import Testing

@Suite struct CurlFailureTests {
    /// HTTP and mailbox transfers name a transport failure the same way for every libcurl code
    /// neither protocol reads its own way (the mailbox side used to call a cipher or pinned-key
    /// failure "other" where HTTP said TLS).
    @Test func httpAndMailNameTransportFailuresAlike() {
        let request = FetchRequest(url: "https://example.org/feed")
        let protocolOwn: Set<UInt32> = [
            CURLE_TOO_MANY_REDIRECTS, CURLE_FILESIZE_EXCEEDED, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_FILE_COULDNT_READ_FILE,
            CURLE_LOGIN_DENIED, CURLE_REMOTE_FILE_NOT_FOUND, CURLE_QUOTE_ERROR, CURLE_WEIRD_SERVER_REPLY,
        ].reduce(into: []) { $0.insert($1.rawValue) }
        var transport = 0
        for raw in UInt32(1)..<UInt32(100) where !protocolOwn.contains(raw) {
            let code = CURLcode(rawValue: raw)
            let http = CurlTransfer.errorCode(for: code, request: request)
            let mail = MailTransfer.errorCode(for: code)
            switch (http, mail) {
            case (.invalidURL, .invalidURL), (.resolve, .resolve), (.connect, .connect), (.timeout, .timeout), (.tls, .tls),
                 (.connectionReset, .connectionReset):
                transport += 1
            case (.other(let a, let x), .other(let b, let y)):
                #expect(a == b && x == y && a == Int(raw))
            default:
                Issue.record("curl code \(raw): HTTP says \(http), mail says \(mail)")
            }
        }
        #expect(transport >= 20)
        #expect(MailTransfer.errorCode(for: CURLE_SSL_CIPHER) == .tls && MailTransfer.errorCode(for: CURLE_SSL_PINNEDPUBKEYNOTMATCH) == .tls)
        #expect(CurlTransfer.errorCode(for: CURLE_TOO_MANY_REDIRECTS, request: request) == .tooManyRedirects(limit: request.maxRedirects))
        #expect(MailTransfer.errorCode(for: CURLE_LOGIN_DENIED) == .loginDenied)
    }

    /// Both errors describe themselves as "URL: what (detail)" with the secrets of the URL and of
    /// any URL in the detail masked.
    @Test func bothDescriptionsMaskTheirURLs() {
        let fetch = FetchError(.timeout, url: "https://feeds.example.org/rss?token=s3cret", detail: "after https://u:pw@example.org/x")
        let mail = MailError(.timeout, url: "imaps://ann:pw@mail.example.org/INBOX", detail: "")
        #expect(!fetch.description.contains("s3cret") && !fetch.description.contains(":pw@") && fetch.description.contains(": timed out ("))
        #expect(!mail.description.contains(":pw@") && mail.description.hasSuffix(": timed out"))
    }
}
