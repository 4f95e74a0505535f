import Foundation
import OutcryModel

/// A stored thread as placement sees it: what the rules read and what a join changes.
struct ThreadFacts: Sendable, Equatable {
    var id: ThreadID
    var status: String
    var severity: String
    var severityRank: Int
    var summary: String
    var channel: String
    var authorName: String?
    var authorHandle: String?
    var brand: String?
    var segment: String?
    var lastMentionAt: Double
    /// The time of the thread's latest thread event (nil: none), read only for threads whose
    /// status a customer writing again changes.
    var lastEventAt: Double?
}

/// What the store read, in a few statements, before a commit places its mentions: every stored
/// fact the placement rules can ask about for this batch.
struct PlacementFacts: Sendable {
    /// Stored mentions that are in a thread, by key (the parents replies name).
    var threadOfKey: [String: ThreadID] = [:]
    /// The stored threads the batch's mentions could join: their parents' threads, the fallback
    /// threads, and the open threads of their authors active since the earliest window start.
    var threads: [ThreadID: ThreadFacts] = [:]
    /// The tiers of the batch's contacts (those who opted out left out).
    var segments: [ContactID: String] = [:]
    /// Stored mentions that are in a thread, by source and key (a mail response answers only
    /// its own mailbox's threads).
    var threadOfSourceKey: [Store.SourceKey: ThreadID] = [:]
    /// Stored customer mails that are in a thread, by sender and subject: the candidates of the
    /// mail subject fallback (``Store/mailSubjectWindow``).
    var subjectMails: [SubjectKey: [SubjectMail]] = [:]

    struct SubjectKey: Hashable, Sendable {
        var sender: String
        var subject: String
    }

    struct SubjectMail: Sendable, Equatable {
        var source: String
        var sentAt: Double
        /// The mail's mention id: the later of two mails sent at the same time wins.
        var mentionID: MentionID
        var thread: ThreadID
    }
}

/// What placement needs to know of a mail.
struct PlacementMail: Sendable {
    enum Role: Sendable {
        /// A customer's mail: placed as any mention, with the subject fallback after its references.
        case customer
        /// A team response: it opens and joins nothing; it marks the thread it answers (by its
        /// references in its own mailbox, else by recipient and subject) `responded`.
        case response(actor: String, note: String)
    }

    var role: Role
    var source: String
    /// A customer mail's sender (the first is the one stored); a response's recipients.
    var correspondents: [String]
    var subjectKey: String
    var sentAt: Double
}

/// One actionable mention to place, in commit order.
struct PlacementItem: Sendable {
    var item: ScoredMention
    /// Its row, when it is stored before it is placed (one by one; a plan places it before).
    var mentionID: MentionID
    var contactID: ContactID?
    /// Mail: the thread of the same sender's mail with the same subject, when no reference matches.
    var fallbackThread: ThreadID?
    /// Its summary and thread title (made here when not made before).
    var wording: ThreadWording
    /// A mail's role, sender and subject: the plan finds its subject fallback itself.
    var mail: PlacementMail?

    init(item: ScoredMention, mentionID: MentionID, contactID: ContactID?, fallbackThread: ThreadID? = nil, wording: ThreadWording? = nil,
         mail: PlacementMail? = nil) {
        self.item = item
        self.mentionID = mentionID
        self.contactID = contactID
        self.fallbackThread = fallbackThread
        self.wording = wording ?? ThreadWording(item)
        self.mail = mail
    }
}

/// Where each mention of a batch goes and what that changes, decided from ``PlacementFacts``
/// alone (no database), in the order the mentions came: a reply joins its parent's thread, a
/// customer mail without a known reference the thread of its sender's latest mail with its
/// subject (stored or earlier in the batch), a non-reply its author's open thread on the same
/// channel and brand active within the window, and anything else opens a thread. A team
/// response marks the thread it answers `responded`, which a later customer mail of the batch
/// then moves on. The store then writes the plan in a few bulk statements (``Store/write(_:)``).
///
/// The rules are those of ``Store/placeInThread(_:mentionID:now:fallbackThread:contactID:)``
/// (and, for mail, of the mail commit's subject fallback and response recording) applied one
/// mention after the other; `BulkThreadTests` holds the two equal for feeds and mail.
struct ThreadPlan: Sendable {
    /// A thread of the plan: stored, or the n-th one the plan opens.
    enum Ref: Hashable, Sendable {
        case stored(ThreadID)
        case new(Int)
    }

