import ArgumentParser
import Foundation
import OutcryApp

/// `--log-level` for the commands that log (`poll`, `run`): log lines go to standard error,
/// escaped (`TerminalLogHandler`).
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-level"),
            help: "trace, debug, info, notice, warning, error or critical (default: $OUTCRY_LOG_LEVEL, else info).")
    var logLevel: String?

    func validate() throws {
        if let logLevel, OutcryLogging.level(named: logLevel) == nil {
            throw ValidationError("unknown --log-level '\(logLevel)': use one of \(OutcryLogging.levels.joined(separator: ", "))")
        }
    }

    /// Installs the escaping log handler; `quiet` lowers it to errors unless a level was given.
    func bootstrap(quiet: Bool = false) throws {
        let env = ProcessInfo.processInfo.environment["OUTCRY_LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 }
        let name = logLevel ?? (quiet ? "error" : env ?? "info")
        guard let level = OutcryLogging.level(named: name) else {
            Terminal.error("unknown OUTCRY_LOG_LEVEL '\(name)': use one of \(OutcryLogging.levels.joined(separator: ", "))")
            throw ExitCode(ExitCodes.configOrStore)
        }
        OutcryLogging.bootstrap(level: level)
    }
}
