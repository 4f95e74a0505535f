/// Why a mailbox command failed. The message names the server (never the password).
///
/// Cancelling the calling task throws `CancellationError`, not a `MailError`.
/// ```swift
/// catch let error as MailError where error.code == .uidValidityChanged { resynchronise() }
/// ```
public struct MailError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        /// Not a usable mailbox URL.
        case invalidURL
        case resolve
        case connect
        case tls
        /// The server refused the user name or password (or, for IMAP, to select the folder).
        case loginDenied
        case timeout
        /// The message is larger than `limit` bytes; the transfer was aborted.
        case tooLarge(limit: Int)
        /// The folder's UIDVALIDITY is no longer the one the command was made for.
        case uidValidityChanged
        /// The server answered NO or BAD to a command (a missing folder, an unsupported command).
        case commandFailed
        /// The server's answer could not be understood.
        case badResponse
        case connectionReset
        /// Any other libcurl failure.
        case other(curlCode: Int, message: String)
    }

    public let code: Code
    /// The server (and folder or command) concerned; never contains the password.
    public let url: String
    public let detail: String

    public init(_ code: Code, url: String, detail: String = "") {
        self.code = code
        self.url = url
        self.detail = detail
    }

    /// Whether trying again later may succeed.
    public var isTransient: Bool {
        switch code {
        case .resolve, .connect, .timeout, .connectionReset: true
        default: false
        }
    }

    /// Whether only a change of configuration can fix it: a malformed URL, a host name that does
    /// not resolve, a login the server refuses.
    public var needsConfigurationFix: Bool {
        switch code {
        case .invalidURL, .resolve, .loginDenied: true
        default: false
        }
    }

    public var description: String {
        let what: String
        switch code {
        case .invalidURL: what = "invalid mailbox URL"
        case .resolve: what = "could not resolve host"
        case .connect: what = "could not connect"
        case .tls: what = "TLS failure"
        case .loginDenied: what = "login refused (check username and password)"
        case .timeout: what = "timed out"
        case .tooLarge(let limit): what = "message larger than \(limit) bytes, transfer aborted"
        case .uidValidityChanged: what = "the folder's UIDVALIDITY changed"
        case .commandFailed: what = "the server refused the command"
        case .badResponse: what = "unexpected answer from the server"
        case .connectionReset: what = "connection closed before the answer was complete"
        case .other(let curlCode, let message): what = "mail transfer failed (curl \(curlCode): \(message))"
        }
        return CurlFailure.describe(url: url, what: what, detail: detail)
    }
}
