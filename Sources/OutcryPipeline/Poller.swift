import Foundation
import Logging
import OutcryFetch
import OutcryModel
import OutcryParse
import OutcryScoring
import OutcryStore
import ServiceLifecycle

/// Fetch → parse → score → store for each source, one pass at a time.
///
/// Each source's result is committed in one transaction together with its new validators (the
/// polls that finish together share one: ``PollCommitQueue``), so a pass that is killed
/// half-way leaves every source either fully polled or untouched. A failing source never
/// disturbs the others.
public final class Poller: Sendable {
    let store: Store
    let client: FetchClient
    /// The scorer in use (``useScorer(_:)`` swaps it when a retrained model is activated).
    public let scorers: ScorerSwitch
    var scorer: Scorer { scorers.current }
    let settings: PollerSettings
    let clock: any WallClock
    let logger: Logger
    let random: @Sendable () -> Double
    /// Polls the `imap` and `pop3` sources.
    let mail: MailPoller
    /// Crash-loop protection: which parse was running when the process died (nil: off).
    let journal: ParseJournal?
    /// Routes the alerts a poll raises, in the poll's transaction.
    let router: AlertRouter
    /// Brand → contact link → velocity → score, shared with the mail poller.
    let enricher: MentionEnricher
    /// Commits the polls that finish together in one transaction.
    let commits: PollCommitQueue

