import Foundation

/// URLs shown without their secrets (`outcry sources`, `sources show`, `sources export`): the
/// user information (`user:password@`) becomes `…@`, and the values of query parameters whose
/// names look secret (token, key, secret, password, sig, auth, …) become `…`. A local helper:
/// the hardening work may bring a shared one (issue 13 item 12); this one only affects display.
public enum URLMask {
    /// Query parameter names (lower-cased) whose values are masked, and name fragments that mark one.
    static let secretNames: Set<String> = ["key", "sig", "signature", "auth", "code", "pass", "pwd", "session", "sid", "jwt"]
    static let secretFragments = ["token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "access_key",
                                  "private", "credential", "signature", "auth"]

    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if secretNames.contains(lower) { return true }
        if lower.hasSuffix("key") || lower.hasSuffix("_sig") { return true }
        return secretFragments.contains { lower.contains($0) }
    }

    /// One URL with its credentials and secret query values masked; other text is returned as is.
    public static func mask(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var head = String(url[..<schemeEnd.upperBound])
        var rest = Substring(url[schemeEnd.upperBound...])
        // user information: up to the first "@" before the path
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            head += "…@"
            rest = rest[rest.index(after: at)...]
        }
        guard let question = rest.firstIndex(of: "?") else { return head + rest }
        let fragmentStart = rest[question...].firstIndex(of: "#") ?? rest.endIndex
        let query = rest[rest.index(after: question)..<fragmentStart]
        let masked = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = String(pair[..<eq]).removingPercentEncoding ?? String(pair[..<eq])
            return isSecretName(name) && pair.index(after: eq) < pair.endIndex ? String(pair[...eq]) + "…" : String(pair)
        }.joined(separator: "&")
        return head + rest[..<question] + "?" + masked + rest[fragmentStart...]
    }

    /// Text (an error message, say) with every URL in it masked.
    public static func maskEmbedded(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var word = ""
        func flush() {
            out += word.contains("://") ? mask(word) : word
            word = ""
        }
        for ch in text {
            if ch.isWhitespace || ch == "'" || ch == "\"" || ch == "<" || ch == ">" || ch == "(" || ch == ")" {
                flush()
                out.append(ch)
            } else {
                word.append(ch)
            }
        }
        flush()
        return out
    }
}
