import OutcryModel

/// Canonical social handles: lowercase, no `@`, no URL.
///
/// ```swift
/// HandleNormalizer.normalize("https://x.com/AdaL?s=20", network: nil)   // x: "adal"
/// HandleNormalizer.normalize("@Ada@Mastodon.Social", network: nil)      // mastodon: "ada@mastodon.social"
/// HandleNormalizer.normalize("/u/Ada_L", network: nil)                  // reddit: "ada_l"
/// HandleNormalizer.normalize("ada", network: .bluesky)                  // bluesky: "ada.bsky.social"
/// ```
public enum HandleNormalizer {
    /// The canonical handle, or nil when the text is not a valid handle on the network.
    /// With `network` nil, the network is read from the form (URL host, `@user@instance`,
    /// `u/name`, `*.bsky.social`); a bare name with no network is nil.
    public static func normalize(_ raw: String, network: SocialNetwork?) -> SocialHandle? {
        prepare(raw).flatMap { resolve($0, network: network) }
    }

    /// The handles a raw handle may be: on its given or evident network, else (with no network
    /// given) on each network where it is valid. The text is read once for all networks.
    public static func candidates(_ raw: String, network: SocialNetwork?) -> [SocialHandle] {
        guard let prepared = prepare(raw) else { return [] }
        if let handle = resolve(prepared, network: network) { return [handle] }
        guard network == nil else { return [] }
        return SocialNetwork.allCases.compactMap { resolve(prepared, network: $0) }
    }

    /// A raw handle trimmed and lowercased, with its URL parts when it is a URL.
    private struct Prepared {
        var text: String
        var url: (host: String, path: String)?
    }

    private static func prepare(_ raw: String) -> Prepared? {
        let text = raw.trimmedSpace.lowercased()
        guard !text.isEmpty, text.utf8.count <= 300 else { return nil }
        return Prepared(text: text, url: urlParts(text))
    }

    private static func resolve(_ prepared: Prepared, network: SocialNetwork?) -> SocialHandle? {
        var text = prepared.text
        var inferred = network

        if let url = prepared.url {
            guard let fromHost = networkForHost(url.host, path: url.path) else { return nil }
            if let network, network != fromHost { return nil }
            inferred = fromHost
            text = handleFromPath(url.path, host: url.host, network: fromHost) ?? ""
        } else if inferred == nil {
            inferred = networkFromForm(text)
        }
        guard let target = inferred else { return nil }

        switch target {
        case .x:
            let name = strippingAt(text)
            return valid(name, maxLength: 15, extra: "_") ? SocialHandle(network: .x, handle: name) : nil
        case .instagram:
            let name = strippingAt(text)
            return valid(name, maxLength: 30, extra: "._") ? SocialHandle(network: .instagram, handle: name) : nil
        case .tiktok:
            let name = strippingAt(text)
            return valid(name, maxLength: 24, extra: "._") ? SocialHandle(network: .tiktok, handle: name) : nil
        case .reddit:
            var name = text
            for prefix in ["/u/", "u/", "/user/", "user/"] where name.hasPrefix(prefix) {
                name.removeFirst(prefix.count)
                break
            }
            name = strippingAt(name)
            return valid(name, maxLength: 20, extra: "_-") && name.utf8.count >= 3 ? SocialHandle(network: .reddit, handle: name) : nil
        case .mastodon:
            guard text.utf8.contains(UInt8(ascii: "@")) else { return nil }
            let parts = strippingAt(text).split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, valid(String(parts[0]), maxLength: 64, extra: "_."), isDomain(String(parts[1])) else { return nil }
            return SocialHandle(network: .mastodon, handle: "\(parts[0])@\(parts[1])")
        case .bluesky:
            var name = strippingAt(text)
            // What `isDomain` refuses anyway, refused before any copy (most bare names tried on
            // every network have an underscore).
            guard name.utf8.allSatisfy({ ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 >= 0x80 })
            else { return nil }
            if !name.utf8.contains(UInt8(ascii: ".")) { name += ".bsky.social" }
            return isDomain(name) ? SocialHandle(network: .bluesky, handle: name) : nil
        }
    }

    /// The network a handle's own form names, without a URL: `user@instance` is Mastodon,
    /// `u/name` is Reddit, a domain handle is Bluesky.
    static func networkFromForm(_ text: String) -> SocialNetwork? {
        let bare = strippingAt(text)
        if bare.utf8.contains(UInt8(ascii: "@")) { return .mastodon }
        if text.hasPrefix("u/") || text.hasPrefix("/u/") { return .reddit }
        if bare.hasSuffix(".bsky.social") || (bare.utf8.contains(UInt8(ascii: ".")) && isDomain(bare) && text.hasPrefix("@")) { return .bluesky }
        return nil
    }

    private static func strippingAt(_ text: String) -> String {
        text.hasPrefix("@") ? String(text.dropFirst()) : text
    }

    private static func valid(_ name: String, maxLength: Int, extra: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxLength
            && name.utf8.allSatisfy { ASCII.isAlphanumeric($0) || extra.utf8.contains($0) }
    }

    private static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 >= 0x80 }
        } && labels.last!.utf8.contains { ASCII.isLetter($0) || $0 >= 0x80 }
    }

    private static func urlParts(_ text: String) -> (host: String, path: String)? {
        // Every form below has a slash.
        guard text.utf8.contains(UInt8(ascii: "/")) else { return nil }
        var rest = Substring(text)
        if rest.hasPrefix("https://") { rest = rest.dropFirst(8) } else if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        else {
            // Scheme-less URLs of known networks (`x.com/ada`, `www.instagram.com/ada`).
            guard let slash = rest.firstIndex(of: "/"), !rest.hasPrefix("/"), !rest.hasPrefix("u/"),
                  !rest[..<slash].utf8.contains(UInt8(ascii: "@")), rest[..<slash].utf8.contains(UInt8(ascii: ".")) else { return nil }
        }
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var host = String(rest[..<hostEnd])
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = rest[hostEnd...]
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        return (host, String(path))
    }

    private static func networkForHost(_ host: String, path: String) -> SocialNetwork? {
        switch host {
        case "twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com": return .x
        case "reddit.com", "old.reddit.com", "new.reddit.com", "np.reddit.com": return .reddit
        case "bsky.app", "staging.bsky.app": return .bluesky
        case "instagram.com": return .instagram
        case "tiktok.com", "m.tiktok.com": return .tiktok
        default:
            // Any other host with `/@user` is taken as a Mastodon (or other fediverse) instance.
            return path.hasPrefix("/@") && isDomain(host) ? .mastodon : nil
        }
    }

    private static func handleFromPath(_ path: String, host: String, network: SocialNetwork) -> String? {
        let segments = path.split(separator: "/").map(String.init)
        switch network {
        case .x, .instagram:
            return segments.first.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        case .tiktok:
            return segments.first { $0.hasPrefix("@") }
        case .reddit:
            guard segments.count >= 2, segments[0] == "user" || segments[0] == "u" else { return nil }
            return segments[1]
        case .bluesky:
            guard segments.count >= 2, segments[0] == "profile" else { return nil }
            return segments[1]
        case .mastodon:
            guard let first = segments.first, first.hasPrefix("@") else { return nil }
            let user = first.dropFirst()
            return user.utf8.contains(UInt8(ascii: "@")) ? String(user) : "\(user)@\(host)"
        }
    }
}
