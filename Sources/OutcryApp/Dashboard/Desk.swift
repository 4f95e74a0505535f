import Foundation
import OutcryAlerting
import OutcryModel
import OutcryPipeline
import OutcryStore

/// The use cases behind the dashboard's pages: the queue, one thread, the sources,
/// and the actions people take on threads and mentions. The CLI's `queue`, `show`, `sources`
/// and thread commands read and act through the same queries and checked lifecycle.
///
/// ```swift
/// let desk = Desk(store: store, alerting: settings)
/// let queue = try await desk.queue(filter: QueueFilter(), sort: .severity, limit: 200)
/// try await desk.act(queue[0].thread.id!, .acknowledge, by: "ana")
/// ```
public struct Desk: Sendable {
    let store: Store
    let settings: AlertSettings?
    /// The alerting configuration (SLA policies for the queue's clocks, reports): the settings'
    /// own, or the configuration's when the settings (ack key, routing) were not resolved.
    let alertingConfig: AlertingConfig?
    let clock: any WallClock
    /// The configured brands (`brands:`): a crisis is declared for one of them. Empty: any name.
    public let brands: [String]
    /// The region of phone numbers written without a country code (`contacts.default_region`), for duplicates.
    public let contactRegion: String?

    public init(store: Store, alerting settings: AlertSettings?, clock: any WallClock = SystemWallClock(), brands: [String] = [],
                contactRegion: String? = nil) {
        self.init(store: store, settings: settings, alerting: settings?.config, clock: clock, brands: brands, contactRegion: contactRegion)
    }

    init(store: Store, settings: AlertSettings?, alerting: AlertingConfig?, clock: any WallClock = SystemWallClock(), brands: [String] = [],
         contactRegion: String? = nil) {
        self.store = store
        self.settings = settings
        self.alertingConfig = alerting
        self.clock = clock
        self.brands = brands
        self.contactRegion = contactRegion
    }

    public var now: Date { clock.now() }

    /// The escalation queue, as `outcry queue` reads it.
    /// `now` is the instant the clocks are read at (default: the desk's clock).
    public func queue(filter: QueueFilter, sort: QueueSort, limit: Int, offset: Int = 0, now: Date? = nil) async throws -> [ThreadOverview] {
        try await QueueQuery.load(store: store, alerting: alertingConfig, filter: filter, sort: sort, limit: limit, offset: offset, now: now ?? self.now)
    }

    /// The open threads that pass `filter` (without `breaching`, which needs the clocks), in the
    /// queue's order, from `offset`: the database filters and pages (`GET /api/threads`).
    public func queueThreads(filter: QueueFilter, offset: Int, limit: Int) async throws -> [MentionThread] {
        try await store.queueThreads(filter.stored, offset: offset, limit: limit)
    }

    /// Why the dashboard cannot serve yet (`/readyz`): the store does not answer, or this build's
    /// migrations are not all applied. Nil when ready.
    public func notReadyReason() async -> String? {
        do {
            let pending = try await store.pendingMigrations()
            return pending.isEmpty ? nil : "migrations not applied: \(pending.joined(separator: ", ")) (run `outcry migrate`)"
        } catch {
            return "the store does not answer: " + SecretMasking.maskSecrets(inText: String(describing: error))
        }
    }

    /// One thread in full, as `outcry show` reads it, plus how each mention's author is linked.
    public struct ThreadPage: Sendable {
        public var input: ThreadView.Input
        /// Each mention's link outcome (`linked`, `opted_out`, `ambiguous`, `unlinked`, `erased`), by mention id.
        public var linkOutcomes: [MentionID: String]

        /// Whether an author of the thread opted out (then no contact is shown, by design).
        public var optedOut: Bool { linkOutcomes.values.contains("opted_out") }
    }

    /// Throws a not-found ``DeskError`` for an unknown thread.
    public func thread(_ id: ThreadID) async throws -> ThreadPage {
        do {
            let input = try await ThreadView.load(id, store: store, alerting: alertingConfig, now: now)
            var outcomes: [MentionID: String] = [:]
            for m in input.mentions {
                guard let mid = m.mention.id, let link = try await store.link(mentionID: mid) else { continue }
                outcomes[mid] = link.outcome.rawValue
            }
            return ThreadPage(input: input, linkOutcomes: outcomes)
        } catch let error as StoreError where error.isNotFound {
            throw DeskError(.notFound, "no thread \(id)")
        }
    }

    /// Each source's polling state and each mailbox's cursor and quarantine, as `outcry sources` reads them.
    public func sources() async throws -> (states: [PollState], mailboxes: [String: MailboxStatus]) {
        (try await store.pollStates(), try await store.mailboxStatuses())
    }

    /// What a person can do to a thread from the dashboard or the API.
    public enum Action: String, Sendable, CaseIterable {
        case acknowledge = "ack", assign, hold, respond, resolve, reopen, note
    }

