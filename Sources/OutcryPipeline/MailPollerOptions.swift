import Foundation
import OutcryAlerting
import OutcryFetch

/// The `options:` of an `imap` or `pop3` source, validated.
///
/// ```yaml
/// - name: support-inbox
///   kind: imap
///   url: imaps://mail.example.com/INBOX
///   options: { username: support, password: "${SUPPORT_MAIL_PASSWORD}", since: 30d,
///              own_addresses: "support@example.com,example.com", sent_folder: Sent }
/// ```
/// | key | meaning |
/// |---|---|
/// | `username`, `password` | login (required; use `${ENV}` for the password) |
/// | `tls` | `tls` (implicit, the default for `imaps://`/`pop3s://`), `starttls` (required; the default for `imap://`/`pop3://`), `none` |
/// | `since` | `2026-01-01` or `30d`: older mail is skipped (not stored) |
/// | `mark_seen` | `true` marks stored mail `\Seen` (IMAP); default `false`: flags stay as they were |
/// | `move_to` | IMAP folder that stored mail is moved to after it is committed; default none |
/// | `own_addresses` | the team's addresses and domains, comma-separated (the sent folder's mail is not a customer's; in other folders see `trusted_authserv_id`) |
/// | `sent_folder` | IMAP folder with the team's sent mail, read as responses |
/// | `trusted_authserv_id` | the authserv-id(s) of the receiving server whose `Authentication-Results` are believed: own-address mail with `dkim=pass`/`spf=pass` for an own domain from it is a response; without it only the sent folder holds responses |
/// | `max_message_size` | larger messages are quarantined unread; default `25MB` |
public struct MailboxOptions: Sendable, Equatable {
    public var username: String
    public var password: String
    public var security: MailAccount.Security?
    public var since: MailSince?
    public var markSeen = false
    public var moveTo: String?
    public var ownAddresses = OwnAddresses()
    public var sentFolder: String?
    /// Authserv-ids (lowercased) whose `Authentication-Results` are believed (see ``MailAuthentication``).
    public var trustedAuthservIDs: Set<String> = []
    public var maxMessageBytes = 25 << 20

    public static let keys = [
        "username", "password", "tls", "since", "mark_seen", "move_to", "own_addresses", "sent_folder", "max_message_size", "trusted_authserv_id",
    ]

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Reads and checks the options; the error names the option and what it should look like
    /// (the first problem; ``check(_:)`` gives them all).
    public static func parse(_ options: [String: String]) throws(MailboxOptionsError) -> MailboxOptions {
        let (result, problems) = check(options)
        if let first = problems.first { throw first }
        return result
    }

