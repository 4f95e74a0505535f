import Foundation
import OutcryModel
import OutcryStore

/// Each source's polling state as a terminal table.
public enum SourcesView {
    public static func table(_ states: [PollState], now: Date) -> String {
        if states.isEmpty { return "No sources yet: run `outcry poll --once` first.\n" }
        var table = TextTable(
            headers: ["SOURCE", "STATE", "LAST SUCCESS", "ERRORS", "NEXT POLL", "LAST ERROR"],
            limits: [24, 9, 14, 6, 14, 100]
        )
        for s in states {
            let state = s.disabled ? "disabled" : (s.consecutiveErrors > 0 ? "failing" : (s.lastSuccessAt == nil ? "new" : "ok"))
            table.rows.append([
                s.sourceName, state,
                s.lastSuccessAt.map { Age.short(now.timeIntervalSince($0)) + " ago" } ?? "never",
                String(s.consecutiveErrors),
                s.disabled ? "-" : s.nextPollAt.map { $0 <= now ? "due now" : "in " + Age.short($0.timeIntervalSince(now)) } ?? "due now",
                s.lastError.map { SecretMasking.maskSecrets(inText: $0) } ?? "",
            ])
        }
        return table.render()
    }

    /// The table, then for each mailbox (an `imap`/`pop3` source) a few lines: where its cursor
    /// stands (each folder's UIDVALIDITY and last committed UID, or the POP3 UIDLs taken in),
    /// its last error, and its quarantine (count and the latest reasons).
    public static func table(_ states: [PollState], mailboxes: [String: MailboxStatus], now: Date) -> String {
        var text = table(states, now: now)
        let mailStates = states.filter { Self.isMailbox($0.url) || mailboxes[$0.sourceName] != nil }
        guard !mailStates.isEmpty else { return text }
        text += "\nMAILBOXES\n"
        for state in mailStates {
            let status = mailboxes[state.sourceName] ?? MailboxStatus(sourceName: state.sourceName)
            text += "\(state.sourceName) (\(Self.redactedURL(state.url)))\n"
            var lines: [String] = []
            for folder in status.folders {
                let c = folder.cursor
                lines.append("cursor \(c.folder): UIDVALIDITY \(c.uidValidity), last UID \(c.lastUID) (committed \(Age.short(now.timeIntervalSince(folder.updatedAt))) ago)")
            }
            if status.uidls > 0 || state.url.lowercased().hasPrefix("pop3") {
                lines.append("cursor: \(status.uidls) POP3 UIDLs taken in" + (status.lastUIDLAt.map { " (latest \(Age.short(now.timeIntervalSince($0))) ago)" } ?? ""))
            }
            if status.folders.isEmpty && status.uidls == 0 && !state.url.lowercased().hasPrefix("pop3") { lines.append("cursor: none yet (nothing committed)") }
            if let error = state.lastError {
                lines.append("last error (\(state.consecutiveErrors) in a row): \(SecretMasking.maskSecrets(inText: error))")
            } else {
                lines.append("last error: none")
            }
            lines.append("quarantine: \(status.quarantined) message\(status.quarantined == 1 ? "" : "s")" + (status.quarantined > status.latestQuarantined.count ? ", latest \(status.latestQuarantined.count):" : status.quarantined > 0 ? ":" : ""))
            for q in status.latestQuarantined {
                let place = q.folder.isEmpty ? "UIDL \(q.messageRef)" : "\(q.folder) UID \(q.messageRef)"
                let when = q.at.map { Age.short(now.timeIntervalSince($0)) + " ago" } ?? ""
                lines.append("  \(when) \(place)\(q.messageID.map { " <\($0)>" } ?? ""): \(q.reason)")
            }
            text += lines.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }

    static func isMailbox(_ url: String) -> Bool {
        let lower = url.lowercased()
        return ["imap://", "imaps://", "pop3://", "pop3s://"].contains { lower.hasPrefix($0) }
    }

    /// A URL without any user information (mailbox URLs should carry none, but never print a password).
    static func redactedURL(_ url: String) -> String {
        let url = SecretMasking.maskURL(url)
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
              !url[scheme.upperBound..<at].contains("/") else { return url }
        return String(url[..<scheme.upperBound]) + "…@" + url[url.index(after: at)...]
    }
}
