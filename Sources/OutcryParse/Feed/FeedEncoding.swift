/// Choosing a feed's character encoding and transcoding it to UTF-8, with feedparser's rules
/// (RFC 3023 and the XML specification's appendix F):
///
/// - a byte-order mark or the first bytes of `<?xml` in UTF-16/32 or EBCDIC;
/// - the `encoding` of the XML declaration;
/// - the HTTP `charset`: `application/xml` and `application/*+xml` prefer it over the
///   declaration and default to UTF-8; `text/xml` and other `text/*` types ignore the
///   declaration and default to US-ASCII; no content type means the declaration, else UTF-8;
/// - when the chosen encoding cannot decode the bytes, the declared one, the sniffed one,
///   UTF-8, Windows-1252 and ISO-8859-2 are tried in turn, and the override is reported.
enum FeedEncoding {
    struct Result {
        var utf8: [UInt8]
        var encoding: String
        var mediaType: String
        var isJSON: Bool
        var error: String?
    }

    static func parseContentType(_ line: String) -> (String, String) {
        let chunks = line.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = chunks.first else { return ("", "") }
        let mime = String(first).pythonStripped()
        var charset = ""
        for chunk in chunks.dropFirst() {
            let kv = chunk.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if String(kv[0]).pythonStripped().lowercased() == "charset", kv.count == 2 {
                var v = String(kv[1]).pythonStripped()
                while let f = v.first, f == "\"" || f == "'" { v.removeFirst() }
                while let l = v.last, l == "\"" || l == "'" { v.removeLast() }
                charset = v
            }
        }
        return (mime, charset)
    }

    static func convert(_ input: [UInt8], contentType: String?) -> Result {
        var data = input[...]
        var bomEncoding = ""
        func starts(_ p: [UInt8]) -> Bool { data.starts(with: p) }
        if starts([0x00, 0x00, 0xFE, 0xFF]) {
            bomEncoding = "utf-32be"; data = data.dropFirst(4)
        } else if starts([0xFF, 0xFE, 0x00, 0x00]) {
            bomEncoding = "utf-32le"; data = data.dropFirst(4)
        } else if starts([0xFE, 0xFF]) && !data.dropFirst(2).starts(with: [0, 0]) {
            bomEncoding = "utf-16be"; data = data.dropFirst(2)
        } else if starts([0xFF, 0xFE]) && !data.dropFirst(2).starts(with: [0, 0]) {
            bomEncoding = "utf-16le"; data = data.dropFirst(2)
        } else if starts([0xEF, 0xBB, 0xBF]) {
            bomEncoding = "utf-8"; data = data.dropFirst(3)
        } else if starts([0x4C, 0x6F, 0xA7, 0x94]) {
            bomEncoding = "cp037"
        } else if starts([0x00, 0x3C, 0x00, 0x3F]) {
            bomEncoding = "utf-16be"
        } else if starts([0x3C, 0x00, 0x3F, 0x00]) {
            bomEncoding = "utf-16le"
        } else if starts([0x00, 0x00, 0x00, 0x3C]) {
            bomEncoding = "utf-32be"
        } else if starts([0x3C, 0x00, 0x00, 0x00]) {
            bomEncoding = "utf-32le"
        }

        var xmlEncoding = ""
        let head: [UInt8]?
        if bomEncoding.isEmpty {
            head = Array(data.prefix(1024))
        } else {
            head = decode(Array(data.prefix(4096)), as: bomEncoding, partialOK: true).map { Array($0.utf8) }
        }
        if let head, let declared = declaredEncoding(head) {
            xmlEncoding = declared.lowercased()
            let unicodeFamily: Set<String> = [
                "u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32", "utf_32", "iso-10646-ucs-2",
                "iso-10646-ucs-4", "csucs4", "csunicode", "ucs-2", "ucs-4",
            ]
            if !bomEncoding.isEmpty && unicodeFamily.contains(xmlEncoding) { xmlEncoding = bomEncoding }
        }

        let contentType = (contentType?.isEmpty ?? true) ? nil : contentType
        let hasHeaders = contentType != nil
        let (mediaTypeRaw, httpEncoding) = parseContentType(contentType ?? "")
        var mediaType = mediaTypeRaw.lowercased()
        var acceptable = false
        var isJSON = false
        var rfc3023: String
        let firstNonSpace = data.first(where: { !$0.isASCIIWhitespace })
        if ["application/xml", "application/xml-dtd", "application/xml-external-parsed-entity"].contains(mediaType)
            || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+xml"))
        {
            acceptable = true
            rfc3023 = firstNonEmpty(httpEncoding, xmlEncoding, "utf-8")
        } else if ["text/xml", "text/xml-external-parsed-entity"].contains(mediaType)
            || (mediaType.hasPrefix("text/") && mediaType.hasSuffix("+xml"))
        {
            acceptable = true
            rfc3023 = firstNonEmpty(httpEncoding, "us-ascii")
        } else if ["application/feed+json", "application/json"].contains(mediaType)
            || (mediaType.isEmpty && firstNonSpace == UInt8(ascii: "{"))
        {
            mediaType = "application/feed+json"
            acceptable = true
            isJSON = true
            rfc3023 = firstNonEmpty(httpEncoding, "utf-8")
        } else if mediaType.hasPrefix("text/") {
            rfc3023 = firstNonEmpty(httpEncoding, "us-ascii")
        } else {
            rfc3023 = firstNonEmpty(xmlEncoding, "utf-8")
        }
        if rfc3023.lowercased() == "gb2312" { rfc3023 = "gb18030" }
        if xmlEncoding == "gb2312" { xmlEncoding = "gb18030" }

        var error: String?
        if hasHeaders && !acceptable {
            error = "\(contentType ?? "") is not an accepted media type"
        }

        let body = Array(data)
        var tried: [String] = []
        for candidate in [rfc3023, xmlEncoding, bomEncoding, "utf-8", "windows-1252", "iso-8859-2"] {
            if candidate.isEmpty || tried.contains(candidate) { continue }
            tried.append(candidate)
            guard let text = decode(body, as: candidate, partialOK: false) else { continue }
            var utf8 = Array(text.utf8)
            if !isJSON { utf8 = rewriteDeclaration(utf8) }
            if candidate != rfc3023 {
                error = "document declared as \(rfc3023), but parsed as \(candidate)"
            }
            return Result(utf8: utf8, encoding: candidate, mediaType: mediaType, isJSON: isJSON, error: error)
        }
        error = "document encoding unknown, I tried \(rfc3023), \(xmlEncoding), utf-8, windows-1252, and iso-8859-2 but nothing worked"
        let lossy = Array(String(decoding: body, as: UTF8.self).utf8)
        return Result(utf8: isJSON ? lossy : rewriteDeclaration(lossy), encoding: "", mediaType: mediaType, isJSON: isJSON, error: error)
    }

