import Foundation
import Testing
@testable import OutcryApp

// Issue 13, items 12 and 13: `config check` refuses empty secrets and short acknowledge keys,
// and warns about secrets written in clear and a web server open to the network.
@Suite struct ConfigSecretsTests {
    func parse(_ yaml: String, env: [String: String] = ["HOOK_SECRET": "0123456789abcdef0123"]) -> (OutcryConfig?, [ConfigProblem]) {
        do {
            return (try ConfigLoader.parse("sources: []\n" + yaml, path: "/etc/outcry/outcry.yaml", environment: env), [])
        } catch let error as ConfigError {
            return (nil, error.problems)
        } catch {
            return (nil, [ConfigProblem(line: nil, message: "\(error)", hint: nil)])
        }
    }

    @Test func aWebhookSecretSetButEmptyIsRefusedWithItsLine() {
        let (config, problems) = parse(alertingYAML, env: ["HOOK_SECRET": ""])
        #expect(config == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("receiver 'hook': secret ${HOOK_SECRET} is set but empty") == true)
        #expect(problems.first?.line == 21)
    }

    @Test func anAcknowledgeKeyShorterThan16BytesIsRefused() throws {
        let (_, problems) = parse(alertingYAML, env: ["HOOK_SECRET": "0123456789abcdef0123", "OUTCRY_ACK_KEY": "short"])
        #expect(problems.map(\.message) == ["OUTCRY_ACK_KEY is 5 bytes long; acknowledge links need a key of at least 16 bytes"])
        // The running app refuses it too, instead of silently using another key.
        #expect(throws: ConfigError.self) { try Application.ackKey(dataDirectory: "/nonexistent", environment: ["OUTCRY_ACK_KEY": "short"]) }
        #expect(throws: ConfigError.self) { try Application.ackKey(dataDirectory: "/nonexistent", environment: ["OUTCRY_ACK_KEY": ""]) }
        #expect(try Application.ackKey(dataDirectory: "/nonexistent", environment: ["OUTCRY_ACK_KEY": "0123456789abcdef"]).count == 16)
    }

    @Test func theAcknowledgeKeyFileIsCreatedOncePrivately() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-ack-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Application.ackKey(dataDirectory: dir, environment: [:])
        #expect(first.count == 32)
        #expect(try Application.ackKey(dataDirectory: dir, environment: [:]) == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: (dir as NSString).appendingPathComponent("ack.key"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func chatWebhookURLsAndSMTPPasswordsInClearAreWarnings() throws {
        let yaml = alertingYAML.replacingOccurrences(of: """
              hook: {type: webhook, url: "http://127.0.0.1:9/hook", secret: "${HOOK_SECRET}"}
            """, with: """
              hook: {type: webhook, url: "http://127.0.0.1:9/hook", secret: "${HOOK_SECRET}"}
              chat: {type: slack, url: "https://hooks.slack.com/services/T000/B000/XXXXSECRET"}
              team: {type: teams, url: "https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/1/2"}
              mm: {type: mattermost, url: "${MM_WEBHOOK}"}
              mail: {type: email, url: "smtp://alerts:hunter2@mail.example.org:587", to: [a@example.org], from: o@example.org}
              mail2: {type: email, url: "smtp://alerts:${SMTP_PASSWORD}@mail.example.org:587", to: [a@example.org], from: o@example.org}
            """)
        let (config, problems) = parse(yaml, env: ["HOOK_SECRET": "0123456789abcdef0123", "MM_WEBHOOK": "https://chat.example/hooks/x", "SMTP_PASSWORD": "pw"])
        #expect(problems == [])
        let warnings = try #require(config?.warnings)
        #expect(warnings.count == 3)
        #expect(warnings.contains { $0.message.contains("receiver 'chat': the slack webhook URL is written in clear") && $0.message.contains("services/***") })
        #expect(warnings.contains { $0.message.contains("receiver 'team': the teams webhook URL is written in clear") })
        #expect(warnings.contains { $0.message.contains("receiver 'mail': the SMTP URL carries a password") && !$0.message.contains("hunter2") })
        #expect(!warnings.contains { $0.message.contains("XXXXSECRET") })
        #expect(warnings.allSatisfy { $0.line != nil })
    }

    @Test func aWebServerListeningBeyondLoopbackIsAWarning() throws {
        let open = parse("web:\n  listen: 0.0.0.0:8080\n").0
        #expect(open?.warnings.map(\.message) == ["web.listen is 0.0.0.0:8080: the JSON API and the acknowledge links are reachable from the network, without TLS"])
        #expect(open?.warnings.first?.line == 3)
        for host in ["127.0.0.1", "localhost", "127.0.0.2"] {
            #expect(parse("web:\n  listen: \(host):8080\n").0?.warnings == [], "\(host)")
        }
    }
}
