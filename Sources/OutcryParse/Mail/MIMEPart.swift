/// One MIME entity of a parsed message: its headers, its content type, and either its raw
/// body (a leaf) or its children (a multipart's parts, a `message/*`'s enclosed message).
///
/// Bodies are kept as slices of the original bytes, undecoded; ``MailParser`` decodes only
/// the parts it needs (the text and HTML bodies) and counts the rest.
public struct MIMEPart: Sendable {
    /// Part number, IMAP style: `""` for the message, `"1"`, `"1.2"`, …
    public var path: String
    public var headers: MailHeaders
    /// `type/subtype`, lowercased, after Python's rules: a missing header gives the default
    /// (`text/plain`, or `message/rfc822` inside `multipart/digest`), a malformed one `text/plain`.
    public var contentType: String
    /// The `Content-Type` parameters.
    public var parameters: MIMEParameters
    /// The raw (transfer-encoded) body of a leaf; for a multipart, the body it had when its
    /// boundaries could not be found.
    public var body: ArraySlice<UInt8>
    /// Parts of a multipart, or the enclosed message of `message/rfc822` and friends.
    public var children: [MIMEPart]
    /// Whether the body was split into children (false for a multipart whose boundary
    /// is missing or never appears: then `body` holds it all).
    public var isContainer: Bool

    public var mainType: String { String(contentType.prefix { $0 != "/" }) }
    public var subType: String {
        guard let slash = contentType.firstIndex(of: "/") else { return "" }
        return String(contentType[contentType.index(after: slash)...])
    }

    /// `Content-Transfer-Encoding`, lowercased and trimmed (`""` when absent).
    public var transferEncoding: String { (headers["content-transfer-encoding"] ?? "").trimmingMailSpace().lowercased() }

    /// The disposition type (`attachment`, `inline`), lowercased, nil when absent.
    public var disposition: String? {
        headers["content-disposition"].map { MIMEParameters($0).value.lowercased() }
    }

    /// The file name from `Content-Disposition` (RFC 2231 aware), else the `name` parameter.
    public var filename: String? {
        if let cd = headers["content-disposition"], let name = MIMEParameters(cd)["filename"], !name.isEmpty { return name }
        if let name = parameters["name"], !name.isEmpty { return name }
        return nil
    }

    public var isAttachment: Bool { disposition == "attachment" }

    /// The body with its transfer encoding undone (base64, quoted-printable; anything else as is).
    public func decodedBody() -> [UInt8] {
        switch transferEncoding {
        case "base64": return TransferEncoding.decodeBase64(body).bytes
        case "quoted-printable": return TransferEncoding.decodeQuotedPrintable(body)
        default: return Array(body)
        }
    }

    /// The size of the decoded body, computed without keeping it for base64.
    public var decodedSize: Int {
        switch transferEncoding {
        case "base64": return TransferEncoding.decodedBase64Count(body)
        case "quoted-printable": return TransferEncoding.decodeQuotedPrintable(body).count
        default: return body.count
        }
    }

    /// Depth-first walk over this part and every part below it.
    public func walk(_ visit: (MIMEPart) -> Void) {
        visit(self)
        for child in children { child.walk(visit) }
    }
}
