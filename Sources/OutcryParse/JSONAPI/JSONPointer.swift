import Foundation

/// RFC 6901 JSON pointers over `JSONSerialization` values: `/data/children`, `/account/acct`.
/// The empty pointer is the whole document. `~1` stands for `/` and `~0` for `~`.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    public let tokens: [String]
    public let description: String

    /// Parses a pointer; throws when it does not start with `/` (and is not empty).
    public init(_ text: String) throws(JSONAPIError) {
        description = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw JSONAPIError.badPointer(text) }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// The value the pointer names in `value`, or nil when any step is missing.
    public func resolve(in value: Any) -> Any? {
        var current: Any = value
        for token in tokens {
            if let object = current as? [String: Any] {
                guard let next = object[token] else { return nil }
                current = next
            } else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current is NSNull ? nil : current
    }
}
