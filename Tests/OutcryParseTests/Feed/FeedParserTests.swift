import Foundation
import Testing
@testable import OutcryParse

private func parse(_ s: String, contentType: String? = nil, url: String? = nil) -> ParsedFeed {
    FeedParser.parse(Array(s.utf8), contentType: contentType, url: url)
}

@Suite struct FeedFormatTests {
    @Test func rss20() {
        let p = parse("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>Shop</title><link>http://shop.example/</link>
            <ttl>30</ttl><item><title>Late delivery</title><link>http://shop.example/1</link>
            <guid isPermaLink="false">post-1</guid><pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate>
            <author>ann@example.com (Ann)</author><category domain="d">complaints</category>
            <enclosure url="http://shop.example/a.mp3" length="12" type="audio/mpeg"/>
            <description>&lt;b&gt;Still&lt;/b&gt; waiting</description></item></channel></rss>
            """)
        #expect(!p.bozo)
        #expect(p.version == "rss20")
        #expect(p.feed["title"]?.string == "Shop")
        #expect(p.ttlMinutes == 30)
        let e = p.entries[0]
        #expect(e["id"]?.string == "post-1")
        #expect(e["link"]?.string == "http://shop.example/1")
        #expect(e["published_parsed"] == .array([2004, 1, 1, 19, 48, 21, 3, 1, 0].map { .int($0) }))
        #expect(e["author_detail"]?["email"]?.string == "ann@example.com")
        #expect(e["author_detail"]?["name"]?.string == "Ann")
        #expect(e["tags"]?[0]?["term"]?.string == "complaints")
        #expect(e["tags"]?[0]?["scheme"]?.string == "d")
        #expect(e["summary"]?.string == "<b>Still</b> waiting")
        let enclosure = e["links"]?.array?.first { $0["rel"]?.string == "enclosure" }
        #expect(enclosure?["href"]?.string == "http://shop.example/a.mp3")
    }

    @Test func atom10WithXHTMLContent() {
        let p = parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp;lt;b&amp;gt;</title>
            <entry><id>urn:1</id><title>T</title><updated>2003-12-31T10:14:55-08:00</updated>
            <author><name>Bob</name><email>bob@example.com</email><uri>http://bob.example/</uri></author>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p></div></content>
            </entry></feed>
            """)
        #expect(!p.bozo)
        #expect(p.version == "atom10")
        let e = p.entries[0]
        #expect(e["content"]?[0]?["value"]?.string == "<p>Hi <b>there</b></p>")
        #expect(e["content"]?[0]?["type"]?.string == "application/xhtml+xml")
        #expect(e["updated_parsed"]?[3]?.int == 18)
        #expect(e["author"]?.string == "Bob (bob@example.com)")
        #expect(e["author_detail"]?["href"]?.string == "http://bob.example/")
    }

