import Foundation
import OutcryAlerting
import OutcryModel
import OutcryStore

/// One thread in full, for `outcry show THREAD`: its facts, contact, SLA clocks, mentions with
/// scores and reasons, and the event log. Everything from outside is escaped for the terminal.
public enum ThreadView {
    public struct Input: Sendable {
        public var overview: ThreadOverview
        public var contact: LinkedContactFact?
        public var mentions: [StoredMention]
        public var events: [StoredThreadEvent]

        public init(overview: ThreadOverview, contact: LinkedContactFact?, mentions: [StoredMention], events: [StoredThreadEvent]) {
            self.overview = overview
            self.contact = contact
            self.mentions = mentions
            self.events = events
        }
    }

    /// Reads everything the view shows for one thread.
    public static func load(_ threadID: ThreadID, store: Store, alerting: AlertingConfig?, now: Date) async throws -> Input {
        let thread = try await store.thread(id: threadID)
        let overview = try await ThreadOverview.load(thread, store: store, alerting: alerting, now: now)
        let facts = try await store.threadAlertFacts(threadID)
        return Input(overview: overview, contact: facts.contact, mentions: try await store.mentions(ofThread: threadID),
                     events: try await store.threadEvents(threadID))
    }

    public static func text(_ input: Input, now: Date) -> String {
        let o = input.overview
        let t = o.thread
        var lines: [String] = []
        lines.append("thread \(t.id.map(String.init) ?? "?"): \(t.title)")
        lines.append("severity:  \(t.severity.rawValue)    status: \(t.status.rawValue)    brand: \(t.brand ?? "-")")
        lines.append("source:    \(t.sourceName) (\(t.channel.rawValue))    author: \(t.authorName ?? t.authorHandle ?? "-")")
        lines.append("opened:    \(t.openedAt.formatted(.iso8601)) (\(Age.short(now.timeIntervalSince(t.openedAt))) ago), "
                     + "\(t.mentionCount) mention\(t.mentionCount == 1 ? "" : "s"), last \(Age.short(now.timeIntervalSince(t.lastMentionAt))) ago")
        lines.append("assignee:  \(o.assignee ?? "nobody")")
        if let url = o.url { lines.append("link:      \(url)") }
        if let c = input.contact {
            lines.append(String(format: "contact:   #%lld %@ (confidence %.2f: %@)", c.contactID.rawValue, c.name, c.confidence, c.reason))
        } else {
            lines.append("contact:   none linked")
        }
        lines.append("why:       \(t.summary)")
        var text = lines.map(TerminalText.escape).joined(separator: "\n") + "\n"

        text += "\nCLOCKS" + (o.policyName.map { " (SLA policy '\(TerminalText.escape($0))')" } ?? "") + "\n"
        if o.clocks.isEmpty {
            text += "  no SLA policy applies" + (o.policyName == nil ? " (none configured for \(t.severity.rawValue) on \(t.channel.rawValue))" : "") + "\n"
        } else {
            var table = TextTable(headers: ["CLOCK", "STATUS", "TARGET", "ELAPSED", "DEADLINE", "NOTE"], limits: [16, 9, 9, 9, 24, 80])
            for c in o.clocks {
                let deadline = c.deadline.map { d in
                    c.stoppedAt == nil && c.status == .running ? "in " + Age.short(d.timeIntervalSince(now), precise: true) : d.formatted(.iso8601)
                } ?? "-"
                table.rows.append([c.kind.rawValue + (c.episode > 0 ? " #\(c.episode + 1)" : ""), c.status.rawValue,
                                   Age.short(c.target, precise: true), Age.short(c.elapsed, precise: true), deadline, c.explanation])
            }
            text += table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }

        text += "\nMENTIONS (\(input.mentions.count))\n"
        for stored in input.mentions {
            let m = stored.mention
            let s = stored.score
            var head = "#\(m.id.map(String.init) ?? "?") \(m.publishedAt.map { $0.formatted(.iso8601) } ?? "") \(s.severity.rawValue) "
            head += String(format: "sentiment %+.2f, complaint %.2f", s.sentiment.compound, s.complaint.score)
            if !s.urgency.isEmpty { head += ", urgency " + s.urgency.map(\.displayName).joined(separator: ", ") }
            if stored.backlog { head += " (first poll)" }
            text += "  " + TerminalText.escape(head) + "\n"
            let words = (m.title.map { $0 + " — " } ?? "") + m.text.split(whereSeparator: \.isNewline).joined(separator: " ")
            text += "    " + TerminalText.escape(words.count > 160 ? String(words.prefix(159)) + "…" : words) + "\n"
            if let url = m.url { text += "    " + TerminalText.escape(url) + "\n" }
            for r in s.reasons.prefix(8) {
                text += "    " + TerminalText.escape(String(format: "%+.3f ", r.weight) + r.rule + ": " + r.evidence) + "\n"
            }
            if s.reasons.count > 8 { text += "    … \(s.reasons.count - 8) more (outcry explain \(m.id.map(String.init) ?? "?"))\n" }
        }

        text += "\nEVENTS\n"
        var table = TextTable(headers: ["AT", "EVENT", "BY", "FROM", "TO", "NOTE"], limits: [25, 14, 30, 12, 12, 80])
        table.rows.append([t.openedAt.formatted(.iso8601), "opened", "outcry", "-", ThreadStatus.new.rawValue, ""])
        for e in input.events {
            var note = e.note ?? ""
            if let name = e.assigneeName { note = (e.assigneeKind == "team" ? "team:" : "") + name + (note.isEmpty ? "" : "; " + note) }
            table.rows.append([e.at.formatted(.iso8601), e.kind, e.actor, e.from ?? "-", e.to, note])
        }
        text += table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        return text
    }
}
