import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The HTML5 tokeniser state by state, and properties of the allow-list sanitiser over
/// random markup.
@Suite struct HTML5TokenizerTests {
    /// Tokens of `html` in a short readable form; raw-text elements switch the content model.
    static func tokens(_ html: String) -> [String] {
        var html = html
        return html.withUTF8 { u -> [String] in
            var t = HTML5Tokenizer(u)
            var out: [String] = []
            while let token = t.next() {
                switch token {
                case .text(let r, let refs):
                    out.append("T:" + HTML5Tokenizer.decodeText(u, r, references: refs))
                case .startTag(let name, let attrs, let selfClosing):
                    out.append("S:" + name + attrs.map { " \($0.name)=\($0.value)" }.joined() + (selfClosing ? " /" : ""))
                    if let model = HTML5Tokenizer.contentModel(after: name) { t.switchTo(model, after: name) }
                case .endTag(let name): out.append("E:" + name)
                case .comment(let c): out.append("C:" + c)
                case .doctype: out.append("D")
                case .nothing: out.append("N")
                }
            }
            return out
        }
    }

    @Test func tagsAndAttributes() {
        #expect(Self.tokens("a<b>c</b>") == ["T:a", "S:b", "T:c", "E:b"])
        #expect(Self.tokens("<IMG SRC=x ALT='a b' title=\"q\">") == ["S:img src=x alt=a b title=q"])
        #expect(Self.tokens("<svg/onload=alert(1)>") == ["S:svg onload=alert(1)"])
        #expect(Self.tokens("<img/src=x/onerror=y>") == ["S:img src=x/onerror=y"])
        #expect(Self.tokens("<a/href=\"j\">") == ["S:a href=j"])
        #expect(Self.tokens("<br/>") == ["S:br /"])
        #expect(Self.tokens("<a b c=d e>") == ["S:a b= c=d e="])
        #expect(Self.tokens("<a x=1 x=2>") == ["S:a x=1"])
        #expect(Self.tokens("<a =x>") == ["S:a =x="])
        #expect(Self.tokens("<a x=\"1\"y=2>") == ["S:a x=1 y=2"])
        #expect(Self.tokens("<a x>") == ["S:a x="])
        #expect(Self.tokens("<a x=>") == ["S:a x="])
        #expect(Self.tokens("</a x=1>") == ["E:a"])
        #expect(Self.tokens("<a href=\"x") == ["N"])
        #expect(Self.tokens("<a") == ["N"])
    }

    @Test func lessThanThatStartsNothingIsText() {
        #expect(Self.tokens("a < b") == ["T:a < b"])
        #expect(Self.tokens("<<x>script>") == ["T:<", "S:x", "T:script>"])
        #expect(Self.tokens("1<2") == ["T:1<2"])
        #expect(Self.tokens("x<") == ["T:x<"])
        #expect(Self.tokens("x</") == ["T:x</"])
        #expect(Self.tokens("</>x") == ["N", "T:x"])
        #expect(Self.tokens("</ x>") == ["C: x"])
        #expect(Self.tokens("<?php x ?>") == ["C:?php x ?"])
    }

    @Test func comments() {
        #expect(Self.tokens("<!--x-->") == ["C:x"])
        #expect(Self.tokens("<!-->x") == ["C:", "T:x"])
        #expect(Self.tokens("<!--->x") == ["C:", "T:x"])
        #expect(Self.tokens("<!---->x") == ["C:", "T:x"])
        #expect(Self.tokens("<!-- a --!><b>") == ["C: a ", "S:b"])
        #expect(Self.tokens("<!--a--->") == ["C:a-"])
        #expect(Self.tokens("<!--a--!-->") == ["C:a--!"])
        #expect(Self.tokens("<!--a-- b-->") == ["C:a-- b"])
        #expect(Self.tokens("<!--<img src=\"--><img src=x>") == ["C:<img src=\"", "S:img src=x"])
        #expect(Self.tokens("<!--unclosed") == ["C:unclosed"])
        #expect(Self.tokens("<!DOCTYPE html><p>") == ["D", "S:p"])
        #expect(Self.tokens("<![CDATA[x]]>") == ["C:[CDATA[x]]"])
        #expect(Self.tokens("<!x>") == ["C:x"])
    }

    @Test func characterReferences() {
        #expect(Self.tokens("&amp;&lt;&#60;&#x3c;&eacute;") == ["T:&<<<é"])
        #expect(Self.tokens("&notit; &ampx &copy2024") == ["T:¬it; &x ©2024"])
        #expect(Self.tokens("&unknown; &#; &#x; &") == ["T:&unknown; &#; &#x; &"])
        #expect(Self.tokens("&#0;&#x110000;&#xD800;&#128;") == ["T:\u{FFFD}\u{FFFD}\u{FFFD}€"])
        // In attributes a legacy reference followed by a letter, digit or '=' is literal.
        #expect(Self.tokens("<a href=\"?a=1&copy=2&amp=3&copy;\">") == ["S:a href=?a=1&copy=2&amp=3©"])
        #expect(Self.tokens("<a title='&copy 1 &notit'>") == ["S:a title=© 1 &notit"])
        #expect(Self.tokens("<a href=\"jav&#x09;a&#9script&colon;\">") == ["S:a href=jav\ta\tscript&colon;"])
    }

