import Foundation
import Testing
import OutcryAlerting
@testable import OutcryApp

/// `config check` reads the alerting sections like the base ones: every problem at once, each on
/// its line, in the configuration's words, with a did-you-mean.
@Suite struct AlertingConfigCheckTests {
    func check(_ yaml: String, env: [String: String] = [:]) -> (config: OutcryConfig?, problems: [ConfigProblem]) {
        do {
            return (try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: env), [])
        } catch let error as ConfigError {
            return (nil, error.problems)
        } catch {
            return (nil, [ConfigProblem(line: nil, message: "\(error)", hint: nil)])
        }
    }

    @Test func everyAlertingProblemIsListedAtOnceOnItsLine() {
        let (config, problems) = check("""
            sources: []
            dashboard_url: https://outcry.example.org
            sla:
              - name: p1
                severities: [P1]
                targets: {acknowledge: 15m, first_respons: 1h}
            routes:
              receiver: hook
              group_wait: soon
              routes:
                - name: legal
                  matchers: ['severity=P1', 'urgency=~"legal|regulator']
                  receiver: hook
                - name: press
                  matchers: ['urgency=~"press|regulater"']
                  receiver: hook
            receivers:
              hook: {type: webhook, url: "htps://crm.example.org/hook", secret: "${HOOK_SECRET}"}
              chat: {type: slack, url: "https//hooks.example.org/x"}
              ops: {type: mattermost, url: "https://chat.exmaple..org/hooks/x"}
              mail: {typ: email, to: legal@example.org}
            """, env: ["HOOK_SECRET": "0123456789abcdef0123"])
        #expect(config == nil)
        let lines = problems.map { $0.line ?? 0 }
        #expect(lines == lines.sorted())
        func find(_ text: String) -> ConfigProblem? { problems.first { $0.message.contains(text) } }
        // An unknown key, with the line and a did-you-mean.
        let key = find("unknown key `first_respons`")
        #expect(key?.line == 6)
        #expect(key?.hint?.contains("did you mean `first_response`") == true)
        // A duration in the configuration's words.
        #expect(find("group_wait")?.line == 9)
        // An unclosed quote in a matcher, and an alternative no urgency has.
        #expect(find("a double quote is not closed")?.line == 12)
        let dead = find("'regulater' can match no urgency")
        #expect(dead?.line == 15)
        #expect(dead?.hint?.contains("did you mean `regulator`") == true)
        // URLs: a misspelt scheme, a missing `://`, an empty label in a host.
        let scheme = find("the scheme 'htps'")
        #expect(scheme?.line == 18)
        #expect(scheme?.message.contains("did you mean `https`") == true)
        #expect(find("is missing `://`")?.line == 19)
        #expect(find("exmaple..org")?.line == 20)
        // A receiver's own keys are checked, and `to` must be a list: in words, not decoder types.
        #expect(find("unknown key `typ`")?.hint?.contains("did you mean `type`") == true)
        #expect(find("should be a list")?.line == 21)
        #expect(!problems.contains { $0.message.contains("Expected to decode") || $0.message.contains("Node") })
    }

    @Test func aValueOfTheWrongKindIsSaidInWords() {
        let (_, problems) = check("""
            sources: []
            dashboard_url: https://outcry.example.org
            sla:
              - name: p1
                severities: [P5]
                targets: {acknowledge: 15m}
            routes: {receiver: hook}
            receivers:
              hook: {type: webhok, url: "https://crm.example.org/hook", secret: "${HOOK_SECRET}"}
            retry: {max_attempts: many}
            """, env: ["HOOK_SECRET": "0123456789abcdef0123"])
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.line == 5 && $0.message.contains("'P5' is not a valid severity") && $0.hint?.contains("P1") == true })
        #expect(problems.contains { $0.line == 9 && $0.message.contains("'webhok'") && $0.hint?.contains("did you mean `webhook`") == true })
        #expect(problems.contains { $0.line == 10 && $0.message.contains("retry.max_attempts: should be a whole number, not 'many'") })
    }

    @Test func sourceURLsAreCheckedAndMissingLocalFilesWarned() {
        let (_, problems) = check("""
            sources:
              - {name: a, url: "htps://example.org/feed"}
              - {name: b, url: "https//example.org/feed"}
              - {name: c, url: "https://exmaple..org/feed"}
              - {name: d, url: "https://example.org:99999/feed"}
            """)
        #expect(problems.map(\.line) == [2, 3, 4, 5], "\(problems)")
        let (config, none) = check("""
            sources:
              - {name: local, url: ./no-such-feed.rss}
              - {name: open, url: "https://reader:hunter2@example.org/feed"}
            """)
        #expect(none == [])
        let warnings = config?.warnings ?? []
        #expect(warnings.contains { $0.line == 2 && $0.message.contains("no-such-feed.rss does not exist") })
        #expect(warnings.contains { $0.line == 3 && $0.message.contains("password written in clear") && !$0.message.contains("hunter2") })
    }

    @Test func aPasswordInAReceiversURLIsAWarning() throws {
        let (config, problems) = check("""
            sources: []
            dashboard_url: https://outcry.example.org
            routes: {receiver: hook}
            receivers:
              hook: {type: webhook, url: "https://bot:hunter2@crm.example.org/hook", secret: "${HOOK_SECRET}"}
            """, env: ["HOOK_SECRET": "0123456789abcdef0123"])
        #expect(problems == [])
        let warning = try #require(config?.warnings.first { $0.message.contains("password written in clear") })
        #expect(warning.line == 5 && warning.message.contains("receiver 'hook'") && !warning.message.contains("hunter2"))
    }

    @Test func aMissingDashboardURLIsAWarningWhenReceiversSendLinks() throws {
        let (config, problems) = check("""
            sources: []
            routes: {receiver: hook}
            receivers:
              hook: {type: webhook, url: "https://crm.example.org/hook", secret: "${HOOK_SECRET}"}
            """, env: ["HOOK_SECRET": "0123456789abcdef0123"])
        #expect(problems == [])
        let warning = try #require(config?.warnings.first { $0.message.contains("dashboard_url") })
        #expect(warning.line == 4)
        #expect(warning.message.contains("http://localhost:8080"))
    }

    @Test func oneDurationSyntaxForEveryField() throws {
        let config = try #require(check("""
            polling: {default_interval: 1h30m, timeout: 500ms, backoff_cap: 1w}
            sources:
              - {name: a, url: "https://example.org/feed", interval: 1h30m}
            dashboard_url: https://outcry.example.org
            sla:
              - {name: p1, targets: {acknowledge: 1h30m, resolution: 1.5d}, warn_before: 90}
            routes: {receiver: hook, group_wait: 1m30s}
            receivers:
              hook: {type: webhook, url: "https://crm.example.org/hook", secret: "${HOOK_SECRET}"}
            """, env: ["HOOK_SECRET": "0123456789abcdef0123"]).config)
        #expect(config.sources[0].interval == 5400)
        #expect(config.polling.defaultInterval == 5400)
        #expect(config.polling.timeout == 0.5)
        #expect(config.polling.backoffCap == 604_800)
        let sla = try #require(config.alerting?.config.sla.policies.first)
        #expect(sla.targets.acknowledge?.seconds == 5400)
        #expect(sla.targets.resolution?.seconds == 129_600)
        #expect(sla.warnBefore?.seconds == 90)
        #expect(config.alerting?.config.routes.groupWait?.seconds == 90)
        for bad in ["30m1h", "1 h", "1hour", "h", "-5m"] {
            #expect(throws: AlertingConfigError.self, "\(bad)") { try ConfigDuration(parsing: bad) }
            let problems = check("sources:\n  - {name: a, url: \"https://example.org/feed\", interval: \"\(bad)\"}\n").problems
            #expect(problems.count == 1 && problems[0].line == 2, "\(bad): \(problems)")
        }
    }
}
