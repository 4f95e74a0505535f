import Foundation
import OutcryModel

extension ParsedFeed {
    /// The feed's entries as mentions for the pipeline.
    ///
    /// The key is the entry's id (guid), else its link, else a hash of its content, so a
    /// re-fetched item maps to the same mention. `text` is the plain text of the content (or
    /// summary), `html` the sanitised markup when the entry had HTML.
    ///
    /// ```swift
    /// let mentions = parsed.mentions(sourceName: "status-blog", fetchedAt: Date())
    /// ```
    public func mentions(sourceName: String, fetchedAt: Date) -> [Mention] {
        let feedLanguage = feed["language"]?.string
        return entries.map { entry in
            let link = entry["link"]?.string?.nonEmpty
            let (html, text) = Self.body(of: entry)
            let title = entry["title"]?.string.map { value -> String in
                let type = entry["title_detail"]?["type"]?.string ?? "text/plain"
                return type.contains("html") ? HTMLToText.convert(value) : value
            }?.nonEmpty
            let key: String
            if let id = entry["id"]?.string?.nonEmpty {
                key = id
            } else if let link {
                key = link
            } else {
                key = "sha:" + StableHash.hex(of: [title ?? "", text, html ?? ""].joined(separator: "\u{1F}"))
            }
            let detail = entry["author_detail"]
            let published = entry["published"]?.string ?? entry["updated"]?.string
            let language = entry["content"]?[0]?["language"]?.string ?? entry["summary_detail"]?["language"]?.string
            return Mention(
                sourceName: sourceName, channel: .feed, key: key, url: link, title: title, text: text, html: html,
                authorName: detail?["name"]?.string?.nonEmpty ?? entry["author"]?.string?.nonEmpty,
                authorHandle: detail?["href"]?.string?.nonEmpty,
                authorEmail: detail?["email"]?.string?.nonEmpty,
                publishedAt: FeedDate.date(published), fetchedAt: fetchedAt,
                language: language ?? feedLanguage)
        }
    }

    private static func body(of entry: FeedObject) -> (html: String?, text: String) {
        var value: String?
        var type = "text/plain"
        if let content = entry["content"]?[0], let v = content["value"]?.string, !v.isEmpty {
            value = v
            type = content["type"]?.string ?? "text/plain"
        } else if let v = entry["summary"]?.string {
            value = v
            type = entry["summary_detail"]?["type"]?.string ?? "text/html"
        }
        guard let value else { return (nil, "") }
        if type.contains("html") { return (value, HTMLToText.convert(value)) }
        return (nil, value)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
