/// A forgiving HTML tokenizer and re-serialiser with the tokenisation rules of Python's
/// `sgmllib` as feedparser configures it, so sanitised output has the same form
/// (`<br />`, sorted and re-quoted attributes, `&amp;name` for unknown entities).
/// Works on UTF-8 bytes; every syntax character is ASCII.
struct SGMLProcessor {
    enum Mode { case sanitize, resolve }

    let mode: Mode
    let isXHTML: Bool
    let base: String
    /// In `.sanitize` mode, also make the kept URI attributes absolute against `base` (what a
    /// `.resolve` pass before it would have done).
    var resolveURIs = false
    var out: [UInt8] = []
    var lasttag = "?"
    var unacceptableStack = 0
    var mathmlOK = 0
    var svgOK = 0

    init(mode: Mode, type: String, base: String) {
        self.mode = mode
        self.isXHTML = type == "application/xhtml+xml"
        self.base = base
    }

    mutating func run(_ html: String) -> String {
        let d = SGMLProcessor.preprocess(Array(html.utf8))
        out.reserveCapacity(d.count + 16)
        goahead(d)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Preprocessing (feedparser's feed())

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x0B }
    static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlnum(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 32 : b }

    static func preprocess(_ input: [UInt8]) -> [UInt8] {
        let lt = UInt8(ascii: "<")
        guard input.contains(lt) || input.contains(UInt8(ascii: "&")) else { return input }
        var d: [UInt8] = []
        d.reserveCapacity(input.count + 16)
        let n = input.count
        var i = 0
        let doctype = Array("doctype".utf8)
        let amp = UInt8(ascii: "&")
        while i < n {
            // Runs without '<' or '&' are copied as they are.
            var j = i
            while j < n, input[j] != lt, input[j] != amp { j += 1 }
            if j > i {
                d.append(contentsOf: input[i..<j])
                i = j
                if i == n { break }
            }
            let c = input[i]
            if c == lt && i + 1 < n && input[i + 1] == UInt8(ascii: "!") {
                // <!((?!DOCTYPE|--|\[)) -> &lt;!
                var isDoctype = i + 9 <= n
                if isDoctype {
                    for k in 0..<7 where lower(input[i + 2 + k]) != doctype[k] { isDoctype = false; break }
                }
                let isComment = i + 3 < n && input[i + 2] == UInt8(ascii: "-") && input[i + 3] == UInt8(ascii: "-")
                let isMarked = i + 2 < n && input[i + 2] == UInt8(ascii: "[")
                if !isDoctype && !isComment && !isMarked {
                    d.append(contentsOf: "&lt;".utf8)
                    i += 1
                    continue
                }
            }
            if c == lt, let (tagEnd, end) = shortTag(input, i) {
                // <([^<>\s]+?)\s*/>
                let tag = Array(input[(i + 1)..<tagEnd])
                let name = String(decoding: tag, as: UTF8.self)
                d.append(lt)
                d.append(contentsOf: tag)
                if HTMLSanitizer.isVoidElement(name) {
                    d.append(contentsOf: " />".utf8)
                } else {
                    d.append(contentsOf: "></".utf8)
                    d.append(contentsOf: tag)
                    d.append(UInt8(ascii: ">"))
                }
                i = end
                continue
            }
            if c == UInt8(ascii: "&") && i + 4 < n && input[i + 1] == UInt8(ascii: "#") && input[i + 4] == UInt8(ascii: ";") {
                if input[i + 2] == UInt8(ascii: "3") && input[i + 3] == UInt8(ascii: "9") {
                    d.append(UInt8(ascii: "'"))
                    i += 5
                    continue
                }
                if input[i + 2] == UInt8(ascii: "3") && input[i + 3] == UInt8(ascii: "4") {
                    d.append(UInt8(ascii: "\""))
                    i += 5
                    continue
                }
            }
            d.append(c)
            i += 1
        }
        return d
    }

    /// Matches `<([^<>\s]+?)\s*/>` at `i`; returns the end of the name and of the match.
    private static func shortTag(_ d: [UInt8], _ i: Int) -> (Int, Int)? {
        let n = d.count
        var k = i + 1
        while k < n {
            let c = d[k]
            if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") { return nil }
            if k > i + 1 {
                var m = k
                while m < n, isSpace(d[m]) { m += 1 }
                if m + 1 < n, d[m] == UInt8(ascii: "/"), d[m + 1] == UInt8(ascii: ">") { return (k, m + 2) }
            }
            if isSpace(c) { return nil }
            k += 1
        }
        return nil
    }

    // MARK: - goahead

    mutating func goahead(_ d: [UInt8]) {
        let n = d.count
        var i = 0
        loop: while i < n {
            var j = i
            while j < n, d[j] != UInt8(ascii: "<"), d[j] != UInt8(ascii: "&") { j += 1 }
            if i < j { handleData(d, i, j) }
            i = j
            if i == n { break }
            if d[i] == UInt8(ascii: "<") {
                if i + 1 < n && (SGMLProcessor.isAlpha(d[i + 1]) || d[i + 1] == UInt8(ascii: ">")) {
                    let k = parseStartTag(d, i)
                    if k < 0 { break loop }
                    i = k
                    continue
                }
                if i + 1 < n && d[i + 1] == UInt8(ascii: "/") {
                    let k = parseEndTag(d, i)
                    if k < 0 { break loop }
                    i = k
                    continue
                }
                if startsWith(d, i, "<!--") {
                    let k = parseComment(d, i)
                    if k < 0 { break loop }
                    i = k
                    continue
                }
                if startsWith(d, i, "<?") {
                    guard let close = d[(i + 2)...].firstIndex(of: UInt8(ascii: ">")) else { break loop }
                    if mode == .resolve {
                        out.append(contentsOf: "<?".utf8)
                        out.append(contentsOf: d[(i + 2)..<close])
                        out.append(UInt8(ascii: ">"))
                    }
                    i = close + 1
                    continue
                }
                if startsWith(d, i, "<!") {
                    let k = parseDeclaration(d, i)
                    if k < 0 { break loop }
                    i = k
                    continue
                }
            } else {
                // &#(\d+|[xX][0-9a-fA-F]+);
                if i + 1 < n && d[i + 1] == UInt8(ascii: "#") {
                    var k = i + 2
                    var hex = false
                    if k < n && (d[k] == UInt8(ascii: "x") || d[k] == UInt8(ascii: "X")) {
                        hex = true
                        k += 1
                    }
                    let s = k
                    while k < n, hex ? SGMLProcessor.isHex(d[k]) : SGMLProcessor.isDigit(d[k]) { k += 1 }
                    if k > s && k < n && d[k] == UInt8(ascii: ";") {
                        handleCharref(Array(d[(i + 2)..<k]))
                        i = k + 1
                        continue
                    }
                }
                // &([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]
                if i + 1 < n && SGMLProcessor.isAlpha(d[i + 1]) {
                    var k = i + 2
                    while k < n, SGMLProcessor.isAlnum(d[k]) || d[k] == UInt8(ascii: "-") || d[k] == UInt8(ascii: ".") { k += 1 }
                    var nameEnd = k
                    var matched = k < n
                    if !matched {
                        // backtrack to a '-' or '.' inside the name as terminator
                        var b = k - 1
                        while b > i + 1 {
                            if d[b] == UInt8(ascii: "-") || d[b] == UInt8(ascii: ".") {
                                nameEnd = b
                                matched = true
                                break
                            }
                            b -= 1
                        }
                    }
                    if matched {
                        handleEntityref(String(decoding: d[(i + 1)..<nameEnd], as: UTF8.self))
                        i = d[nameEnd] == UInt8(ascii: ";") ? nameEnd + 1 : nameEnd
                        continue
                    }
                }
            }
            // incomplete
            var j2 = i + 1
            if d[i] == UInt8(ascii: "&") {
                if j2 < n && SGMLProcessor.isAlpha(d[j2]) {
                    while j2 < n, SGMLProcessor.isAlnum(d[j2]) { j2 += 1 }
                } else if j2 < n && d[j2] == UInt8(ascii: "#") {
                    j2 += 1
                    while j2 < n, SGMLProcessor.isDigit(d[j2]) { j2 += 1 }
                }
            }
            if j2 == n { break }
            handleData(d, i, j2)
            i = j2
        }
        if i < n { handleData(d, i, n) }
    }

    private func startsWith(_ d: [UInt8], _ i: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= d.count else { return false }
        let p = s.utf8Start
        for k in 0..<count where d[i + k] != p[k] { return false }
        return true
    }

    /// feedparser's end-bracket search: the next `<` or `>`, skipping quoted attribute values.
    private func endBracket(_ d: [UInt8], _ start: Int) -> Int? {
        let n = d.count
        var k = start
        alt1: while true {
            if k >= n { break alt1 }
            let c = d[k]
            if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") { return k }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                guard let q = d[(k + 1)...].firstIndex(of: c) else { break alt1 }
                let a = q + 1
                var ok = false
                if a < n {
                    let x = d[a]
                    if x == UInt8(ascii: ">") || x == UInt8(ascii: "/") || SGMLProcessor.isSpace(x) {
                        ok = true
                    } else if HTMLSanitizer.isWordByte(x) {
                        var w = a
                        while w < n, HTMLSanitizer.isWordByte(d[w]) { w += 1 }
                        ok = w < n && d[w] == UInt8(ascii: "=")
                    }
                }
                if !ok { break alt1 }
                k = a
                continue
            }
            k += 1
        }
        var m = start
        while m < n {
            let c = d[m]
            if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") { return m }
            if c == UInt8(ascii: "\n") { return nil }
            m += 1
        }
        return nil
    }

