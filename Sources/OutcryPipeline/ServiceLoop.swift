import Foundation
import Logging
import ServiceLifecycle

/// The loop every periodic service runs: one pass, then a wait, until graceful shutdown (or
/// cancellation). A failed pass is logged with `what` and the loop goes on; the wait ends at
/// once on shutdown. `pass` returns how long to wait before the next one (seconds).
///
/// ```swift
/// try await ServiceLoop.run("crisis check", logger: logger) { try await check(); return every }
/// ```
public enum ServiceLoop {
    public static func run(_ what: String, logger: Logger, minimumWait: TimeInterval = 0.05, failureWait: TimeInterval = 1,
                           pass: () async throws -> TimeInterval) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait: TimeInterval
            do {
                wait = try await pass()
            } catch {
                logger.error("\(what) failed: \(error)")
                wait = failureWait
            }
            let sleep = Duration.milliseconds(Int(max(minimumWait, wait) * 1000))
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: sleep)
            }
        }
    }
}
