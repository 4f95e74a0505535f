import CCurl

extension CurlTransfer {
    /// Turns libcurl's result for this transfer into a response or a typed error.
    func outcome(_ code: CURLcode) -> Result<FetchResponse, any Error> {
        let url = request.url
        if let abortReason {
            return .failure(FetchError(abortReason, url: url))
        }
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            let detail = curlErrorMessage.isEmpty ? message : curlErrorMessage
            return .failure(FetchError(Self.errorCode(for: code, request: request), url: url, detail: detail))
        }
        var status = 0
        if let easy { _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
        let effectiveURL = currentURL()
        if status == 0 { status = 200 }  // file:// has no status line
        var redirects: [FetchRedirect] = []
        if hops.count > 1 {
            for index in 0..<(hops.count - 1) where (300..<400).contains(hops[index].status) {
                redirects.append(FetchRedirect(status: hops[index].status, from: hops[index].url, to: hops[index + 1].url))
            }
        }
        return .success(FetchResponse(
            status: status, headers: headers, body: body, requestedURL: url,
            effectiveURL: effectiveURL, redirects: redirects))
    }

    static func errorCode(for code: CURLcode, request: FetchRequest) -> FetchError.Code {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .resolve
        case CURLE_COULDNT_CONNECT:
            return .connect
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects(limit: request.maxRedirects)
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge(limit: request.maxBodyBytes)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionReset
        case CURLE_FILE_COULDNT_READ_FILE:
            return .fileNotFound
        default:
            return .other(curlCode: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
    }
}
