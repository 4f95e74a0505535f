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
    case object([String: FeedValue])

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

    public var object: [String: FeedValue]? {
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
