import Foundation
import OutcryModel

/// What a person (or the customer, or the system) asks to do to a thread.
public enum ThreadCommand: Sendable, Equatable, Codable {
    case acknowledge
    case respond
    case putOnHold
    case customerWrote
    case resolve
    case reopen
    case assign(Assignee)

    var eventKind: ThreadEventKind {
        switch self {
        case .acknowledge: .acknowledged
        case .respond: .responded
        case .putOnHold: .putOnHold
        case .customerWrote: .customerWrote
        case .resolve: .resolved
        case .reopen: .reopened
        case .assign: .assigned
        }
    }

    var verb: String {
        switch self {
        case .acknowledge: "acknowledge"
        case .respond: "respond to"
        case .putOnHold: "put on hold"
        case .customerWrote: "record a customer message on"
        case .resolve: "resolve"
        case .reopen: "reopen"
        case .assign: "assign"
        }
    }
}

/// A transition that the lifecycle does not allow, e.g. acknowledging a resolved thread.
public struct TransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var command: ThreadCommand
    public var status: ThreadStatus
    public var message: String

    public var description: String { message }
}

/// The lifecycle state of one thread, as stored: its status, its assignee, and its history.
///
/// ```text
///            acknowledge           respond
///   new ──────────────► acknowledged ─────► responded ──resolve──► resolved
///    │  └────────── respond ──────────────────▲    │                  │
///    │                         customer writes│◄───┘ (next response owed)
///    └── put on hold ─► on_hold ─ customer writes ─► acknowledged     │
///   resolved ── customer writes / reopen ─► new  ◄────────────────────┘
/// ```
///
/// ```swift
/// var life = ThreadLifecycle(openedAt: t0)
/// let event = try life.apply(.acknowledge, by: "ana", at: t1, note: "looking")
/// ```
public struct ThreadLifecycle: Sendable, Equatable, Codable {
    public private(set) var status: ThreadStatus
    public private(set) var assignee: Assignee?
    public private(set) var events: [ThreadEvent]

    /// A new thread, with its `opened` event.
    public init(openedAt: Date, actor: String = "customer", note: String? = nil) {
        status = .new
        assignee = nil
        events = [ThreadEvent(kind: .opened, actor: actor, at: openedAt, from: nil, to: .new, note: note)]
    }

    /// Rebuilds the state from stored events (validating every transition on the way).
    public init(replaying events: [ThreadEvent]) throws {
        guard let first = events.first, first.kind == .opened else {
            throw TransitionError(command: .reopen, status: .new, message: "a thread history must start with an 'opened' event")
        }
        self.init(openedAt: first.at, actor: first.actor, note: first.note)
        for event in events.dropFirst() {
            let command: ThreadCommand
            switch event.kind {
            case .opened:
                throw TransitionError(command: .reopen, status: status, message: "a thread can be opened only once")
            case .acknowledged: command = .acknowledge
            case .responded: command = .respond
            case .putOnHold: command = .putOnHold
            case .customerWrote: command = .customerWrote
            case .resolved: command = .resolve
            case .reopened: command = .reopen
            case .assigned:
                guard let who = event.assignee else {
                    throw TransitionError(command: .reopen, status: status, message: "an 'assigned' event needs an assignee")
                }
                command = .assign(who)
            }
            _ = try apply(command, by: event.actor, at: event.at, note: event.note)
        }
    }

    /// The status a command leads to from `status`, or nil when it is not allowed.
    public static func target(of command: ThreadCommand, from status: ThreadStatus) -> ThreadStatus? {
        switch (command, status) {
        case (.acknowledge, .new): .acknowledged
        case (.respond, .new), (.respond, .acknowledged), (.respond, .responded), (.respond, .onHold): .responded
        case (.putOnHold, .new), (.putOnHold, .acknowledged), (.putOnHold, .responded): .onHold
        case (.customerWrote, let s): s.afterCustomerWrote
        case (.reopen, .resolved): .new
        case (.resolve, let s) where s != .resolved: .resolved
        case (.assign, let s) where s != .resolved: s
        default: nil
        }
    }

    /// Applies a command and returns the event to store, or throws a `TransitionError` that says
    /// why the command is not allowed now.
    @discardableResult
    public mutating func apply(_ command: ThreadCommand, by actor: String, at time: Date, note: String? = nil) throws -> ThreadEvent {
        guard let to = Self.target(of: command, from: status) else {
            throw TransitionError(command: command, status: status, message: Self.explainRefusal(command, status))
        }
        if let last = events.last, time < last.at {
            throw TransitionError(
                command: command, status: status,
                message: "cannot \(command.verb) a thread at \(time) before its last event at \(last.at)"
            )
        }
        var event = ThreadEvent(kind: command.eventKind, actor: actor, at: time, from: status, to: to, note: note)
        if case .assign(let who) = command {
            if who == assignee {
                throw TransitionError(command: command, status: status, message: "the thread is already assigned to \(who)")
            }
            event.assignee = who
            assignee = who
        }
        status = to
        events.append(event)
        return event
    }

    static func explainRefusal(_ command: ThreadCommand, _ status: ThreadStatus) -> String {
        switch (command, status) {
        case (.acknowledge, .resolved), (.respond, .resolved), (.putOnHold, .resolved), (.assign, .resolved):
            "cannot \(command.verb) a resolved thread; reopen it first"
        case (.acknowledge, _):
            "cannot acknowledge a thread that is already \(status.rawValue)"
        case (.putOnHold, .onHold):
            "the thread is already on hold"
        case (.resolve, .resolved):
            "the thread is already resolved"
        case (.reopen, _):
            "cannot reopen a thread that is \(status.rawValue); only resolved threads reopen"
        default:
            "cannot \(command.verb) a thread that is \(status.rawValue)"
        }
    }
}
