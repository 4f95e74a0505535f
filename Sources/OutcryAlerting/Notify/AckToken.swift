import Foundation

/// Signed, expiring acknowledge links: `…/ack/<token>` lets the person who got the alert
/// acknowledge the thread in one click, without a session.
///
/// Token: `base64url("v1|<thread id>|<expiry unix seconds>") + "." + base64url(HMAC-SHA256)`.
///
/// ```swift
/// let signer = AckTokenSigner(key: secretBytes)
/// let token = signer.token(threadID: "42", expiresAt: now + 86400)
/// let threadID = try signer.verify(token, now: now)   // "42"
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

    public func token(threadID: String, expiresAt: Date) -> String {
        let payload = Array("v1|\(threadID)|\(Int64(expiresAt.timeIntervalSince1970.rounded(.down)))".utf8)
        return Base64URL.encode(payload) + "." + Base64URL.encode(HMACSigner.mac(key: key, message: payload))
    }

    /// The thread id of a valid, unexpired token; throws otherwise. The signature is checked
    /// (in constant time) before anything in the payload is trusted.
    public func verify(_ token: String, now: Date) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let mac = Base64URL.decode(String(parts[1])) else {
            throw VerifyError.malformed
        }
        guard HMACSigner.isValid(mac, key: key, message: payload) else { throw VerifyError.badSignature }
        // "v1|<thread id>|<expiry>": the id sits between the first and the last bar, so it may contain bars.
        let text = String(decoding: payload, as: UTF8.self)
        guard text.hasPrefix("v1|"), let lastBar = text.lastIndex(of: "|"), lastBar > text.index(text.startIndex, offsetBy: 2),
              let expiry = Int64(text[text.index(after: lastBar)...]) else { throw VerifyError.malformed }
        let threadID = String(text[text.index(text.startIndex, offsetBy: 3)..<lastBar])
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard now < expiresAt else { throw VerifyError.expired(at: expiresAt) }
        return threadID
    }
}