    struct Placement: Sendable, Equatable {
        /// nil: a mail response that found no thread to answer.
        var thread: Ref?
        var opened: Bool
        var reopened: Bool
        /// A mail response marked this thread answered.
        var responded = false
    }

    /// A thread the plan opens, in its final state after the batch's joins.
    struct NewThread: Sendable {
        var key: String
        var title: String
        var sourceName: String
        var openedAt: Double
        var mentionCount: Int
        var facts: ThreadFacts
    }

    /// A stored thread after the batch: its final state and how many mentions joined it.
    struct Update: Sendable {
        var joined: Int
        var facts: ThreadFacts
    }

    /// A `customer_wrote` thread event.
    struct StatusChange: Sendable {
        var thread: Ref
        var at: Double
        var from: String
        var to: String
    }

    /// A `thread.opened`, `thread.reopened` or `thread.responded` event.
    struct Event: Sendable {
        var kind: String
        var thread: Ref
        /// What the event says, secrets already masked (``ThreadWording/openedNote``).
        var detail: String
        var actor = "outcry"
        /// When it happened; nil: when the plan is written.
        var at: Double?
    }

    /// By position in the items.
    var placements: [Placement] = []
    var newThreads: [NewThread] = []
    var updates: [ThreadID: Update] = [:]
    var statusChanges: [StatusChange] = []
    var events: [Event] = []

    /// Plans `items` against `facts`. `authorWindow` 0 turns the author rule off.
    init(_ items: [PlacementItem], facts: PlacementFacts, authorWindow: TimeInterval, now: Date) {
        var planner = Planner(facts: facts, authorWindow: authorWindow, now: now.timeIntervalSince1970)
        for item in items { planner.place(item) }
        self = planner.plan
    }

    fileprivate init() {}
}

/// The planner's working state: the threads as the batch has changed them so far.
private struct Planner {
    var plan = ThreadPlan()
    let facts: PlacementFacts
    let authorWindow: TimeInterval
    let now: Double
    /// Every thread the plan knows, as the batch has left it so far.
    var threads: [ThreadPlan.Ref: ThreadFacts] = [:]
    /// Mentions placed so far in the batch, by key (a later reply's parent).
    var placedKeys: [String: ThreadPlan.Ref] = [:]
    /// Threads by author (handle or name, with the channel).
    var byAuthor: [AuthorKey: [ThreadPlan.Ref]] = [:]
    /// Mentions placed so far in the batch, by source and key (the parents a response names).
    var placedSourceKeys: [Store.SourceKey: ThreadPlan.Ref] = [:]
    /// Customer mails placed so far in the batch, by sender and subject, in order.
    var placedMails: [PlacementFacts.SubjectKey: [(source: String, sentAt: Double, order: Int64, thread: ThreadPlan.Ref)]] = [:]

    struct AuthorKey: Hashable {
        var byHandle: Bool
        var value: String
        var channel: String
    }

    init(facts: PlacementFacts, authorWindow: TimeInterval, now: Double) {
        self.facts = facts
        self.authorWindow = authorWindow
        self.now = now
        for (id, thread) in facts.threads { remember(.stored(id), thread) }
    }

    mutating func remember(_ ref: ThreadPlan.Ref, _ thread: ThreadFacts) {
        threads[ref] = thread
        if let handle = thread.authorHandle { byAuthor[AuthorKey(byHandle: true, value: handle, channel: thread.channel), default: []].append(ref) }
        if let name = thread.authorName { byAuthor[AuthorKey(byHandle: false, value: name, channel: thread.channel), default: []].append(ref) }
    }

