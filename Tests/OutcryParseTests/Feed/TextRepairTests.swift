import Foundation
import Testing
@testable import OutcryParse

/// The byte-level `undoingDoubleEncoding` and `mappingCP1252Controls` against the scalar-level
/// definitions they replace, on random strings of ASCII, Latin-1, C1 controls, wider scalars
/// and double-encoded text.
@Suite struct TextRepairTests {
    static func referenceUndo(_ s: String) -> String {
        var sawHigh = false
        for u in s.unicodeScalars {
            if u.value > 0xFF { return s }
            if u.value >= 0x80 { sawHigh = true }
        }
        guard sawHigh else { return s }
        return String(validating: s.unicodeScalars.map { UInt8($0.value) }, as: UTF8.self) ?? s
    }

    static func referenceCP1252(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0x80 && u.value <= 0x9F, let m = CP1252.map[u.value], let v = Unicode.Scalar(m) { out.append(v) } else { out.append(u) }
        }
        return String(out)
    }

    /// "é" read as Latin-1 and written again as UTF-8.
    static func doubleEncoded(_ s: String) -> String {
        String(String.UnicodeScalarView(s.utf8.map { Unicode.Scalar($0) }))
    }

    @Test func byteLevelRepairsMatchTheScalarDefinitions() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        let pool: [UInt32] = [0x41, 0x20, 0x7A, 0x0A, 0x80, 0x85, 0x93, 0x9F, 0xA0, 0xC3, 0xA9, 0xC2, 0xE2, 0xBF, 0xFF, 0xF0, 0x100, 0x2019, 0x1F600]
        var samples = ["", "plain", "café", "naïve déjà", "â€™", "Ã©tÃ©", "\u{93}quoted\u{94}", "€ and Ã", Self.doubleEncoded("Grüße, 😀 ’")]
        for _ in 0..<4000 {
            var u = String.UnicodeScalarView()
            for _ in 0..<(1 + next(12)) { u.append(Unicode.Scalar(pool[next(pool.count)])!) }
            let s = String(u)
            samples.append(next(3) == 0 ? Self.doubleEncoded(s) : s)
        }
        for s in samples {
            #expect(s.undoingDoubleEncoding() == Self.referenceUndo(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(s.mappingCP1252Controls() == Self.referenceCP1252(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(Self.doubleEncoded("Grüße").undoingDoubleEncoding() == "Grüße")
    }
}
