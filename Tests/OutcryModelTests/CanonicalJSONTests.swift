import Foundation
import OutcryModel
import Testing

/// The direct writers of the stored lists give the same text as the shared encoder, so rows
/// stored by either read the same and compare equal byte for byte.
@Suite struct CanonicalJSONTests {
    /// The encoder's path, whatever overloads exist for concrete types.
    static func viaEncoder<T: Encodable>(_ value: T) throws -> String { try CanonicalJSON.encode(value) }

    static let pieces = ["a", "\"", "\\", "/", "é", "😀", "\u{2028}", "\u{7F}", " ", "still waiting", "0"]
        + (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }

    static func randomString(_ random: inout SplitMix64) -> String {
        (0..<random.below(12)).map { _ in random.pick(pieces) }.joined()
    }

    static func randomNumber(_ random: inout SplitMix64) -> Double {
        switch random.below(6) {
        case 0: return Double(Int(random.next() % 2_000_001) - 1_000_000)
        case 1: return (Double(Int(random.next() % 20_001) - 10_000) / 10_000)
        case 2: return random.pick([0.0, -0.0, 1e-5, 1e-7, 1e15, 1e16, 1e21, -1e-300, 5e-324, Double.greatestFiniteMagnitude, 0.1, 2.5e-4])
        default:
            let value = Double(bitPattern: random.next())
            return value.isFinite ? value : 1.5
        }
    }

    @Test func stringListsMatchTheEncoder() throws {
        var random = SplitMix64(state: 11)
        for _ in 0..<3_000 {
            let list = (0..<random.below(4)).map { _ in Self.randomString(&random) }
            #expect(CanonicalJSON.encode(list) == (try Self.viaEncoder(list)), "\(list)")
        }
        #expect(CanonicalJSON.encode(["a/b", "x\"y\n"]) == #"["a/b","x\"y\n"]"#)
    }

    @Test func urgencyListsMatchTheEncoder() throws {
        let all = UrgencyCategory.allCases
        #expect(CanonicalJSON.encode(all) == (try Self.viaEncoder(all)))
        #expect(CanonicalJSON.encode([UrgencyCategory]()) == "[]")
    }

    @Test func reasonListsMatchTheEncoder() throws {
        var random = SplitMix64(state: 12)
        for _ in 0..<5_000 {
            let reasons = (0..<random.below(5)).map { _ in
                Reason(rule: random.pick(["lexicon", "urgency.legal", Self.randomString(&random)]), evidence: Self.randomString(&random),
                       weight: Self.randomNumber(&random))
            }
            #expect(try CanonicalJSON.encode(reasons) == (try Self.viaEncoder(reasons)), "\(reasons)")
        }
    }

    @Test func aWeightJSONCannotHoldFailsAsTheEncoderDoes() {
        #expect(throws: (any Error).self) { try CanonicalJSON.encode([Reason(rule: "r", evidence: "e", weight: .nan)]) }
        #expect(throws: (any Error).self) { try CanonicalJSON.encode([Reason(rule: "r", evidence: "e", weight: .infinity)]) }
    }
}
