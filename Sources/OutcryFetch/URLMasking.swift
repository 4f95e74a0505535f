import OutcryModel

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
        SecretMasking.maskURL(url)
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
        SecretMasking.maskSecrets(inText: text)
    }

    static func hostPart(_ authority: String) -> String {
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[host.index(after: host.startIndex)..<close]) }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return String(host)
    }



}
