import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The fast path's byte-level routines against plain references: the eight-byte searches, the
/// text builder's run of words, the sanitiser's output-only-where-it-differs, JSON strings read
/// in place, and the shared helpers made allocation-free (e-mail domains, URL schemes).
@Suite struct FastScanTests {
    @Test func byteSearchesMatchPlainLoops() {
        var r = SplitMix64(state: 1)
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x26, 0x3C, 0x5C, 0x5D, 0x61, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<20000 {
            let n = r.below(40)
            // Mostly letters, so hits land at every offset within and across words.
            let bytes: [UInt8] = (0..<n).map { _ in r.below(4) == 0 ? r.pick(alphabet) : UInt8(0x61 + r.below(26)) }
            let from = n == 0 ? 0 : r.below(n + 1)
            let to = from + r.below(n - from + 1)
            let (a, b, c) = (r.pick(alphabet), r.pick(alphabet), r.pick(alphabet))
            bytes.withUnsafeBufferPointer { p in
                var k = from
                while k < to, p[k] != a, p[k] != b, p[k] != c { k += 1 }
                #expect(ByteScan.firstOf(a, b, c, in: p, from: from, to: to) == k, "\(bytes) \(from)..<\(to) \(a) \(b) \(c)")
                k = from
                while k < to, p[k] > 0x20, p[k] < 0x80 { k += 1 }
                #expect(ByteScan.firstNonWordByte(in: p, from: from, to: to) == k, "\(bytes)")
                k = from
                while k < to, p[k] >= 0x20, p[k] < 0x80 { k += 1 }
                #expect(ByteScan.firstControlOrNonASCII(in: p, from: from, to: to) == k, "\(bytes)")
            }
        }
    }

    /// The end of a CDATA section found with `memchr` equals the plain scan for `]]>`.
    @Test func cdataEndMatchesAPlainScan() {
        var r = SplitMix64(state: 11)
        let alphabet: [UInt8] = Array("]]]>>a <".utf8)
        for _ in 0..<20000 {
            let n = r.below(24)
            let bytes: [UInt8] = (0..<n).map { _ in r.pick(alphabet) }
            let from = r.below(n + 1)
            let to = from + r.below(n - from + 1)
            bytes.withUnsafeBufferPointer { p in
                var m = from
                while m + 2 < to, !(p[m] == UInt8(ascii: "]") && p[m + 1] == UInt8(ascii: "]") && p[m + 2] == UInt8(ascii: ">")) { m += 1 }
                let expected: Int? = m + 2 < to ? m : nil
                #expect(ByteScan.cdataEnd(in: p, from: from, to: to) == expected, "\(bytes) \(from)..<\(to)")
            }
        }
    }

