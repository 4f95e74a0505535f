import Foundation
import Testing
import OutcryAlerting
@testable import OutcryApp

/// `receivers.X.template: FILE` is read, parsed and tried on a sample notification when the
/// configuration loads; each problem names the template's line.
@Suite struct ReceiverTemplateConfigTests {
    @Test func templatesAreLoadedAndCheckedWithTheConfiguration() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-templates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"text": "{{headline}} {{thread_url}}"}"#.write(toFile: dir + "/templates/slack.json.mustache", atomically: true, encoding: .utf8)
        try "{{headline}} {{thread_url}}".write(toFile: dir + "/templates/broken.mustache", atomically: true, encoding: .utf8)
        let yaml = """
            sources: []
            dashboard_url: https://outcry.example.org
            routes: {receiver: chat}
            receivers:
              chat: {type: slack, url: "https://hooks.example.org/x", template: templates/slack.json.mustache}
              teams: {type: teams, url: "https://teams.example.org/x", template: templates/broken.mustache}
              mail: {type: email, to: [a@example.org], from: o@example.org, template: templates/missing.mustache}
            """
        let path = dir + "/outcry.yaml"
        do {
            _ = try ConfigLoader.parse(yaml, path: path)
            Issue.record("a broken and a missing template were accepted")
        } catch let error as ConfigError {
            #expect(error.problems.count == 2, "\(error.problems)")
            #expect(error.problems.contains { $0.line == 6 && $0.message.contains("receiver 'teams': template templates/broken.mustache: the teams template did not render a JSON object") })
            #expect(error.problems.contains { $0.line == 7 && $0.message.contains("cannot read the template") })
        }
        let good = yaml.split(separator: "\n").filter { !$0.contains("teams:") && !$0.contains("mail:") }.joined(separator: "\n")
        let config = try ConfigLoader.parse(good, path: path)
        let chat = try #require(config.alerting?.config.receivers["chat"])
        #expect(chat.templateText == #"{"text": "{{headline}} {{thread_url}}"}"#)
    }
}
