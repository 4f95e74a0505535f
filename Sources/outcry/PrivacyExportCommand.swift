import ArgumentParser
import Foundation
import OutcryApp
import OutcryStore

struct PrivacyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything held about a person as JSON: contact, identifiers, mentions with text, threads, audit."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The contact's id, CRM id or email address.")
    var contact: String

    @Option(name: .shortAndLong, help: "Write to this file (created readable by its owner only) instead of stdout.")
    var output: String?

    func run() async throws {
        let config = try options.load()
        let data = try await withStore(config) { store in
            let record = try await requireContact(store, contact)
            return try await store.personalData(contactID: record.id ?? 0, actor: cliActor)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = JSONKeys.snakeCase
        let json = try encoder.encode(data) + Data("\n".utf8)
        guard let output else {
            FileHandle.standardOutput.write(json)
            return
        }
        guard FileManager.default.createFile(atPath: output, contents: json, attributes: [.posixPermissions: 0o600]) else {
            Terminal.error("cannot write \(output)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        FileHandle.standardError.write(Data("wrote \(output): \(data.mentions.count) mentions, \(data.threads.count) threads\n".utf8))
    }
}
