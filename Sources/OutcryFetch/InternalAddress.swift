import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Addresses that lead into the machine or its network rather than to the internet: loopback,
/// link-local (169.254.0.0/16 — cloud metadata services live there — and fe80::/10), private
/// (RFC 1918, fc00::/7), 0.0.0.0/8, CGNAT 100.64.0.0/10, and IPv4-mapped or -compatible IPv6
/// forms of those.
///
/// ```swift
/// InternalAddress.kind(of: "169.254.169.254")  // "link-local"
/// InternalAddress.kind(of: "93.184.215.14")    // nil
/// ```
public enum InternalAddress {
    /// What kind of internal address `ip` (a literal IPv4 or IPv6 address) is; nil for a public
    /// address or text that is not an address.
    public static func kind(of ip: String) -> String? {
        var text = ip
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // fe80::1%eth0
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let b = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return kind(ipv4: b)
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return kind(ipv4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0..<12].allSatisfy({ $0 == 0 }) { return kind(ipv4: Array(b[12..<16])) ?? "IPv4-compatible" }  // ::a.b.c.d (deprecated)
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return kind(ipv4: Array(b[12..<16]))  // 64:ff9b::/96 NAT64 of an internal IPv4 address
        }
        if b[0] & 0xFE == 0xFC { return "private (unique local)" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "link-local" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return "site-local" }
        if b[0] == 0xFF { return "multicast" }
        return nil
    }

    static func kind(ipv4 b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return "this network (0.0.0.0/8)"
        case (127, _): return "loopback"
        case (10, _): return "private (10.0.0.0/8)"
        case (172, 16...31): return "private (172.16.0.0/12)"
        case (192, 168): return "private (192.168.0.0/16)"
        case (169, 254): return "link-local"
        case (100, 64...127): return "shared (CGNAT 100.64.0.0/10)"
        case (224...255, _): return "multicast or reserved"
        default: return nil
        }
    }

    /// Whether a URL's host is internal by its text alone: a literal internal address, or
    /// `localhost` (and `*.localhost`).
    public static func isInternalHost(_ host: String) -> Bool {
        let lower = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return lower == "localhost" || lower.hasSuffix(".localhost") || kind(of: lower) != nil
    }

    /// Whether a host is loopback by its text: `localhost`, 127.0.0.0/8, ::1.
    public static func isLoopbackHost(_ host: String) -> Bool {
        let lower = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return lower == "localhost" || lower.hasSuffix(".localhost") || kind(of: lower) == "loopback"
    }
}
