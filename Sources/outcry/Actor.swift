import Foundation
import OutcryModel

/// Who acts from the command line, in the one actor format (``ActorName``): `cli:NAME`, where
/// NAME is `--by`, else `$OUTCRY_USER`, else `$USER` (`cli:unknown` without any of them).
enum Actor {
    static func resolve(by: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        ActorName.make(.cli, me(by: by, environment: environment) ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The person `--mine` stands for: `--by` or `$OUTCRY_USER`; nil when neither is given.
    static func me(by: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty { return by }
        if let user = environment["OUTCRY_USER"]?.trimmingCharacters(in: .whitespaces), !user.isEmpty { return user }
        return nil
    }
}
