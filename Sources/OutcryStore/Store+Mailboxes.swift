import Foundation
import OutcryModel
import SQLKit

/// Where the poller stands in one IMAP folder: the folder's UIDVALIDITY and the highest UID
/// whose message is committed (stored, skipped or quarantined).
public struct MailboxCursor: Sendable, Equatable {
    public var folder: String
    public var uidValidity: UInt32
    public var lastUID: UInt32

    public init(folder: String, uidValidity: UInt32, lastUID: UInt32) {
        self.folder = folder
        self.uidValidity = uidValidity
        self.lastUID = lastUID
    }
}

/// What a stored mail is: a customer's message, an automatic one (not a complaint), or a
/// response from the team.
public enum MailRole: String, Sendable, Equatable, CaseIterable {
    case customer
    case autoReply = "auto_reply"
    case bounce
    case feedbackReport = "feedback_report"
    case list
    /// Written by the team (an own address, or found in the Sent folder).
    case response
}

/// One fetched mail, ready to commit.
public struct MailItem: Sendable, Equatable {
    /// Keyed by Message-ID (the same id other mails name in `In-Reply-To`/`References`).
    public var scored: ScoredMention
    public var role: MailRole
    /// Why the mail is not a customer's (the header or pattern that decided), or why it is a response.
    public var roleReason: String?
    public var folder: String
    /// IMAP UID or POP3 UIDL, for finding the message on the server.
    public var messageRef: String
    /// For customer mail the sender; for a response the customers it was sent to (lowercased).
    public var correspondents: [String]
    /// The subject without `Re:`/`Fwd:`/… prefixes, lowercased; empty when there is none.
    public var subjectKey: String
    /// Stored without alerts even after the backlog (older mail found on a resynchronisation).
    public var silent: Bool

    public init(
        scored: ScoredMention, role: MailRole, roleReason: String? = nil, folder: String, messageRef: String,
        correspondents: [String], subjectKey: String, silent: Bool = false
    ) {
        self.scored = scored
        self.role = role
        self.roleReason = roleReason
        self.folder = folder
        self.messageRef = messageRef
        self.correspondents = correspondents
        self.subjectKey = subjectKey
        self.silent = silent
    }

    /// When the mail was sent (its Date header, never later than when it was fetched).
    public var sentAt: Date { scored.mention.publishedAt.map { min($0, scored.mention.fetchedAt) } ?? scored.mention.fetchedAt }
}

/// A message that could not be taken in, recorded so that it is not fetched again.
public struct QuarantinedMail: Sendable, Equatable {
    public var folder: String
    public var uidValidity: UInt32
    /// IMAP UID or POP3 UIDL.
    public var messageRef: String
    public var messageID: String?
    public var size: Int?
    public var reason: String
    public var at: Date?

    public init(folder: String = "", uidValidity: UInt32 = 0, messageRef: String, messageID: String? = nil, size: Int? = nil, reason: String, at: Date? = nil) {
        self.folder = folder
        self.uidValidity = uidValidity
        self.messageRef = messageRef
        self.messageID = messageID
        self.size = size
        self.reason = reason
        self.at = at
    }
}

/// One batch of a mailbox poll, committed whole: its mails, its quarantined messages and the
/// cursor that moves past all of them.
public struct MailCommit: Sendable, Equatable {
    public var items: [MailItem] = []
    public var quarantined: [QuarantinedMail] = []
    /// IMAP: the folder's new position.
    public var cursor: MailboxCursor?
    /// POP3: every UIDL this batch took in (stored, duplicate, skipped or quarantined).
    public var uidls: [String] = []
    /// Set on the last batch of a pass: the source's schedule, and the end of its backlog.
    public var success: PollSuccess?
    /// Contact links of the batch's mails, by key (Message-ID); stored for newly stored mail.
    public var links: [String: MentionLink] = [:]

    public init(
        items: [MailItem] = [], quarantined: [QuarantinedMail] = [], cursor: MailboxCursor? = nil, uidls: [String] = [],
        success: PollSuccess? = nil, links: [String: MentionLink] = [:]
    ) {
        self.links = links
        self.items = items
        self.quarantined = quarantined
        self.cursor = cursor
        self.uidls = uidls
        self.success = success
    }
}

