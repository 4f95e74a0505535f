import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The byte-level pieces of the fast HTML step (issue 18, this round): start tags written from
/// the bytes, text runs carried across characters outside ASCII, the text's lines joined in
/// place, strings made without a second UTF-8 check — each held equal to the general
/// functions (`HTMLSanitizer.resolveAndSanitize` then `HTMLToText.convert`) or to a plain
/// reference, and invalid UTF-8 declined.
@Suite struct FastHTMLBytesTests {
    static let bases = ["", "https://social.example/feed/", "https://medium.com/feed/x?a=1&b=2", "http://h.example"]

    /// Equal to the general functions for every base; `mustTake` also requires the fast step to take it.
    static func check(_ html: String, mustTake: Bool = true, validUTF8: Bool = false) {
        for base in bases {
            var scratch = FastHTML.Scratch()
            let bytes = Array(html.utf8)
            let fast = bytes.withUnsafeBufferPointer { FastHTML.process($0, base: base, scratch: &scratch, validUTF8: validUTF8) }
            guard let (value, text) = fast else {
                if mustTake { Issue.record("declined: \(html)") }
                continue
            }
            let expected = HTMLSanitizer.resolveAndSanitize(html, base: base, type: "text/html")
            #expect(FastXMLFeed.strippedHTML(value) == expected, "\(html) base \(base)")
            #expect(text == HTMLToText.convert(expected), "\(html) base \(base)")
        }
    }

    @Test func plainStartTagsMatchTheSanitiser() {
        let taken = [
            "<a href=\"https://x.example/a\" class=\"c d\" rel=\"NoFollow Me\" target=\"_blank\" title=\"Hello there\">x</a>",
            "<a title=\"t\" target=\"_self\" rel=\"ugc\" href=\"http://x.example/p/1\" class=\"z\">x</a>",
            "<img src=\"https://cdn.example/i.png\" alt=\"a picture\" width=\"320\" height=\"200\" border=\"0\">",
            "<img width=\"1\" src=\"https://cdn.example/i.png\"/> after <img alt=\"\" src=\"http://c.example/x.gif\" />",
            "<p class=\"intro\" dir=\"ltr\" lang=\"en\">p</p><span title=\"'quoted'\">s</span>",
            "<a class=\"user-mention notranslate\" href=\"https://github.com/dev2\">@dev2</a> in <a href=\"https://github.com/w/w/pull/2\">#2</a>",
            "<a href='https://x.example/\"q\"'>x</a>", "<span title='say \"hi\"'>x</span>",
            "<a href=\"https://x.example/a?b=c\">q</a>", "<a href=\"https://x.example/a#f\">f</a>", "<a href=\"https://x.example\">h</a>",
            "<a href=\"HTTPS://X.example/\">u</a>", "<a href=\"https:///x\">t</a>", "<a href=\"https://x.example/?\">q</a>",
            "<a href=\"https://x.example/#\">f</a>", "<a href=\"https://x.example/a b\">s</a>", "<a href=\"http://\">e</a>",
            "<a href=\"https://\">e</a>", "<a href=\"/relative/path\">r</a>", "<a href=\"rel/path\">r</a>", "<a href=\"\">e</a>",
            "<a href=\"mailto:a@b.example\">m</a>", "<a href=\"ftp://f.example/x\">f</a>", "<a href=\"//cdn.example/x\">n</a>",
            "<span href=\"https://x.example/\">s</span>", "<a src=\"https://x.example/\">s</a>", "<img href=\"https://x.example/\">",
            "<a title=\"caf\u{E9}\">c</a>", "<a title=\"\">e</a>", "<a title=\"del\u{7F}\">d</a>", "<a title=\"a\\b\">b</a>",
            "<a rel=\"NOFOLLOW\" href=\"https://x.example/\" translate=\"no\">t</a>", "<a data-x=\"1\" href=\"https://x.example/\">d</a>",
            "<a class=\"a\" title=\"b\" rel=\"c\" target=\"d\" dir=\"e\" lang=\"f\" href=\"https://x.example/\" alt=\"g\" width=\"1\">nine</a>",
            "<img alt=\"x\" src=\"https://x.example/i.png\" width=\"1\" height=\"2\" border=\"0\" title=\"t\" class=\"c\" lang=\"l\" dir=\"d\">",
            "<a href=\"https://x.example/?a=1&amp;b=2\" class=\"k\">amp</a>", "<a href=\"javascript:alert(1)\" class=\"k\">j</a>",
            "<a href=\" https://x.example/ \">sp</a>", "<br class=\"x\"><br title=\"t\"/>", "<td width=\"3\">w</td>",
        ]
        for html in taken { Self.check(html, mustTake: false) }
        // The common tags are taken (the others may go to the general functions).
        for html in taken.prefix(7) {
            var scratch = FastHTML.Scratch()
            let fast = Array(html.utf8).withUnsafeBufferPointer { FastHTML.process($0, base: "", scratch: &scratch) }
            #expect(fast != nil, "\(html)")
        }
        // Still declined: style and type, other allow-listed attributes, references other than &amp;.
        for html in ["<a style=\"color:red\" href=\"https://x.example/\">s</a>", "<a type=\"x\" href=\"https://x.example/\">t</a>",
                     "<a href=\"https://x.example/\" hreflang=\"en\">h</a>", "<a title=\"&#38;\" href=\"https://x.example/\">r</a>",
                     "<a href=\"https://x.example/\" title=\"x > y\">g</a>"] {
            var scratch = FastHTML.Scratch()
            let fast = Array(html.utf8).withUnsafeBufferPointer { FastHTML.process($0, base: "", scratch: &scratch) }
            #expect(fast == nil, "\(html)")
        }
    }

