import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One untagged (or tagged) IMAP response line with its literals read in full.
///
/// `text` is the line as sent, without its final CRLF; each literal's `{N}` marker stays in
/// the text and the CRLF after it is left out, so the text continues right after the marker.
/// `literals` holds the literals' bytes in order.
struct IMAPLine: Sendable {
    var text: [UInt8]
    var literals: [[UInt8]]

    var string: String { String(decoding: text, as: UTF8.self) }
}

/// Whether a command is still wanted and until when it may run.
final class IMAPCommandContext: @unchecked Sendable {
    let deadline: ContinuousClock.Instant
    private let lock = NSLock()
    private var cancelled = false

    init(timeout: Duration) { deadline = .now + timeout }

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }
}

/// IMAP spoken by Outcry itself over a connection that libcurl opened, secured and logged in
/// (`CURLOPT_CONNECT_ONLY`, then `curl_easy_send`/`curl_easy_recv`): TLS, STARTTLS and SASL stay
/// libcurl's, the commands and their answers are read here, literals included, with no limit
/// but the ones given per command (libcurl's own IMAP client passes untagged answers through
/// its header buffer, which refuses answers past 300 KB, and cannot fetch `BODY.PEEK[]`).
///
/// Used by one thread at a time (``IMAPConnection`` sees to that).
final class IMAPWire {
    let account: MailAccount
    private var easy: UnsafeMutableRawPointer?
    private var socket: curl_socket_t = -1
    private var buffer: [UInt8] = []
    private var start = 0
    /// What one `curl_easy_recv` reads into, reused.
    private var chunk = [UInt8](repeating: 0, count: 256 << 10)
    private var tagCounter = 0
    /// The folder selected on this connection and its UIDVALIDITY.
    var selected: (folder: String, uidValidity: UInt32)?

    /// Longest response line (without literals) read: the untagged `SEARCH` line of a folder with
    /// a million messages is about 8 MB.
    static let maxLineBytes = 64 << 20

    init(account: MailAccount) {
        self.account = account
    }

    deinit { close(polite: false) }

    var isOpen: Bool { easy != nil }

    /// Connects and logs in (libcurl: greeting, CAPABILITY, STARTTLS, AUTHENTICATE or LOGIN).
    func open(_ context: IMAPCommandContext) throws {
        close(polite: false)
        guard ccurl_global_init_once() == CURLE_OK, let easy = curl_easy_init() else {
            throw MailError(.other(curlCode: -1, message: "curl_easy_init failed"), url: account.baseURL)
        }
        self.easy = easy
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        var codes: [CURLcode] = []
        func long(_ option: CURLoption, _ value: Int) { codes.append(ccurl_easy_setopt_long(easy, option, value)) }
        func string(_ option: CURLoption, _ value: String) { codes.append(ccurl_easy_setopt_string(easy, option, value)) }
        string(CURLOPT_URL, account.baseURL + "/")
        string(CURLOPT_PROTOCOLS_STR, "imap,imaps")
        string(CURLOPT_USERNAME, account.username)
        string(CURLOPT_PASSWORD, account.password)
        switch account.security {
        case .tls, .starttls: long(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .none: long(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        long(CURLOPT_CONNECT_ONLY, 1)
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_CONNECTTIMEOUT_MS, account.connectTimeout.curlMilliseconds)
        long(CURLOPT_TIMEOUT_MS, (account.connectTimeout + account.timeout).curlMilliseconds)
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        let me = Unmanaged.passUnretained(context).toOpaque()
        long(CURLOPT_NOPROGRESS, 0)
        codes.append(ccurl_easy_setopt_xferinfo_callback(easy, imapConnectProgress))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, me))
        if let bad = codes.first(where: { $0 != CURLE_OK }) {
            close(polite: false)
            throw MailError(.other(curlCode: Int(bad.rawValue), message: String(cString: curl_easy_strerror(bad))),
                            url: account.baseURL, detail: "setting up the connection failed")
        }
        let code = withExtendedLifetime(context) { curl_easy_perform(easy) }
        if context.isCancelled {
            close(polite: false)
            throw CancellationError()
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            close(polite: false)
            throw MailError(MailTransfer.errorCode(for: code), url: account.baseURL,
                            detail: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOPROGRESS, 1)
        var fd: curl_socket_t = -1
        guard ccurl_easy_getinfo_socket(easy, &fd) == CURLE_OK, fd >= 0 else {
            close(polite: false)
            throw MailError(.connectionReset, url: account.baseURL, detail: "no socket after logging in")
        }
        socket = fd
        buffer = []
        start = 0
        selected = nil
    }

    /// Closes the connection. `polite`: send LOGOUT first (only when the connection is between
    /// commands); otherwise the socket is shut down first, so that nothing waits for an answer.
    func close(polite: Bool) {
        guard let easy else { return }
        if polite {
            let context = IMAPCommandContext(timeout: .seconds(5))
            _ = try? command("LOGOUT", context) { _ in }
        }
        if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        curl_easy_cleanup(easy)
        self.easy = nil
        socket = -1
        buffer = []
        start = 0
        selected = nil
    }

    /// Sends one command and reads its answer: each untagged line goes to `untagged`; the
    /// tagged `OK` ends it. `NO`/`BAD` throw `.commandFailed` with the server's text. Literals
    /// longer than `literalLimit` throw `.tooLarge` (the connection must then be closed).
    func command(
        _ text: String, _ context: IMAPCommandContext, literalLimit: Int = 1 << 20, totalLimit: Int = 256 << 20,
        _ untagged: (IMAPLine) throws -> Void
    ) throws {
        tagCounter += 1
        let tag = "O\(tagCounter)"
        try send(Array("\(tag) \(text)\r\n".utf8), context)
        var total = 0
        while true {
            let line = try readLine(context, literalLimit: literalLimit)
            total += line.text.count + line.literals.reduce(0) { $0 + $1.count }
            if total > totalLimit {
                throw MailError(.tooLarge(limit: totalLimit), url: account.baseURL, detail: "the answer to \(Self.verb(text)) is larger than \(totalLimit) bytes")
            }
            if line.text.starts(with: Array("\(tag) ".utf8)) {
                let rest = String(decoding: line.text.dropFirst(tag.count + 1), as: UTF8.self)
                let status = rest.prefix { $0 != " " }.uppercased()
                if status == "OK" { return }
                throw MailError(.commandFailed, url: account.baseURL, detail: "\(Self.verb(text)): \(rest)")
            }
            if line.text.starts(with: Array("* BYE".utf8)) {
                throw MailError(.connectionReset, url: account.baseURL, detail: "the server closed the session: \(line.string)")
            }
            if line.text.first == UInt8(ascii: "+") {
                throw MailError(.badResponse, url: account.baseURL, detail: "unexpected continuation request to \(Self.verb(text))")
            }
            try untagged(line)
        }
    }

    /// The command's first words, for messages (never arguments that could be long).
    static func verb(_ text: String) -> String {
        text.split(separator: " ").prefix(text.uppercased().hasPrefix("UID ") ? 2 : 1).joined(separator: " ")
    }

    // MARK: bytes

    private func send(_ bytes: [UInt8], _ context: IMAPCommandContext) throws {
        guard let easy else { throw MailError(.connectionReset, url: account.baseURL, detail: "not connected") }
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { raw in
                curl_easy_send(easy, raw.baseAddress! + offset, raw.count - offset, &sent)
            }
            if code == CURLE_OK {
                offset += sent
            } else if code == CURLE_AGAIN {
                try wait(forWriting: true, context)
            } else {
                throw MailError(.connectionReset, url: account.baseURL, detail: "sending failed: \(String(cString: curl_easy_strerror(code)))")
            }
        }
    }

