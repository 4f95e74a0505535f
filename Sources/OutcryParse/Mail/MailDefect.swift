/// Something wrong with a message that the parser worked around.
///
/// The codes follow the defect classes of Python's `email` package (`MissingHeaderBodySeparator`,
/// `StartBoundaryNotFound`, …) so the two can be compared; `part` is the MIME part number
/// (`"1.2"`, empty for the top level).
///
/// ```swift
/// MailParser.parse(bytes).defects.map(\.code)   // [.missingHeaderBodySeparator]
/// ```
public struct MailDefect: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        case missingHeaderBodySeparator = "MissingHeaderBodySeparator"
        case firstHeaderLineIsContinuation = "FirstHeaderLineIsContinuation"
        case misplacedEnvelopeHeader = "MisplacedEnvelopeHeader"
        case invalidHeader = "InvalidHeader"
        case noBoundaryInMultipart = "NoBoundaryInMultipart"
        case startBoundaryNotFound = "StartBoundaryNotFound"
        case closeBoundaryNotFound = "CloseBoundaryNotFound"
        case invalidMultipartContentTransferEncoding = "InvalidMultipartContentTransferEncoding"
        case invalidBase64 = "InvalidBase64"
        case unknownCharset = "UnknownCharset"
        case undecodableText = "UndecodableText"
        case invalidDate = "InvalidDate"
        case tooDeep = "TooDeep"
        case tooManyParts = "TooManyParts"
        case truncatedText = "TruncatedText"
        case empty = "EmptyMessage"
    }

    public var code: Code
    /// MIME part number, `""` for the message itself.
    public var part: String
    public var detail: String

    public init(_ code: Code, part: String = "", _ detail: String = "") {
        self.code = code
        self.part = part
        self.detail = detail
    }

    /// `"Code"`, `"Code (part 1.2)"`, then `": detail"` when there is one.
    public var description: String {
        var s = code.rawValue
        if !part.isEmpty { s += " (part \(part))" }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }
}
