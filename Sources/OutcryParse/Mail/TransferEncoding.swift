/// Content-Transfer-Encoding decoders: base64 and quoted-printable, lenient on what real
/// mailers get wrong; plus the "Q" encoding of RFC 2047 encoded words.
///
/// ```swift
/// TransferEncoding.decodeQuotedPrintable(Array("caf=C3=A9=\r\n!".utf8))   // "café!" in UTF-8
/// TransferEncoding.decodeBase64(Array("aGk".utf8)).bytes                     // "hi", padding missing
/// ```
public enum TransferEncoding {
    private static let base64Values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = Int8(i)
        }
        // URL-safe alphabet too: some mailers use it.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes base64, skipping characters outside the alphabet and tolerating missing or
    /// misplaced padding. `clean` is false when something had to be skipped or completed.
    public static func decodeBase64<C: Collection>(_ input: C) -> (bytes: [UInt8], clean: Bool) where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var quantum: UInt32 = 0
        var count = 0
        var clean = true
        var padding = 0
        for byte in input {
            let v = base64Values[Int(byte)]
            if v < 0 {
                if byte == UInt8(ascii: "=") {
                    padding += 1
                } else if byte != 0x0A && byte != 0x0D && byte != 0x20 && byte != 0x09 {
                    clean = false
                }
                continue
            }
            if padding > 0 { clean = false; padding = 0 }
            quantum = quantum << 6 | UInt32(v)
            count += 1
            if count == 4 {
                out.append(UInt8(quantum >> 16 & 0xFF))
                out.append(UInt8(quantum >> 8 & 0xFF))
                out.append(UInt8(quantum & 0xFF))
                quantum = 0
                count = 0
            }
        }
        switch count {
        case 2:
            out.append(UInt8(quantum >> 4 & 0xFF))
            if padding < 2 { clean = false }
        case 3:
            out.append(UInt8(quantum >> 10 & 0xFF))
            out.append(UInt8(quantum >> 2 & 0xFF))
            if padding < 1 { clean = false }
        case 1:
            clean = false
        default:
            break
        }
        return (out, clean)
    }

    /// How many bytes `decodeBase64` would produce, without producing them.
    public static func decodedBase64Count<C: Collection>(_ input: C) -> Int where C.Element == UInt8 {
        var sextets = 0
        for byte in input where base64Values[Int(byte)] >= 0 { sextets += 1 }
        let rest = sextets % 4
        return sextets / 4 * 3 + (rest >= 2 ? rest - 1 : 0)
    }

    /// Decodes quoted-printable: `=XX` (either case), soft line breaks (`=` at the end of a
    /// line, CRLF or LF), trailing white space on a line dropped; a stray `=` is kept.
    public static func decodeQuotedPrintable<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        let s = Array(input)
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = 0
        var lineStartInOut = 0
        while i < s.count {
            let c = s[i]
            if c == 0x0A || c == 0x0D {
                // Drop trailing white space of the line just finished (RFC 2045 §6.7 rule 3).
                while out.count > lineStartInOut, out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                out.append(c)
                i += 1
                if c == 0x0D, i < s.count, s[i] == 0x0A { out.append(0x0A); i += 1 }
                lineStartInOut = out.count
                continue
            }
            if c == UInt8(ascii: "=") {
                // Soft line break: "=" then optional white space then CRLF/LF/CR or the end.
                var j = i + 1
                while j < s.count, s[j] == 0x20 || s[j] == 0x09 { j += 1 }
                if j == s.count { break }
                if s[j] == 0x0A || s[j] == 0x0D {
                    i = j + 1
                    if s[j] == 0x0D, i < s.count, s[i] == 0x0A { i += 1 }
                    lineStartInOut = out.count
                    continue
                }
                if i + 2 < s.count, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The "Q" encoding of RFC 2047: quoted-printable where `_` is a space.
    public static func decodeQEncoding<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        let s = Array(input)
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                out.append(0x20)
            } else if c == UInt8(ascii: "="), i + 2 < s.count, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
