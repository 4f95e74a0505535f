import CCurl
import Foundation

/// One transfer's state: its request, its easy handle once started, and what the callbacks have
/// collected. Created by the caller, then owned by the loop thread alone (handed over under the
/// loop's lock), hence `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
    enum State { case new, waiting, active, done }

    let request: FetchRequest
    var continuation: CheckedContinuation<FetchResponse, any Error>?
    var state = State.new
    /// Set by the loop when a cancellation arrives before the transfer was taken from the inbox.
    var cancelled = false

    var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    /// The first request's host and whether it connected to an internal address (redirect policy).
    private var firstHop: (host: String?, internal: Bool)?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    // Collected by callbacks on the loop thread.
    var body: [UInt8] = []
    var headers = FetchHeaders()
    /// (status, URL) of every non-informational response seen, in order.
    var hops: [(status: Int, url: String)] = []
    private var currentStatus = 0
    /// A failure decided by a callback (the body cap), which aborts the transfer.
    var abortReason: FetchError.Code?

    init(request: FetchRequest) {
        self.request = request
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        releaseHandle()
        errorBuffer.deallocate()
    }

    var curlErrorMessage: String { String(cString: errorBuffer) }

    /// Resumes the caller exactly once.
    func finish(_ result: Result<FetchResponse, any Error>) {
        state = .done
        releaseHandle()
        continuation?.resume(with: result)
        continuation = nil
    }

    func releaseHandle() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let resolveList { curl_slist_free_all(resolveList) }
        resolveList = nil
    }

    /// Creates and configures the easy handle. `userdata` is this object, unretained: the loop's
    /// table of active transfers owns it until the handle is removed.
    func makeHandle() throws(FetchError) -> UnsafeMutableRawPointer {
        guard let easy = curl_easy_init() else {
            throw FetchError(.other(curlCode: -1, message: "curl_easy_init failed"), url: request.url)
        }
        self.easy = easy
        let me = Unmanaged.passUnretained(self).toOpaque()
        let r = request
        var codes: [CURLcode] = []
        func long(_ option: CURLoption, _ value: Int) { codes.append(ccurl_easy_setopt_long(easy, option, value)) }
        func string(_ option: CURLoption, _ value: String) {
            codes.append(ccurl_easy_setopt_string(easy, option, value))  // libcurl copies strings
        }

        string(CURLOPT_URL, r.url)
        string(CURLOPT_PROTOCOLS_STR, "http,https,file")
        // Never let a remote server redirect us to a local file.
        string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)  // a proxy's CONNECT response is not a hop
        let follows = r.maxRedirects > 0 && r.method != .post  // a POST never follows (see FetchRequest.maxRedirects)
        long(CURLOPT_FOLLOWLOCATION, follows ? 1 : 0)
        long(CURLOPT_MAXREDIRS, follows ? r.maxRedirects : 0)
        // Every request, on a new or reused connection, is checked against the address it reached.
        codes.append(ccurl_easy_setopt_prereq_callback(easy, curlPrereqCallback))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, me))
        // New connections are checked before the TCP connect, so a refused address sees no packet.
        codes.append(ccurl_easy_setopt_address_check(easy, curlAddressDecider, me))
        if !r.resolve.isEmpty {
            var entries: UnsafeMutablePointer<curl_slist>?
            for entry in r.resolve { entries = curl_slist_append(entries, entry) ?? entries }
            resolveList = entries
            codes.append(ccurl_easy_setopt_slist(easy, CURLOPT_RESOLVE, entries))
        }
        long(CURLOPT_CONNECTTIMEOUT_MS, r.connectTimeout.curlMilliseconds)
        long(CURLOPT_TIMEOUT_MS, r.timeout.curlMilliseconds)
        if let slow = r.lowSpeedLimit {
            long(CURLOPT_LOW_SPEED_LIMIT, max(1, slow.bytesPerSecond))
            long(CURLOPT_LOW_SPEED_TIME, max(1, (slow.duration.curlMilliseconds + 999) / 1000))
        }
        string(CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl can decode
        string(CURLOPT_USERAGENT, r.userAgent)
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        codes.append(ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me))

        var list: UnsafeMutablePointer<curl_slist>?
        func header(_ line: String) {  // CR/LF would smuggle extra header lines into the request
            list = curl_slist_append(list, line.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" }) ?? list
        }
        for field in r.headers where field.name.lowercased() != "user-agent" {
            header("\(field.name): \(field.value)")
        }
        if let etag = r.etag, !r.headers.contains("If-None-Match") { header("If-None-Match: \(etag)") }
        if let lastModified = r.lastModified, !r.headers.contains("If-Modified-Since") {
            header("If-Modified-Since: \(lastModified)")
        }
        if r.method == .post {
            let body = r.body ?? []
            long(CURLOPT_POST, 1)
            codes.append(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            body.withUnsafeBytes { bytes in  // COPYPOSTFIELDS copies; size must be set first
                let base = bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, base ?? UnsafeMutableRawPointer(me)))
            }
            if !r.headers.contains("Expect") { header("Expect:") }  // no 100-continue round trip
        }
        headerList = list
        if let list { codes.append(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)) }

        if let bad = codes.first(where: { $0 != CURLE_OK }) {
            let message = String(cString: curl_easy_strerror(bad))
            throw FetchError(.other(curlCode: Int(bad.rawValue), message: message), url: r.url,
                             detail: "setting up the transfer failed")
        }
        return easy
    }

    // MARK: Callbacks (loop thread)

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > request.maxBodyBytes {
            abortReason = .tooLarge(limit: request.maxBodyBytes)
            return 0  // != count: libcurl aborts with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = Substring(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self))
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            currentStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = FetchHeaders()
            if currentStatus >= 200 { hops.append((currentStatus, currentURL())) }
        } else if line.first == " " || line.first == "\t" {
            headers.appendToLast(line.trimmingCharacters(in: .whitespaces))
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
            if !(300..<400).contains(currentStatus), name.lowercased() == "content-length",
               let length = Int(value), length > request.maxBodyBytes {
                abortReason = .tooLarge(limit: request.maxBodyBytes)
                return 0
            }
            if name.lowercased() == "content-length", let length = Int(value), body.isEmpty {
                body.reserveCapacity(min(length, request.maxBodyBytes))
            }
        }
        return bytes.count
    }

    /// Whether the request about to be sent over a connection to `ip` may go ahead (the
    /// redirect policy, ``FetchRequest/InternalRedirects``); refusing records why.
    func mayProceed(connectedTo ip: String) -> Bool {
        guard request.internalRedirects == .onlyFromInternalURL, let easy else { return true }
        var redirects = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_REDIRECT_COUNT, &redirects)
        let host = URLMasking.host(of: currentURL())?.lowercased()
        // Through a proxy the connection is the proxy's: then the host name is all there is to judge.
        let kind = Self.proxied ? (InternalAddress.isInternalHost(host ?? "") ? InternalAddress.kind(of: host ?? "") ?? "internal host name" : nil)
            : InternalAddress.kind(of: ip)
        let ip = Self.proxied ? host ?? ip : ip
        if redirects == 0 {
            if firstHop == nil { firstHop = (host, kind != nil) }  // the configured URL: the operator's choice
            return true
        }
        guard let kind else { return true }
        let first = firstHop ?? (nil, false)
        if InternalAddress.isInternalHost(URLMasking.host(of: request.url) ?? "") { return true }
        if first.internal, host == first.host { return true }
        abortReason = .internalAddress(address: ip, kind: kind)
        return false
    }

    /// Whether libcurl sends requests through a proxy from the environment (it reads
    /// `http_proxy`, `https_proxy`, `all_proxy`, and the upper-case forms but `HTTP_PROXY`).
    static let proxied: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return ["http_proxy", "https_proxy", "all_proxy", "HTTPS_PROXY", "ALL_PROXY"].contains { !(environment[$0] ?? "").isEmpty }
    }()

    func currentURL() -> String {
        guard let easy else { return request.url }
        var pointer: UnsafePointer<CChar>?
        guard ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else {
            return request.url
        }
        return String(cString: pointer)
    }
}

private let curlWriteCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

private let curlPrereqCallback: ccurl_prereq_callback = { userdata, primaryIP, _, _, _ in
    guard let userdata, let primaryIP else { return CURL_PREREQFUNC_ABORT }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.mayProceed(connectedTo: String(cString: primaryIP)) ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT
}

private let curlAddressDecider: ccurl_address_decider = { userdata, address in
    guard let userdata, let address else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.mayProceed(connectedTo: String(cString: address)) ? 1 : 0
}

private let curlHeaderCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
}
