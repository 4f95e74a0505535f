import Foundation
import Logging
import OutcryModel
import OutcryStore
import ServiceLifecycle

/// Delivers queued alerts to the log, marking each one sent. The first receiver every
/// installation has; chat, webhook and e-mail receivers plug into the same outbox.
public struct LogDispatcher: Service {
    let store: Store
    let logger: Logger
    let clock: any WallClock
    let pollEvery: TimeInterval

    public init(store: Store, logger: Logger = Logger(label: "outcry.alerts"), clock: any WallClock = SystemWallClock(), pollEvery: TimeInterval = 1) {
        self.store = store
        self.logger = logger
        self.clock = clock
        self.pollEvery = pollEvery
    }

    /// Delivers everything due now; returns how many were sent.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var sent = 0
        for message in try await store.dueOutbox(now: clock.now()) where message.receiver == "log" {
            let payload = (try? JSONDecoder().decode(AlertPayload.self, from: Data(message.payload.utf8)))
            if let payload {
                if let thread = payload.threadID {
                    logger.notice("\(payload.severity) \(payload.event) thread \(thread): \(payload.title) — \(payload.summary)")
                } else {
                    logger.notice("\(payload.event) \(payload.source): \(payload.summary)")
                }
            } else {
                logger.notice("alert \(message.kind): \(message.payload)")
            }
            try await store.markSent(message.id, now: clock.now())
            sent += 1
        }
        return sent
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await deliverDue() } catch { logger.error("alert delivery failed: \(error)") }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(Int(pollEvery * 1000)))
            }
        }
    }
}
