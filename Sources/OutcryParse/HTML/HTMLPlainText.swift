/// HTML to plain text for scoring: tags removed, `script`/`style` content dropped, block
/// elements and `<br>` as line breaks, entities decoded, runs of spaces collapsed.
///
/// ```swift
/// HTMLPlainText.text("<p>Hello&nbsp;<b>world</b></p><p>again</p>")  // "Hello world\nagain"
/// ```
public enum HTMLPlainText {
    private static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "dd", "dt", "dl",
    ]

    public static func text(_ html: String) -> String {
        let u = Array(html.utf8)
        guard u.contains(UInt8(ascii: "<")) || u.contains(UInt8(ascii: "&")) else { return collapse(html) }
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        let n = u.count
        var skipUntil: String?
        while i < n {
            let c = u[i]
            if c == UInt8(ascii: "<") {
                if i + 3 < n, u[i + 1] == UInt8(ascii: "!"), u[i + 2] == UInt8(ascii: "-"), u[i + 3] == UInt8(ascii: "-") {
                    var k = i + 4
                    while k + 2 < n, !(u[k] == UInt8(ascii: "-") && u[k + 1] == UInt8(ascii: "-") && u[k + 2] == UInt8(ascii: ">")) { k += 1 }
                    i = min(n, k + 3)
                    continue
                }
                var k = i + 1
                let closing = k < n && u[k] == UInt8(ascii: "/")
                if closing { k += 1 }
                let ns = k
                while k < n, SGMLProcessor.isAlnum(u[k]) { k += 1 }
                if k == ns {
                    if skipUntil == nil { out.append(c) }
                    i += 1
                    continue
                }
                let name = String(decoding: u[ns..<k], as: UTF8.self).lowercased()
                var quote: UInt8 = 0
                while k < n {
                    if quote != 0 {
                        if u[k] == quote { quote = 0 }
                    } else if u[k] == UInt8(ascii: "\"") || u[k] == UInt8(ascii: "'") {
                        quote = u[k]
                    } else if u[k] == UInt8(ascii: ">") {
                        break
                    }
                    k += 1
                }
                i = min(n, k + 1)
                if let skip = skipUntil {
                    if closing && name == skip { skipUntil = nil }
                    continue
                }
                if !closing && (name == "script" || name == "style") { skipUntil = name; continue }
                if blocks.contains(name) { out.append(0x0A) }
                continue
            }
            if skipUntil == nil { out.append(c) }
            i += 1
        }
        return collapse(HTMLEntities.decode(String(decoding: out, as: UTF8.self)))
    }

    /// Spaces and tabs collapsed to one space, blank lines removed, ends trimmed.
    static func collapse(_ s: String) -> String {
        var lines: [String] = []
        for line in s.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" })
            if !words.isEmpty { lines.append(words.joined(separator: " ")) }
        }
        return lines.joined(separator: "\n")
    }
}
