/// A small, stable, non-cryptographic hash (FNV-1a, 64 bit) for content keys.
///
/// Stable across runs and machines, unlike `Hasher`; not for anything adversarial.
public enum StableHash {
    public static func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Sixteen lowercase hex digits of the FNV-1a hash of a string's UTF-8 bytes.
    public static func hex(of string: String) -> String {
        let value = fnv1a64(string.utf8)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
