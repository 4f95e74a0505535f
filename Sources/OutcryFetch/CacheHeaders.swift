import Foundation

/// Pure helpers for the caching and back-off headers a polite poller honours.
///
/// ```swift
/// CacheHeaders.retryAfter("120", now: now)                            // 120
/// CacheHeaders.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) // seconds until then, ≥ 0
/// CacheHeaders.maxAge(cacheControl: "public, max-age=300")           // 300
/// ```
public enum CacheHeaders {
    /// `Retry-After`: delay-seconds or an HTTP-date, as a non-negative delay from `now`.
    /// Nil when the value is neither.
    public static func retryAfter(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return TimeInterval(trimmed.prefix(12))
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// The `max-age` directive of a `Cache-Control` value (`s-maxage` is ignored: this is a
    /// private client). Nil when absent or malformed; 0 for `no-cache`/`no-store` without max-age.
    public static func maxAge(cacheControl: String) -> TimeInterval? {
        var noCache = false
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "max-age", parts.count == 2 {
                let raw = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                guard !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return TimeInterval(raw.prefix(12))
            }
            if name == "no-cache" || name == "no-store" { noCache = true }
        }
        return noCache ? 0 : nil
    }

    /// `Expires` relative to the response's `Date` (or `now` without one). An invalid date such
    /// as `0` means "already expired" (RFC 9111 §5.3) and gives 0. Nil when `expires` is nil.
    public static func expires(_ expires: String?, date: String? = nil, now: Date) -> TimeInterval? {
        guard let expires else { return nil }
        guard let expiry = HTTPDate.parse(expires) else { return 0 }
        let base = date.flatMap(HTTPDate.parse) ?? now
        return max(0, expiry.timeIntervalSince(base))
    }

    /// Freshness lifetime: `max-age` wins over `Expires`; nil when neither says anything.
    public static func freshnessLifetime(
        cacheControl: String?, expires expiresValue: String?, date: String?, now: Date
    ) -> TimeInterval? {
        if let cacheControl, let maxAge = maxAge(cacheControl: cacheControl) { return maxAge }
        return expires(expiresValue, date: date, now: now)
    }
}