    /// Random tags from a small vocabulary of names, attributes and values, alone and nested.
    @Test func randomStartTagsMatchTheSanitiser() {
        var r = SplitMix64(state: 18)
        func pick<T>(_ a: [T]) -> T { a[Int(r.next() % UInt64(a.count))] }
        let names = ["a", "img", "span", "p", "b", "br", "td", "li"]
        let keys = ["href", "src", "class", "rel", "target", "title", "alt", "width", "height", "dir", "lang", "border", "id", "data-x", "hreflang"]
        let values = ["https://x.example/a", "http://y.example", "https://z.example/p?q=1", "/rel", "rel", "", "NoFollow", "Hello World",
                      "caf\u{E9}", "a\"b", "https://x.example/?", "https:///x", "mailto:m@x.example", "HTTP://X.example/", "x y", "a&amp;b"]
        for _ in 0..<3000 {
            let name = pick(names)
            var used: Set<String> = []
            var tag = "<" + name
            for _ in 0..<Int(r.next() % 5) {
                let key = pick(keys)
                guard used.insert(key).inserted else { continue }
                let value = pick(values)
                tag += value.contains("\"") ? " \(key)='\(value)'" : " \(key)=\"\(value)\""
            }
            let isVoid = name == "br" || name == "img"
            let html = isVoid ? "x \(tag)> y" : "x \(tag)>in</\(name)> y"
            Self.check(html, mustTake: false)
        }
    }

    @Test func textRunsOutsideASCIIMatchTheTextConverter() {
        let samples = [
            "caf\u{E9} na\u{EF}ve d\u{E9}j\u{E0} vu", "<p>d\u{E9}j\u{E0} vu</p><p>na\u{EF}ve</p>", "\u{E9}t\u{E9} at the start", "ends \u{E9} ",
            "a\u{A0}b \u{E9}\u{2003}c", "x  \u{E9}  y", "x \u{E9}  y", "mixed\u{85}nel", "\u{1680}ogham\u{3000}ideographic", "emoji \u{1F600}\u{301} ok",
            "\u{65E5}\u{672C}\u{8A9E} \u{30C6}\u{30AD}\u{30B9}\u{30C8}", "tab\t\u{E9}\nnew", "<b>caf\u{E9}</b>\u{E9}<i>\u{E9}</i>", "\u{E9}\u{A0}\u{E9}",
            "a\u{2028}b\u{2029}c\u{202F}d\u{205F}e\u{200A}f", "x &amp; \u{E9} &#233; &#8212;\u{E9}",
        ]
        for html in samples {
            Self.check(html)
            Self.check(html, validUTF8: true)
        }
    }