/// What a committed mail batch changed, beyond the mentions.
public struct MailCommitResult: Sendable, Equatable {
    public var ingest = IngestResult()
    /// Mails already stored under the same Message-ID (a resynchronised folder, Sent and Inbox).
    public var duplicates = 0
    /// Responses of the team, and how many of them found their thread.
    public var responses = 0
    public var threadsResponded: [ThreadID] = []
    /// Auto-replies, bounces, feedback reports and list mail stored without a thread.
    public var automatic = 0
    public var quarantined = 0

    public init() {}
}

/// The quarantine of one source, for `outcry sources`.
public struct QuarantineSummary: Sendable, Equatable {
    public var sourceName: String
    public var count: Int
    public var lastReason: String
    public var lastAt: Date
}

/// Where a mailbox source stands, for `outcry sources`: its folders' cursors (IMAP), how many
/// UIDLs it has taken in (POP3), and its quarantine with the latest entries.
public struct MailboxStatus: Sendable, Equatable {
    public struct Folder: Sendable, Equatable {
        public var cursor: MailboxCursor
        /// When the cursor was last committed.
        public var updatedAt: Date
    }

    public var sourceName: String
    public var folders: [Folder] = []
    public var uidls = 0
    public var lastUIDLAt: Date?
    public var quarantined = 0
    /// The newest quarantined messages first (at most the number asked for).
    public var latestQuarantined: [QuarantinedMail] = []

    public init(sourceName: String) { self.sourceName = sourceName }
}

/// A stored mail as the mailbox poller recorded it.
public struct StoredMail: Sendable, Equatable {
    public var mentionID: MentionID
    public var role: MailRole
    public var roleReason: String?
    public var threadID: ThreadID?
    public var folder: String
    public var messageRef: String
}

extension ThreadPlacement {
    var thread: ThreadID {
        switch self {
        case .opened(let id), .joined(let id, _): id
        }
    }
}

extension Store {
    /// How close two mails with the same sender and subject must be to share a thread.
    public static let mailSubjectWindow: TimeInterval = 30 * 86400

    /// Commits one batch of a mailbox poll in a single transaction: new mails stored (a
    /// Message-ID already stored is skipped), customer complaints threaded and alerted (not
    /// during the backlog, nor when `silent`), automatic mail stored without a thread, team
    /// responses put on their thread (`responded`, with a `thread.responded` event at the time
    /// the response was sent), quarantined messages recorded, and the cursor (IMAP) or the
    /// UIDLs (POP3) moved past all of it. A crash before this returns leaves none of it, so the
    /// next pass fetches the same messages again; one after it finds them all committed.
    ///
    /// The backlog lasts until a batch with `success` is committed, so a first pass split into
    /// several batches (or interrupted) stays silent throughout.
    public func commitMailPoll(
        source: String, _ commit: MailCommit, alertOnBacklog: Bool = false, routing: (any ThreadAlertRouting)? = nil, now: Date = Date()
    ) async throws -> MailCommitResult {
        try await transaction {
            var result = MailCommitResult()
            var alerts: [ThreadAlertRequest] = []
            let backlog = try await !backlogDone(source)
            result.ingest.backlog = backlog

            var seenKeys = Set<String>()
            let batch = commit.items.filter { seenKeys.insert($0.scored.mention.key).inserted }  // first copy wins
            let existing = try await existingHashes(keys: batch.map(\.scored.mention.key))
            let fresh = batch.filter { existing[SourceKey(source: source, key: $0.scored.mention.key)] == nil }
            result.duplicates = commit.items.count - fresh.count
            result.ingest.unchanged = result.duplicates

            if placesByPlan {
                try await placeMailByPlan(source: source, fresh, commit: commit, backlog: backlog, alertOnBacklog: alertOnBacklog,
                                          result: &result, alerts: &alerts, now: now)
            } else {
                try await placeMailOneByOne(source: source, fresh, commit: commit, backlog: backlog, alertOnBacklog: alertOnBacklog,
                                            result: &result, alerts: &alerts, now: now)
            }

            // Contact links land in the same transaction as their mails (a duplicate keeps its first link).
            let freshKeys = Set(fresh.map(\.scored.mention.key))
            try await saveLinks(source: source, commit.links.filter { freshKeys.contains($0.key) }, now: now)
            if let routing, !alerts.isEmpty { try await write(try await routing.outbox(for: alerts, store: self, now: now), now: now) }
            result.ingest.alertsQueued = alerts.count

            for q in commit.quarantined {
                try await sql.raw("""
                    INSERT INTO quarantine (source_name, folder, uid_validity, message_ref, message_id, size, reason, at)
                    VALUES (\(bind: source), \(bind: q.folder), \(bind: Int64(q.uidValidity)), \(bind: q.messageRef), \(bind: q.messageID),
                    \(bind: q.size), \(bind: q.reason), \(bind: now.timeIntervalSince1970))
                    ON CONFLICT (source_name, folder, uid_validity, message_ref) DO NOTHING
                    """).run()
                result.quarantined += 1
            }
            if let cursor = commit.cursor {
                try await sql.raw("""
                    INSERT INTO mailbox_cursors (source_name, folder, uid_validity, last_uid, updated_at)
                    VALUES (\(bind: source), \(bind: cursor.folder), \(bind: Int64(cursor.uidValidity)), \(bind: Int64(cursor.lastUID)),
                    \(bind: now.timeIntervalSince1970))
                    ON CONFLICT (source_name, folder) DO UPDATE SET uid_validity = excluded.uid_validity,
                    last_uid = excluded.last_uid, updated_at = excluded.updated_at
                    """).run()
            }
            for uidl in Set(commit.uidls) {
                try await sql.raw("""
                    INSERT INTO mailbox_uidls (source_name, uidl, seen_at) VALUES (\(bind: source), \(bind: uidl), \(bind: now.timeIntervalSince1970))
                    ON CONFLICT (source_name, uidl) DO NOTHING
                    """).run()
            }
            if let success = commit.success {
                result.ingest.recovered = try await recordPollSuccess(source, success, now: now)
            }
            return result
        }
    }

