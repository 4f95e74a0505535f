import ArgumentParser
import Foundation
import OutcryApp

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Work with the database itself.", subcommands: [DatabaseCopyCommand.self]
    )
}

/// `outcry db copy --to postgres://…`: moves an SQLite installation to PostgreSQL. Safe to run
/// again (rows are upserted by key); stop the daemon first so nothing changes during the copy.
struct DatabaseCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the SQLite database in data_dir into a PostgreSQL database, table by table (re-runnable).",
        discussion: """
            The target's schema is brought up to date first. Rows are upserted by primary key, so a copy that \
            stopped can be run again. Stop `outcry run` first: rows written during the copy may be missed. \
            Then set `database:` in the configuration to the same address.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The target: postgres://user:password@host:port/database (a password may come from ${PGPASSWORD}).")
    var to: String
    @Option(help: "Rows per statement.") var batch = 500

    func run() async throws {
        let config = try global.load()
        let address = Self.expand(to)
        let interactive = isatty(STDERR_FILENO) == 1
        do {
            let copied = try await Application(config: config).copyDatabase(toPostgres: address, batchSize: batch) { step in
                let line = "\(step.table): \(step.copied)/\(step.total) rows"
                if interactive {
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (step.copied == step.total ? "\n" : "")).utf8))
                } else if step.copied == step.total {
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            }
            Terminal.out("copied \(copied.rows) rows in \(copied.tables) tables from \(copied.source) to \(copied.target)")
        } catch let error as StoreUnavailable {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch {
            Terminal.error("copy failed: \(error); run it again to continue")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }

    /// `${NAME}` in the address takes the environment variable's value, as in the configuration.
    static func expand(_ text: String) -> String {
        var result = text
        let environment = ProcessInfo.processInfo.environment
        while let start = result.range(of: "${"), let end = result[start.upperBound...].firstIndex(of: "}") {
            result.replaceSubrange(start.lowerBound...end, with: environment[String(result[start.upperBound..<end])] ?? "")
        }
        return result
    }
}
