import Foundation

/// JSON kept as text (a TEXT column, an outbox payload): keys sorted and slashes unescaped, so the
/// same value always gives the same bytes. One encoder and decoder are shared: building them
/// per value cost more than encoding the three small lists of each stored mention.
public enum CanonicalJSON {
    nonisolated(unsafe) private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    nonisolated(unsafe) private static let decoder = JSONDecoder()

    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
