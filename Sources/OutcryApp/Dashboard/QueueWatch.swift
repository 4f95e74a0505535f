import Foundation
import OutcryStore
import ServiceLifecycle

extension Desk {
    /// The queue's current stamp (``Store/queueStamp()``): the queue page carries it, and
    /// ``watchQueue(every:heartbeatEvery:_:)`` says when it changes.
    public func queueStamp() async throws -> String {
        try await store.queueStamp()
    }

    /// Watches the queue for the live queue page (`/queue/events`): calls `send` with the stamp
    /// at once and whenever it changes (looked at every `interval`), and with nil after
    /// `heartbeatEvery` quiet looks (a keep-alive through proxies).
    ///
    /// Returns when the service group shuts down gracefully (ServiceLifecycle: `outcry run`
    /// stopping on SIGTERM) or the task is cancelled (the client hung up): a live stream never
    /// holds a shutdown up. Runs in the caller's task, so both reach it.
    public func watchQueue(every interval: Duration = .seconds(2), heartbeatEvery: Int = 10,
                           _ send: (String?) async throws -> Void) async throws {
        var last: String?
        var quiet = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let stamp = try await store.queueStamp()
            if stamp != last {
                try await send(stamp)
                last = stamp
                quiet = 0
            } else {
                quiet += 1
                if quiet >= heartbeatEvery {
                    try await send(nil)
                    quiet = 0
                }
            }
            // The wait ends early when the graceful shutdown begins.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }
}
