import ArgumentParser
import Foundation
import OutcryApp

/// `outcry score`: JSON lines in, scored JSON lines out, same order, streaming.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score JSON lines from stdin: sentiment, complaint intent, urgency, severity, reasons.",
        discussion: """
            Input lines: {"id","text"[,"author","source","lang"]}. Output lines, in the same order:
            {"id","sentiment":{"compound","label"},"complaint":{"is_complaint","score"},"urgency":[…],
            "severity","reasons":[{"rule","evidence","weight"}]}. A bad line gives {"line":N,"error":…}
            and scoring goes on.
            Sentiment and complaint come from the learned model: the installation's active model with
            --data-dir (see `outcry scorer`), else the shipped base model; --rules-only scores by the
            rules alone. Reasons name the model's features (rule "model.complaint", evidence
            "'still waiting' +1.20"); "model.uncertain" marks a complaint score near the threshold.
            """)

    @Option(name: .long, help: "Extra lexicon: a file of `term<TAB>valence` lines (−4…4) added to the defaults.")
    var lexicon: String?

    @Flag(name: .long, help: "Write each answer as soon as its line is scored (default: in blocks, as input arrives).")
    var lineBuffered = false

    @Option(name: .shortAndLong, help: "Score with this configuration file's `scoring:` section (default: the built-in lexicon and term lists).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Score with this data directory's active model (no configuration file needed).")
    var dataDir: String?

    @Flag(name: .customLong("rules-only"), help: "Score by the lexicon and rules alone, without the learned model.")
    var rulesOnly = false

    func run() async throws {
        var setup = ScoreSetup(configPath: config, lexiconPath: lexicon, rulesOnly: rulesOnly)
        if let dataDir, !rulesOnly {
            var options = ScorerStoreOptions()
            options.dataDir = dataDir
            setup.dataDirectory = try options.existingDirectory()
        }
        do {
            // Bytes in, bytes out, blocks of lines on every core, answers in input order.
            try await ScoreStream.run(setup, input: STDIN_FILENO, output: STDOUT_FILENO, lineBuffered: lineBuffered)
        } catch let error as StoreUnavailable {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch let error as ScorerModelUnreadable {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch let error as ConfigError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch let error as LexiconFileError {
            throw ValidationError(error.description)
        }
    }
}
