import Foundation

/// How the poller schedules, limits and backs off.
public struct PollerSettings: Sendable, Equatable {
    /// Interval for sources that do not set one, in seconds.
    public var defaultInterval: TimeInterval = 900
    /// Sources polled at once in one pass (the fetch client also limits per host).
    public var maxConcurrent = 32
    /// Sources of one host polled at once (matches the fetch client's connections per host).
    public var maxPerHost = 4
    public var backoffCap: TimeInterval = 6 * 3600
    /// A source failing this long raises one "source down" event.
    public var downAfter: TimeInterval = 3600
    public var connectTimeout: TimeInterval = 10
    public var timeout: TimeInterval = 60
    public var maxBodyBytes = 15 * 1024 * 1024
    public var alertOnBacklog = false
    /// An author's open thread takes their next post (not a reply) on the same channel and brand
    /// within this time since its last mention (0: only replies join threads).
    public var threadWindow: TimeInterval = 24 * 3600
    /// A server's caching headers or a feed's `<ttl>` may lengthen a source's interval up to this.
    public var maxInterval: TimeInterval = 24 * 3600

    public init() {}
}

/// When to try a source again: exponential backoff with jitter after errors, never shorter
/// than the configured interval, never longer than the cap — and never giving up.
public enum PollSchedule {
    /// Delay before the next attempt after `consecutiveErrors` failures in a row (1 = first failure).
    public static func backoff(
        interval: TimeInterval, consecutiveErrors: Int, cap: TimeInterval, jitter: Double
    ) -> TimeInterval {
        let base = max(30, min(interval, cap))
        let exponent = min(max(consecutiveErrors - 1, 0), 30)
        let raw = min(cap, base * pow(2, Double(exponent)))
        // ±20 % so that sources failing together do not come back together.
        return min(cap, max(1, raw * (0.8 + 0.4 * min(max(jitter, 0), 1))))
    }

    /// Delay before the next poll after a success: the configured interval, lengthened (never
    /// shortened) by what the server or the feed asks for.
    public static func afterSuccess(
        interval: TimeInterval, serverLifetime: TimeInterval?, feedTTLMinutes: Int?, maxInterval: TimeInterval
    ) -> TimeInterval {
        var wanted = interval
        if let serverLifetime { wanted = max(wanted, serverLifetime) }
        if let ttl = feedTTLMinutes, ttl > 0 { wanted = max(wanted, TimeInterval(ttl) * 60) }
        return max(interval, min(wanted, max(maxInterval, interval)))
    }
}
