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
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(limit: request.maxRedirects)
        case CURLE_FILESIZE_EXCEEDED: return .tooLarge(limit: request.maxBodyBytes)
        case CURLE_HTTP2, CURLE_HTTP2_STREAM: return .connectionReset
        case CURLE_FILE_COULDNT_READ_FILE: return .fileNotFound
        default: break
        }
        return CurlFailure.code(code)
    }
}