    /// Reads the options, collecting every problem, each with the option it is about (nil for a
    /// missing one). The options are usable only when there are no problems.
    public static func check(_ options: [String: String]) -> (options: MailboxOptions, problems: [MailboxOptionsError]) {
        var problems: [MailboxOptionsError] = []
        func problem(_ key: String?, _ text: String) { problems.append(MailboxOptionsError(text, key: key)) }
        for key in options.keys.sorted() where !keys.contains(key) {
            problem(key, "unknown mailbox option `\(key)`; allowed: \(keys.joined(separator: ", "))")
        }
        func text(_ key: String) -> String? {
            options[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let username = text("username")
        if username == nil { problem(options["username"] == nil ? nil : "username", "option `username` is required (the mailbox login)") }
        let password = options["password"].flatMap { $0.isEmpty ? nil : $0 }
        if password == nil {
            problem(options["password"] == nil ? nil : "password",
                    "option `password` is required; write it as `${ENV_NAME}` so that it stays out of the file")
        }
        var result = MailboxOptions(username: username ?? "", password: password ?? "")
        if let value = text("tls") {
            if let security = MailAccount.Security(rawValue: value.lowercased()) {
                result.security = security
            } else {
                problem("tls", "option `tls` should be one of tls, starttls, none, not '\(value)'")
            }
        }
        if let value = text("since") {
            if let since = MailSince(value) {
                result.since = since
            } else {
                problem("since", "option `since` should be a date such as 2026-01-01 or an age such as 30d, not '\(value)'")
            }
        }
        if let value = text("mark_seen") {
            switch value.lowercased() {
            case "true", "yes", "on": result.markSeen = true
            case "false", "no", "off": result.markSeen = false
            default: problem("mark_seen", "option `mark_seen` should be true or false, not '\(value)'")
            }
        }
        result.moveTo = text("move_to")
        result.sentFolder = text("sent_folder")
        for (key, folder) in [("move_to", result.moveTo), ("sent_folder", result.sentFolder)] {
            if let folder, folder.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) {
                problem(key, "option `\(key)`: folder '\(folder)' has characters other than printable ASCII, which is not supported")
            }
        }
        if let value = text("own_addresses") {
            do {
                result.ownAddresses = try OwnAddresses(parsing: value)
            } catch {
                problems.append(error)
            }
        }
        if let value = text("trusted_authserv_id") {
            let ids = value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { $0.lowercased() }
            if let bad = ids.first(where: { $0.contains("=") || $0.contains("(") || $0.contains("@") }) {
                problem("trusted_authserv_id", "option `trusted_authserv_id`: '\(bad)' is not an authserv-id (the host name that starts the receiving server's Authentication-Results, e.g. mx.example.com)")
            } else {
                result.trustedAuthservIDs = Set(ids)
            }
            if result.ownAddresses.isEmpty && text("own_addresses") == nil {
                problem("trusted_authserv_id", "option `trusted_authserv_id` needs `own_addresses` (the domains whose authenticated mail is the team's)")
            }
        }
        if let value = text("max_message_size") {
            if let bytes = Self.byteCount(value), bytes >= 1024 {
                result.maxMessageBytes = bytes
            } else {
                problem("max_message_size", "option `max_message_size` should be a size such as 25MB or 500KB (at least 1KB), not '\(value)'")
            }
        }
        return (result, problems)
    }

    /// Everything wrong with a mailbox source: its options (``check(_:)``), then its URL (scheme,
    /// host, port, folder) against its kind and options: `imap` needs `imap://`/`imaps://`,
    /// `pop3` `pop3://`/`pop3s://`; `tls` must fit the scheme; POP3 has no folders, so
    /// `move_to`, `sent_folder` and `mark_seen` are IMAP only; `move_to` must be another folder.
    /// A problem with `key == "url"` is about the URL.
    public static func checkSource(kind: String, url: String, options: [String: String]) -> [MailboxOptionsError] {
        // The URL is checked even when the options are not right.
        let (parsed, checked) = check(options)
        var problems = checked
        var security = problems.contains { $0.key == "tls" } ? nil : parsed.security
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() } ?? ""
        if let chosen = security, chosen != .tls, scheme == "imaps" || scheme == "pop3s" {
            problems.append(MailboxOptionsError(
                "option `tls: \(chosen.rawValue)` does not fit \(scheme):// (always TLS); use \(scheme.dropLast()):// for \(chosen.rawValue)", key: "tls"))
            security = nil
        }
        let account: MailAccount
        do {
            account = try MailAccount(url: url, username: "u", password: "p", security: security)
        } catch {
            problems.append(MailboxOptionsError("\(error.detail.isEmpty ? error.description : error.detail) (in '\(url)')", key: "url"))
            return problems
        }
        if account.mailProtocol.rawValue != kind {
            let schemes = kind == "imap" ? "imap:// or imaps://" : "pop3:// or pop3s://"
            problems.append(MailboxOptionsError("a `\(kind)` source needs a \(schemes) URL, not '\(url)'", key: "url"))
            return problems
        }
        if account.mailProtocol == .pop3 {
            for key in ["move_to", "sent_folder", "mark_seen"] where options[key] != nil {
                problems.append(MailboxOptionsError("option `\(key)` is for IMAP only: POP3 has no folders or flags", key: key))
            }
        } else {
            if account.folder.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) {
                problems.append(MailboxOptionsError(
                    "folder '\(account.folder)' in the URL has characters other than printable ASCII, which is not supported", key: "url"))
            }
            if let target = parsed.moveTo, target == account.folder {
                problems.append(MailboxOptionsError("option `move_to` names the folder that is read (\(target)); name another folder", key: "move_to"))
            }
            if let sent = parsed.sentFolder, let target = parsed.moveTo, sent == target {
                problems.append(MailboxOptionsError("option `move_to` names the sent folder (\(sent)): moved mail would be read again as responses", key: "move_to"))
            }
        }
        return problems
    }

    /// The account to log in to, from the source's URL and these options.
    public func account(url: String, timeout: TimeInterval = 120, connectTimeout: TimeInterval = 10) throws(MailError) -> MailAccount {
        try MailAccount(
            url: url, username: username, password: password, security: security,
            connectTimeout: .milliseconds(Int(connectTimeout * 1000)), timeout: .milliseconds(Int(max(timeout, 1) * 1000)))
    }

    static func byteCount(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        for (suffix, factor) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)] where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)).map { Int($0 * Double(factor)) }
        }
        return Int(t)
    }
}

