import Foundation

/// An IMAP account, one command at a time on one reused, logged-in connection.
///
/// libcurl opens the connection, sets up TLS or STARTTLS and logs in; the commands are spoken
/// here (see ``IMAPWire``), so that answers of any length are read (a folder with thousands of
/// new messages) and message bodies are fetched with `BODY.PEEK[]`, which never sets `\Seen`:
/// no fetch changes a flag, even when the process is killed half-way through it.
///
/// Folders are addressed by name plus the UIDVALIDITY the caller knows, so a command never
/// acts on a folder that was recreated meanwhile (checked on SELECT; a mismatch throws
/// `.uidValidityChanged`). Nothing here deletes or expunges mail.
/// ```swift
/// let session = IMAPSession(account: account)
/// defer { session.close() }
/// let status = try await session.status(of: "INBOX")
/// let uids = try await session.uids(in: "INBOX", uidValidity: status.uidValidity, after: lastUID)
/// for page in uids.mailChunks(200) {
///     for m in try await session.summaries(in: "INBOX", uidValidity: status.uidValidity, uids: Array(page)) {
///         let bytes = try await session.fetch(uid: m.uid, in: "INBOX", uidValidity: status.uidValidity, maxBytes: cap)
///     }
/// }
/// ```
public final class IMAPSession: Sendable {
    public let account: MailAccount
    private let connection: IMAPConnection

    /// Messages listed per `UID FETCH` of ``summaries(in:uidValidity:uids:)`` in ``messages(in:uidValidity:after:)``.
    public static let pageSize = 500

    public init(account: MailAccount) {
        self.account = account
        connection = IMAPConnection(account: account)
    }

    /// Logs out and closes the connection.
    public func close() { connection.close() }

    /// UIDVALIDITY, UIDNEXT and the message count of a folder (`STATUS`, nothing selected).
    public func status(of folder: String) async throws -> IMAPFolderStatus {
        let url = "\(account.baseURL)/\(folder)"
        let lines = try await connection.run { wire, context in
            var lines: [String] = []
            try wire.command("STATUS \(IMAPResponse.quoted(folder)) (UIDVALIDITY UIDNEXT MESSAGES)", context) { lines.append($0.string) }
            return lines
        }
        guard let status = IMAPResponse.status(Array(lines.joined(separator: "\r\n").utf8)) else {
            throw MailError(.badResponse, url: url, detail: "no UIDVALIDITY in the STATUS answer")
        }
        return status
    }

    /// The UIDs above `uid`, ascending (`UID SEARCH UID n:*`: one line of numbers, read whatever its length).
    public func uids(in folder: String, uidValidity: UInt32, after uid: UInt32) async throws -> [UInt32] {
        // `n:*` always includes the last message, even when its UID is below n.
        try await search(in: folder, uidValidity: uidValidity, "UID \(uid &+ 1):*").filter { $0 > uid }.sorted()
    }

    /// Size, `\Seen` flag and Message-ID of the given messages, in UID order (one
    /// `UID FETCH set (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])`, which marks
    /// nothing seen). Messages expunged meanwhile are missing from the result.
    public func summaries(in folder: String, uidValidity: UInt32, uids: [UInt32]) async throws -> [IMAPMessageSummary] {
        guard !uids.isEmpty else { return [] }
        let set = IMAPResponse.uidSet(uids)
        let wanted = Set(uids)
        let found = try await connection.run { wire, context in
            try Self.select(wire, folder, uidValidity, context)
            var result: [UInt32: IMAPMessageSummary] = [:]
            try wire.command("UID FETCH \(set) (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", context, literalLimit: 64 << 10) { line in
                guard let items = IMAPValue.fetchItems(line), let uid = items["UID"]?.number.flatMap({ UInt32(exactly: $0) }),
                      wanted.contains(uid) else { return }
                var summary = result[uid] ?? IMAPMessageSummary(uid: uid, size: nil, seen: false)
                if let size = items["RFC822.SIZE"]?.number { summary.size = Int(exactly: size) }
                if let flags = items["FLAGS"] {
                    summary.seen = flags.items.contains { $0.atomText?.caseInsensitiveCompare("\\Seen") == .orderedSame }
                }
                if let header = items.first(where: { $0.key.hasPrefix("BODY[HEADER.FIELDS") })?.value.bytes {
                    summary.messageID = IMAPResponse.messageID(inHeader: header)
                }
                result[uid] = summary
            }
            return result
        }
        return found.values.sorted { $0.uid < $1.uid }
    }

