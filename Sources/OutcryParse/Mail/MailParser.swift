/// Parses RFC 5322 / MIME messages into ``ParsedMail``. Never throws and never traps:
/// whatever is wrong with the input is worked around and listed in `defects`.
///
/// Structure follows Python's `email` package (headers, boundaries, broken messages), so
/// both read the same message the same way; `scripts/mail_compare.sh` checks that on a
/// corpus. Text parts larger than ``maxTextBytes`` are cut (a `TruncatedText` defect);
/// attachments are only measured.
///
/// ```swift
/// let mail = MailParser.parse(Array(raw.utf8))
/// mail.subject, mail.from?.email, mail.newText, mail.kind
/// ```
public enum MailParser {
    /// The most bytes of one decoded text or HTML part that are kept.
    public static let maxTextBytes = 1 << 20

    public static func parse(_ data: [UInt8]) -> ParsedMail {
        var structure = MIMEStructureParser(data: data)
        let root = structure.parseMessage()
        var mail = ParsedMail()
        mail.defects = structure.defects
        if data.isEmpty { mail.defects.append(MailDefect(.empty, "no bytes")) }
        let h = root.headers
        mail.headers = h
        if let v = h["message-id"] { mail.messageID = MessageIDs.parse(v).first }
        if let v = h["in-reply-to"] { mail.inReplyTo = MessageIDs.parse(v).first }
        if let v = h["references"] { mail.references = MessageIDs.parse(v) }
        if let v = h["from"] { mail.from = MailAddress.parseList(v).first }
        mail.to = h.all("to").flatMap(MailAddress.parseList)
        mail.cc = h.all("cc").flatMap(MailAddress.parseList)
        if let v = h["reply-to"] { mail.replyTo = MailAddress.parseList(v).first }
        if let v = h["subject"] { mail.subject = EncodedWords.decode(v).trimmingMailSpace() }
        if let v = h["date"] {
            mail.date = MailDate.parse(v)
            if mail.date == nil { mail.defects.append(MailDefect(.invalidDate, "unreadable Date: \(v.prefix(80))")) }
        }

        let textPart = body(of: root, preferring: ["plain", "html"])
        let htmlPart = body(of: root, preferring: ["html"])
        if let htmlPart {
            mail.html = decodeText(htmlPart, defects: &mail.defects)
        }
        if let textPart {
            if textPart.subType == "html" {
                mail.text = HTMLToText.convert(mail.html ?? decodeText(textPart, defects: &mail.defects))
            } else {
                mail.text = decodeText(textPart, defects: &mail.defects)
            }
        }
        mail.attachments = attachments(of: root, skipping: [textPart?.path, htmlPart?.path].compactMap { $0 })
        mail.newText = NewWords.extract(from: mail.text)
        (mail.kind, mail.kindReason) = MailClassifier.classify(root: root, from: mail.from, subject: mail.subject)
        return mail
    }

    /// The body part Python's `get_body(preferencelist)` picks: depth-first over multiparts
    /// (not into attached messages, not into attachments), the first part of the most
    /// preferred text subtype; in `multipart/related` only the start part is considered.
    public static func body(of root: MIMEPart, preferring preferences: [String]) -> MIMEPart? {
        var best: (rank: Int, part: MIMEPart)?
        func visit(_ part: MIMEPart) -> Bool {
            if part.isAttachment { return false }
            if part.mainType == "text" {
                if let rank = preferences.firstIndex(of: part.subType), rank < (best?.rank ?? Int.max) {
                    best = (rank, part)
                    return rank == 0
                }
                return false
            }
            guard part.mainType == "multipart", part.isContainer, root.isContainer else { return false }
            if part.subType != "related" {
                for child in part.children where visit(child) { return true }
                return false
            }
            var candidate: MIMEPart?
            if let start = part.parameters["start"] {
                candidate = part.children.first { $0.headers["content-id"] == start }
            }
            if candidate == nil { candidate = part.children.first }
            if let candidate { return visit(candidate) }
            return false
        }
        _ = visit(root)
        return best?.part
    }

    /// Decodes a text part: transfer encoding, then its charset (UTF-8, then Windows-1252
    /// when it declares none or one nobody knows); CRLF becomes LF; cut at `maxTextBytes`.
    static func decodeText(_ part: MIMEPart, defects: inout [MailDefect]) -> String {
        var bytes: [UInt8]
        switch part.transferEncoding {
        case "base64":
            let decoded = TransferEncoding.decodeBase64(part.body)
            if !decoded.clean { defects.append(MailDefect(.invalidBase64, part: part.path, "bad characters or padding")) }
            bytes = decoded.bytes
        case "quoted-printable":
            bytes = TransferEncoding.decodeQuotedPrintable(part.body)
        default:
            bytes = Array(part.body)
        }
        if bytes.count > maxTextBytes {
            defects.append(MailDefect(.truncatedText, part: part.path, "\(bytes.count) bytes, kept \(maxTextBytes)"))
            var cut = maxTextBytes
            while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a UTF-8 sequence
            bytes.removeSubrange(cut...)
        }
        let text: String
        if let charset = part.parameters["charset"], !charset.isEmpty {
            if let decoded = Charset.decode(bytes, charset: charset) {
                text = decoded
            } else if !Charset.isKnown(charset) {
                defects.append(MailDefect(.unknownCharset, part: part.path, charset))
                text = Charset.decodeLossy(bytes, charset: nil)
            } else {
                defects.append(MailDefect(.undecodableText, part: part.path, "bytes not valid in \(charset)"))
                text = Charset.canonicalName(charset) == "UTF-8"
                    ? String(decoding: bytes, as: UTF8.self) : Charset.decodeLossy(bytes, charset: nil)
            }
        } else {
            text = Charset.decodeLossy(bytes, charset: nil)
        }
        return text.replacingNewlines()
    }

    /// Leaf parts that are not a body: files, images, enclosed messages, reports.
    static func attachments(of root: MIMEPart, skipping bodies: [String]) -> [MailAttachment] {
        var result: [MailAttachment] = []
        func visit(_ part: MIMEPart) {
            if part.mainType == "multipart" && part.isContainer {
                for child in part.children { visit(child) }
                return
            }
            if part.mainType == "multipart" { return }  // unsplit multipart: its text is not a file
            if bodies.contains(part.path) { return }
            let isFile = part.isAttachment || part.filename != nil || part.mainType != "text"
            guard isFile else { return }
            let size = part.mainType == "message" ? part.body.count : part.decodedSize
            result.append(MailAttachment(filename: part.filename, contentType: part.contentType, size: size))
        }
        visit(root)
        return result
    }
}