    /// The reference ``placeMailByPlan`` is tested against (``placesByPlan`` off): each fresh
    /// mail stored, then placed by ``placeInThread`` (customers) or ``recordResponse``, in order.
    private func placeMailOneByOne(
        source: String, _ fresh: [MailItem], commit: MailCommit, backlog: Bool, alertOnBacklog: Bool,
        result: inout MailCommitResult, alerts: inout [ThreadAlertRequest], now: Date
    ) async throws {
        for item in fresh {
            let silent = (backlog && !alertOnBacklog) || item.silent
            guard let id = try await insertMentions([(source, item.scored, backlog || item.silent)]).first else { continue }
            result.ingest.inserted += 1
            try await insertMailMessage(source: source, item, mentionID: id)
            switch item.role {
            case .customer:
                guard item.scored.isActionable else { continue }
                let fallback = try await subjectThread(senders: item.correspondents, item)
                let placement = try await placeInThread(item.scored, mentionID: id, now: now, fallbackThread: fallback,
                                                         contactID: commit.links[item.scored.mention.key]?.contactID)
                try await recordCustomerMail(item, placement: placement, silent: silent, result: &result, alerts: &alerts)
            case .response:
                result.responses += 1
                if let threadID = try await recordResponse(item, mentionID: id, source: source) { result.threadsResponded.append(threadID) }
            case .autoReply, .bounce, .feedbackReport, .list:
                result.automatic += 1
            }
        }
    }

    /// What a placed customer mail adds, whichever way it was placed: the unverified-sender event
    /// on its thread, the thread opened or joined in the result, and the alert unless silent.
    private func recordCustomerMail(
        _ item: MailItem, placement: ThreadPlacement, silent: Bool,
        result: inout MailCommitResult, alerts: inout [ThreadAlertRequest]
    ) async throws {
        if let note = item.roleReason {  // e.g. a From that claims an own address without authentication
            try await recordEvent(kind: "mail.unverified_sender", threadID: placement.thread, actor: "outcry",
                                  detail: "mail \(item.scored.mention.key): \(note)", at: item.sentAt)
        }
        switch placement {
        case .opened(let threadID):
            result.ingest.threadsOpened.append(threadID)
            if !silent { alerts.append(Self.alertRequest(threadID: threadID, event: "thread.opened", item: item.scored)) }
        case .joined(let threadID, let reopened):
            result.ingest.threadsJoined.append(threadID)
            if reopened && !silent { alerts.append(Self.alertRequest(threadID: threadID, event: "thread.reopened", item: item.scored)) }
        }
    }

