import Foundation
import OutcryModel

/// The escalation queue as a terminal table or JSON.
public enum QueueView {
    public static func table(_ threads: [MentionThread], now: Date) -> String {
        if threads.isEmpty { return "No open threads.\n" }
        var table = TextTable(
            headers: ["ID", "SEV", "STATUS", "WAITING", "SOURCE", "AUTHOR", "TITLE", "WHY"],
            limits: [8, 4, 12, 8, 20, 20, 50, 90]
        )
        for t in threads {
            table.rows.append([
                t.id.map(String.init) ?? "-", t.severity.rawValue, t.status.rawValue,
                Age.short(now.timeIntervalSince(t.openedAt)), t.sourceName, t.authorName ?? t.authorHandle ?? "-", t.title,
                Self.why(t.summary),
            ])
        }
        return table.render()
    }

    /// The summary without the severity prefix the SEV column already shows.
    static func why(_ summary: String) -> String {
        if let colon = summary.firstIndex(of: ":"), summary[..<colon].count <= 4, summary.hasPrefix("P") {
            return summary[summary.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return summary
    }

    public static func json(_ threads: [MentionThread]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(threads), as: UTF8.self)
    }
}
