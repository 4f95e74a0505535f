import Testing
@testable import OutcryParse

@Suite struct CharsetTests {
    @Test(arguments: [
        ([0x63, 0x61, 0x66, 0xC3, 0xA9] as [UInt8], "utf-8", "café"),
        ([0xEF, 0xBB, 0xBF, 0x61] as [UInt8], "UTF-8", "a"),
        ([0x63, 0x61, 0x66, 0xE9] as [UInt8], "ISO-8859-1", "café"),
        ([0x93, 0x68, 0x69, 0x94] as [UInt8], "latin1", "\u{201C}hi\u{201D}"),
        ([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] as [UInt8], "koi8-r", "Привет"),
        ([0xC4, 0xE3, 0xBA, 0xC3] as [UInt8], "gb2312", "你好"),
        ([0x82, 0xA0] as [UInt8], "Shift_JIS", "あ"),
        ([0xA7, 0x41] as [UInt8], "big5", "你"),
        ([0x80] as [UInt8], "cp1252", "€"),
        ([0x00, 0x68, 0x00, 0x69] as [UInt8], "utf-16be", "hi"),
    ])
    func decodesKnownCharsets(bytes: [UInt8], charset: String, expected: String) {
        #expect(Charset.decode(bytes, charset: charset) == expected)
    }

    @Test func invalidUTF8IsNilButLossyNeverFails() {
        #expect(Charset.decode([0x61, 0xFF], charset: "utf-8") == nil)
        #expect(Charset.decodeLossy([0x61, 0xE9], charset: "utf-8") == "aé")
        #expect(Charset.decode([0x61], charset: "no-such-charset") == nil)
        #expect(!Charset.isKnown("no-such-charset"))
        #expect(Charset.isKnown("windows-1251"))
    }

    @Test func entitiesDecode() {
        #expect(HTMLEntities.decode("caf&eacute; &amp; &#169; &#x263A; &#150; &bogus; a&b") == "café & © ☺ – &bogus; a&b")
    }
}