    @Test func rawTextRCDATAScriptAndPlaintext() {
        #expect(Self.tokens("<title>a<b>&amp;</title>x") == ["S:title", "T:a<b>&", "E:title", "T:x"])
        #expect(Self.tokens("<textarea></textarea ><b>") == ["S:textarea", "E:textarea", "S:b"])
        #expect(Self.tokens("<style>a<b>&amp;</style>") == ["S:style", "T:a<b>&amp;", "E:style"])
        #expect(Self.tokens("<xmp></xm></XMP>") == ["S:xmp", "T:</xm>", "E:xmp"])
        #expect(Self.tokens("<noscript><p title=\"</noscript><img>\">") == ["S:noscript", "T:<p title=\"", "E:noscript", "S:img", "T:\">"])
        #expect(Self.tokens("<script>a</scripty></script>") == ["S:script", "T:a</scripty>", "E:script"])
        #expect(Self.tokens("<script><!--<script></script>x</script>y") == ["S:script", "T:<!--<script></script>x", "E:script", "T:y"])
        #expect(Self.tokens("<script><!-- x --></script>y") == ["S:script", "T:<!-- x -->", "E:script", "T:y"])
        #expect(Self.tokens("<script><!--></script>y") == ["S:script", "T:<!-->", "E:script", "T:y"])
        #expect(Self.tokens("<plaintext></plaintext><b>") == ["S:plaintext", "T:</plaintext><b>"])
        #expect(Self.tokens("<iframe><script>x</script></iframe>") == ["S:iframe", "T:<script>x</script>", "E:iframe"])
        #expect(Self.tokens("<title>x") == ["S:title", "T:x"])
    }

    @Test func textIsReserialisedAsTheBrowserReadsIt() {
        func text(_ s: String) -> String {
            var s = s
            return s.withUTF8 { u in
                var out: [UInt8] = []
                HTML5Tokenizer.appendText(u, 0..<u.count, references: true, to: &out)
                return String(decoding: out, as: UTF8.self)
            }
        }
        #expect(text("a &amp; &#38; &eacute; &copy 2024 & &unknown; <b") == "a &amp; &#38; &eacute; © 2024 &amp; &amp;unknown; &lt;b")
        #expect(text("&amp") == "&amp;")
        #expect(text("&lt") == "&lt;")
    }

    // MARK: - Properties over random markup

    static let fragments: [String] = [
        "<", ">", "/", "</", "<!--", "-->", "--!>", "<!-->", "<!", "?", "=", "\"", "'", " ", "\t", "\n", "&", ";", "#",
        "&#", "&#x", "&amp;", "&lt;", "&colon;", "&#58;", "&#x09;", "&Tab;", "&nbsp", "x", "alert(1)", "javascript:",
        "jav&#x09;ascript:", "vbscript:", "data:", "http://a.example/", "mailto:a@b", "a", "b", "p", "div", "span", "img",
        "br", "script", "style", "svg", "math", "noscript", "textarea", "title", "iframe", "template", "xmp", "plaintext",
        "form", "input", "table", "td", "animate", "set", "href", "src", "onerror", "onload", "style=", "xlink:href",
        "action", "formaction", "background", "poster", "lowsrc", "dynsrc", "color:red", "url(x)", "<![CDATA[", "]]>",
        "<!DOCTYPE", "\u{0}", "\u{1}", "é", "\r",
    ]

    static func randomMarkup(_ r: inout SplitMix64) -> String {
        let count = 1 + r.below(40)
        var s = ""
        for _ in 0..<count { s += r.pick(fragments) }
        return s
    }

    @Test func sanitiserIsIdempotentAndOutputHasOnlyAllowedMarkup() {
        var r = SplitMix64(state: 13)
        for _ in 0..<6000 {
            let x = Self.randomMarkup(&r)
            let once = HTMLSanitizer.sanitize(x)
            let twice = HTMLSanitizer.sanitize(once)
            #expect(once == twice, "\(x.debugDescription) → \(once.debugDescription) → \(twice.debugDescription)")
            #expect(HTMLAllowList.dangers(once).isEmpty, "\(x.debugDescription) → \(once.debugDescription): \(HTMLAllowList.dangers(once))")
            let clean = HTMLAllowList.clean(x)
            #expect(HTMLAllowList.clean(clean) == clean, "\(x.debugDescription) → \(clean.debugDescription)")
            #expect(HTMLAllowList.dangers(clean).isEmpty, "\(x.debugDescription) → \(clean.debugDescription)")
            for token in Self.tokens(once) where token.hasPrefix("S:") {
                let name = String(token.dropFirst(2).prefix { $0 != " " })
                #expect(HTMLAllowList.allowedElements.contains(name), "\(x.debugDescription) → \(once.debugDescription)")
            }
        }
    }
}
