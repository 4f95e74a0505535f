import Foundation
import OutcryModel
import OutcryStore

/// What polling one source did, for the one-line summary and the exit code.
public struct SourcePollResult: Sendable {
    public enum Outcome: Sendable {
        case stored(IngestResult, warning: String?)
        case notModified
        case failed(String, retryAt: Date)
        case disabled(String)
        case skipped(String)
        /// The store refused the poll's writes (disk full, database locked, corrupt): nothing of
        /// it was committed. A failure, and the pass exits 2.
        case storeError(String)
    }

    public var source: String
    public var outcome: Outcome
    public var duration: TimeInterval

    public var isFailure: Bool {
        switch outcome {
        case .failed, .disabled, .storeError: true
        default: false
        }
    }

    /// Whether the store refused the poll (the pass exits 2, not 1).
    public var isStoreError: Bool {
        if case .storeError = outcome { return true }
        return false
    }

    /// One line for the terminal or the log; URLs in it have their secrets masked (a feed's `?token=…`).
    public var summary: String { SecretMasking.maskSecrets(inText: unmaskedSummary) }

    var unmaskedSummary: String {
        let ms = String(format: "%.0f ms", duration * 1000)
        switch outcome {
        case .stored(let r, let warning):
            var line = "ok      \(source): \(r.inserted) new, \(r.updated) updated, \(r.unchanged) unchanged"
            if !r.threadsOpened.isEmpty { line += ", \(Self.count(r.threadsOpened.count, "thread")) opened" }
            if r.alertsQueued > 0 { line += ", \(Self.count(r.alertsQueued, "alert")) queued" }
            if r.backlog && !r.threadsOpened.isEmpty && r.alertsQueued == 0 { line += " (first poll: stored without alerts)" }
            if r.recovered { line += " (recovered)" }
            if let warning { line += " — warning: \(warning)" }
            return line + " (\(ms))"
        case .notModified:
            return "ok      \(source): not modified (\(ms))"
        case .failed(let error, let retryAt):
            return "FAILED  \(source): \(error); next try \(Self.format(retryAt))"
        case .disabled(let why):
            return "FAILED  \(source): \(why)"
        case .skipped(let why):
            return "skipped \(source): \(why)"
        case .storeError(let why):
            return "FAILED  \(source): \(why); nothing of this poll was stored"
        }
    }

    /// `1 thread`, `3 threads`.
    public static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
