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

    /// Whether the configured dashboard address is `https://` (cookies are then always `Secure`).
    public var dashboardIsHTTPS: Bool {
        settings?.dashboardURL.lowercased().hasPrefix("https://") == true
    }

    /// One thread for the JSON API (`GET /api/threads/{id}`): the thread, its assignee, urgency,
    /// reasons, contact and lifecycle events. A not-found ``DeskError`` when unknown.
    public func threadDetail(_ id: ThreadID) async throws -> ThreadDetail {
        do {
            let facts = try await store.threadAlertFacts(id)
            let events = try await store.threadEvents(id).map { e in
                ThreadEventSummary(kind: e.kind, actor: e.actor, at: e.at, from: e.from, to: e.to, note: e.note,
                                   assigneeKind: e.assigneeKind, assigneeName: e.assigneeName)
            }
            return ThreadDetail(
                thread: facts.thread, assignee: facts.assigneeName, urgency: facts.urgency, reasons: facts.reasons,
                contact: facts.contact.map { .init(id: $0.contactID, name: $0.name, confidence: $0.confidence, reason: $0.reason) },
                events: events)
        } catch let e as StoreError where e.isNotFound {
            throw DeskError(.notFound, "no thread \(id)")
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
        guard let id = ThreadID(claim.threadID) else { return .noThread }
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
    public func acknowledgeFromLink(_ threadID: ThreadID, by actor: String) async throws -> AckOutcome {
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

/// A thread's lifecycle event in words (`assignee` as `kind:name`).
public struct ThreadEventSummary: Sendable, Equatable {
    public var kind: String
    public var actor: String
    public var at: Date
    public var from: String?
    public var to: String
    public var note: String?
    /// For an assignment: `person` or `team`, and the name.
    public var assigneeKind: String?
    public var assigneeName: String?

    /// The assignee as the JSON API writes it, `kind:name`.
    public var assignee: String? { assigneeName.map { "\(assigneeKind ?? "person"):\($0)" } }

    public init(kind: String, actor: String, at: Date, from: String?, to: String, note: String?, assigneeKind: String?, assigneeName: String?) {
        self.kind = kind; self.actor = actor; self.at = at; self.from = from; self.to = to; self.note = note
        self.assigneeKind = assigneeKind; self.assigneeName = assigneeName
    }

    init(_ event: ThreadEvent) {
        self.init(kind: event.kind.rawValue, actor: event.actor, at: event.at, from: event.from?.rawValue, to: event.to.rawValue,
                  note: event.note, assigneeKind: event.assignee?.kind.rawValue, assigneeName: event.assignee?.name)
    }
}

/// One thread as the JSON API shows it.
public struct ThreadDetail: Sendable {
    public struct LinkedContact: Sendable {
        public var id: ContactID
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
    case unknownThread(ThreadID)
    /// The thread; `reopenedAt` when it was reopened after the link was issued (a new episode).
    case thread(ThreadID, MentionThread, reopenedAt: Date?)
}

/// What acknowledging from a link did.
public enum AckOutcome: Sendable {
    case acknowledged(ThreadEventSummary)
    /// The lifecycle refused it (already acknowledged, resolved…): the reason.
    case refused(String)
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
