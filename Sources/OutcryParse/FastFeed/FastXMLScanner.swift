import Foundation

/// A strict, bounds-safe XML scanner over UTF-8 bytes for the fast feed path.
///
/// It reads only the well-formed subset that feeds of short posts use: an optional XML
/// declaration (version 1.0, UTF-8), comments, elements with quoted attributes, text with the
/// five XML entities and numeric references, and CDATA sections. Anything else — a DOCTYPE,
/// a processing instruction, a carriage return, a control character, an unknown entity,
/// mismatched tags, `]]>` in text, a name outside ASCII — makes it fail, and the caller
/// declines the document (the general parser then reads it as before).
struct FastXMLScanner {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    /// The last start tag read: its name, whether it was `<x/>`, and its attributes (raw ranges).
    var tagName: Range<Int> = 0..<0
    var tagEmpty = false
    var attrNames: [Range<Int>] = []
    var attrValues: [Range<Int>] = []
    var attrHasRef: [Bool] = []

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        n = p.count
        attrNames.reserveCapacity(8)
        attrValues.reserveCapacity(8)
        attrHasRef.reserveCapacity(8)
    }

    @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p[k] : 0 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 }
    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }
    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x3A
    }

    // MARK: - Whole-document checks

    /// The high bit of each byte of `w` that is a tab or a line feed (exact per byte).
    @inline(__always)
    static func tabsAndLineFeeds(_ w: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let tab = w ^ 0x0909_0909_0909_0909
        let lf = w ^ 0x0A0A_0A0A_0A0A_0A0A
        let isTab = ~(((tab & low) &+ low) | tab) & 0x8080_8080_8080_8080
        let isLF = ~(((lf & low) &+ low) | lf) & 0x8080_8080_8080_8080
        return isTab | isLF
    }

    /// Valid UTF-8; with `xmlChars`, also only XML characters: no C0 control but tab and line
    /// feed (a carriage return would need line-end normalisation), no U+FFFE/U+FFFF.
    static func validUTF8(_ p: UnsafeBufferPointer<UInt8>, xmlChars: Bool) -> Bool {
        let n = p.count
        guard let base = p.baseAddress else { return true }
        var i = 0
        while i < n {
            // Sixteen ASCII bytes at a time while there are (with `xmlChars`, bytes below 0x20
            // only tabs and line feeds: indented feeds have them on every line).
            while i + 16 <= n {
                let w0 = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let w1 = UnsafeRawPointer(base + i + 8).loadUnaligned(as: UInt64.self)
                if (w0 | w1) & 0x8080_8080_8080_8080 != 0 { break }
                if xmlChars {
                    // All ASCII: adding 0x60 carries into bit 7 exactly for the bytes from 0x20 on
                    // (no carry leaves a byte), so these flag exactly the bytes below 0x20.
                    let c0 = ~(w0 &+ 0x6060_6060_6060_6060) & 0x8080_8080_8080_8080
                    let c1 = ~(w1 &+ 0x6060_6060_6060_6060) & 0x8080_8080_8080_8080
                    if c0 | c1 != 0 {
                        guard c0 & ~FastXMLScanner.tabsAndLineFeeds(w0) == 0,
                            c1 & ~FastXMLScanner.tabsAndLineFeeds(w1) == 0
                        else { break }
                    }
                }
                i += 16
            }
            if i >= n { break }
            if i + 8 <= n {
                // Straight to the first byte that is not ASCII (or, with `xmlChars`, is below
                // 0x20). Adding 0x60 carries into bit 7 exactly for the ASCII bytes at or
                // above 0x20; a carry out of a byte from 0xA0 up reaches only later bytes, and
                // that byte is flagged itself by its high bit: the lowest flag is exact.
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                var flagged = w & 0x8080_8080_8080_8080
                if xmlChars { flagged |= ~(w &+ 0x6060_6060_6060_6060) & 0x8080_8080_8080_8080 }
                if flagged == 0 {
                    i += 8
                    continue
                }
                if xmlChars && w & 0x8080_8080_8080_8080 == 0 {
                    // All ASCII, some below 0x20: fine when those are tabs and line feeds
                    // (exact per byte: no carry crosses a byte here).
                    if flagged & ~FastXMLScanner.tabsAndLineFeeds(w) == 0 {
                        i += 8
                        continue
                    }
                }
                i += flagged.trailingZeroBitCount >> 3
            }
            let c = base[i]
            if c < 0x80 {
                if xmlChars && c < 0x20 && c != 0x09 && c != 0x0A { return false }
                i += 1
                continue
            }
            var v: UInt32
            let len: Int
            if c >= 0xC2 && c <= 0xDF {
                len = 2; v = UInt32(c & 0x1F)
            } else if c >= 0xE0 && c <= 0xEF {
                len = 3; v = UInt32(c & 0x0F)
            } else if c >= 0xF0 && c <= 0xF4 {
                len = 4; v = UInt32(c & 0x07)
            } else {
                return false
            }
            guard i + len <= n else { return false }
            for k in 1..<len {
                let x = base[i + k]
                guard x & 0xC0 == 0x80 else { return false }
                v = (v << 6) | UInt32(x & 0x3F)
            }
            switch len {
            case 3:
                if v < 0x800 || (v >= 0xD800 && v <= 0xDFFF) { return false }
                if xmlChars && (v == 0xFFFE || v == 0xFFFF) { return false }
            case 4: if v < 0x10000 || v > 0x10FFFF { return false }
            default: break
            }
            i += len
        }
        return true
    }

    // MARK: - Prolog and epilog

    /// The XML declaration (version 1.0, UTF-8 if any encoding) and what may follow it before
    /// the root element. True when positioned at the root's start tag.
    mutating func prolog() -> Bool {
        if starts("<?xml"), FastXMLScanner.isSpace(at(5)) {
            guard let end = find(0x3F, 0x3E, from: 5) else { return false }
            guard declarationIsSimple(6..<end) else { return false }
            i = end + 2
        }
        // The general parser's preparation takes the first `<name` as the root even inside a
        // comment, and reads what follows it as content: a comment before the root may not
        // hold a `<name` with an '&' after it.
        guard skipMisc(prolog: true) else { return false }
        return at(i) == UInt8(ascii: "<") && FastXMLScanner.isNameStart(at(i + 1))
    }

    /// After the root element: only white space and comments.
    mutating func epilog() -> Bool {
        guard skipMisc() else { return false }
        return i >= n
    }

    private func declarationIsSimple(_ r: Range<Int>) -> Bool {
        var k = r.lowerBound
        var sawVersion = false
        while k < r.upperBound {
            while k < r.upperBound, FastXMLScanner.isSpace(p[k]) { k += 1 }
            if k >= r.upperBound { break }
            let ns = k
            while k < r.upperBound, FastXMLScanner.isNameChar(p[k]) { k += 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: p[ns..<k]), as: UTF8.self)
            guard k < r.upperBound, p[k] == UInt8(ascii: "=") else { return false }
            k += 1
            guard k < r.upperBound, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") else { return false }
            let q = p[k]
            k += 1
            let vs = k
            while k < r.upperBound, p[k] != q { k += 1 }
            guard k < r.upperBound else { return false }
            let value = String(decoding: UnsafeBufferPointer(rebasing: p[vs..<k]), as: UTF8.self)
            k += 1
            switch name {
            case "version":
                guard !sawVersion, value == "1.0" else { return false }
                sawVersion = true
            case "encoding":
                guard sawVersion, value.lowercased() == "utf-8" else { return false }
            case "standalone":
                guard sawVersion, value == "yes" || value == "no" else { return false }
            default:
                return false
            }
        }
        return sawVersion
    }

    /// White space and comments.
    private mutating func skipMisc(prolog: Bool = false) -> Bool {
        while true {
            while FastXMLScanner.isSpace(at(i)) { i += 1 }
            if starts("<!--") {
                let start = i
                guard skipComment() else { return false }
                if prolog {
                    var sawName = false
                    for k in (start + 4)..<(i - 3) {
                        if p[k] == UInt8(ascii: "<") && FastXMLScanner.isNameStart(p[k + 1]) { sawName = true }
                        if sawName && p[k] == UInt8(ascii: "&") { return false }
                    }
                }
                continue
            }
            return true
        }
    }

    /// At `<!--`: skips the comment; false when it is unclosed, has `--` inside, or holds `<!`
    /// (the general parser's preparation reads an `<!ENTITY` even inside a comment: the fuzzer
    /// found a comment holding one that the general path calls broken and the fast path read).
    private mutating func skipComment() -> Bool {
        var k = i + 4
        while k + 1 < n {
            if p[k] == UInt8(ascii: "<") && p[k + 1] == UInt8(ascii: "!") { return false }
            if p[k] == UInt8(ascii: "-") && p[k + 1] == UInt8(ascii: "-") {
                guard k + 2 < n, p[k + 2] == UInt8(ascii: ">") else { return false }
                i = k + 3
                return true
            }
            k += 1
        }
        return false
    }

    @inline(__always) func starts(_ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let q = s.utf8Start
        for k in 0..<count where p[i + k] != q[k] { return false }
        return true
    }

    private func find(_ a: UInt8, _ b: UInt8, from: Int) -> Int? {
        var k = from
        while k + 1 < n {
            if p[k] == a && p[k + 1] == b { return k }
            k += 1
        }
        return nil
    }

    // MARK: - Tags

    /// At `<` + name: reads a start tag into `tagName`, `tagEmpty` and the attribute arrays.
    mutating func startTag() -> Bool {
        var k = i + 1
        let s = k
        guard FastXMLScanner.isNameStart(at(k)) else { return false }
        var colons = 0
        while FastXMLScanner.isNameChar(at(k)) {
            if p[k] == UInt8(ascii: ":") { colons += 1 }
            k += 1
        }
        // libxml2 refuses very long names; the fast path takes only short ones.
        guard colons == 0 || (colons == 1 && p[k - 1] != UInt8(ascii: ":")), k - s <= 256 else { return false }
        tagName = s..<k
        if !attrNames.isEmpty {
            attrNames.removeAll(keepingCapacity: true)
            attrValues.removeAll(keepingCapacity: true)
            attrHasRef.removeAll(keepingCapacity: true)
        }
        while true {
            let hadSpace = FastXMLScanner.isSpace(at(k))
            while FastXMLScanner.isSpace(at(k)) { k += 1 }
            let c = at(k)
            if c == UInt8(ascii: ">") {
                k += 1
                tagEmpty = false
                break
            }
            if c == UInt8(ascii: "/") {
                guard at(k + 1) == UInt8(ascii: ">") else { return false }
                k += 2
                tagEmpty = true
                break
            }
            guard hadSpace, FastXMLScanner.isNameStart(c) else { return false }
            let an = k
            while FastXMLScanner.isNameChar(at(k)) { k += 1 }
            let name = an..<k
            guard name.count <= 256 else { return false }
            while FastXMLScanner.isSpace(at(k)) { k += 1 }
            guard at(k) == UInt8(ascii: "=") else { return false }
            k += 1
            while FastXMLScanner.isSpace(at(k)) { k += 1 }
            let q = at(k)
            guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { return false }
            k += 1
            let vs = k
            var hasRef = false
            while true {
                let b = at(k)
                if b == q { break }
                // White space other than a space would be normalised by the XML parser.
                if b == 0 || b == UInt8(ascii: "<") || b == 0x09 || b == 0x0A { return false }
                if b == UInt8(ascii: "&") {
                    guard let (_, end) = reference(k) else { return false }
                    hasRef = true
                    k = end
                    continue
                }
                k += 1
            }
            for prev in attrNames where same(prev, name) { return false }
            attrNames.append(name)
            attrValues.append(vs..<k)
            attrHasRef.append(hasRef)
            k += 1
        }
        i = k
        return true
    }

    /// At `</`: reads an end tag and checks it closes `name`.
    mutating func endTag(_ name: Range<Int>) -> Bool {
        // The start tag's name, byte for byte, then no further name character.
        let s = i + 2
        guard s + name.count <= n else { return false }
        var x = name.lowerBound
        var k = s
        while x < name.upperBound {
            if p[k] != p[x] { return false }
            x += 1
            k += 1
        }
        guard !FastXMLScanner.isNameChar(at(k)) else { return false }
        while FastXMLScanner.isSpace(at(k)) { k += 1 }
        guard at(k) == UInt8(ascii: ">") else { return false }
        i = k + 1
        return true
    }

    func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var x = a.lowerBound
        var y = b.lowerBound
        while x < a.upperBound {
            if p[x] != p[y] { return false }
            x += 1
            y += 1
        }
        return true
    }

    /// The bytes of `r` as a lowercased string (names are short: no allocation).
    func lowerName(_ r: Range<Int>) -> String {
        var hasUpper = false
        for k in r where p[k] >= 0x41 && p[k] <= 0x5A { hasUpper = true; break }
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self)
        return hasUpper ? s.lowercased() : s
    }

    /// The index of the first `:` in `r`, or -1.
    func firstColon(_ r: Range<Int>) -> Int {
        var k = r.lowerBound
        while k < r.upperBound {
            if p[k] == UInt8(ascii: ":") { return k }
            k += 1
        }
        return -1
    }

    func string(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self)
    }

    /// An attribute's value with its references decoded.
    func attributeValue(_ index: Int) -> String {
        let r = attrValues[index]
        guard attrHasRef[index] else { return string(r) }
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var k = r.lowerBound
        while k < r.upperBound {
            if p[k] == UInt8(ascii: "&"), let (v, end) = reference(k) {
                appendScalar(v, to: &out)
                k = end
                continue
            }
            out.append(p[k])
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the name at `r` is `name` (exact bytes).
    func isName(_ r: Range<Int>, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard r.count == count else { return false }
        let q = name.utf8Start
        for k in 0..<count where p[r.lowerBound + k] != q[k] { return false }
        return true
    }

    /// Whether attribute `index`'s value, without references, is `value` (ASCII; with
    /// `foldingCase`, compared lowercased, `value` being lowercase).
    func plainAttributeIs(_ index: Int, _ value: StaticString, foldingCase: Bool = false) -> Bool {
        guard !attrHasRef[index] else { return false }
        let r = attrValues[index]
        let count = value.utf8CodeUnitCount
        guard r.count == count else { return false }
        let q = value.utf8Start
        for k in 0..<count {
            let b = p[r.lowerBound + k]
            if (foldingCase ? NameTable<Bool>.lower(b) : b) != q[k] { return false }
        }
        return true
    }

    /// The index of the attribute named `name` (exact bytes), if present.
    func attribute(_ name: StaticString) -> Int? {
        let count = name.utf8CodeUnitCount
        let q = name.utf8Start
        outer: for (index, r) in attrNames.enumerated() where r.count == count {
            for k in 0..<count where p[r.lowerBound + k] != q[k] { continue outer }
            return index
        }
        return nil
    }

    // MARK: - Character data

    /// A reference at `k` (`&`): its scalar and where it ends. Only the five XML entities and
    /// numeric references to XML characters.
    func reference(_ k: Int) -> (UInt32, Int)? {
        let c1 = at(k + 1)
        if c1 == UInt8(ascii: "#") {
            var m = k + 2
            var v: UInt32 = 0
            let hex = at(m) == UInt8(ascii: "x")
            if hex { m += 1 }
            let ds = m
            while m - ds < 8 {
                let b = at(m)
                let d: UInt32
                if b >= 0x30 && b <= 0x39 {
                    d = UInt32(b - 0x30)
                } else if hex && b >= 0x61 && b <= 0x66 {
                    d = UInt32(b - 0x61 + 10)
                } else if hex && b >= 0x41 && b <= 0x46 {
                    d = UInt32(b - 0x41 + 10)
                } else {
                    break
                }
                v = v * (hex ? 16 : 10) + d
                m += 1
            }
            guard m > ds, at(m) == UInt8(ascii: ";") else { return nil }
            switch v {
            case 0x09, 0x0A, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return (v, m + 1)
            default: return nil
            }
        }
        switch c1 {
        case UInt8(ascii: "a"):
            if at(k + 2) == UInt8(ascii: "m"), at(k + 3) == UInt8(ascii: "p"), at(k + 4) == UInt8(ascii: ";") { return (0x26, k + 5) }
            if at(k + 2) == UInt8(ascii: "p"), at(k + 3) == UInt8(ascii: "o"), at(k + 4) == UInt8(ascii: "s"),
                at(k + 5) == UInt8(ascii: ";")
            {
                return (0x27, k + 6)
            }
        case UInt8(ascii: "l"):
            if at(k + 2) == UInt8(ascii: "t"), at(k + 3) == UInt8(ascii: ";") { return (0x3C, k + 4) }
        case UInt8(ascii: "g"):
            if at(k + 2) == UInt8(ascii: "t"), at(k + 3) == UInt8(ascii: ";") { return (0x3E, k + 4) }
        case UInt8(ascii: "q"):
            if at(k + 2) == UInt8(ascii: "u"), at(k + 3) == UInt8(ascii: "o"), at(k + 4) == UInt8(ascii: "t"),
                at(k + 5) == UInt8(ascii: ";")
            {
                return (0x22, k + 6)
            }
        default: break
        }
        return nil
    }

    /// Character data up to the next tag, decoded and appended to `out` when `store`;
    /// `nonSpace` is set when any of it is not white space. False on anything outside the subset.
    mutating func text(store: Bool, into out: inout [UInt8], nonSpace: inout Bool) -> Bool {
        if store { return storeText(into: &out, nonSpace: &nonSpace) }
        while i < n {
            let s = i
            var k = i
            if store {
                k = ByteScan.firstOf(UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "]"), in: p, from: k, to: n)
                if k > s { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<k])) }
            } else {
                while k < n {
                    let c = p[k]
                    if c == UInt8(ascii: "<") || c == UInt8(ascii: "&") || c == UInt8(ascii: "]") { break }
                    if !nonSpace && !FastXMLScanner.isSpace(c) { nonSpace = true }
                    k += 1
                }
            }
            i = k
            if k >= n { return true }
            let c = p[k]
            if c == UInt8(ascii: "]") {
                if at(k + 1) == UInt8(ascii: "]") && at(k + 2) == UInt8(ascii: ">") { return false }
                if store { out.append(c) }
                nonSpace = true
                i = k + 1
                continue
            }
            if c == UInt8(ascii: "&") {
                guard let (v, end) = reference(k) else { return false }
                if store { appendScalar(v, to: &out) }
                if !(v == 0x20 || v == 0x09 || v == 0x0A) { nonSpace = true }
                i = end
                continue
            }
            // '<'
            if starts("<![CDATA[") {
                guard let m = ByteScan.cdataEnd(in: p, from: k + 9, to: n) else { return false }
                if store { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[(k + 9)..<m])) }
                if !nonSpace {
                    for x in (k + 9)..<m where !FastXMLScanner.isSpace(p[x]) { nonSpace = true; break }
                }
                i = m + 3
                continue
            }
            if starts("<!--") {
                guard skipComment() else { return false }
                continue
            }
            if at(k + 1) == UInt8(ascii: "!") || at(k + 1) == UInt8(ascii: "?") { return false }
            return true
        }
        return true
    }

    /// `text(store: true, …)`: each stretch up to the next `<` decoded straight into room made
    /// at the end of `out` (a reference is never shorter than its character's UTF-8: `&lt;`
    /// is four bytes for one, `&#128;` six for two, `&#2048;` seven for three, `&#65536;`
    /// eight for four), then CDATA sections and comments as `text` reads them.
    private mutating func storeText(into out: inout [UInt8], nonSpace: inout Bool) -> Bool {
        guard let base = p.baseAddress else { return true }
        while i < n {
            var lt = n
            if let hit = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) {
                lt = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            }
            if lt > i {
                let first = ByteScan.firstOf(UInt8(ascii: "&"), UInt8(ascii: "]"), UInt8(ascii: "&"), in: p, from: i, to: lt)
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: lt - i))
                if first == lt {
                    i = lt
                    continue
                }
                let start = out.count - (lt - i)
                var broken = false
                let written = out.withUnsafeMutableBufferPointer { o -> Int in
                    let dst = o.baseAddress!
                    var w = start + (first - i)
                    var k = first
                    while k < lt {
                        let r = ByteScan.firstOf(UInt8(ascii: "&"), UInt8(ascii: "]"), UInt8(ascii: "&"), in: p, from: k, to: lt)
                        if r > k {
                            if w != start + (k - i) { (dst + w).update(from: base + k, count: r - k) }
                            w += r - k
                        }
                        if r >= lt { break }
                        if base[r] == UInt8(ascii: "]") {
                            if at(r + 1) == UInt8(ascii: "]") && at(r + 2) == UInt8(ascii: ">") {
                                broken = true
                                return w
                            }
                            dst[w] = UInt8(ascii: "]")
                            w += 1
                            nonSpace = true
                            k = r + 1
                            continue
                        }
                        // '&': the four common references at once, the rest by `reference`.
                        let c1 = at(r + 1)
                        if c1 == UInt8(ascii: "l") && at(r + 2) == UInt8(ascii: "t") && at(r + 3) == UInt8(ascii: ";") {
                            dst[w] = UInt8(ascii: "<"); w += 1; k = r + 4
                        } else if c1 == UInt8(ascii: "g") && at(r + 2) == UInt8(ascii: "t") && at(r + 3) == UInt8(ascii: ";") {
                            dst[w] = UInt8(ascii: ">"); w += 1; k = r + 4
                        } else if c1 == UInt8(ascii: "a") && at(r + 2) == UInt8(ascii: "m") && at(r + 3) == UInt8(ascii: "p") && at(r + 4) == UInt8(ascii: ";") {
                            dst[w] = UInt8(ascii: "&"); w += 1; k = r + 5
                        } else if c1 == UInt8(ascii: "q") && at(r + 2) == UInt8(ascii: "u") && at(r + 3) == UInt8(ascii: "o")
                            && at(r + 4) == UInt8(ascii: "t") && at(r + 5) == UInt8(ascii: ";")
                        {
                            dst[w] = UInt8(ascii: "\""); w += 1; k = r + 6
                        } else {
                            guard let (v, end) = reference(r), end <= lt else {
                                broken = true
                                return w
                            }
                            if !(v == 0x20 || v == 0x09 || v == 0x0A) { nonSpace = true }
                            k = end
                            if v < 0x80 {
                                dst[w] = UInt8(v); w += 1
                            } else if v < 0x800 {
                                dst[w] = UInt8(0xC0 | (v >> 6)); dst[w + 1] = UInt8(0x80 | (v & 0x3F)); w += 2
                            } else if v < 0x10000 {
                                dst[w] = UInt8(0xE0 | (v >> 12)); dst[w + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                                dst[w + 2] = UInt8(0x80 | (v & 0x3F)); w += 3
                            } else {
                                dst[w] = UInt8(0xF0 | (v >> 18)); dst[w + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                                dst[w + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); dst[w + 3] = UInt8(0x80 | (v & 0x3F)); w += 4
                            }
                            continue
                        }
                        nonSpace = true
                    }
                    return w
                }
                if written < out.count { out.removeLast(out.count - written) }
                if broken { return false }
                i = lt
            }
            if i >= n { return true }
            // '<'
            let k = i
            if starts("<![CDATA[") {
                guard let m = ByteScan.cdataEnd(in: p, from: k + 9, to: n) else { return false }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[(k + 9)..<m]))
                if !nonSpace {
                    for x in (k + 9)..<m where !FastXMLScanner.isSpace(p[x]) { nonSpace = true; break }
                }
                i = m + 3
                continue
            }
            if starts("<!--") {
                guard skipComment() else { return false }
                continue
            }
            if at(k + 1) == UInt8(ascii: "!") || at(k + 1) == UInt8(ascii: "?") { return false }
            return true
        }
        return true
    }

    @inline(__always) func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if let s = Unicode.Scalar(v) {
            out.append(contentsOf: UTF8.encode(s)!)
        }
    }

    /// At a tag after `text`: true for an end tag (`</`), false for a start tag.
    var atEndTag: Bool { at(i + 1) == UInt8(ascii: "/") }
    var atTag: Bool { at(i) == UInt8(ascii: "<") }
}

