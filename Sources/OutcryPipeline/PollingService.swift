import Foundation
import Logging
import OutcryModel
import ServiceLifecycle

/// The daemon's poller: polls each source when it is due, until graceful shutdown.
///
/// A pass that has started finishes (each source commits in one transaction), then the
/// service returns; the wait between passes ends at once on shutdown.
public struct PollingService: Service {
    let poller: Poller
    let sources: [SourceConfig]
    let logger: Logger
    /// The longest sleep between checks, so that a changed schedule is noticed.
    let maxSleep: TimeInterval

    public init(poller: Poller, sources: [SourceConfig], logger: Logger = Logger(label: "outcry.poller"), maxSleep: TimeInterval = 30) {
        self.poller = poller
        self.sources = sources
        self.logger = logger
        self.maxSleep = maxSleep
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for result in try await poller.pollDue(sources) {
                    if result.isFailure { logger.warning("\(result.summary)") } else { logger.info("\(result.summary)") }
                }
            } catch {
                logger.error("polling pass failed: \(error)")
            }
            let next = (try? await poller.nextDue(sources)) ?? Date().addingTimeInterval(maxSleep)
            let wait = min(maxSleep, max(0.2, next.timeIntervalSinceNow))
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            }
        }
        logger.info("poller stopped")
    }
}