    @Test func rss10RDF() {
        let p = parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="http://e/"><title>R</title></channel>
            <item rdf:about="http://e/1"><title>One</title><dc:creator>Cy</dc:creator><dc:date>2002-09-28T20:01:19Z</dc:date></item>
            </rdf:RDF>
            """)
        #expect(p.version == "rss10")
        #expect(p.entries[0]["id"]?.string == "http://e/1")
        #expect(p.entries[0]["author"]?.string == "Cy")
        #expect(p.entries[0]["updated"]?.string == "2002-09-28T20:01:19Z")
    }

    @Test(arguments: [
        ("<rss version=\"0.91\"><channel/></rss>", "rss091u"),
        ("<rss version=\"0.92\"><channel/></rss>", "rss092"),
        ("<rss version=\"0.93\"><channel/></rss>", "rss093"),
        ("<rss version=\"0.94\"><channel/></rss>", "rss094"),
        ("<rss version=\"2.0\"><channel/></rss>", "rss20"),
        ("<rss><channel/></rss>", "rss"),
        ("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"http://my.netscape.com/publish/formats/rss-0.91.dtd\"><rss version=\"0.91\"><channel/></rss>", "rss091n"),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel/></rdf:RDF>", "rss090"),
        ("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"/>", "atom03"),
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "atom10"),
        ("{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[]}", "json1"),
        ("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]}", "json11"),
    ])
    func detectsVersionFromContent(doc: String, version: String) {
        #expect(parse(doc).version == version)
    }

    @Test func jsonFeedEveryField() {
        let p = parse("""
            {"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
             "feed_url":"https://j.example/feed.json","description":"d","language":"en","icon":"https://j.example/i.png",
             "authors":[{"name":"Jo","url":"mailto:jo@example.com"}],"_ext":{"x":1},
             "items":[{"id":42,"url":"https://j.example/1","title":"Hi","content_html":"<p onclick=\\"x()\\">Hello</p>",
               "content_text":"Hello","summary":"S","date_published":"2025-01-15T10:30:00Z","tags":["a","b"],
               "authors":[{"name":"Al"}],"attachments":[{"url":"https://j.example/a.pdf","mime_type":"application/pdf","size_in_bytes":20}]}]}
            """)
        #expect(!p.bozo)
        #expect(p.version == "json11")
        #expect(p.feed["link"]?.string == "https://j.example/")
        #expect(p.feed["author_detail"]?["email"]?.string == "jo@example.com")
        let e = p.entries[0]
        #expect(e["id"]?.string == "42")
        #expect(e["content"]?[0]?["value"]?.string == "<p>Hello</p>")
        #expect(e["tags"]?[1]?["term"]?.string == "b")
        #expect(e["enclosures"]?[0]?["length"]?.string == "20")
        #expect(e["published_parsed"]?[0]?.int == 2025)
        #expect(e["author"]?.string == "Al")
    }

    // Skipped when the JSON Feed corpus is not found (OUTCRY_CORPORA, default ../shared/corpora): it is in no package registry.
    @Test(.enabled(if: Corpora.has("jsonfeed"), "needs the jsonfeed corpus under OUTCRY_CORPORA (default ../shared/corpora)"))
    func jsonFeedCorpusParsesEveryDocument() throws {
        let dir = Corpora.url("jsonfeed/universal_feed/test/wellformed")
        let files = try #require(FileManager.default.enumerator(atPath: dir.path)?.compactMap({ $0 as? String }),
                                 "no JSON Feed documents at \(dir.path)")
        var count = 0
        for file in files where file.hasSuffix(".json") {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            let p = FeedParser.parse([UInt8](data))
            #expect(!p.bozo, "\(file): \(p.bozoException ?? "")")
            #expect(p.version.hasPrefix("json"), "\(file)")
            count += 1
        }
        #expect(count >= 30)
    }
}

@Suite struct FeedRobustnessTests {
    @Test func emptyInputIsBozo() {
        let p = FeedParser.parse([])
        #expect(p.bozo)
        #expect(p.entries.isEmpty)
    }

    @Test func htmlServedInsteadOfFeed() {
        let p = parse("<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Not a feed &nbsp; here<br></body></html>")
        #expect(p.bozo)
        #expect(p.version == "")
        #expect(p.entries.isEmpty)
    }

    @Test func truncatedDocumentKeepsEntriesSoFar() {
        let p = parse("<rss version=\"2.0\"><channel><title>T</title><item><title>one</title></item><item><title>tw")
        #expect(p.bozo)
        #expect(p.entries.count == 2)
        #expect(p.entries[0]["title"]?.string == "one")
    }

    @Test func entryWithManyDistinctElementsKeepsEveryKey() {
        // Objects keep their members as pairs and switch to a hashed index past a few dozen.
        let extra = (0..<300).map { "<x\($0)>v\($0)</x\($0)>" }.joined()
        let p = parse("<rss version=\"2.0\"><channel><item><title>t</title>\(extra)<x7>again</x7></item></channel></rss>")
        #expect(p.entries.count == 1)
        let e = p.entries[0]
        #expect(e["title"]?.string == "t")
        #expect(e["x0"]?.string == "v0")
        #expect(e["x299"]?.string == "v299")
        #expect(e["x7"]?.string == "again")
        #expect(e.count == 302)
        #expect(e == FeedObject(e.dictionary))
    }

    @Test func jsonFeedRepeatedKeyKeepsTheLastValue() {
        let p = parse(#"{"version":"https://jsonfeed.org/version/1.1","title":"a","title":"b","items":[{"id":"1","id":"2"}]}"#)
        #expect(p.feed["title"]?.string == "b")
        #expect(p.entries[0]["id"]?.string == "2")
    }

    @Test func undeclaredHTMLEntitiesAreDecoded() {
        let p = parse("<rss version=\"2.0\"><channel><title>caf&eacute;&nbsp;&mdash; &bogus; AT&T</title></channel></rss>")
        #expect(p.bozo)
        #expect(p.feed["title"]?.string == "café\u{A0}— &bogus; AT&T")
    }

    @Test func billionLaughsIsNotExpanded() {
        var doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">"
        for i in 1...9 { doc += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        doc += "]><rss version=\"2.0\"><channel><title>&lol9;</title><description>&lol;</description></channel></rss>"
        let p = parse(doc)
        #expect(p.feed["title"]?.string == "&lol9;")
        #expect(p.feed["subtitle"]?.string == "lol")
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-xxe-\(UUID().uuidString)")
        try "TOPSECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let p = parse("""
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret.path)"><!ENTITY % dtd SYSTEM "http://127.0.0.1:9/x.dtd"> %dtd;]>
            <rss version="2.0"><channel><title>&xxe;</title></channel></rss>
            """)
        #expect(p.feed["title"]?.string?.contains("TOPSECRET") != true)
        #expect(p.feed["title"]?.string == "&xxe;")
    }

    @Test func garbageNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        let seeds = ["<rss><channel><item>", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>", "{\"items\":[", "<![CDATA[", "&#x"]
        for seed in seeds {
            for _ in 0..<50 {
                var bytes = Array(seed.utf8)
                for _ in 0..<Int.random(in: 0..<200, using: &rng) { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
                _ = FeedParser.parse(bytes)
            }
        }
    }
}

@Suite struct FeedEncodingTests {
    @Test func latin1Declaration() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        let p = FeedParser.parse(bytes)
        #expect(!p.bozo)
        #expect(p.encoding == "iso-8859-1")
        #expect(p.feed["title"]?.string == "café")
    }

    @Test func koi8r() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss version=\"2.0\"><channel><title>".utf8)
            + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] + Array("</title></channel></rss>".utf8)
        #expect(FeedParser.parse(bytes).feed["title"]?.string == "Привет")
    }

    @Test func utf16WithBOM() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in "<rss version=\"2.0\"><channel><title>Ωmega</title></channel></rss>".utf16 {
            bytes.append(UInt8(u & 0xFF))
            bytes.append(UInt8(u >> 8))
        }
        let p = FeedParser.parse(bytes)
        #expect(p.encoding == "utf-16le")
        #expect(p.feed["title"]?.string == "Ωmega")
    }

    @Test func wrongDeclarationFallsBackAndIsBozo() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        let p = FeedParser.parse(bytes)
        #expect(p.bozo)
        #expect(p.encoding == "windows-1252")
        #expect(p.feed["title"]?.string == "café")
    }

    @Test func httpCharsetWinsForApplicationXML() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        let p = FeedParser.parse(bytes, contentType: "application/rss+xml; charset=ISO-8859-1")
        #expect(!p.bozo)
        #expect(p.feed["title"]?.string == "café")
    }

    @Test func textXMLWithoutCharsetIsASCII() {
        let bytes = Array("<rss version=\"2.0\"><channel><title>caf".utf8) + [0xC3, 0xA9] + Array("</title></channel></rss>".utf8)
        let p = FeedParser.parse(bytes, contentType: "text/xml")
        #expect(p.bozo)
        #expect(p.encoding != "us-ascii")
    }
}

@Suite struct SanitizerTests {
    @Test(arguments: [
        ("<script>alert(1)</script>ok", "ok"),
        ("<a href=\"javascript:alert(1)\" onclick=\"x()\">hi</a>", "<a href=\"\">hi</a>"),
        ("<p style=\"color: red; background: url(http://evil/)\">x</p>", "<p style=\"color: red;\">x</p>"),
        ("<style>body{}</style><b>bold</b>", "<b>bold</b>"),
        ("<img src=\"x.png\" onerror=\"y()\"/>", "<img src=\"x.png\" />"),
        ("<iframe src=\"http://evil/\"></iframe>text", "text"),
        ("<span title='a&b'>&foo; &amp;</span>", "<span title=\"a&amp;b\">&amp;foo &amp;</span>"),
    ])
    func sanitizes(input: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(input) == expected)
    }

    @Test func resolvesRelativeURIs() {
        #expect(HTMLSanitizer.resolveRelativeURIs("<a href=\"../b\">x</a>", base: "http://e.example/a/c/")
            == "<a href=\"http://e.example/a/b\">x</a>")
    }

    @Test func plainText() {
        #expect(HTMLToText.convert("<p>Hello&nbsp;<b>world</b></p><script>x</script><p>again &amp; more</p>")
            == "Hello world\n\nagain & more")
    }
}

@Suite struct FeedDateTests {
    @Test(arguments: [
        ("Thu, 01 Jan 2004 19:48:21 GMT", [2004, 1, 1, 19, 48, 21, 3, 1, 0]),
        ("Thu, 01 Jan 04 19:48:21 GMT", [2004, 1, 1, 19, 48, 21, 3, 1, 0]),
        ("Sun, 16 Dec 2012 1:2:3 PST", [2012, 12, 16, 9, 2, 3, 6, 351, 0]),
        ("Sun, Dec 16 2012 11:15:01 GMT", [2012, 12, 16, 11, 15, 1, 6, 351, 0]),
        ("Tue, 30 Dec 2003 10:14:55 GMT-05:00", [2003, 12, 30, 15, 14, 55, 1, 364, 0]),
        ("Thu, 01 Jan 2004", [2004, 1, 1, 0, 0, 0, 3, 1, 0]),
        ("2003-12-31T10:14:55Z", [2003, 12, 31, 10, 14, 55, 2, 365, 0]),
        ("2003-12-31T10:14:55.563-08:00", [2003, 12, 31, 18, 14, 55, 2, 365, 0]),
        ("2004-04-06T23:05:43-05:00", [2004, 4, 7, 4, 5, 43, 2, 98, 0]),
        ("2003-12-31", [2003, 12, 31, 0, 0, 0, 2, 365, 0]),
        ("2003-12", [2003, 12, 1, 0, 0, 0, 0, 335, 0]),
        ("2004-07-08 23:56:58", [2004, 7, 8, 23, 56, 58, 3, 190, 0]),
        ("20031231T101455Z", [2003, 12, 31, 10, 14, 55, 2, 365, 0]),
        ("Sun Jan  4 16:29:06 PST 2004", [2004, 1, 5, 0, 29, 6, 0, 5, 0]),
        ("Fri, 2006/09/15 08:19:53 EDT", [2006, 9, 15, 12, 19, 53, 4, 258, 0]),
    ])
    func parses(input: String, expected: [Int]) {
        #expect(FeedDate.parse(input) == expected)
    }

    @Test(arguments: ["", "yesterday", "2004-13-45", "Thu, 31 Feb 2004 10:00:00 GMT"])
    func rejects(input: String) {
        #expect(FeedDate.parse(input) == nil)
    }
}

@Suite struct RelativeLinkTests {
    @Test func xmlBaseResolvesLinksAndContent() {
        let p = parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
            <entry xml:base="2024/"><link href="post.html"/><id>urn:x</id>
            <content type="html">&lt;a href="../img/a.png"&gt;pic&lt;/a&gt;</content></entry></feed>
            """)
        let e = p.entries[0]
        #expect(e["link"]?.string == "http://example.org/blog/2024/post.html")
        #expect(e["content"]?[0]?["value"]?.string == "<a href=\"http://example.org/blog/img/a.png\">pic</a>")
    }

    @Test func documentURLIsTheBase() {
        let p = parse("<rss version=\"2.0\"><channel><item><link>/p/1</link></item></channel></rss>", url: "https://s.example/feed")
        #expect(p.entries[0]["link"]?.string == "https://s.example/p/1")
    }

    @Test(arguments: [
        ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
        ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
        ("http://a/b/c/d;p?q", "//g", "http://g"),
        ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
        ("http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"),
        ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
        ("http://a/b/", "https://x/y", "https://x/y"),
    ])
    func rfc3986(base: String, relative: String, expected: String) {
        #expect(URLResolver.join(base, relative) == expected)
    }
}

