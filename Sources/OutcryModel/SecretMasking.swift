import Foundation

/// Masks the secrets a URL can carry, so URLs can be shown, logged and stored in error texts:
///
/// - a password in the user info (`smtp://alerts:s3cret@mail` → `smtp://alerts:***@mail`);
/// - the values of secret-like query and fragment parameters (`token`, `key`, `secret`,
///   `password`, `passwd`, `sig`, `signature`, `access_token`, `api_key`, `auth`, and names that
///   end in them, such as `private_token` or `X-Amz-Signature`);
/// - the secret path of chat webhooks: Slack (`hooks.slack.com/services/…`), Teams
///   (`*.webhook.office.com/…`), Mattermost and other `/hooks/…`, Discord `/api/webhooks/…`.
///
/// ```swift
/// SecretMasking.maskURL("https://feeds.example.org/rss?token=abc&page=2")
/// // "https://feeds.example.org/rss?token=***&page=2"
/// SecretMasking.maskSecrets(inText: "HTTP 404 from https://hooks.slack.com/services/T0/B0/XYZ")
/// // "HTTP 404 from https://hooks.slack.com/services/***"
/// ```
public enum SecretMasking {
    /// What a masked value is replaced with.
    public static let mask = "***"

    static let secretNames: Set<String> = [
        "token", "key", "secret", "password", "passwd", "pwd", "pass", "sig", "signature", "access_token", "api_key", "apikey",
        "auth", "authorization", "credential", "credentials", "client_secret", "private_token", "session", "sessionid",
    ]
    static let secretSuffixes = ["token", "secret", "password", "passwd", "signature", "apikey", "api_key", "_key", "-key", "_sig", "-sig", "credential"]

    /// How the access tokens of common services begin (GitHub, GitLab, Slack, OpenAI-style keys, AWS).
    static let tokenPrefixes = ["ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "sk-", "akia"]

    /// Whether a query parameter of this name carries a secret (case-insensitive).
    public static func isSecretName(_ name: String) -> Bool {
        let n = (name.removingPercentEncoding ?? name).lowercased()
        if secretNames.contains(n) { return true }
        return secretSuffixes.contains { n.hasSuffix($0) }
    }

    /// The URL with its secrets masked; text that is not a URL comes back unchanged.
    public static func maskURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var tail = rest[authorityEnd...]
        var fragment: Substring?
        if let hash = tail.firstIndex(of: "#") {
            fragment = tail[tail.index(after: hash)...]
            tail = tail[..<hash]
        }
        var query: Substring?
        if let q = tail.firstIndex(of: "?") {
            query = tail[tail.index(after: q)...]
            tail = tail[..<q]
        }
        // User info: keep the user name, mask the password.
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let host = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                authority = "\(userInfo[..<colon]):\(mask)@\(host)"
            } else if userInfo.count >= 20 || tokenPrefixes.contains(where: { userInfo.lowercased().hasPrefix($0) }) {
                // A long user name alone, or one shaped like a known token, is a token passed as
                // the user (https://TOKEN@host); a short login name (imaps://support@host) is kept.
                authority = "\(mask)@\(host)"
            }
        }
        let host = hostName(authority)
        let path = maskWebhookPath(String(tail), host: host)
        var out = "\(scheme)://\(authority)\(path)"
        if let query { out += "?" + maskParameters(query) }
        if let fragment { out += "#" + maskParameters(fragment) }
        return out
    }

    /// Every URL inside a text (an error message, a log line) masked.
    public static func maskSecrets(inText text: String) -> String {
        guard hasSchemeSeparator(text) else { return text }
        let ns = text as NSString
        var out = ""
        var last = 0
        for match in urlPattern.regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            var range = match.range
            var found = ns.substring(with: range)
            // Sentence punctuation after a URL is not part of it.
            while let c = found.last, ".,;:!?)]}'\"".contains(c) {
                found.removeLast()
                range.length -= (String(c) as NSString).length
            }
            out += ns.substring(with: NSRange(location: last, length: range.location - last))
            out += maskURL(found)
            last = range.location + range.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// Whether `text` holds "://", read from its UTF-8 bytes: every new thread's note asks, and
    /// Foundation's `contains` went through `NSString` (about 1% of a first poll's CPU).
    static func hasSchemeSeparator(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            guard b.count >= 3 else { return false }
            for i in 0..<(b.count - 2) where b[i] == 0x3A && b[i + 1] == 0x2F && b[i + 2] == 0x2F { return true }
            return false
        }
    }

    static let urlPattern = URLPattern(#"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>"'`]+"#)

    static func hostName(_ authority: String) -> String {
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("[") { return String(host).lowercased() }
        if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        return host.lowercased()
    }

    /// The secret part of a webhook path replaced by `***`.
    static func maskWebhookPath(_ path: String, host: String) -> String {
        guard path.count > 1 else { return path }
        if host == "hooks.slack.com" || host.hasSuffix(".hooks.slack.com") {
            return path.hasPrefix("/services/") ? "/services/\(mask)" : "/\(mask)"
        }
        if host.hasSuffix(".webhook.office.com") || host == "outlook.office.com" || host.hasSuffix(".office365.com") {
            let first = path.split(separator: "/").first.map(String.init) ?? ""
            return first.lowercased().hasPrefix("webhook") ? "/\(first)/\(mask)" : "/\(mask)"
        }
        // Mattermost, Rocket.Chat, Gitea and most others: …/hooks/<secret>; Discord: /api/webhooks/<id>/<token>.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, segment) in segments.enumerated() where i + 1 < segments.count {
            let s = segment.lowercased()
            if s == "hooks" || s == "webhooks" || s == "webhook" {
                let kept = segments[...i].joined(separator: "/")
                return segments[(i + 1)...].allSatisfy(\.isEmpty) ? path : kept + "/" + mask
            }
        }
        return path
    }

    /// `a=1&token=xyz` → `a=1&token=***`.
    static func maskParameters(_ text: Substring) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<eq]
            let value = pair[pair.index(after: eq)...]
            return isSecretName(String(name)) && !value.isEmpty ? "\(name)=\(mask)" : String(pair)
        }.joined(separator: "&")
    }
}

/// A compiled `NSRegularExpression` (immutable once built, so safe to share).
struct URLPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String) {
        // A constant pattern, checked by the tests.
        regex = try! NSRegularExpression(pattern: pattern)
    }
}
