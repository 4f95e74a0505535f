import Foundation
import OutcryModel

/// A text construct's value as the general path stores it, with its plain text when known.
struct Field {
    var value: String
    /// The plain text of `value` read as HTML, when known.
    var text: String?

    func htmlText() -> String { text ?? HTMLToText.convert(value) }
}

/// One entry's kept fields, as the general path would hand them to `mentions(…)`, and the
/// mention made from them.
struct Entry {
    var title: String?
    var link: String?
    var id: String?
    var published: Date?
    var updated: Date?
    var sawTitle = false, sawLink = false, sawPublished = false, sawUpdated = false, sawAuthor = false, sawSummary = false
    /// An RSS `<source>` came: the general parser forgets the title's depth there.
    var sawSource = false
    var authorName: String?
    var authorEmail: String?
    var authorHandle: String?
    var summary: Field?
    /// A summary not yet read (`summary` is then nil): its stripped bytes wait in the reader's
    /// `summaryBytes`, read only when the mention's body comes from it (most entries with a
    /// summary also have content).
    var summaryDeferred = false
    /// nil: the summary was copied from the content (no `summary_detail`; read as HTML).
    var summaryDetailIsHTML: Bool?
    var content: Field?
    var contentIsHTML = true

    /// Whether the entry has a summary (read or not).
    var hasSummary: Bool { summary != nil || summaryDeferred }

    /// Whether the body will come from the summary (the content is missing or empty).
    var needsSummary: Bool { content.map { $0.value.isEmpty } ?? true }

    /// Sets the summary to text to be read later (the caller keeps its bytes), as HTML or not.
    mutating func deferSummary(isHTML: Bool) {
        summary = nil
        summaryDeferred = true
        summaryDetailIsHTML = isHTML
    }

    mutating func setContent(_ f: Field, isHTML: Bool = true) {
        content = f
        contentIsHTML = isHTML
        if !hasSummary {
            summary = Field(value: f.value, text: nil)
            summaryDetailIsHTML = nil
        }
    }

    /// The body as `mentions(…)` picks it (content, else summary), moved out of the entry.
    mutating func takeBody() -> (html: String?, text: String) {
        if content.map({ !$0.value.isEmpty }) == true, var c = content.take() {
            if !contentIsHTML { return (nil, c.value) }
            let text = c.text.take() ?? HTMLToText.convert(c.value)
            return (c.value, text)
        }
        guard var s = summary.take() else { return (nil, "") }
        if summaryDetailIsHTML ?? true {
            let text = s.text.take() ?? HTMLToText.convert(s.value)
            return (s.value, text)
        }
        return (nil, s.value)
    }

    /// The entry's mention; its strings move into it, leaving the entry spent. With
    /// `hashLater`, its `contentHash` is left empty for `ContentHashes.fill` to set.
    mutating func takeMention(sourceName: String, fetchedAt: Date, language: String?, hashLater: Bool = false) -> Mention {
        let (html, text) = takeBody()
        let url = link.take()?.orNilIfEmpty
        let key: String
        if let id = id.take()?.orNilIfEmpty {
            key = id
        } else if let url {
            key = url
        } else {
            key = "sha:" + StableHash.hex(of: [title ?? "", text, html ?? ""].joined(separator: "\u{1F}"))
        }
        let hash = hashLater ? "" : Entry.contentHash(title: title, text: text, url: url)
        return Mention(
            sourceName: sourceName, channel: .feed, key: key, url: url, title: title.take(), text: text, html: html,
            authorName: authorName.take(), authorHandle: authorHandle.take(), authorEmail: authorEmail.take(),
            publishedAt: sawPublished ? published : updated, fetchedAt: fetchedAt, language: language,
            contentHash: hash)
    }

    /// `Mention`'s default content hash (FNV-1a of title, text and url joined by U+001F),
    /// computed over the strings' contiguous UTF-8 without building the joined string.
    static func contentHash(title: String?, text: String, url: String?) -> String {
        @inline(__always) func add(_ s: String?, to hash: UInt64) -> UInt64 {
            guard var s else { return hash }
            return s.withUTF8 { b in
                var h = hash
                for byte in b {
                    h ^= UInt64(byte)
                    h &*= 0x0000_0100_0000_01B3
                }
                return h
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = add(title, to: hash)
        hash ^= 0x1F
        hash &*= 0x0000_0100_0000_01B3
        hash = add(text, to: hash)
        hash ^= 0x1F
        hash &*= 0x0000_0100_0000_01B3
        hash = add(url, to: hash)
        return String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for k in 0..<16 { out[k] = digits.utf8Start[Int((hash >> UInt64(60 - 4 * k)) & 0xF)] }
            return 16
        }
    }
}

/// `Entry.contentHash` for a feed's mentions at once. FNV-1a is one chain of multiplies a
/// byte, so a single hash runs at the multiply's latency; here the texts (most of the bytes)
/// of four mentions of about the same length are hashed side by side, four chains the
/// processor runs at once. The values are the same.
enum ContentHashes {
    static let prime: UInt64 = 0x0000_0100_0000_01B3
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func serial(_ p: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> UInt64 {
        var h = h
        for byte in p { h = (h ^ UInt64(byte)) &* prime }
        return h
    }

    @inline(__always)
    static func serial(_ s: String?, _ h: UInt64) -> UInt64 {
        guard let s else { return h }
        if let v = s.utf8.withContiguousStorageIfAvailable({ serial($0, h) }) { return v }
        var h = h
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* prime }
        return h
    }

