import OutcryModel

/// Tags a mention with the watched brand it is about, so that routing, grouping, crisis
/// detection and reports can work per brand.
///
/// A source's own `brand` wins (a brand's support mailbox is about that brand whatever the
/// words); otherwise the first brand whose rule matches, in configuration order. A brand's
/// rule is its keywords (any of them, as words or phrases, case-insensitive; `acme` also
/// matches `@acme` and `#acme`) or its query in the query language (`"acme" NEAR/3 refund`),
/// either of which may match. With a single brand configured and nothing matched, the
/// mention is still that brand's: every source of a one-brand deployment watches it.
///
/// ```swift
/// let tagger = try BrandTagger([.init(name: "Kestrel Home", keywords: ["kestrel"], query: nil)])
/// tagger.brand(text: "my kestrel kettle leaks", author: nil, source: "forum", lang: nil, sourceBrand: nil) // "Kestrel Home"
/// ```
public struct BrandTagger: Sendable {
    public struct Rule: Sendable {
        public var name: String
        public var keywords: [String]
        public var query: String?

        public init(name: String, keywords: [String], query: String? = nil) {
            self.name = name
            self.keywords = keywords
            self.query = query
        }
    }

    struct Compiled: Sendable {
        var name: String
        var keywords: Query?
        var query: Query?
    }

    let brands: [Compiled]

    /// No brands: mentions are tagged only by their source's brand.
    public init() { brands = [] }

    /// Compiles every brand's keywords and query once; a query that does not parse throws its
    /// `QueryError` (position and what was expected), with the brand's name for the message.
    public init(_ rules: [Rule]) throws(BrandRuleError) {
        var compiled: [Compiled] = []
        for rule in rules {
            let words = rule.keywords.map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
            let keywordQuery = words.isEmpty ? nil : words.map { "\"" + $0.replacingQuotes() + "\"" }.joined(separator: " OR ")
            var entry = Compiled(name: rule.name)
            do {
                entry.keywords = try keywordQuery.map { text throws(QueryError) in try Query(text) }
            } catch {
                throw BrandRuleError(brand: rule.name, field: "keywords", error: error)
            }
            do {
                entry.query = try rule.query.map { text throws(QueryError) in try Query(text) }
            } catch {
                throw BrandRuleError(brand: rule.name, field: "query", error: error)
            }
            compiled.append(entry)
        }
        brands = compiled
    }

    public var isEmpty: Bool { brands.isEmpty }

    /// The brand of a mention with these fields.
    public func brand(text: String, author: String?, source: String?, lang: String?, sourceBrand: String?) -> String? {
        if let sourceBrand { return sourceBrand }
        guard !brands.isEmpty else { return nil }
        let doc = QueryDocument(text: text, author: author, source: source, lang: lang)
        for b in brands {
            if b.keywords?.matches(doc) == true || b.query?.matches(doc) == true { return b.name }
        }
        return brands.count == 1 ? brands[0].name : nil
    }

    /// Whether any brand is configured.
    public var hasBrands: Bool { !brands.isEmpty }

    /// Sets `brand` on each mention (the source's brand, else the matching one).
    public func tag(_ mentions: [Mention], sourceBrand: String?) -> [Mention] {
        guard sourceBrand != nil || !brands.isEmpty else { return mentions }
        return mentions.map { m in
            var m = m
            m.brand = brand(text: m.scoringText, author: m.authorHandle ?? m.authorName, source: m.sourceName, lang: m.language,
                            sourceBrand: sourceBrand)
            return m
        }
    }
}

extension BrandTagger.Compiled {
    init(name: String) { self.init(name: name, keywords: nil, query: nil) }
}

/// A brand's keywords or query that does not parse.
public struct BrandRuleError: Error, Sendable, CustomStringConvertible {
    public var brand: String
    public var field: String
    public var error: QueryError

    public var description: String { "brand '\(brand)': \(field): \(error)" }
}

private extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }

    func replacingQuotes() -> String { String(map { $0 == "\"" ? " " : $0 }) }
}
