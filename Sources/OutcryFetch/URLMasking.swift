/// URLs as they may be shown and stored: with credentials, secret-looking query values and
/// webhook paths masked.
///
/// - the password of `user:password@` (and a user name given alone, which is usually a token);
/// - the value of every query (and fragment) parameter whose name looks secret: `token`,
///   `access_token`, `key`, `api_key`, `apikey`, `secret`, `client_secret`, `password`, `pwd`,
///   `sig`, `signature`, `X-Amz-Signature`, `auth`, `credential`, `session`…;
/// - the secret part of a webhook path: Slack (`hooks.slack.com/services/…`,
///   `/workflows/…`, `/triggers/…`), Teams and Office 365 connectors (`/webhookb2/…`,
///   `/IncomingWebhook/…`), Mattermost and generic `/hooks/…`, `/webhooks/…`, `/webhook/…`.
///
/// ```swift
/// URLMasking.mask("https://feeds.example.com/x.xml?user=ann&token=s3cr3t")
/// // "https://feeds.example.com/x.xml?user=ann&token=***"
/// URLMasking.mask("https://hooks.slack.com/services/T000/B000/XXXX")
/// // "https://hooks.slack.com/services/***"
/// ```
public enum URLMasking {
    public static let mask = "***"

    /// The URL with its secrets replaced by `***`; text that is not a URL comes back unchanged.
    public static func mask(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.upperBound]
        var rest = Substring(url[schemeEnd.upperBound...])
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            let host = authority[authority.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                authority = "\(userinfo[..<colon]):\(mask)@\(host)"
            } else {
                authority = "\(mask)@\(host)"
            }
        }
        path = maskWebhookPath(path, host: hostPart(authority).lowercased())
        var result = String(scheme) + authority + path
        if let query { result += "?" + maskParameters(query) }
        if let fragment { result += "#" + maskParameters(fragment) }
        return result
    }

    /// The host of a URL (without user info, port or brackets), nil when there is none.
    public static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = hostPart(String(authority))
        return host.isEmpty ? nil : host
    }

    /// Every URL inside a text (`scheme://…` up to the next space, quote or angle bracket) masked.
    public static func maskURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var word = ""
        func flush() {
            result += word.contains("://") ? mask(word) : word
            word = ""
        }
        for character in text {
            if character.isWhitespace || "\"'<>(){}".contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }

    static func hostPart(_ authority: String) -> String {
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[host.index(after: host.startIndex)..<close]) }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return String(host)
    }

    /// Names of query parameters whose values are secrets.
    public static func isSecretName(_ name: String) -> Bool {
        let lower = (name.removingPercentEncoding ?? name).lowercased()
        for fragment in ["token", "secret", "passw", "signature", "credential", "apikey", "api_key", "api-key", "access_key", "accesskey", "session", "auth"]
        where lower.contains(fragment) {
            return true
        }
        let words = lower.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.contains { ["key", "sig", "pwd", "pass", "jwt", "hmac"].contains($0) }
    }

    static func maskParameters(_ text: Substring) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            return isSecretName(String(name)) && pair.index(after: equals) < pair.endIndex ? "\(name)=\(mask)" : String(pair)
        }.joined(separator: "&")
    }

    /// Keeps the path up to the webhook's marker segment and masks the rest.
    static func maskWebhookPath(_ path: String, host: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let markers: Set<String>
        if host == "hooks.slack.com" || host.hasSuffix(".slack.com") {
            markers = ["services", "workflows", "triggers"]
        } else {
            markers = ["webhookb2", "incomingwebhook", "hooks", "webhooks", "webhook"]
        }
        guard let index = segments.firstIndex(where: { markers.contains($0.lowercased()) }), index + 1 < segments.count,
              !segments[(index + 1)...].allSatisfy(\.isEmpty) else { return path }
        return segments[...index].joined(separator: "/") + "/" + mask
    }
}
