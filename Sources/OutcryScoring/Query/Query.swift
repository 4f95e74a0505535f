/// A parsed query over mentions, for brands, sources and routing.
///
/// Syntax: words (`refund`), trailing wildcards (`refund*`), quoted phrases (`"on hold"`),
/// `AND` (or juxtaposition), `OR`, `NOT`, parentheses, `a NEAR/3 b` (within 3 words, either
/// order), and fields `author:`, `source:`, `lang:`, `text:` (the default). Matching is
/// case-insensitive on words. `AND` binds tighter than `OR`; `NOT` tighter than both.
///
/// ```swift
/// let q = try Query("(@acme OR acme) AND (refund* OR \"charged twice\") NOT source:test")
/// q.matches(QueryDocument(text: "Acme still hasn't refunded me", source: "twitter"))  // true
/// ```
public struct Query: Sendable, Equatable, CustomStringConvertible {
    public indirect enum Node: Sendable, Equatable {
        case term(field: Field, words: [String], prefix: Bool)
        case near(QueryTerm, QueryTerm, distance: Int)
        case and([Node])
        case or([Node])
        case not(Node)
    }

    public enum Field: String, Sendable, Equatable {
        case text, author, source, lang
    }

    public let root: Node
    public let source: String
    /// `root` with each term's words as UTF-8 bytes, for matching.
    let program: Program

    public init(_ text: String) throws(QueryError) {
        var parser = QueryParser(text)
        root = try parser.parse()
        source = text
        program = Program(root)
    }

    public static func == (a: Query, b: Query) -> Bool { a.root == b.root && a.source == b.source }

    public var description: String { source }

    /// Whether a mention (as a tokenised document) matches.
    public func matches(_ doc: QueryDocument) -> Bool { Self.eval(program, doc) }

    indirect enum Program: Sendable {
        case term(QueryWords.Term)
        case near(QueryWords.Term, QueryWords.Term, distance: Int)
        case and([Program])
        case or([Program])
        case not(Program)

        init(_ node: Node) {
            switch node {
            case let .term(field, words, prefix): self = .term(.init(field: field, words: words, prefix: prefix))
            case let .near(a, b, distance):
                self = .near(.init(field: a.field, words: a.words, prefix: a.prefix), .init(field: b.field, words: b.words, prefix: b.prefix), distance: distance)
            case let .and(nodes): self = .and(nodes.map(Program.init))
            case let .or(nodes): self = .or(nodes.map(Program.init))
            case let .not(n): self = .not(Program(n))
            }
        }
    }

    static func eval(_ node: Program, _ d: QueryDocument) -> Bool {
        switch node {
        case let .term(t):
            return d.contains(t)
        case let .near(a, b, distance):
            let pa = d.positions(a)
            if pa.isEmpty { return false }
            let pb = d.positions(b)
            for x in pa { for y in pb where abs(x - y) <= distance { return true } }
            return false
        case let .and(nodes): return nodes.allSatisfy { eval($0, d) }
        case let .or(nodes): return nodes.contains { eval($0, d) }
        case let .not(n): return !eval(n, d)
        }
    }
}

/// A word, wildcard or phrase that can stand on either side of `NEAR/n`.
public struct QueryTerm: Sendable, Equatable {
    public var field: Query.Field
    public var words: [String]
    public var prefix: Bool
}

/// A parse error: where in the query, and what was expected there.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Character offset (0-based) in the query text.
    public var position: Int
    public var expected: String
    public var found: String

    public var description: String { "query error at \(position + 1): expected \(expected), found \(found)" }
}

/// A mention tokenised for queries: lowercase words per field.
public struct QueryDocument: Sendable {
    var text: QueryWords
    var author: QueryWords
    var source: QueryWords
    var lang: String

    public init(text: String, author: String? = nil, source: String? = nil, lang: String? = nil) {
        self.text = QueryWords(text)
        self.author = QueryWords(author ?? "")
        self.source = QueryWords(source ?? "")
        self.lang = (lang ?? "").lowercased()
    }

    /// Lowercase words: letters, digits, inner `'`/`-`; a leading `@` or `#` is kept so that
    /// `@acme` and `acme` can be told apart (a query for `acme` matches both). The definition,
    /// one `Character` at a time; `QueryWords` produces the same words from the UTF-8 bytes.
    static func words(_ s: String) -> [Substring] {
        words(lowercased: s.lowercased().replacingOccurrences(of: "\u{2019}", with: "'"))
    }