    private mutating func parseStartTag(_ d: [UInt8], _ i: Int) -> Int {
        let n = d.count
        // shorttagopen: <[a-zA-Z][-.a-zA-Z0-9]*/
        if SGMLProcessor.isAlpha(d[i + 1]) {
            var k = i + 2
            while k < n, SGMLProcessor.isAlnum(d[k]) || d[k] == UInt8(ascii: "-") || d[k] == UInt8(ascii: ".") { k += 1 }
            if k < n && d[k] == UInt8(ascii: "/") {
                // shorttag: <([a-zA-Z][-.a-zA-Z0-9]*)/([^/]*)/
                guard let close = d[(k + 1)...].firstIndex(of: UInt8(ascii: "/")) else { return -1 }
                let tag = String(decoding: d[(i + 1)..<k], as: UTF8.self).lowercased()
                lasttag = tag
                startTag(tag, [])
                handleData(d, k + 1, close)
                endTag(tag)
                return close + 1
            }
        }
        guard var j = endBracket(d, i + 1) else { return -1 }
        var attrs: [(String, String)] = []
        var k: Int
        let tag: String
        if d[i + 1] == UInt8(ascii: ">") {
            k = j
            tag = lasttag
        } else {
            k = i + 2
            while k < n, SGMLProcessor.isAlnum(d[k]) || d[k] == UInt8(ascii: "-") || d[k] == UInt8(ascii: "_")
                || d[k] == UInt8(ascii: ".") || d[k] == UInt8(ascii: ":")
            {
                k += 1
            }
            tag = String(decoding: d[(i + 1)..<k], as: UTF8.self).lowercased()
            lasttag = tag
        }
        while k < j {
            guard let (name, value, end) = matchAttribute(d, k) else { break }
            attrs.append((name.lowercased(), value))
            k = end
        }
        if j < n && d[j] == UInt8(ascii: ">") { j += 1 }
        startTag(tag, attrs)
        if isXHTML && j > 2 && d[j - 2] == UInt8(ascii: "/") && d[j - 1] == UInt8(ascii: ">") {
            endTag(lasttag)
        }
        return j
    }

