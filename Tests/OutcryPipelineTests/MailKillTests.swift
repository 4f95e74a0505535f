import Foundation
import OutcryModel
import OutcryTestSupport
import Testing
@testable import OutcryStore

/// The built `outcry` binary (built by `swift build --build-tests`), next to the test bundle.
let outcryBinaryForMail: String? = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("outcry").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let fallback = TestDovecot.repositoryRoot.appendingPathComponent(".build/debug/outcry").path
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
}()

/// A real `outcry poll --once` killed with SIGKILL at the moment Dovecot answers its body
/// fetch (issue 13, item 7): the customer's unread mail stays unread, and the next pass takes
/// it in exactly once.
@Suite(.serialized, .timeLimit(.minutes(3))) struct MailKillTests {
    @Test func aPassKilledDuringABodyFetchLeavesTheMessageUnread() async throws {
        let binary = try #require(outcryBinaryForMail, "build the outcry binary first (swift build --build-tests)")
        try await TestDovecot.with { dovecot in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-kill-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir + "/config", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }

            let body = "My order never arrived and I want a refund. " + String(repeating: "Here is the whole story again. ", count: 8000)
            try dovecot.deliver(TestDovecot.message(id: "killed@customer.example", from: "ann@customer.example", body: body))
            #expect(try await dovecot.flags()[1]?.contains("\\Seen") == false)

            // The first pass reaches Dovecot through a proxy that stops passing bytes as soon as the
            // body's answer begins (`BODY[] {`): the process is then in the middle of the fetch.
            let proxy = try StallingProxy.start(to: dovecot.imapPort, trigger: Array("BODY[] {".utf8))
            defer { proxy.stop() }
            func config(port: Int) throws {
                try """
                    data_dir: ../data
                    sources:
                      - name: support
                        url: imap://127.0.0.1:\(port)/INBOX
                        kind: imap
                        options: { username: \(dovecot.user), password: "${OUTCRY_TEST_MAIL_PASSWORD}", tls: none }
                    """.write(toFile: dir + "/config/outcry.yaml", atomically: true, encoding: .utf8)
            }
            let env = ["OUTCRY_TEST_MAIL_PASSWORD": dovecot.password]
            try config(port: proxy.port)
            let first = try ChildProcess.spawn([binary, "poll", "--once"], in: dir, environment: env)
            let reached = await proxy.waitForTrigger(timeout: 60)
            first.kill()
            let killed = await first.exit()
            try #require(reached, "the pass never fetched the body: \(killed.stdout) \(killed.stderr)\n\(dovecot.log.suffix(2000))")
            #expect(killed.status == 128 + SIGKILL, "\(killed)")

            let flags = try await dovecot.flags()
            #expect(flags.count == 1 && flags[1]?.contains("\\Seen") == false, "the killed fetch left the message read: \(flags)")

            // The next pass, straight to Dovecot, takes it in once; the one after finds nothing new.
            try config(port: dovecot.imapPort)
            let second = try await ChildProcess.spawn([binary, "poll", "--once"], in: dir, environment: env).exit()
            #expect(second.status == 0 && second.stdout.contains("support: 1 new"), "\(second)")
            let third = try await ChildProcess.spawn([binary, "poll", "--once"], in: dir, environment: env).exit()
            #expect(third.status == 0 && !third.stdout.contains("1 new"), "\(third)")
            #expect(try await dovecot.flags()[1]?.contains("\\Seen") == false, "a later pass marked it read")

            let store = try await Store.open(directory: dir + "/data")
            let rows = try await store.sql.raw("SELECT key FROM mentions WHERE source_name = 'support'").all()
            try await store.close()
            #expect(rows.count == 1, "stored \(rows.count) times")
        }
    }
}