    /// `words(_:)` after its lowercasing and apostrophe mapping.
    static func words(lowercased lower: String) -> [Substring] {
        var out: [Substring] = []
        var start: String.Index? = nil
        var i = lower.startIndex
        while i < lower.endIndex {
            let c = lower[i]
            let wordChar = c.isLetter || c.isNumber || ((c == "@" || c == "#") && start == nil)
                || ((c == "'" || c == "-" || c == "_") && start != nil)
            if wordChar {
                if start == nil { start = i }
            } else if let s0 = start {
                out.append(trim(lower[s0..<i]))
                start = nil
            }
            i = lower.index(after: i)
        }
        if let s0 = start { out.append(trim(lower[s0..<lower.endIndex])) }
        return out.filter { !$0.isEmpty }
    }

    private static func trim(_ w: Substring) -> Substring {
        var w = w
        while let l = w.last, l == "'" || l == "-" || l == "_" { w = w.dropLast() }
        return w
    }

    /// Whether the term's words occur in its field (the last word may be a prefix).
    func contains(_ t: QueryWords.Term) -> Bool {
        if t.field == .lang { return !positions(t).isEmpty }
        let toks = t.field == .text ? text : t.field == .author ? author : source
        guard !t.words.isEmpty, toks.count >= t.words.count else { return false }
        for start in 0...(toks.count - t.words.count) where toks.matches(at: start, t) { return true }
        return false
    }

    /// Start positions where the term's words occur in its field (the last word may be a prefix).
    func positions(_ t: QueryWords.Term) -> [Int] {
        if t.field == .lang {
            let want = t.words.joined(separator: "-")
            return (t.prefix ? lang.hasPrefix(want) : (lang == want || lang.hasPrefix(want + "-"))) ? [0] : []
        }
        let toks = t.field == .text ? text : t.field == .author ? author : source
        guard !t.words.isEmpty, toks.count >= t.words.count else { return [] }
        var out: [Int] = []
        for start in 0...(toks.count - t.words.count) where toks.matches(at: start, t) { out.append(start) }
        return out
    }

    /// The definition of a token matching a query word, on `Character`s (canonical equivalence).
    static func same(_ token: Substring, _ word: String, prefix: Bool) -> Bool {
        // A query word with @ or # must match exactly that; a bare word also matches the tagged form.
        var t = token
        if let f = word.first, f != "@" && f != "#", let tf = t.first, tf == "@" || tf == "#" { t = t.dropFirst() }
        return prefix ? t.hasPrefix(word) : t == word
    }
}

