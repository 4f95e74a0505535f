#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small string helpers that reproduce Python's semantics where feedparser's rules rely on them.
extension String {
    /// Python's `str.strip()`: removes Unicode whitespace at both ends.
    func pythonStripped() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].isPythonSpace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isPythonSpace { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }

    /// True when every UTF-8 byte is ASCII: a byte scan, no scalar decoding.
    var isASCIIBytes: Bool {
        var s = self
        return s.withUTF8 { buf -> Bool in
            guard let base = buf.baseAddress else { return true }
            let n = buf.count
            var i = 0
            // Eight bytes at a time: no byte has its high bit set.
            while i + 8 <= n {
                if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < n {
                if base[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }

    /// True when empty or only whitespace (Python `not s.strip()`).
    var isPythonBlank: Bool { unicodeScalars.allSatisfy(\.isPythonSpace) }

    /// Text that was UTF-8, misread as Latin-1 and re-encoded ("Ã©" for "é") is repaired,
    /// as feedparser does for documents read as UTF-8.
    func undoingDoubleEncoding() -> String {
        // On the UTF-8 bytes: a scalar above U+00FF has a lead byte from 0xC4 on, and U+0080 to
        // U+00FF are the two-byte sequences led by 0xC2 and 0xC3. The scalars' Latin-1 bytes
        // are the candidate, kept when they are valid UTF-8; most text fails at its first
        // non-ASCII character, and is left without building the candidate.
        var copy = self
        return copy.withUTF8 { u -> String? in
            guard let base = u.baseAddress else { return nil }
            let n = u.count
            var k = ByteScan.firstNonASCII(in: u, from: 0)
            guard k < n else { return nil }
            // A partial UTF-8 check of the candidate, rejecting only what is surely invalid: a
            // continuation byte where none is due, or a lead byte not followed by one.
            var due = 0
            var sawHigh = false
            while k < n {
                let b = base[k]
                let c: UInt8
                if b < 0x80 {
                    c = b
                    k += 1
                } else {
                    if b >= 0xC4 { return nil }
                    sawHigh = true
                    c = (b & 0x03) << 6 | (base[k + 1] & 0x3F)
                    k += 2
                }
                if due > 0 {
                    guard c >= 0x80 && c <= 0xBF else { return nil }
                    due -= 1
                } else if c >= 0x80 {
                    switch c {
                    case 0xC2...0xDF: due = 1
                    case 0xE0...0xEF: due = 2
                    case 0xF0...0xF4: due = 3
                    default: return nil
                    }
                }
            }
            guard sawHigh, due == 0 else { return nil }
            var latin1: [UInt8] = []
            latin1.reserveCapacity(n)
            k = 0
            while k < n {
                let b = base[k]
                if b < 0x80 {
                    latin1.append(b)
                    k += 1
                } else {
                    // 0xC2 or 0xC3 then a continuation byte (the string is valid UTF-8).
                    latin1.append((b & 0x03) << 6 | (base[k + 1] & 0x3F))
                    k += 2
                }
            }
            return String(validating: latin1, as: UTF8.self)
        } ?? self
    }

    /// Maps C1 controls U+0080–U+009F to the Windows-1252 characters they usually stand for.
    func mappingCP1252Controls() -> String {
        // U+0080–U+009F are the UTF-8 pairs 0xC2 0x80 … 0xC2 0x9F.
        var copy = self
        let hasControl = copy.withUTF8 { u -> Bool in
            // From one 0xC2 to the next (rare in most text) with `memchr`.
            guard let base = u.baseAddress else { return false }
            var k = 0
            while k + 1 < u.count {
                guard let hit = memchr(base + k, 0xC2, u.count - k) else { return false }
                k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if k + 1 < u.count && u[k + 1] >= 0x80 && u[k + 1] <= 0x9F { return true }
                k += 1
            }
            return false
        }
        guard hasControl else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            if s.value >= 0x80 && s.value <= 0x9F, let mapped = CP1252.map[s.value], let m = Unicode.Scalar(mapped) {
                out.append(m)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}

extension Unicode.Scalar {
    var isPythonSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}

enum CP1252 {
    static let map: [UInt32: UInt32] = [
        128: 0x20AC, 130: 0x201A, 131: 0x0192, 132: 0x201E, 133: 0x2026, 134: 0x2020, 135: 0x2021, 136: 0x02C6,
        137: 0x2030, 138: 0x0160, 139: 0x2039, 140: 0x0152, 142: 0x017D, 145: 0x2018, 146: 0x2019, 147: 0x201C,
        148: 0x201D, 149: 0x2022, 150: 0x2013, 151: 0x2014, 152: 0x02DC, 153: 0x2122, 154: 0x0161, 155: 0x203A,
        156: 0x0153, 158: 0x017E, 159: 0x0178,
    ]
}

/// Lenient base64 (Python's `base64.decodebytes`): characters outside the alphabet are skipped,
/// an incomplete final group is an error.
enum Base64 {
    static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var count = 0
        var padded = false
        for b in s.utf8 {
            let v: UInt32
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(b - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(b - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - 48 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                padded = true
                continue
            default: continue
            }
            if padded { break }
            acc = (acc << 6) | v
            bits += 6
            count += 1
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        if count % 4 == 1 { return nil }
        if count % 4 != 0 && !padded { return nil }
        return out
    }
}

/// Finding the e-mail address inside an author string, as feedparser's pattern does.
enum AuthorParsing {
    /// What is left of an author field once its e-mail address is taken out, as feedparser
    /// leaves it: empty `()`/`<>` removed, one pair of outer parentheses dropped, stripped.
    static func nameWithout(email: String, in value: String) -> String {
        var author = value.replacingAll(email, with: "")
        author = author.replacingAll("()", with: "")
        author = author.replacingAll("<>", with: "")
        author = author.replacingAll("&lt;&gt;", with: "")
        author = author.pythonStripped()
        var trimmed = Substring(author)
        if trimmed.first == "(" { trimmed = trimmed.dropFirst() }
        if trimmed.last == ")" { trimmed = trimmed.dropLast() }
        return String(trimmed).pythonStripped()
    }

    private static func isLocal(_ b: UInt8) -> Bool {
        b.isASCIIWordByte || b == UInt8(ascii: ".") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }
    private static func isLabel(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-")
    }
    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func findEmail(in text: String) -> String? {
        // Most author strings have no '@' at all.
        var t = text
        return t.withUTF8 { b -> String? in
            guard let base = b.baseAddress, memchr(base, Int32(UInt8(ascii: "@")), b.count) != nil else { return nil }
            return findEmail(bytes: b)
        }
    }

    static func findEmail(bytes u: UnsafeBufferPointer<UInt8>) -> String? {
        guard let r = findEmailRange(bytes: u) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: u[r]), as: UTF8.self)
    }

    /// Where `findEmail(bytes:)` finds the address.
    static func findEmailRange(bytes u: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var at = 0
        while at < u.count {
            guard u[at] == UInt8(ascii: "@") else { at += 1; continue }
            var start = at
            while start > 0, isLocal(u[start - 1]) { start -= 1 }
            if start < at, let end = matchDomain(u, at + 1) {
                var e = end
                // (\?subject=\S+)?
                let subject = "?subject=".utf8
                if e + subject.count < u.count, u[e..<(e + subject.count)].elementsEqual(subject) {
                    var k = e + subject.count
                    let s0 = k
                    while k < u.count, !u[k].isASCIIWhitespace { k += 1 }
                    if k > s0 { e = k }
                }
                return start..<e
            }
            at += 1
        }
        return nil
    }

    private static func matchDomain(_ u: UnsafeBufferPointer<UInt8>, _ p: Int) -> Int? {
        // Candidates are the positions after "label." (tried last first), then after an
        // `[d.d.d.` prefix; without a list: the labels hold no dot, so the chain's candidates
        // are the positions after its dots.
        // (\[d{1,3}\.d{1,3}\.d{1,3}\.)
        var bracket = -1
        if p < u.count, u[p] == UInt8(ascii: "[") {
            var k = p + 1
            var ok = true
            for _ in 0..<3 {
                let s = k
                while k < u.count, isDigit(u[k]), k - s < 3 { k += 1 }
                if k == s || k >= u.count || u[k] != UInt8(ascii: ".") { ok = false; break }
                k += 1
            }
            if ok { bracket = k }
        }
        var k = p
        var last = -1
        while true {
            let s = k
            while k < u.count, isLabel(u[k]) { k += 1 }
            if k == s || k >= u.count || u[k] != UInt8(ascii: ".") { break }
            k += 1
            last = k
        }
        func end(after c: Int) -> Int? {
            var e = c
            if e < u.count, isLetter(u[e]) {
                var n = 0
                while e < u.count, isLetter(u[e]), n < 4 { e += 1; n += 1 }
                if n < 2 { return nil }
            } else if e < u.count, isDigit(u[e]) {
                var n = 0
                while e < u.count, isDigit(u[e]), n < 3 { e += 1; n += 1 }
            } else {
                return nil
            }
            if e < u.count, u[e] == UInt8(ascii: "]") { e += 1 }
            return e
        }
        var c = last
        while c > p {
            if let e = end(after: c) { return e }
            // The candidate before: after the previous dot of the chain.
            var j = c - 2
            while j >= p, u[j] != UInt8(ascii: ".") { j -= 1 }
            c = j >= p ? j + 1 : -1
        }
        if bracket >= 0 { return end(after: bracket) }
        return nil
    }
}

/// GeoRSS geometry parsing (points, lines, polygons, boxes) into `where` dictionaries.
enum GeoRSS {
    static func coordinates(_ value: String, swap: Bool, dims: Int) -> [[Double]]? {
        var numbers: [Double] = []
        for token in value.replacingOccurrences(of: ",", with: " ").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            guard let d = Double(token) else { return nil }
            numbers.append(d)
        }
        var out: [[Double]] = []
        var i = 0
        while i + 1 < numbers.count {
            var t = swap ? [numbers[i + 1], numbers[i]] : [numbers[i], numbers[i + 1]]
            i += 2
            if dims == 3 {
                guard i < numbers.count else { break }
                t.append(numbers[i])
                i += 1
            }
            out.append(t)
        }
        return out
    }

    private static func tuple(_ t: [Double]) -> Item { .list(NodeList(t.map { .double($0) })) }

    static func point(_ value: String, swap: Bool = true, dims: Int = 2) -> Node? {
        guard let c = coordinates(value, swap: swap, dims: dims), let first = c.first else { return nil }
        return Node([("type", .string("Point")), ("coordinates", tuple(first))])
    }

    static func line(_ value: String, swap: Bool = true, dims: Int = 2) -> Node? {
        guard let c = coordinates(value, swap: swap, dims: dims) else { return nil }
        return Node([("type", .string("LineString")), ("coordinates", .list(NodeList(c.map(tuple))))])
    }

    static func polygon(_ value: String) -> Node? {
        guard let c = coordinates(value, swap: true, dims: 2), c.count >= 4 else { return nil }
        return Node([("type", .string("Polygon")), ("coordinates", .list(NodeList([.list(NodeList(c.map(tuple)))])))])
    }

    static func box(_ value: String) -> Node? {
        guard let c = coordinates(value, swap: true, dims: 2) else { return nil }
        return Node([("type", .string("Box")), ("coordinates", .list(NodeList(c.map(tuple))))])
    }

    static func isGeographic(_ epsg: Int) -> Bool {
        // EPSG codes of geographic (latitude/longitude) coordinate systems.
        if epsg == 4326 || (4001...4904).contains(epsg) || [3819, 3821, 3824, 3889, 3906, 4979].contains(epsg) { return true }
        return false
    }
}

extension String {
    /// Byte-level search (Foundation's `contains`/`replacingOccurrences` are slow on Linux).
    /// Works on the strings' own UTF-8 storage: nothing is copied unless there is a match.
    func containsBytes(_ needle: String) -> Bool {
        var hay = self
        var needle = needle
        return hay.withUTF8 { h in needle.withUTF8 { n in firstByteRange(of: n, in: h) != nil } }
    }

    /// Every occurrence of `target` replaced by `replacement`, compared byte by byte.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var hayString = self
        var targetString = target
        return hayString.withUTF8 { hay -> String in
            targetString.withUTF8 { t -> String in
                guard var r = firstByteRange(of: t, in: hay) else { return self }
                var out: [UInt8] = []
                out.reserveCapacity(hay.count + 16)
                var from = 0
                while true {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: hay[from..<r]))
                    out.append(contentsOf: replacement.utf8)
                    from = r + t.count
                    guard let next = firstByteRange(of: t, in: hay, from: from) else { break }
                    r = next
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: hay[from...]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}

/// The offset of the first occurrence of `needle` in `hay` at or after `from`: libc's
/// memchr finds each candidate first byte.
@inline(__always)
func firstByteRange(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    let n = needle.count
    guard n > 0, from >= 0, hay.count - from >= n, let h = hay.baseAddress else { return nil }
    let first = Int32(needle[0])
    let last = hay.count - n
    var i = from
    while i <= last {
        guard let found = memchr(h + i, first, last - i + 1) else { return nil }
        let k = UnsafeRawPointer(found) - UnsafeRawPointer(h)
        var m = 1
        while m < n && h[k + m] == needle[m] { m += 1 }
        if m == n { return k }
        i = k + 1
    }
    return nil
}