    private static func isAttrNameByte(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
    }

    private static let unquotedValueBytes: Set<UInt8> = Set("][-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./,:;+*%?!&$()_#=~'\"@".utf8)

    /// `\s*([a-zA-Z_][-:.a-zA-Z_0-9]*)[$]?(\s*=\s*('[^']*'|"[^"]*"|[...]*))?`
    private func matchAttribute(_ d: [UInt8], _ start: Int) -> (String, String, Int)? {
        let n = d.count
        var k = start
        while k < n, SGMLProcessor.isSpace(d[k]) { k += 1 }
        guard k < n, SGMLProcessor.isAlpha(d[k]) || d[k] == UInt8(ascii: "_") else { return nil }
        let ns = k
        while k < n, SGMLProcessor.isAttrNameByte(d[k]) { k += 1 }
        let name = String(decoding: d[ns..<k], as: UTF8.self)
        if k < n && d[k] == UInt8(ascii: "$") { k += 1 }
        var m = k
        while m < n, SGMLProcessor.isSpace(d[m]) { m += 1 }
        guard m < n, d[m] == UInt8(ascii: "=") else { return (name, name, k) }
        m += 1
        while m < n, SGMLProcessor.isSpace(d[m]) { m += 1 }
        var raw: ArraySlice<UInt8>
        if m < n, d[m] == UInt8(ascii: "'") || d[m] == UInt8(ascii: "\""), let q = d[(m + 1)...].firstIndex(of: d[m]) {
            raw = d[(m + 1)..<q]
            m = q + 1
        } else {
            let vs = m
            while m < n, SGMLProcessor.unquotedValueBytes.contains(d[m]) { m += 1 }
            raw = d[vs..<m]
            if raw.count >= 2, let f = raw.first, f == UInt8(ascii: "'") || f == UInt8(ascii: "\""), raw.last == f {
                raw = raw.dropFirst().dropLast()
            }
        }
        return (name, SGMLProcessor.convertRefs(raw), m)
    }

