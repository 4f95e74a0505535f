/// The dialling rules of one region: calling code, national trunk prefix and the lengths a
/// national significant number may have.
///
/// A compact table, not a full numbering plan: enough to write numbers from the common regions
/// in E.164 and to reject ones that cannot be right.
///
/// ```swift
/// PhoneRegion.named("GB")?.callingCode // "44"
/// ```
public struct PhoneRegion: Sendable, Equatable, Hashable {
    /// ISO 3166 alpha-2 code (`GB`).
    public var code: String
    public var callingCode: String
    /// The prefix dialled before national numbers (`0` in GB), nil when there is none.
    public var trunkPrefix: String?
    /// Whether the trunk digit is part of the number in E.164 too (Italy).
    public var keepsTrunk: Bool
    /// Allowed lengths of the national significant number.
    public var lengths: ClosedRange<Int>

    public init(code: String, callingCode: String, trunkPrefix: String?, keepsTrunk: Bool = false, lengths: ClosedRange<Int>) {
        self.code = code
        self.callingCode = callingCode
        self.trunkPrefix = trunkPrefix
        self.keepsTrunk = keepsTrunk
        self.lengths = lengths
    }

    /// The region with this ISO code (case-insensitive), nil when not in the table.
    public static func named(_ code: String) -> PhoneRegion? { byCode[code.uppercased()] }

    /// Whether numbers here follow the North American Numbering Plan (+1).
    var isNANP: Bool { callingCode == "1" }

    public static let all: [PhoneRegion] = [
        PhoneRegion(code: "US", callingCode: "1", trunkPrefix: "1", lengths: 10...10),
        PhoneRegion(code: "CA", callingCode: "1", trunkPrefix: "1", lengths: 10...10),
        PhoneRegion(code: "GB", callingCode: "44", trunkPrefix: "0", lengths: 9...10),
        PhoneRegion(code: "IE", callingCode: "353", trunkPrefix: "0", lengths: 7...9),
        PhoneRegion(code: "DE", callingCode: "49", trunkPrefix: "0", lengths: 6...11),
        PhoneRegion(code: "FR", callingCode: "33", trunkPrefix: "0", lengths: 9...9),
        PhoneRegion(code: "ES", callingCode: "34", trunkPrefix: nil, lengths: 9...9),
        PhoneRegion(code: "IT", callingCode: "39", trunkPrefix: "0", keepsTrunk: true, lengths: 6...11),
        PhoneRegion(code: "NL", callingCode: "31", trunkPrefix: "0", lengths: 9...9),
        PhoneRegion(code: "BE", callingCode: "32", trunkPrefix: "0", lengths: 8...9),
        PhoneRegion(code: "AU", callingCode: "61", trunkPrefix: "0", lengths: 9...9),
        PhoneRegion(code: "NZ", callingCode: "64", trunkPrefix: "0", lengths: 8...10),
        PhoneRegion(code: "IN", callingCode: "91", trunkPrefix: "0", lengths: 10...10),
        PhoneRegion(code: "BR", callingCode: "55", trunkPrefix: "0", lengths: 10...11),
        PhoneRegion(code: "MX", callingCode: "52", trunkPrefix: nil, lengths: 10...10),
        PhoneRegion(code: "JP", callingCode: "81", trunkPrefix: "0", lengths: 9...10),
        PhoneRegion(code: "CH", callingCode: "41", trunkPrefix: "0", lengths: 9...9),
        PhoneRegion(code: "AT", callingCode: "43", trunkPrefix: "0", lengths: 4...13),
        PhoneRegion(code: "SE", callingCode: "46", trunkPrefix: "0", lengths: 7...9),
        PhoneRegion(code: "NO", callingCode: "47", trunkPrefix: nil, lengths: 8...8),
        PhoneRegion(code: "DK", callingCode: "45", trunkPrefix: nil, lengths: 8...8),
        PhoneRegion(code: "FI", callingCode: "358", trunkPrefix: "0", lengths: 5...11),
        PhoneRegion(code: "PL", callingCode: "48", trunkPrefix: nil, lengths: 9...9),
        PhoneRegion(code: "PT", callingCode: "351", trunkPrefix: nil, lengths: 9...9),
        PhoneRegion(code: "SG", callingCode: "65", trunkPrefix: nil, lengths: 8...8),
        PhoneRegion(code: "ZA", callingCode: "27", trunkPrefix: "0", lengths: 9...9),
        PhoneRegion(code: "CN", callingCode: "86", trunkPrefix: "0", lengths: 10...11),
        PhoneRegion(code: "KR", callingCode: "82", trunkPrefix: "0", lengths: 9...10),
        PhoneRegion(code: "HK", callingCode: "852", trunkPrefix: nil, lengths: 8...8),
        PhoneRegion(code: "IL", callingCode: "972", trunkPrefix: "0", lengths: 8...9),
        PhoneRegion(code: "AE", callingCode: "971", trunkPrefix: "0", lengths: 8...9),
        PhoneRegion(code: "AR", callingCode: "54", trunkPrefix: "0", lengths: 10...11),
    ]

    static let byCode: [String: PhoneRegion] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    /// First region per calling code (US for +1).
    static let byCallingCode: [String: PhoneRegion] = Dictionary(all.map { ($0.callingCode, $0) }, uniquingKeysWith: { first, _ in first })
}
