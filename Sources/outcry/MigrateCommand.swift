import ArgumentParser
import OutcryApp

/// `outcry migrate`: brings the configured database's schema up to date and says what it did.
/// Every command migrates when it opens the store; this one is for doing it on purpose, say
/// before starting new workers against a shared PostgreSQL.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database's schema up to date (SQLite or PostgreSQL) and print what was applied."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let config = try global.load()
        let status = try await withDesk(config) { try await $0.migrationStatus() }
        for id in status.applied { Terminal.out("applied \(id)") }
        Terminal.out("\(status.path) (\(status.backend)): \(status.applied.isEmpty ? "already up to date" : "\(status.applied.count) migrations applied"), schema at \(status.schema ?? "nothing")")
    }
}
