import OutcryModel
/// What to fetch and the limits that apply to one transfer.
///
/// Defaults are polite and safe for polling untrusted feeds: 10 s to connect, 60 s in total,
/// a body that trickles below 1 byte/s for 30 s times out, bodies over 15 MiB (decoded) are
/// refused, at most 5 redirects.
/// ```swift
/// var request = FetchRequest(url: "https://example.com/feed.xml")
/// request.etag = stored.etag            // sends If-None-Match
/// request.lastModified = stored.lastModified // sends If-Modified-Since
/// let response = try await client.fetch(request)
/// ```
public struct FetchRequest: Sendable {
    /// The HTTP method.
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    /// Abort a transfer whose average speed stays below `bytesPerSecond` for `duration`.
    public struct LowSpeedLimit: Sendable, Equatable {
        public var bytesPerSecond: Int
        /// Rounded up to whole seconds (libcurl's resolution), at least 1 s.
        public var duration: Duration

        public init(bytesPerSecond: Int, duration: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.duration = duration
        }
    }

    /// The product version sent in the default User-Agent.
    /// `Outcry/<version> (+self-hosted complaint monitor)`.
    public static let defaultUserAgent = "Outcry/\(OutcryVersion.string) (+self-hosted complaint monitor)"
    /// 15 MiB.
    public static let defaultMaxBodyBytes = 15 * 1024 * 1024

    /// An absolute `http://`, `https://` or `file://` URL.
    public var url: String
    public var method: Method
    /// Extra request headers (sent as given; a `User-Agent` here is ignored in favour of `userAgent`).
    public var headers: FetchHeaders
    /// The request body for POST (sent as-is; set `Content-Type` in `headers`).
    public var body: [UInt8]?
    /// A stored ETag; sent as `If-None-Match`.
    public var etag: String?
    /// A stored Last-Modified value; sent as `If-Modified-Since`.
    public var lastModified: String?
    public var connectTimeout: Duration
    /// The whole transfer, redirects included.
    public var timeout: Duration
    /// Nil disables the low-speed check.
    public var lowSpeedLimit: LowSpeedLimit?
    /// Cap on the decoded body; exceeding it aborts the transfer with `.tooLarge`.
    public var maxBodyBytes: Int
    /// Redirects followed before failing with `.tooManyRedirects`; 0 disables following.
    /// A POST never follows a redirect (a 307 would send the body again, signature and all):
    /// its 3xx answer is returned as it is.
    public var maxRedirects: Int
    public var userAgent: String
    /// Where redirects may lead (see ``InternalRedirects``); by default not into the machine or
    /// its network unless the configured URL points there itself.
    public var internalRedirects: InternalRedirects = .onlyFromInternalURL
    /// Fixed name resolutions, `host:port:address` (libcurl's `CURLOPT_RESOLVE`), e.g. for a
    /// test that stands a public-looking name on a server on 127.0.0.1.
    public var resolve: [String] = []

    /// Whether redirects may lead to loopback, link-local or private addresses.
    public enum InternalRedirects: Sendable, Equatable {
        /// Only when the configured URL is itself internal: its host is such an address
        /// literally (`127.0.0.1`, `[::1]`, `10.1.2.3`) or `localhost`, or the redirect stays on
        /// the configured host name and that name led to an internal address on the first
        /// request (an intranet server moving a feed). Judged by the address libcurl actually
        /// connects to, so a public-looking name that resolves to an internal address is caught.
        case onlyFromInternalURL
        /// Anywhere (for callers that fetch only what the operator typed in, never a redirect
        /// target chosen by a remote server).
        case allowed
    }

    public init(
        url: String,
        method: Method = .get,
        headers: FetchHeaders = FetchHeaders(),
        body: [UInt8]? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60),
        lowSpeedLimit: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(30)),
        maxBodyBytes: Int = FetchRequest.defaultMaxBodyBytes,
        maxRedirects: Int = 5,
        userAgent: String = FetchRequest.defaultUserAgent
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.etag = etag
        self.lastModified = lastModified
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, clamped to 1 ms … ~1 year.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < 31_536_000 else { return 31_536_000_000 }
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, ms))
    }
}