    private static func firstNonEmpty(_ values: String...) -> String { values.first(where: { !$0.isEmpty }) ?? "" }

    /// `^<\?.*encoding=['"](.*?)['"].*\?>` on the first line.
    static func declaredEncoding(_ head: [UInt8]) -> String? {
        guard head.starts(with: [0x3C, 0x3F]) else { return nil }
        let lineEnd = head.firstIndex(of: 0x0A) ?? head.count
        let line = Array(head[..<lineEnd])
        let key = Array("encoding=".utf8)
        var best: String?
        var i = 2
        while i + key.count < line.count {
            if Array(line[i..<(i + key.count)]) == key {
                let q = i + key.count
                if line[q] == UInt8(ascii: "\"") || line[q] == UInt8(ascii: "'") {
                    var e = q + 1
                    while e < line.count, line[e] != UInt8(ascii: "\""), line[e] != UInt8(ascii: "'") { e += 1 }
                    if e < line.count {
                        // needs a "?>" somewhere after the closing quote
                        var k = e + 1
                        var closed = false
                        while k + 1 < line.count {
                            if line[k] == UInt8(ascii: "?") && line[k + 1] == UInt8(ascii: ">") { closed = true; break }
                            k += 1
                        }
                        if closed { best = String(decoding: line[(q + 1)..<e], as: UTF8.self) }
                    }
                }
            }
            i += 1
        }
        return best
    }

    /// Replaces a leading `<?xml …?>` with one declaring UTF-8, or adds one.
    static func rewriteDeclaration(_ utf8: [UInt8]) -> [UInt8] {
        let decl = Array("<?xml version='1.0' encoding='utf-8'?>".utf8)
        if utf8.starts(with: Array("<?xml".utf8)), let end = utf8.firstIndex(of: UInt8(ascii: ">")) {
            return decl + utf8[(end + 1)...]
        }
        return decl + [0x0A] + utf8
    }

    /// Strict decoding with Python's codec names; nil when the bytes are invalid or the name unknown.
    static func decode(_ bytes: [UInt8], as name: String, partialOK: Bool) -> String? {
        let lower = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch lower {
        case "utf-8", "utf8", "u8":
            if partialOK { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        case "us-ascii", "ascii", "646", "ansi-x3.4-1968":
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return partialOK ? String(decoding: bytes.filter { $0 < 0x80 }, as: UTF8.self) : nil
        case "iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "8859", "cp819", "iso-ir-100":
            var s = String.UnicodeScalarView()
            s.reserveCapacity(bytes.count)
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        case "windows-1252", "cp1252":
            return windows1252(bytes)
        default:
            var usable = bytes
            if partialOK {
                let unit = lower.contains("32") || lower.contains("ucs-4") || lower.contains("ucs4") ? 4 : (lower.contains("16") || lower.contains("ucs-2") ? 2 : 1)
                usable = Array(bytes.prefix(bytes.count - bytes.count % unit))
            }
            let iconvName: String
            switch lower {
            case "utf-16", "utf16", "u16", "utf-16be", "utf-16le", "utf-32", "utf32", "u32", "utf-32be", "utf-32le":
                iconvName = lower.replacingOccurrences(of: "u16", with: "utf-16").replacingOccurrences(of: "u32", with: "utf-32")
                    .uppercased()
            case "cp037", "ibm037", "ebcdic-cp-us": iconvName = "IBM037"
            case "iso-10646-ucs-2", "ucs-2", "csunicode": iconvName = "UCS-2"
            case "iso-10646-ucs-4", "ucs-4", "csucs4": iconvName = "UCS-4"
            case "gb18030": iconvName = "GB18030"
            default: iconvName = Charset.canonicalName(lower)
            }
            if iconvName == "WINDOWS-1252" { return windows1252(bytes) }
            if iconvName == "UTF-8" { return String(validating: usable, as: UTF8.self) }
            return Charset.decode(usable, charset: iconvName)
        }
    }

    /// Python's cp1252 codec: five bytes are undefined and make the decode fail.
    private static func windows1252(_ bytes: [UInt8]) -> String? {
        var s = String.UnicodeScalarView()
        s.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x80 && b <= 0x9F {
                guard let m = CP1252.map[UInt32(b)], let sc = Unicode.Scalar(m) else { return nil }
                s.append(sc)
            } else {
                s.append(Unicode.Scalar(b))
            }
        }
        return String(s)
    }
}
