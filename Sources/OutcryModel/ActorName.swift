import Foundation

/// Who did something, in the one format every event, audit entry and label records:
/// `SURFACE:NAME`.
///
/// | surface  | who                                                                 |
/// |----------|---------------------------------------------------------------------|
/// | `cli`    | a person at the command line: `--by`, else `$OUTCRY_USER`, else `$USER` (`cli:unknown` without any) |
/// | `web`    | a person in the dashboard, by the name they gave                    |
/// | `link`   | a person who followed an acknowledge link from a notification, by the name they gave |
/// | `api`    | a program calling the JSON API, by its token's name                 |
/// | `system` | Outcry itself (`system:sync` for the scheduled contact sync)        |
///
/// ```swift
/// ActorName.make(.cli, "ana")        // "cli:ana"
/// ActorName.make(.link, "  Ana  Lee ") // "link:Ana Lee"
/// ```
public enum ActorName {
    public enum Surface: String, Sendable, CaseIterable {
        case cli, web, link, api, system
    }

    /// The longest name kept (a longer one is cut).
    public static let maximumNameLength = 64

    /// `surface:name`, the name trimmed, its runs of white space made one space, control
    /// characters dropped; `unknown` when nothing is left.
    public static func make(_ surface: Surface, _ name: String?) -> String {
        let cleaned = (name ?? "").unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }
        let words = String(String.UnicodeScalarView(cleaned)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let kept = words.isEmpty ? "unknown" : String(words.prefix(maximumNameLength))
        return "\(surface.rawValue):\(kept)"
    }

    /// The surface and the name of a recorded actor; nil for one recorded before this format.
    public static func parse(_ actor: String) -> (surface: Surface, name: String)? {
        guard let colon = actor.firstIndex(of: ":"), let surface = Surface(rawValue: String(actor[..<colon])) else { return nil }
        return (surface, String(actor[actor.index(after: colon)...]))
    }
}