    mutating func place(_ p: PlacementItem) {
        let m = p.item.mention
        let position = plan.placements.count
        defer {
            if plan.placements.count > position, let ref = plan.placements[position].thread {
                placedKeys[m.key] = ref
                placedSourceKeys[Store.SourceKey(source: m.sourceName, key: m.key)] = ref
                if let mail = p.mail, case .customer = mail.role {
                    placedMails[PlacementFacts.SubjectKey(sender: mail.correspondents.first ?? "", subject: mail.subjectKey), default: []]
                        .append((m.sourceName, mail.sentAt, Self.order(.new(position)), ref))
                }
            }
        }
        if let mail = p.mail, case .response(let actor, let note) = mail.role {
            respond(p, mail, actor: actor, note: note)
            return
        }
        for parent in m.parentKeys {
            if let id = facts.threadOfKey[parent] {
                join(.stored(id), p)
                return
            }
            if let ref = placedKeys[parent] {
                join(ref, p)
                return
            }
        }
        if let fallback = p.fallbackThread {
            join(.stored(fallback), p)
            return
        }
        if let mail = p.mail, let ref = subjectThread(mail, source: nil) {
            join(ref, p)
            return
        }
        // Not a reply: the author's open thread on the same channel and brand, active within the window.
        let author = m.authorHandle.map { (true, $0) } ?? m.authorName.map { (false, $0) }
        if m.channel != .mail, authorWindow > 0, let (byHandle, value) = author, !value.isEmpty {
            let since = (m.publishedAt.map { min($0.timeIntervalSince1970, now) } ?? now) - authorWindow
            var best: (ref: ThreadPlan.Ref, at: Double, order: Int64)?
            for ref in byAuthor[AuthorKey(byHandle: byHandle, value: value, channel: m.channel.rawValue)] ?? [] {
                guard let thread = threads[ref], thread.status != ThreadStatus.resolved.rawValue, thread.brand == m.brand,
                      thread.lastMentionAt >= since else { continue }
                let order = Self.order(ref)
                if best == nil || (thread.lastMentionAt, order) > (best!.at, best!.order) { best = (ref, thread.lastMentionAt, order) }
            }
            if let best {
                join(best.ref, p)
                return
            }
        }
        open(p)
    }

    /// The thread of the latest customer mail from one of the mail's correspondents with its
    /// subject, sent within ``Store/mailSubjectWindow`` before it (or any time after), stored or
    /// placed earlier in the batch; `source` limits it to one mailbox. The first correspondent
    /// with such a mail decides.
    func subjectThread(_ mail: PlacementMail, source: String?) -> ThreadPlan.Ref? {
        guard !mail.subjectKey.isEmpty else { return nil }
        let since = mail.sentAt - Store.mailSubjectWindow
        for sender in mail.correspondents where !sender.isEmpty {
            let key = PlacementFacts.SubjectKey(sender: sender, subject: mail.subjectKey)
            var best: (at: Double, order: Int64, ref: ThreadPlan.Ref)?
            func consider(_ at: Double, _ order: Int64, _ ref: ThreadPlan.Ref) {
                if best == nil || (at, order) > (best!.at, best!.order) { best = (at, order, ref) }
            }
            for stored in facts.subjectMails[key] ?? [] where stored.sentAt >= since && (source == nil || stored.source == source) {
                consider(stored.sentAt, stored.mentionID.rawValue, .stored(stored.thread))
            }
            for placed in placedMails[key] ?? [] where placed.sentAt >= since && (source == nil || placed.source == source) {
                consider(placed.sentAt, placed.order, placed.thread)
            }
            if let best { return best.ref }
        }
        return nil
    }

    /// A team response: the thread its references name in its own mailbox, else the subject
    /// fallback in that mailbox, becomes `responded` (a resolved one stays resolved), with a
    /// `thread.responded` event at the time the response was sent.
    mutating func respond(_ p: PlacementItem, _ mail: PlacementMail, actor: String, note: String) {
        var found: ThreadPlan.Ref?
        for parent in p.item.mention.parentKeys {
            let key = Store.SourceKey(source: mail.source, key: parent)
            if let id = facts.threadOfSourceKey[key] {
                found = .stored(id)
            } else if let ref = placedSourceKeys[key] {
                found = ref
            }
            if found != nil { break }
        }
        if found == nil { found = subjectThread(mail, source: mail.source) }
        guard let ref = found else {
            plan.placements.append(ThreadPlan.Placement(thread: nil, opened: false, reopened: false))
            return
        }
        if var thread = threads[ref] {
            if thread.status != ThreadStatus.resolved.rawValue { thread.status = ThreadStatus.responded.rawValue }
            threads[ref] = thread
            switch ref {
            case .stored(let id):
                plan.updates[id, default: ThreadPlan.Update(joined: 0, facts: thread)].facts = thread
            case .new(let n):
                plan.newThreads[n].facts = thread
            }
        }
        plan.placements.append(ThreadPlan.Placement(thread: ref, opened: false, reopened: false, responded: true))
        plan.events.append(ThreadPlan.Event(kind: "thread.responded", thread: ref, detail: SecretMasking.maskSecrets(inText: note),
                                            actor: actor, at: mail.sentAt))
    }

