import Foundation
@testable import OutcryAlerting
import Testing

@Suite struct RetryPolicyTests {
    static let now = utc("2026-03-23T10:00:00Z")
    static let policy = RetryPolicy(maxAttempts: 5, baseDelay: ConfigDuration(seconds: 10), maxDelay: .minutes(5), multiplier: 2, jitter: 0.2)

    static let retryable: [(DeliveryFailure, Bool)] = [
        (.http(500), true), (.http(502), true), (.http(503), true), (.http(429), true), (.http(408), true),
        (.http(400), false), (.http(401), false), (.http(404), false), (.http(410), false), (.http(422), false),
        (DeliveryFailure(kind: .timeout), true), (DeliveryFailure(kind: .connection), true),
        (DeliveryFailure(kind: .smtp, code: 451), true), (DeliveryFailure(kind: .smtp, code: 550), false),
        (DeliveryFailure(kind: .local), false),
    ]

    @Test(arguments: retryable.indices)
    func classifiesFailures(_ i: Int) {
        #expect(Self.retryable[i].0.isRetryable == Self.retryable[i].1, "\(Self.retryable[i].0)")
    }

    /// (failures so far, jitter sample, expected delay)
    static let backoff: [(Int, Double, TimeInterval)] = [
        (1, 0.5, 10), (2, 0.5, 20), (3, 0.5, 40), (4, 0.5, 80),
        (1, 0.0, 8), (1, 1.0, 12), (3, 0.0, 32),
        (9, 0.5, 300), (9, 1.0, 360),
    ]

    @Test(arguments: backoff.indices)
    func exponentialWithJitter(_ i: Int) {
        let (n, sample, expected) = Self.backoff[i]
        #expect(abs(Self.policy.backoff(afterFailures: n, jitterSample: sample) - expected) < 1e-9)
    }

    @Test func decisions() {
        let p = Self.policy
        #expect(p.decide(failure: .http(503), attemptsMade: 2, now: Self.now, jitterSample: 0.5) == .retry(at: Self.now + 20, reason: "attempt 3 of 5 after 20s"))
        #expect(p.decide(failure: .http(429, retryAfter: "120"), attemptsMade: 1, now: Self.now, jitterSample: 0.5)
            == .retry(at: Self.now + 120, reason: "attempt 2 of 5 after Retry-After 2m"))
        // Retry-After shorter than the backoff does not shorten it.
        #expect(p.decide(failure: .http(503, retryAfter: "1"), attemptsMade: 3, now: Self.now, jitterSample: 0.5) == .retry(at: Self.now + 40, reason: "attempt 4 of 5 after 40s"))
        // An HTTP date, capped at max_retry_after (6h).
        #expect(p.decide(failure: .http(503, retryAfter: "Mon, 23 Mar 2026 10:05:00 GMT"), attemptsMade: 1, now: Self.now, jitterSample: 0.5)
            == .retry(at: Self.now + 300, reason: "attempt 2 of 5 after Retry-After 5m"))
        #expect(p.decide(failure: .http(503, retryAfter: "86400"), attemptsMade: 1, now: Self.now, jitterSample: 0.5)
            == .retry(at: Self.now + 6 * 3600, reason: "attempt 2 of 5 after Retry-After 6h"))
        #expect(p.decide(failure: .http(503), attemptsMade: 5, now: Self.now, jitterSample: 0.5) == .deadLetter(reason: "gave up after 5 attempts; last: HTTP 503"))
        #expect(p.decide(failure: .http(404), attemptsMade: 1, now: Self.now, jitterSample: 0.5) == .deadLetter(reason: "HTTP 404 is not worth retrying"))
    }

    @Test func parsesRetryAfter() {
        #expect(RetryPolicy.parseRetryAfter("30", now: Self.now) == 30)
        #expect(RetryPolicy.parseRetryAfter("Mon, 23 Mar 2026 09:00:00 GMT", now: Self.now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon", now: Self.now) == nil)
        #expect(RetryPolicy.parseRetryAfter("-5", now: Self.now) == nil)
    }

    @Test func decodesWithDefaults() throws {
        let p = try decodeJSON(RetryPolicy.self, #"{"max_attempts": 3, "base_delay": "1m"}"#)
        #expect(p.maxAttempts == 3 && p.baseDelay.seconds == 60 && p.maxDelay.seconds == 3600)
        #expect(throws: (any Error).self) { try decodeJSON(RetryPolicy.self, #"{"jitter": 2}"#) }
    }
}
