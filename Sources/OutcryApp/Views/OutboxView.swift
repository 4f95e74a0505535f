import Foundation
import OutcryModel

/// The outbox's notifications as a terminal table (`outcry outbox`): cells escaped and kept on
/// one line by ``TextTable``, the last error's secrets already masked by ``Desk/outbox(dead:limit:)``.
public enum OutboxView {
    public static func table(_ messages: [OutboxMessage]) -> String {
        var table = TextTable(headers: ["ID", "THREAD", "KIND", "RECEIVER", "STATUS", "ATTEMPTS", "NEXT", "LAST ERROR"],
                              limits: [12, 12, 24, 40, 7, 8, 20, 400])
        for m in messages {
            table.rows.append([String(m.id), m.threadID.map(String.init) ?? "-", m.kind, m.receiver, m.status.rawValue, String(m.attempts),
                               m.status == .pending ? m.nextAttemptAt.formatted(.iso8601) : "", m.lastError ?? ""])
        }
        return table.render()
    }
}
