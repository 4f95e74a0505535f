/// Writes phone numbers in E.164 (`+442079460958`), with a default region for national numbers.
///
/// ```swift
/// let gb = PhoneRegion.named("GB")
/// PhoneNormalizer.e164("020 7946 0958", region: gb)         // "+442079460958"
/// PhoneNormalizer.e164("+44 (0)20 7946 0958", region: nil)  // "+442079460958"
/// PhoneNormalizer.e164("(555) 012", region: gb)             // nil: too short
/// ```
public enum PhoneNormalizer {
    /// The E.164 form of a number, or nil when it cannot be a valid number.
    ///
    /// Extensions (`ext. 12`, `x12`, `#12`) are dropped; letters anywhere else make it invalid.
    public static func e164(_ raw: String, region: PhoneRegion?) -> String? {
        e164(bytes: Array(raw.utf8), region: region)
    }

    static func e164(bytes raw: [UInt8], region: PhoneRegion?) -> String? {
        var input = ASCII.trimmed(raw)
        if ASCII.hasPrefixIgnoringCase(input, "tel:") { input.removeFirst(4) }
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var plus = false
        var index = 0
        var sawDigit = false
        while index < input.count {
            let byte = input[index]
            if ASCII.isDigit(byte) {
                digits.append(byte)
                sawDigit = true
            } else if byte == UInt8(ascii: "+") {
                guard !sawDigit, !plus else { return nil }
                plus = true
            } else if byte == UInt8(ascii: "(") && index + 2 < input.count && input[index + 1] == UInt8(ascii: "0")
                        && input[index + 2] == UInt8(ascii: ")") && plus {
                index += 3 // "+44 (0)20": the national trunk zero written beside the country code
                continue
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                        || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "/")
                        || byte == 0xA0 || byte == 0xC2 || byte == UInt8(ascii: "\t") {
                // separators
            } else if sawDigit && (byte == UInt8(ascii: "#") || byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X")
                                   || ASCII.hasPrefixIgnoringCase(input[index...], "ext")) {
                break // extension
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                break // pause or parameters: what follows is not the number
            } else {
                return nil
            }
            index += 1
        }
        guard digits.count >= 4, digits.count <= 17 else { return nil }
        if !plus {
            if region?.isNANP == true, digits.starts(with: Array("011".utf8)) {
                digits.removeFirst(3)
                plus = true
            } else if region?.isNANP != true, digits.count > 2, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "0") {
                digits.removeFirst(2)
                plus = true
            }
        }
        if plus { return international(digits) }
        guard let region else { return nil }
        return national(digits, region: region)
    }

    private static func international(_ digits: [UInt8]) -> String? {
        guard let first = digits.first, first != UInt8(ascii: "0") else { return nil }
        for codeLength in 1...3 where digits.count > codeLength {
            let code = String(decoding: digits[..<codeLength], as: UTF8.self)
            guard let region = PhoneRegion.byCallingCode[code] else { continue }
            var nsn = Array(digits[codeLength...])
            if let trunk = region.trunkPrefix, !region.keepsTrunk, trunk == "0", nsn.first == UInt8(ascii: "0") {
                nsn.removeFirst()
            }
            if region.code == "MX", nsn.count == 11, nsn.first == UInt8(ascii: "1") { nsn.removeFirst() }
            return finish(nsn, region: region)
        }
        // A calling code outside the table: only the general E.164 limits can be checked.
        guard digits.count >= 8, digits.count <= 15 else { return nil }
        return "+" + String(decoding: digits, as: UTF8.self)
    }

    private static func national(_ digits: [UInt8], region: PhoneRegion) -> String? {
        var nsn = digits
        if region.isNANP {
            if nsn.count == 11, nsn.first == UInt8(ascii: "1") { nsn.removeFirst() }
        } else if let trunk = region.trunkPrefix, !region.keepsTrunk, nsn.starts(with: Array(trunk.utf8)) {
            nsn.removeFirst(trunk.utf8.count)
        } else if region.code == "MX" {
            if nsn.count == 12, nsn.starts(with: Array("01".utf8)) || nsn.starts(with: Array("04".utf8)) { nsn.removeFirst(2) }
        } else if region.trunkPrefix == "0", !region.keepsTrunk, nsn.count > region.lengths.upperBound {
            return nil
        }
        return finish(nsn, region: region)
    }

    private static func finish(_ nsn: [UInt8], region: PhoneRegion) -> String? {
        guard region.lengths.contains(nsn.count) else { return nil }
        if region.isNANP {
            // Area code and exchange never start with 0 or 1.
            guard nsn[0] >= UInt8(ascii: "2"), nsn[3] >= UInt8(ascii: "2") else { return nil }
        }
        guard region.callingCode.utf8.count + nsn.count <= 15 else { return nil }
        return "+" + region.callingCode + String(decoding: nsn, as: UTF8.self)
    }

    /// Phone numbers written in free text (`call me on +44 20 7946 0958`), in E.164, in order,
    /// without repeats.
    public static func numbers(inText text: String, region: PhoneRegion?) -> [String] {
        var found: [String] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let startsNumber = ASCII.isDigit(byte) || (byte == UInt8(ascii: "+") && index + 1 < bytes.count && ASCII.isDigit(bytes[index + 1]))
                || (byte == UInt8(ascii: "(") && index + 1 < bytes.count && ASCII.isDigit(bytes[index + 1]))
            // A number starts at a word boundary.
            if startsNumber, index == 0 || !ASCII.isAlphanumeric(bytes[index - 1]) {
                var end = index
                var digitCount = 0
                var lastDigitEnd = index
                while end < bytes.count {
                    let current = bytes[end]
                    if ASCII.isDigit(current) {
                        digitCount += 1
                        lastDigitEnd = end + 1
                    } else if current == UInt8(ascii: " ") || current == UInt8(ascii: "-") || current == UInt8(ascii: ".")
                                || current == UInt8(ascii: "(") || current == UInt8(ascii: ")") || (current == UInt8(ascii: "+") && end == index) {
                        // A separator may not repeat ("1.  2") or end the number.
                        if end > index, !ASCII.isDigit(bytes[end - 1]) && bytes[end - 1] != UInt8(ascii: ")")
                            && !(current == UInt8(ascii: "(") && bytes[end - 1] == UInt8(ascii: " ")) {
                            break
                        }
                    } else {
                        break
                    }
                    end += 1
                }
                let followedByLetter = lastDigitEnd < bytes.count && ASCII.isLetter(bytes[lastDigitEnd])
                if digitCount >= 7, digitCount <= 17, !followedByLetter,
                   let number = e164(bytes: Array(bytes[index..<lastDigitEnd]), region: region), !found.contains(number) {
                    found.append(number)
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
        return found
    }
}
