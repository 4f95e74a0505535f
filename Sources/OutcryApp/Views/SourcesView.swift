import Foundation
import OutcryModel

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
                s.lastError ?? "",
            ])
        }
        return table.render()
    }
}
