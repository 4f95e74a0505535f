import Foundation
import Yams

/// What is wrong with a URL written in the configuration, caught before a poller backs off on it
/// forever: a misspelt scheme (`htps://`), a scheme without `://` (`https//`), an empty host or an
/// empty label in it (`exmaple..org`), characters no host name has.
struct URLCheck {
    /// The first problem and what to write instead; nil when the URL is well formed.
    static func problem(_ url: String, schemes: [String]) -> (message: String, hint: String)? {
        let example = "\(schemes.first ?? "https")://host.example.org/path"
        guard let sep = url.range(of: "://") else {
            // `https//host`, `https:/host`, `https:host`: a scheme-like start without `://`.
            let head = url.prefix { $0.isLetter }
            let rest = url.dropFirst(head.count)
            if !head.isEmpty, rest.hasPrefix("//") || rest.hasPrefix(":/") || (rest.hasPrefix(":") && schemes.contains(head.lowercased())) {
                return ("'\(head)\(rest.prefix { $0 == ":" || $0 == "/" })' is missing `://` after the scheme", "write \(head.lowercased())://\(rest.drop { $0 == ":" || $0 == "/" }.prefix(40))")
            }
            return ("'\(url.prefix(60))' is not a URL", "write it as \(example)")
        }
        let scheme = url[..<sep.lowerBound].lowercased()
        guard schemes.contains(scheme) else {
            let near = ConfigReader.editDistanceSuggestion(scheme, schemes)
            return ("the scheme '\(scheme)' is not one of \(schemes.joined(separator: ", "))\(near)", "e.g. \(example)")
        }
        if scheme == "file" { return nil }
        let rest = url[sep.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("[") { return nil }  // an IPv6 literal
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            if !port.isEmpty, Int(port).map({ !(1...65535).contains($0) }) ?? true {
                return ("the port '\(port)' is not a number from 1 to 65535", "e.g. \(example)")
            }
            host = host[..<colon]
        }
        if host.isEmpty { return ("the URL has no host name", "e.g. \(example)") }
        if host.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            return ("the host '\(host)' has an empty part between dots", "check the spelling of the host name")
        }
        if let bad = host.first(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }) {
            return ("the host '\(host)' contains '\(bad)', which no host name has", "check the spelling of the host name")
        }
        return nil
    }

    /// The user name and password written in a URL's user info (nil: none, or they come from `${NAME}`).
    static func clearCredentials(_ raw: String) -> Bool {
        guard let sep = raw.range(of: "://") else { return false }
        let rest = raw[sep.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return false }
        let info = authority[..<at]
        guard let colon = info.firstIndex(of: ":") else { return false }
        let password = info[info.index(after: colon)...]
        return !password.isEmpty && !password.contains("${")
    }
}

extension ConfigReader {
    /// ` (did you mean `x`?)` or "", for callers without a reader.
    static func editDistanceSuggestion(_ word: String, _ candidates: [String]) -> String {
        let best = candidates.map { ($0, editDistance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return "" }
        return " (did you mean `\(best.0)`?)"
    }

    /// A URL problem at `node`'s line, naming `owner` (`source 'press'`, `receiver 'ops'`).
    mutating func checkURL(_ url: String, raw: String?, schemes: [String], node: Node?, fallback: Mark?, owner: String) {
        if let found = URLCheck.problem(url, schemes: schemes) {
            problem(node?.mark ?? fallback, "\(owner): \(found.message)", hint: found.hint)
        }
        if let raw, URLCheck.clearCredentials(raw) {
            warning(node?.mark ?? fallback, "\(owner): the URL carries a password written in clear in the file",
                    hint: "write the password as ${NAME} (e.g. `https://user:${FEED_PASSWORD}@host/…`) and export that variable")
        }
    }

    /// A source's URL: well formed for its kind, and a local file that exists.
    mutating func checkSourceURL(name: String, kind: String, url: String, node: Node?, fallback: Mark?) {
        let raw: String? = { if case .scalar(let s)? = node { return s.string }; return nil }()
        if url.contains("://") || url.range(of: #"^[A-Za-z]+(:/|//|:)"#, options: .regularExpression) != nil && !url.hasPrefix("/") {
            // A Windows-looking `C:/…` is not a concern here: Outcry runs on Unix-like systems.
            checkURL(url, raw: raw, schemes: ["https", "http", "file"], node: node, fallback: fallback, owner: "source '\(name)'")
            if url.lowercased().hasPrefix("file://"), let path = URL(string: url)?.path, !FileManager.default.fileExists(atPath: path) {
                warning(node?.mark ?? fallback, "source '\(name)': the local file \(path) does not exist", hint: "check the path (relative paths are read from the config file's folder)")
            }
            return
        }
        let path = resolve(url)
        if !FileManager.default.fileExists(atPath: path) {
            warning(node?.mark ?? fallback, "source '\(name)': the local file \(path) does not exist", hint: "check the path (relative paths are read from the config file's folder), or write the feed's https:// URL")
        }
    }
}
