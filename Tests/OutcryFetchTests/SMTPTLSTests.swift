import OutcryFetch
import OutcryTestSupport
import Testing

/// SMTP never falls back to clear text where TLS is required (issue 13, item 15). The sink on
/// 127.0.0.1 offers no STARTTLS, as a server on a hostile path would pretend.
@Suite struct SMTPTLSTests {
    @Test(.enabled(if: SMTPSink.isAvailable, "aiosmtpd is not installed: run scripts/setup.sh --test"))
    func aServerWithoutSTARTTLSGetsNothingWhenTLSIsRequired() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let smtp = SMTPClient(.init(url: "smtp://outcry:hunter2@127.0.0.1:\(sink.port)", tls: .required, timeout: 10))
        do {
            try await smtp.send(from: "outcry@example.org", to: ["legal@example.org"], message: "Subject: x\r\n\r\nsecret\r\n")
            Issue.record("the message was sent in clear text")
        } catch {
            #expect(error.kind == .tls, "\(error)")
            #expect(error.description.contains("does not offer TLS") && error.description.contains("`tls: none`"), "\(error)")
            #expect(!error.description.contains("hunter2"), "\(error)")
        }
        #expect(sink.messages().isEmpty)

        // Loopback without a tls setting keeps today's behaviour: STARTTLS if offered, else clear text.
        let local = SMTPClient(.init(url: "smtp://127.0.0.1:\(sink.port)", timeout: 10))
        try await local.send(from: "outcry@example.org", to: ["legal@example.org"], message: "Subject: y\r\n\r\nhello\r\n")
        #expect(try await sink.waitForMessages(1).count == 1)
    }
}
