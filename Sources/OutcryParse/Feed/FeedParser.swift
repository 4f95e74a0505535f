/// Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF and JSON Feed 1.0/1.1 into feedparser's result
/// shape. The format is detected from the content, never from a name.
///
/// Never throws and never traps: an ill-formed document is read as far as possible and comes
/// back with `bozo` set and a readable `bozoException`. A document whose declared entities
/// would expand past `max(1 MiB, 10 × its size)` bytes (or 1,000,000 references) is refused:
/// no entries, `bozo` set, and a `bozoException` naming the entity and the limit.
///
/// ```swift
/// let parsed = FeedParser.parse(Array(data), contentType: "application/rss+xml; charset=utf-8",
///                               url: "https://example.com/feed")
/// print(parsed.version, parsed.entries.count)
/// ```
public enum FeedParser {
    /// - Parameters:
    ///   - data: the document's bytes, in any encoding.
    ///   - contentType: the HTTP `Content-Type`, when the bytes came over HTTP; it takes part in
    ///     choosing the encoding (RFC 3023).
    ///   - url: where the document came from; the base for relative links.
    public static func parse(_ data: [UInt8], contentType: String? = nil, url: String? = nil) -> ParsedFeed {
        var result = ParsedFeed()
        if data.isEmpty || data.allSatisfy(\.isASCIIWhitespace) {
            result.bozo = true
            result.bozoException = "document is empty"
            return result
        }
        let baseuri = url.map { URLResolver.makeSafeAbsolute(base: $0, relative: nil) } ?? ""
        let converted = FeedEncoding.convert(data, contentType: contentType)
        result.encoding = converted.encoding
        if let error = converted.error {
            result.bozo = true
            result.bozoException = error
        }
        if converted.isJSON {
            JSONFeedParser.parse(converted.utf8, into: &result, baseuri: baseuri)
            return result
        }

        let prepared = XMLPrepare.prepare(converted.utf8)
        if let refused = prepared.refused {
            // Entity expansion past its limits: the document is refused whole, nothing read.
            result.bozo = true
            result.bozoException = refused
            return result
        }
        let builder = FeedBuilder(baseuri: baseuri)
        builder.encoding = converted.encoding.lowercased()
        let source = XMLEventSource(builder: builder)
        source.parse(prepared.bytes)
        builder.finish()

        if let error = prepared.error ?? source.firstError {
            result.bozo = true
            result.bozoException = error
        } else if builder.truncatedText {
            result.bozo = true
            result.bozoException = "element text longer than \(FeedBuilder.maxTextBytes) bytes was truncated"
        }
        result.version = prepared.netscape ? "rss091n" : builder.version
        result.feed = builder.feeddata.object
        result.entries = builder.entries.map(\.objectValue)
        result.namespaces = builder.namespacesInUse
        if result.version.isEmpty && result.entries.isEmpty && result.feed.isEmpty && !result.bozo {
            result.bozo = true
            result.bozoException = "document is not a recognised feed format"
        }
        return result
    }
}
