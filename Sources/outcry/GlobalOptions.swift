import ArgumentParser
import Foundation
import OutcryApp

/// Options every command that reads the configuration shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file (default: $OUTCRY_CONFIG, else config/outcry.yaml).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Use this data directory instead of the configured one.")
    var dataDir: String?

    var configPath: String {
        config ?? ProcessInfo.processInfo.environment["OUTCRY_CONFIG"] ?? "config/outcry.yaml"
    }

    /// Loads the configuration or exits with code 2, printing every problem.
    func load() throws -> OutcryConfig {
        do {
            var loaded = try ConfigLoader.load(path: configPath)
            if let dataDir { loaded.dataDirectory = ConfigLoader.absolute(dataDir) }
            return loaded
        } catch let error as ConfigError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}

enum ExitCodes {
    static let ok: Int32 = 0
    static let someSourcesFailed: Int32 = 1
    static let configOrStore: Int32 = 2
    static let locked: Int32 = 3
}

/// What the CLI prints for people: every line through `TerminalText.escapeLines`, so text from
/// feeds, mail or the store cannot move the cursor, clear the screen or reorder the line.
/// (JSON and CSV output is printed as is: the encoders escape what their formats need.)
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("outcry: " + TerminalText.escapeLines(message) + "\n").utf8))
    }

    static func out(_ text: String, terminator: String = "\n") {
        print(TerminalText.escapeLines(text), terminator: terminator)
    }
}
