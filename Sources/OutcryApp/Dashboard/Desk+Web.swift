import Foundation
import OutcryAlerting
import OutcryModel
import OutcryPipeline
import OutcryStore

// The use cases of the JSON API and the acknowledge links, and the values the web layer reads:
// OutcryWeb calls ``Desk`` only and never sees the store's, the pipeline's or alerting's types.

extension Desk {
    /// The desk of `outcry run`'s web server: the daemon's store, the alert settings when
    /// routes are configured, the configured brands and the contacts' default region.
    public init(application app: Application, store: Store) {
        self.init(store: store, alerting: try? app.alertSettings(), brands: app.config.brands.map(\.name),
                  contactRegion: app.config.contacts.defaultRegion)
    }

    /// The dashboard's accounts (users, sessions, API tokens) in the desk's store.
    public func accounts(hasher: any PasswordHasher) -> UserAccounts {
        UserAccounts(store: store, hasher: hasher)
    }

    /// Whether the configured dashboard address is `https://` (cookies are then always `Secure`).
    public var dashboardIsHTTPS: Bool {
        settings?.dashboardURL.lowercased().hasPrefix("https://") == true
    }

    /// Crises, open ones first, then the most recent (`GET /api/crises`: at most 100).
    public func crisisList(limit: Int = 100) async throws -> [CrisisSummary] {
        try await store.crises(limit: limit).map(CrisisSummary.init)
    }

    /// One thread for the JSON API (`GET /api/threads/{id}`): the thread, its assignee, urgency,
    /// reasons, contact and lifecycle events. A not-found ``DeskError`` when unknown.
    public func threadDetail(_ id: Int64) async throws -> ThreadDetail {
        do {
            let facts = try await store.threadAlertFacts(id)
            let events = try await store.threadEvents(id).map { e in
                ThreadEventSummary(kind: e.kind, actor: e.actor, at: e.at, from: e.from, to: e.to, note: e.note,
                                   assignee: e.assigneeName.map { name in "\(e.assigneeKind ?? "person"):\(name)" })
            }
            return ThreadDetail(
                thread: facts.thread, assignee: facts.assigneeName, urgency: facts.urgency, reasons: facts.reasons,
                contact: facts.contact.map { .init(id: $0.contactID, name: $0.name, confidence: $0.confidence, reason: $0.reason) },
                events: events)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, "no thread \(id)")
        }
    }

    /// A lifecycle action of the JSON API, applied as given (no trimming: the caller checked the
    /// names); returns the stored event. A refused transition is a `.conflict` ``DeskError``
    /// "thread ID: why", a conflict with another actor its description, an unknown thread `.notFound`.
    public func perform(_ threadID: Int64, _ action: ThreadAction, by actor: String, note: String? = nil) async throws -> ThreadEventSummary {
        do {
            let event = try await AlertThreadActions(store: store, settings: settings, clock: clock)
                .perform(threadID, action.command, by: actor, note: note)
            return ThreadEventSummary(event)
        } catch let error as TransitionError {
            throw DeskError(.conflict, "thread \(threadID): \(error.message)")
        } catch let error as ThreadConflict {
            throw DeskError(.conflict, error.description)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, "no thread \(threadID)")
        }
    }

    /// A person's label on a mention for the JSON API (the caller checked that it says something);
    /// a not-found ``DeskError`` "no mention ID" when unknown.
    public func addLabel(mentionID: Int64, by actor: String, sentiment: SentimentLabel?, complaint: Bool?,
                         urgency: [UrgencyCategory]?) async throws -> Int64 {
        var record = LabelRecord(mentionID: mentionID, complaint: complaint, by: actor, at: now)
        record.sentiment = sentiment
        record.urgency = urgency
        do {
            return try await store.addLabel(record)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, "no mention \(mentionID)")
        }
    }

    /// Reads a notification's acknowledge link: whether it can acknowledge, and the thread it names.
    public func ackLink(_ token: String) async throws -> AckLink {
        guard let settings else { return .notConfigured }
        let claim: AckTokenSigner.Claim
        do {
            claim = try AckTokenSigner(key: settings.ackKey).verifyClaim(token, now: now)
        } catch let error as AckTokenSigner.VerifyError {
            if case .expired = error { return .invalid(error.description, expired: true) }
            return .invalid(error.description, expired: false)
        }
        guard let id = Int64(claim.threadID) else { return .noThread }
        let facts: ThreadAlertFacts
        do { facts = try await store.threadAlertFacts(id) } catch let e as StoreError where e.isNotFound {
            return .unknownThread(id)
        }
        // A link acknowledges only the episode (alert) it was sent for: a thread reopened since
        // is a new episode with its own alert and link.
        let issued = claim.firedAt ?? claim.expiresAt.addingTimeInterval(-settings.ackLifetime)
        return .thread(id, facts.thread, reopenedAt: try await store.threadReopened(id, after: issued))
    }

    /// Acknowledges a thread from its link (``ackLink(_:)`` said it may): the stored event, or
    /// `.refused` with the lifecycle's reason; a conflict with another actor is a `.conflict` ``DeskError``.
    public func acknowledgeFromLink(_ threadID: Int64, by actor: String) async throws -> AckOutcome {
        do {
            let event = try await AlertThreadActions(store: store, settings: settings, clock: clock)
                .perform(threadID, .acknowledge, by: actor, note: "acknowledged from a notification")
            return .acknowledged(ThreadEventSummary(event))
        } catch let error as TransitionError {
            return .refused(error.message)
        } catch let error as ThreadConflict {
            throw DeskError(.conflict, error.description)
        }
    }

    /// The five HTML special characters escaped (as the notifications' HTML escapes them).
    public static func escapeHTML(_ s: String) -> String { EmailMessage.escapeHTML(s) }
}

