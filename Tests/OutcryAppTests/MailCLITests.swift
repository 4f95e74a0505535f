import Foundation
import OutcryTestSupport
import Testing

/// `outcry poll --once` and `outcry sources` over real mailboxes (a Dovecot started by the test
/// through scripts/dovecot.sh; the test fails, saying so, when Dovecot is not installed).
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct MailCLITests {
    @Test func sourcesShowsAMailboxsCursorQuarantineAndLastError() async throws {
        try await TestDovecot.with { dovecot in try await withTemporaryDirectory { dir in
            try dovecot.deliver("X-Junk: nothing here\r\n\r\n\r\n")
            try dovecot.deliver(TestDovecot.message(id: "s1@customer.example", from: "ann@customer.example", body: "My parcel never arrived."))
            let config = (dir as NSString).appendingPathComponent("config")
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            try """
                data_dir: ../data
                sources:
                  - name: support
                    url: \(dovecot.imapURL())
                    kind: imap
                    options: { username: \(dovecot.user), password: "${OUTCRY_TEST_MAIL_PASSWORD}", tls: none }
                  - name: old-box
                    url: \(dovecot.pop3URL)
                    kind: pop3
                    options: { username: \(dovecot.user), password: "${OUTCRY_TEST_WRONG_PASSWORD}", tls: none }
                """.write(toFile: (config as NSString).appendingPathComponent("outcry.yaml"), atomically: true, encoding: .utf8)
            let env = ["OUTCRY_TEST_MAIL_PASSWORD": dovecot.password, "OUTCRY_TEST_WRONG_PASSWORD": "not-the-password"]
            #expect(try await outcry(["config", "check"], in: dir, environment: env).status == 0)

            let poll = try await outcry(["poll", "--once"], in: dir, environment: env)
            #expect(poll.status == 1, "old-box fails: \(poll.stdout)\(poll.stderr)")
            #expect(poll.stdout.contains("support: 1 new"), "\(poll.stdout)")
            #expect(poll.stdout.contains("1 message quarantined"), "\(poll.stdout)")

            let sources = try await outcry(["sources"], in: dir, environment: env)
            #expect(sources.status == 0, "\(sources.stderr)")
            let text = sources.stdout
            #expect(text.contains("MAILBOXES"), "\(text)")
            let validity = try #require(try await dovecot.uidValidity())
            let support = try #require(text.components(separatedBy: "\nsupport (").last, "\(text)")
            #expect(support.contains("cursor INBOX: UIDVALIDITY \(validity), last UID 2"), "\(text)")
            #expect(support.contains("last error: none"), "\(text)")
            #expect(support.contains("quarantine: 1 message:"), "\(text)")
            #expect(support.contains("INBOX UID 1: unreadable: no sender and no text"), "\(text)")
            let oldBox = try #require(text.components(separatedBy: "\nold-box (").last?.components(separatedBy: "\nsupport (").first, "\(text)")
            #expect(oldBox.contains("last error (1 in a row):") && oldBox.contains("login refused"), "\(text)")
            #expect(oldBox.contains("quarantine: 0 messages"), "\(text)")
            #expect(!text.contains("not-the-password") && !text.contains(dovecot.password), "a password was printed: \(text)")
        } }
    }
}