    @Test func invalidUTF8IsDeclined() {
        let invalid: [[UInt8]] = [[0x61, 0xC3, 0x28], [0x61, 0xE2, 0x82], [0x61, 0x80, 0x62], [0xFF], [0x61, 0x20, 0xF0, 0x9F, 0x98],
                                  [0x3C, 0x62, 0x3E, 0xC3, 0x3C, 0x2F, 0x62, 0x3E], [0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20, 0xC3]]
        for bytes in invalid {
            var scratch = FastHTML.Scratch()
            let fast = bytes.withUnsafeBufferPointer { FastHTML.process($0, base: "", scratch: &scratch) }
            #expect(fast == nil, "\(bytes)")
        }
        // In a feed: the document's check declines it, and the general path reads it.
        var doc = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>t</title><item><title>a</title><link>https://x.example/1</link><content:encoded><![CDATA[<p>caf".utf8)
        doc += [0xC3, 0x28]
        doc += Array(" <a href=\"https://x.example/\" class=\"k\">x</a></p>]]></content:encoded></item></channel></rss>".utf8)
        #expect(FeedReader.fastRead(doc, contentType: nil, url: nil, sourceName: "s", fetchedAt: FeedReaderTests.fetchedAt) == nil)
        let read = FeedReader.read(doc, contentType: nil, url: nil, sourceName: "s", fetchedAt: FeedReaderTests.fetchedAt)
        #expect(!read.fast)
        #expect(read.mentions == FeedParser.parse(doc, url: nil).mentions(sourceName: "s", fetchedAt: FeedReaderTests.fetchedAt))
    }

