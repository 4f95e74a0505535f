import Foundation

/// Personal names for display and for matching.
///
/// Display names are NFKC, single-spaced, "First Last" (a "Last, First" is turned round),
/// without honorifics. Match tokens are also case- and diacritic-folded, without suffixes:
///
/// ```swift
/// NameNormalizer.display("  Dr. Lovelace,  Ada ")  // "Ada Lovelace"
/// NameNormalizer.tokens("Zoë O'Brien-Núñez, PhD")  // ["zoe", "obrien", "nunez"]
/// ```
public enum NameNormalizer {
    /// The display form of a name, nil when nothing is left of it.
    public static func display(_ raw: String) -> String? {
        let ascii = raw.utf8.allSatisfy { $0 < 0x80 }
        // Latin letters that compatibility composition leaves as they are need no Foundation pass.
        let stable = ascii || raw.unicodeScalars.allSatisfy { $0.value < 0x80 || latin($0)?.nfkcStable == true }
        var text = stable ? raw : raw.precomposedStringWithCompatibilityMapping
        let comma = UInt8(ascii: ",")
        if text.utf8.contains(comma) { text = text.replacingOccurrences(of: ",", with: ", ") }
        var words = ascii
            ? text.utf8.split(whereSeparator: ASCII.isSpace).map { String(decoding: $0, as: UTF8.self) }
            : text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard !words.isEmpty else { return nil }
        while words.count > 1, isHonorific(fold(words[0])) { words.removeFirst() }
        // "Last, First" → "First Last", unless what follows the comma is a suffix ("Smith, Jr.").
        let commaWords = words.indices.filter { words[$0].utf8.contains(comma) }
        if commaWords.count == 1, let comma = commaWords.first, words[comma].utf8.last == UInt8(ascii: ","), comma < words.count - 1 {
            let after = words[(comma + 1)...].filter { !isSuffix(fold($0)) }
            if !after.isEmpty {
                var before = Array(words[...comma])
                before[before.count - 1].removeLast()
                words = after + before.filter { !$0.isEmpty }
            }
        }
        while words.count > 1, isHonorific(fold(words[0])) { words.removeFirst() }
        while let last = words.last, words.count > 1, isSuffix(fold(last)) { words.removeLast() }
        var result = Substring(words.joined(separator: " "))
        while let last = result.last, last == "," || last == " " { result.removeLast() }
        while let first = result.first, first == "," || first == " " { result.removeFirst() }
        return result.isEmpty ? nil : String(result)
    }

    /// A display name from separate parts (either may be empty).
    public static func display(first: String?, last: String?) -> String? {
        let parts = [first, last].compactMap { $0?.trimmedSpace }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : display(parts.joined(separator: " "))
    }

    /// Folded tokens for matching: lowercase, without diacritics, honorifics or suffixes;
    /// apostrophes join (`o'brien` → `obrien`), other punctuation splits.
    public static func tokens(_ raw: String) -> [String] {
        // A plain name (ASCII words of letters, digits and apostrophes) is never turned round,
        // and each word is one token, so the honorifics and suffixes `display` drops word by
        // word are the tokens dropped here: folding the raw name gives the same tokens without
        // making the display form (tested against that path on generated names).
        if isPlainWords(raw) { return tokens(ofPlain: raw) }
        return tokens(ofDisplay: display(raw) ?? "")
    }

    /// ``tokens(_:)`` of a name ``isPlainWords(_:)`` accepts.
    static func tokens(ofPlain raw: String) -> [String] {
        tokens(ofFolded: fold(raw))
    }

    /// ASCII letters, digits and apostrophes, in words that each have a letter or digit.
    static func isPlainWords(_ raw: String) -> Bool {
        var inWord = false, wordHasAlphanumeric = false
        for byte in raw.utf8 {
            if ASCII.isAlphanumeric(byte) {
                inWord = true
                wordHasAlphanumeric = true
            } else if ASCII.isSpace(byte) {
                if inWord && !wordHasAlphanumeric { return false }
                inWord = false
                wordHasAlphanumeric = false
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                inWord = true
            } else {
                return false
            }
        }
        return !inWord || wordHasAlphanumeric
    }

    /// ``tokens(_:)`` of a name already in its ``display(_:)`` form.
    static func tokens(ofDisplay name: String) -> [String] {
        tokens(ofFolded: fold(name))
    }

