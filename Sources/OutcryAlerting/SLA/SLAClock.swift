import Foundation
import OutcryModel

/// Where one clock stands at the evaluation instant.
public enum SLAClockStatus: String, Sendable, Hashable, Codable {
    case running, paused, met, breached
}

/// One run of one clock (a thread reopened twice has three acknowledge clocks, numbered 0, 1, 2).
public struct SLAClock: Sendable, Equatable, Codable {
    public var kind: SLAClockKind
    /// 0 for the first run of this kind, 1 for the next, …
    public var episode: Int
    public var target: TimeInterval
    public var startedAt: Date
    /// When the clock stopped (met or breached for good); nil while it runs.
    public var stoppedAt: Date?
    /// Counted time so far (business time when the policy pauses outside hours, minus holds).
    public var elapsed: TimeInterval
    /// The breach instant: known once passed, or projected while running; nil while paused on hold.
    public var deadline: Date?
    /// When to warn (deadline minus the warning lead, not before the clock started); nil when stopped or paused.
    public var warningAt: Date?
    public var status: SLAClockStatus
    /// Why a clock is paused or how it ended, in plain words.
    public var explanation: String

    /// A stable key for notifications about this clock run (`acknowledge#0`).
    public var key: String { "\(kind.rawValue)#\(episode)" }
}

/// A warning or breach that a dispatcher should send.
public struct SLANotice: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case warning, breach
    }

    public var kind: Kind
    public var clock: SLAClockKind
    public var episode: Int
    public var at: Date
    public var deadline: Date

    /// Stable idempotency key: `acknowledge#0:warning`.
    public var key: String { "\(clock.rawValue)#\(episode):\(kind.rawValue)" }
}

/// Every clock of a thread at one instant, and the next instant worth waking up for.
public struct SLAEvaluation: Sendable, Equatable, Codable {
    public var policyName: String
    public var evaluatedAt: Date
    public var clocks: [SLAClock]
    /// The next warning or breach after `evaluatedAt`: the deadline to store. Nil when nothing is pending
    /// (all clocks stopped, breached, or paused on hold — a later event re-evaluates the thread).
    public var nextWakeUp: Date?
    /// Warnings and breaches that fell due, sorted by time (see `SLAEngine.notices`).
    public var notices: [SLANotice]

    /// The current (latest) clock of a kind.
    public func clock(_ kind: SLAClockKind) -> SLAClock? {
        clocks.last { $0.kind == kind }
    }
}
