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
        await ServiceLoop.run("polling pass", logger: logger, minimumWait: 0.2, failureWait: maxSleep) {
            for result in try await poller.pollDue(sources) {
                if result.isFailure { logger.warning("\(result.summary)") } else { logger.info("\(result.summary)") }
            }
            let next = try await poller.nextDue(sources) ?? Date().addingTimeInterval(maxSleep)
            return min(maxSleep, next.timeIntervalSinceNow)
        }
        logger.info("poller stopped")
    }
}
