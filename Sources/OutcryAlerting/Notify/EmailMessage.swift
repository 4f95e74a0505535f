import Foundation

/// An RFC 5322 e-mail with a `multipart/alternative` body (plain text, then HTML), ready for SMTP.
///
/// Lines end in CRLF; bodies are quoted-printable UTF-8; a non-ASCII subject or display name is
/// written as RFC 2047 encoded words. The Message-ID comes from the notification id, so a retried
/// delivery is recognisably the same message.
///
/// ```swift
/// let text = try EmailMessage.render(n, from: EmailAddress("alerts@example.org", name: "Outcry"),
///                                    to: [EmailAddress("comms@example.org")], now: now)
/// ```
public enum EmailMessage {
    /// A mailbox: address plus optional display name.
    public struct Address: Sendable, Equatable, Codable {
        public var address: String
        public var name: String?

        public init(_ address: String, name: String? = nil) {
            self.address = address
            self.name = name
        }
    }

    /// - Parameter text: a receiver template's plain text; when given, the message is that text
    ///   alone (`text/plain`), without the built-in text and HTML parts.
    public static func render(_ n: Notification, from: Address, to: [Address], now: Date, text: String? = nil) throws -> String {
        guard !to.isEmpty else { throw AlertingConfigError("an e-mail notification needs at least one recipient") }
        for a in [from] + to {
            guard a.address.contains("@"), !a.address.contains(where: { $0.isNewline || $0 == " " || $0 == "<" || $0 == ">" }),
                  !(a.name ?? "").contains(where: \.isNewline) else {
                throw AlertingConfigError("'\(a.address)' is not a usable e-mail address")
            }
        }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "outcry.invalid"
        let boundary = "=_outcry_\(n.id)"
        let headers = [
            "From: \(mailbox(from))",
            "To: \(to.map(mailbox).joined(separator: ",\r\n "))",
            "Subject: \(encodeHeaderText(n.headline))",
            "Date: \(rfc5322Date(now))",
            "Message-ID: <\(n.id).\(Int64(n.createdAt.timeIntervalSince1970))@\(domain)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "X-Auto-Response-Suppress: All",
            "X-Outcry-Severity: \(n.severity.rawValue)",
        ]
        if let text {
            return (headers + [
                "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(text), "",
            ]).joined(separator: "\r\n")
        }
        let lines = headers + [
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "This is a multi-part message in MIME format.",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            quotedPrintable(plainText(n)),
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            quotedPrintable(html(n)),
            "--\(boundary)--",
            "",
        ]
        return lines.joined(separator: "\r\n")
    }

    static func plainText(_ n: Notification) -> String {
        var out = [n.headline, "", n.excerpt, ""]
        if !n.reasons.isEmpty { out += ["Why:"] + n.reasons.map { "- " + $0 } + [""] }
        out.append("Severity: \(n.severity.rawValue)   Channel: \(n.channel.rawValue) (\(n.source))")
        if !n.urgency.isEmpty { out.append("Urgency: " + n.urgency.map(\.rawValue).joined(separator: ", ")) }
        if let c = n.contactLine { out.append("Contact: \(c)") }
        if !n.others.isEmpty {
            out += ["", "Also in this group:"]
            for other in n.others {
                out.append("- \(other.headline)")
                out.append("  Open the thread: \(other.threadURL)")
                if let post = other.postURL { out.append("  Original post: \(post)") }
                if let ack = other.ackURL { out.append("  Acknowledge: \(ack)") }
            }
        }
        out += ["", "Open the thread: \(n.threadURL)"]
        if let post = n.postURL { out.append("Original post: \(post)") }
        out += ["Acknowledge: \(n.ackURL)", "(the acknowledge link expires \(rfc5322Date(n.ackExpiresAt)))"]
        return out.joined(separator: "\n")
    }

    static func html(_ n: Notification) -> String {
        let e = escapeHTML
        var out = "<!DOCTYPE html><html><body>\n<h2>\(e(n.headline))</h2>\n<blockquote>\(e(n.excerpt))</blockquote>\n"
        if !n.reasons.isEmpty { out += "<p>Why:</p><ul>" + n.reasons.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n" }
        out += "<p>Severity: <b>\(n.severity.rawValue)</b> · Channel: \(e(n.channel.rawValue)) (\(e(n.source)))</p>\n"
        if let c = n.contact {
            out += "<p>Contact: <a href=\"\(e(c.url))\">\(e(c.name ?? "contact"))</a> (confidence \(Int((c.confidence * 100).rounded()))%)</p>\n"
        }
        if !n.others.isEmpty {
            out += "<p>Also in this group:</p><ul>" + n.others.map { other in
                var item = "<li>\(e(other.headline)) — <a href=\"\(e(other.threadURL))\">open the thread</a>"
                if let post = other.postURL { item += " · <a href=\"\(e(post))\">original post</a>" }
                if let ack = other.ackURL { item += " · <a href=\"\(e(ack))\">acknowledge</a>" }
                return item + "</li>"
            }.joined() + "</ul>\n"
        }
        let post = n.postURL.map { " · <a href=\"\(e($0))\">Original post</a>" } ?? ""
        out += "<p><a href=\"\(e(n.threadURL))\">Open the thread</a>\(post) · <a href=\"\(e(n.ackURL))\">Acknowledge</a></p>\n</body></html>"
        return out
    }

    /// Text made safe inside HTML (also in attribute values): `& < > " '` escaped.
    public static func escapeHTML(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func mailbox(_ a: Address) -> String {
        guard let name = a.name, !name.isEmpty else { return a.address }
        if name.allSatisfy({ $0.isASCII }) {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(a.address)>"
        }
        return "\(encodeHeaderText(name)) <\(a.address)>"
    }

    /// Header text as is when it is printable ASCII, else as RFC 2047 `=?UTF-8?B?…?=` words of at
    /// most 75 characters, folded onto continuation lines; characters are never split between words.
    public static func encodeHeaderText(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        // 45 bytes become 60 base64 characters: 12 + 60 + 2 = 74 per encoded word.
        func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in text {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text; `\n` becomes a hard CRLF line break, lines are
    /// kept to 76 characters with soft breaks.
    public static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            var width = 0
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                let token: String
                if (b >= 33 && b <= 126 && b != 61) || ((b == 32 || b == 9) && !isLast) {
                    token = String(UnicodeScalar(b))
                } else {
                    token = String(format: "=%02X", b)
                }
                if width + token.count > 75 {
                    out += "=\r\n"
                    width = 0
                }
                out += token
                width += token.count
            }
            return out
        }.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: d)
    }
}