    /// The whole-document check (sixteen ASCII bytes at a time) against `String(validating:)`
    /// and a plain scan for the characters XML excludes, at every length around the steps.
    @Test func utf8CheckMatchesAReference() {
        var r = SplitMix64(state: 7)
        let pieces: [[UInt8]] = [[0x61], [0x20], [0x09], [0x0A], [0x0D], [0x01], [0x7F], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xEF, 0xBF, 0xBE], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0x80], [0xE2, 0x82]]
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            while bytes.count < r.below(48) { bytes += r.below(3) == 0 ? r.pick(pieces) : [UInt8(0x61 + r.below(26))] }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let xmlValid = valid && !bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A }
                && String(decoding: bytes, as: UTF8.self).unicodeScalars.allSatisfy { $0.value != 0xFFFE && $0.value != 0xFFFF }
            bytes.withUnsafeBufferPointer { p in
                #expect(FastXMLScanner.validUTF8(p, xmlChars: false) == valid, "\(bytes)")
                #expect(FastXMLScanner.validUTF8(p, xmlChars: true) == xmlValid, "\(bytes)")
            }
        }
    }

    @Test func doubleSpaceSearchMatchesAPlainLoop() {
        var r = SplitMix64(state: 2)
        for _ in 0..<20000 {
            let n = r.below(40)
            let bytes: [UInt8] = (0..<n).map { _ in r.pick([0x20, 0x20, 0x61, 0x62, 0x21, 0xA0, 0x00, 0x40]) }
            let from = n == 0 ? 0 : r.below(n + 1)
            let to = from + r.below(n - from + 1)
            var expected = false
            var k = from
            while k + 1 < to {
                if bytes[k] == 0x20 && bytes[k + 1] == 0x20 { expected = true }
                k += 1
            }
            let got = bytes.withUnsafeBufferPointer { ByteScan.hasDoubleSpace(in: $0, from: from, to: to) }
            #expect(got == expected, "\(bytes) \(from)..<\(to)")
        }
    }

    /// Random markup in the fast sanitiser's subset (and some outside it): wherever it accepts,
    /// its markup and text equal the general sanitiser's and text converter's.
    @Test func fastHTMLMatchesTheGeneralPathOnRandomMarkup() {
        var r = SplitMix64(state: 3)
        let tokens = [
            "word", "Word.", "x", "longerwordthanusual", " ", " ", "  ", "   ", "\t", "\n", " \n ", "é", "\u{A0}", "\u{2003}", "\u{1F600}",
            "<p>", "</p>", "<p >", "<br>", "<br/>", "<br />", "<b>", "</b>", "<i>", "</i>", "<div>", "</div>", "<li>", "</li>",
            "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#34;", "&#233;", "&#8212;", "&#32;", "&#160;",
            "<a href=\"/status/1\">", "<a href=\"https://x.example/a b\" rel=\"Nofollow\">", "</a>", "<img src=\"/i.png\" alt=\"p\"/>",
            "<span class=\"h-card\">", "</span>", "\u{1}", "~", "\u{7F}",
            // Balanced pairs: the fast path declines unbalanced tags (the allow-list pass balances them).
            "<b>bold</b>", "<i>it</i> ", "<p>para</p>", "<div>d</div>", "<li>l</li>", "<a href=\"/status/1\">link</a>",
            "<span class=\"h-card\">c</span>", "<p>x<br>y</p>", "<b><i>z</i></b>",
        ]
        var accepted = 0
        for round in 0..<4000 {
            var html = ""
            for _ in 0..<r.below(24) { html += r.pick(tokens) }
            let base = round % 2 == 0 ? "" : "https://social.example/feed"
            guard let (value, text) = FastHTML.process(Array(html.utf8)[...], base: base) else { continue }
            accepted += 1
            let expected = HTMLSanitizer.resolveAndSanitize(html, base: base, type: "text/html")
            #expect(FastXMLFeed.strippedHTML(value) == expected, "\(html.debugDescription)")
            #expect(text == HTMLToText.convert(expected), "\(html.debugDescription)")
        }
        #expect(accepted > 600)
    }

    /// JSON strings with escapes at every offset around the eight-byte steps: the fast path
    /// reads them as the general parser does, and declines a lone surrogate.
    @Test func jsonStringsWithEscapesReadAsTheGeneralPathDoes() {
        var r = SplitMix64(state: 4)
        let pieces = ["a", "bcdefgh", "ijklmnopqrstuvw", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u0041", "\\ud83d\\ude00", "é", " ", "<b>", "&amp;"]
        var accepted = 0
        for _ in 0..<600 {
            func string() -> String {
                var s = ""
                for _ in 0..<r.below(12) { s += r.pick(pieces) }
                return s
            }
            let doc = """
                {"version":"https://jsonfeed.org/version/1.1","title":"\(string())","items":[\
                {"id":"\(string())","url":"https://x.example/\(string())","title":"\(string())",\
                "content_html":"<p>\(string())</p>","date_published":"2024-01-0\(1 + r.below(9))T00:00:00Z",\
                "authors":[{"name":"\(string())"}],"tags":["\(string())"]}]}
                """
            let bytes = Array(doc.utf8)
            if FeedReader.fastRead(bytes, contentType: nil, url: nil, sourceName: "s", fetchedAt: Date()) != nil { accepted += 1 }
            #expect(FeedReader.divergence(bytes) == nil, "\(doc)")
        }
        #expect(accepted > 500)
        let lone = Array(#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"a\ud83d","content_text":"x"}]}"#.utf8)
        #expect(FeedReader.fastRead(lone, contentType: nil, url: nil, sourceName: "s", fetchedAt: Date()) == nil)
    }

    /// `AuthorParsing.findEmail` (domain candidates without a list) against the list-based
    /// matcher it replaced.
    @Test func emailFinderMatchesTheListBasedReference() {
        var r = SplitMix64(state: 5)
        let pieces = ["a", "b.c", "@", "x", ".", "-", "[1.2.3.", "4]", "12", "com", "co", "c", "1", " ", "(", ")", "_", "+", "?subject=hi", "é"]
        for _ in 0..<20000 {
            var s = ""
            for _ in 0..<r.below(10) { s += r.pick(pieces) }
            var copy = s
            let reference = copy.withUTF8 { Self.referenceFindEmail($0) }
            #expect(AuthorParsing.findEmail(in: s) == reference, "\(s)")
        }
    }

    static func referenceFindEmail(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        func isLocal(_ b: UInt8) -> Bool { b.isASCIIWordByte || b == 0x2E || b == 0x2B || b == 0x2D }
        func isLabel(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D }
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func matchDomain(_ p: Int) -> Int? {
            var candidates: [Int] = []
            if p < u.count, u[p] == UInt8(ascii: "[") {
                var k = p + 1
                var ok = true
                for _ in 0..<3 {
                    let s = k
                    while k < u.count, isDigit(u[k]), k - s < 3 { k += 1 }
                    if k == s || k >= u.count || u[k] != UInt8(ascii: ".") { ok = false; break }
                    k += 1
                }
                if ok { candidates.append(k) }
            }
            var k = p
            while true {
                let s = k
                while k < u.count, isLabel(u[k]) { k += 1 }
                if k == s || k >= u.count || u[k] != UInt8(ascii: ".") { break }
                k += 1
                candidates.append(k)
            }
            for c in candidates.reversed() {
                var e = c
                if e < u.count, isLetter(u[e]) {
                    var n = 0
                    while e < u.count, isLetter(u[e]), n < 4 { e += 1; n += 1 }
                    if n < 2 { continue }
                } else if e < u.count, isDigit(u[e]) {
                    var n = 0
                    while e < u.count, isDigit(u[e]), n < 3 { e += 1; n += 1 }
                } else {
                    continue
                }
                if e < u.count, u[e] == UInt8(ascii: "]") { e += 1 }
                return e
            }
            return nil
        }
        var at = 0
        while at < u.count {
            guard u[at] == UInt8(ascii: "@") else { at += 1; continue }
            var start = at
            while start > 0, isLocal(u[start - 1]) { start -= 1 }
            if start < at, let end = matchDomain(at + 1) {
                var e = end
                let subject = "?subject=".utf8
                if e + subject.count < u.count, u[e..<(e + subject.count)].elementsEqual(subject) {
                    var k = e + subject.count
                    let s0 = k
                    while k < u.count, !u[k].isASCIIWhitespace { k += 1 }
                    if k > s0 { e = k }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: u[start..<e]), as: UTF8.self)
            }
            at += 1
        }
        return nil
    }

    /// RSS authors around an e-mail address (repeated, bracketed, escaped): both paths agree.
    @Test func rssAuthorsAroundAnAddressReadAsTheGeneralPathDoes() {
        var r = SplitMix64(state: 10)
        let pieces = ["a@b.example", "x.y@mail.example.org", " ", "(", ")", "()", "&lt;", "&gt;", "&lt;&gt;", "Name", "N. Ame", "<", ">", "?subject=hi", "@"]
        var accepted = 0
        for _ in 0..<1500 {
            var author = ""
            for _ in 0..<(1 + r.below(7)) { author += r.pick(pieces) }
            author = author.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "&lt;lt;", with: "&lt;").replacingOccurrences(of: "&lt;gt;", with: "&gt;")
            let doc = """
                <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>\
                <item><title>x</title><guid isPermaLink="false">g</guid><author>\(author)</author></item></channel></rss>
                """
            let bytes = Array(doc.utf8)
            if FeedReader.fastRead(bytes, contentType: nil, url: nil, sourceName: "s", fetchedAt: Date()) != nil { accepted += 1 }
            #expect(FeedReader.divergence(bytes) == nil, "\(author)")
        }
        #expect(accepted > 1000)
    }

    /// Atom links and text types written every way the shortcuts compare: both paths agree.
    @Test func atomLinkAndTypeAttributesReadAsTheGeneralPathDoes() {
        let rels = ["", " rel=\"alternate\"", " rel=\"ALTERNATE\"", " rel=\"Alternate\"", " rel=\"alternat&#101;\"", " rel=\"self\"",
                    " rel=\"related\"", " rel=\"alternatex\""]
        let types = ["", " type=\"text/html\"", " type=\"TEXT/HTML\"", " type=\"application/atom+xml\"", " type=\"html\""]
        let textTypes = ["", " type=\"html\"", " type=\"text\"", " type=\"HTML\"", " type=\"htm&#108;\"", " type=\"text/html\"", " type=\"xhtml\""]
        var accepted = 0
        for rel in rels {
            for type in types {
                for textType in textTypes {
                    let doc = """
                        <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\
                        <entry><title\(textType)>a &amp;lt;b&amp;gt; c</title><link\(rel)\(type) href="/p/1"/><id>tag:x,2024:1</id>\
                        <content\(textType)>&lt;p&gt;x&lt;/p&gt;</content></entry></feed>
                        """
                    let bytes = Array(doc.utf8)
                    if FeedReader.fastRead(bytes, contentType: nil, url: "https://x.example/feed", sourceName: "s", fetchedAt: Date()) != nil {
                        accepted += 1
                    }
                    #expect(FeedReader.divergence(bytes, url: "https://x.example/feed") == nil, "\(rel) \(type) \(textType)")
                }
            }
        }
        #expect(accepted > 150)
    }

    /// Attribute escaping in runs against the byte-at-a-time escaper it replaced.
    @Test func attributeEscapingMatchesTheByteAtATimeReference() {
        var r = SplitMix64(state: 8)
        let pieces = ["a", "/x?y=1", "&", "&amp;", "&#39;", "&#x2F;", "&#;", "&x", "<", ">", "\"", "'", "é", " ", "&lt"]
        for _ in 0..<5000 {
            var v = ""
            for _ in 0..<r.below(8) { v += r.pick(pieces) }
            var got: [UInt8] = [0x2A]
            SGMLProcessor.appendEscapedAttribute(v, to: &got)
            let u = Array(v.utf8)
            var expected: [UInt8] = [0x2A]
            for (i, c) in u.enumerated() {
                switch c {
                case UInt8(ascii: ">"): expected += Array("&gt;".utf8)
                case UInt8(ascii: "<"): expected += Array("&lt;".utf8)
                case UInt8(ascii: "\""): expected += Array("&quot;".utf8)
                case UInt8(ascii: "&"):
                    let rest = String(decoding: u[(i + 1)...], as: UTF8.self)
                    let isRef = rest.range(of: #"^(#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z0-9_\x{80}-\x{10FFFF}]+;)"#, options: .regularExpression) != nil
                    expected += isRef ? [c] : Array("&amp;".utf8)
                default: expected.append(c)
                }
            }
            #expect(got == expected, "\(v)")
        }
    }

    /// The URL shortcuts: an http(s) base without a relative part, schemes matched on bytes,
    /// and an absolute path joined in place.
    @Test func urlShortcutsMatchTheGeneralRules() {
        let bases = [
            "https://x.example/feed", "http://x.example", "HTTPS://X.example/", "https://x.example/a\tb", "https://x.example/\n",
            "javascript:alert(1)", "ftp://f.example/", "mailto:a@b.c", "https:", "http://", "httpx://y", "", "/rel", "é://x",
        ]
        for b in bases where !b.isEmpty {
            let scheme = URLResolver.scheme(of: b)
            let expected = scheme.isEmpty || URLResolver.acceptableSchemes.contains(scheme) ? b : ""
            #expect(URLResolver.makeSafeAbsolute(base: b, relative: nil) == expected, "\(b)")
        }
        var r = SplitMix64(state: 6)
        let letters = Array("hHtTpPsSfFvVnN+-.1wWxX".utf8)
        for _ in 0..<5000 {
            let name = (0..<(1 + r.below(8))).map { _ in r.pick(letters) }
            let expected = URLResolver.usesRelative.contains(String(decoding: name, as: UTF8.self).lowercased())
            let got = name.withUnsafeBufferPointer { URLResolver.usesRelativeTable.lookup($0) != nil }
            #expect(got == expected, "\(String(decoding: name, as: UTF8.self))")
        }
        #expect(URLResolver.join("https://x.example/feed/a?q#f", "/status/1") == "https://x.example/status/1")
        #expect(URLResolver.join("http://x.example:8080", "/") == "http://x.example:8080/")
        #expect(URLResolver.join("https://x.example/feed", "/a/./b") == "https://x.example/a/b")
    }

    /// A plain relative path (an Atom `id` such as Reddit's `t3_abc`) joined in place equals
    /// `urljoin`: bases with and without paths, queries, fragments, ports, trailing slashes,
    /// empty and dot segments; references from pieces that stress segment merging.
    @Test func relativePathJoinsLikeUrljoin() {
        let bases = [
            "https://www.reddit.com/r/widgets/.rss", "https://x.example", "https://x.example/", "http://x.example:8080/a/b/",
            "https://x.example?q=1", "https://x.example/a?q=/b/c#f", "https://x.example/a#f/g", "https://u:p@X.example/A/B",
            "https://x.example//a/b", "https://x.example/a//b/c", "https://x.example/./a/", "https://x.example/a/../b/c",
            "https://x.example/a/..", "https://x.example/a/.", "https://x.example/é/", "HTTPS://x.example/a/", "https://",
            "https:///a/b", "ftp://x.example/a/", "x.example/a/", "",
        ]
        let pieces = ["a", "t3_1x", "/", ".", "..", "-", "~", "%20", "&", "=", "b.c", "\\", ":", "?", "#", "é", " ", "//"]
        var uris = ["t3_10rb0", "a/b", "a/b/", "a", ".rss", "a/./b", "a/../b", "./a", "../a", "a//b", "a/", "a:b", "/a", "", "..."]
        var r = SplitMix64(state: 18)
        for _ in 0..<3000 { uris.append((0..<(1 + r.below(5))).map { _ in r.pick(pieces) }.joined()) }
        var taken = 0
        for b in bases {
            for u in uris {
                if let fast = URLResolver.joinRelativePath(b, u) {
                    taken += 1
                    #expect(fast == URLResolver.urljoin(b, u), "\(b) + \(u)")
                }
                if !u.contains(":") { #expect(URLResolver.join(b, u) == URLResolver.urljoin(b, u), "\(b) + \(u)") }
            }
        }
        #expect(taken > 1000)
        #expect(URLResolver.joinRelativePath("https://www.reddit.com/r/widgets/.rss", "t3_10rb0") == "https://www.reddit.com/r/widgets/t3_10rb0")
    }
}