    /// Sets every mention's `contentHash` (FNV-1a of title, text and url joined by U+001F).
    static func fill(_ mentions: inout [Mention]) {
        let count = mentions.count
        guard count > 0 else { return }
        // Through the buffer, a mention's field is read in place (the array's subscript copied
        // the whole mention, retaining each of its strings).
        mentions.withUnsafeMutableBufferPointer { m in
            var states = [UInt64](repeating: offsetBasis, count: count)
            // Titles, four mentions at a time in their order, then the separator.
            var order = Array(0..<count)
            each(order, &states) { m[$0].title }
            for k in 0..<count { states[k] = (states[k] ^ 0x1F) &* prime }
            // The texts, four of similar length at a time.
            if count >= 4 {
                var lengths = [Int](repeating: 0, count: count)
                for k in 0..<count { lengths[k] = m[k].text.utf8.count }
                order.sort { lengths[$0] < lengths[$1] }
            }
            each(order, &states) { m[$0].text }
            for k in 0..<count { states[k] = (states[k] ^ 0x1F) &* prime }
            order = Array(0..<count)
            each(order, &states) { m[$0].url }
            for k in 0..<count { m[k].contentHash = hex(states[k]) }
        }
    }

    /// Every `states[k]` carried on over `field(k)`'s UTF-8, for the k in `order`, four side
    /// by side.
    @inline(__always)
    static func each(_ order: [Int], _ states: inout [UInt64], _ field: (Int) -> String?) {
        let count = order.count
        var g = 0
        while g + 4 <= count {
            let a = order[g], b = order[g + 1], c = order[g + 2], d = order[g + 3]
            var four: (UInt64, UInt64, UInt64, UInt64)?
            let h = (states[a], states[b], states[c], states[d])
            _ = (field(a) ?? "").utf8.withContiguousStorageIfAvailable { pa in
                (field(b) ?? "").utf8.withContiguousStorageIfAvailable { pb in
                    (field(c) ?? "").utf8.withContiguousStorageIfAvailable { pc in
                        (field(d) ?? "").utf8.withContiguousStorageIfAvailable { pd in
                            four = fnv1a4(pa, pb, pc, pd, h)
                        }
                    }
                }
            }
            if let four {
                states[a] = four.0; states[b] = four.1; states[c] = four.2; states[d] = four.3
            } else {
                for k in [a, b, c, d] { states[k] = serial(field(k), states[k]) }
            }
            g += 4
        }
        while g < count {
            let k = order[g]
            states[k] = serial(field(k), states[k])
            g += 1
        }
    }

    /// Four FNV-1a chains from the states `h` over `a`, `b`, `c`, `d`: side by side over the
    /// length they share, then each on its own.
    static func fnv1a4(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ c: UnsafeBufferPointer<UInt8>,
        _ d: UnsafeBufferPointer<UInt8>, _ h: (UInt64, UInt64, UInt64, UInt64)
    ) -> (UInt64, UInt64, UInt64, UInt64) {
        var (h0, h1, h2, h3) = h
        let run = min(min(a.count, b.count), min(c.count, d.count))
        for t in 0..<run {
            h0 = (h0 ^ UInt64(a[t])) &* prime
            h1 = (h1 ^ UInt64(b[t])) &* prime
            h2 = (h2 ^ UInt64(c[t])) &* prime
            h3 = (h3 ^ UInt64(d[t])) &* prime
        }
        h0 = serial(UnsafeBufferPointer(rebasing: a[run...]), h0)
        h1 = serial(UnsafeBufferPointer(rebasing: b[run...]), h1)
        h2 = serial(UnsafeBufferPointer(rebasing: c[run...]), h2)
        h3 = serial(UnsafeBufferPointer(rebasing: d[run...]), h3)
        return (h0, h1, h2, h3)
    }

    /// Sixteen lowercase hex digits.
    static func hex(_ hash: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for k in 0..<16 { out[k] = digits.utf8Start[Int((hash >> UInt64(60 - 4 * k)) & 0xF)] }
            return 16
        }
    }
}

extension String {
    var orNilIfEmpty: String? { isEmpty ? nil : self }
}