/// A lifecycle action of the JSON API (`POST /api/threads/{id}/{action}`).
public enum ThreadAction: Sendable, Equatable {
    case acknowledge, respond, hold, resolve, reopen
    case assignPerson(String)
    case assignTeam(String)

    var command: ThreadCommand {
        switch self {
        case .acknowledge: .acknowledge
        case .respond: .respond
        case .hold: .putOnHold
        case .resolve: .resolve
        case .reopen: .reopen
        case .assignPerson(let name): .assign(Assignee(.person, name))
        case .assignTeam(let name): .assign(Assignee(.team, name))
        }
    }
}

/// A thread's lifecycle event in words (`assignee` as `kind:name`).
public struct ThreadEventSummary: Sendable, Equatable {
    public var kind: String
    public var actor: String
    public var at: Date
    public var from: String?
    public var to: String
    public var note: String?
    public var assignee: String?

    public init(kind: String, actor: String, at: Date, from: String?, to: String, note: String?, assignee: String?) {
        self.kind = kind; self.actor = actor; self.at = at; self.from = from; self.to = to; self.note = note; self.assignee = assignee
    }

    init(_ event: ThreadEvent) {
        self.init(kind: event.kind.rawValue, actor: event.actor, at: event.at, from: event.from?.rawValue, to: event.to.rawValue,
                  note: event.note, assignee: event.assignee.map { "\($0.kind.rawValue):\($0.name)" })
    }
}

/// One thread as the JSON API shows it.
public struct ThreadDetail: Sendable {
    public struct LinkedContact: Sendable {
        public var id: Int64
        public var name: String
        public var confidence: Double
        public var reason: String
    }
    public var thread: MentionThread
    public var assignee: String?
    public var urgency: [UrgencyCategory]
    public var reasons: [Reason]
    public var contact: LinkedContact?
    public var events: [ThreadEventSummary]
}

/// What an acknowledge link names.
public enum AckLink: Sendable {
    /// No `routes:` configured: links are not signed here.
    case notConfigured
    /// The signature or the expiry refuses it (`description` in words).
    case invalid(String, expired: Bool)
    /// The claim names no thread id.
    case noThread
    /// The thread is not in this store (erased or purged).
    case unknownThread(Int64)
    /// The thread; `reopenedAt` when it was reopened after the link was issued (a new episode).
    case thread(Int64, MentionThread, reopenedAt: Date?)
}

/// What acknowledging from a link did.
public enum AckOutcome: Sendable {
    case acknowledged(ThreadEventSummary)
    /// The lifecycle refused it (already acknowledged, resolved…): the reason.
    case refused(String)
}

/// A crisis (detected or declared) in the dashboard's words.
public struct CrisisSummary: Sendable, Equatable {
    public var id: Int64?
    public var brand: String
    public var open: Bool
    /// `detected` or `declared`.
    public var origin: String
    public var startedAt: Date
    public var endedAt: Date?
    public var endedBy: String?
    public var summary: String
    public var topTerms: [String]
    public var exampleIDs: [String]
    /// Individual alerts folded into this crisis's alert.
    public var folded: Int

    public var detected: Bool { origin == "detected" }

    init(_ c: CrisisRecord) {
        id = c.id; brand = c.brand; open = c.open; origin = c.origin.rawValue; startedAt = c.startedAt; endedAt = c.endedAt
        endedBy = c.endedBy; summary = c.summary; topTerms = c.topTerms; exampleIDs = c.exampleIDs; folded = c.folded
    }
}

/// One mention in a contact's timeline: the mention, its score, its thread and how it was linked.
public struct ContactTimelineItem: Sendable {
    public var mention: Mention
    public var score: Score
    public var threadID: Int64?
    public var thread: MentionThread?
    public var confidence: Double?
    public var reason: String

    init(_ e: ContactTimelineEntry) {
        mention = e.mention.mention; score = e.mention.score; threadID = e.mention.threadID; thread = e.thread
        confidence = e.link.confidence; reason = e.link.reason
    }
}

/// What erasing a person did.
public struct ErasureSummary: Sendable, Equatable {
    public var contactID: Int64
    public var mentionsAnonymised: Int
    public var threadsAnonymised: Int
    public var identifiersSuppressed: Int
    public var labelsDeleted: Int

    init(_ r: ErasureResult) {
        contactID = r.contactID; mentionsAnonymised = r.mentionsAnonymised; threadsAnonymised = r.threadsAnonymised
        identifiersSuppressed = r.identifiersSuppressed; labelsDeleted = r.labelsDeleted
    }
}

/// The reports page's figures, aggregated by the database.
public struct ReportFigures: Sendable {
    /// Threads by time to their first acknowledgement or response.
    public var responseTimes: [(bucket: String, threads: Int)]
    /// Per day of opening: threads with a target and those answered within it.
    public var attainment: [(day: String, threads: Int, withinTarget: Int)]
    /// Mentions per brand and day with their mean sentiment.
    public var volume: [(brand: String, day: String, mentions: Int, meanSentiment: Double?)]
    /// Crises per brand and day of start.
    public var crises: [(brand: String, day: String, origin: String)]
    /// Per customer segment.
    public var fairness: [(segment: String, threads: Int, answered: Int, meanResponseSeconds: Double?, withinTarget: Int)]

    init(_ r: ReportAggregates) {
        responseTimes = r.responseTimes; attainment = r.attainment; volume = r.volume; crises = r.crises; fairness = r.fairness
    }
}
