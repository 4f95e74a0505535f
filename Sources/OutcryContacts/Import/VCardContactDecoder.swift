import OutcryModel

/// Reads contacts from vCard 3.0 and 4.0 (and the common 2.1 habits): folded lines,
/// `FN`/`N`/`EMAIL`/`TEL`/`ORG`/`UID`/`CATEGORIES`, social profiles (`X-SOCIALPROFILE`, `IMPP`,
/// `X-TWITTER`, …), quoted-printable values with soft line breaks, and backslash escapes.
struct VCardContactDecoder {
    private struct Property {
        var name: String
        var parameters: [(name: String, value: String)]
        var rawValue: [UInt8]

        func parameter(_ key: String) -> String? {
            parameters.first { $0.name == key }?.value
        }

        /// Bare parameters (2.1 `TEL;CELL;QUOTED-PRINTABLE:`) and `TYPE=` values, lowercased.
        var types: [String] {
            parameters.flatMap { parameter -> [String] in
                if parameter.name == "type" { return parameter.value.lowercased().split(separator: ",").map(String.init) }
                return parameter.value.isEmpty ? [parameter.name] : []
            }
        }

        var isQuotedPrintable: Bool {
            parameter("encoding")?.lowercased() == "quoted-printable" || types.contains("quoted-printable")
        }
    }

    private let builder: ContactRowBuilder
    private var pending: [UInt8] = []
    private var pendingLine = 0
    private var card: ContactRecord?
    private var cardLine = 0
    private var formattedName: String?
    private var structuredName: String?

    init(builder: ContactRowBuilder) {
        self.builder = builder
    }

