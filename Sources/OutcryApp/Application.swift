import Foundation
import Logging
import OutcryFetch
import OutcryModel
import OutcryPipeline
import OutcryScoring
import OutcryStore
import ServiceLifecycle

/// Wires the modules together from a configuration: the store, the fetch client, the
/// scorer and the poller. `main` stays thin and the same wiring runs inside tests.
public struct Application: Sendable {
    public let config: OutcryConfig
    public let logger: Logger

    public init(config: OutcryConfig, logger: Logger = Logger(label: "outcry")) {
        self.config = config
        self.logger = logger
    }

    /// Opens the store; with `sync`, brings the sources table in line with the configuration
    /// (the poller does; read-only commands such as `queue` don't write).
    public func openStore(sync: Bool = true) async throws -> Store {
        let store = try await Store.open(database: config.database, directory: config.dataDirectory, logger: Logger(label: "outcry.store"))
        await store.setAuthorThreadWindow(config.polling.threadWindow)
        if sync { try await store.syncSources(config.sources) }
        return store
    }

    var pollerSettings: PollerSettings { config.polling }

    /// The scorer the pipeline uses: the configuration's rules, with the installation's model
    /// when the team has trained and activated one (`outcry scorer train`); rules alone until then.
    func scorer(store: Store) async throws -> Scorer {
        guard let record = try await store.activeScorerModel() else { return Scorer(config: config.scoring) }
        let model = try ModelCodec.decode(record.model, name: "\(store.path): scorer model v\(record.version)")
        logger.info("scoring with the installation's model v\(record.version) (\(record.labelCount) labels)")
        return Scorer(config: config.scoring, model: model)
    }

    /// Crash-loop protection for the parsers, in the data directory.
    var parseJournal: ParseJournal { ParseJournal(dataDirectory: config.dataDirectory) }

    /// The per-brand crisis detector over the stored mentions.
    func crisisMonitor(store: Store, clock: any WallClock) -> CrisisMonitor {
        CrisisMonitor(store: store, settings: config.crisis, brands: config.brands.map(\.name), clock: clock, logger: logger)
    }

    func makeClient() -> FetchClient {
        FetchClient(configuration: .init(
            maxConcurrentTransfers: config.polling.maxConcurrent, maxTotalConnections: config.polling.maxConcurrent,
            maxConnectionsPerHost: config.polling.maxPerHost
        ))
    }

    /// One polling pass under the data-directory lock: the sources that are due (their
    /// interval has passed and no backoff or Retry-After holds them), or all of them with
    /// `force`; with `only`, just the sources of those names, due or not. Returns each polled
    /// source's result in configuration order.
    public func pollOnce(force: Bool = false, only: Set<String>? = nil, clock: any WallClock = SystemWallClock()) async throws -> [SourcePollResult] {
        let lock = try DataDirectoryLock.acquire(directory: config.dataDirectory)
        defer { lock.release() }
        let store = try await openStore()
        let client = makeClient()
        do {
            let poller = Poller(store: store, client: client, scorer: try await scorer(store: store), settings: pollerSettings, clock: clock, logger: logger,
                                linker: makeLinker(store), brands: try config.brandTagger(), journal: parseJournal)
            try await poller.quarantineCrashedParses()
            let chosen = only.map { names in config.sources.filter { names.contains($0.name) } }
            let results: [SourcePollResult]
            if let chosen { results = await poller.pollAll(chosen) } else if force { results = await poller.pollAll(config.sources) } else {
                results = try await poller.pollDue(config.sources)
            }
            // A brand's spike of negative mentions opens a crisis (its alert joins the outbox).
            try await crisisMonitor(store: store, clock: clock).check()
            // Alerting: clocks first (their notices join the outbox), then delivery.
            let (dispatcher, clocks) = try alertServices(store: store, client: client, clock: clock)
            try await clocks?.tick()
            // Route, then deliver what routing made due now: a cron pass sends its P1s before it exits.
            try await dispatcher.deliverAllDue()
            await client.shutdown()
            try await store.close()
            return results
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
    }

    /// The daemon: pollers and the alert dispatcher in one `ServiceGroup`, until SIGTERM or
    /// SIGINT; then each finishes what it is committing and the store is closed. `extraServices`
    /// adds services that share the open store (`outcry run` adds the web server this way, so
    /// that App does not import Web).
    public func run(extraServices: (Store) throws -> [any Service] = { _ in [] }) async throws {
        let lock = try DataDirectoryLock.acquire(directory: config.dataDirectory)
        defer { lock.release() }
        let store = try await openStore()
        let client = makeClient()
        let poller: Poller
        do {
            poller = Poller(store: store, client: client, scorer: try await scorer(store: store), settings: pollerSettings, logger: logger,
                            linker: makeLinker(store), brands: try config.brandTagger(), journal: parseJournal)
            try await poller.quarantineCrashedParses()
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        // Alerting: the outbox dispatcher (routing, receivers, retries) and the SLA/escalation clocks.
        let dispatcher: AlertDispatcher
        let clocks: AlertClockService?
        do {
            (dispatcher, clocks) = try alertServices(store: store, client: client)
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PollingService(poller: poller, sources: config.sources, logger: logger)),
            .init(service: dispatcher),
        ]
        if let clocks { services.append(.init(service: clocks)) }
        if !config.brands.isEmpty { services.append(.init(service: crisisMonitor(store: store, clock: SystemWallClock()))) }
        do {
            services += try extraServices(store).map { .init(service: $0) }
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        // Scheduled contact sync and retention purge, when configured.
        if let sync = config.contacts.syncSettings { services.append(.init(service: ContactSyncService(store: store, settings: sync))) }
        if config.retention.isEnabled { services.append(.init(service: RetentionService(store: store, settings: config.retention))) }
        if config.scoring.retrainAfterLabels > 0 {
            let scoring = config.scoring
            services.append(.init(service: RetrainService(store: store, after: scoring.retrainAfterLabels, logger: logger) { model in
                poller.scorers.use(Scorer(config: scoring, model: model))
            }))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("outcry running: \(config.sources.count) sources, data in \(config.dataDirectory)")
        do {
            try await group.run()
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        await client.shutdown()
        try await store.close()
        logger.info("outcry stopped cleanly")
    }
}
