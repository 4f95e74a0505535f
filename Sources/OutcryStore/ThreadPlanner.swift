import Foundation
import OutcryModel

/// A stored thread as placement sees it: what the rules read and what a join changes.
struct ThreadFacts: Sendable, Equatable {
    var id: Int64
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
    var threadOfKey: [String: Int64] = [:]
    /// The stored threads the batch's mentions could join: their parents' threads, the fallback
    /// threads, and the open threads of their authors active since the earliest window start.
    var threads: [Int64: ThreadFacts] = [:]
    /// The tiers of the batch's contacts (those who opted out left out).
    var segments: [Int64: String] = [:]
}

/// One actionable mention to place, in commit order.
struct PlacementItem: Sendable {
    var item: ScoredMention
    /// Its row, when it is stored before it is placed (one by one; a plan places it before).
    var mentionID: Int64
    var contactID: Int64?
    /// Mail: the thread of the same sender's mail with the same subject, when no reference matches.
    var fallbackThread: Int64?
    /// Its summary and thread title (made here when not made before).
    var wording: ThreadWording

    init(item: ScoredMention, mentionID: Int64, contactID: Int64?, fallbackThread: Int64? = nil, wording: ThreadWording? = nil) {
        self.item = item
        self.mentionID = mentionID
        self.contactID = contactID
        self.fallbackThread = fallbackThread
        self.wording = wording ?? ThreadWording(item)
    }
}

/// Where each mention of a batch goes and what that changes, decided from ``PlacementFacts``
/// alone (no database), in the order the mentions came: a reply joins its parent's thread, mail
/// its fallback thread, a non-reply its author's open thread on the same channel and brand
/// active within the window, and anything else opens a thread. The store then writes the plan
/// in a few bulk statements (``Store/write(_:)``).
///
/// The rules are those of ``Store/placeInThread(_:mentionID:now:fallbackThread:contactID:)``
/// applied one mention after the other; `BulkThreadTests` holds the two equal.
struct ThreadPlan: Sendable {
    /// A thread of the plan: stored, or the n-th one the plan opens.
    enum Ref: Hashable, Sendable {
        case stored(Int64)
        case new(Int)
    }

    struct Placement: Sendable, Equatable {
        var thread: Ref
        var opened: Bool
        var reopened: Bool
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

    /// A `thread.opened` or `thread.reopened` event.
    struct Event: Sendable {
        var kind: String
        var thread: Ref
        /// What the event says, secrets already masked (``ThreadWording/openedNote``).
        var detail: String
    }

    /// By position in the items.
    var placements: [Placement] = []
    var newThreads: [NewThread] = []
    var updates: [Int64: Update] = [:]
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
        defer { placedKeys[m.key] = plan.placements.last?.thread }
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

    /// Ids grow with insertion: the plan's new threads come after every stored one, in order.
    static func order(_ ref: ThreadPlan.Ref) -> Int64 {
        switch ref {
        case .stored(let id): id
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
