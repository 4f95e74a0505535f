import Foundation

/// Signed, expiring acknowledge links: `…/ack/<token>` lets the person who got the alert
/// acknowledge the thread in one click, without a session.
///
/// Token: `base64url("v2|<thread id>|<alert fired, unix ms>|<expiry unix seconds>") + "." + base64url(HMAC-SHA256)`.
/// The alert's time ties the link to one episode of the thread: once the thread is reopened
/// after it, the web server refuses the link (`v1` links, without it, are judged by their issue time).
///
/// ```swift
/// let signer = AckTokenSigner(key: secretBytes)
/// let token = signer.token(threadID: "42", firedAt: alert.firedAt, expiresAt: now + 86400)
/// let claim = try signer.verifyClaim(token, now: now)   // threadID "42", firedAt alert.firedAt
/// ```
public struct AckTokenSigner: Sendable {
    private let key: [UInt8]

    /// - Parameter key: at least 32 random bytes, from the environment.
    public init(key: [UInt8]) {
        self.key = key
    }

    public enum VerifyError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case badSignature
        case expired(at: Date)

        public var description: String {
            switch self {
            case .malformed: "the acknowledge link is damaged"
            case .badSignature: "the acknowledge link was not issued by this Outcry (signature does not match)"
            case .expired(let at): "the acknowledge link expired at \(at.formatted(.iso8601))"
            }
        }
    }

    /// What a valid token says: the thread, and the alert (episode) it was issued for.
    public struct Claim: Sendable, Equatable {
        public var threadID: String
        /// When the alert the link was sent for fired; nil for links issued before episodes were
        /// signed (`v1`): their issue time is taken as `expiresAt` minus the link lifetime.
        public var firedAt: Date?
        public var expiresAt: Date
    }

    /// A `v1` token, which names the thread only (kept for tests and old links).
    public func token(threadID: String, expiresAt: Date) -> String {
        sign("v1|\(threadID)|\(Int64(expiresAt.timeIntervalSince1970.rounded(.down)))")
    }

    /// A token for one episode of a thread: `firedAt` is when the alert fired (milliseconds,
    /// rounded up). A thread reopened after that is a new episode, which this link cannot acknowledge.
    public func token(threadID: String, firedAt: Date, expiresAt: Date) -> String {
        let fired = Int64((firedAt.timeIntervalSince1970 * 1000).rounded(.up))
        return sign("v2|\(threadID)|\(fired)|\(Int64(expiresAt.timeIntervalSince1970.rounded(.down)))")
    }

    private func sign(_ text: String) -> String {
        let payload = Array(text.utf8)
        return Base64URL.encode(payload) + "." + Base64URL.encode(HMACSigner.mac(key: key, message: payload))
    }

    /// The thread id of a valid, unexpired token; throws otherwise. The signature is checked
    /// (in constant time) before anything in the payload is trusted.
    public func verify(_ token: String, now: Date) throws -> String {
        try verifyClaim(token, now: now).threadID
    }

    /// The claim of a valid, unexpired token (`v1` or `v2`); throws otherwise.
    public func verifyClaim(_ token: String, now: Date) throws -> Claim {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let mac = Base64URL.decode(String(parts[1])) else {
            throw VerifyError.malformed
        }
        guard HMACSigner.isValid(mac, key: key, message: payload) else { throw VerifyError.badSignature }
        // "v1|<thread id>|<expiry>" or "v2|<thread id>|<fired ms>|<expiry>": the id sits between the
        // version and the numeric fields at the end, so it may contain bars.
        let text = String(decoding: payload, as: UTF8.self)
        let version = text.prefix(3)
        guard version == "v1|" || version == "v2|" else { throw VerifyError.malformed }
        var fields = text.dropFirst(3).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard let expiry = fields.popLast().flatMap({ Int64($0) }) else { throw VerifyError.malformed }
        var firedAt: Date?
        if version == "v2|" {
            guard let fired = fields.popLast().flatMap({ Int64($0) }) else { throw VerifyError.malformed }
            firedAt = Date(timeIntervalSince1970: TimeInterval(fired) / 1000)
        }
        guard !fields.isEmpty else { throw VerifyError.malformed }
        let threadID = fields.joined(separator: "|")
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard now < expiresAt else { throw VerifyError.expired(at: expiresAt) }
        return Claim(threadID: threadID, firedAt: firedAt, expiresAt: expiresAt)
    }
}
