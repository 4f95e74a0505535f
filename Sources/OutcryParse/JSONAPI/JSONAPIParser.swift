import Foundation
import OutcryModel

/// Turns a social network's JSON response into mentions, following a ``JSONMapping``.
public enum JSONAPIParser {
    /// Items without an id or text are skipped (and counted), never guessed.
    public struct Result: Sendable {
        public var mentions: [Mention]
        public var skipped: Int
    }

    public static func parse(_ data: [UInt8], mapping: JSONMapping, sourceName: String, fetchedAt: Date) throws(JSONAPIError) -> Result {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        } catch {
            throw JSONAPIError.notJSON(data.isEmpty ? "the body is empty" : "\((error as NSError).localizedDescription)")
        }
        guard let items = try JSONPointer(mapping.items).resolve(in: document) as? [Any] else {
            // An API's own error answer ({"error": "The access token is invalid"}, {"error": 429,
            // "message": "Too Many Requests"}) is reported in its words, not as a missing list.
            if let message = apiErrorMessage(document) { throw JSONAPIError.apiError(message) }
            throw JSONAPIError.noItems(mapping.items)
        }
        var mentions: [Mention] = []
        var skipped = 0
        for item in items {
            guard let mention = try mention(from: item, mapping: mapping, sourceName: sourceName, fetchedAt: fetchedAt) else {
                skipped += 1
                continue
            }
            mentions.append(mention)
        }
        return Result(mentions: mentions, skipped: skipped)
    }

    static func mention(from item: Any, mapping m: JSONMapping, sourceName: String, fetchedAt: Date) throws(JSONAPIError) -> Mention? {
        guard let id = try string(item, m.id), !id.isEmpty else { return nil }
        let raw = try string(item, m.text) ?? ""
        var text = m.textIsHTML ? HTMLEntities.decode(stripTags(raw)) : raw
        var title = try m.title.flatMap { p throws(JSONAPIError) in try string(item, p) }
        if m.unescapeEntities {
            text = unescapeMarkup(text)
            title = title.map(unescapeMarkup)
        }
        guard !text.isEmpty || title?.isEmpty == false else { return nil }
        // A deleted or missing author is unknown, never a person: "[deleted]" is not one account.
        let handleRaw = try m.handle.flatMap { p throws(JSONAPIError) in try string(item, p) }.flatMap(knownAuthor)
        return Mention(
            sourceName: sourceName, channel: .social, key: id,
            url: try url(item, m, handle: handleRaw),
            title: title, text: text, html: m.textIsHTML ? raw : nil,
            authorName: try m.author.flatMap { p throws(JSONAPIError) in try string(item, p) }.flatMap(knownAuthor),
            authorHandle: handleRaw.map { canonicalHandle($0, network: m.network) },
            publishedAt: try m.time.flatMap { p throws(JSONAPIError) in try date(item, p) },
            fetchedAt: fetchedAt,
            language: try m.language.flatMap { p throws(JSONAPIError) in try string(item, p) },
            reach: Reach(
                followers: try m.followers.flatMap { p throws(JSONAPIError) in try int(item, p) },
                likes: try m.likes.flatMap { p throws(JSONAPIError) in try int(item, p) },
                reposts: try m.reposts.flatMap { p throws(JSONAPIError) in try int(item, p) },
                replies: try m.replies.flatMap { p throws(JSONAPIError) in try int(item, p) }
            ),
            inReplyTo: try m.inReplyTo.flatMap { p throws(JSONAPIError) in try string(item, p) }
        )
    }

    /// The first alternative present, as text (numbers are written out).
    static func value(_ item: Any, _ pointers: String) throws(JSONAPIError) -> Any? {
        for alternative in pointers.split(separator: "|", omittingEmptySubsequences: false) {
            if let v = try JSONPointer(String(alternative)).resolve(in: item) {
                if let s = v as? String, s.isEmpty { continue }
                return v
            }
        }
        return nil
    }

    static func string(_ item: Any, _ pointers: String) throws(JSONAPIError) -> String? {
        switch try value(item, pointers) {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func int(_ item: Any, _ pointers: String) throws(JSONAPIError) -> Int? {
        switch try value(item, pointers) {
        case let n as NSNumber: return n.intValue
        case let s as String: return Int(s)
        default: return nil
        }
    }

    /// ISO 8601 (with or without fractions) or UNIX seconds.
    static func date(_ item: Any, _ pointers: String) throws(JSONAPIError) -> Date? {
        switch try value(item, pointers) {
        case let n as NSNumber: return Date(timeIntervalSince1970: n.doubleValue)
        case let s as String:
            if let seconds = Double(s) { return Date(timeIntervalSince1970: seconds) }
            return ISO8601.parse(s)
        default: return nil
        }
    }

    /// The author as given, or nil for the placeholders networks put in place of a deleted or
    /// suspended account.
    static func knownAuthor(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let placeholder = ["", "[deleted]", "[removed]", "[unknown]", "deleted", "u/[deleted]", "@[deleted]"]
        return placeholder.contains(trimmed.lowercased()) ? nil : trimmed
    }

    /// The three escapes Reddit's public JSON puts in titles and text unless asked for `raw_json=1`.
    static func unescapeMarkup(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The message of an API's error answer, when the document is one.
    static func apiErrorMessage(_ document: Any) -> String? {
        guard let object = document as? [String: Any] else { return nil }
        func text(_ v: Any?) -> String? {
            switch v {
            case let s as String where !s.isEmpty: return s
            case let n as NSNumber: return n.stringValue
            case let o as [String: Any]: return text(o["message"]) ?? text(o["error"])
            case let a as [Any]: return a.first.flatMap { text($0) }
            default: return nil
            }
        }
        let error = text(object["error"]) ?? text(object["errors"])
        let message = text(object["message"]) ?? text(object["error_description"]) ?? text(object["detail"])
        switch (error, message) {
        case let (e?, m?) where e != m: return "\(m) (\(e))"
        case let (e?, _): return e
        case let (nil, m?) where object.count <= 3: return m
        default: return nil
        }
    }

    static func url(_ item: Any, _ m: JSONMapping, handle: String?) throws(JSONAPIError) -> String? {
        guard let template = m.url else { return nil }
        if template == "reddit:" {
            // A post or comment's permalink; a comment listing without one still has its link and id.
            if let permalink = try string(item, "/data/permalink") { return "https://www.reddit.com" + permalink }
            if let link = try string(item, "/data/link_id"), let id = try string(item, "/data/id") {
                let post = link.hasPrefix("t3_") ? String(link.dropFirst(3)) : link
                return "https://www.reddit.com/comments/\(post)/_/\(id)/"
            }
            if let id = try string(item, "/data/id") { return "https://www.reddit.com/comments/\(id)/" }
            return nil
        }
        if template == "bluesky:" {
            // at://did:plc:…/app.bsky.feed.post/RKEY → https://bsky.app/profile/HANDLE/post/RKEY
            guard let uri = try string(item, "/uri"), let rkey = uri.split(separator: "/").last else { return nil }
            let who = handle ?? String(uri.dropFirst(5).split(separator: "/").first ?? "")
            return "https://bsky.app/profile/\(who)/post/\(rkey)"
        }
        guard template.contains("{") else { return try string(item, template) }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            guard let v = try string(item, String(rest[rest.index(after: open)..<close])) else { return nil }
            result += v
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func canonicalHandle(_ handle: String, network: String?) -> String {
        let bare = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
        switch network {
        case "mastodon": return "@" + bare.lowercased()
        case "reddit": return "u/" + bare
        case "bluesky": return "@" + bare.lowercased()
        default: return bare
        }
    }

    /// Tags out, block ends as line breaks: enough for the short HTML posts of these APIs.
    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        for ch in html {
            if inTag {
                if ch == ">" {
                    inTag = false
                    let name = tag.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/ ")).prefix { $0.isLetter }
                    if ["p", "br", "div", "li"].contains(String(name)) && !out.hasSuffix("\n") && !out.isEmpty { out += "\n" }
                } else {
                    tag.append(ch)
                }
            } else if ch == "<" {
                inTag = true
                tag = ""
            } else {
                out.append(ch)
            }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// ISO 8601 / RFC 3339 timestamps as the APIs write them, with or without fractional seconds.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return d }
        // "2026-11-22T08:30:00" without a zone: read as UTC.
        if text.count == 19, let d = plain.date(from: text + "Z") { return d }
        return nil
    }
}
