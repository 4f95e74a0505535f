/// Attributes of one element as feedparser sees them: lowercased keys, insertion order kept,
/// a later duplicate replacing the earlier value.
struct AttrDict {
    var pairs: [(key: String, value: String)] = []

    init() {}

    init(_ list: [(String, String)]) {
        for (k, v) in list { self[k] = v }
    }

    subscript(key: String) -> String? {
        get {
            for p in pairs where p.key == key { return p.value }
            return nil
        }
        set {
            if let i = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    var isEmpty: Bool { pairs.isEmpty }
    var count: Int { pairs.count }

    mutating func setDefault(_ key: String, _ value: String) {
        if self[key] == nil { self[key] = value }
    }

    func node() -> Node {
        let n = Node(capacity: pairs.count + 1)
        for p in pairs { n.storage[p.key] = .string(p.value) }
        return n
    }
}
