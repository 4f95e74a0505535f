#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding bytes in a named character set into a Swift `String`.
///
/// UTF-8 is decoded natively; every other charset goes through the C library's `iconv`,
/// which knows the legacy sets real feeds and mail use (ISO-8859-x, Windows-125x, KOI8-R/U,
/// GB2312/GBK/GB18030, Big5, Shift_JIS, EUC-JP/KR, ISO-2022-JP, UTF-16/32, …).
///
/// ```swift
/// Charset.decode(Array("caf\u{E9}".utf8), charset: "utf-8")      // "café"
/// Charset.decode([0x63, 0x61, 0x66, 0xE9], charset: "latin1")     // "café"
/// ```
public enum Charset {
    /// Decodes `bytes` as `charset`. Returns nil when the charset is unknown or the bytes are
    /// not valid in it (the caller decides on a fallback and records the defect).
    public static func decode<C: Collection>(_ bytes: C, charset: String) -> String? where C.Element == UInt8 {
        let name = canonicalName(charset)
        if name == "UTF-8" {
            let array = Array(bytes)
            var body = array[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            return String(validating: body, as: UTF8.self)
        }
        if name == "US-ASCII" {
            let array = Array(bytes)
            if array.allSatisfy({ $0 < 0x80 }) { return String(decoding: array, as: UTF8.self) }
            return nil
        }
        return iconvDecode(Array(bytes), from: name)
    }

    /// Decodes `bytes` as `charset`, replacing what cannot be decoded: never fails.
    /// Unknown charsets fall back to Windows-1252 (a superset of ISO-8859-1 that maps every byte).
    public static func decodeLossy<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        if let charset, let text = decode(bytes, charset: charset) { return text }
        let array = Array(bytes)
        if let text = String(validating: array, as: UTF8.self) { return text }
        if let text = iconvDecode(array, from: "WINDOWS-1252") { return text }
        return String(decoding: array, as: UTF8.self)
    }

    /// Whether iconv (or the native decoder) knows this charset label.
    public static func isKnown(_ charset: String) -> Bool {
        let name = canonicalName(charset)
        if name == "UTF-8" || name == "US-ASCII" { return true }
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// Maps the labels seen in the wild to the names iconv knows.
    public static func canonicalName(_ label: String) -> String {
        var s = label.trimmingSpacesAndQuotes().uppercased()
        if s.hasPrefix("X-") && aliases[s] == nil { s.removeFirst(2) }
        if let alias = aliases[s] { return alias }
        if s.hasPrefix("CP") && s.dropFirst(2).allSatisfy(\.isNumber), let n = Int(s.dropFirst(2)), (1250...1258).contains(n) {
            return "WINDOWS-\(n)"
        }
        return s
    }

    private static let aliases: [String: String] = [
        "UTF8": "UTF-8", "UTF-8": "UTF-8", "UNICODE-1-1-UTF-8": "UTF-8",
        "ASCII": "US-ASCII", "US-ASCII": "US-ASCII", "ANSI_X3.4-1968": "US-ASCII", "646": "US-ASCII",
        // WHATWG: latin1 and ISO-8859-1 labels mean Windows-1252 on the web; the C1 range
        // then decodes to the characters authors actually meant.
        "LATIN1": "WINDOWS-1252", "ISO-8859-1": "WINDOWS-1252", "ISO8859-1": "WINDOWS-1252", "ISO_8859-1": "WINDOWS-1252",
        "L1": "WINDOWS-1252", "CP819": "WINDOWS-1252", "IBM819": "WINDOWS-1252", "ISO-IR-100": "WINDOWS-1252",
        "X-USER-DEFINED": "WINDOWS-1252",
        "GB2312": "GBK", "GB_2312-80": "GBK", "CSGB2312": "GBK", "X-GBK": "GBK", "EUC-CN": "GBK",
        "BIG5": "BIG5-HKSCS", "BIG-5": "BIG5-HKSCS", "CN-BIG5": "BIG5-HKSCS", "X-X-BIG5": "BIG5-HKSCS",
        "SHIFT_JIS": "SHIFT_JIS", "SJIS": "SHIFT_JIS", "MS_KANJI": "SHIFT_JIS", "X-SJIS": "SHIFT_JIS", "WINDOWS-31J": "CP932",
        "KS_C_5601-1987": "CP949", "EUC-KR": "CP949", "KOREAN": "CP949",
        "KOI8R": "KOI8-R", "KOI8-U": "KOI8-U",
        "MACINTOSH": "MACINTOSH", "MAC": "MACINTOSH", "X-MAC-ROMAN": "MACINTOSH",
        "UTF16": "UTF-16", "UTF-16": "UTF-16", "UTF32": "UTF-32", "UTF-32": "UTF-32",
        "TIS-620": "CP874", "WINDOWS-874": "CP874", "ISO-8859-11": "CP874",
        "ISO-8859-9": "WINDOWS-1254", "LATIN5": "WINDOWS-1254",
    ]

    private static func iconvDecode(_ input: [UInt8], from name: String) -> String? {
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        if input.isEmpty { return "" }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var source = input
        let produced: Int? = source.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if result == -1 || inLeft != 0 { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        var utf8 = output[..<produced]
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        return String(validating: utf8, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingSpacesAndQuotes() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\"" || first == "'" || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\"" || last == "'" || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
