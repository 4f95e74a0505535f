import CCurl
import Foundation

/// One libcurl easy handle kept for one mailbox session, so that every command of a pass
/// reuses the same logged-in connection (and, for IMAP, the selected folder).
///
/// Commands run one at a time, each on a short-lived thread of its own (libcurl's easy
/// interface blocks); the caller awaits it, so nothing outlives the call. Cancelling the
/// awaiting task aborts the transfer. After a failed command the handle is discarded: the
/// next command starts on a fresh connection, never on one left half-way through an answer.
final class MailConnection: @unchecked Sendable {
    let account: MailAccount
    private let lock = NSLock()
    /// Guarded by `lock`; only one command at a time owns it.
    private var easy: UnsafeMutableRawPointer?
    private var busy = false

    init(account: MailAccount) {
        precondition(ccurl_global_init_once() == CURLE_OK, "curl_global_init failed")
        self.account = account
    }

    deinit {
        if let easy { curl_easy_cleanup(easy) }
    }

    /// Closes the connection (libcurl logs out politely).
    func close() {
        lock.withLock {
            if let easy { curl_easy_cleanup(easy) }
            easy = nil
        }
    }

    /// Runs one transfer: `path` is appended to the account's base URL; `command` is sent as
    /// libcurl's custom request (its untagged answers are the body). The body may not exceed
    /// `maxBytes`.
    func perform(path: String, command: String? = nil, maxBytes: Int = 16 << 20) async throws -> [UInt8] {
        let transfer = MailTransfer(url: account.baseURL + path, command: command, maxBytes: maxBytes)
        let handle = EasyHandle(pointer: try takeHandle(for: transfer))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                let thread = Thread { [self] in
                    let result = transfer.run(on: handle.pointer, account: account)
                    returnHandle(handle.pointer, healthy: (try? result.get()) != nil)
                    continuation.resume(with: result)
                }
                thread.name = "outcry-mail"
                thread.start()
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    private func takeHandle(for transfer: MailTransfer) throws(MailError) -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        precondition(!busy, "MailConnection is used by one command at a time")
        if easy == nil { easy = curl_easy_init() }
        guard let easy else { throw MailError(.other(curlCode: -1, message: "curl_easy_init failed"), url: transfer.safeURL) }
        busy = true
        return easy
    }

    private func returnHandle(_ handle: UnsafeMutableRawPointer, healthy: Bool) {
        lock.withLock {
            busy = false
            if !healthy {
                curl_easy_cleanup(handle)
                if easy == handle { easy = nil }
            }
        }
    }
}

/// An easy handle handed to the transfer thread; only that thread touches it until it is returned.
private struct EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

/// One command's state, shared between the transfer thread and a cancelling task.
final class MailTransfer: @unchecked Sendable {
    let url: String
    let command: String?
    let maxBytes: Int
    private let lock = NSLock()
    private var cancelled = false
    // Transfer thread only.
    private var body: [UInt8] = []
    private var tooLarge = false

    init(url: String, command: String?, maxBytes: Int) {
        self.url = url
        self.command = command
        self.maxBytes = maxBytes
    }

    /// The URL without anything secret (there is nothing secret in it; named for intent).
    var safeURL: String { command.map { "\(url) \($0.split(separator: " ").prefix(2).joined(separator: " "))" } ?? url }

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }

    func run(on easy: UnsafeMutableRawPointer, account: MailAccount) -> Result<[UInt8], any Error> {
        if isCancelled { return .failure(CancellationError()) }
        curl_easy_reset(easy)  // keeps the live connection, clears the previous command's options
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        let me = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        func long(_ option: CURLoption, _ value: Int) { codes.append(ccurl_easy_setopt_long(easy, option, value)) }
        func string(_ option: CURLoption, _ value: String) { codes.append(ccurl_easy_setopt_string(easy, option, value)) }
        string(CURLOPT_URL, url)
        string(CURLOPT_PROTOCOLS_STR, "imap,imaps,pop3,pop3s")
        string(CURLOPT_USERNAME, account.username)
        string(CURLOPT_PASSWORD, account.password)
        switch account.security {
        case .tls, .starttls: long(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .none: long(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        if let command { string(CURLOPT_CUSTOMREQUEST, command) }
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_CONNECTTIMEOUT_MS, account.connectTimeout.curlMilliseconds)
        long(CURLOPT_TIMEOUT_MS, account.timeout.curlMilliseconds)
        long(CURLOPT_LOW_SPEED_LIMIT, 1)
        long(CURLOPT_LOW_SPEED_TIME, 60)
        codes.append(ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes)))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, mailWriteCallback))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        long(CURLOPT_NOPROGRESS, 0)
        codes.append(ccurl_easy_setopt_xferinfo_callback(easy, mailProgressCallback))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, me))
        if let bad = codes.first(where: { $0 != CURLE_OK }) {
            return .failure(MailError(.other(curlCode: Int(bad.rawValue), message: String(cString: curl_easy_strerror(bad))),
                                      url: safeURL, detail: "setting up the transfer failed"))
        }
        let code = withExtendedLifetime(self) { curl_easy_perform(easy) }
        if isCancelled { return .failure(CancellationError()) }
        if tooLarge || code == CURLE_FILESIZE_EXCEEDED { return .failure(MailError(.tooLarge(limit: maxBytes), url: safeURL)) }
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            let detail = String(cString: errorBuffer)
            return .failure(MailError(Self.errorCode(for: code), url: safeURL, detail: detail.isEmpty ? message : detail))
        }
        return .success(body)
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > maxBytes {
            tooLarge = true
            return 0  // libcurl aborts with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    static func errorCode(for code: CURLcode) -> MailError.Code {
        switch code {
        case CURLE_LOGIN_DENIED: return .loginDenied
        case CURLE_REMOTE_FILE_NOT_FOUND: return .uidValidityChanged
        case CURLE_QUOTE_ERROR: return .commandFailed
        case CURLE_WEIRD_SERVER_REPLY: return .badResponse
        default: break
        }
        return CurlFailure.code(code)
    }
}

private let mailWriteCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<MailTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

private let mailProgressCallback: ccurl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<MailTransfer>.fromOpaque(userdata).takeUnretainedValue().isCancelled ? 1 : 0
}
