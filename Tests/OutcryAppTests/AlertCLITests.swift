import Foundation
@testable import OutcryApp
import Testing

let alertingYAML = """

dashboard_url: https://outcry.example.org/
sla:
  - name: p1
    severities: [P1]
    targets: {acknowledge: 15m, first_response: 1h}
    business_hours: false
escalations:
  p1:
    tiers:
      - {after: 0m, receivers: [hook]}
routes:
  receiver: hook
  group_wait: 0s
  routes:
    - name: legal
      matchers: ['severity=P1', 'urgency=~"legal|regulator"']
      receiver: hook
receivers:
  hook: {type: webhook, url: "http://127.0.0.1:9/hook", secret: "${HOOK_SECRET}"}
retry: {max_attempts: 3, base_delay: 5s}

"""

@Suite struct AlertConfigTests {
    @Test func theAlertingSectionsAreReadWithSecretsFromTheEnvironment() throws {
        let yaml = "sources: []\n" + alertingYAML
        let config = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: ["HOOK_SECRET": "s3cret"])
        let alerting = try #require(config.alerting)
        #expect(alerting.dashboardURL == "https://outcry.example.org")
        #expect(alerting.config.receivers["hook"]?.secret == "s3cret")
        #expect(alerting.config.escalations["p1"]?.tiers.count == 1)
    }

    @Test func aBadDurationNamesItsLineAndAMissingSecretIsNoProblem() {
        let yaml = "sources: []\n" + alertingYAML.replacingOccurrences(of: "acknowledge: 15m", with: "acknowledge: 15x")
        do {
            _ = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: [:])
            Issue.record("expected problems")
        } catch let error as ConfigError {
            // An unset receiver secret is a warning now (that receiver alone dead-letters), not a problem.
            #expect(!error.description.contains("HOOK_SECRET"), "\(error.description)")
            #expect(error.problems.contains { $0.message.hasPrefix("sla[1].targets.acknowledge: duration \"15x\": unknown unit 'x'") && $0.line == 7 }, "\(error.problems)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct AlertCLITests {
    @Test func threadActionsRoutesReportAndOutboxFromTheCommandLine() async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            try (try String(contentsOfFile: path, encoding: .utf8) + alertingYAML).write(toFile: path, atomically: true, encoding: .utf8)
            let env = ["HOOK_SECRET": "s3cret", "OUTCRY_ACK_KEY": "0123456789abcdef0123456789abcdef"]
            let poll = try await outcry(["poll", "--once"], in: dir, environment: env)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            let json = try await outcry(["queue", "--json"], in: dir, environment: env)
            let threads = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let id = try #require((threads.first?["id"] as? NSNumber)?.stringValue)

            let ack = try await outcry(["ack", id, "--by", "ana", "--note", "looking"], in: dir, environment: env)
            #expect(ack.status == 0, "\(ack.stderr)")
            #expect(ack.stdout.contains("new → acknowledged (acknowledged by cli:ana"), "\(ack.stdout)")
            let again = try await outcry(["ack", id, "--by", "bo"], in: dir, environment: env)
            #expect(again.status == 1)
            #expect(again.stderr.contains("cannot acknowledge a thread that is already acknowledged"), "\(again.stderr)")
            let assign = try await outcry(["assign", id, "--to", "bo", "--by", "ana"], in: dir, environment: env)
            #expect(assign.status == 0 && assign.stdout.contains("assigned to person bo"), "\(assign.stdout)\(assign.stderr)")
            let resolve = try await outcry(["resolve", id, "--by", "bo"], in: dir, environment: env)
            #expect(resolve.status == 0)
            let reopen = try await outcry(["reopen", id, "--by", "bo"], in: dir, environment: env)
            #expect(reopen.status == 0 && reopen.stdout.contains("resolved → new"), "\(reopen.stdout)")

            let routes = try await outcry(["routes", "test", "--severity", "P1", "--urgency", "legal", "--channel", "social"], in: dir, environment: env)
            #expect(routes.status == 0, "\(routes.stderr)")
            #expect(routes.stdout.contains("→ hook  (route root/legal"), "\(routes.stdout)")
            #expect(routes.stdout.contains("matched severity=P1, urgency=~legal|regulator (urgency=legal)"), "\(routes.stdout)")

            let report = try await outcry(["report", "--format", "json", "--since", "3650d"], in: dir, environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            #expect(parsed?["rows"] != nil)
            let csv = try await outcry(["report"], in: dir, environment: env)
            #expect(csv.stdout.hasPrefix("dimension,key,threads"))

            let outbox = try await outcry(["outbox"], in: dir, environment: env)
            #expect(outbox.status == 0 && outbox.stdout.hasPrefix("ID"), "\(outbox.stdout)\(outbox.stderr)")
            let retry = try await outcry(["outbox", "--retry", "99999"], in: dir, environment: env)
            #expect(retry.status != 0)
        }
    }
}
