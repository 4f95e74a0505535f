import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OutcryModel
import OutcryStore
import ServiceLifecycle

/// Who this process is among the workers: host, pid and a random part, so a restarted
/// process (the same pid on another day) is a new worker.
public struct WorkerIdentity: Sendable, Equatable {
    public let id: String
    public let host: String
    public let pid: Int

    public static func current() -> WorkerIdentity {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "localhost"
        let pid = Int(getpid())
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return WorkerIdentity(id: "\(host):\(pid):\(random)", host: host, pid: pid)
    }

    public init(id: String, host: String, pid: Int) {
        self.id = id
        self.host = host
        self.pid = pid
    }
}

/// How long claims last without a heartbeat, and how often the heartbeat comes.
public struct LeaseSettings: Sendable, Equatable {
    /// A dead worker's sources and singletons are taken over this long after its last heartbeat.
    public var lease: TimeInterval = 60
    public var heartbeat: TimeInterval { max(0.2, lease / 4) }

    public init(lease: TimeInterval = 60) { self.lease = lease }
}

/// The worker's heartbeat: says it is alive, extends its source leases, and ends at once the
/// leases of workers on this machine whose process is gone (no need to wait for them to expire).
public struct WorkerHeartbeat: Service {
    let store: Store
    let worker: WorkerRecord
    let settings: LeaseSettings
    let logger: Logger

    public init(store: Store, identity: WorkerIdentity, roles: [String], settings: LeaseSettings, logger: Logger) {
        self.store = store
        let now = Date()
        worker = WorkerRecord(id: identity.id, roles: roles, host: identity.host, pid: identity.pid,
                              startedAt: now, heartbeatAt: now)
        self.settings = settings
        self.logger = logger
    }

    /// One beat: this worker's row, its leases, and the dead neighbours'.
    public func beat(now: Date = Date()) async throws {
        var record = worker
        record.heartbeatAt = now
        try await store.heartbeat(record)
        try await store.renewSourceLeases(owner: worker.id, until: now + settings.lease, now: now)
        for other in try await store.workers() where other.id != worker.id && other.host == worker.host && !Self.processIsAlive(other.pid) {
            logger.notice("worker \(other.id) is gone; its source leases are released")
            try await store.removeWorker(other.id)
        }
        // Workers on other machines that stopped without saying so leave the list after a while
        // (their leases expired long before).
        try await store.forgetWorkers(silentSince: now - max(3600, settings.lease * 10))
    }

    static func processIsAlive(_ pid: Int) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    public func run() async throws {
        await ServiceLoop.run("worker heartbeat", logger: logger, failureWait: settings.heartbeat) {
            try await beat()
            return settings.heartbeat
        }
        // A clean stop: the worker leaves the list and its leases end, so others take over at once.
        do { try await store.removeWorker(worker.id) } catch { logger.warning("could not remove the worker's row: \(error)") }
    }
}

/// Runs a singleton service only while this worker holds the lease `name`: a standby waits,
/// and takes over within one lease time after the holder dies; a holder that cannot renew
/// stops the service before its lease can have expired. A clean stop gives the lease up.
public struct ElectedService: Service {
    public let name: String
    let store: Store
    let owner: String
    let settings: LeaseSettings
    let service: any Service
    let logger: Logger

    public init(_ name: String, service: any Service, store: Store, owner: String, settings: LeaseSettings, logger: Logger) {
        self.name = name
        self.service = service
        self.store = store
        self.owner = owner
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let term: Int?
            do {
                term = try await store.acquireLease(name, owner: owner, ttl: settings.lease, now: Date())
            } catch {
                logger.error("lease '\(name)' could not be asked for: \(error)")
                term = nil
            }
            if let term {
                logger.info("this worker runs \(name) (lease term \(term))")
                let stoppedCleanly = try await runWhileHeld(since: Date())
                if stoppedCleanly { break }
                logger.warning("this worker lost the lease '\(name)'; \(name) stopped here")
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(Int(settings.heartbeat * 1000)))
            }
        }
        do { try await store.releaseLease(name, owner: owner) } catch { logger.warning("lease '\(name)' not released: \(error)") }
    }

    /// Runs the service beside the renewals; true when the service returned (shutdown), false
    /// when the lease was lost. A watchdog stops the service three missed heartbeats after the
    /// last renewal, a quarter of a lease before another worker could take it, even while a
    /// renewal is still waiting on a slow database.
    private func runWhileHeld(since: Date) async throws -> Bool {
        let heldUntil = HeldUntil(since + settings.lease)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await service.run()
                return true
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(Int(settings.heartbeat * 1000)))
                    let now = Date()
                    do {
                        guard try await store.acquireLease(name, owner: owner, ttl: settings.lease, now: now) != nil else { return false }
                        heldUntil.set(now + settings.lease)
                    } catch {
                        logger.error("lease '\(name)' could not be renewed: \(error)")
                    }
                }
            }
            group.addTask {
                while Date() < heldUntil.get() - settings.heartbeat {
                    try await Task.sleep(for: .milliseconds(min(100, Int(settings.heartbeat * 250))))
                }
                return false
            }
            let first = try await group.next() ?? true
            group.cancelAll()
            return first
        }
    }
}

/// Until when a lease is known to be held: the renewals move it, the watchdog reads it.
private final class HeldUntil: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date

    init(_ date: Date) { self.date = date }
    func get() -> Date { lock.withLock { date } }
    func set(_ date: Date) { lock.withLock { self.date = date } }
}
