import Foundation
import Logging

/// The CLI's log lines on standard error: `2026-12-02T07:45:38Z info outcry: message key=value`,
/// with the message and every metadata value shown through `TerminalText.escape`, so a feed
/// title or an error quoting a server's answer can neither forge a second log line nor drive
/// the terminal of whoever tails the log.
public struct TerminalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = TerminalLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(Self.line(level: event.level, label: label, message: "\(event.message)",
                        metadata: metadata.merging(event.metadata ?? [:]) { $1 }, at: Date()))
    }

    /// One log line (with its newline), everything from outside escaped.
    public static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, at date: Date) -> String {
        var text = date.formatted(.iso8601) + " \(level) \(label): " + TerminalText.escape(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            text += " " + TerminalText.escape(key) + "=" + TerminalText.escape("\(value)")
        }
        return text + "\n"
    }
}

/// How much the CLI logs: `--log-level` else `$OUTCRY_LOG_LEVEL` else `info`.
public enum OutcryLogging {
    public static let levels = Logger.Level.allCases.map(\.rawValue)

    /// The level a name stands for (`warn` is taken for `warning`), nil for an unknown name.
    public static func level(named name: String) -> Logger.Level? {
        let lower = name.lowercased()
        return Logger.Level(rawValue: lower == "warn" ? "warning" : lower)
    }

    /// Installs `TerminalLogHandler` at `level` for every logger the process creates. Call once, first.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { TerminalLogHandler(label: $0, level: level) }
    }
}
