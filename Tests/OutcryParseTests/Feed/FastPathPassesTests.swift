import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// Issue 18, the CDATA- and HTML-heavy shapes: the fast XML path sets its mentions' content
/// hashes all at once, four FNV-1a chains side by side (`ContentHashes`), each equal to
/// `Mention`'s own hash of the same mention; `FastHTML` adds a text run in the pass that finds
/// its end, and writes a reference's UTF-8 itself — both equal to the general functions.
@Suite struct FastPathPassesTests {
    @Test func interleavedHashesEqualTheSerialOnes() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<500 {
            // Four buffers of lengths from 0 to 3,000, some much longer than the others.
            let pieces = (0..<4).map { _ in
                (0..<Int.random(in: 0...(Bool.random(using: &rng) ? 20 : 3000), using: &rng)).map { _ in
                    UInt8.random(in: 0...255, using: &rng)
                }
            }
            let h = pieces[0].withUnsafeBufferPointer { a in pieces[1].withUnsafeBufferPointer { b in
                pieces[2].withUnsafeBufferPointer { c in pieces[3].withUnsafeBufferPointer { d in
                    ContentHashes.fnv1a4(a, b, c, d, (ContentHashes.offsetBasis, ContentHashes.offsetBasis,
                                                      ContentHashes.offsetBasis, ContentHashes.offsetBasis))
                } }
            } }
            #expect([h.0, h.1, h.2, h.3] == pieces.map { StableHash.fnv1a64($0) }, "round \(round)")
        }
    }

    @Test func manyMentionsOfMixedLengths() {
        var rng = SystemRandomNumberGenerator()
        let words = ["a", "café", "日本語", "\u{1F}", " ", "refund", "e\u{301}", "😀"]
        var mentions: [Mention] = []
        for k in 0..<203 {
            let length = Int.random(in: 0...(k % 3 == 0 ? 600 : 40), using: &rng)
            let text = (0..<length).map { _ in words.randomElement(using: &rng)! }.joined()
            let title: String? = Bool.random(using: &rng) ? nil : "t\(k) " + (words.randomElement(using: &rng)!)
            let url: String? = k % 5 == 0 ? nil : "https://x.example/\(k)"
            mentions.append(Mention(sourceName: "s", channel: .feed, key: "k", url: url, title: title, text: text,
                                    fetchedAt: Date(timeIntervalSince1970: 0)))
        }
        let expected = mentions.map(\.contentHash)
        for k in mentions.indices { mentions[k].contentHash = "" }
        ContentHashes.fill(&mentions)
        #expect(mentions.map(\.contentHash) == expected)
    }

    @Test func filledHashesEqualTheMentionsOwn() {
        let texts = ["", "a", "Hello there, café ☕️ — 日本語", String(repeating: "long text ", count: 500), "\u{1F}", "e\u{301}"]
        var mentions: [Mention] = []
        var expected: [String] = []
        for (k, text) in texts.enumerated() {
            for title in [nil, "", "Title \(k)", "Ünïcödé"] as [String?] {
                for url in [nil, "https://x.example/\(k)", ""] as [String?] {
                    let m = Mention(sourceName: "s", channel: .feed, key: "k", url: url, title: title, text: text,
                                    fetchedAt: Date(timeIntervalSince1970: 0))
                    expected.append(m.contentHash)
                    var blank = m
                    blank.contentHash = ""
                    mentions.append(blank)
                }
            }
        }
        for prefix in [0, 1, 3, 4, 5, 9, mentions.count] {
            var some = Array(mentions.prefix(prefix))
            ContentHashes.fill(&some)
            #expect(some.map(\.contentHash) == Array(expected.prefix(prefix)))
        }
    }

    /// A character reference of each UTF-8 length (and white space ones) in the text, as the
    /// general functions read it (`TextBuilder.addScalar` writes the bytes itself now).
    @Test func referencesOfEveryUTF8LengthMatchTheGeneralPath() {
        for r in ["&#65;", "&#233;", "&#2047;", "&#2048;", "&#8217;", "&#55295;", "&#57344;", "&#65533;", "&#65536;",
                  "&#128512;", "&#1114111;", "&#160;", "&#8203;", "&#12288;", "&amp;", "&lt;"] {
            FastHTMLBytesTests.check("<p>a\(r)b \(r) c</p>\(r)<br/>x \(r)")
            FastHTMLBytesTests.check("<p>a\(r)b \(r) c</p>\(r)<br/>x \(r)", validUTF8: true)
        }
    }

    /// Text runs end at `<`, `&` and a carriage return wherever they fall (in the first, middle
    /// or last of the eight-byte words the search reads, after spaces and characters outside
    /// ASCII), as the general functions read the markup.
    @Test func textRunsEndWhereTheMarkupStarts() {
        let pieces = ["a", " ", "  ", "é", "日本", "\t", "\n", "word ", "&amp;", "&#233;", "<b>", "</b>", "<br>", "\u{A0}", "x"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var html = "<p>"
            var open = false
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                var piece = pieces.randomElement(using: &rng)!
                if piece == "<b>" { if open { continue }; open = true }
                if piece == "</b>" { if !open { continue }; open = false }
                if piece == "&amp;" && Bool.random(using: &rng) { piece = "&lt;" }
                html += piece
            }
            if open { html += "</b>" }
            html += "</p>"
            FastHTMLBytesTests.check(html)
        }
        // A carriage return declines (the general functions take it), at any offset.
        for k in 0..<20 {
            var scratch = FastHTML.Scratch()
            let html = Array(("<p>" + String(repeating: "a", count: k) + "\r b</p>").utf8)
            #expect(html.withUnsafeBufferPointer { FastHTML.process($0, base: "", scratch: &scratch) } == nil)
        }
    }

    /// The document check's sixteen-byte step passes tabs and line feeds among ASCII now; any
    /// other byte below 0x20 in such a stretch, at any place, is still refused.
    @Test func indentedASCIIStretchesCheckLikeAPlainScan() {
        var rng = SystemRandomNumberGenerator()
        let common: [UInt8] = [0x61, 0x7A, 0x20, 0x3C, 0x7E, 0x7F, 0x09, 0x0A]
        let rare: [UInt8] = [0x0D, 0x01, 0x00, 0x1F, 0x0B, 0x08, 0xC3]
        for _ in 0..<20000 {
            let n = Int.random(in: 0...64, using: &rng)
            var bytes = (0..<n).map { _ in common.randomElement(using: &rng)! }
            if n > 0 && Bool.random(using: &rng) { bytes[Int.random(in: 0..<n, using: &rng)] = rare.randomElement(using: &rng)! }
            let expected = String(validating: bytes, as: UTF8.self) != nil
                && !bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A }
            bytes.withUnsafeBufferPointer { p in
                #expect(FastXMLScanner.validUTF8(p, xmlChars: true) == expected, "\(bytes)")
                #expect(FastXMLScanner.validUTF8(p, xmlChars: false) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            }
        }
    }

    /// The search that passes over characters outside ASCII in vouched-for UTF-8 stops where a
    /// plain loop over the same definition stops, and text with every kind of white space
    /// outside ASCII reads as the general functions read it.
    @Test func spaceLeadSearchMatchesAPlainLoop() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [[0x61], [0x20], [0x20, 0x20], [0x09], [0x0A], [0x3C], [0x26], [0x7F], Array("é".utf8), Array("ï".utf8),
                                 Array("\u{A0}".utf8), Array("\u{85}".utf8), Array("\u{2003}".utf8), Array("\u{3000}".utf8),
                                 Array("日".utf8), Array("😀".utf8), Array("\u{1680}".utf8), Array("’".utf8)]
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            let from = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            // Start on a character boundary, as the callers do.
            var start = from
            while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
            var k = start
            while k < bytes.count {
                let x = bytes[k]
                if x < 0x20 || x == 0x3C || x == 0x26 || x == 0xC2 || x & 0xF0 == 0xE0 { break }
                if x == 0x20, k + 1 < bytes.count, bytes[k + 1] == 0x20 { break }
                k += 1
            }
            bytes.withUnsafeBufferPointer { p in
                #expect(ByteScan.firstControlDoubleSpaceMarkupOrSpaceLead(in: p, from: start, to: p.count) == k, "\(bytes) from \(start)")
            }
        }
        for html in ["caf\u{E9}\u{A0}na\u{EF}ve \u{85}x\u{2003}y\u{3000}z\u{1680}w \u{2028}v\u{202F}u\u{205F}t\u{200A}s",
                     "<p>\u{65E5}\u{672C} \u{E9}\u{E9}  \u{E9}</p>\u{2019}\u{A0}\u{A0}<b>\u{1F600} \u{A0}</b>",
                     "d\u{E9}j\u{E0} vu, caf\u{E9} au lait &amp; na\u{EF}ve\u{2009}text \u{E0}\u{E0}\u{E0}\u{E0}\u{E0}\u{E0}\u{E0}\u{E0}\u{A0}"] {
            FastHTMLBytesTests.check(html, validUTF8: true)
            FastHTMLBytesTests.check(html)
        }
    }
}
