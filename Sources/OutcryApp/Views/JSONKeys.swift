import Foundation

/// The key style of the CLI's JSON output: snake_case, with initialisms kept whole
/// (`mergedExternalIDs` → `merged_external_ids`, `threadURL` → `thread_url`), where
/// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes `merged_external_i_ds`.
public enum JSONKeys {
    public static let snakeCase = JSONEncoder.KeyEncodingStrategy.custom { path in
        Key(snake(path.last?.stringValue ?? ""))
    }

    public static func snake(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase {
                let previous = i > 0 ? chars[i - 1] : nil
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the
                // last capital of a run that a lower-case letter follows (`URLValue` → url_value),
                // except a plural `s` after an initialism (`IDs` stays one word).
                let afterLower = previous.map { $0.isLowercase || $0.isNumber } ?? false
                let endsRun = (previous?.isUppercase ?? false) && (next?.isLowercase ?? false) && !(next == "s" && i + 2 == chars.count)
                if i > 0 && (afterLower || endsRun) && !out.hasSuffix("_") { out += "_" }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
