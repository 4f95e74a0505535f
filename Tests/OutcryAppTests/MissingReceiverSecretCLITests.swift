import Foundation
@testable import OutcryApp
import Testing

/// A receiver whose `${NAME}` is not set in the environment dead-letters only its own
/// notifications; reading commands and polling work without any receiver secret.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct MissingReceiverSecretCLITests {
    @Test func aMissingSecretDeadLettersOnlyItsReceiver() async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            // The legal route goes to `other`, whose secret is set (its sends fail on a closed port and wait to retry).
            let yaml = alertingYAML
                .replacingOccurrences(of: "  hook: {type: webhook", with: """
                      other: {type: webhook, url: "http://127.0.0.1:9/other", secret: "${OTHER_SECRET}"}
                      hook: {type: webhook
                    """)
                .replacingOccurrences(of: "urgency=~\"legal|regulator\"']\n      receiver: hook", with: "urgency=~\"legal|regulator\"']\n      receiver: other")
            #expect(yaml.contains("receiver: other"))
            try (try String(contentsOfFile: path, encoding: .utf8) + yaml).write(toFile: path, atomically: true, encoding: .utf8)
            let env = ["OUTCRY_ACK_KEY": "0123456789abcdef0123456789abcdef", "OTHER_SECRET": "0123456789abcdef0123"]  // no HOOK_SECRET

            let check = try await outcry(["config", "check"], in: dir, environment: env)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("warning: line") && check.stdout.contains("receiver 'hook': ${HOOK_SECRET} not set in the environment"), "\(check.stdout)")

            let poll = try await outcry(["poll"], in: dir, environment: env)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            for command in [["queue"], ["sources"], ["report"]] {
                let result = try await outcry(command, in: dir, environment: env)
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            let dead = try await outcry(["outbox", "--dead", "--limit", "500"], in: dir, environment: env)
            #expect(dead.status == 0)
            let rows = dead.stdout.split(separator: "\n").dropFirst()
            #expect(!rows.isEmpty, "\(dead.stdout)")
            #expect(rows.allSatisfy { $0.contains(" hook ") && $0.contains("cannot send: ${HOOK_SECRET} not set") }, "\(dead.stdout)")
            let all = try await outcry(["outbox", "--limit", "500"], in: dir, environment: env)
            #expect(all.stdout.split(separator: "\n").contains { $0.contains(" other ") && $0.contains(" pending ") }, "\(all.stdout)")
        }
    }
}
