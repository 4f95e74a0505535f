/// Lowercase hexadecimal of bytes (digests, tokens), two digits a byte — without a formatter
/// call per byte (`String(format: "%02x")`, which the session check paid on every request).
public enum Hex {
    /// The sixteen digits, as bytes.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
