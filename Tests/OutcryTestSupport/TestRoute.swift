import CZlib
import Foundation

/// What the test server answers on one path.
///
/// ```swift
/// server.route("/feed", .resource(text: "<rss/>", etag: "\"v1\"", lastModified: "Sun, 06 Nov 1994 08:49:37 GMT"))
/// server.route("/old", .redirect(301, to: "/feed"))
/// server.route("/busy", .status(429, headers: [("Retry-After", "120")]))
/// ```
public struct TestRoute: Sendable {
    enum Kind: Sendable {
        case respond(@Sendable (RecordedRequest) -> TestResponse)
        case drip(chunk: [UInt8], every: Duration, count: Int?)
        case stream(bytes: Int)
        case promise(first: [UInt8], declaredLength: Int)
        case reset(partial: [UInt8], declaredLength: Int)
    }

    let kind: Kind

    /// Any response computed from the request.
    public static func respond(_ handler: @escaping @Sendable (RecordedRequest) -> TestResponse) -> TestRoute {
        TestRoute(kind: .respond(handler))
    }

    /// A fixed response.
    public static func status(
        _ status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) -> TestRoute {
        let response = TestResponse(status: status, headers: headers, body: body)
        return .respond { _ in response }
    }

    /// 200 with `text`.
    public static func ok(_ text: String, contentType: String = "text/plain; charset=utf-8") -> TestRoute {
        .status(200, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// A resource with validators: 304 (no body) when `If-None-Match` matches `etag` or, without
    /// `If-None-Match`, when `If-Modified-Since` equals `lastModified`; else 200 with the body.
    public static func resource(
        _ body: [UInt8], etag: String? = nil, lastModified: String? = nil, contentType: String = "application/xml",
        headers: [(name: String, value: String)] = []
    ) -> TestRoute {
        .respond { request in
            var fields = headers + [("Content-Type", contentType)]
            if let etag { fields.append(("ETag", etag)) }
            if let lastModified { fields.append(("Last-Modified", lastModified)) }
            if Conditional.notModified(request, etag: etag, lastModified: lastModified) {
                return TestResponse(status: 304, headers: fields.filter { $0.name != "Content-Type" })
            }
            return TestResponse(status: 200, headers: fields, body: body)
        }
    }

    public static func resource(
        text: String, etag: String? = nil, lastModified: String? = nil, contentType: String = "application/xml"
    ) -> TestRoute {
        .resource(Array(text.utf8), etag: etag, lastModified: lastModified, contentType: contentType)
    }

    /// A redirect with `Location: target` (absolute, or a path on this server).
    public static func redirect(_ status: Int = 302, to target: String) -> TestRoute {
        .status(status, headers: [("Location", target)])
    }

    /// A chunked 200 that sends `chunk` every `every`, `count` times then ends; nil = never ends.
    public static func drip(_ chunk: [UInt8] = Array("x".utf8), every: Duration, count: Int? = nil) -> TestRoute {
        TestRoute(kind: .drip(chunk: chunk, every: every, count: count))
    }

    /// A 200 of `bytes` bytes with Content-Length, streamed in 64 KiB chunks (never held in memory).
    public static func stream(bytes: Int) -> TestRoute {
        TestRoute(kind: .stream(bytes: bytes))
    }

    /// Sends headers promising `declaredLength` bytes, then `first`, then nothing more while the
    /// connection stays open: only a client that judges the promise alone ends the transfer early.
    public static func promise(first: [UInt8] = Array("<rss>".utf8), declaredLength: Int) -> TestRoute {
        TestRoute(kind: .promise(first: first, declaredLength: declaredLength))
    }

    /// `Content-Encoding: gzip` of `body` (compressed once, here).
    public static func gzip(_ body: [UInt8], contentType: String = "application/xml") -> TestRoute {
        let compressed = Gzip.compress(body)
        return .status(200, headers: [("Content-Type", contentType), ("Content-Encoding", "gzip")], body: compressed)
    }

    /// A gzip bomb: a small `Content-Encoding: gzip` body that inflates to `decodedBytes` zeros.
    public static func gzipBomb(decodedBytes: Int) -> TestRoute {
        let compressed = Gzip.zeros(decodedBytes)
        return .status(200, headers: [("Content-Type", "application/xml"), ("Content-Encoding", "gzip")], body: compressed)
    }

    /// Sends headers promising `declaredLength` bytes, then `partial`, then resets the connection (RST).
    public static func reset(after partial: [UInt8] = Array("<rss>".utf8), declaredLength: Int = 100_000) -> TestRoute {
        TestRoute(kind: .reset(partial: partial, declaredLength: declaredLength))
    }
}

/// Conditional-request evaluation shared by resources and directories.
enum Conditional {
    static func notModified(_ request: RecordedRequest, etag: String?, lastModified: String?) -> Bool {
        guard request.method == "GET" || request.method == "HEAD" else { return false }
        if let tags = request.header("If-None-Match") {
            guard let etag else { return false }
            return tags == "*" || tags.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") ==
                    etag.replacingOccurrences(of: "W/", with: "")
            }
        }
        if let since = request.header("If-Modified-Since"), let lastModified {
            return since == lastModified
        }
        return false
    }
}

/// gzip via the system zlib (test support only).
public enum Gzip {
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = bytes.withUnsafeBufferPointer { czlib_gzip($0.baseAddress, $0.count, &output, &length) }
        return take(status, output, length)
    }

    public static func zeros(_ count: Int) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = czlib_gzip_zeros(count, &output, &length)
        return take(status, output, length)
    }

    private static func take(_ status: Int32, _ output: UnsafeMutablePointer<UInt8>?, _ length: Int) -> [UInt8] {
        precondition(status == 0, "zlib deflate failed")
        defer { czlib_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
