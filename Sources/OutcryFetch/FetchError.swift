/// Why a transfer failed. The message always names the URL, with its secrets masked
/// (``URLMasking``); `url` itself is the URL as requested.
///
/// HTTP statuses are not errors of `FetchClient.fetch` (see `FetchResponse.checked()`).
/// Cancelling the calling task throws `CancellationError`, not a `FetchError`.
/// ```swift
/// do { _ = try await client.get(url) }
/// catch let error as FetchError where error.code == .timeout { backOff() }
/// ```
public struct FetchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// Not a valid URL, or a scheme other than http, https, file.
        case invalidURL
        /// The host name could not be resolved.
        case resolve
        /// The TCP connection could not be established (refused, unreachable).
        case connect
        /// TLS handshake or certificate verification failed.
        case tls
        /// Connect timeout, total timeout or low-speed limit hit.
        case timeout
        /// The decoded body exceeded `limit` bytes; the transfer was aborted.
        case tooLarge(limit: Int)
        /// More than `limit` redirects (or a loop).
        case tooManyRedirects(limit: Int)
        /// The connection was reset or closed before the response was complete.
        case connectionReset
        /// A `file://` URL that does not exist or cannot be read.
        case fileNotFound
        /// A status other than 2xx/304, only from `FetchResponse.checked()`.
        case httpStatus(Int)
        /// The client was shut down before the transfer completed.
        case shutdown
        /// A redirect led to a loopback, link-local or private address (`address`, of `kind`)
        /// although the configured URL is not internal.
        case internalAddress(address: String, kind: String)
        /// Any other libcurl failure.
        case other(curlCode: Int, message: String)
    }

    public let code: Code
    public let url: String
    /// libcurl's own explanation, when it has one.
    public let detail: String

    public init(_ code: Code, url: String, detail: String = "") {
        self.code = code
        self.url = url
        self.detail = detail
    }

    /// Whether trying again later may succeed (network trouble, timeouts, 408/429/5xx).
    public var isTransient: Bool {
        switch code {
        case .resolve, .connect, .timeout, .connectionReset, .shutdown: true
        case .httpStatus(let status): status == 408 || status == 429 || status >= 500
        default: false
        }
    }

    /// Whether only a change of configuration can fix it: an unsupported scheme or malformed URL,
    /// a host name that does not resolve, a local file that is not there, HTTP 400/401/403/404/405.
    public var needsConfigurationFix: Bool {
        switch code {
        case .invalidURL, .resolve, .fileNotFound: true
        case .httpStatus(let status): Self.configurationStatuses.contains(status)
        default: false
        }
    }

    /// HTTP statuses that say the request itself is wrong (the URL or its credentials).
    public static let configurationStatuses: Set<Int> = [400, 401, 403, 404, 405]

    public var description: String {
        let what: String
        switch code {
        case .invalidURL: what = "invalid or unsupported URL"
        case .resolve: what = "could not resolve host"
        case .connect: what = "could not connect"
        case .tls: what = "TLS failure"
        case .timeout: what = "timed out"
        case .tooLarge(let limit): what = "body larger than \(limit) bytes, transfer aborted"
        case .tooManyRedirects(let limit): what = "more than \(limit) redirects"
        case .connectionReset: what = "connection reset or closed before the response was complete"
        case .fileNotFound: what = "file not found or unreadable"
        case .httpStatus(let status): what = "HTTP status \(status)"
        case .shutdown: what = "fetch client shut down"
        case .internalAddress(let address, let kind):
            what = "redirect to \(address) (\(kind)) refused: only a configured URL that is itself internal may lead to internal addresses"
        case .other(let curlCode, let message): what = "transfer failed (curl \(curlCode): \(message))"
        }
        return CurlFailure.describe(url: url, what: what, detail: detail)
    }
}
