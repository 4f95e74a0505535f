import CCurl

/// What a libcurl result code means on the transport, whatever the protocol: the failures HTTP
/// and mailbox transfers share. Each protocol's error type (``FetchError``, ``MailError``)
/// first takes the codes only it knows (redirects, login, UIDVALIDITY, …), then these.
enum CurlFailure {
    case invalidURL, resolve, connect, timeout, tls, connectionReset

    init?(_ code: CURLcode) {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: self = .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: self = .resolve
        case CURLE_COULDNT_CONNECT: self = .connect
        case CURLE_OPERATION_TIMEDOUT: self = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT:
            self = .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: self = .connectionReset
        default: return nil
        }
    }

    /// The protocol's code for a transport failure, or `.other` with libcurl's words.
    static func code<Code: TransportFailureCode>(_ code: CURLcode) -> Code {
        switch CurlFailure(code) {
        case .invalidURL: .invalidURL
        case .resolve: .resolve
        case .connect: .connect
        case .timeout: .timeout
        case .tls: .tls
        case .connectionReset: .connectionReset
        case nil: .other(curlCode: Int(code.rawValue), message: words(code))
        }
    }

    /// libcurl's words for a code no case above covers.
    static func words(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    /// "`url`: what happened (detail)", the URL and any URL in the detail with their secrets masked.
    static func describe(url: String, what: String, detail: String) -> String {
        let shown = URLMasking.mask(url)
        let detail = URLMasking.maskURLs(in: detail)
        return detail.isEmpty || detail == what ? "\(shown): \(what)" : "\(shown): \(what) (\(detail))"
    }
}

/// An error code that names the transport failures (``FetchError/Code``, ``MailError/Code``):
/// their enum cases are the witnesses.
protocol TransportFailureCode {
    static var invalidURL: Self { get }
    static var resolve: Self { get }
    static var connect: Self { get }
    static var timeout: Self { get }
    static var tls: Self { get }
    static var connectionReset: Self { get }
    static func other(curlCode: Int, message: String) -> Self
}

extension FetchError.Code: TransportFailureCode {}
extension MailError.Code: TransportFailureCode {}
