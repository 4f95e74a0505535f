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
    func crisisMonitor(store: Store, alerting: AlertSettings?, clock: any WallClock) -> CrisisMonitor {
        CrisisMonitor(store: store, settings: config.crisis, brands: config.brands.map(\.name), alerting: alerting, clock: clock, logger: logger)
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
            // Alerts are routed in the transaction that raises them.
            let alerting = try alertSettings()
            let poller = Poller(store: store, client: client, scorer: try await scorer(store: store), settings: pollerSettings, alerting: alerting,
                                clock: clock, logger: logger, linker: makeLinker(store), brands: try config.brandTagger(), journal: parseJournal)
            try await poller.quarantineCrashedParses()
            let chosen = only.map { names in config.sources.filter { names.contains($0.name) } }
            let results: [SourcePollResult]
            if let chosen { results = await poller.pollAll(chosen) } else if force { results = await poller.pollAll(config.sources) } else {
                results = try await poller.pollDue(config.sources)
            }
            // A brand's spike of negative mentions opens a crisis (its alert joins the outbox).
            try await crisisMonitor(store: store, alerting: alerting, clock: clock).check()
            // Alerting: clocks first (their notices join the outbox), then delivery.
            let (dispatcher, clocks) = alertServices(store: store, client: client, settings: alerting, clock: clock)
            try await clocks?.tick()
            // Deliver what is due now: a cron pass sends its P1s before it exits.
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
    /// that App does not import Web); they run with the `web` role.
    ///
    /// `roles` splits the work between processes on one database (`outcry run --role`): each
    /// poller claims the sources it polls, and the dispatcher, the clocks, the crisis monitor,
    /// retention, contact sync and retraining each run on one elected worker at a time.
    public func run(roles: Set<WorkerRole> = Set(WorkerRole.allCases), extraServices: (Store) throws -> [any Service] = { _ in [] }) async throws {
        let lock = try DataDirectoryLock.acquire(directory: config.dataDirectory, shared: true)
        defer { lock.release() }
        let store = try await openStore()
        let client = makeClient()
        let identity = WorkerIdentity.current()
        let leases = config.workers
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        do {
            // Alerts are routed in the transaction that raises them.
            let alerting = try alertSettings()
            services.append(.init(service: WorkerHeartbeat(store: store, identity: identity, roles: roles.sorted().map(\.rawValue), settings: leases, logger: logger)))
            func elected(_ name: String, _ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
                .init(service: ElectedService(name, service: service, store: store, owner: identity.id, settings: leases, logger: logger))
            }
            if roles.contains(.poller) {
                let poller = Poller(store: store, client: client, scorer: try await scorer(store: store), settings: pollerSettings, alerting: alerting,
                                    logger: logger, linker: makeLinker(store), brands: try config.brandTagger(), journal: parseJournal)
                try await poller.quarantineCrashedParses()
                let scoring = config.scoring
                let logger = logger
                let loaded = ActiveModelVersion(try await store.activeScorerVersion())
                services.append(.init(service: PollingService(poller: poller, sources: config.sources, logger: logger, owner: identity.id, leases: leases) {
                    // A model trained (or rolled back) by another worker is picked up before the next pass.
                    let active = try await store.activeScorerVersion()
                    guard loaded.change(to: active) else { return }
                    if let record = try await store.activeScorerModel() {
                        poller.scorers.use(Scorer(config: scoring, model: try ModelCodec.decode(record.model, name: "scorer model v\(record.version)")))
                        logger.info("scoring with the installation's model v\(record.version), trained by another worker")
                    } else {
                        poller.scorers.use(Scorer(config: scoring))
                        logger.info("scoring with the base model again")
                    }
                }))
            }
            // Alerting: the outbox dispatcher (receivers, grouping, retries) and the SLA/escalation clocks.
            let (dispatcher, clocks) = alertServices(store: store, client: client, settings: alerting)
            if roles.contains(.dispatcher) { services.append(elected("dispatcher", dispatcher)) }
            if roles.contains(.clocks) {
                if let clocks { services.append(elected("clocks", clocks)) }
                if !config.brands.isEmpty { services.append(elected("crisis monitor", crisisMonitor(store: store, alerting: alerting, clock: SystemWallClock()))) }
                // Scheduled contact sync and retention purge, when configured.
                if let sync = config.contacts.syncSettings { services.append(elected("contact sync", ContactSyncService(store: store, settings: sync))) }
                if config.retention.isEnabled { services.append(elected("retention", RetentionService(store: store, settings: config.retention))) }
                if config.scoring.retrainAfterLabels > 0 {
                    // The pollers (here and on other workers) pick the new model up before their next pass.
                    services.append(elected("retraining", RetrainService(store: store, after: config.scoring.retrainAfterLabels, logger: logger) { _ in }))
                }
            }
            if roles.contains(.web) { services += try extraServices(store).map { .init(service: $0) } }
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("outcry running as worker \(identity.id) (\(roles.sorted().map(\.rawValue).joined(separator: ", "))): \(config.sources.count) sources, data in \(config.dataDirectory)")
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

/// The scorer model version a worker last loaded; a pass compares it with the active one.
final class ActiveModelVersion: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int?

    init(_ version: Int?) { self.version = version }

    /// Records `version`; true when it differs from the one loaded.
    func change(to version: Int?) -> Bool {
        lock.withLock {
            defer { self.version = version }
            return self.version != version
        }
    }
}
