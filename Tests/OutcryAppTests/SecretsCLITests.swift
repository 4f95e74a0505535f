import Foundation
import Testing
@testable import OutcryApp

// Issue 13, items 11 and 12 through the real binary: a feed token never reaches `poll --once`
// output or `outcry sources`; `config check` prints its warnings; the data directory is private.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct SecretsCLITests {
    static let config = """
        data_dir: ../data
        sources:
          - name: private-feed
            url: "http://127.0.0.1:9/feed.xml?token=SUPERSECRETTOKEN&page=1"
            kind: feed
        web:
          listen: 0.0.0.0:8080
        routes: {receiver: chat}
        receivers:
          chat: {type: slack, url: "https://hooks.slack.com/services/T000/B000/SLACKSECRETPATH"}

        """

    @Test func aFeedTokenNeverReachesTheOutputAndTheDataDirectoryIsPrivate() async throws {
        try await withTemporaryDirectory { dir in
            let configDir = (dir as NSString).appendingPathComponent("config")
            try FileManager.default.createDirectory(atPath: configDir, withIntermediateDirectories: true)
            try Self.config.write(toFile: (configDir as NSString).appendingPathComponent("outcry.yaml"), atomically: true, encoding: .utf8)

            let check = try await outcry(["config", "check"], in: dir)
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("warning: line 10: receiver 'chat': the slack webhook URL is written in clear"), "\(check.stdout)")
            #expect(check.stdout.contains("warning: line 7: web.listen is 0.0.0.0:8080"), "\(check.stdout)")
            #expect(!check.stdout.contains("SLACKSECRETPATH"))

            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 1)
            #expect(poll.stdout.contains("FAILED  private-feed") && poll.stdout.contains("token=***"), "\(poll.stdout)")
            let sources = try await outcry(["sources"], in: dir)
            for output in [poll.stdout, poll.stderr, sources.stdout, sources.stderr] {
                #expect(!output.contains("SUPERSECRETTOKEN"), "\(output)")
            }
            let data = (dir as NSString).appendingPathComponent("data")
            let attributes = try FileManager.default.attributesOfItem(atPath: data)
            #expect(attributes[.posixPermissions] as? Int == 0o700)
            for name in try FileManager.default.contentsOfDirectory(atPath: data) {
                let mode = try FileManager.default.attributesOfItem(atPath: (data as NSString).appendingPathComponent(name))[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(name) is \(String(mode ?? 0, radix: 8))")
            }
        }
    }
}
