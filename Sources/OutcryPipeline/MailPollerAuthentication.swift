import Foundation

/// Whether mail that claims an own address was authenticated by the receiving server.
///
/// A `From` header proves nothing. Mail counts as the team's only when the server that received
/// it, named by its authserv-id in the mailbox's `trusted_authserv_id` option, recorded in an
/// `Authentication-Results` field (RFC 8601) either `dkim=pass` with `header.d` an own domain
/// aligned with the From domain, or `spf=pass` with `smtp.mailfrom` in an own domain aligned
/// with the From domain. Fields from any other authserv-id are ignored (anyone can write one);
/// the trusted server must remove fields carrying its own id from incoming mail, as RFC 8601
/// §5 requires (Postfix with OpenDKIM/OpenDMARC, rspamd and Exchange Online do).
enum MailAuthentication {
    /// The method and domain that authenticated the sender, e.g. `dkim=pass header.d=shop.example
    /// (by mx.shop.example)`; nil when nothing trusted did.
    static func verify(fields: [String], fromDomain: String, own: OwnAddresses, trusted: Set<String>) -> String? {
        guard !trusted.isEmpty, !fromDomain.isEmpty else { return nil }
        for field in fields {
            let parts = split(field)
            guard let first = parts.first else { continue }
            // authserv-id [version]
            let authserv = first.split(whereSeparator: \.isWhitespace).first.map { $0.lowercased() } ?? ""
            guard trusted.contains(authserv) else { continue }
            for resinfo in parts.dropFirst() {
                let words = resinfo.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
                guard let result = words.first else { continue }
                var properties: [String: String] = [:]
                for word in words.dropFirst() {
                    guard let equals = word.firstIndex(of: "=") else { continue }
                    properties[String(word[..<equals])] = String(word[word.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                }
                var domain: String?
                switch result {
                case "dkim=pass": domain = properties["header.d"]
                case "spf=pass": domain = properties["smtp.mailfrom"].map { $0.split(separator: "@").last.map(String.init) ?? $0 }
                default: continue
                }
                guard let domain, !domain.isEmpty, own.containsDomain(domain), aligned(domain, fromDomain) else { continue }
                return "\(result) \(result == "dkim=pass" ? "header.d" : "smtp.mailfrom")=\(domain) by \(authserv)"
            }
        }
        return nil
    }

    /// Relaxed alignment (DMARC): the same domain, or one a subdomain of the other's.
    static func aligned(_ a: String, _ b: String) -> Bool {
        a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a)
    }

    /// The `;`-separated parts of a field, without comments in parentheses and outside quotes.
    static func split(_ field: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in field {
            if quoted {
                current.append(character)
                if character == "\"" { quoted = false }
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(0, depth - 1)
            } else if depth > 0 {
                continue
            } else if character == "\"" {
                quoted = true
                current.append(character)
            } else if character == ";" {
                parts.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
        return parts.filter { !$0.isEmpty }
    }
}
