import Foundation
@testable import OutcryApp
import Testing

/// `outcry sources` tells an error only a configuration change fixes (a missing file, an unknown
/// host, HTTP 404) from one that may pass by itself, and the first is still retried, slowly.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct SourcesPermanentErrorCLITests {
    @Test func aPermanentErrorSaysFixTheConfigurationAndIsRetriedSlowly() async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text += """
                  - name: gone-file
                    url: ../feeds/no-such-feed.rss
                  - name: closed-port
                    url: http://127.0.0.1:9/feed.xml

                """
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let started = Date()
            _ = try await outcry(["poll"], in: dir)
            let json = try await outcry(["sources", "--json"], in: dir)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let gone = try #require(list.first { $0["name"] as? String == "gone-file" })
            let closed = try #require(list.first { $0["name"] as? String == "closed-port" })
            #expect(gone["state"] as? String == "fix config")
            #expect((gone["last_error"] as? String)?.hasPrefix("fix the configuration: ") == true)
            #expect(closed["state"] as? String == "failing")
            // Still retried, but at the backoff cap (6 h by default), not within minutes.
            let next = try #require((gone["next_poll_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(next.timeIntervalSince(started) >= 6 * 3600 - 60)
            let table = try await outcry(["sources"], in: dir)
            #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("gone-file") && $0.contains("fix config") }, "\(table.stdout)")
            let show = try await outcry(["sources", "show", "gone-file"], in: dir)
            #expect(show.stdout.contains("retrying will not help until the source's URL or credentials are fixed"), "\(show.stdout)")
        }
    }
}
