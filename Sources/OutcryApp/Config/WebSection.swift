import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Yams

/// The `web:` section: where the dashboard, the JSON API and the acknowledge links are served.
public struct WebSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The bearer token the JSON API requires (from the environment); nil: the API answers 403.
    public var apiToken: String?
    /// A connection that sends no complete request for this long is closed.
    public var idleTimeout: Duration
    /// The reverse proxies in front (IP addresses): a request from one of them is counted by
    /// the address its `X-Forwarded-For` names, for the login rate limit. Empty: the header is
    /// ignored (anyone could write it).
    public var trustedProxies: [String]

    public init(host: String = "127.0.0.1", port: Int = 8080, apiToken: String? = nil, idleTimeout: Duration = .seconds(15),
                trustedProxies: [String] = []) {
        self.host = host
        self.port = port
        self.apiToken = apiToken
        self.idleTimeout = idleTimeout
        self.trustedProxies = trustedProxies
    }
}

/// The `web:` section: where `outcry run` serves the JSON API and the acknowledge links.
///
/// ```yaml
/// web:
///   listen: 127.0.0.1:8080            # host:port
///   api_token: ${OUTCRY_API_TOKEN}    # the JSON API's bearer token, from the environment
///   trusted_proxies: [127.0.0.1]      # the reverse proxy whose X-Forwarded-For is believed
/// ```
extension ConfigReader {
    static let webKeys = ["listen", "api_token", "trusted_proxies"]

    mutating func readWeb(_ node: Node) -> WebSettings? {
        guard let map = mapping(node, "web") else { return nil }
        checkKeys(map, allowed: Self.webKeys, in: "web")
        var settings = WebSettings()
        if let n = map["listen"], let text = string(n, "listen") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (0...65535).contains(port) {
                settings.host = String(parts[0])
                settings.port = port
                if !Self.isLoopback(settings.host) {
                    warning(n.mark, "web.listen is \(text): the JSON API and the acknowledge links are reachable from the network, without TLS",
                            hint: "listen on 127.0.0.1 and put a TLS proxy in front to serve it beyond this machine")
                }
            } else {
                problem(n.mark, "web.listen should be host:port, not '\(text)'", hint: "e.g. 127.0.0.1:8080 (put a TLS proxy in front to serve it beyond this machine)")
            }
        }
        if let n = map["api_token"], let token = string(n, "api_token") {
            if case .scalar(let scalar) = n, !scalar.string.contains("${") {
                problem(n.mark, "web.api_token is written in clear in the file", hint: "write `api_token: ${OUTCRY_API_TOKEN}` and export it in the environment")
            } else if token.count < 16 {
                problem(n.mark, "web.api_token is too short (\(token.count) characters)", hint: "use at least 16 random characters, e.g. `openssl rand -hex 24`")
            } else {
                settings.apiToken = token
            }
        }
        if let n = map["trusted_proxies"] {
            for address in strings(n, "trusted_proxies") {
                if Self.isIPAddress(address) {
                    settings.trustedProxies.append(address)
                } else {
                    problem(n.mark, "web.trusted_proxies: '\(address)' is not an IP address",
                            hint: "list the addresses your reverse proxy connects from, e.g. [127.0.0.1, \"::1\"]")
                }
            }
        }
        return settings
    }

    /// A literal IPv4 or IPv6 address (no names, no ranges).
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// `127.0.0.1` (any 127.x), `::1`, `[::1]`, `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
