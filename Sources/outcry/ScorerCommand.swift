import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel
import OutcryScoring
import OutcryStore

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

    func open(create: Bool = true) async throws -> Store {
        let (dir, database) = try location()
        if database == nil && !create && !FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("outcry.sqlite")) {
            Terminal.error("\(dir) holds no Outcry store (outcry.sqlite); train with `outcry scorer train --labels FILE --data-dir \(dir)` first")
            throw ExitCode(ExitCodes.configOrStore)
        }
        do {
            return try await Store.open(database: database, directory: dir)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}

enum ScorerModels {
    /// The active installation model in `store` (the base model when none is active).
    static func active(_ store: Store) async throws -> LearnedModel {
        guard let record = try await store.activeScorerModel() else { return .base }
        do {
            return try ModelCodec.decode(record.model, name: "\(store.path): scorer model v\(record.version)")
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.3f", x) }

    static func describe(_ r: AdaptationReport) -> [String] {
        var lines = ["  candidate (cross-validated): \(r.candidate.summary)", "  base model (same folds):     \(r.base.summary)"]
        if let c = r.current { lines.append("  active model (same folds):   \(c.summary)") }
        lines.append("  \(r.reason)")
        return lines
    }
}

/// Reads the bulk labels file: JSON lines `{"text", "sentiment"?, "complaint"?, "urgency"?}`.
enum LabelsFile {
    struct LabelLine: Decodable {
        var text: String?
        var sentiment: String?
        var complaint: Bool?
        var urgency: [String]?
    }

    static func read(_ path: String, by: String, now: Date) throws -> [LabelRecord] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read labels file \(path)") }
            data = d
        }
        var out: [LabelRecord] = []
        var lineNumber = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func bad(_ what: String) -> ValidationError { ValidationError("\(path):\(lineNumber): \(what)") }
            guard let o = try? JSONDecoder().decode(LabelLine.self, from: Data(line)) else {
                throw bad("expected a JSON object {\"text\", \"sentiment\"?, \"complaint\"?, \"urgency\"?} (complaint true or false)")
            }
            guard let text = o.text, !text.isEmpty else { throw bad("missing string field \"text\"") }
            var label = LabelRecord(text: text, by: by, at: now)
            if let name = o.sentiment {
                guard let v = SentimentLabel(rawValue: name) else {
                    throw bad("\"sentiment\" must be \"negative\", \"neutral\" or \"positive\", not \"\(name)\"")
                }
                label.sentiment = v
            }
            label.complaint = o.complaint
            if let names = o.urgency {
                var cats: [UrgencyCategory] = []
                for n in names {
                    guard let c = UrgencyCategory(rawValue: n) else {
                        throw bad("unknown urgency category \"\(n)\" (one of \(UrgencyCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    if !cats.contains(c) { cats.append(c) }
                }
                label.urgency = cats
            }
            if label.sentiment == nil && label.complaint == nil && label.urgency == nil {
                throw bad("a label needs at least one of \"sentiment\", \"complaint\", \"urgency\"")
            }
            out.append(label)
        }
        return out
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
        var newLabels: [LabelRecord] = []
        if let labels {
            newLabels = try LabelsFile.read(labels, by: by ?? "bulk:" + (labels as NSString).lastPathComponent, now: now)
        }
        let db = try await store.open()
        do {
            if !newLabels.isEmpty { try await db.addLabels(newLabels) }
            let outcome = try await ScorerTraining.train(store: db, folds: folds, now: now)
            let (report, reportJSON, model, version, all) = (outcome.report, outcome.reportJSON, outcome.model, outcome.version, outcome.labelCount)
            try await db.close()
            if json {
                print(reportJSON)
                return
            }
            print("stored \(newLabels.count) new labels; \(all) labels in all")
            print("model v\(version) trained in \(String(format: "%.2f", outcome.seconds)) s (base + \(all) labels, \(report.folds)-fold cross-validation):")
            ScorerModels.describe(report).forEach { print($0) }
            for (category, phrases) in model.info.learnedPhrases.sorted(by: { $0.key < $1.key }) {
                print("  learned urgency phrases, \(category): \(phrases.joined(separator: ", "))")
            }
            print(report.accepted ? "v\(version) is now active" : "v\(version) kept but NOT activated; the active model stays")
        } catch {
            try? await db.close()
            if error is ExitCode { throw error }
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}

struct ScorerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the labels, the active model and its cross-validated figures.")

    @OptionGroup var store: ScorerStoreOptions

    func run() async throws {
        let db = try await store.open()
        let counts = try await db.labelCounts()
        let versions = try await db.scorerModels()
        try await db.close()
        print("labels: \(counts.total) (\(counts.onMentions) on mentions, \(counts.total - counts.onMentions) bulk)")
        let base = LearnedModel.base.info
        print("base model: \(base.baseExamples) training texts, seed \(base.seed); GoEmotions test accuracy \(ScorerModels.format(base.figures["goemotions_test_accuracy"] ?? 0))")
        guard let active = versions.first(where: \.active) else {
            print("active: the base model" + (versions.isEmpty ? " (no installation model trained yet)" : ""))
            versions.forEach { print(Self.line($0)) }
            return
        }
        print("active: v\(active.version), \(active.labelCount) labels")
        if let data = active.report.data(using: .utf8), let r = try? JSONDecoder().decode(AdaptationReport.self, from: data) {
            ScorerModels.describe(r).forEach { print($0) }
        }
        print("versions:")
        versions.forEach { print(Self.line($0)) }
    }

    static func line(_ v: ScorerModelRecord) -> String {
        let state = v.active ? "active" : v.accepted ? "accepted" : "not activated"
        return "  v\(v.version)  \(ISO8601DateFormatter().string(from: v.createdAt))  \(v.labelCount) labels  \(state)"
    }
}

struct ScorerRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Go back one model version (to the base model from the first).")

    @OptionGroup var store: ScorerStoreOptions

    func run() async throws {
        let db = try await store.open()
        do {
            let now = try await db.rollbackScorerModel()
            try await db.close()
            print(now.map { "active: v\($0)" } ?? "active: the base model")
        } catch let error as StoreError {
            try? await db.close()
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
