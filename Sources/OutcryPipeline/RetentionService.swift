import Foundation
import Logging
import OutcryModel
import OutcryStore
import ServiceLifecycle

/// How long personal data is kept (nil: kept until erased).
public struct RetentionSettings: Sendable, Equatable {
    /// Mentions older than this lose their text, title, HTML, URL and author.
    public var mentions: TimeInterval?
    /// Mail mentions older than this lose their body.
    public var mailBodies: TimeInterval?

    public init(mentions: TimeInterval? = nil, mailBodies: TimeInterval? = nil) {
        self.mentions = mentions
        self.mailBodies = mailBodies
    }

    public var isEnabled: Bool { mentions != nil || mailBodies != nil }
}

/// Applies retention: once at start, then every `every` (default hourly), until graceful shutdown.
/// See ``OutcryStore/Store/purge(mentionsBefore:mailBodiesBefore:actor:now:)`` for what a purge keeps.
public struct RetentionService: Service {
    let store: Store
    let settings: RetentionSettings
    let every: TimeInterval
    let clock: any WallClock
    let logger: Logger

    public init(store: Store, settings: RetentionSettings, every: TimeInterval = 3600, clock: any WallClock = SystemWallClock(),
                logger: Logger = Logger(label: "outcry.retention")) {
        self.store = store
        self.settings = settings
        self.every = every
        self.clock = clock
        self.logger = logger
    }

    /// One purge, now.
    @discardableResult
    public func purgeOnce() async throws -> PurgeResult {
        let now = clock.now()
        let result = try await store.purge(
            mentionsBefore: settings.mentions.map { now.addingTimeInterval(-$0) },
            mailBodiesBefore: settings.mailBodies.map { now.addingTimeInterval(-$0) }, now: now)
        if result != PurgeResult() {
            logger.info("retention: \(result.mentionsPurged) mentions and \(result.mailBodiesPurged) mail bodies purged")
        }
        return result
    }

    public func run() async throws {
        guard settings.isEnabled else { return }
        await ServiceLoop.run("retention purge", logger: logger, failureWait: every) {
            try await purgeOnce()
            return every
        }
    }
}
