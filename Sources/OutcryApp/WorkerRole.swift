import Foundation

/// What one `outcry run` process does. Several processes, on one machine or several, share the
/// work of one database: each poll is claimed by one worker, and each singleton (delivery, the
/// clocks, the crisis monitor, retention, retraining) runs on one elected worker at a time.
public enum WorkerRole: String, Sendable, CaseIterable, Comparable {
    /// Polls the sources it claims.
    case poller
    /// Routes and delivers the outbox (elected: one at a time).
    case dispatcher
    /// SLA and escalation clocks, the crisis monitor, retention, contact sync and retraining (each elected).
    case clocks
    /// The dashboard, the JSON API and the acknowledge links.
    case web

    public static func < (a: WorkerRole, b: WorkerRole) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// Reads `poller,dispatcher` or `all`; nil names the word it does not know.
    public static func parse(_ text: String) -> Result<Set<WorkerRole>, WorkerRoleError> {
        var roles = Set<WorkerRole>()
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            if word == "all" {
                roles.formUnion(allCases)
            } else if let role = WorkerRole(rawValue: word) {
                roles.insert(role)
            } else {
                return .failure(WorkerRoleError(word: word))
            }
        }
        return roles.isEmpty ? .failure(WorkerRoleError(word: text)) : .success(roles)
    }
}

public struct WorkerRoleError: Error, CustomStringConvertible {
    public var word: String
    public var description: String {
        "unknown role \(word.debugDescription): use poller, dispatcher, clocks, web or all (several with commas: poller,dispatcher)"
    }
}