    /// A mail batch's placement as one plan: the facts read first (references, subject
    /// candidates, threads), customer mails and responses placed in order by ``ThreadPlan``
    /// without the database, the plan written, then the mails inserted with their threads.
    private func placeMailByPlan(
        source: String, _ fresh: [MailItem], commit: MailCommit, backlog: Bool, alertOnBacklog: Bool,
        result: inout MailCommitResult, alerts: inout [ThreadAlertRequest], now: Date
    ) async throws {
        var items: [PlacementItem] = []
        var itemOfFresh: [Int: Int] = [:]
        for (position, item) in fresh.enumerated() {
            let role: PlacementMail.Role
            switch item.role {
            case .customer where item.scored.isActionable:
                role = .customer
            case .response:
                let m = item.scored.mention
                role = .response(actor: m.authorEmail ?? m.authorHandle ?? "the team",
                                 note: "mail response \(m.key)" + (item.roleReason.map { " (\($0))" } ?? ""))
            default:
                continue
            }
            itemOfFresh[position] = items.count
            let contactID = item.role == .customer ? commit.links[item.scored.mention.key]?.contactID : nil
            items.append(PlacementItem(item: item.scored, mentionID: 0, contactID: contactID, mail: PlacementMail(
                role: role, source: source, correspondents: item.correspondents, subjectKey: item.subjectKey,
                sentAt: item.sentAt.timeIntervalSince1970)))
        }
        let placements = try await planPlacements(items, now: now)
        _ = try await insertMentions(fresh.map { (source, $0.scored, backlog || $0.silent) },
                                     threads: fresh.indices.map { itemOfFresh[$0].flatMap { placements[$0]?.thread } })
        // Inserted with their threads, the rows return no ids: the mail records read them back.
        var ids: [String: MentionID] = [:]
        for chunk in fresh.map(\.scored.mention.key).chunked(400) {
            for row in try await sql.raw("""
                SELECT id, key FROM mentions WHERE source_name = \(bind: source) AND key IN (\(binds: Array(chunk)))
                """).all() {
                ids[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: MentionID.self)
            }
        }
        for (position, item) in fresh.enumerated() {
            let silent = (backlog && !alertOnBacklog) || item.silent
            guard let id = ids[item.scored.mention.key] else { throw StoreError.notFound("mail '\(item.scored.mention.key)' just inserted") }
            result.ingest.inserted += 1
            try await insertMailMessage(source: source, item, mentionID: id)
            let placement = itemOfFresh[position].flatMap { placements[$0] }
            switch item.role {
            case .customer:
                guard let placement else { continue }
                try await recordCustomerMail(item, placement: placement, silent: silent, result: &result, alerts: &alerts)
            case .response:
                result.responses += 1
                if let placement { result.threadsResponded.append(placement.thread) }
            case .autoReply, .bounce, .feedbackReport, .list:
                result.automatic += 1
            }
        }
    }

    private func insertMailMessage(source: String, _ item: MailItem, mentionID: MentionID) async throws {
        try await sql.raw("""
            INSERT INTO mail_messages (mention_id, source_name, message_key, kind, kind_reason, folder, message_ref, sender, subject_key, sent_at)
            VALUES (\(bind: mentionID), \(bind: source), \(bind: item.scored.mention.key), \(bind: item.role.rawValue), \(bind: item.roleReason),
            \(bind: item.folder), \(bind: item.messageRef), \(bind: item.correspondents.first ?? ""), \(bind: item.subjectKey),
            \(bind: item.sentAt.timeIntervalSince1970))
            """).run()
    }

