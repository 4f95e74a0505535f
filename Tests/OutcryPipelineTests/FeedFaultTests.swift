import Foundation
import OutcryModel
import OutcryScoring
import OutcryTestSupport
import Testing
@testable import OutcryPipeline

func feedSource(_ name: String, _ url: String) -> SourceConfig {
    SourceConfig(name: name, url: url, kind: .feed, interval: 600)
}

let goodRSS = """
    <?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><guid>a</guid><title>Still waiting for my refund</title><description>Three weeks now.</description></item>
    <item><guid>b</guid><title>Love it</title><description>Great kettle.</description></item>
    </channel></rss>
    """

@Suite(.serialized) struct FeedFaultTests {
    /// Every hostile or broken answer gives its own source a clear state; the good one lands.
    @Test func hostileAndBrokenFeedsFailAloneAndNothingExpands() async throws {
        var settings = PollerSettings()
        settings.timeout = 2
        settings.maxBodyBytes = 1024 * 1024
        try await Rig.with(settings: settings) { rig in
            let secret = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-secret-\(UUID().uuidString)")
            try Data("TOP-SECRET-CONTENT".utf8).write(to: secret)
            defer { try? FileManager.default.removeItem(at: secret) }
            let laughs = """
                <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
                <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
                <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
                <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
                <rss version="2.0"><channel><item><guid>x</guid><title>&g;</title></item></channel></rss>
                """
            let xxe = """
                <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret.path)">]>
                <rss version="2.0"><channel><item><guid>y</guid><title>leak: &xxe;</title></item></channel></rss>
                """
            rig.server.route("/good", .resource(text: goodRSS, contentType: "application/rss+xml"))
            rig.server.route("/truncated", .ok(String(goodRSS.prefix(260)), contentType: "application/rss+xml"))
            rig.server.route("/html", .ok("<!doctype html><html><head><title>Sign in</title></head><body><p>Please log in</p></body></html>", contentType: "text/html"))
            rig.server.route("/empty", .status(200, headers: [("Content-Type", "application/rss+xml")]))
            rig.server.route("/laughs", .ok(laughs, contentType: "application/xml"))
            rig.server.route("/xxe", .ok(xxe, contentType: "application/xml"))
            rig.server.route("/bomb", .gzipBomb(decodedBytes: 64 * 1024 * 1024))
            rig.server.route("/huge", .stream(bytes: 50 * 1024 * 1024))
            rig.server.route("/reset", .reset())
            rig.server.route("/slow", .drip(every: .milliseconds(500)))
            let names = ["good", "truncated", "html", "empty", "laughs", "xxe", "bomb", "huge", "reset", "slow"]
            let sources = names.map { feedSource($0, rig.server.url("/\($0)")) }
            try await rig.store.syncSources(sources, now: rig.clock.now())

            let results = await rig.poller.pollAll(sources)
            let outcome = Dictionary(uniqueKeysWithValues: results.map { ($0.source, $0) })
            #expect(outcome["good"]?.isFailure == false)
            #expect(try await rig.store.mentionCount(source: "good") == 2)
            for name in ["html", "empty", "bomb", "huge", "reset", "slow"] {
                #expect(outcome[name]?.isFailure == true, "\(name): \(outcome[name]?.summary ?? "-")")
                let state = try await rig.store.pollState(name)
                #expect(state.consecutiveErrors == 1 && state.lastError?.contains(rig.server.url("/\(name)")) == true, "\(name): \(state.lastError ?? "-")")
            }
            // A truncated feed keeps what came before the cut, with a warning.
            if case .stored(let r, let warning)? = outcome["truncated"]?.outcome {
                #expect(r.inserted >= 1 && warning?.contains("not well-formed") == true)
            } else {
                Issue.record("truncated: \(outcome["truncated"]?.summary ?? "-")")
            }
            // Entities are never expanded from a DOCTYPE: nothing blew up, nothing was read from disk.
            let stored = try await allTexts(rig)
            #expect(!stored.contains("TOP-SECRET-CONTENT"))
            #expect(stored.count < 100_000, "an entity expanded: \(stored.count) characters stored")
            // The good source's requests were not held up by the slow one.
            #expect(rig.server.requests(path: "/good").count == 1)
        }
    }
}

/// All stored titles and texts, joined.
func allTexts(_ rig: Rig) async throws -> String {
    var all = ""
    for id in 1...40 {
        guard let stored = try? await rig.store.mention(id: MentionID(Int64(id))) else { continue }
        all += (stored.mention.title ?? "") + stored.mention.text
    }
    return all
}
