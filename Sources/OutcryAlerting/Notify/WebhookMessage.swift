import Foundation

/// A generic JSON webhook, signed so the receiver can trust it:
///
/// - `X-Outcry-Timestamp: <unix seconds>`
/// - `X-Outcry-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
/// - `Idempotency-Key: <notification id>` (the same on every retry)
///
/// Receivers should reject timestamps more than a few minutes old (`verify` does, 5 minutes by default).
public enum WebhookMessage {
    public static let signatureHeader = "X-Outcry-Signature"
    public static let timestampHeader = "X-Outcry-Timestamp"

    public static func request(for n: Notification, secret: [UInt8], now: Date) -> OutboundRequest {
        let body = PayloadJSON.encode(Payload(n))
        let timestamp = String(Int64(now.timeIntervalSince1970))
        return OutboundRequest(body: body, headers: [
            ("Content-Type", "application/json"),
            ("User-Agent", "Outcry"),
            (timestampHeader, timestamp),
            (signatureHeader, "sha256=" + signature(secret: secret, timestamp: timestamp, body: body)),
            ("Idempotency-Key", n.id),
        ])
    }

    /// Hex HMAC-SHA256 over `timestamp + "." + body`.
    public static func signature(secret: [UInt8], timestamp: String, body: Data) -> String {
        HMACSigner.hexMAC(key: secret, message: Array((timestamp + ".").utf8) + Array(body))
    }

    /// Checks a received webhook (for receivers, and the tests): signature first, then freshness.
    public static func verify(body: Data, timestamp: String, signatureHeader: String, secret: [UInt8],
                              now: Date, tolerance: TimeInterval = 300) -> Bool {
        guard signatureHeader.hasPrefix("sha256="), let mac = HMACSigner.unhex(String(signatureHeader.dropFirst(7))),
              let ts = TimeInterval(timestamp) else { return false }
        guard HMACSigner.isValid(mac, key: secret, message: Array((timestamp + ".").utf8) + Array(body)) else { return false }
        return abs(now.timeIntervalSince1970 - ts) <= tolerance
    }

    struct Payload: Encodable {
        var version = 1
        var id: String
        var kind: String
        var receiver: String
        var group_key: String
        var title: String
        var headline: String
        var severity: String
        var brand: String?
        var channel: String
        var source: String
        var urgency: [String]
        var reasons: [String]
        var excerpt: String
        var contact: Contact?
        var thread_url: String
        var post_url: String?
        var ack_url: String
        var ack_expires_at: Date
        var also_in_group: [String]
        /// The other threads, each once, with their links (an `ack_url` for every P1).
        var group: [Grouped]
        var created_at: Date

        struct Grouped: Encodable {
            var thread_id: String
            var severity: String
            var headline: String
            var thread_url: String
            var post_url: String?
            var ack_url: String?
        }

        struct Contact: Encodable {
            var name: String?
            var url: String
            var confidence: Double
            var basis: String?
        }

        init(_ n: Notification) {
            id = n.id
            kind = n.kind.rawValue
            receiver = n.receiver
            group_key = n.groupKey
            title = n.title
            headline = n.headline
            severity = n.severity.rawValue
            brand = n.brand
            channel = n.channel.rawValue
            source = n.source
            urgency = n.urgency.map(\.rawValue)
            reasons = n.reasons
            excerpt = n.excerpt
            contact = n.contact.map { Contact(name: $0.name, url: $0.url, confidence: $0.confidence, basis: $0.basis) }
            thread_url = n.threadURL
            post_url = n.postURL
            ack_url = n.ackURL
            ack_expires_at = n.ackExpiresAt
            also_in_group = n.alsoInGroup
            group = n.others.map {
                Grouped(thread_id: $0.threadID, severity: $0.severity.rawValue, headline: $0.headline, thread_url: $0.threadURL,
                        post_url: $0.postURL, ack_url: $0.ackURL)
            }
            created_at = n.createdAt
        }
    }
}
