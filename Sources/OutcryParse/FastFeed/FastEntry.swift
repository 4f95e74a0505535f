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
    /// A summary not yet read (`summary` is then nil): its stripped bytes, read only when the
    /// mention's body comes from it (most entries with a summary also have content).
    var summaryRaw: [UInt8]?
    /// nil: the summary was copied from the content (no `summary_detail`; read as HTML).
    var summaryDetailIsHTML: Bool?
    var content: Field?
    var contentIsHTML = true

    /// Whether the entry has a summary (read or not).
    var hasSummary: Bool { summary != nil || summaryRaw != nil }

    /// Whether the body will come from the summary (the content is missing or empty).
    var needsSummary: Bool { content.map { $0.value.isEmpty } ?? true }

    /// Sets the summary to text to be read later, as HTML or not.
    mutating func deferSummary(_ raw: [UInt8], isHTML: Bool) {
        summary = nil
        summaryRaw = raw
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
/// byte, so a single hash runs at the multiply's latency; here four mentions' chains are
/// interleaved, which the processor runs side by side. The values are the same.
enum ContentHashes {
    static let prime: UInt64 = 0x0000_0100_0000_01B3
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Sets every mention's `contentHash` (FNV-1a of title, text and url joined by U+001F).
    static func fill(_ mentions: inout [Mention]) {
        guard !mentions.isEmpty else { return }
        // Each mention's hashed bytes, one after another; `ends[k]` is where mention k's end.
        var total = 0
        for m in mentions { total += (m.title?.utf8.count ?? 0) + m.text.utf8.count + (m.url?.utf8.count ?? 0) + 2 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var ends: [Int] = []
        ends.reserveCapacity(mentions.count)
        @inline(__always) func add(_ s: String?) {
            guard var s else { return }
            s.withUTF8 { bytes.append(contentsOf: $0) }
        }
        for m in mentions {
            add(m.title)
            bytes.append(0x1F)
            add(m.text)
            bytes.append(0x1F)
            add(m.url)
            ends.append(bytes.count)
        }
        let hashes = bytes.withUnsafeBufferPointer { fnv1a($0, ends: ends) }
        for k in mentions.indices { mentions[k].contentHash = hex(hashes[k]) }
    }

    /// FNV-1a of `p[ends[k-1]..<ends[k]]` for each k (`ends` ascending, the last ≤ `p.count`),
    /// four at a time.
    static func fnv1a(_ p: UnsafeBufferPointer<UInt8>, ends: [Int]) -> [UInt64] {
        let count = ends.count
        var out = [UInt64](repeating: 0, count: count)
        guard count > 0, let last = ends.last, last <= p.count else { return out }
        @inline(__always) func start(_ k: Int) -> Int { k == 0 ? 0 : ends[k - 1] }
        @inline(__always) func serial(_ a: Int, _ b: Int, _ h: UInt64) -> UInt64 {
            var h = h
            var i = a
            while i < b {
                h = (h ^ UInt64(p[i])) &* prime
                i += 1
            }
            return h
        }
        if count < 4 {
            for k in 0..<count { out[k] = serial(start(k), ends[k], offsetBasis) }
            return out
        }
        // Four lanes, each on one mention (`m`), at `i`, up to `e`; a lane that finishes takes
        // the next mention. Every mention has at least its two separators, so each round
        // advances.
        var m0 = 0, m1 = 1, m2 = 2, m3 = 3
        var i0 = start(0), i1 = start(1), i2 = start(2), i3 = start(3)
        var e0 = ends[0], e1 = ends[1], e2 = ends[2], e3 = ends[3]
        var h0 = offsetBasis, h1 = offsetBasis, h2 = offsetBasis, h3 = offsetBasis
        var next = 4
        while true {
            let run = min(min(e0 - i0, e1 - i1), min(e2 - i2, e3 - i3))
            for t in 0..<run {
                h0 = (h0 ^ UInt64(p[i0 + t])) &* prime
                h1 = (h1 ^ UInt64(p[i1 + t])) &* prime
                h2 = (h2 ^ UInt64(p[i2 + t])) &* prime
                h3 = (h3 ^ UInt64(p[i3 + t])) &* prime
            }
            i0 += run; i1 += run; i2 += run; i3 += run
            if next >= count { break }
            if i0 == e0 { out[m0] = h0; m0 = next; i0 = start(next); e0 = ends[next]; h0 = offsetBasis; next += 1 }
            if next < count, i1 == e1 { out[m1] = h1; m1 = next; i1 = start(next); e1 = ends[next]; h1 = offsetBasis; next += 1 }
            if next < count, i2 == e2 { out[m2] = h2; m2 = next; i2 = start(next); e2 = ends[next]; h2 = offsetBasis; next += 1 }
            if next < count, i3 == e3 { out[m3] = h3; m3 = next; i3 = start(next); e3 = ends[next]; h3 = offsetBasis; next += 1 }
        }
        // No mention left to start: each lane finishes its own.
        out[m0] = serial(i0, e0, h0)
        out[m1] = serial(i1, e1, h1)
        out[m2] = serial(i2, e2, h2)
        out[m3] = serial(i3, e3, h3)
        return out
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