/// A field's words as `QueryDocument.words` defines them, kept as lowercase UTF-8 bytes.
///
/// Split on the bytes: a stretch of ASCII is lowercased and cut into words a byte at a time; a
/// stretch holding non-ASCII text goes through the `Character` definition. The text is cut into
/// stretches only at an ASCII byte that can never be part of a word (not a letter, digit, `@`,
/// `#`, `'`, `-`, `_`) with ASCII on both sides: such a byte is a grapheme of its own (no
/// combining mark follows it, no prepended mark precedes it), lowercasing is per scalar, and the
/// definition ends any word there, so the words of the stretches are the words of the whole.
/// Matching compares bytes when both token and query word are ASCII and falls back to the
/// `Character` comparison (`QueryDocument.same`) otherwise.
struct QueryWords: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Token k is `bytes[bounds[k]..<bounds[k + 1]]`.
    private(set) var bounds: [Int] = [0]
    /// Whether any token holds a byte ≥ 0x80.
    private(set) var hasNonASCII = false

    var count: Int { bounds.count - 1 }

    init(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            bytes.reserveCapacity(buf.count)
            bounds.reserveCapacity(buf.count / 4 + 2)
            let n = buf.count
            var segment = 0
            var i = 0
            var ascii = true
            while i < n {
                let b = buf[i]
                if b >= 0x80 {
                    ascii = false
                } else if Self.kind(b) == 0, i == 0 || buf[i - 1] < 0x80, i + 1 == n || buf[i + 1] < 0x80 {
                    if segment < i { appendSegment(buf, segment, i, ascii: ascii) }
                    segment = i + 1
                    ascii = true
                }
                i += 1
            }
            if segment < n { appendSegment(buf, segment, n, ascii: ascii) }
        }
    }

    /// 0: never in a word; 1: letter or digit; 2: `@`/`#` (starts a word); 3: `'`, `-`, `_` (inside a word).
    @inline(__always) static func kind(_ b: UInt8) -> UInt8 { table[Int(b & 0x7F)] }

    private static let table: [UInt8] = (0..<128).map { c in
        switch UInt8(c) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): 1
        case UInt8(ascii: "@"), UInt8(ascii: "#"): 2
        case UInt8(ascii: "'"), UInt8(ascii: "-"), UInt8(ascii: "_"): 3
        default: 0
        }
    }

    private mutating func appendSegment(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, ascii: Bool) {
        guard ascii else {
            hasNonASCII = true
            // `words(_:)`, without Foundation's search when there is no U+2019 to replace.
            let lower = String(decoding: UnsafeBufferPointer(rebasing: buf[from..<to]), as: UTF8.self).lowercased()
            var rightQuote = false
            var l = lower
            l.withUTF8 { u in
                var i = 0
                while i + 2 < u.count {
                    if u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x99 { rightQuote = true; break }
                    i += 1
                }
            }
            for w in QueryDocument.words(lowercased: rightQuote ? lower.replacingOccurrences(of: "\u{2019}", with: "'") : lower) {
                bytes.append(contentsOf: w.utf8)
                bounds.append(bytes.count)
            }
            return
        }
        var start = -1
        var i = from
        while i < to {
            let b = buf[i]
            let k = Self.kind(b)
            if k == 1 || (k == 2 && start < 0) || (k == 3 && start >= 0) {
                if start < 0 { start = i }
            } else if start >= 0 {
                appendWord(buf, start, i)
                start = -1
            }
            i += 1
        }
        if start >= 0 { appendWord(buf, start, to) }
    }

    private mutating func appendWord(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        var end = to
        while end > from, Self.kind(buf[end - 1]) == 3 { end -= 1 }
        guard end > from else { return }
        for k in from..<end {
            let b = buf[k]
            bytes.append(b &- 0x41 < 26 ? b | 0x20 : b)
        }
        bounds.append(bytes.count)
    }

    /// Token `k` as a `Substring` (for tests and the `Character` fallback).
    func token(_ k: Int) -> Substring { Substring(String(decoding: bytes[bounds[k]..<bounds[k + 1]], as: UTF8.self)) }

    var strings: [String] { (0..<count).map { String(token($0)) } }

    /// A query term's words, with their UTF-8 bytes.
    struct Term: Sendable {
        var field: Query.Field
        var words: [String]
        var utf8: [[UInt8]]
        /// Whether every word is ASCII.
        var ascii: Bool
        var prefix: Bool

        init(field: Query.Field, words: [String], prefix: Bool) {
            self.field = field
            self.words = words
            self.prefix = prefix
            utf8 = words.map { Array($0.utf8) }
            ascii = utf8.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
        }
    }

    /// Whether `words` match the tokens from `start` on (the last one may be a prefix).
    func matches(at start: Int, _ words: [String], prefix: Bool) -> Bool {
        matches(at: start, Term(field: .text, words: words, prefix: prefix))
    }

    /// Whether the term's words match the tokens from `start` on (the last one may be a prefix).
    func matches(at start: Int, _ t: Term) -> Bool {
        let n = t.words.count
        for k in 0..<n where !same(start + k, t, k, prefix: t.prefix && k == n - 1) { return false }
        return true
    }

    private func same(_ k: Int, _ t: Term, _ j: Int, prefix: Bool) -> Bool {
        let lo = bounds[k], hi = bounds[k + 1]
        var asciiToken = true
        if hasNonASCII { for i in lo..<hi where bytes[i] >= 0x80 { asciiToken = false; break } }
        guard asciiToken && t.ascii else { return QueryDocument.same(token(k), t.words[j], prefix: prefix) }
        return t.utf8[j].withUnsafeBufferPointer { w in
            bytes.withUnsafeBufferPointer { b in
                var from = lo
                if let f = w.first, f != UInt8(ascii: "@") && f != UInt8(ascii: "#"), from < hi,
                   b[from] == UInt8(ascii: "@") || b[from] == UInt8(ascii: "#") {
                    from += 1
                }
                let length = hi - from
                if prefix ? length < w.count : length != w.count { return false }
                for j in 0..<w.count where b[from + j] != w[j] { return false }
                return true
            }
        }
    }
}
