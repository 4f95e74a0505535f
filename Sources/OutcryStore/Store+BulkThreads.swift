import Foundation
import OutcryModel
import SQLKit

extension Store {
    /// One actionable mention of a commit, with its new row id and the contact it was linked to.
    struct Placeable {
        var item: ScoredMention
        var mentionID: Int64
        var contactID: Int64?
    }

    /// Opens, in a few statements, the threads of the mentions of one commit that certainly open a
    /// thread of their own, and returns their thread ids by position in `items`. The rest go
    /// through ``placeInThread(_:mentionID:now:fallbackThread:contactID:)`` one by one, after this.
    ///
    /// A mention is placed here only when ``placeInThread`` could not have placed it elsewhere and
    /// no other mention of the commit could have been placed into its thread, whatever their order:
    /// - none of its parents is in a thread, nor a mention of this commit, and no mention of this
    ///   commit names it as a parent;
    /// - no thread of its author (by handle, else by name) on its channel is stored, and no other
    ///   mention of this commit shares its author that way.
    /// On a first poll nearly every mention opens its own thread: this is what made a pass of 40,000
    /// new posts cost six statements each.
    func openThreadsInBulk(_ items: [Placeable], now: Date) async throws -> [Int: Int64] {
        guard bulkThreadOpening, !items.isEmpty else { return [:] }
        let batchKeys = Set(items.map(\.item.mention.key))
        let namedAsParent = Set(items.flatMap(\.item.mention.parentKeys))
        var candidates = items.indices.filter { index in
            let m = items[index].item.mention
            return !namedAsParent.contains(m.key) && !m.parentKeys.contains(where: batchKeys.contains)
        }
        // Parents stored in a thread.
        let storedParents = Set(candidates.flatMap { items[$0].item.mention.parentKeys })
        if !storedParents.isEmpty {
            var threaded: Set<String> = []
            for chunk in Array(storedParents).chunked(400) {
                for row in try await sql.raw("""
                    SELECT DISTINCT key FROM mentions WHERE key IN (\(binds: Array(chunk))) AND thread_id IS NOT NULL
                    """).all() {
                    threaded.insert(try row.decode(column: "key", as: String.self))
                }
            }
            candidates.removeAll { items[$0].item.mention.parentKeys.contains(where: threaded.contains) }
        }
        // The author's open threads, stored or opened by another mention of this commit.
        if authorThreadWindow > 0 {
            candidates = try await withoutAuthorThreads(candidates, items, now: now)
        }
        guard !candidates.isEmpty else { return [:] }

        let segments = try await segments(ofContacts: candidates.compactMap { items[$0].contactID })
        var opened: [Int: Int64] = [:]
        for chunk in candidates.chunked(100) {
            var keyToIndex: [String: Int] = [:]
            var rows: [SQLQueryString] = []
            for index in chunk {
                let (item, m) = (items[index].item, items[index].item.mention)
                let key = "\(m.sourceName)/\(m.key)"
                keyToIndex[key] = index
                let openedAt = (m.publishedAt.map { min($0, now) } ?? now).timeIntervalSince1970
                let segment = items[index].contactID.flatMap { segments[$0] }
                rows.append("""
                    (\(bind: key), 'new', \(bind: item.score.severity.rawValue), \(bind: item.score.severity.rank), \(bind: Self.threadTitle(m)),
                    \(bind: m.sourceName), \(bind: m.channel.rawValue), \(bind: m.authorName), \(bind: m.authorHandle),
                    \(bind: openedAt), \(bind: openedAt), 1, \(bind: item.score.summary), \(bind: m.brand), \(bind: segment))
                    """)
            }
            let inserted = try await sql.raw("""
                INSERT INTO threads (key, status, severity, severity_rank, title, source_name, channel, author_name,
                author_handle, opened_at, last_mention_at, mention_count, summary, brand, segment)
                VALUES \(rows.joined(separator: ", "))
                RETURNING id, key
                """).all()
            for row in inserted {
                if let index = keyToIndex[try row.decode(column: "key", as: String.self)] {
                    opened[index] = try row.decode(column: "id", as: Int64.self)
                }
            }
            let mentionIDs = chunk.map { items[$0].mentionID }
            try await sql.raw("""
                UPDATE mentions SET thread_id = (SELECT t.id FROM threads t WHERE t.key = mentions.source_name || '/' || mentions.key)
                WHERE id IN (\(binds: mentionIDs))
                """).run()
            let events: [SQLQueryString] = try chunk.map { index in
                guard let threadID = opened[index] else { throw StoreError.notFound("thread just opened for mention \(items[index].mentionID)") }
                let detail = SecretMasking.maskSecrets(inText: items[index].item.score.summary)
                return "('thread.opened', NULL, \(bind: threadID), 'outcry', \(bind: detail), \(bind: now.timeIntervalSince1970))"
            }
            try await sql.raw("""
                INSERT INTO events (kind, source_name, thread_id, actor, detail, at) VALUES \(events.joined(separator: ", "))
                """).run()
        }
        threadsOpenedInBulk += opened.count
        return opened
    }

