/// Turns HTML into readable plain text: what a person would read in a browser, as lines.
///
/// Script, style, head and title content and comments are dropped; runs of white space
/// collapse to one space (except inside `<pre>`); block elements (`p`, `div`, `br`, `li`,
/// `tr`, headings, …) start new lines, paragraphs are separated by a blank line, table cells
/// by a tab; entities are decoded and no-break spaces become spaces. Malformed markup is
/// read the way `html.parser` would (a stray `<` is text). Used for HTML-only mail and for
/// feed summaries.
///
/// ```swift
/// HTMLToText.convert("<p>Hello&nbsp;<b>world</b></p><p>Bye</p>")   // "Hello world\n\nBye"
/// ```
public enum HTMLToText {
    /// Elements whose end or start breaks a line.
    static let lineBreaking: Set<String> = [
        "br", "div", "li", "tr", "ul", "ol", "dl", "dt", "dd", "hr", "section", "article", "header", "footer",
        "nav", "aside", "main", "address", "center", "form", "fieldset", "figure", "figcaption", "caption",
    ]
    /// Elements set off by a blank line.
    static let paragraphs: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre"]
    /// Elements whose content is not text.
    static let hidden: Set<String> = ["script", "style", "head", "title", "template", "noscript"]

    public static func convert(_ html: String) -> String {
        var builder = Builder()
        let s = Array(html.unicodeScalars)
        var i = 0
        var hiddenStack: [String] = []
        var preDepth = 0
        var textStart = 0

        func flushText(_ end: Int) {
            guard end > textStart, hiddenStack.isEmpty else { return }
            var raw = String.UnicodeScalarView()
            raw.append(contentsOf: s[textStart..<end])
            builder.addText(HTMLEntities.decode(String(raw)), preformatted: preDepth > 0)
        }

        while i < s.count {
            guard s[i] == "<", i + 1 < s.count else { i += 1; continue }
            let next = s[i + 1]
            if next == "!" || next == "?" {
                flushText(i)
                if next == "!", i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" {
                    i = find(s, "-->", from: i + 4).map { $0 + 3 } ?? s.count
                } else {
                    i = find(s, ">", from: i + 2).map { $0 + 1 } ?? s.count
                }
                textStart = i
                continue
            }
            let closing = next == "/"
            let nameStart = closing ? i + 2 : i + 1
            // ASCII and alphabetic: an ASCII letter (no Unicode property look-up per tag).
            guard nameStart < s.count, isASCIILetter(s[nameStart]) else { i += 1; continue }
            flushText(i)
            var j = nameStart
            var name = ""
            while j < s.count, isASCIILetter(s[j]) || ("0"..."9").contains(s[j]) || s[j] == "-" || s[j] == ":" {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            name = name.lowercased()
            // Skip attributes, respecting quotes.
            var quote: Unicode.Scalar?
            while j < s.count {
                let c = s[j]
                if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == ">" { break }
                j += 1
            }
            i = min(j + 1, s.count)
            textStart = i
            if closing {
                if hidden.contains(name), let index = hiddenStack.lastIndex(of: name) {
                    hiddenStack.removeSubrange(index...)
                }
                if name == "pre" { preDepth = max(0, preDepth - 1) }
            } else {
                if name == "body" { hiddenStack.removeAll { $0 == "head" || $0 == "title" } }
                if hidden.contains(name) {
                    hiddenStack.append(name)
                    if name == "script" || name == "style" {
                        // Raw text: runs to the matching end tag.
                        let end = findEndTag(s, name, from: i) ?? s.count
                        i = end
                        textStart = i
                    }
                    continue
                }
                if name == "pre" { preDepth += 1 }
            }
            guard hiddenStack.isEmpty else { continue }
            if name == "br" && !closing {
                builder.newline()
            } else if paragraphs.contains(name) {
                builder.paragraph()
            } else if lineBreaking.contains(name) {
                builder.lineBreak()
            } else if name == "td" || name == "th" {
                if !closing { builder.cell() }
            } else if name == "img", !closing {
                // Inline images add nothing readable; alt text is usually a logo's name.
            }
        }
        flushText(s.count)
        return builder.result()
    }

    @inline(__always) private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    private static func find(_ s: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        var i = from
        outer: while i + n.count <= s.count {
            // Compared in place: no array per candidate.
            for k in 0..<n.count where s[i + k] != n[k] {
                i += 1
                continue outer
            }
            return i
        }
        return nil
    }

    private static func findEndTag(_ s: [Unicode.Scalar], _ name: String, from: Int) -> Int? {
        var i = from
        let n = Array(name.unicodeScalars)
        while let lt = find(s, "</", from: i) {
            let start = lt + 2
            if start + n.count <= s.count,
               String(String.UnicodeScalarView(s[start..<start + n.count])).lowercased() == name {
                return lt
            }
            i = lt + 2
        }
        return nil
    }

    /// Accumulates text with collapsed white space and at most one blank line in a row.
    struct Builder {
        var out = ""
        /// Newlines wanted before the next text (1 = line break, 2 = blank line).
        var pendingBreaks = 0
        var pendingSpace = false
        var pendingCell = false

        mutating func addText(_ text: String, preformatted: Bool) {
            if preformatted {
                let normalized = text.replacingNewlines()
                guard !normalized.isEmpty else { return }
                emitPending()
                out += normalized.replacingNBSP()
                return
            }
            for c in text.unicodeScalars {
                if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || c == "\u{A0}" || c.properties.isWhitespace {
                    pendingSpace = true
                    continue
                }
                emitPending()
                out.unicodeScalars.append(c)
            }
        }

        mutating func emitPending() {
            if out.isEmpty {
                pendingBreaks = 0
                pendingSpace = false
                pendingCell = false
                return
            }
            if pendingBreaks > 0 {
                while out.last == " " || out.last == "\t" { out.removeLast() }
                var existing = 0
                for c in out.reversed() { if c == "\n" { existing += 1 } else { break } }
                if existing < pendingBreaks { out += String(repeating: "\n", count: pendingBreaks - existing) }
            } else if pendingCell {
                out += "\t"
            } else if pendingSpace, out.last != " ", out.last != "\n", out.last != "\t" {
                out += " "
            }
            pendingBreaks = 0
            pendingSpace = false
            pendingCell = false
        }

        mutating func newline() {
            // <br>: a line break even when the line is empty, so <br><br> leaves a blank line.
            if out.isEmpty { return }
            while out.last == " " { out.removeLast() }
            if pendingBreaks > 0 { out += String(repeating: "\n", count: pendingBreaks); pendingBreaks = 0 }
            let trailing = out.reversed().prefix { $0 == "\n" }.count
            if trailing < 2 { out += "\n" }
            pendingSpace = false
        }

        mutating func lineBreak() { pendingBreaks = max(pendingBreaks, 1) }
        mutating func paragraph() { pendingBreaks = 2 }
        mutating func cell() { pendingCell = true }

        func result() -> String {
            var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                var l = line
                while l.last == " " || l.last == "\t" { l.removeLast() }
                return l
            }
            while lines.first?.isEmpty == true { lines.removeFirst() }
            while lines.last?.isEmpty == true { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    func replacingNewlines() -> String {
        guard contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in unicodeScalars {
            if c == "\r" { out.append("\n"); previousCR = true; continue }
            if c == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(c)
        }
        return String(out)
    }

    func replacingNBSP() -> String {
        guard unicodeScalars.contains("\u{A0}") else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{A0}" ? " " : $0 }))
    }
}