@Suite struct MentionTests {
    @Test func keysPreferIdThenLinkThenHash() {
        let p = parse("""
            <rss version="2.0"><channel><title>S</title>
            <item><guid isPermaLink="false">g-1</guid><link>http://e/1</link><title>A</title><description>&lt;p&gt;Broken &amp;amp; slow&lt;/p&gt;</description>
              <pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate><author>ann@example.com (Ann)</author></item>
            <item><link>http://e/2</link><description>two</description></item>
            <item><description>only text</description></item>
            </channel></rss>
            """)
        let fetched = Date(timeIntervalSince1970: 1_700_000_000)
        let m = p.mentions(sourceName: "s", fetchedAt: fetched)
        #expect(m.count == 3)
        #expect(m[0].key == "g-1")
        #expect(m[0].channel == .feed)
        #expect(m[0].text == "Broken & slow")
        #expect(m[0].html == "<p>Broken &amp; slow</p>")
        #expect(m[0].authorEmail == "ann@example.com")
        #expect(m[0].authorName == "Ann")
        #expect(m[0].publishedAt == Date(timeIntervalSince1970: 1_072_986_501))
        #expect(m[1].key == "http://e/2")
        #expect(m[2].key.hasPrefix("sha:"))
        let again = parse("<rss version=\"2.0\"><channel><item><description>only text</description></item></channel></rss>")
            .mentions(sourceName: "s", fetchedAt: fetched)
        #expect(again[0].key == m[2].key)
    }
}

@Suite struct URLSchemeTests {
    /// The byte-level scheme reader agrees with the general splitter, odd inputs included.
    @Test func schemeOfMatchesSplit() {
        let inputs = [
            "", "http://e.com/", "HTTPS://E.com", "javascript:alert(1)", " javascript:x", "java\tscript:x",
            "/status/1", "status:1", "1http://x", "a:", ":x", "mailto:a@b", "sv n+ssh://h", "svn+ssh://h/p",
            "x-y.z:rest", "ja\u{301}vascript:x", "a:\u{301}b", "\u{7F}x:y", "data:text/html,<b>", "é:x", "ab\r\n:x",
        ]
        for s in inputs { #expect(URLResolver.scheme(of: s) == URLResolver.split(s).scheme, "\(s.debugDescription)") }
    }
}
