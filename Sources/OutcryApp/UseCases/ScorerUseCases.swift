import Foundation
import OutcryModel
import OutcryScoring
import OutcryStore

/// A bulk labels file that cannot be read, with the line and what is wrong (`PATH:LINE: …`).
public struct LabelsFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Bulk labels read from a file of JSON lines `{"text", "sentiment"?, "complaint"?, "urgency"?}`
/// (`outcry scorer train --labels FILE`), to store before a training.
public struct ScorerLabelBatch: Sendable {
    let records: [LabelRecord]
    /// How many labels the file held.
    public var count: Int { records.count }

    public static let empty = ScorerLabelBatch(records: [])

    struct LabelLine: Decodable {
        var text: String?
        var sentiment: String?
        var complaint: Bool?
        var urgency: [String]?
    }

    /// Reads `path` ('-': standard input); every label is from `by` at `now`. The first bad line
    /// is a ``LabelsFileError`` naming it.
    public static func read(_ path: String, by: String, now: Date) throws -> ScorerLabelBatch {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: path) else { throw LabelsFileError("cannot read labels file \(path)") }
            data = d
        }
        return try parse(data, path: path, by: by, now: now)
    }

    /// The labels in `data` (the file's bytes; `path` names it in errors).
    static func parse(_ data: Data, path: String, by: String, now: Date) throws -> ScorerLabelBatch {
        var out: [LabelRecord] = []
        var lineNumber = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func bad(_ what: String) -> LabelsFileError { LabelsFileError("\(path):\(lineNumber): \(what)") }
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
        return ScorerLabelBatch(records: out)
    }
}

/// The stored scorer model cannot be read (a damaged or foreign model record).
public struct ScorerModelUnreadable: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// What `outcry scorer train` did: the report as JSON, and in words.
public struct ScorerTrainingSummary: Sendable {
    /// The cross-validation report as stored with the version (`--json`).
    public var reportJSON: String
    /// The report for a person: labels stored, the version's figures, learned phrases, whether it is active.
    public var lines: [String]
}

/// The scorer's figures in words (`outcry scorer train|status`).
enum ScorerText {
    static func format(_ x: Double) -> String { String(format: "%.3f", x) }

    static func describe(_ r: AdaptationReport) -> [String] {
        var lines = ["  candidate (cross-validated): \(r.candidate.summary)", "  base model (same folds):     \(r.base.summary)"]
        if let c = r.current { lines.append("  active model (same folds):   \(c.summary)") }
        lines.append("  \(r.reason)")
        return lines
    }

    static func line(_ v: ScorerModelRecord) -> String {
        let state = v.active ? "active" : v.accepted ? "accepted" : "not activated"
        return "  v\(v.version)  \(ISO8601DateFormatter().string(from: v.createdAt))  \(v.labelCount) labels  \(state)"
    }
}

extension Desk {
    /// Stores `labels` (may be empty), trains a new model version on every label and activates
    /// it when cross-validation says it is not worse (``ScorerTraining/train(store:folds:now:)``).
    public func trainScorer(adding labels: ScorerLabelBatch, folds: Int, now: Date) async throws -> ScorerTrainingSummary {
        if !labels.records.isEmpty { try await store.addLabels(labels.records) }
        let outcome = try await ScorerTraining.train(store: store, folds: folds, now: now)
        let (report, model, version, all) = (outcome.report, outcome.model, outcome.version, outcome.labelCount)
        var lines = ["stored \(labels.count) new labels; \(all) labels in all",
                     "model v\(version) trained in \(String(format: "%.2f", outcome.seconds)) s (base + \(all) labels, \(report.folds)-fold cross-validation):"]
        lines += ScorerText.describe(report)
        for (category, phrases) in model.info.learnedPhrases.sorted(by: { $0.key < $1.key }) {
            lines.append("  learned urgency phrases, \(category): \(phrases.joined(separator: ", "))")
        }
        lines.append(report.accepted ? "v\(version) is now active" : "v\(version) kept but NOT activated; the active model stays")
        return ScorerTrainingSummary(reportJSON: outcome.reportJSON, lines: lines)
    }

