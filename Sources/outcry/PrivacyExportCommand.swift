import ArgumentParser
import Foundation
import OutcryApp

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
        let export = try await withDesk(config) { desk in
            let record = try await requireContact(desk, contact)
            return try await desk.personalDataExport(record.id, by: cliActor)
        }
        let json = export.json
        guard let output else {
            FileHandle.standardOutput.write(json)
            return
        }
        guard FileManager.default.createFile(atPath: output, contents: json, attributes: [.posixPermissions: 0o600]) else {
            Terminal.error("cannot write \(output)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        FileHandle.standardError.write(Data("wrote \(output): \(export.mentionCount) mentions, \(export.threadCount) threads\n".utf8))
    }
}
