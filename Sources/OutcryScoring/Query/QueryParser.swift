/// Recursive-descent parser for `Query`. Grammar:
///
///     query   := or EOF
///     or      := and ("OR" and)*
///     and     := unary (["AND"] unary)*
///     unary   := "NOT" unary | near
///     near    := primary ("NEAR/" n primary)*
///     primary := "(" or ")" | [field ":"] (word | word* | "phrase")
struct QueryParser {
    enum Tok: Equatable {
        case word(String, prefix: Bool)
        case phrase(String)
        case field(String)
        case lparen, rparen, and, or, not
        case near(Int)
        case end
    }

    private var toks: [(Tok, Int)] = []
    private var pos = 0
    private let text: String
    private var lexError: QueryError?

    init(_ text: String) {
        self.text = text
        do { toks = try Self.lex(text) } catch { lexError = error }
    }

    mutating func parse() throws(QueryError) -> Query.Node {
        if let lexError { throw lexError }
        if peek == .end { throw err("a word, phrase or '('") }
        let node = try parseOr()
        if peek != .end { throw err("AND, OR, NOT, NEAR/n or end of query") }
        return node
    }

    private var peek: Tok { toks[pos].0 }
    private mutating func advance() { if pos < toks.count - 1 { pos += 1 } }

    private func err(_ expected: String) -> QueryError {
        let (tok, at) = toks[pos]
        return QueryError(position: at, expected: expected, found: Self.describe(tok))
    }

    static func describe(_ t: Tok) -> String {
        switch t {
        case let .word(w, p): "'\(w)\(p ? "*" : "")'"
        case let .phrase(p): "\"\(p)\""
        case let .field(f): "'\(f):'"
        case .lparen: "'('"
        case .rparen: "')'"
        case .and: "AND"
        case .or: "OR"
        case .not: "NOT"
        case let .near(n): "NEAR/\(n)"
        case .end: "end of query"
        }
    }

    private mutating func parseOr() throws(QueryError) -> Query.Node {
        var items = [try parseAnd()]
        while peek == .or { advance(); items.append(try parseAnd()) }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseAnd() throws(QueryError) -> Query.Node {
        var items = [try parseUnary()]
        while true {
            if peek == .and { advance(); items.append(try parseUnary()); continue }
            switch peek {
            case .word, .phrase, .field, .lparen, .not: items.append(try parseUnary())
            default: return items.count == 1 ? items[0] : .and(items)
            }
        }
    }

    private mutating func parseUnary() throws(QueryError) -> Query.Node {
        if peek == .not { advance(); return .not(try parseUnary()) }
        return try parseNear()
    }

    private mutating func parseNear() throws(QueryError) -> Query.Node {
        let startPos = pos
        var left = try parsePrimary()
        while case let .near(n) = peek {
            guard case let .term(f, w, p) = left else {
                pos = startPos
                throw err("a word or phrase before NEAR/\(n)")
            }
            advance()
            let right = try parsePrimary()
            guard case let .term(f2, w2, p2) = right else { throw err("a word or phrase after NEAR/\(n)") }
            left = .near(QueryTerm(field: f, words: w, prefix: p), QueryTerm(field: f2, words: w2, prefix: p2), distance: n)
        }
        return left
    }

    private mutating func parsePrimary() throws(QueryError) -> Query.Node {
        switch peek {
        case .lparen:
            advance()
            let inner = try parseOr()
            guard peek == .rparen else { throw err("')'") }
            advance()
            return inner
        case let .field(name):
            guard let field = Query.Field(rawValue: name) else { throw err("a field among author, source, lang, text") }
            advance()
            return try termNode(field)
        case .word, .phrase:
            return try termNode(.text)
        default:
            throw err("a word, phrase or '('")
        }
    }

    private mutating func termNode(_ field: Query.Field) throws(QueryError) -> Query.Node {
        switch peek {
        case let .word(w, prefix):
            advance()
            let words = field == .lang ? [w.lowercased()] : QueryDocument.words(w).map(String.init)
            guard !words.isEmpty else { throw err("a word") }
            return .term(field: field, words: words, prefix: prefix)
        case let .phrase(p):
            advance()
            let words = QueryDocument.words(p).map(String.init)
            guard !words.isEmpty else { throw err("words inside the quotes") }
            return .term(field: field, words: words, prefix: false)
        default:
            throw err("a word or phrase after the field")
        }
    }

    static func lex(_ text: String) throws(QueryError) -> [(Tok, Int)] {
        var out: [(Tok, Int)] = []
        let chars = Array(text)
        var i = 0
        func isBreak(_ c: Character) -> Bool { c.isWhitespace || c == "(" || c == ")" || c == "\"" }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c == "(" { out.append((.lparen, i)); i += 1; continue }
            if c == ")" { out.append((.rparen, i)); i += 1; continue }
            if c == "\"" {
                var j = i + 1
                while j < chars.count && chars[j] != "\"" { j += 1 }
                guard j < chars.count else { throw QueryError(position: i, expected: "a closing '\"'", found: "end of query") }
                out.append((.phrase(String(chars[(i + 1)..<j])), start))
                i = j + 1
                continue
            }
            var j = i
            while j < chars.count && !isBreak(chars[j]) && chars[j] != ":" { j += 1 }
            let word = String(chars[i..<j])
            if j < chars.count && chars[j] == ":" && !word.isEmpty {
                out.append((.field(word.lowercased()), start))
                i = j + 1
                continue
            }
            while j < chars.count && !isBreak(chars[j]) { j += 1 }
            let full = String(chars[i..<j])
            i = j
            switch full {
            case "AND", "&&": out.append((.and, start))
            case "OR", "||": out.append((.or, start))
            case "NOT": out.append((.not, start))
            default:
                if full.hasPrefix("NEAR/") {
                    guard let n = Int(full.dropFirst(5)), n >= 0 else {
                        throw QueryError(position: start + 5, expected: "a distance after NEAR/ (e.g. NEAR/3)", found: "'\(full.dropFirst(5))'")
                    }
                    out.append((.near(n), start))
                } else if full.hasSuffix("*") {
                    let stem = String(full.dropLast())
                    guard !stem.isEmpty, !stem.contains("*") else {
                        throw QueryError(position: start, expected: "letters before a trailing '*'", found: "'\(full)'")
                    }
                    out.append((.word(stem, prefix: true), start))
                } else if full.contains("*") {
                    throw QueryError(position: start + (full.firstIndex(of: "*").map { full.distance(from: full.startIndex, to: $0) } ?? 0),
                                     expected: "'*' only at the end of a word", found: "'\(full)'")
                } else {
                    out.append((.word(full, prefix: false), start))
                }
            }
        }
        out.append((.end, chars.count))
        return out
    }
}
