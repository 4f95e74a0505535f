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

    public init(_ text: String) throws(QueryError) {
        var parser = QueryParser(text)
        root = try parser.parse()
        source = text
    }

    public var description: String { source }

    /// Whether a mention (as a tokenised document) matches.
    public func matches(_ doc: QueryDocument) -> Bool { Self.eval(root, doc) }

    static func eval(_ node: Node, _ d: QueryDocument) -> Bool {
        switch node {
        case let .term(field, words, prefix):
            return !d.positions(field: field, words: words, prefix: prefix).isEmpty
        case let .near(a, b, distance):
            let pa = d.positions(field: a.field, words: a.words, prefix: a.prefix)
            if pa.isEmpty { return false }
            let pb = d.positions(field: b.field, words: b.words, prefix: b.prefix)
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
    var text: [Substring]
    var author: [Substring]
    var source: [Substring]
    var lang: String

    public init(text: String, author: String? = nil, source: String? = nil, lang: String? = nil) {
        self.text = Self.words(text)
        self.author = Self.words(author ?? "")
        self.source = Self.words(source ?? "")
        self.lang = (lang ?? "").lowercased()
    }

    /// Lowercase words: letters, digits, inner `'`/`-`; a leading `@` or `#` is kept so that
    /// `@acme` and `acme` can be told apart (a query for `acme` matches both).
    static func words(_ s: String) -> [Substring] {
        let lower = s.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
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

    /// Start positions where `words` occur in the field (the last word may be a prefix).
    func positions(field: Query.Field, words: [String], prefix: Bool) -> [Int] {
        if field == .lang {
            let want = words.joined(separator: "-")
            return (prefix ? lang.hasPrefix(want) : (lang == want || lang.hasPrefix(want + "-"))) ? [0] : []
        }
        let toks = field == .text ? text : field == .author ? author : source
        guard !words.isEmpty, toks.count >= words.count else { return [] }
        var out: [Int] = []
        for start in 0...(toks.count - words.count) {
            var ok = true
            for (k, w) in words.enumerated() {
                let last = k == words.count - 1
                if !Self.same(toks[start + k], w, prefix: prefix && last) { ok = false; break }
            }
            if ok { out.append(start) }
        }
        return out
    }

    private static func same(_ token: Substring, _ word: String, prefix: Bool) -> Bool {
        // A query word with @ or # must match exactly that; a bare word also matches the tagged form.
        var t = token
        if let f = word.first, f != "@" && f != "#", let tf = t.first, tf == "@" || tf == "#" { t = t.dropFirst() }
        return prefix ? t.hasPrefix(word) : t == word
    }
}
