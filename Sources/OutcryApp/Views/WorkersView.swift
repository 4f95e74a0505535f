import Foundation
import OutcryStore

/// `outcry workers`: the processes sharing this database, what each does, when it last said it
/// was alive, which singletons each holds, and how many sources each is polling now.
public enum WorkersView {
    public static func table(workers: [WorkerRecord], leases: [LeaseRecord], sourceLeases: [(source: String, owner: String, until: Date)],
                             now: Date) -> String {
        var table = TextTable(headers: ["WORKER", "ROLES", "LAST HEARTBEAT", "RUNS", "POLLING"], limits: [48, 32, 20, 60, 8])
        let polling = Dictionary(grouping: sourceLeases, by: \.owner).mapValues(\.count)
        for worker in workers {
            let held = leases.filter { $0.owner == worker.id && $0.expiresAt > now }.map(\.name).sorted()
            table.rows.append([
                worker.id, worker.roles.joined(separator: ","), ago(worker.heartbeatAt, now: now),
                held.isEmpty ? "-" : held.joined(separator: ", "), String(polling[worker.id] ?? 0),
            ])
        }
        var out = workers.isEmpty ? "no worker is running (`outcry run` starts one)\n" : table.render()
        let orphaned = leases.filter { lease in lease.expiresAt > now && !workers.contains { $0.id == lease.owner } }
        for lease in orphaned {
            out += "\(TerminalText.escape(lease.name)) is held by \(TerminalText.escape(lease.owner)), which has stopped beating; "
                + "another worker takes it over \(ago(lease.expiresAt, now: now, future: true))\n"
        }
        return out
    }

    static func ago(_ date: Date, now: Date, future: Bool = false) -> String {
        let seconds = Int((future ? date.timeIntervalSince(now) : now.timeIntervalSince(date)).rounded())
        let text = seconds < 120 ? "\(seconds) s" : seconds < 7200 ? "\(seconds / 60) min" : "\(seconds / 3600) h"
        return future ? "in \(text)" : "\(text) ago"
    }
}
