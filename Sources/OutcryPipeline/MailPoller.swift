import Foundation
import Logging
import OutcryFetch
import OutcryModel
import OutcryParse
import OutcryScoring
import OutcryStore

/// Fetch → parse → score → store for `imap` and `pop3` sources.
///
/// IMAP folders are followed by UIDVALIDITY and the highest committed UID, POP3 maildrops by
/// the UIDLs already taken in; both advance in the same transaction as the mails they cover
/// (`Store.commitMailPoll`), a batch at a time, so a pass killed anywhere loses nothing and
/// stores nothing twice. IMAP folders are listed in pages of UIDs, so a backlog of any size is
/// taken in. Flags are left as they were (bodies are fetched with `BODY.PEEK[]`, which sets no
/// flag); `mark_seen` and `move_to` act only after the commit. Nothing is ever deleted.
/// ```swift
/// let mail = MailPoller(store: store, scorer: Scorer(), settings: settings)
/// let outcome = try await mail.poll(source, state: try await store.pollState(source.name))
/// ```
public final class MailPoller: Sendable {
    let store: Store
    let scorers: ScorerSwitch
    var scorer: Scorer { scorers.current }
    let settings: PollerSettings
    let clock: any WallClock
    let logger: Logger
    let random: @Sendable () -> Double
    let hooks: MailPollerHooks
    /// Messages per committed batch.
    let batchSize: Int
    /// IMAP messages listed (size, flags, Message-ID) per command.
    let listPageSize: Int
    /// Brand → contact link → velocity → score, as for feeds (linking by the sender's address).
    let enricher: MentionEnricher
    /// Routes the alerts a batch raises, in the batch's transaction.
    let router: AlertRouter

    /// `alerting`: the routing tree and receivers (nil: alerts are only logged).
    public convenience init(
        store: Store, scorer: Scorer, settings: PollerSettings, alerting: AlertSettings? = nil, clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "outcry.mail"), random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        hooks: MailPollerHooks = MailPollerHooks(), batchSize: Int = 25, linker: ContactLinker? = nil,
        brands: BrandTagger = BrandTagger(), listPageSize: Int = IMAPSession.pageSize
    ) {
        self.init(store: store, scorers: ScorerSwitch(scorer), settings: settings, router: AlertRouter(settings: alerting, logger: logger),
                  enricher: MentionEnricher(store: store, brands: brands, linker: linker, logger: logger), clock: clock, logger: logger,
                  random: random, hooks: hooks, batchSize: batchSize, listPageSize: listPageSize)
    }

    /// With the feed poller's scorer switch, so a retrained model reaches mail too.
    init(
        store: Store, scorers: ScorerSwitch, settings: PollerSettings, router: AlertRouter, enricher: MentionEnricher,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "outcry.mail"), random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        hooks: MailPollerHooks = MailPollerHooks(), batchSize: Int = 25, listPageSize: Int = IMAPSession.pageSize
    ) {
        self.scorers = scorers
        self.router = router
        self.listPageSize = max(1, listPageSize)
        self.enricher = enricher
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.random = random
        self.hooks = hooks
        self.batchSize = max(1, batchSize)
    }

    /// Polls one mailbox and records the outcome (failures with backoff, as for feeds).
    /// Throws only when the store cannot record anything.
    public func poll(_ source: SourceConfig, state: PollState) async throws -> SourcePollResult.Outcome {
        let options: MailboxOptions
        let account: MailAccount
        do {
            options = try MailboxOptions.parse(source.options)
            account = try options.account(url: state.url, timeout: settings.timeout, connectTimeout: settings.connectTimeout)
            if account.mailProtocol.rawValue != source.kind.rawValue {
                throw MailError(.invalidURL, url: state.url, detail: "a \(source.kind.rawValue) source needs a \(source.kind.rawValue):// URL")
            }
        } catch {
            return try await fail(source, state: state, "mailbox configuration: \(error)", needsConfigurationFix: true)
        }
        do {
            var tally = MailPassTally(backlog: !(try await store.backlogDone(source.name)))
            let context = MailPass(source: source, state: state, options: options, account: account)
            switch account.mailProtocol {
            case .imap: try await pollIMAP(context, &tally)
            case .pop3: try await pollPOP3(context, &tally)
            }
            if tally.result.ingest.recovered { logger.notice("mailbox recovered", metadata: ["source": "\(source.name)"]) }
            return .stored(tally.result.ingest, warning: tally.warning)
        } catch let error as MailError {
            return try await fail(source, state: state, error.description, needsConfigurationFix: error.needsConfigurationFix)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return try await fail(source, state: state, "\(account.redacted): \(error)")
        }
    }

    /// Commits one batch (the test hook may fail it first, as a crash would), its customer mail
    /// linked to contacts first so that the links land in the same transaction.
    func commit(_ pass: MailPass, _ batch: MailCommit, _ tally: inout MailPassTally) async throws {
        let batch = await enriched(pass, batch)
        if let beforeCommit = hooks.beforeCommit { try beforeCommit(pass.source.name, batch) }
        let result = try await store.commitMailPoll(source: pass.source.name, batch, alertOnBacklog: settings.alertOnBacklog, routing: router,
                                                  now: clock.now())
        tally.add(result)
    }

    /// Every mail tagged with its brand (the mailbox's `brand:`, else the brands' keywords);
    /// customer mail linked to contacts (the sender's address is the exact identifier; opted-out
    /// and erased people are stored as `opted_out`, never named) and scored — once, by the enrich
    /// step feeds share — with what the pipeline knows beyond the text: the contact's tier and
    /// previous complaint, and the thread's velocity. Team responses and automatic mail are not
    /// linked: their sender is not the customer. A linking failure stores the mail unlinked.
    func enriched(_ pass: MailPass, _ batch: MailCommit) async -> MailCommit {
        var batch = batch
        var mentions = batch.items.map(\.scored.mention)
        enricher.tag(&mentions, sourceBrand: pass.source.brand)
        for i in batch.items.indices { batch.items[i].scored.mention = mentions[i] }
        let positions = batch.items.indices.filter { batch.items[$0].role == .customer }
        guard !positions.isEmpty else { return batch }
        let enriched = await enricher.enrich(positions.map { mentions[$0] }, network: nil, source: pass.source.name, scorer: scorer, now: clock.now())
        for (offset, position) in positions.enumerated() { batch.items[position].scored = enriched.scored[offset] }
        batch.links.merge(enriched.links) { _, new in new }
        return batch
    }

    /// The schedule after a successful pass.
    func success(_ pass: MailPass) -> PollSuccess {
        let next = clock.now() + PollSchedule.afterSuccess(
            interval: pass.source.interval, serverLifetime: nil, feedTTLMinutes: nil, maxInterval: settings.maxInterval)
        return PollSuccess(etag: nil, lastModified: nil, nextPollAt: next)
    }

    /// Records a failed pass; one only a configuration change fixes is marked so and retried at the backoff cap.
    private func fail(_ source: SourceConfig, state: PollState, _ error: String, needsConfigurationFix: Bool = false) async throws -> SourcePollResult.Outcome {
        let now = clock.now()
        var retryAt = now + PollSchedule.backoff(
            interval: source.interval, consecutiveErrors: state.consecutiveErrors + 1, cap: settings.backoffCap, jitter: random())
        var error = error
        if needsConfigurationFix {
            error = PollState.configurationErrorPrefix + error
            retryAt = max(retryAt, now + settings.backoffCap)
        }
        let wentDown = try await store.recordPollFailure(source.name, error: error, nextPollAt: retryAt, downAfter: settings.downAfter, now: now)
        if wentDown { logger.warning("mailbox down", metadata: ["source": "\(source.name)", "error": "\(error)"]) }
        return .failed(error, retryAt: retryAt)
    }
}

