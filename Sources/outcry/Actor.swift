import Foundation

/// Who acts, in one format everywhere the CLI records an actor: `--by NAME`, else
/// `$OUTCRY_USER`, else `cli:$USER` (`cli:unknown` without a login name).
enum Actor {
    static func resolve(by: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty { return by }
        if let user = environment["OUTCRY_USER"]?.trimmingCharacters(in: .whitespaces), !user.isEmpty { return user }
        let login = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        return "cli:" + login
    }

    /// The person `--mine` stands for: `--by` or `$OUTCRY_USER`; nil when neither is given.
    static func me(by: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty { return by }
        if let user = environment["OUTCRY_USER"]?.trimmingCharacters(in: .whitespaces), !user.isEmpty { return user }
        return nil
    }
}