    /// `alerting`: the routing tree and receivers (nil: alerts are only logged).
    public init(
        store: Store, client: FetchClient, scorer: Scorer, settings: PollerSettings, alerting: AlertSettings? = nil,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "outcry.poller"), random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        linker: ContactLinker? = nil, brands: BrandTagger = BrandTagger(), journal: ParseJournal? = nil
    ) {
        self.journal = journal
        router = AlertRouter(settings: alerting, logger: logger)
        enricher = MentionEnricher(store: store, brands: brands, linker: linker, logger: logger)
        commits = PollCommitQueue(store: store, router: router, alertOnBacklog: settings.alertOnBacklog, logger: logger)
        self.store = store
        self.client = client
        scorers = ScorerSwitch(scorer)
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.random = random
        mail = MailPoller(store: store, scorers: scorers, settings: settings, router: router, enricher: enricher, clock: clock, logger: logger,
                          random: random)
    }

    /// Polls every given source once, at most `maxConcurrent` at a time and at most
    /// `maxPerHost` per host, so that one slow host with many sources cannot take every slot
    /// and starve the others. Results come back in the given order. The sources' states are
    /// read once for the pass (`states`, or one query here), not once a source.
    public func pollAll(_ sources: [SourceConfig], states: [String: PollState]? = nil) async -> [SourcePollResult] {
        var known = states ?? [:]
        if states == nil, let all = try? await store.pollStates() {
            known = Dictionary(all.map { ($0.sourceName, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var results = [SourcePollResult?](repeating: nil, count: sources.count)
        var pending = Array(sources.indices)
        var perHost: [String: Int] = [:]
        await withTaskGroup(of: (Int, SourcePollResult).self) { group in
            var running = 0
            func launchWhatFits() {
                var index = 0
                while running < settings.maxConcurrent && index < pending.count {
                    let candidate = pending[index]
                    let host = Self.hostKey(sources[candidate].url)
                    if perHost[host, default: 0] >= settings.maxPerHost {
                        index += 1
                        continue
                    }
                    pending.remove(at: index)
                    perHost[host, default: 0] += 1
                    running += 1
                    let source = sources[candidate]
                    let state = known[source.name]
                    group.addTask { (candidate, await self.poll(source, state: state)) }
                }
            }
            launchWhatFits()
            for await (index, result) in group {
                results[index] = result
                running -= 1
                perHost[Self.hostKey(sources[index].url), default: 1] -= 1
                launchWhatFits()
            }
        }
        return results.compactMap { $0 }
    }

    /// Sources on the same host share its limit; local files each count as their own host.
    static func hostKey(_ url: String) -> String { SourceConfig.hostKey(url) }

    /// Polls the sources whose next poll time has come.
    public func pollDue(_ sources: [SourceConfig]) async throws -> [SourcePollResult] {
        let now = clock.now()
        let states = Dictionary(uniqueKeysWithValues: try await store.pollStates().map { ($0.sourceName, $0) })
        let due = sources.filter { source in
            guard let state = states[source.name] else { return true }
            return !state.disabled && (state.nextPollAt ?? .distantPast) <= now
        }
        return await pollAll(due, states: states)
    }

    /// Polls due sources under leases, beside other workers on the same database: claims a
    /// batch (the store keeps each source to one worker and each host to `maxPerHost` polls in
    /// flight across all of them), polls it, and claims more as polls finish, until nothing is
    /// due. A source's lease ends when its poll has been recorded; a worker that dies leaves
    /// its leases to expire, and its sources are taken over. Results come back as polls finish.
    public func pollClaimed(_ sources: [SourceConfig], owner: String, leaseFor: TimeInterval) async throws -> [SourcePollResult] {
        let byName = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [SourcePollResult] = []
        var finished: [String] = []
        let capacity = max(1, settings.maxConcurrent)
        let began = clock.now()
        try await withThrowingTaskGroup(of: (String, SourcePollResult).self) { group in
            var running = 0
            var claiming = true
            while true {
                // On shutdown no more is claimed; the polls running finish and are recorded.
                if Task.isShuttingDownGracefully || Task.isCancelled { claiming = false }
                // Claim again when half the slots are free (or all are): a claim per finished poll
                // would be a transaction per source.
                if claiming && (running == 0 || capacity - running >= max(1, capacity / 2)) {
                    let claimed = try await store.claimDueSources(owner: owner, limit: capacity - running, perHost: settings.maxPerHost,
                                                                  leaseFor: leaseFor, release: finished, dueBy: began, now: clock.now())
                    finished.removeAll()
                    for name in claimed {
                        // A source another worker's configuration has and this one's does not: its
                        // lease is left to expire, so this worker does not claim it again meanwhile.
                        guard let source = byName[name] else {
                            logger.warning("source '\(name)' is due but not in this worker's configuration; left to the others")
                            continue
                        }
                        running += 1
                        group.addTask { (name, await self.poll(source)) }
                    }
                    if running == 0 {
                        if claimed.isEmpty { break }
                        continue
                    }
                }
                if running == 0 { break }
                guard let (name, result) = try await group.next() else { break }
                running -= 1
                finished.append(name)
                results.append(result)
            }
        }
        if !finished.isEmpty { try await store.releaseSources(finished, owner: owner) }
        return results
    }

    /// The earliest time any of these sources is due again.
    public func nextDue(_ sources: [SourceConfig]) async throws -> Date? {
        let names = Set(sources.map(\.name))
        return try await store.pollStates().filter { names.contains($0.sourceName) && !$0.disabled }.compactMap(\.nextPollAt).min()
    }

    /// Polls one source and records the outcome; never throws. `state`: the source's state as
    /// read for the pass (nil: read here).
    public func poll(_ source: SourceConfig, state: PollState? = nil) async -> SourcePollResult {
        let started = clock.now()
        let outcome: SourcePollResult.Outcome
        do {
            outcome = try await pollOrThrow(source, known: state, started: started)
        } catch is CancellationError {
            // Shutdown while polling: nothing of this poll was committed, and nothing is wrong.
            outcome = .skipped("stopped before the poll finished; nothing of it was stored")
        } catch {
            // Nothing of this poll was committed. The error is a failure of the pass (exit 2),
            // and it is recorded on the source when the store still takes a small write.
            let why = "store error: \(error)"
            outcome = .storeError(why)
            logger.error("store error while polling", metadata: ["source": "\(source.name)", "error": "\(error)"])
            let now = clock.now()
            let state = try? await store.pollState(source.name)
            let retryAt = now + backoffDelay(source, errors: (state?.consecutiveErrors ?? 0) + 1)
            do {
                _ = try await store.recordPollFailure(source.name, error: why, nextPollAt: retryAt, downAfter: settings.downAfter, now: now)
            } catch {
                logger.error("the store error could not be recorded on the source either", metadata: ["source": "\(source.name)", "error": "\(error)"])
            }
        }
        PipelineMetrics.poll(kind: source.kind, outcome)
        return SourcePollResult(source: source.name, outcome: outcome, duration: clock.now().timeIntervalSince(started))
    }

    private func pollOrThrow(_ source: SourceConfig, known: PollState?, started: Date) async throws -> SourcePollResult.Outcome {
        var state: PollState
        if let known { state = known } else { state = try await store.pollState(source.name) }
        if state.disabled { return .disabled("disabled: \(state.lastError ?? "no reason recorded")") }
        guard source.kind == .feed || source.kind == .json else {
            return try await mail.poll(source, state: state)
        }
        let request = FetchRequest(
            url: state.url, etag: state.etag, lastModified: state.lastModified,
            connectTimeout: .milliseconds(Int(settings.connectTimeout * 1000)), timeout: .milliseconds(Int(settings.timeout * 1000)),
            maxBodyBytes: settings.maxBodyBytes
        )
        let response: FetchResponse
        do {
            response = try await client.fetch(request)
        } catch let error as FetchError {
            return try await fail(source, state: state, error.description, needsConfigurationFix: error.needsConfigurationFix, now: clock.now())
        }
        let now = clock.now()
        switch response.status {
        case 304:
            let lifetime = response.freshnessLifetime(now: now)
            let next = now + PollSchedule.afterSuccess(interval: source.interval, serverLifetime: lifetime, feedTTLMinutes: nil, maxInterval: settings.maxInterval)
            // Committed with the polls finishing beside it (a pass of 304s was a transaction each).
            let success = PollSuccess(
                etag: response.headers["etag"] ?? state.etag, lastModified: response.headers["last-modified"] ?? state.lastModified,
                nextPollAt: next, newURL: response.permanentRedirectURL)
            let result = try await commits.commit(PollCommit(source: source.name, mentions: [], success: success), now: now)
            if result.recovered { logger.notice("source recovered", metadata: ["source": "\(source.name)"]) }
            return .notModified
        case 200..<300:
            return try await ingest(source, state: state, response: response, now: now)
        case 410:
            let why = "HTTP 410 Gone from \(state.url): the source was removed, so it is disabled — change or remove its URL in the config"
            _ = try await store.recordPollFailure(source.name, error: why, nextPollAt: .distantFuture, disable: true, downAfter: 0, now: now)
            return .disabled(why)
        case 429, 503:
            let retryAfter = response.retryAfter(now: now)
            let backoff = backoffDelay(source, errors: state.consecutiveErrors + 1)
            let wait = min(settings.backoffCap, max(retryAfter ?? 0, backoff))
            let why = "HTTP \(response.status) from \(state.url)" + (retryAfter.map { ", server asks to retry after \(Int($0)) s" } ?? "")
            _ = try await store.recordPollFailure(source.name, error: why, nextPollAt: now + wait, downAfter: settings.downAfter, now: now)
            return .failed(why, retryAt: now + wait)
        default:
            return try await fail(source, state: state, "HTTP \(response.status) from \(state.url)",
                                  needsConfigurationFix: FetchError.configurationStatuses.contains(response.status), now: now)
        }
    }

    /// Quarantines the content of every parse a previous process started and never finished
    /// (it died parsing it); call once before the first pass. Returns what was quarantined.
    @discardableResult
    public func quarantineCrashedParses() async throws -> [ParseJournal.Entry] {
        guard let journal else { return [] }
        let now = clock.now()
        var quarantined: [ParseJournal.Entry] = []
        for entry in journal.takeUnfinished() {
            let why = "quarantined: Outcry stopped while parsing this source's content (started \(SourcePollResult.format(entry.startedAt)));"
                + " that content is not parsed again until it changes — see the README on crash-loop protection"
            do {
                try await store.quarantineContent(entry.source, contentHash: entry.contentHash, error: why, nextPollAt: now, now: now)
                logger.error("source quarantined after a crash while parsing it", metadata: ["source": "\(entry.source)"])
                quarantined.append(entry)
            } catch let error as StoreError where error.isNotFound {
                continue  // the source was removed from the configuration meanwhile
            }
        }
        return quarantined
    }

    private func ingest(_ source: SourceConfig, state: PollState, response: FetchResponse, now: Date) async throws -> SourcePollResult.Outcome {
        if journal != nil || state.quarantinedContent != nil {
            let contentHash = ContentHash.hex(response.body)
            if let quarantined = state.quarantinedContent {
                if quarantined == contentHash {
                    let why = "quarantined: parsing this content stopped Outcry before; it is not parsed again until the source's content changes"
                    return try await fail(source, state: state, "\(why) (\(state.url))", now: now)
                }
                try await store.liftQuarantine(source.name)
                logger.notice("content changed: quarantine lifted", metadata: ["source": "\(source.name)"])
            }
            let entry = journal?.begin(source: source.name, contentHash: contentHash, now: now)
            defer { journal?.end(entry) }
            return try await parseAndStore(source, state: state, response: response, now: now)
        }
        return try await parseAndStore(source, state: state, response: response, now: now)
    }

    private func parseAndStore(_ source: SourceConfig, state: PollState, response: FetchResponse, now: Date) async throws -> SourcePollResult.Outcome {
        let parsed: [Mention]
        var warning: String?
        var ttl: Int?
        if source.kind == .json {
            do {
                let mapping = try JSONMapping.from(options: source.options)
                let result = try JSONAPIParser.parse(response.body, mapping: mapping, sourceName: source.name, fetchedAt: now)
                parsed = result.mentions
                if result.skipped > 0 { warning = "\(SourcePollResult.count(result.skipped, "item")) without an id or text \(result.skipped == 1 ? "was" : "were") skipped" }
            } catch {
                return try await fail(source, state: state, "\(error) (\(state.url))", now: now)
            }
        } else {
            let feed = FeedReader.read(
                response.body, contentType: response.headers["content-type"], url: response.effectiveURL,
                sourceName: source.name, fetchedAt: now)
            parsed = feed.mentions
            if parsed.isEmpty && feed.bozo {
                let what = response.body.isEmpty ? "empty response" : "could not read a feed: \(feed.bozoException ?? "not a feed")"
                return try await fail(source, state: state, "\(what) (\(state.url))", now: now)
            }
            if feed.bozo { warning = "feed is not well-formed (\(feed.bozoException ?? "unknown problem")); read what could be read" }
            ttl = feed.ttlMinutes
        }
        var mentions = parsed
        enricher.tag(&mentions, sourceBrand: source.brand)
        let enriched = await enricher.enrich(mentions, network: ContactLinker.network(of: source), source: source.name, scorer: scorer, now: now)
        let lifetime = response.freshnessLifetime(now: now)
        let next = now + PollSchedule.afterSuccess(
            interval: source.interval, serverLifetime: lifetime, feedTTLMinutes: ttl, maxInterval: settings.maxInterval
        )
        let success = PollSuccess(
            etag: response.headers["etag"], lastModified: response.headers["last-modified"], nextPollAt: next,
            newURL: response.permanentRedirectURL)
        let result = try await commits.commit(
            PollCommit(source: source.name, mentions: enriched.scored, success: success, links: enriched.links), now: now)
        if result.recovered { logger.notice("source recovered", metadata: ["source": "\(source.name)"]) }
        return .stored(result, warning: warning)
    }

    /// Records a failed poll. An error only a configuration change fixes (`needsConfigurationFix`)
    /// is stored as such (`outcry sources` says "fix config") and retried slowly, at the backoff cap.
    private func fail(_ source: SourceConfig, state: PollState, _ error: String, needsConfigurationFix: Bool = false,
                      now: Date) async throws -> SourcePollResult.Outcome {
        var error = SecretMasking.maskSecrets(inText: error)  // a feed URL's ?token=… never reaches output, logs or the store
        var retryAt = now + backoffDelay(source, errors: state.consecutiveErrors + 1)
        if needsConfigurationFix {
            error = PollState.configurationErrorPrefix + error
            retryAt = max(retryAt, now + settings.backoffCap)
        }
        let wentDown = try await store.recordPollFailure(source.name, error: error, nextPollAt: retryAt, downAfter: settings.downAfter, now: now)
        if wentDown { logger.warning("source down", metadata: ["source": "\(source.name)", "error": "\(error)"]) }
        return .failed(error, retryAt: retryAt)
    }

    private func backoffDelay(_ source: SourceConfig, errors: Int) -> TimeInterval {
        PollSchedule.backoff(interval: source.interval, consecutiveErrors: errors, cap: settings.backoffCap, jitter: random())
    }
}
