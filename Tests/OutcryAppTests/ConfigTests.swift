import Foundation
import Testing
import OutcryScoring
@testable import OutcryApp

@Suite struct ConfigTests {
    func problems(_ yaml: String, env: [String: String] = [:]) -> [ConfigProblem] {
        do {
            _ = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: env)
            return []
        } catch let error as ConfigError {
            return error.problems
        } catch {
            return [ConfigProblem(line: nil, message: "\(error)", hint: nil)]
        }
    }

    @Test func brokenYAMLNamesTheLine() {
        let found = problems("""
            data_dir: ./data
            sources:
              - name: a
                url: "https://example.org/feed
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 4 || found.first?.line == 5)
        #expect(found.first?.message.contains("YAML") == true)
    }

    @Test func anUnknownKeyNamesTheLineAndSuggestsTheRightOne() {
        let found = problems("""
            data_dir: ./data
            sources:
              - name: a
                url: https://example.org/feed
                intervall: 5m
            """)
        #expect(found.count == 1)
        #expect(found[0].line == 5)
        #expect(found[0].message.contains("intervall"))
        #expect(found[0].hint?.contains("did you mean `interval`") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let found = problems("""
            sources:
              - name: a
                url: https://example.org/feed
                kind: rss
                interval: often
              - name: a
                url: https://example.org/other
            colour: blue
            """)
        #expect(found.map(\.line) == [4, 5, 6, 8])
        #expect(found[0].hint?.contains("feed") == true)
    }

    @Test func secretsComeFromTheEnvironment() throws {
        let yaml = """
            sources:
              - name: a
                url: https://example.org/feed?token=${FEED_TOKEN}
            """
        let config = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: ["FEED_TOKEN": "s3cret"])
        #expect(config.sources[0].url == "https://example.org/feed?token=s3cret")
        let missing = problems(yaml)
        #expect(missing.count == 1 && missing[0].line == 3 && missing[0].message.contains("FEED_TOKEN"))
    }

    @Test func relativePathsAreRelativeToTheConfigFile() throws {
        let config = try ConfigLoader.parse("""
            data_dir: ../data
            polling:
              backoff_cap: 2h
              max_per_host: 2
            sources:
              - name: local
                url: ../feeds/a.rss
                interval: 90s
            """, path: "/srv/outcry/config/outcry.yaml")
        #expect(config.dataDirectory == "/srv/outcry/data")
        #expect(config.sources[0].url == "file:///srv/outcry/feeds/a.rss")
        #expect(config.sources[0].interval == 90)
        #expect(config.polling.backoffCap == 7200 && config.polling.maxPerHost == 2)
    }

    @Test func theShippedSampleConfigIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/outcry.yaml").path, environment: [:])
        #expect(config.sources.count >= 3)
        for source in config.sources {
            #expect(FileManager.default.fileExists(atPath: URL(string: source.url)!.path), "missing sample \(source.url)")
        }
    }

    @Test func theStarterConfigIsValid() throws {
        let config = try ConfigLoader.parse(StarterConfig.text, path: "/tmp/x/outcry.yaml")
        #expect(config.sources.count == 1)
    }
}

@Suite struct JSONSourceConfigTests {
    @Test func aJSONSourceNeedsAPresetOrAMapping() throws {
        let good = try ConfigLoader.parse("""
            sources:
              - name: masto
                url: https://mastodon.social/api/v1/timelines/tag/kestrel
                kind: json
                options: { preset: mastodon }
            """, path: "/tmp/o.yaml")
        #expect(good.sources[0].options["preset"] == "mastodon")
        do {
            _ = try ConfigLoader.parse("""
                sources:
                  - name: masto
                    url: https://mastodon.social/api/v1/timelines/tag/kestrel
                    kind: json
                    options:
                      preset: myspace
                """, path: "/tmp/o.yaml")
            Issue.record("an unknown preset was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.count == 1 && error.problems[0].line == 6)
            #expect(error.problems[0].message.contains("unknown preset 'myspace'"))
        }
    }
}

@Suite struct BrandConfigTests {
    func problems(_ yaml: String) -> [ConfigProblem] { ConfigTests().problems(yaml) }

    @Test func aBrandQueryThatDoesNotParseNamesItsLineAndPosition() {
        let found = problems("""
            sources:
              - name: a
                url: https://example.org/feed
            brands:
              - name: Kestrel
                keywords: [kestrel]
                query: refund AND (late
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 7)
        #expect(found.first?.message.contains("brand 'Kestrel': query: query error at") == true)
    }

    @Test func aSourceBrandMustBeAConfiguredBrand() {
        let found = problems("""
            sources:
              - name: a
                url: https://example.org/feed
                brand: Kestrl
            brands:
              - name: Kestrel
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 4)
        #expect(found.first?.hint?.contains("did you mean") == true)
    }

    @Test func theCrisisSectionIsReadAndChecked() throws {
        let config = try ConfigLoader.parse("""
            sources:
              - name: a
                url: https://example.org/feed
                brand: Kestrel
            brands:
              - name: Kestrel
                query: '"kestrel home" OR kettle NEAR/3 leak*'
            crisis:
              sensitivity: high
              warmup_hours: 24
              check_every: 10m
            """, path: "/etc/outcry/outcry.yaml", environment: [:])
        #expect(config.crisis.sensitivity == .high && config.crisis.warmupHours == 24 && config.crisis.checkEvery == 600)
        #expect(config.sources.first?.brand == "Kestrel")
        let tagger = try config.brandTagger()
        #expect(tagger.brand(text: "the kettle started to leak", author: nil, source: nil, lang: nil, sourceBrand: nil) == "Kestrel")
        let bad = ConfigTests().problems("""
            sources:
              - name: a
                url: https://example.org/feed
            crisis:
              sensitivity: extreme
            """)
        #expect(bad.count == 1 && bad.first?.line == 5)
    }
}

@Suite struct ScoringConfigTests {
    @Test func domainAdditionsReachTheScorer() throws {
        let config = try ConfigLoader.parse("""
            sources:
              - name: a
                url: https://example.org/feed
            scoring:
              lexicon: {bumped: -2.5}
              urgency:
                regulator: ["civil aviation authority"]
              complaint_cues:
                failure: {"denied boarding": 0.6}
              escalation:
                velocity_per_hour: 3
                priority_tiers: [Diamond]
            """, path: "/etc/outcry/outcry.yaml", environment: [:])
        let scorer = Scorer(config: config.scoring)
        let plain = Scorer()
        let text = "I got bumped and denied boarding, reporting this to the civil aviation authority"
        let custom = scorer.score(text: text)
        #expect(custom.urgency.contains(.regulator))
        #expect(!plain.score(text: text).urgency.contains(.regulator))
        #expect(custom.sentiment.compound < plain.score(text: text).sentiment.compound)
        #expect(custom.reasons.contains { $0.evidence.contains("denied boarding") })
        #expect(config.scoring.escalation.velocityPerHour == 3 && config.scoring.escalation.priorityTiers == ["diamond"])
    }

    @Test func badScoringEntriesNameTheirLines() {
        do {
            _ = try ConfigLoader.parse("""
                sources:
                  - name: a
                    url: https://example.org/feed
                scoring:
                  lexicon: {bumped: -9}
                  urgency:
                    regulater: [caa]
                """, path: "/etc/outcry/outcry.yaml", environment: [:])
            Issue.record("expected problems")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.line) == [5, 7])
            #expect(error.problems.last?.hint?.contains("did you mean `regulator`") == true)
        } catch {
            Issue.record("\(error)")
        }
    }
}

@Suite struct WebConfigTests {
    @Test func theWebSectionTakesItsTokenFromTheEnvironmentOnly() throws {
        let yaml = """
            sources:
              - name: a
                url: https://example.org/feed
            web:
              listen: 127.0.0.1:8181
              api_token: ${OUTCRY_API_TOKEN}
            """
        let config = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: ["OUTCRY_API_TOKEN": "0123456789abcdef0123"])
        #expect(config.web?.port == 8181 && config.web?.host == "127.0.0.1" && config.web?.apiToken == "0123456789abcdef0123")
        do {
            _ = try ConfigLoader.parse("""
                sources:
                  - name: a
                    url: https://example.org/feed
                web:
                  listen: 8080
                  api_token: hunter2hunter2hunter2
                """, path: "/etc/outcry/outcry.yaml", environment: [:])
            Issue.record("expected problems")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.line) == [5, 6])
            #expect(error.problems.last?.message.contains("in clear") == true)
        }
    }

    @Test func trustedProxiesAreIPAddresses() throws {
        let yaml = """
            sources:
              - name: a
                url: https://example.org/feed
            web:
              listen: 127.0.0.1:8181
              trusted_proxies: [127.0.0.1, "::1"]
            """
        let config = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: [:])
        #expect(config.web?.trustedProxies == ["127.0.0.1", "::1"])
        let bad = ConfigTests().problems("""
            sources:
              - name: a
                url: https://example.org/feed
            web:
              trusted_proxies: [proxy.internal, 10.0.0.0/8]
            """)
        #expect(bad.map(\.line) == [5, 5])
        #expect(bad.first?.message.contains("'proxy.internal' is not an IP address") == true)
    }
}

@Suite struct MailboxConfigTests {
    func problems(_ yaml: String, env: [String: String] = ["SUPPORT_PASSWORD": "pw"]) -> [ConfigProblem] {
        ConfigTests().problems(yaml, env: env)
    }

    @Test func aGoodMailboxPasses() throws {
        let config = try ConfigLoader.parse("""
            sources:
              - name: support
                url: imaps://mail.example.com/INBOX
                kind: imap
                options:
                  username: support
                  password: "${SUPPORT_PASSWORD}"
                  since: 30d
                  move_to: Done
                  sent_folder: Sent
                  own_addresses: example.com
              - name: old-box
                url: pop3s://mail.example.com:995
                kind: pop3
                options: { username: old, password: "${SUPPORT_PASSWORD}", since: 2026-01-01 }
            """, path: "/tmp/o.yaml", environment: ["SUPPORT_PASSWORD": "pw"])
        #expect(config.sources.map(\.kind) == [.imap, .pop3])
        #expect(config.sources[0].options["password"] == "pw")
    }

    @Test func eachMailboxProblemIsReportedOnItsOwnLine() {
        let found = problems("""
            sources:
              - name: support
                url: imap://mail.example.com:99999/INBOX
                kind: imap
                options:
                  username: support
                  password: "${SUPPORT_PASSWORD}"
                  tls: sometimes
                  since: last week
                  mark_seen: perhaps
                  move_too: Done
            """)
        #expect(found.map(\.line) == [3, 8, 9, 10, 11], "\(found)")
        #expect(found[0].message.contains("support") && found[0].message.contains("port"), "\(found[0])")
        #expect(found[1].message.contains("`tls`") && found[1].message.contains("sometimes"))
        #expect(found[2].message.contains("`since`") && found[2].message.contains("30d"))
        #expect(found[3].message.contains("`mark_seen`"))
        #expect(found[4].message.contains("move_too") && found[4].hint?.contains("did you mean `move_to`") == true, "\(found[4])")
    }

    @Test func theURLMustFitTheKindAndTheOptions() {
        let found = problems("""
            sources:
              - name: a
                url: https://mail.example.com/INBOX
                kind: imap
                options: { username: a, password: "${SUPPORT_PASSWORD}" }
              - name: b
                url: imaps://mail.example.com/INBOX
                kind: pop3
                options: { username: b, password: "${SUPPORT_PASSWORD}" }
              - name: c
                url: imaps://mail.example.com/INBOX
                kind: imap
                options:
                  username: c
                  password: "${SUPPORT_PASSWORD}"
                  tls: none
              - name: d
                url: pop3://mail.example.com
                kind: pop3
                options:
                  username: d
                  password: "${SUPPORT_PASSWORD}"
                  move_to: Done
            """)
        #expect(found.map(\.line) == [3, 7, 16, 23], "\(found)")
        #expect(found[0].message.contains("scheme 'https'"), "\(found[0])")
        #expect(found[1].message.contains("`pop3` source needs a pop3:// or pop3s:// URL"), "\(found[1])")
        #expect(found[2].message.contains("`tls: none` does not fit imaps://"), "\(found[2])")
        #expect(found[3].message.contains("`move_to` is for IMAP only"), "\(found[3])")
        let moveTo = problems("""
            sources:
              - name: c
                url: imap://mail.example.com/INBOX
                kind: imap
                options:
                  username: c
                  password: "${SUPPORT_PASSWORD}"
                  move_to: INBOX
            """)
        #expect(moveTo.count == 1 && moveTo.first?.line == 8 && moveTo.first?.message.contains("folder that is read") == true, "\(moveTo)")
    }

    @Test func credentialsComeFromTheEnvironment() {
        let found = problems("""
            sources:
              - name: support-inbox
                url: imaps://mail.example.com/INBOX
                kind: imap
                options:
                  password: hunter2
              - name: other
                url: imaps://mail.example.com/INBOX
                kind: imap
                options:
                  username: other
                  password: "${OTHER_PASSWORD}"
            """)
        #expect(found.map(\.line) == [2, 6, 12], "\(found)")
        #expect(found[0].message.contains("`username` is required"))
        #expect(found[1].message.contains("password is written in the file") && found[1].hint?.contains("${SUPPORT_INBOX_PASSWORD}") == true, "\(found[1])")
        // An unset variable is reported once, as such, not again as a missing password.
        #expect(found[2].message.contains("OTHER_PASSWORD") && found[2].message.contains("not set"), "\(found[2])")
    }
}
