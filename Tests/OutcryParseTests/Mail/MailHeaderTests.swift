import Testing
@testable import OutcryParse

@Suite struct MailHeaderTests {
    @Test(arguments: ["\r\n", "\n"])
    func foldedHeadersUnfold(separator: String) {
        let mail = parseMail([
            "Subject: a long", "\tsubject line", "From: Anne", " Person <anne@example.com>", "Message-ID:",
            "  <id-1@example.com>", "", "body",
        ], separator: separator)
        #expect(mail.subject == "a long\tsubject line")
        #expect(mail.from == MailAddress(name: "Anne Person", email: "anne@example.com"))
        #expect(mail.messageID == "id-1@example.com")
        #expect(mail.text == "body")
        #expect(mail.defects.isEmpty)
    }

    @Test(arguments: [
        ("=?ISO-8859-1?Q?Caf=E9?=", "Café"),
        ("=?utf-8?b?w6k=?=", "é"),
        ("=?UTF-8?B?w6k?=", "é"),  // padding missing
        ("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab"),  // white space between encoded words dropped
        ("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=", "ab"),
        ("x =?UTF-8?Q?a?= y", "x a y"),  // kept next to ordinary text
        ("=?UTF-8?Q?hello_world?=", "hello world"),
        ("=?utf-8*en?q?hi?=", "hi"),  // RFC 2231 language
        ("=?koi8-r?b?8NLJ18XU?=", "Привет"),
        ("=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=", "Привет"),
        ("=?gb2312?B?xOO6ww==?=", "你好"),
        ("=?big5?B?p0E=?=", "你"),
        ("=?shift_jis?B?gqA=?=", "あ"),
        ("=?iso-8859-2?q?=B1?=", "ą"),
        ("=?no-such-charset?q?abc?=", "abc"),
        ("=?broken", "=?broken"),
        ("no words", "no words"),
        ("pre=?UTF-8?Q?fix?=", "prefix"),
    ])
    func encodedWords(input: String, expected: String) {
        #expect(EncodedWords.decode(input) == expected)
    }

    @Test func rfc2231Parameters() {
        let p = MIMEParameters("attachment; filename*0*=utf-8'en'caf%C3%A9%20; filename*1=\"menu.pdf\"; size=12")
        #expect(p.value == "attachment")
        #expect(p["filename"] == "café menu.pdf")
        #expect(p["SIZE"] == "12")
        let q = MIMEParameters("text/plain; charset=\"iso-8859-1\"; name*=iso-8859-1''na%EFve.txt")
        #expect(q["charset"] == "iso-8859-1")
        #expect(q["name"] == "naïve.txt")
        let r = MIMEParameters("multipart/mixed; boundary=\"a;b\\\"c\"; x=1")
        #expect(r["boundary"] == "a;b\"c")
        #expect(MIMEParameters("application/pdf; name=\"=?UTF-8?B?w6kucGRm?=\"")["name"] == "é.pdf")
    }

    @Test(arguments: [
        ("\"Person, Anne\" <anne@example.com>", [MailAddress(name: "Person, Anne", email: "anne@example.com")]),
        ("anne@example.com (Anne)", [MailAddress(name: nil, email: "anne@example.com")]),
        ("Anne (the boss) Person <anne@example.com>", [MailAddress(name: "Anne Person", email: "anne@example.com")]),
        ("a@x.com, B <b@y.com>", [MailAddress(email: "a@x.com"), MailAddress(name: "B", email: "b@y.com")]),
        ("Team: a@x.com, B <b@y.com>;, c@z.com",
         [MailAddress(email: "a@x.com"), MailAddress(name: "B", email: "b@y.com"), MailAddress(email: "c@z.com")]),
        ("undisclosed-recipients:;", []),
        ("=?UTF-8?Q?Ren=C3=A9?= <rene@example.fr>", [MailAddress(name: "René", email: "rene@example.fr")]),
        ("<@relay.example:user@example.com>", [MailAddress(email: "user@example.com")]),
        ("\"john doe\"@example.com", [MailAddress(email: "\"john doe\"@example.com")]),
        ("MAILER-DAEMON <>", [MailAddress(name: "MAILER-DAEMON", email: "")]),
    ])
    func addresses(input: String, expected: [MailAddress]) {
        #expect(MailAddress.parseList(input) == expected)
    }

    @Test(arguments: [
        ("Tue, 10 Jul 2012 06:06:08 -0700", "2012-07-10T06:06:08-07:00"),
        ("10 Jul 2012 06:06 +0200", "2012-07-10T06:06:00+02:00"),
        ("Fri, 26 Nov 2004 19:41:44 -0800 (PST)", "2004-11-26T19:41:44-08:00"),
        ("Mon, 1 Jan 99 10:00:00 GMT", "1999-01-01T10:00:00+00:00"),
        ("Sat, 2 Jul 1994 17:10:28 EDT", "1994-07-02T17:10:28-04:00"),
        ("1 Jan 2024 00:00:00 -0000", "2024-01-01T00:00:00Z"),
        ("Jul 10 2012 06:06:08 +0000", "2012-07-10T06:06:08+00:00"),
    ])
    func dates(input: String, expected: String) {
        #expect(MailDate.parse(input)?.iso8601 == expected)
    }

    @Test func badDateIsADefect() {
        let mail = parseMail(["Date: sometime soon", "", "x"])
        #expect(mail.date == nil)
        #expect(mail.defects.map(\.code) == [.invalidDate])
    }

    @Test func messageIDs() {
        #expect(MessageIDs.parse("<a@x> (comment)\r\n <b@y>") == ["a@x", "b@y"])
        #expect(MessageIDs.parse("bare@id") == ["bare@id"])
        let mail = parseMail(["In-Reply-To: <p@x> (Anne's message)", "References: <o@x> <p@x>", "", "x"])
        #expect(mail.inReplyTo == "p@x")
        #expect(mail.references == ["o@x", "p@x"])
    }
}
