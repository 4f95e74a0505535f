import Testing
@testable import OutcryParse

@Suite struct MIMEStructureTests {
    @Test func quotedPrintableAndBase64() {
        #expect(TransferEncoding.decodeQuotedPrintable(Array("caf=C3=A9 =\r\nau lait  \r\nx=3d=\n".utf8)) == Array("café au lait\r\nx=".utf8))
        #expect(TransferEncoding.decodeQuotedPrintable(Array("a=ZZ=4".utf8)) == Array("a=ZZ=4".utf8))
        #expect(TransferEncoding.decodeBase64(Array("aGVsbG8=".utf8)) == (Array("hello".utf8), true))
        #expect(TransferEncoding.decodeBase64(Array("aGVsbG8".utf8)).bytes == Array("hello".utf8))
        #expect(TransferEncoding.decodeBase64(Array("aGVs\r\nbG8*=".utf8)).bytes == Array("hello".utf8))
        #expect(TransferEncoding.decodeBase64(Array("aGVsbG8".utf8)).clean == false)
        #expect(TransferEncoding.decodedBase64Count(Array("aGVsbG8=\r\n".utf8)) == 5)
    }

    static let nested = [
        "From: Anne <anne@example.com>", "Subject: nested", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"", "",
        "preamble", "--outer",
        "Content-Type: multipart/alternative; boundary=inner", "",
        "--inner", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
        "Caf=C3=A9 is cold.", "--inner", "Content-Type: text/html; charset=utf-8", "",
        "<p>Caf&eacute; is <b>cold</b>.</p>", "--inner--",
        "--outer", "Content-Type: application/pdf; name=\"bill.pdf\"", "Content-Disposition: attachment",
        "Content-Transfer-Encoding: base64", "", "JVBERi0xLjQK", "--outer",
        "Content-Type: message/rfc822", "", "From: old@example.com", "Subject: earlier", "", "Earlier text", "--outer--",
        "epilogue", "",
    ]

