import Foundation
import OutcryModel

/// What the poller needs from a feed: its entries as mentions, the feed's `ttl` and whether
/// the document was well-formed.
///
/// `read` first tries a fast path that goes from bytes straight to mentions for the common
/// case — well-formed UTF-8 RSS 2.0, Atom 1.0 or JSON Feed using the usual elements and the
/// namespaces common generators add (`content:`, `dc:`, `media:`, `itunes:`, …) — and
/// declines anything outside that scope (another charset, a DOCTYPE, an unknown entity,
/// `xml:base`/`xml:lang` below an Atom root, inline XHTML, an element it cannot map to the
/// general parser's rule, anything ill-formed). A declined document takes the general path, `FeedParser.parse` then
/// `ParsedFeed.mentions`, exactly as before. Where the fast path accepts, its mentions and
/// ttl equal the general path's (checked over the test corpora and by the fuzz target).
///
/// ```swift
/// let read = FeedReader.read(body, contentType: "application/rss+xml", url: "https://example.com/feed",
///                            sourceName: "status", fetchedAt: Date())
/// print(read.mentions.count, read.ttlMinutes ?? 0, read.bozo)
/// ```
public enum FeedReader {
    public struct Result: Sendable, Equatable {
        public var mentions: [Mention]
        /// The feed's `ttl` in minutes, when it has a positive one.
        public var ttlMinutes: Int?
        /// True when the document was not a well-formed feed (see `ParsedFeed.bozo`).
        public var bozo: Bool
        public var bozoException: String?
        /// Whether the fast path read the document.
        public var fast: Bool
    }

    /// The mentions of a feed document, by the fast path when it accepts, else the general one.
    /// - Parameters:
    ///   - bytes: the document, in any encoding.
    ///   - contentType: the HTTP `Content-Type`, when known.
    ///   - url: where the document came from: the base for relative links.
    public static func read(
        _ bytes: [UInt8], contentType: String?, url: String?, sourceName: String, fetchedAt: Date
    ) -> Result {
        if let fast = fastRead(bytes, contentType: contentType, url: url, sourceName: sourceName, fetchedAt: fetchedAt) {
            return Result(mentions: fast.mentions, ttlMinutes: fast.ttlMinutes, bozo: false, bozoException: nil, fast: true)
        }
        let feed = FeedParser.parse(bytes, contentType: contentType, url: url)
        return Result(
            mentions: feed.mentions(sourceName: sourceName, fetchedAt: fetchedAt), ttlMinutes: feed.ttlMinutes,
            bozo: feed.bozo, bozoException: feed.bozoException, fast: false)
    }

    /// The fast path alone: nil when the document is outside its scope.
    public static func fastRead(
        _ bytes: [UInt8], contentType: String?, url: String?, sourceName: String, fetchedAt: Date
    ) -> (mentions: [Mention], ttlMinutes: Int?)? {
        guard let isJSON = format(bytes, contentType: contentType) else { return nil }
        let base = url.map { URLResolver.makeSafeAbsolute(base: $0, relative: nil) } ?? ""
        return bytes.withUnsafeBufferPointer { p -> (mentions: [Mention], ttlMinutes: Int?)? in
            if isJSON {
                guard let mentions = FastJSONFeed.read(p, base: base, sourceName: sourceName, fetchedAt: fetchedAt) else {
                    return nil
                }
                return (mentions, nil)
            }
            // Every element start re-resolves the base against itself; the fast path takes
            // bases where that settles at once.
            guard let xmlBase = settledBase(base) else { return nil }
            guard let read = FastXMLFeed.read(p, base: xmlBase, documentBase: base, sourceName: sourceName, fetchedAt: fetchedAt) else {
                return nil
            }
            return (read.mentions, read.ttl)
        }
    }

    /// JSON (true) or XML (false) as `FeedEncoding` would decide with UTF-8 as the charset; nil
    /// for a media type or charset the fast path leaves alone.
    static func format(_ bytes: [UInt8], contentType: String?) -> Bool? {
        guard let first = bytes.first else { return nil }
        if let contentType, !contentType.isEmpty {
            let (mime, charset) = FeedEncoding.parseContentType(contentType)
            let m = mime.lowercased()
            guard charset.isEmpty || charset.lowercased() == "utf-8" else { return nil }
            if m == "application/xml" || (m.hasPrefix("application/") && m.hasSuffix("+xml")) { return false }
            if m == "text/xml" || (m.hasPrefix("text/") && m.hasSuffix("+xml")) { return charset.isEmpty ? nil : false }
            if m == "application/feed+json" || m == "application/json" { return true }
            return nil
        }
        var k = 0
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x09 || bytes[k] == 0x0D { k += 1 }
        guard k < bytes.count else { return nil }
        if bytes[k] == UInt8(ascii: "{") { return true }
        return first == UInt8(ascii: "<") ? false : nil
    }

    /// `FeedBuilder.startElement`'s base step applied until it settles (nil if not at once).
    static func settledBase(_ base: String) -> String? {
        func step(_ b: String) -> String {
            if b.isEmpty { return URLResolver.join(b, b) }
            let safe = URLResolver.makeSafeAbsolute(base: b, relative: b)
            return safe.isEmpty ? b : safe
        }
        let once = step(base)
        return step(once) == once ? once : nil
    }
}
