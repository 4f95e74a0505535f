import CCurl
import Foundation

/// An async HTTP/HTTPS/file client over the libcurl multi interface.
///
/// One dedicated thread drives every transfer (libcurl's `curl_multi_poll` blocks, so it stays
/// off the Swift concurrency pool). Connections, DNS results and TLS sessions are reused across
/// requests. Transfers beyond `maxConcurrentTransfers` wait in a FIFO queue; per-host connections
/// are capped by libcurl. Cancelling the calling task aborts its transfer.
///
/// Call `shutdown()` when done (dropping the last reference also stops the thread, without waiting).
/// ```swift
/// let client = FetchClient()
/// let response = try await client.get("https://example.com/feed.xml", etag: etag, lastModified: lastModified)
/// await client.shutdown()
/// ```
public final class FetchClient: Sendable {
    /// Limits shared by every transfer of one client.
    public struct Configuration: Sendable {
        /// Transfers running at once; more wait in a queue (their timeouts start when they run).
        public var maxConcurrentTransfers: Int
        /// Open connections in total (`CURLMOPT_MAX_TOTAL_CONNECTIONS`, also the cache size).
        public var maxTotalConnections: Int
        /// Open connections to one host (`CURLMOPT_MAX_HOST_CONNECTIONS`).
        public var maxConnectionsPerHost: Int

        public init(maxConcurrentTransfers: Int = 64, maxTotalConnections: Int = 64, maxConnectionsPerHost: Int = 6) {
            self.maxConcurrentTransfers = maxConcurrentTransfers
            self.maxTotalConnections = maxTotalConnections
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }
    }

    private let loop: CurlMultiLoop

    public init(configuration: Configuration = Configuration()) {
        loop = CurlMultiLoop(configuration: configuration)
    }

    deinit {
        loop.requestStop()
    }

    /// Performs `request`. Returns the response for every HTTP status (see `FetchResponse.checked()`);
    /// throws `FetchError` when no complete response arrived, `CancellationError` if the task was cancelled.
    public func fetch(_ request: FetchRequest) async throws -> FetchResponse {
        try Task.checkCancellation()
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                do {
                    try loop.submit(transfer)
                } catch {
                    transfer.continuation = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// A conditional GET: sends `If-None-Match`/`If-Modified-Since` when validators are given,
    /// so an unchanged resource answers 304 with an empty body.
    public func get(
        _ url: String, etag: String? = nil, lastModified: String? = nil, headers: FetchHeaders = FetchHeaders()
    ) async throws -> FetchResponse {
        try await fetch(FetchRequest(url: url, headers: headers, etag: etag, lastModified: lastModified))
    }

    /// A POST of `body` as-is (set `Content-Type` in `headers`), e.g. for webhooks. Redirects
    /// are never followed: a 3xx answer is returned as it is (a 307 would re-send the body, and a
    /// signed notification must reach only the configured URL).
    public func post(_ url: String, headers: FetchHeaders = FetchHeaders(), body: [UInt8]) async throws -> FetchResponse {
        try await fetch(FetchRequest(url: url, method: .post, headers: headers, body: body, maxRedirects: 0))
    }

    /// Fails queued and running transfers with `.shutdown`, closes every connection and stops the
    /// thread. Later calls to `fetch` throw `.shutdown`. Safe to call more than once.
    public func shutdown() async {
        await loop.stop()
    }
}
