import Foundation
import HTTPTypes
import Hummingbird

/// Behind a reverse proxy every request comes from the proxy's address, so the login rate limit
/// per address would lump everyone together (one guesser would lock all out). A request from a
/// configured proxy (`web.trusted_proxies`) is counted by the client address that
/// `X-Forwarded-For` names: the rightmost entry that is not itself a trusted proxy (entries to
/// its left were written by the client and prove nothing). From anyone else the header is ignored.
struct ForwardedAddressMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let trusted: Set<String>

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty, trusted.contains(context.remoteAddress) else { return try await next(request, context) }
        var context = context
        if let client = Self.client(forwardedFor: request.headers[values: .xForwardedFor], trusted: trusted) {
            context.remoteAddress = client
        }
        return try await next(request, context)
    }

    /// The rightmost address in the header values that is not a trusted proxy; nil when the
    /// header is absent or names only proxies or something that is not an address.
    static func client(forwardedFor values: [String], trusted: Set<String>) -> String? {
        let entries = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in entries.reversed() where !trusted.contains(entry) {
            let plausible = !entry.isEmpty && entry.count <= 45 && entry.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
            return plausible ? entry : nil
        }
        return nil
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
