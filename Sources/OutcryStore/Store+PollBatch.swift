import Foundation
import OutcryModel
import SQLKit

/// One source's successful poll, committed alone (``Store/commitPoll``) or with others
/// (``Store/commitPolls``).
public struct PollCommit: Sendable {
    public let source: String
    /// The poll's mentions, a repeated key's last copy only (as a second poll would leave it).
    public let mentions: [ScoredMention]
    public var success: PollSuccess
    /// Contact links by mention key.
    public var links: [String: MentionLink]
    /// Each actionable mention's score summary and thread title, by key: made where the poll
    /// runs (beside the other polls), not on the commit, which is a pass's one serial step.
    let wording: [String: ThreadWording]
    /// Each mention's stored values (``Store/mentionValues(source:_:)``), made here for the same
    /// reason; nil where they could not be made (the commit makes them again and says why).
    let values: [BulkRows.Fragment?]

    public init(source: String, mentions: [ScoredMention], success: PollSuccess, links: [String: MentionLink] = [:]) {
        self.source = source
        self.mentions = Store.lastByKey(mentions)
        self.success = success
        self.links = links
        var wording: [String: ThreadWording] = [:]
        for item in self.mentions where item.isActionable { wording[item.mention.key] = ThreadWording(item) }
        self.wording = wording
        values = self.mentions.map { try? Store.mentionValues(source: source, $0) }
    }
}

/// What a thread opened by a mention says of it: the score's summary and the title.
struct ThreadWording: Sendable {
    var summary: String
    var title: String
    /// The `thread.opened` event's text: the summary with secrets masked (a quoted word may be one).
    var openedNote: String

    init(_ item: ScoredMention) {
        summary = item.score.summary
        title = Store.threadTitle(item.mention)
        openedNote = SecretMasking.maskSecrets(inText: summary)
    }
}

extension Store {
    /// Stores several sources' successful polls in one transaction, each as ``commitPoll``
    /// would: new mentions inserted, edited ones updated, threads opened or joined, alerts routed,
    /// validators and schedules recorded. All of it lands or none of it; the caller retries the
    /// polls one by one when a batch fails, so one bad poll never holds back the others.
    ///
    /// The work is done a step at a time for the whole batch, a few statements each (the
    /// sources' states, the stored hashes, one insert of every new mention, the placement facts,
    /// the thread plan's writes, one update of every source), instead of a dozen statements a
    /// source: on SQLite every statement is a fresh prepare and two thread hand-offs.
    public func commitPolls(
        _ commits: [PollCommit], alertOnBacklog: Bool = false, routing: (any ThreadAlertRouting)? = nil, now: Date = Date()
    ) async throws -> [IngestResult] {
        guard !commits.isEmpty else { return [] }
        return try await transaction {
            let states = try await pollStates(named: commits.map(\.source))
            var results = [IngestResult](repeating: IngestResult(), count: commits.count)
            var batches: [[ScoredMention]] = []
            for (index, commit) in commits.enumerated() {
                guard states[commit.source] != nil else { throw StoreError.notFound("source '\(commit.source)'") }
                results[index].backlog = states[commit.source]?.backlogDone == false
                batches.append(commit.mentions)
            }

            // New, edited and unchanged mentions.
            let existing = try await existingHashes(keys: batches.flatMap { $0.map(\.mention.key) })
            var fresh: [(commit: Int, item: ScoredMention, values: BulkRows.Fragment?)] = []
            var changed: [Set<String>] = Array(repeating: [], count: commits.count)
            for (index, batch) in batches.enumerated() {
                let source = commits[index].source
                for (position, item) in batch.enumerated() {
                    switch existing[SourceKey(source: source, key: item.mention.key)] {
                    case nil:
                        fresh.append((index, item, commits[index].values[position]))
                        changed[index].insert(item.mention.key)
                        results[index].inserted += 1
                    case item.mention.contentHash?:
                        results[index].unchanged += 1
                    default:
                        changed[index].insert(item.mention.key)
                        try await updateEdited(source: source, item)
                        results[index].updated += 1
                    }
                }
            }
            // Threads: the actionable new mentions, placed in order, then every new mention
            // inserted with its thread (no second write of each row to set it).
            var owners: [Int] = []
            var items: [PlacementItem] = []
            var itemOfFresh: [Int: Int] = [:]
            for (position, entry) in fresh.enumerated() where entry.item.isActionable {
                itemOfFresh[position] = items.count
                owners.append(entry.commit)
                let commit = commits[entry.commit]
                items.append(PlacementItem(item: entry.item, mentionID: 0, contactID: commit.links[entry.item.mention.key]?.contactID,
                                           wording: commit.wording[entry.item.mention.key]))
            }
            let rows = fresh.map { (source: commits[$0.commit].source, item: $0.item, backlog: results[$0.commit].backlog) }
            let placements: [ThreadPlacement]
            if placesByPlan {
                placements = try await placeByPlan(items, now: now)
                _ = try await insertMentions(rows, threads: fresh.indices.map { itemOfFresh[$0].map { placements[$0].thread } },
                                             values: fresh.map(\.values))
            } else {
                let ids = try await insertMentions(rows)
                for (position, item) in itemOfFresh { items[item].mentionID = ids[position] }
                placements = try await placeOneByOne(items, now: now)
            }
            for (index, commit) in commits.enumerated() where !commit.links.isEmpty {
                try await saveLinks(source: commit.source, commit.links.filter { changed[index].contains($0.key) }, now: now)
            }
            var alerts: [ThreadAlertRequest] = []
            for (position, placement) in placements.enumerated() {
                let index = owners[position]
                let silent = results[index].backlog && !alertOnBacklog
                let (item, wording) = (items[position].item, items[position].wording)
                switch placement {
                case .opened(let threadID):
                    results[index].threadsOpened.append(threadID)
                    if !silent {
                        alerts.append(Self.alertRequest(threadID: threadID, event: "thread.opened", item: item, wording: wording))
                        results[index].alertsQueued += 1
                    }
                case .joined(let threadID, let reopened):
                    results[index].threadsJoined.append(threadID)
                    if reopened && !silent {
                        alerts.append(Self.alertRequest(threadID: threadID, event: "thread.reopened", item: item, wording: wording))
                        results[index].alertsQueued += 1
                    }
                }
            }
            if let routing, !alerts.isEmpty { try await write(try await routing.outbox(for: alerts, store: self, now: now), now: now) }

            let recovered = try await recordPollSuccesses(commits.map { ($0.source, $0.success) }, states: states, now: now)
            for (index, commit) in commits.enumerated() { results[index].recovered = recovered.contains(commit.source) }
            return results
        }
    }

