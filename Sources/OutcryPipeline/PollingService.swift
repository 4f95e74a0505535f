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

    /// The worker whose leases the polls run under (nil: poll whatever is due, alone).
    let owner: String?
    let leases: LeaseSettings
    /// Runs before each pass (a worker reloads a scorer model another worker trained).
    let beforePass: @Sendable () async throws -> Void

    public init(poller: Poller, sources: [SourceConfig], logger: Logger = Logger(label: "outcry.poller"), maxSleep: TimeInterval = 30,
                owner: String? = nil, leases: LeaseSettings = LeaseSettings(), beforePass: @escaping @Sendable () async throws -> Void = {}) {
        self.poller = poller
        self.sources = sources
        self.logger = logger
        self.maxSleep = maxSleep
        self.owner = owner
        self.leases = leases
        self.beforePass = beforePass
    }

    public func run() async throws {
        await ServiceLoop.run("polling pass", logger: logger, minimumWait: 0.2, failureWait: maxSleep) {
            try await beforePass()
            let results = if let owner { try await poller.pollClaimed(sources, owner: owner, leaseFor: leases.lease) }
                else { try await poller.pollDue(sources) }
            for result in results {
                if result.isFailure { logger.warning("\(result.summary)") } else { logger.info("\(result.summary)") }
            }
            let next = try await poller.nextDue(sources) ?? Date().addingTimeInterval(maxSleep)
            return min(maxSleep, next.timeIntervalSinceNow)
        }
        logger.info("poller stopped")
    }
}