    @Test func nestedMultipartPicksPlainAndRecordsAttachments() {
        let mail = parseMail(Self.nested)
        #expect(mail.text == "Café is cold.")
        #expect(mail.html == "<p>Caf&eacute; is <b>cold</b>.</p>")
        #expect(mail.attachments == [
            MailAttachment(filename: "bill.pdf", contentType: "application/pdf", size: 9),
            MailAttachment(filename: nil, contentType: "message/rfc822", size: 55),
        ])
        #expect(mail.defects.isEmpty)
    }

    @Test func htmlOnlyMailBecomesReadableText() {
        let mail = parseMail([
            "Content-Type: text/html; charset=iso-8859-1", "", "<html><head><title>T</title><style>p{}</style></head>",
            "<body><p>Your app&nbsp;crashes <i>every</i> time.</p><p>Fix it<br>please</p><script>x()</script></body></html>",
        ])
        #expect(mail.text == "Your app crashes every time.\n\nFix it\nplease")
        #expect(mail.html != nil)
    }

    @Test func relatedStartAndAttachedTextAreRespected() {
        let mail = parseMail([
            "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "Content-Disposition: attachment; filename=log.txt",
            "", "log line", "--b", "Content-Type: text/plain", "", "the real body", "--b--",
        ])
        #expect(mail.text == "the real body")
        #expect(mail.attachments == [MailAttachment(filename: "log.txt", contentType: "text/plain", size: 8)])
    }

    @Test func malformedMessageListsItsDefects() {
        let mail = parseMail([
            "From: me@example.com", "Content-Type: multipart/mixed; boundary=zz", "this line is no header", "",
            "--zz", "Content-Type: text/plain", "", "only part",
        ])
        let codes = mail.defects.map(\.code)
        #expect(codes.contains(.missingHeaderBodySeparator))
        #expect(codes.contains(.closeBoundaryNotFound))
        #expect(mail.text == "only part")

        let noStart = parseMail(["Content-Type: multipart/mixed; boundary=zz", "", "no boundary here"])
        #expect(noStart.defects.map(\.code) == [.startBoundaryNotFound])
        #expect(noStart.text == "")

        let noBoundary = parseMail(["Content-Type: multipart/mixed", "", "text"])
        #expect(noBoundary.defects.map(\.code) == [.noBoundaryInMultipart])

        let continuation = parseMail(["  leading continuation", "Subject: s", "", "b"])
        #expect(continuation.defects.map(\.code) == [.firstHeaderLineIsContinuation])
        #expect(continuation.subject == "s")
    }

    @Test func garbageNeverTraps() {
        let inputs: [[UInt8]] = [[], [0], [0xFF, 0xFE, 0x0D], Array("\r\r\n\n:".utf8), Array("Content-Type: multipart/x; boundary=a\n\n--a\n--a--".utf8),
                                 Array("Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n".utf8)]
        for input in inputs {
            _ = MailParser.parse(input)
        }
        #expect(MailParser.parse([]).defects.map(\.code) == [.empty])
    }

    @Test func deepNestingIsCapped() {
        var lines: [String] = []
        for _ in 0..<100 { lines += ["Content-Type: message/rfc822", ""] }
        lines += ["Subject: deep", "", "x"]
        let mail = parseMail(lines)
        #expect(mail.defects.map(\.code) == [.tooDeep])
    }

    @Test func hugeTextIsTruncated() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: MailParser.maxTextBytes + 10)
        let mail = MailParser.parse(mailBytes(["Subject: big", "", ""], body: body))
        #expect(mail.text.utf8.count == MailParser.maxTextBytes)
        #expect(mail.defects.map(\.code) == [.truncatedText])
    }

    @Test(arguments: [
        ("utf-8", [0x50, 0xC5, 0x99, 0xC3, 0xAD, 0x6C, 0x69, 0xC5, 0xA1] as [UInt8], "Příliš"),
        ("iso-8859-1", [0x63, 0x61, 0x66, 0xE9], "café"),
        ("iso-8859-2", [0xB1, 0xE6], "ąć"),
        ("iso-8859-5", [0xBF, 0xE0, 0xD8], "При"),
        ("iso-8859-15", [0xA4], "€"),
        ("windows-1251", [0xCF, 0xF0, 0xE8], "При"),
        ("windows-1252", [0x93, 0x68, 0x69, 0x94], "\u{201C}hi\u{201D}"),
        ("windows-1250", [0x9A], "š"),
        ("koi8-r", [0xF0, 0xD2, 0xC9], "При"),
        ("gb2312", [0xC4, 0xE3, 0xBA, 0xC3], "你好"),
        ("gbk", [0x81, 0x40], "丂"),
        ("big5", [0xA7, 0x41, 0xA6, 0x6E], "你好"),
        ("shift_jis", [0x82, 0xA0, 0x82, 0xA2], "あい"),
    ])
    func eightBitBodiesInLegacyCharsets(charset: String, body: [UInt8], expected: String) {
        let bytes = mailBytes(["Content-Type: text/plain; charset=\(charset)", "Content-Transfer-Encoding: 8bit", "", ""], body: body)
        let mail = MailParser.parse(bytes)
        #expect(mail.text == expected)
        #expect(mail.defects.isEmpty)
    }

    @Test func unknownCharsetAndUnlabelledBytes() {
        let unknown = MailParser.parse(mailBytes(["Content-Type: text/plain; charset=x-klingon", "", ""], body: [0x63, 0xE9]))
        #expect(unknown.text == "cé")
        #expect(unknown.defects.map(\.code) == [.unknownCharset])
        let unlabelled = MailParser.parse(mailBytes(["Subject: x", "", ""], body: Array("naïve".utf8)))
        #expect(unlabelled.text == "naïve")
        let raw8bitHeader = MailParser.parse(Array("From: J\u{FC}rgen <j@x.de>\n\nx".unicodeScalars.map { UInt8($0.value) }))
        #expect(raw8bitHeader.from?.name == "Jürgen")
    }

    @Test func base64TextWithBadPadding() {
        let mail = parseMail(["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", "w6l0w6k"])
        #expect(mail.text == "été")
        #expect(mail.defects.map(\.code) == [.invalidBase64])
    }
}
