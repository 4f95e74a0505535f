import Foundation
import OutcryFetch
import OutcryModel
import OutcryStore

extension MailPoller {
    /// The account's folder, then the sent folder (so that responses find the threads they answer).
    func pollIMAP(_ pass: MailPass, _ tally: inout MailPassTally) async throws {
        let session = IMAPSession(account: pass.account)
        defer { session.close() }
        var folders = [(name: pass.account.folder, sent: false)]
        if let sent = pass.options.sentFolder, sent != pass.account.folder { folders.append((sent, true)) }
        for (index, folder) in folders.enumerated() {
            try await pollFolder(pass, session, folder: folder.name, isSent: folder.sent, last: index == folders.count - 1, &tally)
        }
    }

    private func pollFolder(
        _ pass: MailPass, _ session: IMAPSession, folder: String, isSent: Bool, last: Bool, _ tally: inout MailPassTally
    ) async throws {
        let name = pass.source.name
        let status = try await session.status(of: folder)
        let validity = status.uidValidity
        var after: UInt32 = 0
        var resyncBefore: Date?
        if let cursor = try await store.mailboxCursor(source: name, folder: folder) {
            if cursor.uidValidity == validity {
                after = cursor.lastUID
            } else {
                // The folder was recreated: read it all again; stored Message-IDs are skipped by the
                // store, and mail older than the last good poll is stored without alerts.
                resyncBefore = pass.state.lastSuccessAt ?? clock.now()
                tally.notes.append("UIDVALIDITY of \(folder) changed (\(cursor.uidValidity) → \(validity)): folder read again")
                logger.warning("UIDVALIDITY changed, resynchronising", metadata: ["source": "\(name)", "folder": "\(folder)"])
            }
        }
        // Listed in pages: first the UIDs (one SEARCH line, read whatever its length), then
        // size, flags and Message-ID a page at a time, each message committed in its batch.
        let uids = try await session.uids(in: folder, uidValidity: validity, after: after)
        var wanted: Set<UInt32>?
        if let since = pass.options.since, !uids.isEmpty {
            let criteria = "UID \(after &+ 1):* SINCE \(Self.imapDate(since.cutoff(now: clock.now())))"
            wanted = Set(try await session.search(in: folder, uidValidity: validity, criteria))
        }
        // After a UIDVALIDITY change the same messages come back under new UIDs: one that was
        // quarantined before is not quarantined again (known by Message-ID, else by size and reason).
        let earlier = resyncBefore == nil ? [] : try await store.quarantine(source: name).filter { $0.folder == folder && $0.uidValidity != validity }
        let intake = MailIntake(sourceName: name, options: pass.options)
        let maxBytes = pass.options.maxMessageBytes
        var batch = MailCommit(cursor: MailboxCursor(folder: folder, uidValidity: validity, lastUID: after))
        var taken: [UInt32] = []  // stored (or already stored): marked or moved after the commit

        for page in uids.mailChunks(listPageSize) {
            var summaries: [UInt32: IMAPMessageSummary] = [:]
            for summary in try await session.summaries(in: folder, uidValidity: validity, uids: Array(page)) { summaries[summary.uid] = summary }
            for uid in page {
                // The batch covers this message from here on, whatever becomes of it (stored,
                // skipped, quarantined, vanished), so a commit made below already includes it.
                batch.cursor?.lastUID = uid
                guard let message = summaries[uid] else {
                    tally.vanished += 1  // expunged since the SEARCH
                    continue
                }
                if let wanted, !wanted.contains(uid) {
                    tally.skippedOld += 1
                    continue
                }
                func quarantine(_ reason: String, messageID: String? = nil) {
                    let id = messageID ?? message.messageID
                    let known = earlier.contains { q in
                        if let id { return q.messageID == id }
                        return q.messageID == nil && q.size == message.size && q.reason == reason
                    }
                    if known {
                        tally.alreadyQuarantined += 1
                        return
                    }
                    batch.quarantined.append(QuarantinedMail(
                        folder: folder, uidValidity: validity, messageRef: String(uid), messageID: id, size: message.size, reason: reason))
                }
                // Read again after a UIDVALIDITY change: a message already stored (by Message-ID)
                // is not fetched again; the store would skip it anyway.
                if resyncBefore != nil, let id = message.messageID, try await store.storedMail(source: name, key: id) != nil {
                    tally.result.ingest.unchanged += 1
                    tally.result.duplicates += 1
                    taken.append(uid)
                    continue
                }
                if let size = message.size, size > maxBytes {
                    quarantine("too large: \(size) bytes (limit \(maxBytes))")
                    continue
                }
                // BODY.PEEK[]: fetching changes no flag, so a pass killed here leaves the mailbox as it was.
                let bytes: [UInt8]
                do {
                    bytes = try await session.fetch(uid: uid, in: folder, uidValidity: validity, maxBytes: maxBytes)
                } catch let error as MailError {
                    guard case .tooLarge = error.code else { throw error }
                    quarantine("too large: more than \(maxBytes) bytes")
                    continue
                }
                if bytes.isEmpty {
                    tally.vanished += 1  // expunged meanwhile
                    continue
                }
                switch intake.read(bytes, folder: folder, messageRef: String(uid), inSentFolder: isSent, now: clock.now()) {
                case .quarantine(let reason, let messageID):
                    quarantine(reason, messageID: messageID)
                case .mail(var item):
                    if let resyncBefore, item.sentAt < resyncBefore { item.silent = true }
                    batch.items.append(item)
                    taken.append(uid)
                }
                if batch.items.count + batch.quarantined.count >= batchSize {
                    try await commit(pass, batch, &tally)
                    await afterCommit(pass, session, folder: folder, validity: validity, isSent: isSent, uids: taken, &tally)
                    batch = MailCommit(cursor: batch.cursor)
                    taken = []
                }
            }
        }
        if last { batch.success = success(pass) }
        try await commit(pass, batch, &tally)
        await afterCommit(pass, session, folder: folder, validity: validity, isSent: isSent, uids: taken, &tally)
    }

    /// `mark_seen` and `move_to`, only for mail that is committed; a failure here loses nothing
    /// (the mail is stored) and is reported as a warning.
    private func afterCommit(
        _ pass: MailPass, _ session: IMAPSession, folder: String, validity: UInt32, isSent: Bool, uids: [UInt32], _ tally: inout MailPassTally
    ) async {
        guard !isSent, !uids.isEmpty else { return }
        do {
            if pass.options.markSeen { try await session.setSeen(true, uids: uids, in: folder, uidValidity: validity) }
            if let target = pass.options.moveTo { try await session.move(uids: uids, from: folder, uidValidity: validity, to: target) }
        } catch {
            tally.notes.append("stored, but marking or moving failed: \(error)")
            logger.warning("mark_seen/move_to failed", metadata: ["source": "\(pass.source.name)", "error": "\(error)"])
        }
    }

    /// `1-Jan-2026`, the date form of IMAP's SEARCH SINCE (UTC).
    static func imapDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(c.day ?? 1)-\(months[(c.month ?? 1) - 1])-\(c.year ?? 1970)"
    }
}
