import Foundation
import OutcryFetch
import OutcryModel
import OutcryStore

extension MailPoller {
    /// Every message whose UIDL is not yet taken in, oldest first; `since` is judged by the
    /// Date header (POP3 knows no other date). Nothing is deleted (`DELE` is never sent).
    func pollPOP3(_ pass: MailPass, _ tally: inout MailPassTally) async throws {
        let name = pass.source.name
        let session = POP3Session(account: pass.account)
        defer { session.close() }
        let listed = try await session.list()
        let seen = try await store.seenUIDLs(source: name)
        let intake = MailIntake(sourceName: name, options: pass.options)
        let maxBytes = pass.options.maxMessageBytes
        let cutoff = pass.options.since?.cutoff(now: clock.now())
        var batch = MailCommit()

        for message in listed where !seen.contains(message.uidl) {
            batch.uidls.append(message.uidl)
            func quarantine(_ reason: String, messageID: String? = nil) {
                batch.quarantined.append(QuarantinedMail(messageRef: message.uidl, messageID: messageID, size: message.size, reason: reason))
            }
            if let size = message.size, size > maxBytes {
                quarantine("too large: \(size) bytes (limit \(maxBytes))")
            } else {
                do {
                    let bytes = try await session.retrieve(message.number, maxBytes: maxBytes)
                    switch intake.read(bytes, folder: "", messageRef: message.uidl, inSentFolder: false, now: clock.now()) {
                    case .quarantine(let reason, let messageID):
                        quarantine(reason, messageID: messageID)
                    case .mail(let item):
                        if let cutoff, item.sentAt < cutoff {
                            tally.skippedOld += 1
                        } else {
                            batch.items.append(item)
                        }
                    }
                } catch let error as MailError {
                    guard case .tooLarge = error.code else { throw error }
                    quarantine("too large: more than \(maxBytes) bytes")
                }
            }
            if batch.uidls.count >= batchSize {
                try await commit(pass, batch, &tally)
                batch = MailCommit()
            }
        }
        batch.success = success(pass)
        try await commit(pass, batch, &tally)
    }
}
