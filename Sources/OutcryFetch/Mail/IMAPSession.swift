import Foundation

/// An IMAP account over libcurl, one command at a time on one reused connection.
///
/// Folders are addressed by name plus the UIDVALIDITY the caller knows, so a command never
/// acts on a folder that was recreated meanwhile (libcurl checks it when it selects the
/// folder; a mismatch throws `.uidValidityChanged`). Nothing here deletes or expunges mail.
/// ```swift
/// let session = IMAPSession(account: account)
/// defer { session.close() }
/// let status = try await session.status(of: "INBOX")
/// for m in try await session.messages(in: "INBOX", uidValidity: status.uidValidity, after: lastUID) {
///     let bytes = try await session.fetch(uid: m.uid, in: "INBOX", uidValidity: status.uidValidity, maxBytes: cap)
///     if !m.seen { try await session.setSeen(false, uids: [m.uid], in: "INBOX", uidValidity: status.uidValidity) }
/// }
/// ```
public final class IMAPSession: Sendable {
    public let account: MailAccount
    private let connection: MailConnection

    public init(account: MailAccount) {
        self.account = account
        connection = MailConnection(account: account)
    }

    /// Logs out and closes the connection.
    public func close() { connection.close() }

    /// UIDVALIDITY, UIDNEXT and the message count of a folder (`STATUS`, nothing selected).
    public func status(of folder: String) async throws -> IMAPFolderStatus {
        let body = try await command("/", "STATUS \(IMAPResponse.quoted(folder)) (UIDVALIDITY UIDNEXT MESSAGES)")
        guard let status = IMAPResponse.status(body) else {
            throw MailError(.badResponse, url: "\(account.baseURL)/\(folder)", detail: "no UIDVALIDITY in the STATUS answer")
        }
        return status
    }

    /// The messages with a UID above `uid`, oldest first, with their size and `\Seen` flag
    /// (`UID FETCH n:* (UID FLAGS RFC822.SIZE)`; nothing is marked seen).
    public func messages(in folder: String, uidValidity: UInt32, after uid: UInt32) async throws -> [IMAPMessageSummary] {
        let body = try await command(path(folder, uidValidity), "UID FETCH \(uid &+ 1):* (UID FLAGS RFC822.SIZE)")
        // `n:*` always includes the last message, even when its UID is below n.
        return IMAPResponse.summaries(body).filter { $0.uid > uid }.sorted { $0.uid < $1.uid }
    }

    /// `UID SEARCH` with the given criteria (e.g. `UID 5:* SINCE 1-Jan-2026`).
    public func search(in folder: String, uidValidity: UInt32, _ criteria: String) async throws -> [UInt32] {
        IMAPResponse.searchUIDs(try await command(path(folder, uidValidity), "UID SEARCH \(criteria)"))
    }

    /// The raw RFC 5322 bytes of one message (`UID FETCH n BODY[]`, which sets `\Seen`: put it
    /// back with `setSeen(false, …)` when it was not seen before). Throws `.tooLarge` past `maxBytes`.
    public func fetch(uid: UInt32, in folder: String, uidValidity: UInt32, maxBytes: Int) async throws -> [UInt8] {
        try await connection.perform(path: path(folder, uidValidity) + "/;UID=\(uid)", maxBytes: maxBytes)
    }

    /// Adds or removes `\Seen` on the given messages, silently.
    public func setSeen(_ seen: Bool, uids: [UInt32], in folder: String, uidValidity: UInt32) async throws {
        for chunk in uids.mailChunks(500) {
            _ = try await command(path(folder, uidValidity), "UID STORE \(IMAPResponse.uidSet(Array(chunk))) \(seen ? "+" : "-")FLAGS.SILENT (\\Seen)")
        }
    }

    /// Moves messages to another folder (`UID MOVE`, RFC 6851). Nothing is deleted otherwise.
    public func move(uids: [UInt32], from folder: String, uidValidity: UInt32, to target: String) async throws {
        for chunk in uids.mailChunks(500) {
            _ = try await command(path(folder, uidValidity), "UID MOVE \(IMAPResponse.uidSet(Array(chunk))) \(IMAPResponse.quoted(target))")
        }
    }

    /// `/FOLDER;UIDVALIDITY=n`, the folder percent-encoded.
    func path(_ folder: String, _ uidValidity: UInt32) -> String {
        "/" + folder.mailPercentEncoded + ";UIDVALIDITY=\(uidValidity)"
    }

    /// libcurl percent-decodes custom requests, so a literal `%` must be sent as `%25`.
    private func command(_ path: String, _ text: String) async throws -> [UInt8] {
        try await connection.perform(path: path, command: text.replacingOccurrences(of: "%", with: "%25"), maxBytes: 64 << 20)
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
    func mailChunks(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
