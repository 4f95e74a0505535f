import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing
import Yams

@Suite struct AlertingConfigTests {
    /// The example proposed for `config/outcry.yaml` (kept in sync with the report to the lead).
    static let example = """
    calendars:
      default:
        time_zone: Europe/London
        hours:
          mon: ["09:00-17:30"]
          tue: ["09:00-17:30"]
          wed: ["09:00-17:30"]
          thu: ["09:00-17:30"]
          fri: ["09:00-17:00"]
        holidays: ["2026-12-25", "2026-12-28"]
      us-east:
        time_zone: America/New_York
        hours: {mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"]}
      always: 24x7

    sla:
      - name: p1
        severities: [P1]
        targets: {acknowledge: 15m, first_response: 1h, next_response: 2h, resolution: 1d}
        business_hours: false
      - name: mail
        channels: [mail]
        targets: {acknowledge: 4h, first_response: 1d, next_response: 1d, resolution: 5d}
        warn_before: 1h
      - name: default
        targets: {acknowledge: 2h, first_response: 8h, next_response: 8h, resolution: 3d}

    escalations:
      p1:
        tiers:
          - {after: 0m, receivers: [oncall-slack]}
          - {after: 15m, receivers: [support-lead-email]}
          - {after: 45m, receivers: [head-of-comms-email]}
        repeat: 2
        repeat_after: 30m

    quiet_hours:
      night:
        time_zone: Europe/London
        hours:
          mon: ["20:00-08:00"]
          tue: ["20:00-08:00"]
          wed: ["20:00-08:00"]
          thu: ["20:00-08:00"]
          fri: ["20:00-24:00"]
          sat: ["00:00-24:00"]
          sun: ["00:00-08:00"]
        override: P1

    routes:
      receiver: comms-slack
      group_by: [brand]
      group_wait: 30s
      group_interval: 5m
      repeat_interval: 4h
      quiet_hours: [night]
      routes:
        - name: legal
          matchers: ['severity=P1', 'urgency=~"legal|regulator|privacy"']
          receiver: legal-email
          continue: true
          quiet_hours: []
        - name: press
          matchers: ['urgency=press']
          receiver: press-teams
        - name: social
          matchers: ['channel=social']
          repeat_interval: 1h
          routes:
            - name: vip
              matchers: ['segment=vip']
              receiver: oncall-slack
              group_wait: 10s
        - name: crm
          matchers: ['severity=~"P1|P2"', 'brand!=internal']
          receiver: crm-hook
          continue: true

    receivers:
      comms-slack: {type: slack, url: "${SLACK_COMMS_WEBHOOK}"}
      oncall-slack: {type: mattermost, url: "${MATTERMOST_ONCALL_WEBHOOK}"}
      press-teams: {type: teams, url: "${TEAMS_PRESS_WEBHOOK}"}
      crm-hook: {type: webhook, url: "https://crm.example.org/hooks/outcry", secret: "${CRM_HOOK_SECRET}"}
      legal-email: {type: email, to: [legal@example.org], from: outcry@example.org}
      support-lead-email: {type: email, to: [support-lead@example.org], from: outcry@example.org}
      head-of-comms-email: {type: email, to: [comms-head@example.org], from: outcry@example.org}

    retry: {max_attempts: 8, base_delay: 5s, max_delay: 1h, jitter: 0.2}
    redaction: {enabled: true}
    """

    @Test func exampleDecodesAndChecksClean() throws {
        let config = try YAMLDecoder().decode(AlertingConfig.self, from: Self.example)
        #expect(config.check() == [])
        #expect(config.calendars["always"] == .twentyFourSeven)
        #expect(config.sla.policy(severity: .p3, channel: .mail)?.name == "mail")
        #expect(config.calendar(for: config.sla.policies[2]).timeZoneID == "Europe/London")
        #expect(config.escalations["p1"]?.tiers.count == 3)
        let tree = try config.routingTree()
        let alert = ThreadAlert(id: "a", threadID: "1", title: "t", severity: .p1, urgency: [.privacy], brand: "acme",
                                source: "x", channel: .social, segment: "vip", firedAt: utc("2026-03-23T10:00:00Z"))
        #expect(tree.match(alert).map(\.route.id) == ["root/legal", "root/social/vip"])
    }

    @Test func crossReferenceProblems() throws {
        let yaml = """
        sla:
          - {name: x, targets: {acknowledge: 1h}, calendar: mars}
        escalations:
          p1: {tiers: [{after: 0m, receivers: [ghost]}]}
        routes: {receiver: hook}
        receivers:
          hook: {type: webhook, url: "https://x.example", secret: "plaintext"}
          mail: {type: email}
        """
        let problems = try YAMLDecoder().decode(AlertingConfig.self, from: yaml).check()
        #expect(problems == [
            "receiver 'hook': put the secret in the environment and write \"${NAME}\" here",
            "receiver 'mail': an email receiver needs at least one address in to",
            "receiver 'mail': an email receiver needs from",
            "sla policy 'x': calendar 'mars' is not defined under calendars:",
            "escalation 'p1' tier 1: receiver 'ghost' is not defined under receivers:",
        ])
    }

    @Test func decodingErrorsNameThePlace() {
        let yaml = """
        routes: {receiver: a}
        calendars:
          office: {time_zone: Europe/London, hours: {mon: ["9am-5pm"]}}
        """
        do {
            _ = try YAMLDecoder().decode(AlertingConfig.self, from: yaml)
            Issue.record("expected an error")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue).starts(with: ["calendars", "office", "hours", "mon"]))
            #expect(context.debugDescription.contains("\"9am\" is not a time HH:MM"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