/// Test seams of the mail poller.
public struct MailPollerHooks: Sendable {
    /// Called with each batch just before it is committed; throwing stands for a crash between
    /// fetching and committing.
    public var beforeCommit: (@Sendable (_ source: String, _ batch: MailCommit) throws -> Void)?

    public init(beforeCommit: (@Sendable (_ source: String, _ batch: MailCommit) throws -> Void)? = nil) {
        self.beforeCommit = beforeCommit
    }
}

/// What one pass works on.
struct MailPass {
    let source: SourceConfig
    let state: PollState
    let options: MailboxOptions
    let account: MailAccount
}

/// What one pass did, over all its batches.
struct MailPassTally {
    var result = MailCommitResult()
    var skippedOld = 0
    var vanished = 0
    /// Messages quarantined under an earlier UIDVALIDITY, not quarantined again.
    var alreadyQuarantined = 0
    var notes: [String] = []

    init(backlog: Bool) { result.ingest.backlog = backlog }

    mutating func add(_ r: MailCommitResult) {
        result.ingest.inserted += r.ingest.inserted
        result.ingest.updated += r.ingest.updated
        result.ingest.unchanged += r.ingest.unchanged
        result.ingest.threadsOpened += r.ingest.threadsOpened
        result.ingest.threadsJoined += r.ingest.threadsJoined
        result.ingest.alertsQueued += r.ingest.alertsQueued
        result.ingest.recovered = result.ingest.recovered || r.ingest.recovered
        result.duplicates += r.duplicates
        result.responses += r.responses
        result.threadsResponded += r.threadsResponded
        result.automatic += r.automatic
        result.quarantined += r.quarantined
    }

    var warning: String? {
        var parts = notes
        if result.quarantined > 0 { parts.append("\(SourcePollResult.count(result.quarantined, "message")) quarantined (see `outcry sources`)") }
        if alreadyQuarantined > 0 { parts.append("\(SourcePollResult.count(alreadyQuarantined, "message")) already quarantined under an earlier UIDVALIDITY") }
        if skippedOld > 0 { parts.append("\(SourcePollResult.count(skippedOld, "message")) older than `since` skipped") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