    /// The messages with a UID above `uid`, oldest first, with their size, `\Seen` flag and
    /// Message-ID: ``uids(in:uidValidity:after:)``, then ``summaries(in:uidValidity:uids:)`` a
    /// page at a time. Nothing is marked seen.
    public func messages(in folder: String, uidValidity: UInt32, after uid: UInt32) async throws -> [IMAPMessageSummary] {
        var result: [IMAPMessageSummary] = []
        for page in try await uids(in: folder, uidValidity: uidValidity, after: uid).mailChunks(Self.pageSize) {
            result += try await summaries(in: folder, uidValidity: uidValidity, uids: Array(page))
        }
        return result
    }

    /// `UID SEARCH` with the given criteria (e.g. `UID 5:* SINCE 1-Jan-2026`).
    public func search(in folder: String, uidValidity: UInt32, _ criteria: String) async throws -> [UInt32] {
        try await connection.run { wire, context in
            try Self.select(wire, folder, uidValidity, context)
            var uids: [UInt32] = []
            try wire.command("UID SEARCH \(criteria)", context) { line in
                uids += IMAPResponse.searchUIDs(line.text)
            }
            return uids
        }
    }

    /// The raw RFC 5322 bytes of one message (`UID FETCH n BODY.PEEK[]`: no flag changes);
    /// empty when the message is gone. Throws `.tooLarge` past `maxBytes` (without reading it).
    public func fetch(uid: UInt32, in folder: String, uidValidity: UInt32, maxBytes: Int) async throws -> [UInt8] {
        let url = "\(account.baseURL)/\(folder);UID=\(uid)"
        do {
            return try await connection.run { wire, context in
                try Self.select(wire, folder, uidValidity, context)
                var body: [UInt8] = []
                try wire.command("UID FETCH \(uid) (UID BODY.PEEK[])", context, literalLimit: maxBytes, totalLimit: maxBytes + (1 << 20)) { line in
                    guard let items = IMAPValue.fetchItems(line), items["UID"]?.number == UInt64(uid),
                          let bytes = items["BODY[]"]?.bytes else { return }
                    body = bytes
                }
                return body
            }
        } catch let error as MailError {
            if case .tooLarge = error.code { throw MailError(.tooLarge(limit: maxBytes), url: url) }
            throw error
        }
    }

    /// Adds or removes `\Seen` on the given messages, silently.
    public func setSeen(_ seen: Bool, uids: [UInt32], in folder: String, uidValidity: UInt32) async throws {
        for chunk in uids.mailChunks(500) {
            let set = IMAPResponse.uidSet(Array(chunk))
            try await connection.run { wire, context in
                try Self.select(wire, folder, uidValidity, context)
                try wire.command("UID STORE \(set) \(seen ? "+" : "-")FLAGS.SILENT (\\Seen)", context) { _ in }
            }
        }
    }

    /// Moves messages to another folder (`UID MOVE`, RFC 6851). Nothing is deleted otherwise.
    public func move(uids: [UInt32], from folder: String, uidValidity: UInt32, to target: String) async throws {
        for chunk in uids.mailChunks(500) {
            let set = IMAPResponse.uidSet(Array(chunk))
            try await connection.run { wire, context in
                try Self.select(wire, folder, uidValidity, context)
                try wire.command("UID MOVE \(set) \(IMAPResponse.quoted(target))", context) { _ in }
            }
        }
    }

    /// Selects `folder` unless it is selected already, checking its UIDVALIDITY.
    static func select(_ wire: IMAPWire, _ folder: String, _ uidValidity: UInt32, _ context: IMAPCommandContext) throws {
        if let selected = wire.selected, selected.folder == folder, selected.uidValidity == uidValidity { return }
        wire.selected = nil
        var validity: UInt32?
        try wire.command("SELECT \(IMAPResponse.quoted(folder))", context) { line in
            let text = line.string
            if let range = text.range(of: "[UIDVALIDITY ", options: .caseInsensitive) {
                validity = UInt32(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let url = "\(wire.account.baseURL)/\(folder)"
        guard let validity else { throw MailError(.badResponse, url: url, detail: "no UIDVALIDITY in the SELECT answer") }
        guard validity == uidValidity else {
            throw MailError(.uidValidityChanged, url: url, detail: "UIDVALIDITY is \(validity), expected \(uidValidity)")
        }
        wire.selected = (folder, validity)
    }
}

extension String {
    /// Everything but RFC 3986 unreserved characters percent-encoded (for a folder in a URL path).
    var mailPercentEncoded: String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    public func mailChunks(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
