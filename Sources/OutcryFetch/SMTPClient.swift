import CCurl
import Foundation

/// Sends one e-mail over SMTP with libcurl: `smtp://host:port` (STARTTLS) or `smtps://host:port`
/// (TLS from the start).
///
/// TLS is required for every host that is not loopback: a server that does not offer STARTTLS
/// fails the send instead of receiving the message (and the password) in clear text, unless
/// the receiver says `tls: none`. On loopback (127.0.0.0/8, ::1, `localhost`) STARTTLS is used
/// when offered, as a local relay often has none.
///
/// Each send runs one blocking libcurl transfer on a thread of its own that ends with the
/// transfer, so the Swift concurrency pool never blocks.
///
/// ```swift
/// let smtp = SMTPClient(SMTPClient.Settings(url: "smtp://127.0.0.1:2525"))
/// try await smtp.send(from: "outcry@example.org", to: ["legal@example.org"], message: rendered)
/// ```
public struct SMTPClient: Sendable {
    /// What the receiver's `tls:` says.
    public enum TLS: String, Sendable, Equatable, CaseIterable {
        /// TLS or STARTTLS, or the send fails (the default for every host but loopback).
        case required
        /// Clear text, never STARTTLS: only for a relay that cannot do TLS.
        case none
    }

    /// How libcurl is told to use TLS (`CURLOPT_USE_SSL`).
    public enum TLSUse: Sendable, Equatable {
        /// `CURLUSESSL_ALL`: fail unless the connection is encrypted.
        case all
        /// `CURLUSESSL_TRY`: STARTTLS when offered, else clear text.
        case tryIt
        /// `CURLUSESSL_NONE`.
        case none
    }

    public struct Settings: Sendable, Equatable {
        public var url: String
        public var username: String?
        public var password: String?
        /// nil: required for every host but loopback (see ``SMTPClient``).
        public var tls: TLS?
        public var timeout: TimeInterval

        public init(url: String, username: String? = nil, password: String? = nil, tls: TLS? = nil, timeout: TimeInterval = 30) {
            self.url = url
            self.username = username
            self.password = password
            self.tls = tls
            self.timeout = timeout
        }

        /// The TLS use for this URL: `all` unless the host is loopback or `tls: none` is set.
        public var tlsUse: TLSUse {
            switch tls {
            case .none?: return .none
            case .required?: return .all
            case nil: return InternalAddress.isLoopbackHost(URLMasking.host(of: url) ?? "") ? .tryIt : .all
            }
        }
    }

    public let settings: Settings

    public init(_ settings: Settings) { self.settings = settings }

    /// Sends `message` (RFC 5322 text with CRLF line ends) to every address in `to`.
    public func send(from: String, to: [String], message: String) async throws(SMTPError) {
        let settings = settings
        let result: Result<Void, SMTPError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Self.perform(settings, from: from, to: to, message: Array(message.utf8)))
            }
            thread.name = "outcry-smtp"
            thread.start()
        }
        try result.get()
    }

    static func perform(_ s: Settings, from: String, to: [String], message: [UInt8]) -> Result<Void, SMTPError> {
        guard ccurl_global_init_once() == CURLE_OK, let handle = curl_easy_init() else {
            return .failure(SMTPError(kind: .local, code: nil, message: "libcurl could not be initialised"))
        }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        let source = UploadSource(message)
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            ccurl_easy_setopt_string(handle, CURLOPT_URL, s.url)
            ccurl_easy_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
            ccurl_easy_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
            ccurl_easy_setopt_long(handle, CURLOPT_UPLOAD, 1)
            ccurl_easy_setopt_data_callback(handle, CURLOPT_READFUNCTION, smtpReadCallback)
            ccurl_easy_setopt_pointer(handle, CURLOPT_READDATA, unmanaged.toOpaque())
            let use: curl_usessl = switch s.tlsUse {
            case .all: CURLUSESSL_ALL
            case .tryIt: CURLUSESSL_TRY
            case .none: CURLUSESSL_NONE
            }
            ccurl_easy_setopt_long(handle, CURLOPT_USE_SSL, Int(use.rawValue))
            ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(s.timeout * 1000))
            ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(s.timeout, 10) * 1000))
            ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            if let u = s.username { ccurl_easy_setopt_string(handle, CURLOPT_USERNAME, u) }
            if let p = s.password { ccurl_easy_setopt_string(handle, CURLOPT_PASSWORD, p) }
            return curl_easy_perform(handle)
        }
        if code == CURLE_OK { return .success(()) }
        var reply = 0
        ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let buffered = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        var error = SMTPError.from(curl: code, reply: reply, detail: detail, url: URLMasking.mask(s.url))
        if code == CURLE_USE_SSL_FAILED {
            error.message = "\(URLMasking.mask(s.url)): the server does not offer TLS (STARTTLS), which is required for a host that is not loopback; "
                + "use smtps:// or a server with STARTTLS, or set `tls: none` on the receiver to send in clear text (\(detail))"
        }
        return .failure(error)
    }
}

/// The bytes of one message, read by libcurl in pieces.
private final class UploadSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

private func smtpReadCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, source.bytes.count - source.offset)
    guard n > 0 else { return 0 }
    source.bytes.withUnsafeBufferPointer { all in
        UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: n)
    }
    source.offset += n
    return n
}

/// Why an SMTP send failed: the server's reply code when it refused, else the kind of trouble.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The server answered with a 4xx/5xx reply (`code`).
        case rejected
        case connection
        case timeout
        case tls
        /// Bad URL or our own mistake.
        case local
    }

    public var kind: Kind
    /// The SMTP reply code (e.g. 550), when the server gave one.
    public var code: Int?
    public var message: String

    public var description: String { "SMTP \(kind.rawValue)\(code.map { " \($0)" } ?? ""): \(message)" }

    static func from(curl: CURLcode, reply: Int, detail: String, url: String) -> SMTPError {
        if reply >= 400 { return SMTPError(kind: .rejected, code: reply, message: detail) }
        switch curl {
        case CURLE_OPERATION_TIMEDOUT: return SMTPError(kind: .timeout, code: nil, message: detail)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return SMTPError(kind: .connection, code: nil, message: "\(url): \(detail)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION:
            return SMTPError(kind: .tls, code: nil, message: detail)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_LOGIN_DENIED:
            return SMTPError(kind: .local, code: nil, message: detail)
        default: return SMTPError(kind: .connection, code: nil, message: detail)
        }
    }
}
