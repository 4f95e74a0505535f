import Foundation
import OutcryModel
@testable import OutcryApp
import Testing

/// Issue 16: the queue a support lead works from, `show`, `explain --thread`, actions on several
/// threads, the actor format, and the operator's `poll` and `sources` commands — all through
/// the built binary against a copy of the sample install.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct DailyUseCLITests {
    static let env = ["HOOK_SECRET": "s3cret", "OUTCRY_ACK_KEY": "0123456789abcdef0123456789abcdef", "OUTCRY_USER": ""]

    /// The sample install with the alerting sections (a P1 SLA policy), polled once.
    static func polledInstall(_ body: (String) async throws -> Void) async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            try (try String(contentsOfFile: path, encoding: .utf8) + alertingYAML).write(toFile: path, atomically: true, encoding: .utf8)
            let poll = try await outcry(["poll"], in: dir, environment: env)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            try await body(dir)
        }
    }

    static func queueJSON(_ args: [String], in dir: String, environment: [String: String] = env) async throws -> [[String: Any]] {
        let result = try await outcry(["queue", "--json"] + args, in: dir, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func id(_ thread: [String: Any]) -> String { (thread["id"] as? NSNumber)?.stringValue ?? "?" }

    @Test func queueShowsAssigneeDueAndBrandAndFilters() async throws {
        try await Self.polledInstall { dir in
            let all = try await Self.queueJSON([], in: dir)
            #expect(all.count >= 6)
            // Every thread carries the original post's URL; P1 threads have an SLA target, the others none.
            #expect(all.allSatisfy { ($0["url"] as? String)?.hasPrefix("https://") == true || $0["url"] is NSNull })
            #expect(all.contains { ($0["url"] as? String)?.hasPrefix("https://") == true })
            let p1 = all.filter { $0["severity"] as? String == "P1" }
            #expect(!p1.isEmpty && p1.allSatisfy { ($0["due"] as? String) != "-" && $0["due_clock"] as? String == "acknowledge" }, "\(p1)")
            #expect(all.filter { $0["severity"] as? String != "P1" }.allSatisfy { $0["due"] as? String == "-" })

            // Assign two threads, then filter by person, by team, by --mine.
            let first = Self.id(all[0]), second = Self.id(all[1])
            #expect(try await outcry(["assign", first, "--to", "ana"], in: dir, environment: Self.env).status == 0)
            #expect(try await outcry(["assign", second, "--team", "billing"], in: dir, environment: Self.env).status == 0)
            #expect(try await Self.queueJSON(["--assignee", "ANA"], in: dir).map(Self.id) == [first])
            #expect(try await Self.queueJSON(["--team", "billing"], in: dir).map(Self.id) == [second])
            #expect(try await Self.queueJSON(["--mine"], in: dir, environment: Self.env.merging(["OUTCRY_USER": "ana"]) { $1 }).map(Self.id) == [first])
            #expect(try await Self.queueJSON(["--mine", "--by", "ana"], in: dir).map(Self.id) == [first])
            let noIdentity = try await outcry(["queue", "--mine"], in: dir, environment: Self.env)
            #expect(noIdentity.status == 64 && noIdentity.stderr.contains("--by NAME or set OUTCRY_USER"), "\(noIdentity.stderr)")

            #expect(try await Self.queueJSON(["--severity", "p1"], in: dir).map(Self.id) == p1.map(Self.id))
            #expect(try await Self.queueJSON(["--brand", "Kestrel Home"], in: dir).allSatisfy { $0["brand"] as? String == "Kestrel Home" })
            #expect(try await Self.queueJSON(["--brand", "No Such Brand"], in: dir).isEmpty)
            #expect(try await outcry(["ack", first], in: dir, environment: Self.env).status == 0)
            #expect(try await Self.queueJSON(["--status", "acknowledged"], in: dir).map(Self.id) == [first])
            let breaching = try await Self.queueJSON(["--breaching"], in: dir)
            #expect(breaching.allSatisfy { $0["due"] as? String == "BREACHED" || ($0["due_at"] as? String) != nil })
            // --sort due: threads with a target first, nearest first.
            let byDue = try await Self.queueJSON(["--sort", "due"], in: dir)
            let dueFlags = byDue.map { $0["due_at"] is String }
            #expect(dueFlags == dueFlags.sorted { $0 && !$1 }, "\(byDue.map { $0["due"] ?? "" })")
            let bad = try await outcry(["queue", "--sort", "price"], in: dir, environment: Self.env)
            #expect(bad.status == 64 && bad.stderr.contains("unknown --sort 'price'"))

            // The table: the new columns, fitted to COLUMNS, whole when piped without COLUMNS.
            let narrow = try await outcry(["queue"], in: dir, environment: Self.env.merging(["COLUMNS": "80"]) { $1 })
            let header = try #require(narrow.stdout.split(separator: "\n").first)
            for column in ["ASSIGNEE", "DUE", "BRAND"] { #expect(header.contains(column), "\(header)") }
            #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(narrow.stdout)")
            #expect(narrow.stdout.contains("…"))
            #expect(narrow.stdout.contains("ana") && narrow.stdout.contains("team:b"), "\(narrow.stdout)")
            let piped = try await outcry(["queue"], in: dir, environment: Self.env.merging(["COLUMNS": ""]) { $1 })
            #expect(piped.stdout.split(separator: "\n").contains { $0.count > 120 }, "a piped table stays whole")
        }
    }

    /// `--channel`, `--urgency`, `--segment` and `--offset` (issue 17): filtered and paged by the
    /// database, the pages follow each other, and a bad value is refused with the choices.
    @Test func queueFiltersByChannelUrgencySegmentAndPages() async throws {
        try await Self.polledInstall { dir in
            let all = try await Self.queueJSON(["--limit", "1000"], in: dir)
            #expect(all.count >= 6)
            var paged: [String] = []
            for offset in stride(from: 0, to: all.count + 2, by: 2) {
                paged += try await Self.queueJSON(["--limit", "2", "--offset", String(offset)], in: dir).map(Self.id)
            }
            #expect(paged == all.map(Self.id))
            for channel in ["feed", "social", "mail"] {
                let got = try await Self.queueJSON(["--channel", channel.uppercased()], in: dir)
                #expect(got.map(Self.id) == all.filter { $0["channel"] as? String == channel }.map(Self.id), "\(channel)")
            }
            // The sample's legal threat carries the `legal` urgency; no thread has a segment yet.
            let legal = try await Self.queueJSON(["--urgency", "legal"], in: dir)
            #expect(!legal.isEmpty && legal.count < all.count)
            #expect(legal.map(Self.id) == all.map(Self.id).filter { legal.map(Self.id).contains($0) }, "kept in the queue's order")
            #expect(try await Self.queueJSON(["--segment", "gold"], in: dir).isEmpty)
            for (args, words) in [(["--urgency", "soon"], "unknown --urgency 'soon'"), (["--channel", "fax"], "unknown --channel 'fax'"),
                                  (["--offset=-1"], "--offset must be 0 or more")] {
                let bad = try await outcry(["queue"] + args, in: dir, environment: Self.env)
                #expect(bad.status == 64 && bad.stderr.contains(words), "\(bad.stderr)")
            }
        }
    }

    @Test func showExplainAndActionsOnSeveralThreads() async throws {
        try await Self.polledInstall { dir in
            let all = try await Self.queueJSON([], in: dir)
            let p1 = try #require(all.first { $0["severity"] as? String == "P1" })
            let id = Self.id(p1)
            let show = try await outcry(["show", id], in: dir, environment: Self.env)
            #expect(show.status == 0, "\(show.stderr)")
            for part in ["thread \(id):", "severity:  P1", "contact:", "CLOCKS (SLA policy 'p1')", "acknowledge", "MENTIONS (", "EVENTS", "opened"] {
                #expect(show.stdout.contains(part), "\(part) missing from:\n\(show.stdout)")
            }
            #expect(show.stdout.contains("sentiment ") && show.stdout.contains("complaint "))
            #expect(try await outcry(["show", "99999"], in: dir, environment: Self.env).status == 2)

            let byThread = try await outcry(["explain", "--thread", id], in: dir, environment: Self.env)
            #expect(byThread.status == 0 && byThread.stdout.contains("in thread \(id)"), "\(byThread.stdout)\(byThread.stderr)")
            let mentionID = try #require(byThread.stdout.split(separator: "\n").first?.split(separator: " ").dropFirst().first.map(String.init))
            let one = try await outcry(["explain", mentionID], in: dir, environment: Self.env)
            #expect(one.stdout.contains("in thread \(id) (`outcry show \(id)`)"), "\(one.stdout)")
            #expect(try await outcry(["explain"], in: dir, environment: Self.env).status == 64)

            // Several threads at once: each reported, exit 1 when one failed; the actor defaults to cli:$USER.
            let ids = all.prefix(3).map(Self.id)
            #expect(try await outcry(["ack", ids[0]], in: dir, environment: Self.env.merging(["USER": "zed"]) { $1 }).stdout.contains("by cli:zed"))
            let many = try await outcry(["ack"] + ids + ["99999"], in: dir, environment: Self.env.merging(["OUTCRY_USER": "lead"]) { $1 })
            #expect(many.status == 1)
            #expect(many.stdout.contains("thread \(ids[1]): new → acknowledged (acknowledged by cli:lead"), "\(many.stdout)")
            #expect(many.stdout.contains("thread \(ids[2]): new → acknowledged"))
            #expect(many.stderr.contains("thread \(ids[0]): cannot acknowledge a thread that is already acknowledged"), "\(many.stderr)")
            #expect(many.stderr.contains("thread 99999"))
            #expect(many.stdout.contains("2 of 4 threads done, 2 failed"))
            let resolved = try await outcry(["resolve", ids[1], ids[2], "--by", "ana"], in: dir, environment: Self.env)
            #expect(resolved.status == 0 && resolved.stdout.contains("2 of 2 threads done"), "\(resolved.stdout)\(resolved.stderr)")
        }
    }

    @Test func pollIsOnePassWithSourceQuietAndLogLevel() async throws {
        try await withSampleInstall { dir in
            let quiet = try await outcry(["poll", "--quiet"], in: dir)
            #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
            let one = try await outcry(["poll", "--source", "product-reviews"], in: dir)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.contains("ok      product-reviews") && !one.stdout.contains("community-forum"), "\(one.stdout)")
            #expect(one.stdout.contains("1 source polled, 0 failed"), "\(one.stdout)")
            let all = try await outcry(["poll", "--once", "--force"], in: dir)
            #expect(all.stdout.contains("3 sources polled, 0 failed"), "\(all.stdout)")
            let typo = try await outcry(["poll", "--source", "product-review"], in: dir)
            #expect(typo.status == 2 && typo.stderr.contains("did you mean `product-reviews`"), "\(typo.stderr)")
            let level = try await outcry(["poll", "--log-level", "loud"], in: dir)
            #expect(level.status == 64 && level.stderr.contains("unknown --log-level 'loud'"))
            // The contact-index line is INFO: shown at info, not at warning.
            let info = try await outcry(["poll", "--force", "--log-level", "info"], in: dir)
            let warning = try await outcry(["poll", "--force", "--log-level", "warning"], in: dir)
            #expect(!warning.stderr.contains(" info "), "\(warning.stderr)")
            #expect(info.status == 0 && warning.status == 0)
            // A failing source: --quiet prints the failure and the tally.
            try Data("not a feed".utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("feeds/product-reviews.atom")))
            let failing = try await outcry(["poll", "--quiet", "--force"], in: dir)
            #expect(failing.status == 1)
            #expect(failing.stdout.contains("FAILED  product-reviews") && !failing.stdout.contains("ok      "), "\(failing.stdout)")
        }
    }

    @Test func sourcesJSONShowAndOPMLImportExport() async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text += """
                  - name: private-feed
                    url: http://127.0.0.1:9/feed.xml?token=abc123secret&page=2
                    kind: feed

                """
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            _ = try await outcry(["poll"], in: dir)
            let json = try await outcry(["sources", "--json"], in: dir)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(list.count == 4)
            let privateFeed = try #require(list.first { $0["name"] as? String == "private-feed" })
            #expect(privateFeed["url"] as? String == "http://127.0.0.1:9/feed.xml?token=***&page=2")
            #expect(privateFeed["state"] as? String == "failing")
            #expect(!json.stdout.contains("abc123secret"))
            let show = try await outcry(["sources", "show", "private-feed"], in: dir)
            #expect(show.status == 0)
            #expect(show.stdout.contains("url:           http://127.0.0.1:9/feed.xml?token=***&page=2"), "\(show.stdout)")
            #expect(show.stdout.contains("last error:    ") && !show.stdout.contains("last error:    none"))
            let table = try await outcry(["sources"], in: dir)
            #expect(!show.stdout.contains("abc123secret") && !table.stdout.contains("abc123secret"))
            #expect(try await outcry(["sources", "show", "privat-feed"], in: dir).stderr.contains("did you mean `private-feed`"))

            // OPML in: a folder named like a brand becomes its brand; another category stays a comment.
            let opml = (dir as NSString).appendingPathComponent("feeds.opml")
            try """
                <?xml version="1.0" encoding="UTF-8"?>
                <opml version="2.0"><head><title>Miniflux</title></head><body>
                  <outline text="Kestrel Home"><outline type="rss" text="Kettle Forum" xmlUrl="https://forum.example/kettles.rss"/></outline>
                  <outline text="Tech news"><outline type="rss" text="Gadgets &amp; More" xmlUrl="https://gadgets.example/feed"/></outline>
                  <outline type="rss" text="Private again" xmlUrl="http://127.0.0.1:9/feed.xml?token=abc123secret&amp;page=2"/>
                  <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
                </body></opml>
                """.write(toFile: opml, atomically: true, encoding: .utf8)
            let dry = try await outcry(["sources", "import", opml, "--dry-run"], in: dir)
            #expect(dry.status == 0 && dry.stdout.contains("2 sources would be added"), "\(dry.stdout)\(dry.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text + "")
            let imported = try await outcry(["sources", "import", opml], in: dir)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("2 sources added") && imported.stdout.contains("already configured") && imported.stdout.contains("not an http(s) URL"), "\(imported.stdout)")
            let config = try ConfigLoader.load(path: path, environment: [:])
            let kettle = try #require(config.sources.first { $0.name == "kettle-forum" })
            #expect(kettle.brand == "Kestrel Home" && kettle.url == "https://forum.example/kettles.rss")
            #expect(config.sources.contains { $0.name == "gadgets-more" && $0.brand == nil })
            #expect(try String(contentsOfFile: path, encoding: .utf8).contains("# OPML category: Tech news"))
            #expect(try await outcry(["config", "check"], in: dir).status == 0)
            let again = try await outcry(["sources", "import", opml], in: dir)
            #expect(again.stdout.contains("no new feeds"), "\(again.stdout)")

            // OPML out: every feed, brands as folders, secrets masked; it reads back.
            let export = try await outcry(["sources", "export"], in: dir)
            #expect(export.status == 0)
            #expect(export.stdout.contains("<outline text=\"Kestrel Home\"") && export.stdout.contains("xmlUrl=\"https://forum.example/kettles.rss\""))
            #expect(export.stdout.contains("token=***") && !export.stdout.contains("abc123secret"))
            let bad = try await outcry(["sources", "import", path], in: dir)
            #expect(bad.status == 2 && bad.stderr.contains("outcry.yaml"), "\(bad.stderr)")
        }
    }
}

