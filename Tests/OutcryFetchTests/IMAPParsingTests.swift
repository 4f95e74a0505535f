import Testing
@testable import OutcryFetch

@Suite struct IMAPParsingTests {
    func line(_ text: String, _ literals: [String] = []) -> IMAPLine {
        IMAPLine(text: Array(text.utf8), literals: literals.map { Array($0.utf8) })
    }

    @Test func fetchItemsWithALiteralSectionAndFlags() throws {
        let header = "Message-ID:\r\n <abc@example.com>\r\n\r\n"
        let items = try #require(IMAPValue.fetchItems(line(
            "* 12 FETCH (UID 34 FLAGS (\\Seen \\Answered) RFC822.SIZE 5120 BODY[HEADER.FIELDS (MESSAGE-ID)] {\(header.utf8.count)})", [header])))
        #expect(items["UID"]?.number == 34)
        #expect(items["RFC822.SIZE"]?.number == 5120)
        #expect(items["FLAGS"]?.items.compactMap(\.atomText) == ["\\Seen", "\\Answered"])
        let bytes = try #require(items["BODY[HEADER.FIELDS (MESSAGE-ID)]"]?.bytes)
        #expect(IMAPResponse.messageID(inHeader: bytes) == "abc@example.com")
    }

    @Test func aBodyLiteralKeepsEveryByteIncludingParenthesesAndCRLF() throws {
        let body = "From: a@b.example\r\nSubject: (x) \"y\" {3}\r\n\r\n)))\r\n"
        let items = try #require(IMAPValue.fetchItems(line("* 1 FETCH (UID 7 BODY[] {\(body.utf8.count)})", [body])))
        #expect(items["BODY[]"]?.bytes == Array(body.utf8))
        #expect(items["UID"]?.number == 7)
    }

    @Test func nilQuotedAndEmptyValues() throws {
        let items = try #require(IMAPValue.fetchItems(line(#"* 3 FETCH (UID 9 BODY[] NIL X-GM-LABELS ("a \"b\"" c))"#)))
        #expect(items["BODY[]"] == IMAPValue.none)
        #expect(items["X-GM-LABELS"]?.items.first?.bytes == Array("a \"b\"".utf8))
        #expect(IMAPValue.fetchItems(line("* OK [UIDVALIDITY 3] UIDs valid")) == nil)
    }

    @Test func literalMarkers() {
        #expect(IMAPWire.literalLength(ArraySlice("* 1 FETCH (BODY[] {120}".utf8)) == 120)
        #expect(IMAPWire.literalLength(ArraySlice("A1 LOGIN {5+}".utf8)) == 5)
        #expect(IMAPWire.literalLength(ArraySlice("* OK {not}".utf8)) == nil)
        #expect(IMAPWire.literalLength(ArraySlice("* OK done".utf8)) == nil)
    }

    @Test func searchAnswersOfAnyLength() {
        let uids = (1...200_000).map(UInt32.init)
        let text = "* SEARCH " + uids.map(String.init).joined(separator: " ")
        #expect(IMAPResponse.searchUIDs(Array(text.utf8)) == uids)
    }
}
