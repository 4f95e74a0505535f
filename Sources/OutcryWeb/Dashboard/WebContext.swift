import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import OutcryApp

/// The request context of Outcry's router: who is asking (set by the session or token
/// middleware) and from which address (for the login rate limit).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The person behind the request; nil until a middleware finds a session or a token.
    public var principal: Principal?
    /// The peer's IP address ("" when unknown).
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }
}

/// bcrypt from hummingbird-auth, run on a thread of its own: a hash at cost 12 takes a quarter
/// of a second of CPU, which must not hold one of the concurrency pool's few threads.
public struct BcryptHasher: PasswordHasher {
    public let cost: UInt8

    /// `cost` 12 by default; tests use the minimum (4).
    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async -> String {
        let cost = self.cost
        return await Self.offPool { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async -> Bool {
        await Self.offPool { Bcrypt.verify(password, hash: hash) }
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}

/// Failed logins counted per account and per address over a sliding window: past the limit,
/// logins are refused (429) until the window has moved on. In memory: a restart forgets.
actor LoginLimiter {
    let window: TimeInterval
    let perAccount: Int
    let perAddress: Int
    private var failures: [String: [Date]] = [:]

    init(window: TimeInterval = 15 * 60, perAccount: Int = 5, perAddress: Int = 20) {
        self.window = window
        self.perAccount = perAccount
        self.perAddress = perAddress
    }

    /// Seconds until a login is allowed again for this account or address; nil when allowed now.
    func retryAfter(account: String, address: String, now: Date) -> TimeInterval? {
        var wait: TimeInterval?
        for (key, limit) in [("u:" + account.lowercased(), perAccount), ("a:" + address, perAddress)] {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait ?? 0, window - now.timeIntervalSince(oldest))
            }
        }
        return wait
    }

    func recordFailure(account: String, address: String, now: Date) {
        failures["u:" + account.lowercased(), default: []].append(now)
        failures["a:" + address, default: []].append(now)
        // A flood of invented names must not grow the table without bound.
        if failures.count > 10_000 {
            failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        }
    }

    func recordSuccess(account: String) {
        failures["u:" + account.lowercased()] = nil
    }
}
