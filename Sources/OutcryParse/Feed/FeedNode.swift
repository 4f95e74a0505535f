/// Mutable dictionary tree the feed builder fills in, with feedparser's reference semantics
/// (a context dictionary is updated in place). Turned into `FeedValue` at the end.
final class Node {
    var storage: KeyedPairs<Item>

    /// Room for a few members: most nodes (authors, links, tags, details) hold two to five.
    init() { storage = KeyedPairs(capacity: 4) }

    /// An empty node with room for `capacity` keys, so it is not rehashed while it fills up.
    init(capacity: Int) {
        storage = KeyedPairs(capacity: capacity)
    }

    init(_ pairs: [(String, Item)]) {
        storage = KeyedPairs(capacity: pairs.count)
        for (k, v) in pairs { storage[k] = v }
    }

    /// feedparser's FeedParserDict maps some legacy keys when storing.
    static func canonicalKey(_ key: String) -> String {
        // Only keys with a legacy key's first letter and length reach the string switch.
        let n = key.utf8.count
        switch key.utf8.first {
        case UInt8(ascii: "c"): guard n == 7 || n == 9 || n == 16 else { return key }
        case UInt8(ascii: "d"): guard n == 4 || n == 11 || n == 18 else { return key }
        case UInt8(ascii: "g"): guard n == 4 else { return key }
        case UInt8(ascii: "i"): guard n == 5 || n == 6 || n == 13 else { return key }
        case UInt8(ascii: "m"): guard n == 8 || n == 15 else { return key }
        case UInt8(ascii: "t"): guard n == 7 || n == 14 else { return key }
        case UInt8(ascii: "u"): guard n == 3 else { return key }
        default: return key
        }
        switch key {
        case "channel": return "feed"
        case "items": return "entries"
        case "guid": return "id"
        case "date", "modified": return "updated"
        case "date_parsed", "modified_parsed": return "updated_parsed"
        case "description": return "summary"
        case "description_detail": return "summary_detail"
        case "url": return "href"
        case "issued": return "published"
        case "issued_parsed": return "published_parsed"
        case "copyright": return "rights"
        case "copyright_detail": return "rights_detail"
        case "tagline": return "subtitle"
        case "tagline_detail": return "subtitle_detail"
        default: return key
        }
    }

    subscript(key: String) -> Item? {
        get { storage[key] }
        set { storage[Node.canonicalKey(key)] = newValue }
    }

    func has(_ key: String) -> Bool { storage[key] != nil }

    func string(_ key: String) -> String? {
        if case .string(let s)? = storage[key] { return s }
        return nil
    }

    func node(_ key: String) -> Node? {
        if case .dict(let n)? = storage[key] { return n }
        return nil
    }

    func list(_ key: String) -> NodeList? {
        if case .list(let l)? = storage[key] { return l }
        return nil
    }

    /// Returns the list stored under `key`, creating it when absent.
    func listDefault(_ key: String) -> NodeList {
        if let l = list(key) { return l }
        let l = NodeList()
        self[key] = .list(l)
        return l
    }

    /// Returns the dictionary stored under `key`, creating it when absent.
    func nodeDefault(_ key: String) -> Node {
        if let n = node(key) { return n }
        if storage[key] != nil { return Node() }
        let n = Node()
        self[key] = .dict(n)
        return n
    }

    func setDefault(_ key: String, _ value: Item) {
        if storage[Node.canonicalKey(key)] == nil { self[key] = value }
    }

    func remove(_ key: String) { storage[key] = nil }

    var isEmpty: Bool { storage.isEmpty }

    func deepCopy() -> Node {
        let n = Node()
        for (k, v) in storage { n.storage[k] = v.deepCopy() }
        return n
    }

    var value: FeedValue { .object(FeedObject(node: self)) }

    /// The node as a result object: a view of this node, nothing copied. The node must not
    /// change any more.
    var objectValue: FeedObject { FeedObject(node: self) }

    var object: [String: FeedValue] {
        var d: [String: FeedValue] = [:]
        d.reserveCapacity(storage.count)
        for (k, v) in storage.pairs { d[k] = v.value }
        return d
    }
}

final class NodeList {
    var items: [Item] = []
    init() {}
    init(_ items: [Item]) { self.items = items }

    var lastNode: Node? {
        if case .dict(let n)? = items.last { return n }
        return nil
    }
}

enum Item {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case dict(Node)
    case list(NodeList)
    /// A finished value nothing changes in place any more (a date tuple).
    case value(FeedValue)

    static func optional(_ s: String?) -> Item {
        if let s { return .string(s) }
        return .null
    }

    static func date(_ parts: [Int]?) -> Item {
        guard let parts else { return .null }
        return .value(.array(parts.map { .int($0) }))
    }

    func deepCopy() -> Item {
        switch self {
        case .dict(let n): return .dict(n.deepCopy())
        case .list(let l): return .list(NodeList(l.items.map { $0.deepCopy() }))
        default: return self
        }
    }

    var value: FeedValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .dict(let n): return n.value
        case .list(let l): return .array(l.items.map(\.value))
        case .value(let v): return v
        }
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