    /// Real-world-shaped bodies in a feed (entities, nested tags, comments, scripts and styles,
    /// `>` inside quoted attributes, text outside ASCII): the fast path equals the general one.
    @Test func htmlHeavyBodiesInAFeedAgree() {
        let bodies = [
            "<p>It&#8217;s <strong>twice <em>nested</em> team</strong> &amp; <em>caf\u{E9}</em>. See <a href=\"https://blog.example.com/0/0\" class=\"more-link\" rel=\"NoFollow\">the account</a>.</p>\n<p>Na\u{EF}ve d\u{E9}j\u{E0}?</p>",
            "<!-- SC_OFF --><div class=\"md\"><p>Hello.</p></div><!-- SC_ON --> <a href=\"https://www.reddit.com/user/u1\"> /u/u1 </a>",
            "<p>before</p><script>alert('x > y')</script><style>p { color: red }</style><p>after</p>",
            "<p><a href=\"https://x.example/\" title=\"a > b\">quoted gt</a></p>", "<p><img src=\"https://x.example/i.png\" alt=\"x>y\"></p>",
            "<figure><img src=\"https://cdn.example/a.jpg\" alt=\"\" width=\"600\" height=\"400\"><figcaption>Cap \u{E9}</figcaption></figure>",
            "<ul><li>one</li><li>two <b>bold <i>it</i></b></li></ul><table><tr><td>1</td><td>2</td></tr></table>",
            "<p>nbsp\u{A0}here&#160;and&nbsp;there &copy; 2025</p>", "<p>a<br>b<br/>c</p><hr><p>d</p>",
        ]
        var o = FeedReaderTests.Outcome()
        for (k, body) in bodies.enumerated() {
            let rss = """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
                <channel><title>t</title><link>https://blog.example.com</link>
                <item><title>Post \(k)</title><link>https://blog.example.com/\(k)/</link><dc:creator><![CDATA[A]]></dc:creator>
                <description><![CDATA[short \(k)]]></description><content:encoded><![CDATA[\(body)]]></content:encoded></item>
                <item><title>Escaped \(k)</title><link>https://blog.example.com/e\(k)/</link><description>\(Self.escaped(body))</description></item>
                </channel></rss>
                """
            FeedReaderTests.compare(Array(rss.utf8), name: "rss \(k)", into: &o)
            FeedReaderTests.compare(Array(rss.utf8), url: "https://reader.example/f", name: "rss \(k) url", into: &o)
            let atom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>t</title>
                <entry><id>tag:x,\(k)</id><title>a</title><link href="https://x.example/\(k)"/><content type="html">\(Self.escaped(body))</content></entry>
                </feed>
                """
            FeedReaderTests.compare(Array(atom.utf8), name: "atom \(k)", into: &o)
        }
        #expect(o.mismatches.isEmpty, "\(o.mismatches.joined(separator: "\n"))")
        #expect(o.accepted == o.documents)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The text's lines joined in place equal the plain definition: each line without its
    /// trailing blanks, no empty lines at either end, those between kept.
    @Test func textLinesJoinLikeThePlainDefinition() {
        var r = SplitMix64(state: 5)
        let alphabet: [UInt8] = [0x61, 0x62, 0x20, 0x09, 0x0A, 0x0A, 0xC3, 0xA9]
        for _ in 0..<20000 {
            let n = Int(r.next() % 40)
            var bytes: [UInt8] = (0..<n).map { _ in alphabet[Int(r.next() % UInt64(alphabet.count))] }
            // Whole `é`s only.
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8).filter { $0 != 0xEF && $0 != 0xBF && $0 != 0xBD }
            guard String(validating: bytes, as: UTF8.self) != nil else { continue }
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> [UInt8] in
                var l = Array(line)
                while let last = l.last, last == 0x20 || last == 0x09 { l.removeLast() }
                return l
            }
            while let first = lines.first, first.isEmpty { lines.removeFirst() }
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            let expected = String(decoding: Array(lines.joined(separator: [0x0A])), as: UTF8.self)
            for valid in [false, true] {
                var builder = TextBuilder()
                builder.out = bytes
                #expect(builder.result(validUTF8: valid) == expected, "\(bytes)")
            }
        }
    }

    /// Strings made without the second check equal `String(decoding:as:)` on valid UTF-8.
    @Test func stringsFromCheckedBytesEqualDecodedOnes() {
        for s in ["", "a", "caf\u{E9}", "\u{1F600}x\u{301}", String(repeating: "na\u{EF}ve ", count: 300)] {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { p in
                #expect(UTF8Text.string(p, valid: true) == s)
                #expect(UTF8Text.string(p, valid: false) == s)
            }
        }
    }
}

extension FastHTMLBytesTests {
    /// The one- and two-letter element names read without the table: every such lowercase
    /// name (and a few longer ones) as the table reads it.
    @Test func shortElementNamesReadAsTheTableDoes() {
        let chars = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var names: [[UInt8]] = chars.map { [$0] }
        for a in chars { for b in chars { names.append([a, b]) } }
        names += ["img", "div", "span", "strong", "table", "caption", "xyz"].map { Array($0.utf8) }
        for name in names {
            name.withUnsafeBufferPointer { p in
                #expect(FastHTML.kind(of: p) == FastHTML.kinds.lookup(p), "\(String(decoding: name, as: UTF8.self))")
            }
        }
    }
}

extension FastHTMLBytesTests {
    /// Element text read with its references decoded in place equals the pieces' decodings
    /// put together; a stray `&`, an unknown entity or `]]>` outside CDATA fails the read.
    @Test func elementTextDecodesLikeItsPieces() {
        let pieces: [(String, String?)] = [
            ("a", "a"), ("caf\u{E9}", "caf\u{E9}"), (" ", " "), ("\t", "\t"), ("\n", "\n"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"),
            ("&quot;", "\""), ("&apos;", "'"), ("&#233;", "\u{E9}"), ("&#x1F600;", "\u{1F600}"), ("&#65536;", "\u{10000}"), ("&#9;", "\t"),
            ("&#128;", "\u{80}"), ("&#2048;", "\u{800}"), ("&#x7F;", "\u{7F}"), ("&#32;", " "), ("]", "]"), ("]]>", nil), ("&bogus;", nil),
            ("&", nil), ("&lt", nil), ("<![CDATA[x&y]]>", "x&y"), ("<![CDATA[]]>", ""), ("<!-- c -->", ""), ("&#0;", nil), ("&#xD800;", nil),
        ]
        var r = SplitMix64(state: 21)
        for _ in 0..<20000 {
            var source = ""
            var expected: String? = ""
            for _ in 0..<Int(r.next() % 8) {
                let (raw, decoded) = pieces[Int(r.next() % UInt64(pieces.count))]
                source += raw
                if let d = decoded { expected? += d } else { expected = nil }
            }
            let doc = Array("<x>\(source)</x>".utf8)
            doc.withUnsafeBufferPointer { p in
                var s = FastXMLScanner(p)
                s.i = 3
                var out: [UInt8] = Array("kept".utf8)
                var nonSpace = false
                let ok = s.text(store: true, into: &out, nonSpace: &nonSpace)
                if let expected {
                    #expect(ok, "\(source)")
                    #expect(out == Array(("kept" + expected).utf8), "\(source)")
                    #expect(s.atTag && s.atEndTag && s.i == doc.count - 4, "\(source)")
                } else {
                    #expect(!ok, "\(source)")
                }
            }
        }
    }
}

extension FastHTMLBytesTests {
    /// The text run's end (a control byte, a byte outside ASCII, or two spaces) found eight
    /// bytes at a time equals a plain loop.
    @Test func runEndSearchMatchesAPlainLoop() {
        var r = SplitMix64(state: 9)
        let alphabet: [UInt8] = [0x20, 0x20, 0x20, 0x61, 0x62, 0x7F, 0x21, 0x0A, 0x09, 0x1F, 0xC3, 0xA9, 0x00]
        for _ in 0..<30000 {
            let n = Int(r.next() % 40)
            let bytes: [UInt8] = (0..<n).map { _ in alphabet[Int(r.next() % UInt64(alphabet.count))] }
            let from = Int(r.next() % UInt64(n + 1))
            let to = from + Int(r.next() % UInt64(n - from + 1))
            bytes.withUnsafeBufferPointer { p in
                var k = from
                while k < to, p[k] >= 0x20, p[k] < 0x80, !(p[k] == 0x20 && k + 1 < to && p[k + 1] == 0x20) { k += 1 }
                #expect(ByteScan.firstControlNonASCIIOrDoubleSpace(in: p, from: from, to: to) == k, "\(bytes) \(from)..<\(to)")
            }
        }
    }
}

extension FastHTMLBytesTests {
    /// Prefixed names are remembered only while the declared prefixes stay the same: a prefix
    /// declared on one element (Blogger's `media:thumbnail`) is unknown again after it, and a
    /// later use declines the document.
    @Test func prefixedNamesFollowTheirDeclarations() {
        let scoped = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><id>1</id><title>a</title><media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="https://x.example/1.jpg"/></entry>
            <entry><id>2</id><title>b</title><media:thumbnail url="https://x.example/2.jpg"/></entry>
            </feed>
            """
        #expect(FeedShapeTests.fast(scoped) == nil)
        let repeated = """
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
            <item><title>a</title><dc:creator>A</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item>
            <item><title>b</title><dc:creator>B</dc:creator><dc:date>2025-01-01T00:00:00Z</dc:date><content:encoded>&lt;p&gt;y&lt;/p&gt;</content:encoded></item>
            </channel></rss>
            """
        let fast = FeedShapeTests.fast(repeated)
        #expect(fast != nil)
        #expect(fast == FeedShapeTests.general(repeated))
        #expect(fast?.map(\.authorName) == ["A", "B"])
    }
}