/// A mailbox option that is not right, in one sentence.
public struct MailboxOptionsError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    /// The option (or `url`) it is about; nil for a missing option.
    public let key: String?
    init(_ description: String, key: String? = nil) {
        self.description = description
        self.key = key
    }
}

/// How far back a mailbox is read: from a date, or mail younger than an age.
public enum MailSince: Sendable, Equatable {
    case date(Date)
    case age(TimeInterval)

    /// `2026-01-01` (UTC) or an age such as `30d`, `12w`, `48h` or `1d12h` (``ConfigDuration``'s syntax).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = t.split(separator: "-")
        if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
            self = .date(date)
            return
        }
        // An age in the configuration's one duration syntax (`30d`, `12w`, `1d12h`); a bare number is not an age here.
        guard Double(t) == nil, let age = ConfigDuration.seconds(t), age > 0 else { return nil }
        self = .age(age)
    }

    /// The oldest date still read.
    public func cutoff(now: Date) -> Date {
        switch self {
        case .date(let date): date
        case .age(let age): now.addingTimeInterval(-age)
        }
    }
}

/// The team's own mail addresses and domains (`support@example.com`, `example.com`).
public struct OwnAddresses: Sendable, Equatable {
    public var addresses: Set<String> = []
    /// A domain also covers its subdomains.
    public var domains: Set<String> = []

    public init() {}

    init(parsing text: String) throws(MailboxOptionsError) {
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map({ $0.lowercased() }) {
            if entry.contains("@") {
                let parts = entry.split(separator: "@", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
                    throw MailboxOptionsError("option `own_addresses`: '\(entry)' is not a mail address", key: "own_addresses")
                }
                addresses.insert(entry)
            } else {
                let domain = entry.hasPrefix("@") ? String(entry.dropFirst()) : entry
                guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix(".") else {
                    throw MailboxOptionsError("option `own_addresses`: '\(entry)' is neither a mail address nor a domain such as example.com", key: "own_addresses")
                }
                domains.insert(domain)
            }
        }
    }

    public var isEmpty: Bool { addresses.isEmpty && domains.isEmpty }

    /// Whether a domain is the team's: a listed domain or a subdomain of one, or the domain of a listed address.
    public func containsDomain(_ domain: String) -> Bool {
        let domain = domain.lowercased()
        if addresses.contains(where: { $0.hasSuffix("@" + domain) }) { return true }
        var rest = Substring(domain)
        while !rest.isEmpty {
            if domains.contains(String(rest)) { return true }
            guard let dot = rest.firstIndex(of: ".") else { break }
            rest = rest[rest.index(after: dot)...]
        }
        return false
    }

    /// Whether a mail address belongs to the team.
    public func contains(_ email: String?) -> Bool {
        guard let email = email?.lowercased(), let at = email.lastIndex(of: "@") else { return false }
        if addresses.contains(email) { return true }
        var domain = Substring(email[email.index(after: at)...])
        while !domain.isEmpty {
            if domains.contains(String(domain)) { return true }
            guard let dot = domain.firstIndex(of: ".") else { break }
            domain = domain[domain.index(after: dot)...]
        }
        return false
    }
}
