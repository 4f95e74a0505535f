import Foundation

/// The outcome of a completed HTTP (or file) transfer.
///
/// Every HTTP status is returned, not thrown: the poller needs 304, 410, 429 and 503 with their
/// headers. Use `checked()` where only 2xx/304 is acceptable (webhooks).
/// ```swift
/// let response = try await client.get(url, etag: etag)
/// if response.isNotModified { return }
/// if let moved = response.permanentRedirectURL { source.url = moved }
/// ```
public struct FetchResponse: Sendable {
    /// The final HTTP status; `file://` transfers report 200.
    public var status: Int
    /// The final response's header fields (not those of redirects).
    public var headers: FetchHeaders
    /// The decoded body (gzip/deflate already undone).
    public var body: [UInt8]
    /// The URL that was requested.
    public var requestedURL: String
    /// The URL the body came from, after redirects.
    public var effectiveURL: String
    /// Every redirect followed, in order.
    public var redirects: [FetchRedirect]

    public init(
        status: Int, headers: FetchHeaders, body: [UInt8], requestedURL: String,
        effectiveURL: String, redirects: [FetchRedirect] = []
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.requestedURL = requestedURL
        self.effectiveURL = effectiveURL
        self.redirects = redirects
    }

    /// The URL the caller should store instead of the requested one: the target of the last
    /// permanent redirect (301/308) in the unbroken run of permanent redirects at the start of the
    /// chain. A temporary redirect (302/303/307) ends the run. Nil if the first hop was not permanent.
    public var permanentRedirectURL: String? {
        var target: String?
        for redirect in redirects {
            guard redirect.isPermanent else { break }
            target = redirect.to
        }
        return target
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var isNotModified: Bool { status == 304 }

    /// The body decoded as UTF-8 (lossy); for tests and logs.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// `Retry-After` as a delay from `now` (seconds or HTTP-date), nil if absent or invalid.
    public func retryAfter(now: Date = Date()) -> TimeInterval? {
        headers["Retry-After"].flatMap { CacheHeaders.retryAfter($0, now: now) }
    }

    /// How long the response may be considered fresh (`max-age`, else `Expires` − `Date`).
    public func freshnessLifetime(now: Date = Date()) -> TimeInterval? {
        CacheHeaders.freshnessLifetime(
            cacheControl: headers["Cache-Control"], expires: headers["Expires"],
            date: headers["Date"], now: now)
    }

    /// Returns self for 2xx and 304; throws `.httpStatus(status)` otherwise.
    public func checked() throws(FetchError) -> FetchResponse {
        guard isSuccess || isNotModified else {
            throw FetchError(.httpStatus(status), url: requestedURL, detail: "HTTP status \(status)")
        }
        return self
    }
}

/// One redirect that was followed.
public struct FetchRedirect: Sendable, Equatable {
    public var status: Int
    public var from: String
    public var to: String

    public init(status: Int, from: String, to: String) {
        self.status = status
        self.from = from
        self.to = to
    }

    /// 301 Moved Permanently or 308 Permanent Redirect.
    public var isPermanent: Bool { status == 301 || status == 308 }
}
