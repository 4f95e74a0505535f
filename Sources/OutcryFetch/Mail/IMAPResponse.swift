import Foundation

/// What `STATUS` says about a folder.
public struct IMAPFolderStatus: Sendable, Equatable {
    public var uidValidity: UInt32
    public var uidNext: UInt32?
    public var messages: Int?

    public init(uidValidity: UInt32, uidNext: UInt32? = nil, messages: Int? = nil) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messages = messages
    }
}

/// One message of a folder as listed before fetching it: its UID, size, whether it is
/// `\Seen`, and its Message-ID (without angle brackets) when it has one.
public struct IMAPMessageSummary: Sendable, Equatable {
    public var uid: UInt32
    public var size: Int?
    public var seen: Bool
    public var messageID: String?

    public init(uid: UInt32, size: Int?, seen: Bool, messageID: String? = nil) {
        self.uid = uid
        self.size = size
        self.seen = seen
        self.messageID = messageID
    }
}

/// Reads untagged IMAP answers.
enum IMAPResponse {
    static func lines(_ body: [UInt8]) -> [Substring] {
        String(decoding: body, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    /// `* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 1795439178)`
    static func status(_ body: [UInt8]) -> IMAPFolderStatus? {
        for line in lines(body) where line.uppercased().hasPrefix("* STATUS ") {
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { continue }
            let words = line[line.index(after: open)..<close].split(separator: " ")
            var values: [String: Substring] = [:]
            var index = 0
            while index + 1 < words.count {
                values[words[index].uppercased()] = words[index + 1]
                index += 2
            }
            guard let validity = values["UIDVALIDITY"].flatMap({ UInt32($0) }) else { continue }
            return IMAPFolderStatus(
                uidValidity: validity, uidNext: values["UIDNEXT"].flatMap { UInt32($0) }, messages: values["MESSAGES"].flatMap { Int($0) })
        }
        return nil
    }

    /// `* SEARCH 2 3 7` (possibly over several lines).
    static func searchUIDs(_ body: [UInt8]) -> [UInt32] {
        var uids: [UInt32] = []
        for line in lines(body) where line.uppercased().hasPrefix("* SEARCH") {
            uids += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
        }
        return uids
    }

    /// `* 1 FETCH (UID 1 FLAGS (\Seen) RFC822.SIZE 192)`, in any order of items.
    static func summaries(_ body: [UInt8]) -> [IMAPMessageSummary] {
        var result: [IMAPMessageSummary] = []
        for line in lines(body) {
            guard line.hasPrefix("* "), let fetch = line.range(of: " FETCH (", options: .caseInsensitive) else { continue }
            var rest = line[fetch.upperBound...]
            var uid: UInt32?
            var size: Int?
            var seen = false
            while let word = nextWord(&rest) {
                switch word.uppercased() {
                case "UID": uid = nextWord(&rest).flatMap { UInt32($0) }
                case "RFC822.SIZE": size = nextWord(&rest).flatMap { Int($0) }
                case "FLAGS":
                    rest = rest.drop { $0 == " " }
                    guard rest.first == "(", let close = rest.firstIndex(of: ")") else { break }
                    let flags = rest[rest.index(after: rest.startIndex)..<close].split(separator: " ")
                    seen = flags.contains { $0.caseInsensitiveCompare("\\Seen") == .orderedSame }
                    rest = rest[rest.index(after: close)...]
                default: break
                }
            }
            if let uid { result.append(IMAPMessageSummary(uid: uid, size: size, seen: seen)) }
        }
        return result
    }

    private static func nextWord(_ rest: inout Substring) -> Substring? {
        rest = rest.drop { $0 == " " || $0 == ")" }
        guard !rest.isEmpty else { return nil }
        let word = rest.prefix { $0 != " " && $0 != ")" }
        rest = rest.dropFirst(word.count)
        return word
    }

    /// The Message-ID in a header block (`BODY[HEADER.FIELDS (MESSAGE-ID)]`), unfolded, without
    /// angle brackets; nil when there is none.
    static func messageID(inHeader bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n ", with: " ").replacingOccurrences(of: "\n\t", with: " ")
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "message-id" else { continue }
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("<"), let close = value.firstIndex(of: ">") { value = String(value[value.index(after: value.startIndex)..<close]) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// `1:3,7,9:10` — UIDs as a compact IMAP sequence set.
    static func uidSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// A folder name as an IMAP quoted string.
    static func quoted(_ folder: String) -> String {
        "\"" + folder.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
