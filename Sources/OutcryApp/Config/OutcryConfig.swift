import Foundation
import OutcryModel
import OutcryPipeline
import OutcryScoring

/// Everything `config/outcry.yaml` says, validated and with paths resolved.
public struct OutcryConfig: Sendable, Equatable {
    /// Where the database and the lock file live.
    public var dataDirectory: String
    /// `database:` — a `postgres://` address (its `${ENV}` already substituted), or nil for
    /// SQLite in ``dataDirectory`` (the default). The data directory keeps the keys either way.
    public var database: String? = nil
    public var sources: [SourceConfig]
    public var brands: [Brand]
    public var polling: PollerSettings
    /// Several workers on one database: how long their claims last without a heartbeat.
    public var workers = LeaseSettings()
    /// Routes, receivers, SLA policies, escalations; nil when the file has no `routes:`.
    public var alerting: AlertingSection? = nil
    /// The file this was read from (relative paths in it are resolved against its folder).
    public var path: String
    /// The `contacts:` section (CRM sync and linking) and `retention:` (purge of personal data).
    public var contacts = ContactsConfig()
    public var retention = RetentionSettings()
    /// The `crisis:` section: how readily the per-brand spike detector fires.
    public var crisis = CrisisSettings()
    /// The `scoring:` section: lexicon and term-list additions, thresholds, escalation policy.
    public var scoring = ScoringConfig()
    /// The `web:` section: the JSON API and acknowledge links (nil: not served).
    public var web: WebSettings? = nil
    /// What `config check` warns about (a secret written in clear, `web.listen` not on loopback).
    public var warnings: [ConfigProblem] = []

    /// The brand tagger for these brands (queries were checked when the file was read).
    public func brandTagger() throws -> BrandTagger {
        try BrandTagger(brands.map { BrandTagger.Rule(name: $0.name, keywords: $0.keywords, query: $0.query) })
    }

    public init(dataDirectory: String, sources: [SourceConfig], brands: [Brand] = [], polling: PollerSettings = PollerSettings(), path: String) {
        self.dataDirectory = dataDirectory
        self.sources = sources
        self.brands = brands
        self.polling = polling
        self.path = path
    }
}

/// A brand (or product) being watched, with the words that name it.
public struct Brand: Sendable, Equatable {
    public var name: String
    public var keywords: [String]
    /// The brand's own accounts and mail domains: their posts are the team's responses.
    public var ownHandles: [String]
    /// A query in the query language that also marks a mention as this brand's.
    public var query: String?

    public init(name: String, keywords: [String], ownHandles: [String] = [], query: String? = nil) {
        self.query = query
        self.name = name
        self.keywords = keywords
        self.ownHandles = ownHandles
    }
}