    /// Takes one physical line (without its line break).
    mutating func take(line: ArraySlice<UInt8>, number: Int, into rows: inout [ContactImportRow]) {
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t"), !pending.isEmpty {
            pending.append(contentsOf: line.dropFirst()) // folded line
            return
        }
        if pending.last == UInt8(ascii: "="), pendingIsQuotedPrintable() {
            pending.removeLast() // quoted-printable soft line break
            pending.append(contentsOf: line)
            return
        }
        flush(into: &rows)
        pending = Array(line)
        pendingLine = number
    }

    mutating func finish(into rows: inout [ContactImportRow]) {
        flush(into: &rows)
        if card != nil {
            rows.append(.rejected(ContactRejection(line: cardLine, kind: .malformed, detail: "BEGIN:VCARD without END:VCARD")))
            card = nil
        }
    }

    private func pendingIsQuotedPrintable() -> Bool {
        guard let colon = pending.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return String(decoding: pending[..<colon], as: UTF8.self).lowercased().contains("quoted-printable")
    }

    private mutating func flush(into rows: inout [ContactImportRow]) {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !pending.isEmpty, let property = Self.parse(pending) else { return }
        let value = property.isQuotedPrintable
            ? Self.decodeQuotedPrintable(property.rawValue, charset: property.parameter("charset"))
            : String(decoding: property.rawValue, as: UTF8.self)

        switch property.name {
        case "begin" where value.lowercased() == "vcard":
            if card != nil {
                rows.append(.rejected(ContactRejection(line: cardLine, kind: .malformed, detail: "BEGIN:VCARD without END:VCARD")))
            }
            card = ContactRecord()
            cardLine = pendingLine
            formattedName = nil
            structuredName = nil
            return
        case "end" where value.lowercased() == "vcard":
            guard var record = card else { return }
            if let name = formattedName ?? structuredName { record.add(.name, name) }
            rows.append(contentsOf: builder.build(record, line: cardLine))
            card = nil
            return
        default:
            break
        }
        guard card != nil else { return }
        switch property.name {
        case "fn": formattedName = Self.unescape(value)
        case "n":
            let parts = Self.components(value)
            func part(_ index: Int) -> String? { index < parts.count ? parts[index] : nil }
            structuredName = NameNormalizer.display(first: part(1), last: part(0))
        case "email": card?.add(.email, Self.unescape(value))
        case "tel":
            var number = Self.unescape(value)
            if number.lowercased().hasPrefix("tel:") { number.removeFirst(4) }
            card?.add(.phone, number)
        case "org": if let company = Self.components(value).first, !company.isEmpty { card?.add(.company, company) }
        case "uid":
            var uid = Self.unescape(value)
            if uid.lowercased().hasPrefix("urn:uuid:") { uid.removeFirst(9) }
            card?.add(.externalID, uid)
        case "categories":
            if let first = Self.unescape(value).split(separator: ",").first { card?.add(.segment, String(first)) }
        case "x-socialprofile", "impp":
            let service = property.parameter("x-service-type") ?? property.types.first { SocialNetwork(name: $0) != nil }
            let network = service.flatMap(SocialNetwork.init(name:))
            if property.name == "impp", network == nil { return } // chat accounts (xmpp:, sip:) are not social handles
            var handle = property.parameter("x-user") ?? Self.unescape(value)
            for scheme in ["x-apple:", "twitter:", "mastodon:", "instagram:", "tiktok:", "reddit:", "bluesky:"]
            where handle.lowercased().hasPrefix(scheme) {
                handle.removeFirst(scheme.count)
            }
            card?.handles.append((network, handle))
        case "x-twitter": card?.handles.append((.x, Self.unescape(value)))
        case "x-mastodon": card?.handles.append((.mastodon, Self.unescape(value)))
        case "x-reddit": card?.handles.append((.reddit, Self.unescape(value)))
        case "x-bluesky": card?.handles.append((.bluesky, Self.unescape(value)))
        case "x-instagram": card?.handles.append((.instagram, Self.unescape(value)))
        case "x-tiktok": card?.handles.append((.tiktok, Self.unescape(value)))
        default: break
        }
    }

    /// Splits `group.NAME;PARAM=V:value` (a colon inside a quoted parameter value does not end it).
    private static func parse(_ line: [UInt8]) -> Property? {
        var inQuotes = false
        var colon: Int?
        for (index, byte) in line.enumerated() {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: ":") && !inQuotes { colon = index; break }
        }
        guard let colon else { return nil }
        let head = String(decoding: line[..<colon], as: UTF8.self)
        var pieces = head.split(separator: ";", omittingEmptySubsequences: true).map(String.init)
        guard !pieces.isEmpty else { return nil }
        var name = pieces.removeFirst().lowercased()
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        let parameters = pieces.map { piece -> (name: String, value: String) in
            guard let equals = piece.firstIndex(of: "=") else { return (piece.lowercased(), "") }
            var value = String(piece[piece.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (piece[..<equals].lowercased(), value)
        }
        return Property(name: name, parameters: parameters, rawValue: Array(line[(colon + 1)...]))
    }

    /// Components of a structured value (`N`, `ORG`), split on unescaped `;` and unescaped.
    private static func components(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped { current.append("\\"); current.append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else if character == ";" { parts.append(unescape(current).trimmedSpace); current = "" }
            else { current.append(character) }
        }
        parts.append(unescape(current).trimmedSpace)
        return parts
    }

    static func unescape(_ value: String) -> String {
        guard value.contains("\\") else { return value }
        var out = ""
        var escaped = false
        for character in value {
            if escaped {
                switch character {
                case "n", "N": out.append("\n")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Decodes `=C3=A9` escapes; text in ISO-8859-1 / Windows-1252 is read as Latin-1.
    static func decodeQuotedPrintable(_ bytes: [UInt8], charset: String?) -> String {
        var out: [UInt8] = []
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        let latin1 = ["iso-8859-1", "latin1", "windows-1252", "cp1252", "iso-8859-15"].contains(charset?.lowercased() ?? "")
        if latin1 { return String(String.UnicodeScalarView(out.map { Unicode.Scalar($0) })) }
        return String(decoding: out, as: UTF8.self)
    }
}
