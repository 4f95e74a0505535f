import Foundation
import OutcryModel
import OutcryStore

/// A stored mention's scores with every reason, for `outcry explain`.
public enum ExplainView {
    /// `outcry explain --json`: one mention's score object, or (`list`, for a thread) an array
    /// of `{mention_id, thread_id, score}`; pretty, key-sorted.
    public static func json(_ mentions: [StoredMention], list: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if !list, let only = mentions.first {
            return String(decoding: try encoder.encode(only.score), as: UTF8.self)
        }
        struct Entry: Encodable { var mentionId: MentionID?; var threadId: ThreadID?; var score: Score }
        encoder.keyEncodingStrategy = JSONKeys.snakeCase
        let entries = mentions.map { Entry(mentionId: $0.mention.id, threadId: $0.threadID, score: $0.score) }
        return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }

    public static func text(_ stored: StoredMention) -> String {
        let m = stored.mention
        let s = stored.score
        var lines: [String] = []
        lines.append("mention \(m.id.map(String.init) ?? "?") from \(m.sourceName)" + (m.authorName.map { " by \($0)" } ?? "")
                     + (stored.threadID.map { " — in thread \($0) (`outcry show \($0)`)" } ?? " — in no thread"))
        if let title = m.title { lines.append("title:     \(title)") }
        let excerpt = m.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        lines.append("text:      " + (excerpt.count > 200 ? String(excerpt.prefix(199)) + "…" : excerpt))
        if let url = m.url { lines.append("link:      \(url)") }
        lines.append("")
        lines.append("why:       \(s.summary)")
        lines.append(String(format: "sentiment: %@ (compound %+.3f)%@", s.sentiment.label.rawValue, s.sentiment.compound,
                            s.sentiment.scored ? "" : ", language not scored"))
        lines.append(String(format: "complaint: %@ (score %.2f)", s.complaint.isComplaint ? "yes" : "no", s.complaint.score))
        lines.append("urgency:   " + (s.urgency.isEmpty ? "none" : s.urgency.map(\.displayName).joined(separator: ", ")))
        lines.append("severity:  \(s.severity.rawValue)" + (stored.threadID.map { " (thread \($0))" } ?? ""))
        lines.append("")
        var table = TextTable(headers: ["RULE", "EVIDENCE", "WEIGHT"], limits: [28, 70, 8])
        for r in s.reasons { table.rows.append([r.rule, r.evidence, String(format: "%+.3f", r.weight)]) }
        return lines.map(TerminalText.escape).joined(separator: "\n") + "\n" + table.render()
    }
}