    /// Ids grow with insertion: the plan's new threads come after every stored one, in order.
    static func order(_ ref: ThreadPlan.Ref) -> Int64 {
        switch ref {
        case .stored(let id): id.rawValue
        case .new(let n): Int64.max / 2 + Int64(n)
        }
    }

    mutating func open(_ p: PlacementItem) {
        let (item, m) = (p.item, p.item.mention)
        let openedAt = m.publishedAt.map { min($0.timeIntervalSince1970, now) } ?? now
        let summary = p.wording.summary
        let ref = ThreadPlan.Ref.new(plan.newThreads.count)
        let facts = ThreadFacts(
            id: 0, status: ThreadStatus.new.rawValue, severity: item.score.severity.rawValue, severityRank: item.score.severity.rank,
            summary: summary, channel: m.channel.rawValue, authorName: m.authorName, authorHandle: m.authorHandle, brand: m.brand,
            segment: p.contactID.flatMap { self.facts.segments[$0] }, lastMentionAt: openedAt, lastEventAt: nil)
        plan.newThreads.append(ThreadPlan.NewThread(
            key: "\(m.sourceName)/\(m.key)", title: p.wording.title, sourceName: m.sourceName, openedAt: openedAt,
            mentionCount: 1, facts: facts))
        remember(ref, facts)
        plan.placements.append(ThreadPlan.Placement(thread: ref, opened: true, reopened: false))
        plan.events.append(ThreadPlan.Event(kind: "thread.opened", thread: ref, detail: p.wording.openedNote))
    }

    /// The rule of `Store.joinThread`: the count and last activity move, the status moves by
    /// ``ThreadStatus/afterCustomerWrote`` (recorded as a `customer_wrote` event), the brand and
    /// segment are filled in when missing, and a more severe mention raises the thread.
    mutating func join(_ ref: ThreadPlan.Ref, _ p: PlacementItem) {
        let (item, m) = (p.item, p.item.mention)
        guard var thread = threads[ref] else {
            // A thread the facts do not hold cannot be joined: the mention opens its own.
            open(p)
            return
        }
        let status = thread.status
        let reopened = status == ThreadStatus.resolved.rawValue
        let next = ThreadStatus(rawValue: status)?.afterCustomerWrote.rawValue ?? status
        let at = m.publishedAt.map { min($0.timeIntervalSince1970, now) } ?? now
        thread.lastMentionAt = (m.publishedAt?.timeIntervalSince1970 ?? now)
        thread.status = next
        if thread.brand == nil { thread.brand = m.brand }
        if thread.segment == nil { thread.segment = p.contactID.flatMap { facts.segments[$0] } }
        if next != status {
            let when = max(at, thread.lastEventAt ?? at)
            plan.statusChanges.append(ThreadPlan.StatusChange(thread: ref, at: when, from: status, to: next))
            thread.lastEventAt = when
        }
        if item.score.severity.rank < thread.severityRank {
            thread.severity = item.score.severity.rawValue
            thread.severityRank = item.score.severity.rank
            thread.summary = p.wording.summary
        }
        if reopened { plan.events.append(ThreadPlan.Event(kind: "thread.reopened", thread: ref, detail: "the customer wrote again")) }
        threads[ref] = thread
        switch ref {
        case .stored(let id):
            plan.updates[id, default: ThreadPlan.Update(joined: 0, facts: thread)].joined += 1
            plan.updates[id]!.facts = thread
        case .new(let n):
            plan.newThreads[n].mentionCount += 1
            plan.newThreads[n].facts = thread
        }
        plan.placements.append(ThreadPlan.Placement(thread: ref, opened: false, reopened: reopened))
    }
}
