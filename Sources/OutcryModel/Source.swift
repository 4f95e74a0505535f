import Foundation

/// The kind of a configured source: how it is fetched and parsed.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    /// RSS, Atom, RDF or JSON Feed, detected from the content.
    case feed
    /// A social network's JSON API, mapped with JSON pointers (or a preset).
    case json
    /// An IMAP mailbox folder.
    case imap
    /// A POP3 mailbox.
    case pop3
}

/// A configured source of mentions, as written in the configuration.
public struct SourceConfig: Sendable, Equatable, Codable {
    public var name: String
    public var url: String
    public var kind: SourceKind
    /// Poll interval in seconds.
    public var interval: TimeInterval
    /// Free-form options for the source's kind (JSON mapping, preset, mailbox folder, …).
    public var options: [String: String]
    /// The brand every mention of this source is about (a brand's own mailbox, say); nil: tag by
    /// the brands' keywords.
    public var brand: String?

    public init(name: String, url: String, kind: SourceKind, interval: TimeInterval, options: [String: String] = [:], brand: String? = nil) {
        self.brand = brand
        self.name = name
        self.url = url
        self.kind = kind
        self.interval = interval
        self.options = options
    }

    /// The politeness key of a URL: sources on the same host (and port) share its limit on
    /// concurrent polls; local files and URLs without a host each count as their own host.
    public static func hostKey(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return url }
        return host.lowercased() + (components.port.map { ":\($0)" } ?? "")
    }
}

/// What the store remembers between polls of one source.
public struct PollState: Sendable, Equatable, Codable {
    public var sourceName: String
    /// The URL last fetched (a permanent redirect updates it).
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public var nextPollAt: Date?
    public var lastAttemptAt: Date?
    public var lastSuccessAt: Date?
    public var consecutiveErrors: Int
    public var lastError: String?
    /// When the current run of errors began (nil while healthy).
    public var failingSince: Date?
    public var disabled: Bool
    /// The content hash of a body whose parse crashed the process: that content is not parsed
    /// again; a different body lifts the quarantine (nil while not quarantined).
    public var quarantinedContent: String?

    public init(
        sourceName: String, url: String, etag: String? = nil, lastModified: String? = nil,
        nextPollAt: Date? = nil, lastAttemptAt: Date? = nil, lastSuccessAt: Date? = nil,
        consecutiveErrors: Int = 0, lastError: String? = nil, failingSince: Date? = nil, disabled: Bool = false,
        quarantinedContent: String? = nil
    ) {
        self.quarantinedContent = quarantinedContent
        self.sourceName = sourceName
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.nextPollAt = nextPollAt
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.consecutiveErrors = consecutiveErrors
        self.lastError = lastError
        self.failingSince = failingSince
        self.disabled = disabled
    }

    /// How a permanent error (an unsupported scheme, an unknown host, a missing file, HTTP 404)
    /// begins in `lastError`: trying again will not help until someone changes the configuration.
    public static let configurationErrorPrefix = "fix the configuration: "

    /// The last error is one only a change of configuration fixes (the source is still retried, slowly).
    public var needsConfigurationFix: Bool { lastError?.hasPrefix(Self.configurationErrorPrefix) ?? false }
}