/// Eight-bytes-at-a-time searches over a buffer, for the fast path's scanners. Each word test
/// flags (in a byte's high bit) every byte that matches and possibly bytes after the first
/// match (a borrow), never one before it: so the lowest flag is the first match.
enum ByteScan {
    /// Where the first `]]>` at or after `from` starts, wholly before `to`; nil when there is
    /// none. Jumps from one `]` to the next with `memchr`.
    static func cdataEnd(in p: UnsafeBufferPointer<UInt8>, from: Int, to n: Int) -> Int? {
        guard let base = p.baseAddress else { return nil }
        var m = from
        while m + 2 < n {
            guard let hit = memchr(base + m, Int32(UInt8(ascii: "]")), n - m) else { return nil }
            m = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if m + 2 < n && p[m + 1] == UInt8(ascii: "]") && p[m + 2] == UInt8(ascii: ">") { return m }
            m += 1
        }
        return nil
    }

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bits set from the first byte of `w` equal to `b` on (and none before it).
    @inline(__always) static func equal(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & highs
    }

    /// The first index from `k` on (below `end`) whose byte is one of `a`, `b`, `c`, or `end`.
    @inline(__always)
    static func firstOf(_ a: UInt8, _ b: UInt8, _ c: UInt8, in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let flagged = equal(w, a) | equal(w, b) | equal(w, c)
                // The lowest flag is the first match (byte 0 in the low bits).
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < end {
            let x = p[k]
            if x == a || x == b || x == c { break }
            k += 1
        }
        return k
    }

