import Foundation

/// JSON kept as text (a TEXT column, an outbox payload): keys sorted and slashes unescaped, so the
/// same value always gives the same bytes. One encoder and decoder are shared: building them
/// per value cost more than encoding the three small lists of each stored mention.
public enum CanonicalJSON {
    nonisolated(unsafe) private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    nonisolated(unsafe) private static let decoder = JSONDecoder()

    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The lists every stored mention carries (its references, urgency categories and score
    /// reasons), written straight into bytes: the same text as ``encode(_:)-generic`` gives (tested
    /// against it), without the encoder's boxing, which was most of a polling pass's JSON time.
    public static func encode(_ strings: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, string) in strings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(string, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ categories: [UrgencyCategory]) -> String {
        encode(categories.map(\.rawValue))
    }

    /// Throws as the encoder does for a weight JSON cannot hold (NaN, infinity).
    public static func encode(_ reasons: [Reason]) throws -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(64 * reasons.count + 2)
        for (i, reason) in reasons.enumerated() {
            guard reason.weight.isFinite else { return String(decoding: try encoder.encode(reasons), as: UTF8.self) }
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"evidence":"#.utf8)
            appendString(reason.evidence, to: &out)
            out.append(contentsOf: #","rule":"#.utf8)
            appendString(reason.rule, to: &out)
            out.append(contentsOf: #","weight":"#.utf8)
            appendNumber(reason.weight, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A string as the encoder writes it: `"` and `\` escaped, `\b \f \n \r \t` by name, the
    /// other control characters as `\u00XX`, everything else (slashes, non-ASCII) as it is.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(Hex.digits[Int(byte >> 4)])
                out.append(Hex.digits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A finite number as the encoder writes it: Swift's shortest description, without the
    /// `.0` of a whole number (`-0.0` is `-0`).
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        let text = value.description.utf8
        if text.count > 2, text.suffix(2).elementsEqual(".0".utf8) {
            out.append(contentsOf: text.dropLast(2))
        } else {
            out.append(contentsOf: text)
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
