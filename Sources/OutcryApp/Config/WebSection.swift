import Foundation
import Yams

/// The `web:` section: where the dashboard, the JSON API and the acknowledge links are served.
public struct WebSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The bearer token the JSON API requires (from the environment); nil: the API answers 403.
    public var apiToken: String?
    /// A connection that sends no complete request for this long is closed.
    public var idleTimeout: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, apiToken: String? = nil, idleTimeout: Duration = .seconds(15)) {
        self.host = host
        self.port = port
        self.apiToken = apiToken
        self.idleTimeout = idleTimeout
    }
}

/// The `web:` section: where `outcry run` serves the JSON API and the acknowledge links.
///
/// ```yaml
/// web:
///   listen: 127.0.0.1:8080            # host:port
///   api_token: ${OUTCRY_API_TOKEN}    # the JSON API's bearer token, from the environment
/// ```
extension ConfigReader {
    static let webKeys = ["listen", "api_token"]

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
        return settings
    }

    /// `127.0.0.1` (any 127.x), `::1`, `[::1]`, `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
