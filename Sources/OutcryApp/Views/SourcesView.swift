import Foundation
import OutcryModel
import OutcryStore

/// Each source's polling state as a terminal table.
public enum SourcesView {
    public static func table(_ states: [PollState], now: Date) -> String {
        if states.isEmpty { return "No sources yet: run `outcry poll` first.\n" }
        var table = TextTable(
            headers: ["SOURCE", "STATE", "LAST SUCCESS", "ERRORS", "NEXT POLL", "LAST ERROR"],
            limits: [24, 10, 14, 6, 14, 100]
        )
        for s in states {
            table.rows.append([
                s.sourceName, Self.state(s),
                s.lastSuccessAt.map { Age.short(now.timeIntervalSince($0)) + " ago" } ?? "never",
                String(s.consecutiveErrors),
                s.disabled ? "-" : s.nextPollAt.map { $0 <= now ? "due now" : "in " + Age.short($0.timeIntervalSince(now)) } ?? "due now",
                SecretMasking.maskSecrets(inText: s.lastError ?? ""),
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
            text += TerminalText.escape("\(state.sourceName) (\(Self.redactedURL(state.url)))") + "\n"
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
            text += lines.map { "  " + TerminalText.escape($0) }.joined(separator: "\n") + "\n"
        }
        return text
    }

    static func isMailbox(_ url: String) -> Bool {
        let lower = url.lowercased()
        return ["imap://", "imaps://", "pop3://", "pop3s://"].contains { lower.hasPrefix($0) }
    }

    /// A URL without user information or secret query values (see `SecretMasking`).
    static func redactedURL(_ url: String) -> String { SecretMasking.maskURL(url) }

    /// "disabled", "fix config" (an error only a configuration change fixes), "failing" (one
    /// that may pass by itself), "new" or "ok".
    public static func state(_ s: PollState) -> String {
        if s.disabled { return "disabled" }
        if s.consecutiveErrors > 0 { return s.needsConfigurationFix ? "fix config" : "failing" }
        return s.lastSuccessAt == nil ? "new" : "ok"
    }

    /// One source in full, for `outcry sources show NAME`: the masked URL, the whole last error.
    public static func detail(_ s: PollState, configured: SourceConfig?, mailbox: MailboxStatus?, now: Date) -> String {
        func when(_ date: Date?) -> String {
            guard let date else { return "never" }
            let delta = now.timeIntervalSince(date)
            return date.formatted(.iso8601) + (delta >= 0 ? " (\(Age.short(delta)) ago)" : " (in \(Age.short(-delta)))")
        }
        var lines: [String] = ["source:        \(s.sourceName)"]
        if let c = configured {
            lines.append("kind:          \(c.kind.rawValue), every \(Age.short(c.interval, precise: true))" + (c.brand.map { ", brand \($0)" } ?? ""))
            lines.append("url:           \(SecretMasking.maskURL(c.url))")
            if c.url != s.url { lines.append("fetched from:  \(SecretMasking.maskURL(s.url)) (after a permanent redirect)") }
        } else {
            lines.append("url:           \(SecretMasking.maskURL(s.url)) (no longer in the configuration)")
        }
        lines.append("state:         \(state(s))" + (s.consecutiveErrors > 0 ? ", \(s.consecutiveErrors) error\(s.consecutiveErrors == 1 ? "" : "s") in a row" : "")
            + (s.consecutiveErrors > 0 && s.needsConfigurationFix ? " — retrying will not help until the source's URL or credentials are fixed (still retried, slowly)" : ""))
        lines.append("last success:  \(when(s.lastSuccessAt))")
        lines.append("last attempt:  \(when(s.lastAttemptAt))")
        if let since = s.failingSince { lines.append("failing since: \(when(since))") }
        lines.append("next poll:     " + (s.disabled ? "-" : s.nextPollAt.map { $0 <= now ? "due now" : when($0) } ?? "due now"))
        if let etag = s.etag { lines.append("etag:          \(etag)") }
        if let lm = s.lastModified { lines.append("last modified: \(lm)") }
        var text = lines.map(TerminalText.escape).joined(separator: "\n") + "\n"
        // The whole error, wrapped lines kept (each escaped).
        text += "last error:    " + (s.lastError.map { TerminalText.escapeLines(SecretMasking.maskSecrets(inText: $0)) } ?? "none") + "\n"
        if let mailbox, !mailbox.folders.isEmpty || mailbox.uidls > 0 || mailbox.quarantined > 0 {
            text += "mailbox:       \(mailbox.folders.count) folder cursor(s), \(mailbox.uidls) POP3 UIDLs, \(mailbox.quarantined) quarantined\n"
        }
        return text
    }

    /// Each source's state as JSON (URLs masked): name, url, state, kind, interval, brand, times, errors.
    public static func json(_ states: [PollState], configured: [SourceConfig]) throws -> String {
        let byName = Dictionary(configured.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let iso = ISO8601DateFormatter()
        func date(_ d: Date?) -> Any { JSONValue.orNull(d.map { iso.string(from: $0) }) }
        let list: [[String: Any]] = states.map { s in
            let c = byName[s.sourceName]
            return [
                "name": s.sourceName, "url": SecretMasking.maskURL(c?.url ?? s.url), "fetched_url": SecretMasking.maskURL(s.url),
                "state": state(s), "kind": JSONValue.orNull(c?.kind.rawValue), "interval_seconds": JSONValue.orNull(c.map { Int($0.interval) }),
                "brand": JSONValue.orNull(c?.brand), "configured": c != nil,
                "last_success_at": date(s.lastSuccessAt), "last_attempt_at": date(s.lastAttemptAt), "next_poll_at": date(s.nextPollAt),
                "failing_since": date(s.failingSince), "consecutive_errors": s.consecutiveErrors,
                "last_error": JSONValue.orNull(s.lastError.map({ SecretMasking.maskSecrets(inText: $0) })), "disabled": s.disabled,
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