    private static func tokens(ofFolded folded: String) -> [String] {
        var tokens = folded.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) }
        while tokens.count > 1, isHonorific(tokens[0]) { tokens.removeFirst() }
        while tokens.count > 1, let last = tokens.last, isSuffix(last) { tokens.removeLast() }
        return tokens
    }

    /// The tokens joined by single spaces: the key names are compared on.
    public static func matchKey(_ raw: String) -> String {
        tokens(raw).joined(separator: " ")
    }

    /// Case and diacritic folding; punctuation other than apostrophes becomes a space.
    static func fold(_ text: String) -> String {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // Written straight into the string's storage (inline for short words): this runs
            // for every word of every name imported or linked.
            return String(unsafeUninitializedCapacity: utf8.count) { out in
                var count = 0
                for byte in utf8 {
                    if ASCII.isAlphanumeric(byte) {
                        out[count] = ASCII.lower(byte)
                        count += 1
                    } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                        continue
                    } else if count > 0 && out[count - 1] != UInt8(ascii: " ") {
                        out[count] = UInt8(ascii: " ")
                        count += 1
                    }
                }
                if count > 0 && out[count - 1] == UInt8(ascii: " ") { count -= 1 }
                return count
            }
        }
        if let folded = latinFold(text) { return folded }
        return generalFold(text)
    }

    /// What Foundation's compatibility forms and ``fold(_:)`` make of one Latin letter
    /// (U+00C0…U+024F), worked out once by the general path: names of ASCII and these letters
    /// (most European names) are then folded and shown without Foundation.
    struct LatinLetter: Sendable {
        /// The folded form when it is one run of letters (`é` → `e`, `ß` → `ss`), else nil.
        var fold: String?
        /// Whether NFKC leaves the letter as it is (`ĳ` and `ŉ`, say, it does not).
        var nfkcStable: Bool
    }

    private static let latinLetters: [LatinLetter] = (0xC0...0x24F).map { value in
        let letter = String(Character(Unicode.Scalar(value)!))
        let folded = generalFold(letter)
        // Between two letters it must fold to letters only (`ŀ` is `l·`: a letter, then a break).
        let joins = !folded.isEmpty && !folded.utf8.contains(UInt8(ascii: " ")) && generalFold("x" + letter + "x") == "x" + folded + "x"
        return LatinLetter(
            fold: joins ? folded : nil,
            nfkcStable: Array(letter.precomposedStringWithCompatibilityMapping.unicodeScalars) == Array(letter.unicodeScalars))
    }

    static func latin(_ scalar: Unicode.Scalar) -> LatinLetter? {
        (0xC0...0x24F).contains(scalar.value) ? latinLetters[Int(scalar.value) - 0xC0] : nil
    }

    /// ``fold(_:)`` of ASCII and Latin letters, scalar by scalar; nil for any other text.
    static func latinFold(_ text: String) -> String? {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                let byte = UInt8(scalar.value)
                if ASCII.isAlphanumeric(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(ASCII.lower(byte)))
                    lastWasSpace = false
                } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                    continue
                } else if !lastWasSpace {
                    out.unicodeScalars.append(" ")
                    lastWasSpace = true
                }
            } else if let folded = latin(scalar)?.fold {
                out += folded
                lastWasSpace = false
            } else {
                return nil
            }
        }
        if out.utf8.last == UInt8(ascii: " ") { out.removeLast() }
        return out
    }

    /// The general fold: compatibility decomposition, marks dropped, lowercase.
    static func generalFold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark { continue }
            if scalar == "'" || scalar == "\u{2019}" || scalar == "`" || scalar == "\u{02BC}" { continue }
            if properties.isAlphabetic || properties.numericType != nil {
                if let special = specialFolds[scalar] {
                    out.append(contentsOf: special.unicodeScalars)
                } else {
                    out.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
                }
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        var result = String(out)
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    private static let specialFolds: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ı": "i", "ð": "d", "Ð": "d",
    ]

    static func isHonorific(_ folded: String) -> Bool { honorifics.contains(folded) }
    static func isSuffix(_ folded: String) -> Bool { suffixes.contains(folded) }

    private static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
        "revd", "fr", "herr", "frau", "mme", "mlle", "monsieur", "madame", "sr", "sra", "srta", "dott",
        "dottssa", "sig", "sigra", "ing", "mag", "dipl", "dona", "don",
    ]
    private static let suffixes: Set<String> = [
        "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "dds", "cpa", "jr.", "msc", "bsc",
    ]
}