    /// `outcry scorer status` in words: the labels, the base model, the active version and its figures, every version.
    public func scorerStatus() async throws -> [String] {
        let counts = try await store.labelCounts()
        let versions = try await store.scorerModels()
        var lines = ["labels: \(counts.total) (\(counts.onMentions) on mentions, \(counts.total - counts.onMentions) bulk)"]
        let base = LearnedModel.base.info
        lines.append("base model: \(base.baseExamples) training texts, seed \(base.seed); GoEmotions test accuracy \(ScorerText.format(base.figures["goemotions_test_accuracy"] ?? 0))")
        guard let active = versions.first(where: \.active) else {
            lines.append("active: the base model" + (versions.isEmpty ? " (no installation model trained yet)" : ""))
            return lines + versions.map(ScorerText.line)
        }
        lines.append("active: v\(active.version), \(active.labelCount) labels")
        if let data = active.report.data(using: .utf8), let r = try? JSONDecoder().decode(AdaptationReport.self, from: data) {
            lines += ScorerText.describe(r)
        }
        lines.append("versions:")
        return lines + versions.map(ScorerText.line)
    }

    /// Goes back one model version (to the base model from the first); returns the version now
    /// active, nil for the base model. Refusals are ``StoreFailure``s in the store's words.
    public func rollbackScorer() async throws -> Int? {
        try await StoreFailure.mapping { try await store.rollbackScorerModel() }
    }

    /// The installation's active model (the base model when none is active); a stored model
    /// that cannot be decoded is a ``ScorerModelUnreadable``.
    func activeScorerModel() async throws -> LearnedModel {
        guard let record = try await store.activeScorerModel() else { return .base }
        do {
            return try ModelCodec.decode(record.model, name: "\(store.path): scorer model v\(record.version)")
        } catch {
            throw ScorerModelUnreadable(description: "\(error)")
        }
    }
}

/// How `outcry score` scores: the configuration's `scoring:` section, an extra lexicon, the
/// model of a data directory, or the rules alone.
public struct ScoreSetup: Sendable {
    /// A configuration file whose `scoring:` section to use (nil: the built-in defaults).
    public var configPath: String?
    /// A file of `term<TAB>valence` lines added to the lexicon.
    public var lexiconPath: String?
    /// A data directory whose active model to use (nil: the shipped base model).
    public var dataDirectory: String?
    /// Score by the lexicon and rules alone.
    public var rulesOnly: Bool

    public init(configPath: String? = nil, lexiconPath: String? = nil, dataDirectory: String? = nil, rulesOnly: Bool = false) {
        self.configPath = configPath
        self.lexiconPath = lexiconPath
        self.dataDirectory = dataDirectory
        self.rulesOnly = rulesOnly
    }
}

/// A lexicon file that cannot be read or holds a bad line (`PATH:LINE: expected …`).
public struct LexiconFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension ScoreStream {
    /// Scores JSON lines from `input` to `output` (``run(input:output:scorer:lineBuffered:workers:blockSize:)``)
    /// with the scorer `setup` describes. A data directory's store that cannot be opened is a
    /// ``StoreUnavailable``, its unreadable model a ``ScorerModelUnreadable``, a bad
    /// configuration a ``ConfigError``, a bad lexicon file a ``LexiconFileError``.
    public static func run(_ setup: ScoreSetup, input: Int32, output: Int32, lineBuffered: Bool) async throws {
        try run(input: input, output: output, scorer: try await scorer(setup), lineBuffered: lineBuffered)
    }

    /// The scorer `setup` describes.
    static func scorer(_ setup: ScoreSetup) async throws -> Scorer {
        var model: LearnedModel? = setup.rulesOnly ? nil : .base
        if let directory = setup.dataDirectory, !setup.rulesOnly {
            model = try await Application.withDesk(directory: directory, database: nil) { try await $0.activeScorerModel() }
        }
        var config = ScoringConfig()
        if let path = setup.configPath { config = try ConfigLoader.load(path: path).scoring }
        if let lexicon = setup.lexiconPath {
            let text: String
            do { text = try String(contentsOfFile: lexicon, encoding: .utf8) } catch {
                throw LexiconFileError(description: "cannot read lexicon file \(lexicon): \(error.localizedDescription)")
            }
            for (term, valence) in try lexiconEntries(text, path: lexicon) { config.extraLexicon[term] = valence }
        }
        return Scorer(config: config, model: model)
    }

    /// The `term<TAB>valence` lines of a lexicon file (blank lines and `#` comments skipped), terms lowercased.
    static func lexiconEntries(_ text: String, path: String) throws -> [(String, Double)] {
        var entries: [(String, Double)] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "\t")
            guard parts.count >= 2, let v = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw LexiconFileError(description: "\(path):\(n + 1): expected `term<TAB>valence`")
            }
            entries.append((parts[0].lowercased(), v))
        }
        return entries
    }
}
