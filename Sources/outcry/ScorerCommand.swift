import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

/// `outcry scorer train|status|rollback`: the installation's learned scorer.
struct ScorerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorer",
        abstract: "Teach the scorer with the team's labels, show its figures, roll it back.",
        discussion: """
            The scorer's sentiment and complaint come from a linear model over the rules' figures and
            the words: the shipped base model (GoEmotions and VADER, see docs/scorer.md) adapted with the
            installation's labels. Each training keeps a new version and activates it only when k-fold
            cross-validation on the labels says it is not worse than the active one.
            """,
        subcommands: [ScorerTrainCommand.self, ScorerStatusCommand.self, ScorerRollbackCommand.self])
}

/// Where the installation's store is: `--data-dir` alone needs no configuration file.
struct ScorerStoreOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file (used only without --data-dir).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "The data directory (no configuration file needed).")
    var dataDir: String?

    /// The data directory, and the configured PostgreSQL address (nil: SQLite in the directory).
    func location() throws -> (directory: String, database: String?) {
        if let dataDir { return (ConfigLoader.absolute(dataDir), nil) }
        var global = GlobalOptions()
        global.config = config
        let loaded = try global.load()
        return (loaded.dataDirectory, loaded.database)
    }

    /// The data directory when it holds a store (or the database is PostgreSQL); else exits with code 2 saying so.
    func existingDirectory() throws -> String {
        let (dir, database) = try location()
        if database == nil && !FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("outcry.sqlite")) {
            Terminal.error("\(dir) holds no Outcry store (outcry.sqlite); train with `outcry scorer train --labels FILE --data-dir \(dir)` first")
            throw ExitCode(ExitCodes.configOrStore)
        }
        return dir
    }

    /// Runs `body` with App's use cases over the store (created when missing, unless `create` is
    /// false); a store that cannot be opened exits with code 2.
    func withDesk<T: Sendable>(create: Bool = true, _ body: (Desk) async throws -> T) async throws -> T {
        let (dir, database) = try location()
        if !create { _ = try existingDirectory() }
        do {
            return try await Application.withDesk(directory: dir, database: database, body)
        } catch let error as StoreUnavailable {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}

struct ScorerTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Store labels (optional) and train the installation's model; activate it when it is not worse.")

    @OptionGroup var store: ScorerStoreOptions

    @Option(name: .long, help: "JSON lines {\"text\", \"sentiment\"?, \"complaint\"?, \"urgency\"?} to add as labels ('-': stdin).")
    var labels: String?

    @Option(name: .long, help: "Who the bulk labels are from (default: bulk:<file name>).")
    var by: String?

    @Option(name: .long, help: "Cross-validation folds.")
    var folds = 5

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let now = Date()
        var newLabels = ScorerLabelBatch.empty
        if let labels {
            do { newLabels = try ScorerLabelBatch.read(labels, by: by ?? "bulk:" + (labels as NSString).lastPathComponent, now: now) } catch let error as LabelsFileError {
                throw ValidationError(error.description)
            }
        }
        let summary: ScorerTrainingSummary
        do {
            summary = try await store.withDesk { try await $0.trainScorer(adding: newLabels, folds: folds, now: now) }
        } catch {
            if error is ExitCode { throw error }
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        if json {
            print(summary.reportJSON)
            return
        }
        summary.lines.forEach { print($0) }
    }
}

struct ScorerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the labels, the active model and its cross-validated figures.")

    @OptionGroup var store: ScorerStoreOptions

    func run() async throws {
        let lines = try await store.withDesk { try await $0.scorerStatus() }
        lines.forEach { print($0) }
    }
}

struct ScorerRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Go back one model version (to the base model from the first).")

    @OptionGroup var store: ScorerStoreOptions

    func run() async throws {
        do {
            let now = try await store.withDesk { try await $0.rollbackScorer() }
            print(now.map { "active: v\($0)" } ?? "active: the base model")
        } catch let error as StoreFailure {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
