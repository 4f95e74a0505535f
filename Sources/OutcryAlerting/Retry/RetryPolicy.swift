import Foundation

/// How a delivery attempt failed, as the delivery loop saw it.
public struct DeliveryFailure: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The server answered with a status code.
        case http
        /// No answer in time.
        case timeout
        /// Could not connect / DNS / TLS / connection reset.
        case connection
        /// SMTP reply code (4xx transient, 5xx permanent).
        case smtp
        /// Our own fault (bad URL, payload too large): retrying cannot help.
        case local
    }

    public var kind: Kind
    /// HTTP status or SMTP reply code.
    public var code: Int?
    /// The `Retry-After` header as received (seconds or an HTTP date).
    public var retryAfter: String?
    public var message: String

    public init(kind: Kind, code: Int? = nil, retryAfter: String? = nil, message: String = "") {
        self.kind = kind
        self.code = code
        self.retryAfter = retryAfter
        self.message = message
    }

    public static func http(_ status: Int, retryAfter: String? = nil) -> DeliveryFailure {
        DeliveryFailure(kind: .http, code: status, retryAfter: retryAfter, message: "HTTP \(status)")
    }

    /// Whether trying again may succeed: timeouts, connection errors, HTTP 5xx, 408, 425, 429 and
    /// SMTP 4xx yes; other 4xx, SMTP 5xx and local errors no.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .connection: return true
        case .local: return false
        case .smtp: return (400..<500).contains(code ?? 0)
        case .http:
            guard let code else { return true }
            return code >= 500 || code == 408 || code == 425 || code == 429
        }
    }
}

/// Exponential backoff with jitter, honouring `Retry-After`, ending in the dead-letter queue.
///
/// Delay before attempt n+1 (after n failures): `min(max_delay, base_delay × multiplier^(n−1))`,
/// spread by ±`jitter` (a fraction), and never earlier than the server's `Retry-After`
/// (itself capped by `max_retry_after`).
///
/// ```swift
/// let next = RetryPolicy().decide(failure: .http(503), attemptsMade: 2, now: now, jitterSample: .random(in: 0..<1))
/// ```
public struct RetryPolicy: Sendable, Equatable, Codable {
    public var maxAttempts: Int
    public var baseDelay: ConfigDuration
    public var maxDelay: ConfigDuration
    public var multiplier: Double
    /// 0...1: 0.2 spreads each delay over ±20 %.
    public var jitter: Double
    public var maxRetryAfter: ConfigDuration

    public init(maxAttempts: Int = 8, baseDelay: ConfigDuration = ConfigDuration(seconds: 5), maxDelay: ConfigDuration = .hours(1),
                multiplier: Double = 2, jitter: Double = 0.2, maxRetryAfter: ConfigDuration = .hours(6)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    enum CodingKeys: String, CodingKey {
        case maxAttempts = "max_attempts", baseDelay = "base_delay", maxDelay = "max_delay", multiplier, jitter
        case maxRetryAfter = "max_retry_after"
    }

    public init(from decoder: Decoder) throws {
        let d = RetryPolicy()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? d.maxAttempts
        baseDelay = try c.decodeIfPresent(ConfigDuration.self, forKey: .baseDelay) ?? d.baseDelay
        maxDelay = try c.decodeIfPresent(ConfigDuration.self, forKey: .maxDelay) ?? d.maxDelay
        multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier) ?? d.multiplier
        jitter = try c.decodeIfPresent(Double.self, forKey: .jitter) ?? d.jitter
        maxRetryAfter = try c.decodeIfPresent(ConfigDuration.self, forKey: .maxRetryAfter) ?? d.maxRetryAfter
        guard maxAttempts >= 1, multiplier >= 1, (0...1).contains(jitter) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "retry: max_attempts must be ≥ 1, multiplier ≥ 1 and jitter within 0…1"))
        }
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Date, reason: String)
        case deadLetter(reason: String)
    }

    /// What to do after a failed attempt.
    ///
    /// - Parameters:
    ///   - attemptsMade: attempts so far, including the one that just failed (≥ 1).
    ///   - jitterSample: a number in 0..<1 (inject a fixed one in tests).
    public func decide(failure: DeliveryFailure, attemptsMade: Int, now: Date, jitterSample: Double) -> Decision {
        guard failure.isRetryable else {
            return .deadLetter(reason: "\(failure.message.isEmpty ? failure.kind.rawValue : failure.message) is not worth retrying")
        }
        guard attemptsMade < maxAttempts else {
            return .deadLetter(reason: "gave up after \(attemptsMade) attempts; last: \(failure.message.isEmpty ? failure.kind.rawValue : failure.message)")
        }
        var delay = backoff(afterFailures: attemptsMade, jitterSample: jitterSample)
        var reason = "attempt \(attemptsMade + 1) of \(maxAttempts) after \(ConfigDuration(seconds: delay.rounded()))"
        if let header = failure.retryAfter, let asked = Self.parseRetryAfter(header, now: now) {
            let honoured = min(asked, maxRetryAfter.seconds)
            if honoured > delay {
                delay = honoured
                reason = "attempt \(attemptsMade + 1) of \(maxAttempts) after Retry-After \(ConfigDuration(seconds: honoured.rounded()))"
            }
        }
        return .retry(at: now.addingTimeInterval(delay), reason: reason)
    }

    /// The jittered delay after `n` failures.
    public func backoff(afterFailures n: Int, jitterSample: Double) -> TimeInterval {
        let exponent = Double(max(0, n - 1))
        let raw = min(maxDelay.seconds, baseDelay.seconds * pow(multiplier, exponent))
        let spread = 1 - jitter + 2 * jitter * min(max(jitterSample, 0), 1)
        return raw * spread
    }

    /// Seconds to wait from a `Retry-After` value: delta seconds or an HTTP date (RFC 9110).
    public static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(v) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            f.dateFormat = format
            if let d = f.date(from: v) { return max(0, d.timeIntervalSince(now)) }
        }
        return nil
    }
}