    /// Reads more bytes into the buffer (at least one).
    private func fill(_ context: IMAPCommandContext) throws {
        guard let easy else { throw MailError(.connectionReset, url: account.baseURL, detail: "not connected") }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        while true {
            if context.isCancelled { throw CancellationError() }
            var received = 0
            let code = chunk.withUnsafeMutableBytes { curl_easy_recv(easy, $0.baseAddress, $0.count, &received) }
            if code == CURLE_OK {
                guard received > 0 else {
                    throw MailError(.connectionReset, url: account.baseURL, detail: "the server closed the connection")
                }
                buffer.append(contentsOf: chunk[0..<received])
                return
            }
            guard code == CURLE_AGAIN else {
                throw MailError(.connectionReset, url: account.baseURL, detail: "receiving failed: \(String(cString: curl_easy_strerror(code)))")
            }
            try wait(forWriting: false, context)
        }
    }

    private func wait(forWriting: Bool, _ context: IMAPCommandContext) throws {
        while true {
            if context.isCancelled { throw CancellationError() }
            let left = context.deadline - .now
            guard left > .zero else { throw MailError(.timeout, url: account.baseURL, detail: "no answer within the time limit") }
            var entry = pollfd(fd: socket, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
            let slice = min(left, .milliseconds(250)).curlMilliseconds
            let ready = poll(&entry, 1, Int32(slice))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw MailError(.connectionReset, url: account.baseURL, detail: "poll failed: errno \(errno)")
            }
        }
    }

    /// One response line with its literals.
    private func readLine(_ context: IMAPCommandContext, literalLimit: Int) throws -> IMAPLine {
        var text: [UInt8] = []
        var literals: [[UInt8]] = []
        var searchFrom = start
        while true {
            guard let newline = buffer[searchFrom...].firstIndex(of: 0x0A) else {
                if buffer.count - start + text.count > Self.maxLineBytes {
                    throw MailError(.badResponse, url: account.baseURL, detail: "a response line is longer than \(Self.maxLineBytes) bytes")
                }
                let offset = searchFrom - start
                try fill(context)
                searchFrom = start + offset
                continue
            }
            var end = newline
            if end > start && buffer[end - 1] == 0x0D { end -= 1 }
            let part = buffer[start..<end]
            start = newline + 1
            text += part
            if let length = Self.literalLength(part) {
                guard length <= literalLimit else {
                    throw MailError(.tooLarge(limit: literalLimit), url: account.baseURL)
                }
                while buffer.count - start < length { try fill(context) }
                literals.append(Array(buffer[start..<(start + length)]))
                start += length
                searchFrom = start
                continue
            }
            return IMAPLine(text: text, literals: literals)
        }
    }

    /// `N` when a line part ends with the literal marker `{N}` (or `{N+}`).
    static func literalLength(_ part: ArraySlice<UInt8>) -> Int? {
        guard part.last == UInt8(ascii: "}"), let open = part.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = part[(open + 1)..<(part.endIndex - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}

private let imapConnectProgress: ccurl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<IMAPCommandContext>.fromOpaque(userdata).takeUnretainedValue().isCancelled ? 1 : 0
}
