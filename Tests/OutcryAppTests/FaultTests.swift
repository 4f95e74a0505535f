import Foundation
import OutcryTestSupport
import Testing
@testable import OutcryApp
#if canImport(Glibc)
import Glibc
#endif

/// A feed of `items` entries with some HTML each: big enough that its parse takes a while.
private func bigFeed(items: Int, tag: String) -> String {
    var rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>big \(tag)</title><link>https://example.org/</link>\n"
    for i in 0..<items {
        rss += "<item><guid>\(tag)-\(i)</guid><title>Kettle \(i) still leaking after the repair</title>"
        rss += "<description>&lt;p&gt;The &lt;b&gt;Kestrel&lt;/b&gt; kettle number \(i) leaks again, third time this month, "
        rss += "I have been waiting for a refund for weeks &amp; nobody answers.&lt;/p&gt;</description></item>\n"
    }
    return rss + "</channel></rss>\n"
}

private func writeConfig(_ dir: String, dataDir: String, feed: String) throws -> String {
    let path = (dir as NSString).appendingPathComponent("outcry.yaml")
    try """
    data_dir: \(dataDir)
    sources:
      - name: big
        url: \(feed)
        kind: feed
        interval: 10m
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private func run(_ tool: String, _ arguments: [String]) -> Int32 {
    ChildProcess.probe([tool] + arguments)?.status ?? -1
}

/// Whether this process may mount a small tmpfs (root in CI; skipped elsewhere).
private let canMountTmpfs: Bool = {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-tmpfs-probe-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
    defer { _ = run("/bin/umount", [probe]); try? FileManager.default.removeItem(atPath: probe) }
    return run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]) == 0
}()

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct FaultTests {
    /// A process killed while parsing a source (as an entity blow-up or the OOM killer would)
    /// leaves that content quarantined on the next start, with the error in `outcry sources`;
    /// new content lifts it.
    @Test func aSourceWhoseParseKilledTheProcessIsQuarantinedUntilItsContentChanges() async throws {
        try await withTemporaryDirectory { dir in
            let feed = (dir as NSString).appendingPathComponent("big.rss")
            try bigFeed(items: 30_000, tag: "a").write(toFile: feed, atomically: true, encoding: .utf8)
            let config = try writeConfig(dir, dataDir: "data", feed: "big.rss")
            let journal = (dir as NSString).appendingPathComponent("data/parsing")

            let first = try start(["poll", "--once", "--config", config], in: dir)
            var killed = false
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline && first.isRunning {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? []
                if names.contains(where: { $0.hasSuffix(".parsing") }) {
                    kill(first.pid, SIGKILL)
                    killed = true
                    break
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            let firstResult = await first.finish()
            try #require(killed, "the poll finished before it could be killed mid-parse: \(firstResult.stdout)")

            let second = try await outcry(["poll", "--once", "--config", config], in: dir)
            #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("FAILED") && second.stdout.contains("quarantined"), "\(second.stdout)")
            let sources = try await outcry(["sources", "--config", config], in: dir)
            #expect(sources.stdout.contains("quarantined"), "\(sources.stdout)")
            let queue = try await outcry(["queue", "--json", "--config", config], in: dir)
            let open = try JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [Any]
            #expect(open?.isEmpty == true, "nothing of the quarantined content was stored: \(queue.stdout)")

            // New content is parsed again.
            try bigFeed(items: 3, tag: "b").write(toFile: feed, atomically: true, encoding: .utf8)
            let third = try await outcry(["poll", "--once", "--force", "--config", config], in: dir)
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            #expect(third.stdout.contains("big: 3 new"), "\(third.stdout)")
        }
    }

    /// With the disk full, a pass fails with exit 2, says so, and the source shows the error.
    @Test(.enabled(if: canMountTmpfs, "needs root to mount a small tmpfs"))
    func aFullDiskFailsThePassWithExitTwoAndTheSourceShowsIt() async throws {
        try await withTemporaryDirectory { dir in
            let data = (dir as NSString).appendingPathComponent("data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            try #require(run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", data]) == 0)
            defer { _ = run("/bin/umount", [data]) }
            let feed = (dir as NSString).appendingPathComponent("big.rss")
            try bigFeed(items: 6_000, tag: "a").write(toFile: feed, atomically: true, encoding: .utf8)
            let config = try writeConfig(dir, dataDir: "data", feed: "big.rss")
            // The store exists (schema and all); then the disk fills up, but for a little.
            let setup = try await outcry(["sources", "--config", config], in: dir)
            #expect(setup.status == 0, "\(setup.stderr)")
            var fs = statvfs()
            try #require(statvfs(data, &fs) == 0)
            let free = Int(fs.f_bavail) * Int(fs.f_frsize)
            let filler = (data as NSString).appendingPathComponent("filler")
            try #require(FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, free - 96 * 1024))))

            let poll = try await outcry(["poll", "--once", "--config", config], in: dir)
            #expect(poll.status == 2, "\(poll.stdout)\(poll.stderr)")
            #expect(poll.stdout.contains("FAILED  big: store error"), "\(poll.stdout)")
            #expect(!poll.stdout.contains("0 failed"), "\(poll.stdout)")
            let sources = try await outcry(["sources", "--config", config], in: dir)
            #expect(sources.stdout.contains("store error"), "\(sources.stdout)\(sources.stderr)")
        }
    }
}

@Suite(.serialized) struct CronDeliveryTests {
    /// A cron pass delivers the P1 alerts it routed before it exits (they used to wait for the
    /// next pass, up to one timer interval late).
    @Test func aPollOncePassDeliversTheAlertsItRouted() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/hook", .status(200))
        defer { Task { try? await server.stop() } }
        try await withTemporaryDirectory { dir in
            let path = repositoryRoot.appendingPathComponent("config/outcry.yaml").path
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
                + alertingYAML.replacingOccurrences(of: "http://127.0.0.1:9/hook", with: server.url("/hook"))
            var config = try ConfigLoader.parse(yaml, path: path, environment: ["HOOK_SECRET": "s3cret"])
            config.dataDirectory = dir
            config.polling.alertOnBacklog = true
            let results = try await Application(config: config).pollOnce()
            #expect(results.allSatisfy { !$0.isFailure }, "\(results.map(\.summary))")
            #expect(!server.requests(path: "/hook").isEmpty, "the P1 alerts of the pass were not delivered in it")
        }
    }
}