    /// `&#123` gains its missing `;`; other references stay as written.
    private static func convertRefs(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var o: [UInt8] = []
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] == UInt8(ascii: "&"), i + 2 < raw.endIndex, raw[i + 1] == UInt8(ascii: "#"), isDigit(raw[i + 2]) {
                var k = i + 2
                while k < raw.endIndex, isDigit(raw[k]) { k += 1 }
                o.append(contentsOf: raw[i..<k])
                o.append(UInt8(ascii: ";"))
                i = (k < raw.endIndex && raw[k] == UInt8(ascii: ";")) ? k + 1 : k
                continue
            }
            o.append(raw[i])
            i += 1
        }
        return String(decoding: o, as: UTF8.self)
    }

    private mutating func parseEndTag(_ d: [UInt8], _ i: Int) -> Int {
        guard var j = endBracket(d, i + 1) else { return -1 }
        let tag = String(decoding: d[(i + 2)..<j], as: UTF8.self).pythonStripped().lowercased()
        if j < d.count && d[j] == UInt8(ascii: ">") { j += 1 }
        endTag(tag)
        return j
    }

    private mutating func parseComment(_ d: [UInt8], _ i: Int) -> Int {
        let n = d.count
        var k = i + 4
        // --\s*>
        while k + 1 < n {
            if d[k] == UInt8(ascii: "-") && d[k + 1] == UInt8(ascii: "-") {
                var m = k + 2
                while m < n, SGMLProcessor.isSpace(d[m]) { m += 1 }
                if m < n && d[m] == UInt8(ascii: ">") {
                    out.append(contentsOf: "<!--".utf8)
                    out.append(contentsOf: d[(i + 4)..<k])
                    out.append(contentsOf: "-->".utf8)
                    return m + 1
                }
            }
            k += 1
        }
        if mode == .resolve { return -1 }
        // unclosed: --[^>]*> or swallow the rest
        k = i + 4
        while k + 1 < n {
            if d[k] == UInt8(ascii: "-") && d[k + 1] == UInt8(ascii: "-") {
                if let gt = d[(k + 2)...].firstIndex(of: UInt8(ascii: ">")) { return gt + 1 }
                break
            }
            k += 1
        }
        return n
    }

    private mutating func parseDeclaration(_ d: [UInt8], _ i: Int) -> Int {
        let n = d.count
        let j = i + 2
        if j < n && d[j] == UInt8(ascii: ">") { return j + 1 }
        if j >= n || d[j] == UInt8(ascii: "-") { return -1 }
        if d[j] == UInt8(ascii: "[") {
            // marked section: ends with ]]> (or ]> for MS Office conditionals)
            var k = j + 1
            while k < n {
                if d[k] == UInt8(ascii: "]") {
                    var m = k + 1
                    while m < n, SGMLProcessor.isSpace(d[m]) { m += 1 }
                    if m < n && d[m] == UInt8(ascii: ">") { return m + 1 }
                    if m < n && d[m] == UInt8(ascii: "]") {
                        var q = m + 1
                        while q < n, SGMLProcessor.isSpace(d[q]) { q += 1 }
                        if q < n && d[q] == UInt8(ascii: ">") { return q + 1 }
                    }
                }
                k += 1
            }
            return -1
        }
        // DOCTYPE: up to '>' outside quotes
        var k = j
        while k < n {
            let c = d[k]
            if c == UInt8(ascii: ">") {
                if mode == .resolve {
                    out.append(contentsOf: "<!".utf8)
                    out.append(contentsOf: d[j..<k])
                    out.append(UInt8(ascii: ">"))
                }
                return k + 1
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                guard let q = d[(k + 1)...].firstIndex(of: c) else { return -1 }
                k = q + 1
                continue
            }
            k += 1
        }
        return -1
    }

    // MARK: - Handlers

    private mutating func handleData(_ d: [UInt8], _ from: Int, _ to: Int) {
        if mode == .sanitize && unacceptableStack > 0 { return }
        out.append(contentsOf: d[from..<to])
    }

    private mutating func handleCharref(_ ref: [UInt8]) {
        let lowered = ref.map(SGMLProcessor.lower)
        var value: UInt32?
        if lowered.first == UInt8(ascii: "x") {
            value = UInt32(String(decoding: lowered.dropFirst(), as: UTF8.self), radix: 16)
        } else {
            value = UInt32(String(decoding: lowered, as: UTF8.self))
        }
        out.append(contentsOf: "&#".utf8)
        if let value, let mapped = CP1252.map[value] {
            out.append(contentsOf: ("x" + String(mapped, radix: 16)).utf8)
        } else {
            out.append(contentsOf: lowered)
        }
        out.append(UInt8(ascii: ";"))
    }

    private mutating func handleEntityref(_ name: String) {
        if name == "apos" || HTMLEntities.table[name] != nil {
            out.append(UInt8(ascii: "&"))
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: ";"))
        } else {
            out.append(contentsOf: "&amp;".utf8)
            out.append(contentsOf: name.utf8)
        }
    }

    static func normalize(_ attrs: [(String, String)]) -> [(String, String)] {
        guard !attrs.isEmpty else { return attrs }
        // A tag has a handful of attributes: pairs searched linearly, a later duplicate
        // replacing the earlier value in its first position (as a dictionary would).
        var result: [(String, String)] = []
        result.reserveCapacity(attrs.count)
        for (k, v) in attrs {
            let key = k.lowercased()
            if let i = result.firstIndex(where: { $0.0 == key }) { result[i].1 = v } else { result.append((key, v)) }
        }
        for i in result.indices where result[i].0 == "rel" || result[i].0 == "type" {
            result[i].1 = result[i].1.lowercased()
        }
        if result.count == 1 { return result }
        result.sort { a, b in
            if a.0 != b.0 { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
            return a.1.unicodeScalars.lexicographicallyPrecedes(b.1.unicodeScalars)
        }
        return result
    }

    private mutating func emitStartTag(_ tag: String, _ attrs: [(String, String)]) {
        Self.appendStartTag(tag, attrs, to: &out)
    }

    /// `<tag k="v" …>` (void elements as `<tag … />`), attribute values escaped: how every
    /// sanitised start tag is written, by this processor and by the feed fast path.
    static func appendStartTag(_ tag: String, _ attrs: [(String, String)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: tag.utf8)
        for (k, v) in attrs {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: k.utf8)
            out.append(contentsOf: "=\"".utf8)
            SGMLProcessor.appendEscapedAttribute(v, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        if HTMLSanitizer.isVoidElement(tag) {
            out.append(contentsOf: " />".utf8)
        } else {
            out.append(UInt8(ascii: ">"))
        }
    }

    /// `>`, `<`, `"` escaped; a bare `&` (not starting a reference) becomes `&amp;`.
    static func appendEscapedAttribute(_ v: String, to out: inout [UInt8]) {
        var v = v
        v.withUTF8 { u in
            // Runs without a byte to escape go out whole.
            var run = 0
            var i = 0
            while i < u.count {
                let c = u[i]
                let escaped: StaticString
                switch c {
                case UInt8(ascii: ">"): escaped = "&gt;"
                case UInt8(ascii: "<"): escaped = "&lt;"
                case UInt8(ascii: "\""): escaped = "&quot;"
                case UInt8(ascii: "&"):
                    if isReference(u, i) {
                        i += 1
                        continue
                    }
                    escaped = "&amp;"
                default:
                    i += 1
                    continue
                }
                if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i])) }
                out.append(contentsOf: UnsafeBufferPointer(start: escaped.utf8Start, count: escaped.utf8CodeUnitCount))
                i += 1
                run = i
            }
            if u.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<u.count])) }
        }
    }

    /// `&(#\d+;|#x[0-9a-fA-F]+;|\w+;)` at `i`.
    private static func isReference(_ u: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var k = i + 1
        let n = u.count
        if k < n && u[k] == UInt8(ascii: "#") {
            k += 1
            if k < n && u[k] == UInt8(ascii: "x") {
                let s = k + 1
                var m = s
                while m < n, isHex(u[m]) { m += 1 }
                if m > s && m < n && u[m] == UInt8(ascii: ";") { return true }
            }
            let s = k
            while k < n, isDigit(u[k]) { k += 1 }
            return k > s && k < n && u[k] == UInt8(ascii: ";")
        }
        let s = k
        while k < n, HTMLSanitizer.isWordByte(u[k]) { k += 1 }
        return k > s && k < n && u[k] == UInt8(ascii: ";")
    }

    private mutating func startTag(_ tag: String, _ attrs: [(String, String)]) {
        switch mode {
        case .resolve:
            let resolved = SGMLProcessor.normalize(attrs).map { (k, v) -> (String, String) in
                if HTMLSanitizer.isRelativeURIAttribute(tag: tag, key: k) {
                    return (k, URLResolver.makeSafeAbsolute(base: base, relative: v.pythonStripped()))
                }
                return (k, v)
            }
            emitStartTag(tag, resolved)
        case .sanitize:
            sanitizeStartTag(tag, attrs)
        }
    }

    private mutating func endTag(_ tag: String) {
        switch mode {
        case .resolve:
            if !HTMLSanitizer.isVoidElement(tag) { emitEndTag(tag) }
        case .sanitize:
            var tag = tag
            if !HTMLSanitizer.acceptableElements.contains(tag) {
                if HTMLSanitizer.unacceptableElementsWithEndTag.contains(tag) { unacceptableStack -= 1 }
                if mathmlOK > 0 && HTMLSanitizer.mathmlElements.contains(tag) {
                    if tag == "math" { mathmlOK -= 1 }
                } else if svgOK > 0 && HTMLSanitizer.svgElements.contains(tag) {
                    tag = HTMLSanitizer.svgElementMap[tag] ?? tag
                    if tag == "svg" { svgOK -= 1 }
                } else {
                    return
                }
            }
            if !HTMLSanitizer.isVoidElement(tag) { emitEndTag(tag) }
        }
    }

    private mutating func emitEndTag(_ tag: String) {
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: tag.utf8)
        out.append(UInt8(ascii: ">"))
    }

    private mutating func sanitizeStartTag(_ inTag: String, _ inAttrs: [(String, String)]) {
        var tag = inTag
        var attrs = inAttrs
        var acceptable = HTMLSanitizer.acceptableAttributes
        var keymap: [String: String] = [:]
        if !HTMLSanitizer.acceptableElements.contains(tag) || svgOK > 0 {
            if HTMLSanitizer.unacceptableElementsWithEndTag.contains(tag) { unacceptableStack += 1 }
            if !isXHTML && !attrs.contains(where: { $0.0 == "xmlns" && !$0.1.isEmpty }) {
                if tag == "svg" { attrs.append(("xmlns", "http://www.w3.org/2000/svg")) }
                if tag == "math" { attrs.append(("xmlns", "http://www.w3.org/1998/Math/MathML")) }
            }
            if tag == "math" && attrs.contains(where: { $0.0 == "xmlns" && $0.1 == "http://www.w3.org/1998/Math/MathML" }) {
                mathmlOK += 1
            }
            if tag == "svg" && attrs.contains(where: { $0.0 == "xmlns" && $0.1 == "http://www.w3.org/2000/svg" }) {
                svgOK += 1
            }
            if mathmlOK > 0 && HTMLSanitizer.mathmlElements.contains(tag) {
                acceptable = HTMLSanitizer.mathmlAttributes
            } else if svgOK > 0 && HTMLSanitizer.svgElements.contains(tag) {
                acceptable = HTMLSanitizer.svgAttributes
                tag = HTMLSanitizer.svgElementMap[tag] ?? tag
                keymap = HTMLSanitizer.svgAttributeMap
            } else if !HTMLSanitizer.acceptableElements.contains(tag) {
                return
            }
        }
        if mathmlOK > 0 || svgOK > 0 {
            if attrs.contains(where: { $0.0.hasPrefix("xlink:") })
                && !attrs.contains(where: { $0.0 == "xmlns:xlink" && $0.1 == "http://www.w3.org/1999/xlink" })
            {
                attrs.append(("xmlns:xlink", "http://www.w3.org/1999/xlink"))
            }
        }
        var clean: [(String, String)] = []
        for (key, rawValue) in SGMLProcessor.normalize(attrs) {
            var value = rawValue
            if resolveURIs && HTMLSanitizer.isRelativeURIAttribute(tag: inTag, key: key) {
                value = URLResolver.makeSafeAbsolute(base: base, relative: value.pythonStripped())
            }
            if key == "style" && acceptable.contains("style") {
                let v = CSSSanitizer.sanitize(value, svg: svgOK > 0)
                if !v.isEmpty { clean.append((key, v)) }
            } else if acceptable.contains(key) {
                let k = keymap[key] ?? key
                var v = value
                if k == "href" { v = URLResolver.makeSafeAbsolute(base: value, relative: nil) }
                clean.append((k, v))
            }
        }
        emitStartTag(tag, clean)
    }
}
