import Foundation

extension TestHTTPServer {
    /// Serves the files under `directory` at `prefix` (e.g. `/feeds/`), read on every request so
    /// tests can change them between polls. Each file gets a strong ETag from its content and a
    /// Last-Modified from its modification time, and conditional requests answer 304.
    /// Paths with `..` and missing files answer 404.
    ///
    /// ```swift
    /// server.serveDirectory(fixtures.path, at: "/feeds/")
    /// let response = try await client.get(server.url("/feeds/acme.xml"))
    /// ```
    public func serveDirectory(_ directory: String, at prefix: String = "/") {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
        state.addPrefixRoute(prefix) { request in
            let relative = String(request.path.dropFirst(prefix.count)).removingPercentEncoding ?? ""
            guard !relative.isEmpty, !relative.split(separator: "/").contains("..") else { return nil }
            let file = root.appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
            let body = [UInt8](data)
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]) as? Date
            return .resource(
                body, etag: StaticFile.etag(body), lastModified: modified.map(StaticFile.httpDate),
                contentType: StaticFile.contentType(file.pathExtension))
        }
    }
}

/// Validators and content types for served files.
public enum StaticFile {
    /// A strong ETag from the FNV-1a hash of the content, e.g. `"9f1c…"`.
    public static func etag(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))-\(bytes.count)\""
    }

    /// An IMF-fixdate in GMT (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    public static func contentType(_ pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "xml", "rdf": "application/xml"
        case "rss": "application/rss+xml"
        case "atom": "application/atom+xml"
        case "json": "application/json"
        case "html", "htm": "text/html; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