    /// A mention's identity: its source and its key there.
    struct SourceKey: Hashable {
        var source: String
        var key: String
    }

    /// The content hashes of stored mentions with these keys, by source and key.
    func existingHashes(keys: [String]) async throws -> [SourceKey: String] {
        var hashes: [SourceKey: String] = [:]
        for chunk in Array(Set(keys)).chunked(400) {
            for row in try await sql.raw("SELECT source_name, key, content_hash FROM mentions WHERE key IN (\(binds: Array(chunk)))").all() {
                let id = SourceKey(source: try row.decode(column: "source_name", as: String.self), key: try row.decode(column: "key", as: String.self))
                hashes[id] = try row.decode(column: "content_hash", as: String.self)
            }
        }
        return hashes
    }

    /// What a poll commit reads of its source.
    struct SourceCommitState {
        var url: String
        var backlogDone: Bool
        var wasFailing: Bool
    }

    func pollStates(named names: [String]) async throws -> [String: SourceCommitState] {
        var states: [String: SourceCommitState] = [:]
        for chunk in Array(Set(names)).chunked(400) {
            for row in try await sql.raw("""
                SELECT name, url, backlog_done, consecutive_errors, failing_since FROM sources WHERE name IN (\(binds: Array(chunk)))
                """).all() {
                states[try row.decode(column: "name", as: String.self)] = SourceCommitState(
                    url: try row.decode(column: "url", as: String.self),
                    backlogDone: try row.decode(column: "backlog_done", as: Int.self) == 1,
                    wasFailing: try row.decode(column: "consecutive_errors", as: Int.self) > 0
                        || row.decode(column: "failing_since", as: Double?.self) != nil)
            }
        }
        return states
    }

    /// ``recordPollSuccess`` for many sources: one update of all of them, and the rare events
    /// (a permanent redirect, a recovery) one by one. Returns the sources that recovered.
    func recordPollSuccesses(_ successes: [(source: String, success: PollSuccess)], states: [String: SourceCommitState],
                             now: Date) async throws -> Set<String> {
        var rows = BulkRows(width: 5)
        for (source, success) in successes {
            rows.beginRow()
            rows.text(source)
            rows.text(success.etag)
            rows.text(success.lastModified)
            rows.real(success.nextPollAt.timeIntervalSince1970)
            rows.text(success.newURL ?? states[source]?.url)
            rows.endRow()
        }
        let at = now.timeIntervalSince1970
        for chunk in rows.chunks {
            try await sql.raw(jsonStatement("""
                UPDATE sources SET etag = \(jsonValue(1, "text")), last_modified = \(jsonValue(2, "text")),
                next_poll_at = \(jsonValue(3, "double precision")), last_attempt_at = \(at), last_success_at = \(at),
                consecutive_errors = 0, last_error = NULL, failing_since = NULL, backlog_done = 1, url = \(jsonValue(4, "text"))
                FROM \(jsonRows) WHERE sources.name = \(jsonValue(0, "text"))
                """, chunk)).run()
        }
        var recovered: Set<String> = []
        for (source, success) in successes {
            guard let state = states[source] else { continue }
            if let newURL = success.newURL, newURL != state.url {
                try await recordEvent(kind: "source.moved", sourceName: source, detail: "permanent redirect: \(state.url) → \(newURL)", at: now)
            }
            if state.wasFailing, try await lastSourceEvent(source) == "source.down" {
                try await recordEvent(kind: "source.recovered", sourceName: source, detail: "fetched successfully again", at: now)
                recovered.insert(source)
            }
        }
        return recovered
    }
}
