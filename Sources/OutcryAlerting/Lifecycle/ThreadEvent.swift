import Foundation
import OutcryModel

/// Who a thread is assigned to: one person or a team.
public struct Assignee: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case person, team
    }

    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static func person(_ name: String) -> Assignee { Assignee(.person, name) }
    public static func team(_ name: String) -> Assignee { Assignee(.team, name) }

    public var description: String { "\(kind.rawValue) \(name)" }
}

/// What happened to a thread. Every lifecycle transition produces exactly one event.
public enum ThreadEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first mention arrived.
    case opened
    /// Someone took notice (stops the acknowledge clock and the escalation chain).
    case acknowledged
    /// Someone answered the customer (stops the first/next response clock).
    case responded
    /// Waiting for the customer: every SLA clock pauses.
    case putOnHold = "put_on_hold"
    /// The customer wrote again: resumes a held thread, owes a next response, reopens a resolved one.
    case customerWrote = "customer_wrote"
    /// Closed.
    case resolved
    /// Reopened by a person (not by the customer).
    case reopened
    /// Given to a person or team; the status does not change.
    case assigned
}

/// One transition in a thread's history: who, when, from which status to which, and why.
///
/// Events are the stored truth; SLA clocks, escalation and reports are computed from them.
public struct ThreadEvent: Sendable, Equatable, Codable {
    public var kind: ThreadEventKind
    /// Who did it: a user name, `customer`, or `system`.
    public var actor: String
    public var at: Date
    /// Status before the event; nil for `opened`.
    public var from: ThreadStatus?
    public var to: ThreadStatus
    public var note: String?
    /// The new assignee, for `assigned` events.
    public var assignee: Assignee?

    public init(
        kind: ThreadEventKind, actor: String, at: Date, from: ThreadStatus?, to: ThreadStatus,
        note: String? = nil, assignee: Assignee? = nil
    ) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.from = from
        self.to = to
        self.note = note
        self.assignee = assignee
    }
}