    /// The first index from `k` on (below `end`) whose byte is below 0x20 or not ASCII, or `end`.
    @inline(__always)
    static func firstControlOrNonASCII(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let flagged = ((w &- 0x2020_2020_2020_2020) | w) & highs
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < end {
            let x = p[k]
            if x < 0x20 || x >= 0x80 { break }
            k += 1
        }
        return k
    }

    /// The first index from `k` on whose byte is not ASCII, or the count.
    static func firstNonASCII(in p: UnsafeBufferPointer<UInt8>, from k: Int) -> Int {
        var k = k
        let end = p.count
        if let base = p.baseAddress {
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let flagged = w & highs
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < end, p[k] < 0x80 { k += 1 }
        return k
    }

    /// The first index from `k` on (below `end`) whose byte is below 0x20 or not ASCII, or
    /// that starts two spaces in a row (both below `end`); `end` when none. Words overlap by a
    /// byte so that a pair across two of them is seen. The space test is exact per byte; the
    /// other flags only err after a byte they flag truly: the lowest flag is exact.
    @inline(__always)
    static func firstControlNonASCIIOrDoubleSpace(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let x = w ^ 0x2020_2020_2020_2020
                let spaces = ~(((x & low) &+ low) | x | low)
                let flagged = (((w &- 0x2020_2020_2020_2020) | w) & highs) | (spaces & (spaces >> 8))
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 7
            }
        }
        while k < end {
            let x = p[k]
            if x < 0x20 || x >= 0x80 { break }
            if x == 0x20, k + 1 < end, p[k + 1] == 0x20 { break }
            k += 1
        }
        return k
    }

    /// `firstControlNonASCIIOrDoubleSpace`, also stopping at a `<` or `&` (the lowest flag is
    /// still exact: `equal` only errs after a byte it flags truly).
    @inline(__always)
    static func firstControlNonASCIIDoubleSpaceOrMarkup(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let x = w ^ 0x2020_2020_2020_2020
                let spaces = ~(((x & low) &+ low) | x | low)
                let flagged = (((w &- 0x2020_2020_2020_2020) | w) & highs) | (spaces & (spaces >> 8))
                    | equal(w, UInt8(ascii: "<")) | equal(w, UInt8(ascii: "&"))
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 7
            }
        }
        while k < end {
            let x = p[k]
            if x < 0x20 || x >= 0x80 || x == UInt8(ascii: "<") || x == UInt8(ascii: "&") { break }
            if x == 0x20, k + 1 < end, p[k + 1] == 0x20 { break }
            k += 1
        }
        return k
    }

    /// For valid UTF-8: the first index from `k` on (below `end`) whose byte is below 0x20, a
    /// `<` or `&`, the lead byte of a character outside ASCII that may be white space (`0xC2`:
    /// U+0085, U+00A0; `0xE0`–`0xEF`: U+1680, U+2000…, U+3000 among them), or that starts two
    /// spaces in a row (both below `end`); `end` when none. Other characters outside ASCII
    /// (`é`, `ï`, emoji) are passed over. The lowest flag is exact, as in the searches above.
    @inline(__always)
    static func firstControlDoubleSpaceMarkupOrSpaceLead(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let x = w ^ 0x2020_2020_2020_2020
                let spaces = ~(((x & low) &+ low) | x | low)
                // Below 0x20: the subtraction borrows into bit 7 of such a byte alone (a byte
                // from 0x80 on has bit 7 clear in `~w`); a borrow reaches only later bytes.
                let controls = (w &- 0x2020_2020_2020_2020) & ~w & highs
                let flagged = controls | (spaces & (spaces >> 8))
                    | equal(w, UInt8(ascii: "<")) | equal(w, UInt8(ascii: "&"))
                    | equal(w, 0xC2) | equal(w & 0xF0F0_F0F0_F0F0_F0F0, 0xE0)
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 7
            }
        }
        while k < end {
            let x = p[k]
            if x < 0x20 || x == UInt8(ascii: "<") || x == UInt8(ascii: "&") || x == 0xC2 || x & 0xF0 == 0xE0 { break }
            if x == 0x20, k + 1 < end, p[k + 1] == 0x20 { break }
            k += 1
        }
        return k
    }

    /// Whether two spaces in a row occur in `p[k..<end]`. Words overlap by a byte so that a
    /// pair across two of them is seen; the space test is exact per byte.
    static func hasDoubleSpace(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Bool {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while k + 8 <= end {
                let x = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self) ^ 0x2020_2020_2020_2020
                let spaces = ~(((x & low) &+ low) | x | low)
                if spaces & (spaces >> 8) != 0 { return true }
                k += 7
            }
        }
        while k + 1 < end {
            if p[k] == 0x20 && p[k + 1] == 0x20 { return true }
            k += 1
        }
        return false
    }

    /// The first index from `k` on (below `end`) whose byte is not printable ASCII other than
    /// the space (outside 0x21...0x7F), or `end`.
    @inline(__always)
    static func firstNonWordByte(in p: UnsafeBufferPointer<UInt8>, from k: Int, to end: Int) -> Int {
        var k = k
        if let base = p.baseAddress, end <= p.count {
            while k + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let flagged = ((w &- 0x2121_2121_2121_2121) | w) & highs
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < end {
            let x = p[k]
            if x <= 0x20 || x >= 0x80 { break }
            k += 1
        }
        return k
    }
}
