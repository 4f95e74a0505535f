@testable import OutcryParse

/// Builds message bytes from lines joined with CRLF (or `separator`), plus raw body bytes.
func mailBytes(_ lines: [String], separator: String = "\r\n", body: [UInt8] = []) -> [UInt8] {
    Array(lines.joined(separator: separator).utf8) + body
}

func parseMail(_ lines: [String], separator: String = "\r\n") -> ParsedMail {
    MailParser.parse(mailBytes(lines, separator: separator))
}
