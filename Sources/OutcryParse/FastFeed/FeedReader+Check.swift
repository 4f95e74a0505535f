import Foundation
import OutcryModel

extension FeedReader {
    /// Where the fast path and the general path disagree on `bytes`, described; nil when they
    /// agree or the fast path declines. Also holds the bytes, read as HTML and as a date, to the
    /// fast sanitiser and date reader. For the fuzz target and the tests.
    public static func divergence(_ bytes: [UInt8], contentType: String? = nil, url: String? = nil) -> String? {
        let fetchedAt = Date(timeIntervalSince1970: 0)
        if let fast = fastRead(bytes, contentType: contentType, url: url, sourceName: "check", fetchedAt: fetchedAt) {
            let parsed = FeedParser.parse(bytes, contentType: contentType, url: url)
            if parsed.bozo { return "fast path accepted a document the general path calls bozo: \(parsed.bozoException ?? "")" }
            if fast.ttlMinutes != parsed.ttlMinutes { return "ttl \(String(describing: fast.ttlMinutes)) ≠ \(String(describing: parsed.ttlMinutes))" }
            let general = parsed.mentions(sourceName: "check", fetchedAt: fetchedAt)
            if fast.mentions != general {
                if fast.mentions.count != general.count { return "\(fast.mentions.count) mentions ≠ \(general.count)" }
                for (k, (a, b)) in zip(fast.mentions, general).enumerated() where a != b {
                    return "mention \(k): \(a) ≠ \(b)"
                }
            }
        }
        let utf8 = bytes.withUnsafeBufferPointer { FastXMLScanner.validUTF8($0, xmlChars: false) }
        // The fast paths hand the sanitiser stripped text (Python's white space, which has
        // U+001C–U+001F that HTML's has not), with ASCII at both ends.
        var lo = 0
        var hi = bytes.count
        while lo < hi, FastXMLFeed.isPythonSpaceASCII(bytes[lo]) { lo += 1 }
        while hi > lo, FastXMLFeed.isPythonSpaceASCII(bytes[hi - 1]) { hi -= 1 }
        let asciiEnds = lo == hi || (bytes[lo] < 0x80 && bytes[hi - 1] < 0x80)
        if utf8, asciiEnds, bytes.count <= 4096, let html = FastHTML.process(bytes[lo..<hi], base: url ?? "") {
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = HTMLSanitizer.resolveAndSanitize(text, base: url ?? "", type: "text/html")
            if FastXMLFeed.strippedHTML(html.html) != expected { return "HTML \(html.html) ≠ \(expected)" }
            if html.text != HTMLToText.convert(expected) { return "text \(html.text) ≠ \(HTMLToText.convert(expected))" }
        }
        if utf8, bytes.count <= 64, let date = bytes.withUnsafeBufferPointer({ FastDate.date($0) }) {
            let general = FeedDate.date(String(decoding: bytes, as: UTF8.self))
            if date != general { return "date \(date) ≠ \(String(describing: general))" }
        }
        return nil
    }
}
