import Foundation
import Hummingbird
import OutcryApp
import Synchronization

/// Queue pages kept for a moment: the dashboard's queue page's threads (``QueuePageCache``) and
/// the JSON API's encoded thread lists. Every open dashboard asks for the same page (the live
/// queue's script reloads it in every browser when the queue changes), and reading and
/// evaluating a page's threads is most of the page's work.
///
/// An entry serves a page (filters, offset, limit) while all of these hold:
/// - the queue's stamp (``Desk/queueStamp()``: the newest thread, mention and lifecycle event)
///   is the one it was read at, so a new thread, mention or action shows at once;
/// - no write came through this server since (``invalidate()``, after every POST: a
///   note, a merge or an erasure changes no stamp);
/// - less than ``lifetime`` has passed (writes by other processes without a new id, such as
///   `outcry privacy erase`, show within it);
/// - no SLA deadline of its threads has passed since (a breach shows at once).
final class MomentCache<Value: Sendable>: Sendable {
    struct Entry {
        var stamp: String
        var generation: Int
        var readAt: Date
        var validUntil: Date
        var value: Value
    }

    /// How long an entry serves at most.
    static var lifetime: TimeInterval { 1 }
    /// Pages kept at most (the first pages of the filters people use).
    static var capacity: Int { 64 }

    private let state = Mutex<(generation: Int, entries: [String: Entry])>((0, [:]))

    /// The value of page `key` read at `stamp`, when an entry still serves at `now`.
    func lookup(_ key: String, stamp: String, now: Date) -> Value? {
        state.withLock { state in
            guard let e = state.entries[key], e.stamp == stamp, e.generation == state.generation,
                  now >= e.readAt, now < e.validUntil else { return nil }
            return e.value
        }
    }

    /// Keeps the value of page `key`, read at `stamp` and `now`, until `until` at the latest
    /// (``lifetime`` at most); after a write began (another generation), nothing is kept.
    func keep(_ key: String, stamp: String, generation: Int, now: Date, _ value: Value, until: Date? = nil) {
        let until = min(until ?? .distantFuture, now.addingTimeInterval(Self.lifetime))
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.entries.count >= Self.capacity, state.entries[key] == nil {
                // The stale entries go first, else the oldest one.
                let stale = state.entries.filter { $0.value.validUntil <= now }.map(\.key)
                if stale.isEmpty, let oldest = state.entries.min(by: { $0.value.readAt < $1.value.readAt })?.key {
                    state.entries[oldest] = nil
                } else {
                    for k in stale { state.entries[k] = nil }
                }
            }
            state.entries[key] = Entry(stamp: stamp, generation: generation, readAt: now, validUntil: until, value: value)
        }
    }

    /// The generation a read starts in (pass it to ``keep(_:stamp:generation:now:_:until:)``).
    var generation: Int { state.withLock { $0.generation } }

    /// How many pages are kept.
    var count: Int { state.withLock { $0.entries.count } }

    /// Forgets every entry (a write came through this server).
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}

/// The queue page's threads (the dashboard's `/`).
typealias QueuePageCache = MomentCache<[ThreadOverview]>

extension MomentCache where Value == [ThreadOverview] {
    /// Keeps a queue page's threads; the entry ends at their first deadline to come, so a breach shows at once.
    func store(_ key: String, stamp: String, generation: Int, now: Date, _ overviews: [ThreadOverview]) {
        var first: Date?
        for o in overviews {
            if case .at(let deadline, _) = o.due, deadline < (first ?? .distantFuture) { first = deadline }
        }
        keep(key, stamp: stamp, generation: generation, now: now, overviews, until: first)
    }
}

/// Forgets the queue pages read so far once a request that may write has been answered
/// (any method but GET and HEAD: the pages' forms, the JSON API's actions).
struct WriteInvalidatesMiddleware<Context: RequestContext>: RouterMiddleware {
    let invalidate: @Sendable () -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        defer { invalidate() }
        return try await next(request, context)
    }
}
