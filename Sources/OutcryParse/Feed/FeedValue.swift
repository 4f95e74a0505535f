/// A value in a parsed feed: the JSON-like tree feedparser's result dictionaries hold.
///
/// Feeds carry open-ended data (any namespace's elements become keys), so the parser keeps
/// feedparser's dictionary shape and offers typed accessors on top.
///
/// ```swift
/// let title = parsed.feed["title"]?.string          // "Example"
/// let href = parsed.entries[0]["links"]?[0]?["href"]?.string
/// ```
public enum FeedValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([FeedValue])
    case object(FeedObject)

    /// The string, when this is a string.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, when this is an integer (or a string holding one).
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .string(let s): return Int(s.trimmingASCIIWhitespace())
        default: return nil
        }
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [FeedValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members as a dictionary, when this is an object.
    public var object: [String: FeedValue]? {
        if case .object(let o) = self { return o.dictionary }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: FeedObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Member of an object, nil otherwise.
    public subscript(key: String) -> FeedValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Element of an array, nil when out of range or not an array.
    public subscript(index: Int) -> FeedValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
}

extension FeedValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

/// Keys and values kept as a short array of pairs, looked up by a linear scan: feed objects
/// hold a handful to twenty keys, where comparing a few short strings is cheaper than
/// hashing, and building a hash table per entry (twice, as the builder used to) is most of
/// the cost of a parse. Keys are unique; a later set replaces the earlier value in place.
struct KeyedPairs<Value> {
    private(set) var pairs: [(key: String, value: Value)] = []
    /// Key → position, built once an object grows past `linearLimit` members, so a hostile
    /// document with thousands of distinct keys in one object stays linear overall.
    private var positions: [String: Int]?

    static var linearLimit: Int { 24 }

    init() {}

    init(capacity: Int) { pairs.reserveCapacity(capacity) }

    @inline(__always)
    func index(of key: String) -> Int? {
        if let positions { return positions[key] }
        let n = key.utf8.count
        var i = 0
        let c = pairs.count
        while i < c {
            if pairs[i].key.utf8.count == n && pairs[i].key == key { return i }
            i += 1
        }
        return nil
    }

    subscript(key: String) -> Value? {
        get {
            guard let i = index(of: key) else { return nil }
            return pairs[i].value
        }
        set {
            if let i = index(of: key) {
                if let newValue {
                    pairs[i].value = newValue
                } else {
                    pairs.remove(at: i)
                    if positions != nil { reindex() }
                }
            } else if let newValue {
                appendNew(key, newValue)
            }
        }
    }

    /// Appends a member whose key the caller knows is not present yet.
    mutating func appendNew(_ key: String, _ value: Value) {
        pairs.append((key, value))
        if positions != nil {
            positions![key] = pairs.count - 1
        } else if pairs.count > Self.linearLimit {
            reindex()
        }
    }

    mutating func removeAll() {
        pairs.removeAll(keepingCapacity: true)
        positions = nil
    }

    private mutating func reindex() {
        guard pairs.count > Self.linearLimit else { positions = nil; return }
        var p: [String: Int] = [:]
        p.reserveCapacity(pairs.count)
        for (i, kv) in pairs.enumerated() { p[kv.key] = i }
        positions = p
    }

    var isEmpty: Bool { pairs.isEmpty }
    var count: Int { pairs.count }

    mutating func reserveCapacity(_ n: Int) { pairs.reserveCapacity(n) }
}

extension KeyedPairs: Sequence {
    func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { pairs.makeIterator() }
}

extension KeyedPairs: Sendable where Value: Sendable {}

/// A feed object (an entry, a link, a detail dictionary): read it like a dictionary
/// (`entry["title"]`); `dictionary` gives one. Equality and hashing ignore member order, as
/// a dictionary's do.
///
/// It is a read-only view of the parser's own node: the parse hands its tree over instead
/// of copying it into a second one, and members are turned into `FeedValue`s when read.
/// Nothing changes a node once the parse that built it has returned, which is what makes
/// sharing it between threads safe.
public struct FeedObject: @unchecked Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    let node: Node

    init(node: Node) { self.node = node }

    public init() { node = Node(capacity: 0) }

    public init(_ dictionary: [String: FeedValue]) {
        let n = Node(capacity: dictionary.count)
        for (k, v) in dictionary { n.storage.appendNew(k, .value(v)) }
        node = n
    }

    public init(dictionaryLiteral elements: (String, FeedValue)...) {
        let n = Node(capacity: elements.count)
        for (k, v) in elements { n.storage[k] = .value(v) }
        node = n
    }

    public subscript(key: String) -> FeedValue? { node.storage[key]?.value }

    public var count: Int { node.storage.count }
    public var isEmpty: Bool { node.storage.isEmpty }
    public var keys: [String] { node.storage.pairs.map(\.key) }

    /// The members as a dictionary.
    public var dictionary: [String: FeedValue] {
        var d: [String: FeedValue] = [:]
        d.reserveCapacity(node.storage.count)
        for (k, v) in node.storage.pairs { d[k] = v.value }
        return d
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: FeedValue)]> {
        node.storage.pairs.map { (key: $0.key, value: $0.value.value) }.makeIterator()
    }

    public static func == (a: FeedObject, b: FeedObject) -> Bool {
        if a.node === b.node { return true }
        guard a.count == b.count else { return false }
        for (k, v) in a.node.storage.pairs where b[k] != v.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }
}

extension FeedObject: Encodable {
    private struct MemberKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: MemberKey.self)
        for (k, v) in node.storage.pairs { try c.encode(v.value, forKey: MemberKey(stringValue: k)) }
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let u = utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end, u[start].isASCIIWhitespace { start = u.index(after: start) }
        while end > start, u[u.index(before: end)].isASCIIWhitespace { end = u.index(before: end) }
        if start == u.startIndex && end == u.endIndex { return self }
        return String(self[start..<end])
    }
}

extension UInt8 {
    @inline(__always) var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 || self == 0x0C || self == 0x0B }
}
