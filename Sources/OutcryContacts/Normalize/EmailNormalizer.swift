/// How far email addresses are folded before they are compared.
///
/// Case and surrounding space are always folded. Plus-address folding (`ada+news@x.org` →
/// `ada@x.org`) and Gmail dot folding (`a.da@gmail.com` → `ada@gmail.com`) are optional because
/// they can join two people on providers that treat those addresses as distinct.
public struct EmailFolding: Sendable, Equatable, Hashable {
    public var plusAddresses: Bool
    public var gmailDots: Bool

    public init(plusAddresses: Bool = false, gmailDots: Bool = false) {
        self.plusAddresses = plusAddresses
        self.gmailDots = gmailDots
    }
}

/// Normalises and checks email addresses.
///
/// ```swift
/// EmailNormalizer.normalize("  <Ada.Lovelace@Example.COM> ") // "ada.lovelace@example.com"
/// EmailNormalizer.normalize("not-an-address")                // nil
/// ```
public enum EmailNormalizer {
    /// The canonical form of an address, or nil when it is not a plausible address.
    ///
    /// Accepts `mailto:` URIs and `Name <address>` forms.
    public static func normalize(_ raw: String, folding: EmailFolding = EmailFolding()) -> String? {
        var raw = raw
        // Read in place: this runs for every mail mention linked and every address imported.
        return raw.withUTF8 { normalize(bytes: $0[...], folding: folding) }
    }

    private static func normalize(bytes all: Slice<UnsafeBufferPointer<UInt8>>, folding: EmailFolding) -> String? {
        var bytes = all
        if let open = bytes.lastIndex(of: UInt8(ascii: "<")), let close = bytes.lastIndex(of: UInt8(ascii: ">")), open < close {
            bytes = bytes[(open + 1)..<close]
        }
        while let first = bytes.first, ASCII.isSpace(first) || first == 0xA0 { bytes.removeFirst() }
        while let last = bytes.last, ASCII.isSpace(last) || last == 0xA0 { bytes.removeLast() }
        if bytes.count > 7, ASCII.hasPrefixIgnoringCase(bytes, "mailto:") {
            bytes.removeFirst(7)
            if let query = bytes.firstIndex(of: UInt8(ascii: "?")) { bytes = bytes[..<query] }
        }
        guard bytes.count >= 3, bytes.count <= 254 else { return nil }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), bytes.firstIndex(of: UInt8(ascii: "@")) == at else { return nil }
        var local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard isValidLocal(local), isValidDomain(domain) else { return nil }
        if folding.plusAddresses, let plus = local.firstIndex(of: UInt8(ascii: "+")), plus > local.startIndex {
            local = local[..<plus]
        }
        let googlemail = domain.count == 14 && ASCII.hasPrefixIgnoringCase(domain, "googlemail.com")
        let gmail = googlemail || (domain.count == 9 && ASCII.hasPrefixIgnoringCase(domain, "gmail.com"))
        let dropDots = folding.gmailDots && gmail
        if dropDots && local.allSatisfy({ $0 == UInt8(ascii: ".") }) { return nil }
        let domainLength = googlemail ? 9 : domain.count
        return String(unsafeUninitializedCapacity: local.count + 1 + domainLength) { out in
            var count = 0
            for byte in local where !(dropDots && byte == UInt8(ascii: ".")) {
                out[count] = ASCII.lower(byte)
                count += 1
            }
            out[count] = UInt8(ascii: "@")
            count += 1
            if googlemail {
                for byte in "gmail.com".utf8 {
                    out[count] = byte
                    count += 1
                }
            } else {
                for byte in domain {
                    out[count] = ASCII.lower(byte)
                    count += 1
                }
            }
            return count
        }
    }

    /// The domain of a normalised address (`ada@example.com` → `example.com`).
    public static func domain(of email: String) -> Substring? {
        guard let at = email.lastIndex(of: "@") else { return nil }
        return email[email.index(after: at)...]
    }

    /// Whether a domain belongs to a free mail provider, so that sharing it says nothing about
    /// working at the same company.
    public static func isFreeMailDomain<S: StringProtocol>(_ domain: S) -> Bool {
        freeMail.contains(String(domain))
    }

    private static let freeMail: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "hotmail.com",
        "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de",
        "orange.fr", "free.fr", "laposte.net", "libero.it", "mail.ru", "yandex.ru", "qq.com", "163.com",
        "fastmail.com", "hey.com", "zoho.com", "btinternet.com", "sky.com", "virginmedia.com", "bigpond.com",
        "uol.com.br", "bol.com.br", "rediffmail.com",
    ]

    private static func isValidLocal<C: BidirectionalCollection>(_ local: C) -> Bool where C.Element == UInt8 {
        guard !local.isEmpty, local.count <= 64 else { return false }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for byte in local {
            let isDot = byte == UInt8(ascii: ".")
            if isDot && previousDot { return false }
            previousDot = isDot
            if byte >= 0x80 || ASCII.isAlphanumeric(byte) || isDot { continue }
            switch byte {
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
                 UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
                 UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    private static func isValidDomain<C: BidirectionalCollection>(_ domain: C) -> Bool where C.Element == UInt8 {
        guard domain.count >= 3, domain.count <= 253 else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63 else { return false }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            for byte in label where !(byte >= 0x80 || ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "-")) {
                return false
            }
        }
        let tld = labels[labels.count - 1]
        let tldOK = tld.count >= 2 && tld.allSatisfy { $0 >= 0x80 || ASCII.isLetter($0) || $0 == UInt8(ascii: "-") || ASCII.isDigit($0) }
            && !tld.allSatisfy(ASCII.isDigit)
        return tldOK
    }
}
