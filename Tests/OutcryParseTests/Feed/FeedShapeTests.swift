import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The fast path on the shapes real generators emit (`FeedShapes`: WordPress, Blogger, Ghost,
/// Substack, Medium, Mastodon, GitHub, YouTube, Reddit, Discourse, Micro.blog, a podcast host):
/// it must take every one, with mentions equal to the general path's, and decline the
/// variations whose general-parser rule it does not follow.
@Suite struct FeedShapeTests {
    static let fetchedAt = FeedReaderTests.fetchedAt

    static func fast(_ doc: String, url: String? = nil) -> [Mention]? {
        FeedReader.fastRead(Array(doc.utf8), contentType: nil, url: url, sourceName: "s", fetchedAt: fetchedAt)?.mentions
    }

    static func general(_ doc: String, url: String? = nil) -> [Mention] {
        FeedParser.parse(Array(doc.utf8), url: url).mentions(sourceName: "s", fetchedAt: fetchedAt)
    }

    @Test(arguments: FeedShapes.Shape.allCases)
    func generatorShapesTakeTheFastPathAndAgree(_ shape: FeedShapes.Shape) {
        let doc = FeedShapes.make(shape, bytes: 30_000)
        var o = FeedReaderTests.Outcome()
        let type = doc.starts(with: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed".utf8))
            ? "application/atom+xml" : "application/rss+xml; charset=utf-8"
        FeedReaderTests.compare(doc, name: "\(shape)", into: &o)
        FeedReaderTests.compare(doc, url: "https://reader.example/feeds/\(shape)", name: "\(shape) url", into: &o)
        FeedReaderTests.compare(doc, contentType: type, url: "https://reader.example/a/b", name: "\(shape) typed", into: &o)
        #expect(o.mismatches.isEmpty, "\(o.mismatches.joined(separator: "\n"))")
        #expect(o.accepted == o.documents, "the fast path declined \(o.documents - o.accepted) of \(o.documents) \(shape) documents")
        let mentions = FeedReader.fastRead(doc, contentType: nil, url: nil, sourceName: "s", fetchedAt: Self.fetchedAt)?.mentions ?? []
        #expect(mentions.count >= 3)
        #expect(mentions.allSatisfy { !$0.text.isEmpty && $0.url != nil })
    }

    @Test func atomRootLanguageReachesEveryMention() throws {
        let doc = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en_GB"><title>t</title>
            <entry><id>1</id><title>a</title><summary type="text">short</summary><content type="html">&lt;p&gt;long&lt;/p&gt;</content><category term="x"/></entry>
            <entry><id>2</id><title>b</title></entry>
            </feed>
            """
        let fast = try #require(Self.fast(doc))
        #expect(fast == Self.general(doc))
        #expect(fast.map(\.language) == ["en-GB", "en-GB"])
        #expect(fast.first?.text == "long")
    }

    @Test func atomRootBaseResolvesLinks() throws {
        let doc = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>t</title>
            <entry><id>tag:x,1</id><title>a</title><link href="posts/1"/><content type="html">&lt;a href="img/2"&gt;x&lt;/a&gt;</content>
            <author><name>A</name><uri>people/a</uri></author></entry>
            </feed>
            """
        for url in ["https://host.example/feeds/atom.xml", nil] as [String?] {
            let fast = try #require(Self.fast(doc, url: url))
            #expect(fast == Self.general(doc, url: url))
        }
        #expect(Self.fast(doc, url: "https://host.example/feeds/atom.xml")?.first?.url == "https://host.example/blog/posts/1")
    }

    /// Mastodon's `media:description` (an image's alt text) under `media:content`: the general
    /// parser reads it as the entry's content, so the mention's text is the alt text. The fast
    /// path must say the same (see docs/benchmarks.md on this quirk).
    @Test func mediaDescriptionAfterADescriptionIsReadAsContent() throws {
        let doc = """
            <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>
            <item><guid>https://s.example/1</guid><description>&lt;p&gt;The post&lt;/p&gt;</description>
            <media:content url="https://s.example/a.png" medium="image"><media:rating scheme="urn:simple">nonadult</media:rating>
            <media:description type="plain">A cat on a mat</media:description></media:content></item>
            <item><guid>https://s.example/2</guid><description>&lt;p&gt;No image&lt;/p&gt;</description></item>
            </channel></rss>
            """
        let fast = try #require(Self.fast(doc))
        #expect(fast == Self.general(doc))
        #expect(fast.map(\.text) == ["A cat on a mat", "No image"])
    }

    @Test func youtubeMediaGroupGivesTheSummary() throws {
        let doc = String(decoding: FeedShapes.make(.youtube, bytes: 0, minItems: 2), as: UTF8.self)
        let fast = try #require(Self.fast(doc))
        #expect(fast == Self.general(doc))
        #expect(fast.allSatisfy { $0.text.hasSuffix("https://widgets.example.com/\(fast.firstIndex(of: $0)!)") })
    }

    @Test func podcastChannelSummaryAndItemAuthor() throws {
        let doc = """
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title>
            <itunes:summary>About</itunes:summary><description>About too</description>
            <itunes:owner><itunes:name>O</itunes:name><itunes:email>o@x.example</itunes:email></itunes:owner>
            <itunes:category text="Tech"><itunes:category text="Gadgets"/></itunes:category>
            <item><title>e1</title><guid isPermaLink="false">1</guid><description>notes</description><itunes:author>Host</itunes:author>
            <itunes:duration>10:00</itunes:duration><itunes:keywords>a, b</itunes:keywords><enclosure url="https://x.example/1.mp3" length="1" type="audio/mpeg"/></item>
            </channel></rss>
            """
        let fast = try #require(Self.fast(doc))
        #expect(fast == Self.general(doc))
        #expect(fast.first?.authorName == "Host")
    }

    @Test func mediumAtomUpdatedAndUnusedMismatchedPrefix() throws {
        let doc = """
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:cc="http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html">
            <channel><title>t</title><item><title>a</title><guid isPermaLink="false">https://m.example/p/1</guid>
            <atom:updated>2025-01-02T03:04:05.123Z</atom:updated><description>x</description></item></channel></rss>
            """
        let fast = try #require(Self.fast(doc))
        #expect(fast == Self.general(doc))
        #expect(fast.first?.publishedAt == FeedDate.date("2025-01-02T03:04:05.123Z"))
    }

    /// Variations whose general-parser rule the fast path does not follow: each must be declined
    /// (and where the fast path takes a neighbour, the two paths agree: checked above).
    @Test func variationsOutsideTheRulesAreDeclined() {
        let rss = { (head: String, item: String) in
            "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:cc=\"http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html\"\(head)>"
                + "<channel><title>t</title><item>\(item)</item></channel></rss>"
        }
        let declined = [
            // media:title with no title before it would become the title.
            rss("", "<media:title>m</media:title><title>a</title>"),
            // itunes:summary in an item reads as summary or content by order.
            rss("", "<description>d</description><itunes:summary>s</itunes:summary>"),
            // dc:language in the channel sets the feed's language.
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><dc:language>de</dc:language><item><title>a</title></item></channel></rss>",
            // A prefix declared for another namespace's canonical name, then used.
            rss("", "<cc:license>https://c.example/</cc:license>"),
            // xml:lang on an RSS root, or below an Atom root.
            rss(" xml:lang=\"en\"", "<title>a</title>"),
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry xml:lang=\"de\"><title>a</title></entry></feed>",
            // media:description after the content: it would rewrite summary_detail only.
            "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><item><content:encoded>c</content:encoded><media:description>d</media:description></item></channel></rss>",
            // A text construct's child elements would be read as markup.
            rss("", "<itunes:subtitle>a <b>b</b></itunes:subtitle>"),
            // A name too long for the handler table.
            "<rss version=\"2.0\" xmlns:feedburner=\"http://rssnamespace.org/feedburner/ext/1.0\"><channel><item><feedburner:browserFriendly>x</feedburner:browserFriendly></item></channel></rss>",
            // A scoped declaration for an element that is not skipped.
            "<rss version=\"2.0\"><channel><item><dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">x</dc:title></item></channel></rss>",
        ]
        for doc in declined {
            #expect(Self.fast(doc) == nil, "\(doc)")
            // Whatever the general path makes of it stands.
            _ = Self.general(doc)
        }
    }

    /// Byte edits and inserted snippets on small generator-shaped documents: wherever the fast
    /// path still accepts, both paths agree.
    @Test func mutatedShapesNeverDiverge() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        let snippets = [
            " xml:lang=\"fr\"", " xml:base=\"/x/\"", "<media:title>mt</media:title>", "<media:description>md</media:description>",
            "<media:description type=\"plain\">&lt;b&gt;x&lt;/b&gt;</media:description>", "<itunes:summary>is</itunes:summary>",
            "<itunes:author>ia</itunes:author>", "<dc:creator>dc</dc:creator>", "<title>t2</title>", "<description>d2</description>",
            "<source url=\"https://s.example/\">src</source>", "<media:group><media:title>g</media:title></media:group>",
            "<gd:image src=\"x\"/>", "<media:thumbnail xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"u\"/>",
            "<content:encoded>ce</content:encoded>", "<atom:updated>2025-01-01T00:00:00Z</atom:updated>", "<summary>s</summary>",
            "<content type=\"html\">&lt;i&gt;c&lt;/i&gt;</content>", "<itunes:owner><itunes:name>n</itunes:name></itunes:owner>",
        ].map { Array($0.utf8) }
        let bytes: [UInt8] = Array("<>&\"'/ \n;#a]:=?x-0".utf8)
        var accepted = 0
        var failures: [String] = []
        for shape in FeedShapes.Shape.allCases {
            let seed = FeedShapes.make(shape, bytes: 0, minItems: 2)
            for _ in 0..<150 {
                var doc = seed
                for _ in 0..<(1 + next(2)) {
                    let at = next(doc.count)
                    switch next(4) {
                    case 0: doc[at] = bytes[next(bytes.count)]
                    case 3: doc.removeSubrange(at..<min(doc.count, at + 1 + next(8)))
                    default:
                        // Snippets go where a tag starts, so most mutants stay well-formed.
                        var k = at
                        while k < doc.count, doc[k] != UInt8(ascii: "<") { k += 1 }
                        doc.insert(contentsOf: snippets[next(snippets.count)], at: min(k, doc.count))
                    }
                }
                if FeedReader.fastRead(doc, contentType: nil, url: nil, sourceName: "s", fetchedAt: Self.fetchedAt) != nil { accepted += 1 }
                if let d = FeedReader.divergence(doc, url: "https://x.example/a/feed") {
                    failures.append("\(shape): \(String(decoding: doc, as: UTF8.self)): \(d)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) divergences, first: \(failures.first ?? "")")
        #expect(accepted > 300)
    }
}
