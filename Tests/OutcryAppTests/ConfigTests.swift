import Foundation
import Testing
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
