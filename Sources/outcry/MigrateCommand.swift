import ArgumentParser
import OutcryApp
import OutcryStore

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
        try await withStore(config) { store in
            let applied = await store.migrationsAppliedOnOpen
            let all = try await store.appliedMigrations()
            let backend = store.dialect.backend == .postgres ? "PostgreSQL" : "SQLite"
            for id in applied { Terminal.out("applied \(id)") }
            Terminal.out("\(store.path) (\(backend)): \(applied.isEmpty ? "already up to date" : "\(applied.count) migrations applied"), schema at \(all.last ?? "nothing")")
        }
    }
}
