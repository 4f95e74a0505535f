/// The element names the fast path knows, interned: a name's bytes map to a small integer
/// through an open-addressed table, so a tag costs one hash and one byte comparison instead of
/// a chain of string comparisons. Names are matched lowercased, as the general parser files
/// them; prefixed names in their canonical `prefix:local` form.
enum FastElement: UInt8 {
    case unknown
    // RSS
    case rss, channel, item, title, link, description, guid, pubdate, author, category, comments, enclosure
    case language, ttl, image, textinput, skiphours, skipdays, url, width, height, name, hour, day
    case lastbuilddate, generator, copyright, managingeditor, webmaster, docs, cloud, rating
    case contentEncoded, dcCreator, dcDate, slashComments, wfwCommentRSS, wfwComment
    case syUpdatePeriod, syUpdateFrequency, syUpdateBase
    // Atom
    case feed, entry, id, updated, published, summary, content, email, uri, contributor, rights, subtitle
    case icon, logo, source
    /// An element in a namespace the general parser knows but this table does not list
    /// (`media:thumbnail`, `itunes:author`): the reader looks its handler up in `handlers`.
    case namespaced
    /// An element in a namespace the general parser does not know: filed under a key
    /// (`prefix_local`) that nothing reads when the prefix is not one it knows either.
    case foreign

    static let names: [(String, FastElement)] = [
        ("rss", .rss), ("channel", .channel), ("item", .item), ("title", .title), ("link", .link),
        ("description", .description), ("guid", .guid), ("pubdate", .pubdate), ("author", .author),
        ("category", .category), ("comments", .comments), ("enclosure", .enclosure), ("language", .language),
        ("ttl", .ttl), ("image", .image), ("textinput", .textinput), ("skiphours", .skiphours), ("skipdays", .skipdays),
        ("url", .url), ("width", .width), ("height", .height), ("name", .name), ("hour", .hour), ("day", .day),
        ("lastbuilddate", .lastbuilddate), ("generator", .generator), ("copyright", .copyright),
        ("managingeditor", .managingeditor), ("webmaster", .webmaster), ("docs", .docs), ("cloud", .cloud),
        ("rating", .rating), ("content:encoded", .contentEncoded), ("dc:creator", .dcCreator), ("dc:date", .dcDate),
        ("slash:comments", .slashComments), ("wfw:commentrss", .wfwCommentRSS), ("wfw:comment", .wfwComment),
        ("sy:updateperiod", .syUpdatePeriod), ("sy:updatefrequency", .syUpdateFrequency), ("sy:updatebase", .syUpdateBase),
        ("feed", .feed), ("entry", .entry), ("id", .id), ("updated", .updated), ("published", .published),
        ("summary", .summary), ("content", .content), ("email", .email), ("uri", .uri), ("contributor", .contributor),
        ("rights", .rights), ("subtitle", .subtitle), ("icon", .icon), ("logo", .logo),
        ("source", .source),
    ]

    static let table = NameTable(names)

    /// The element for `prefix` (canonical, may be empty) and the local name bytes.
    static func lookup(prefix: String, local: UnsafeBufferPointer<UInt8>) -> FastElement {
        if prefix.isEmpty { return lookup(local) }
        var name = Array(prefix.utf8)
        name.append(UInt8(ascii: ":"))
        name.append(contentsOf: local)
        return name.withUnsafeBufferPointer { lookup($0) }
    }

    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> FastElement { table.lookup(name) ?? .unknown }

    /// The general parser's handlers for prefixed names, as `prefix:local` (lowercase; names
    /// longer than `NameTable`'s 24 bytes are left out, and the reader declines those).
    static let handlers = NameTable<Handler>(Handler.byName.compactMap { key, handler in
        guard let underscore = key.firstIndex(of: "_"), key.utf8.count <= 24 else { return nil }
        return (key[..<underscore] + ":" + key[key.index(after: underscore)...], handler)
    })
}

/// An open-addressed table from short ASCII names (matched case-insensitively, or exactly) to
/// values. Built once into memory that is never freed or changed, so a lookup reads plain
/// memory: no reference counting, no closures.
struct NameTable<Value>: @unchecked Sendable where Value: Sendable {
    static var slotCount: Int { 256 }
    /// Per slot: where its name starts in `bytes` and its length (0: free slot).
    private let starts: UnsafeMutablePointer<Int32>
    private let lengths: UnsafeMutablePointer<UInt8>
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Per slot: its value (nil: free slot). Like the names, never freed or changed.
    private let values: UnsafeMutablePointer<Value?>
    /// Whether ASCII case is ignored (element names) or not (JSON keys).
    let foldCase: Bool

    init(_ names: [(String, Value)], foldCase: Bool = true) {
        self.foldCase = foldCase
        starts = .allocate(capacity: Self.slotCount)
        starts.initialize(repeating: 0, count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
        let total = names.reduce(0) { $0 + $1.0.utf8.count }
        bytes = .allocate(capacity: max(total, 1))
        values = .allocate(capacity: Self.slotCount)
        values.initialize(repeating: nil, count: Self.slotCount)
        var used = 0
        for (name, value) in names {
            let b = Array(name.utf8)
            var k = b.withUnsafeBufferPointer { Int(NameTable.hash($0, foldCase: foldCase) & UInt32(Self.slotCount - 1)) }
            while lengths[k] != 0 { k = (k + 1) & (Self.slotCount - 1) }
            starts[k] = Int32(used)
            lengths[k] = UInt8(b.count)
            values[k] = value
            for byte in b {
                bytes[used] = byte
                used += 1
            }
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    /// A hash of the length and the first and last two bytes (case-folded when `foldCase`):
    /// the names differ enough there, and a collision only costs a probe.
    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> UInt32 {
        let n = bytes.count
        guard n > 0 else { return 0 }
        @inline(__always) func at(_ k: Int) -> UInt32 { UInt32(foldCase ? lower(bytes[k]) : bytes[k]) }
        var h = UInt32(n) &* 0x9E37_79B1
        h = (h ^ at(0)) &* 16_777_619
        h = (h ^ at(n - 1)) &* 16_777_619
        if n > 2 { h = (h ^ at(1)) &* 16_777_619 }
        if n > 3 { h = (h ^ at(n - 2)) &* 16_777_619 }
        return h ^ (h >> 16)
    }

    func lookup(_ name: UnsafeBufferPointer<UInt8>) -> Value? {
        guard name.count <= 24, !name.isEmpty else { return nil }
        let fold = foldCase
        let count = name.count
        var k = Int(NameTable.hash(name, foldCase: fold) & UInt32(Self.slotCount - 1))
        while true {
            let length = Int(lengths[k])
            if length == 0 { return nil }
            if length == count {
                let start = bytes + Int(starts[k])
                // Names are mostly written in lowercase: the plain bytes first.
                var i = 0
                while i < count, name[i] == start[i] { i += 1 }
                if fold && i < count {
                    while i < count, NameTable.lower(name[i]) == start[i] { i += 1 }
                }
                if i == count { return values[k] }
            }
            k = (k + 1) & (Self.slotCount - 1)
        }
    }
}
