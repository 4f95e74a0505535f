import Foundation

/// One message of a POP3 maildrop: its number in this session, its unique id and size.
public struct POP3Message: Sendable, Equatable {
    public var number: Int
    public var uidl: String
    public var size: Int?

    public init(number: Int, uidl: String, size: Int?) {
        self.number = number
        self.uidl = uidl
        self.size = size
    }
}

/// A POP3 account over libcurl: `UIDL` and `LIST` to list, `TOP n <all>` (else `RETR`) to read.
/// It never sends `DELE`, so the maildrop is left exactly as it was.
/// ```swift
/// let session = POP3Session(account: account)
/// defer { session.close() }
/// for m in try await session.list() where !seen.contains(m.uidl) {
///     let bytes = try await session.retrieve(m.number, maxBytes: cap)
/// }
/// ```
public final class POP3Session: Sendable {
    public let account: MailAccount
    private let connection: MailConnection
    private let topRefused = OnceFlag()

    public init(account: MailAccount) {
        self.account = account
        connection = MailConnection(account: account)
    }

    public func close() { connection.close() }

    /// Every message with its UIDL and size, in maildrop order.
    public func list() async throws -> [POP3Message] {
        let uidls = try await connection.perform(path: "/", command: "UIDL")
        let sizes = try await connection.perform(path: "/")  // LIST
        var sizeByNumber: [Int: Int] = [:]
        for (number, value) in Self.pairs(sizes) { sizeByNumber[number] = Int(value) }
        return Self.pairs(uidls).map { POP3Message(number: $0.0, uidl: String($0.1), size: sizeByNumber[$0.0]) }
    }

    /// The raw bytes of message `number`: `TOP n 2147483647` (the whole message), because
    /// `RETR` counts as reading it — Dovecot, for one, then marks it `\Seen` for the IMAP clients
    /// of the same mailbox. `RETR` when the server refuses `TOP` (optional in RFC 1939); after
    /// one refusal this session uses `RETR` only.
    public func retrieve(_ number: Int, maxBytes: Int) async throws -> [UInt8] {
        if !topRefused.value {
            do {
                return try await connection.perform(path: "/", command: "TOP \(number) 2147483647", maxBytes: maxBytes)
            } catch let error as MailError {
                switch error.code {
                case .commandFailed, .badResponse: topRefused.set()
                default: throw error
                }
            }
        }
        return try await connection.perform(path: "/\(number)", maxBytes: maxBytes)
    }

    /// Lines `n value` of a multi-line answer (the `+OK` line and the final `.` are not passed on).
    static func pairs(_ body: [UInt8]) -> [(Int, Substring)] {
        IMAPResponse.lines(body).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[0]) else { return nil }
            return (number, parts[1].drop { $0 == " " })
        }
    }
}

/// A flag that is set once and read from any thread.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    var value: Bool { lock.withLock { isSet } }
    func set() { lock.withLock { isSet = true } }
}