    /// Applies a checked lifecycle action (or stores a note) and returns the event in words.
    /// A refused transition or a conflict is a ``DeskError`` with `.conflict`.
    @discardableResult
    public func act(_ threadID: ThreadID, _ action: Action, by actor: String, note: String? = nil, assignee: String? = nil,
                    team: String? = nil) async throws -> String {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if action == .note {
            guard let note else { throw DeskError(.badRequest, "a note needs some text") }
            let thread: MentionThread
            do { thread = try await store.thread(id: threadID) } catch let e as StoreError where e.isNotFound {
                throw DeskError(.notFound, "no thread \(threadID)")
            }
            // A note changes nothing in the lifecycle (its kind is not a lifecycle event).
            try await store.appendThreadEvents([StoredThreadEvent(
                threadID: threadID, kind: "note", actor: actor, at: now, from: thread.status.rawValue, to: thread.status.rawValue, note: note)])
            return "thread \(threadID): note by \(actor)"
        }
        do {
            let event = try await transition(threadID, action, by: actor, note: note, assignee: assignee, team: team)
            var line = "thread \(threadID): \(event.from ?? "-") → \(event.to) (\(event.kind) by \(event.actor))"
            if let kind = event.assigneeKind, let name = event.assigneeName { line += ", assigned to \(kind) \(name)" }
            return line
        } catch let error as DeskError where error.kind == .notFound {
            throw DeskError(.notFound, "no thread \(threadID)")
        }
    }

    /// Applies a checked lifecycle action (not a note) to one thread in its own transaction, as
    /// `outcry ack|assign|hold|respond|resolve|reopen` do. A refused transition or a conflict is a
    /// ``DeskError`` with `.conflict` (its words name the thread); an assignment without a person
    /// or team is a `.badRequest`; other errors (an unknown thread) pass through as the store says them.
    public func transition(_ threadID: ThreadID, _ action: Action, by actor: String, note: String? = nil, assignee: String? = nil,
                           team: String? = nil) async throws -> ThreadEventSummary {
        let command: ThreadCommand
        switch action {
        case .acknowledge: command = .acknowledge
        case .respond: command = .respond
        case .hold: command = .putOnHold
        case .resolve: command = .resolve
        case .reopen: command = .reopen
        case .assign:
            if let team = team?.trimmingCharacters(in: .whitespaces), !team.isEmpty { command = .assign(Assignee(.team, team)) }
            else if let to = assignee?.trimmingCharacters(in: .whitespaces), !to.isEmpty { command = .assign(Assignee(.person, to)) }
            else { throw DeskError(.badRequest, "assign needs a person or a team") }
        case .note:
            throw DeskError(.badRequest, "a note is not a lifecycle action")
        }
        do {
            return ThreadEventSummary(try await AlertThreadActions(store: store, settings: settings, clock: clock).perform(threadID, command, by: actor, note: note))
        } catch let error as TransitionError {
            throw DeskError(.conflict, "thread \(threadID): \(error.message)")
        } catch let error as ThreadConflict {
            throw DeskError(.conflict, error.description)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, e.description)
        }
    }

    /// Stores a person's label on a mention for the scorer (`outcry label`, the thread page's buttons).
    @discardableResult
    public func label(mentionID: MentionID, by actor: String, sentiment: SentimentLabel? = nil, complaint: Bool? = nil,
                      urgency: [UrgencyCategory]? = nil) async throws -> LabelID {
        do {
            return try await labelMention(mentionID, by: actor, sentiment: sentiment, complaint: complaint, urgency: urgency).id
        } catch let e as StoreFailure where e.isNotFound {
            throw DeskError(.notFound, "no mention \(mentionID)")
        }
    }

    /// Stores a label as ``label(mentionID:by:sentiment:complaint:urgency:)`` does and returns its id and
    /// what it says ("sentiment negative, complaint yes"); the store's errors are ``StoreFailure``s in its words.
    public func labelMention(_ mentionID: MentionID, by actor: String, sentiment: SentimentLabel? = nil, complaint: Bool? = nil,
                             urgency: [UrgencyCategory]? = nil) async throws -> (id: LabelID, summary: String) {
        guard sentiment != nil || complaint != nil || urgency != nil else {
            throw DeskError(.badRequest, "a label needs at least one of sentiment, complaint, urgency")
        }
        let record = LabelRecord(mentionID: mentionID, sentiment: sentiment, complaint: complaint, urgency: urgency, by: actor, at: now)
        return (try await StoreFailure.mapping { try await store.addLabel(record) }, record.summary)
    }

    /// The thread a mention belongs to (to go back to its page after a label), nil when unknown.
    public func threadID(ofMention mentionID: MentionID) async throws -> ThreadID? {
        do { return try await store.mention(id: mentionID).threadID } catch let e as StoreError where e.isNotFound { return nil }
    }
}

/// Why a desk use case refused, with the kind of refusal (for the HTTP status).
public struct DeskError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case notFound, conflict, badRequest }
    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