    /// The thread of the latest customer mail from one of `senders` with the same subject
    /// within ``mailSubjectWindow`` before `item` (the fallback when no reference matches).
    private func subjectThread(senders: [String], _ item: MailItem, source: String? = nil) async throws -> ThreadID? {
        guard !item.subjectKey.isEmpty else { return nil }
        let since = item.sentAt.timeIntervalSince1970 - Self.mailSubjectWindow
        for sender in senders where !sender.isEmpty {
            let row = try await sql.raw("""
                SELECT m.thread_id FROM mail_messages mm JOIN mentions m ON m.id = mm.mention_id
                WHERE mm.sender = \(bind: sender) AND mm.subject_key = \(bind: item.subjectKey) AND mm.kind = 'customer'
                AND (\(bind: source) IS NULL OR mm.source_name = \(bind: source))
                AND mm.sent_at >= \(bind: since) AND m.thread_id IS NOT NULL
                ORDER BY mm.sent_at DESC, mm.mention_id DESC LIMIT 1
                """).first()
            if let threadID = try row?.decode(column: "thread_id", as: ThreadID.self) { return threadID }
        }
        return nil
    }

    /// Puts a team response on the thread it answers (by `In-Reply-To`/`References`, else by
    /// recipient and subject): status `responded` (a resolved thread stays resolved) and a
    /// `thread.responded` event at the response's time. Returns the thread, if one was found.
    /// Only threads of the same mailbox (`source`) are answered: a response cannot mark a thread
    /// of another mailbox or of a feed answered.
    private func recordResponse(_ item: MailItem, mentionID: MentionID, source: String) async throws -> ThreadID? {
        let m = item.scored.mention
        var threadID: ThreadID?
        for parent in ([m.inReplyTo].compactMap { $0 } + m.references.reversed()) where !parent.isEmpty {
            let row = try await sql.raw("""
                SELECT thread_id FROM mentions WHERE key = \(bind: parent) AND source_name = \(bind: source) AND thread_id IS NOT NULL LIMIT 1
                """).first()
            if let found = try row?.decode(column: "thread_id", as: ThreadID.self) {
                threadID = found
                break
            }
        }
        if threadID == nil { threadID = try await subjectThread(senders: item.correspondents, item, source: source) }
        guard let threadID else { return nil }
        try await sql.raw("UPDATE mentions SET thread_id = \(bind: threadID) WHERE id = \(bind: mentionID)").run()
        try await sql.raw("UPDATE threads SET status = 'responded' WHERE id = \(bind: threadID) AND status <> 'resolved'").run()
        let who = m.authorEmail ?? m.authorHandle ?? "the team"
        try await recordEvent(kind: "thread.responded", threadID: threadID, actor: who,
                              detail: "mail response \(m.key)" + (item.roleReason.map { " (\($0))" } ?? ""), at: item.sentAt)
        return threadID
    }

    /// The cursor of one IMAP folder, nil before its first commit.
    public func mailboxCursor(source: String, folder: String) async throws -> MailboxCursor? {
        guard let row = try await sql.raw("""
            SELECT uid_validity, last_uid FROM mailbox_cursors WHERE source_name = \(bind: source) AND folder = \(bind: folder)
            """).first() else { return nil }
        return MailboxCursor(
            folder: folder, uidValidity: UInt32(truncatingIfNeeded: try row.decode(column: "uid_validity", as: Int64.self)),
            lastUID: UInt32(truncatingIfNeeded: try row.decode(column: "last_uid", as: Int64.self)))
    }

    /// The POP3 UIDLs already taken in from a source.
    public func seenUIDLs(source: String) async throws -> Set<String> {
        Set(try await sql.raw("SELECT uidl FROM mailbox_uidls WHERE source_name = \(bind: source)").all()
            .map { try $0.decode(column: "uidl", as: String.self) })
    }

    /// A stored mail by its key (Message-ID), with its role and thread.
    public func storedMail(source: String, key: String) async throws -> StoredMail? {
        guard let row = try await sql.raw("""
            SELECT mm.mention_id, mm.kind, mm.kind_reason, mm.folder, mm.message_ref, m.thread_id
            FROM mail_messages mm JOIN mentions m ON m.id = mm.mention_id
            WHERE mm.source_name = \(bind: source) AND mm.message_key = \(bind: key)
            """).first() else { return nil }
        return StoredMail(
            mentionID: try row.decode(column: "mention_id", as: MentionID.self),
            role: MailRole(rawValue: try row.decode(column: "kind", as: String.self)) ?? .customer,
            roleReason: try row.decode(column: "kind_reason", as: String?.self),
            threadID: try row.decode(column: "thread_id", as: ThreadID?.self),
            folder: try row.decode(column: "folder", as: String.self),
            messageRef: try row.decode(column: "message_ref", as: String.self))
    }

