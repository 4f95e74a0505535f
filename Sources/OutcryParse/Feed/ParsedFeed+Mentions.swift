import Foundation
import OutcryModel

extension ParsedFeed {
    /// The feed's entries as mentions: a stable key per item (its id/guid, else its link, else
    /// a hash of its content), plain text for scoring and sanitised HTML for display.
    public func mentions(sourceName: String, fetchedAt: Date) -> [Mention] {
        entries.map { entry in
            let title = entry["title"]?.string.map(Self.plainText(ofTitle:))
            let body = Self.body(of: entry)
            let text = body.map { $0.isHTML ? HTMLToText.convert($0.value) : $0.value } ?? ""
            let link = entry["link"]?.string
            let contentHash = StableHash.hex(of: [title ?? "", text, link ?? ""].joined(separator: "\u{1F}"))
            let id = entry["id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            let author = entry["author_detail"]
            return Mention(
                sourceName: sourceName, channel: .feed, key: id ?? link ?? "hash:" + contentHash, url: link,
                title: title, text: text.trimmingCharacters(in: .whitespacesAndNewlines),
                html: body.flatMap { $0.isHTML ? $0.value : nil },
                authorName: author?["name"]?.string ?? entry["author"]?.string,
                authorHandle: author?["href"]?.string,
                authorEmail: author?["email"]?.string,
                publishedAt: Self.date(entry["published_parsed"]) ?? Self.date(entry["updated_parsed"]),
                fetchedAt: fetchedAt,
                language: body?.language ?? feed["language"]?.string,
                contentHash: contentHash
            )
        }
    }

    private struct Body {
        var value: String
        var isHTML: Bool
        var language: String?
    }

    /// The richest body: full content first, then the summary.
    private static func body(of entry: [String: FeedValue]) -> Body? {
        let candidates = (entry["content"]?.array ?? []) + [entry["summary_detail"]].compactMap { $0 }
        for candidate in candidates {
            guard let value = candidate["value"]?.string, !value.isEmpty else { continue }
            let type = candidate["type"]?.string ?? "text/plain"
            return Body(value: value, isHTML: type.contains("html"), language: candidate["language"]?.string)
        }
        if let summary = entry["summary"]?.string, !summary.isEmpty {
            return Body(value: summary, isHTML: summary.contains("<"), language: nil)
        }
        return nil
    }

    private static func plainText(ofTitle title: String) -> String {
        title.contains("<") || title.contains("&") ? HTMLToText.convert(title) : title
    }

    /// feedparser's 9-integer UTC time tuple → Date.
    private static func date(_ value: FeedValue?) -> Date? {
        guard let parts = value?.array?.compactMap(\.int), parts.count >= 6 else { return nil }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        (components.hour, components.minute, components.second) = (parts[3], parts[4], parts[5])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