    /// `candidates` without the mentions that an author thread could take, or whose thread another
    /// mention of the commit could join (the rule of ``placeInThread``: same author by handle, else
    /// by name, same channel and brand, open, active within the window), counting brand, status
    /// and window as if they always matched: placing the others can change all three.
    private func withoutAuthorThreads(_ candidates: [Int], _ items: [Placeable], now: Date) async throws -> [Int] {
        func author(_ m: Mention) -> (column: String, value: String)? {
            guard m.channel != .mail else { return nil }
            if let handle = m.authorHandle { return handle.isEmpty ? nil : ("author_handle", handle) }
            if let name = m.authorName, !name.isEmpty { return ("author_name", name) }
            return nil
        }
        func value(_ m: Mention, _ column: String) -> String? { column == "author_handle" ? m.authorHandle : m.authorName }
        func key(_ column: String, _ value: String, _ m: Mention) -> String {
            [column, value, m.channel.rawValue].joined(separator: "\u{1F}")
        }
        // Within the commit: a mention whose author another's thread matches, or whose thread
        // another's author matches, either way round (hashed: a commit can hold thousands).
        let all = items.map(\.item.mention)
        var authorKeys: [String: Int] = [:]
        var valueKeys: [String: Int] = [:]
        for m in all where m.channel != .mail {
            if let (column, value) = author(m) { authorKeys[key(column, value, m), default: 0] += 1 }
            for column in ["author_handle", "author_name"] {
                if let value = value(m, column), !value.isEmpty { valueKeys[key(column, value, m), default: 0] += 1 }
            }
        }
        var kept = candidates.filter { index in
            let m = all[index]
            guard m.channel != .mail else { return true }
            let mine = author(m).map { key($0.column, $0.value, m) }
            if let mine, valueKeys[mine, default: 0] > 1 { return false }
            for column in ["author_handle", "author_name"] {
                guard let value = value(m, column), !value.isEmpty else { continue }
                let theirs = key(column, value, m)
                if authorKeys[theirs, default: 0] - (theirs == mine ? 1 : 0) > 0 { return false }
            }
            return true
        }
        // Stored threads of these authors on the same channel, whatever their status, brand and last
        // activity: a reply placed one by one in this commit can reopen such a thread, bring it into
        // the window, or give it a brand, and then it would take the mention.
        let handles = Set(kept.compactMap { author(all[$0]).flatMap { $0.column == "author_handle" ? $0.value : nil } })
        let names = Set(kept.compactMap { author(all[$0]).flatMap { $0.column == "author_name" ? $0.value : nil } })
        var stored: Set<String> = []
        for (column, values) in [("author_handle", handles), ("author_name", names)] where !values.isEmpty {
            for chunk in Array(values).chunked(400) {
                for row in try await sql.raw("""
                    SELECT DISTINCT \(unsafeRaw: column) AS value, channel FROM threads WHERE \(unsafeRaw: column) IN (\(binds: Array(chunk)))
                    """).all() {
                    stored.insert([column, try row.decode(column: "value", as: String.self),
                                   try row.decode(column: "channel", as: String.self)].joined(separator: "\u{1F}"))
                }
            }
        }
        kept.removeAll { index in
            guard let (column, value) = author(all[index]) else { return false }
            return stored.contains(key(column, value, all[index]))
        }
        return kept
    }

    /// The tiers (segments) of these contacts, leaving out those who opted out.
    func segments(ofContacts ids: [Int64]) async throws -> [Int64: String] {
        var tiers: [Int64: String] = [:]
        for chunk in Array(Set(ids)).chunked(400) {
            for row in try await sql.raw("SELECT id, tier FROM contacts WHERE id IN (\(binds: Array(chunk))) AND opted_out = 0").all() {
                if let tier = try row.decode(column: "tier", as: String?.self) { tiers[try row.decode(column: "id", as: Int64.self)] = tier }
            }
        }
        return tiers
    }
}
