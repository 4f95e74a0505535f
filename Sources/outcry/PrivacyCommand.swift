import ArgumentParser

struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Per-person export and erasure; retention purge.",
        subcommands: [PrivacyExportCommand.self, PrivacyEraseCommand.self, PrivacyPurgeCommand.self]
    )
}
