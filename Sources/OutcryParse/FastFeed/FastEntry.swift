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

    /// The entry's mention; its strings move into it, leaving the entry spent.
    mutating func takeMention(sourceName: String, fetchedAt: Date, language: String?) -> Mention {
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
        let hash = Entry.contentHash(title: title, text: text, url: url)
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

extension String {
    var orNilIfEmpty: String? { isEmpty ? nil : self }
}
