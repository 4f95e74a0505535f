/// How to reach one mail account: server, credentials, transport security and time limits.
///
/// The address is the source's `url` without its folder: `imap://host[:port]`,
/// `imaps://host[:port]`, `pop3://…` or `pop3s://…`. Credentials are never put in URLs.
/// ```swift
/// let account = try MailAccount(url: "imaps://mail.example.com/INBOX", username: "support", password: secret)
/// let session = IMAPSession(account: account)
/// ```
public struct MailAccount: Sendable, Equatable {
    /// Which mail protocol the account speaks.
    public enum MailProtocol: String, Sendable, Equatable {
        case imap, pop3
    }

    /// Transport security: implicit TLS (`imaps`, `pop3s`), STARTTLS required, or none at all.
    public enum Security: String, Sendable, Equatable, CaseIterable {
        case tls, starttls, none
    }

    public var mailProtocol: MailProtocol
    public var host: String
    public var port: Int?
    public var username: String
    public var password: String
    public var security: Security
    /// The folder named in the URL's path (IMAP; empty for POP3), percent-decoded.
    public var folder: String
    public var connectTimeout: Duration
    /// The longest one command (one message fetch) may take.
    public var timeout: Duration

    /// Reads a mailbox URL. `security` defaults to `tls` for `imaps`/`pop3s` and to `starttls`
    /// for `imap`/`pop3` (so a password never travels in clear unless `none` is chosen).
    public init(
        url: String, username: String, password: String, security: Security? = nil,
        connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(120)
    ) throws(MailError) {
        guard let schemeEnd = url.range(of: "://") else {
            throw MailError(.invalidURL, url: url, detail: "expected imap://, imaps://, pop3:// or pop3://")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let implicitTLS: Bool
        switch scheme {
        case "imap": (mailProtocol, implicitTLS) = (.imap, false)
        case "imaps": (mailProtocol, implicitTLS) = (.imap, true)
        case "pop3": (mailProtocol, implicitTLS) = (.pop3, false)
        case "pop3s": (mailProtocol, implicitTLS) = (.pop3, true)
        default: throw MailError(.invalidURL, url: url, detail: "scheme '\(scheme)' is not imap, imaps, pop3 or pop3s")
        }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let path = rest.dropFirst(authority.count).drop { $0 == "/" }
        guard !authority.contains("@") else {
            throw MailError(.invalidURL, url: url, detail: "put the user name and password in the options, not in the URL")
        }
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw MailError(.invalidURL, url: url, detail: "the port is not a number between 1 and 65535")
            }
            port = number
            host = authority[..<colon]
        }
        guard !host.isEmpty else { throw MailError(.invalidURL, url: url, detail: "no host name") }
        let folder = String(path.prefix { $0 != "?" && $0 != "#" && $0 != ";" }).removingPercentEncoding ?? String(path)
        if mailProtocol == .pop3, !folder.isEmpty {
            throw MailError(.invalidURL, url: url, detail: "POP3 has no folders; remove '/\(folder)' from the URL")
        }
        let chosen = security ?? (implicitTLS ? .tls : .starttls)
        if implicitTLS, chosen != .tls {
            throw MailError(.invalidURL, url: url, detail: "\(scheme):// always uses TLS; `tls: \(chosen.rawValue)` needs \(mailProtocol.rawValue)://")
        }
        self.host = String(host)
        self.port = port
        self.username = username
        self.password = password
        self.security = chosen
        self.folder = folder.isEmpty && mailProtocol == .imap ? "INBOX" : folder
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// `scheme://host:port` as libcurl needs it: `imaps`/`pop3s` for implicit TLS, else the plain scheme.
    public var baseURL: String {
        let scheme = mailProtocol.rawValue + (security == .tls ? "s" : "")
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// The account for display and errors: no password.
    public var redacted: String { "\(baseURL) as \(username)" }
}