@Suite struct URLMaskTests {
    /// The views mask with the one implementation the store and the fetcher use (`SecretMasking`).
    @Test func credentialsAndSecretQueryValuesAreMasked() {
        #expect(SecretMasking.maskURL("https://user:pa55@feeds.example/x?token=abc&page=2&api_key=k&sig=s#top")
                == "https://user:***@feeds.example/x?token=***&page=2&api_key=***&sig=***#top")
        #expect(SecretMasking.maskURL("https://feeds.example/rss?q=kestrel") == "https://feeds.example/rss?q=kestrel")
        #expect(SecretMasking.maskURL("/var/feeds/a.rss") == "/var/feeds/a.rss")
        #expect(SecretMasking.maskSecrets(inText: "GET 'https://x.example/a?password=hunter2' failed (HTTP 404)")
                == "GET 'https://x.example/a?password=***' failed (HTTP 404)")
    }

    @Test func tablesFitTheWidthByCuttingTheLastColumnsFirst() {
        var table = TextTable(headers: ["ID", "TITLE", "WHY"], limits: [4, 60, 90])
        table.rows.append(["1", String(repeating: "t", count: 50), String(repeating: "w", count: 80)])
        table.shrinkable = [2, 1]
        let fitted = table.render(width: 60)
        #expect(fitted.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(fitted)")
        #expect(fitted.contains("…"))
        #expect(table.render().split(separator: "\n").contains { $0.count > 100 })
    }
}