    /// When the team responded on a thread (the `thread.responded` events), oldest first.
    public func responseTimes(thread threadID: ThreadID) async throws -> [Date] {
        try await sql.raw("""
            SELECT at FROM events WHERE thread_id = \(bind: threadID) AND kind = 'thread.responded' ORDER BY at, id
            """).all().map { Date(timeIntervalSince1970: try $0.decode(column: "at", as: Double.self)) }
    }

    /// The quarantined messages of a source, newest first.
    public func quarantine(source: String) async throws -> [QuarantinedMail] {
        try await sql.raw("""
            SELECT * FROM quarantine WHERE source_name = \(bind: source) ORDER BY at DESC, id DESC
            """).all().map { row in
            QuarantinedMail(
                folder: try row.decode(column: "folder", as: String.self),
                uidValidity: UInt32(truncatingIfNeeded: try row.decode(column: "uid_validity", as: Int64.self)),
                messageRef: try row.decode(column: "message_ref", as: String.self),
                messageID: try row.decode(column: "message_id", as: String?.self),
                size: try row.decode(column: "size", as: Int?.self),
                reason: try row.decode(column: "reason", as: String.self),
                at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)))
        }
    }

    /// Every mailbox source's cursors, UIDL count and quarantine (count and the `latest` newest
    /// entries), by source name; sources that never committed a mail batch are absent.
    public func mailboxStatuses(latest: Int = 3) async throws -> [String: MailboxStatus] {
        var result: [String: MailboxStatus] = [:]
        func status(_ name: String) -> MailboxStatus { result[name] ?? MailboxStatus(sourceName: name) }
        for row in try await sql.raw("""
            SELECT source_name, folder, uid_validity, last_uid, updated_at FROM mailbox_cursors ORDER BY source_name, folder
            """).all() {
            let name = try row.decode(column: "source_name", as: String.self)
            var s = status(name)
            s.folders.append(MailboxStatus.Folder(
                cursor: MailboxCursor(
                    folder: try row.decode(column: "folder", as: String.self),
                    uidValidity: UInt32(truncatingIfNeeded: try row.decode(column: "uid_validity", as: Int64.self)),
                    lastUID: UInt32(truncatingIfNeeded: try row.decode(column: "last_uid", as: Int64.self))),
                updatedAt: Date(timeIntervalSince1970: try row.decode(column: "updated_at", as: Double.self))))
            result[name] = s
        }
        for row in try await sql.raw("""
            SELECT source_name, COUNT(*) AS n, MAX(seen_at) AS last FROM mailbox_uidls GROUP BY source_name
            """).all() {
            let name = try row.decode(column: "source_name", as: String.self)
            var s = status(name)
            s.uidls = try row.decode(column: "n", as: Int.self)
            s.lastUIDLAt = try row.decode(column: "last", as: Double?.self).map { Date(timeIntervalSince1970: $0) }
            result[name] = s
        }
        for row in try await sql.raw("SELECT source_name, COUNT(*) AS n FROM quarantine GROUP BY source_name").all() {
            let name = try row.decode(column: "source_name", as: String.self)
            var s = status(name)
            s.quarantined = try row.decode(column: "n", as: Int.self)
            s.latestQuarantined = Array(try await quarantine(source: name).prefix(max(0, latest)))
            result[name] = s
        }
        return result
    }

    /// Each source's quarantine count and latest reason, for `outcry sources`.
    public func quarantineSummaries() async throws -> [String: QuarantineSummary] {
        let rows = try await sql.raw("""
            SELECT q.source_name, q.reason, q.at, c.n FROM quarantine q
            JOIN (SELECT source_name, COUNT(*) AS n, MAX(id) AS last_id FROM quarantine GROUP BY source_name) c ON c.last_id = q.id
            """).all()
        var result: [String: QuarantineSummary] = [:]
        for row in rows {
            let name = try row.decode(column: "source_name", as: String.self)
            result[name] = QuarantineSummary(
                sourceName: name, count: try row.decode(column: "n", as: Int.self),
                lastReason: try row.decode(column: "reason", as: String.self),
                lastAt: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)))
        }
        return result
    }
}
