import Foundation
import OutcryModel

/// Replaces personal data in text that leaves Outcry (notifications) with placeholders:
/// `[email]`, `[card]`, `[phone]`, `[handle]`, `[address]`, `[postcode]`.
///
/// On by default (`RedactionPolicy.enabled`). Patterns run in a fixed order so an e-mail address
/// is not half-taken for a handle, and a card number not for a phone number.
///
/// ```swift
/// Redactor().redact("mail me at ann@example.org")   // "mail me at [email]"
/// ```
public struct Redactor: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case email, card, phone, handle, address, postcode
    }

    public var kinds: Set<Kind>
    private let rules: [(Kind, CompiledPattern)]

    public init(kinds: Set<Kind> = Set(Kind.allCases)) {
        self.kinds = kinds
        rules = Self.patterns.filter { kinds.contains($0.0) }
    }

    static let streetWords = "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Close|Crescent|Terrace|Square|Sq|Straße|Strasse|Rue"

    static let patterns: [(Kind, CompiledPattern)] = [
        (.email, CompiledPattern(#"(?<![@\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"#)),
        // 13–19 digits, optionally grouped by spaces or dashes.
        (.card, CompiledPattern(#"(?<![\d])\d(?:[ \-]?\d){12,18}(?![\d])"#)),
        // International or local numbers with at least 7 digits.
        (.phone, CompiledPattern(#"(?<![\w])(?:\+|00)?\d[\d \-().]{5,}\d(?![\d])"#)),
        // @user and @user@instance (fediverse); u/user (Reddit).
        (.handle, CompiledPattern(#"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?|(?<![\w/])u/[A-Za-z0-9_\-]{3,}"#)),
        // "12 Baker Street", "221b Baker St., Flat 2" — a house number, 1–4 capitalised words, a street word.
        (.address, CompiledPattern(#"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\p{L}'\-]+\s+){1,4}(?:\#(streetWords))\b\.?"#)),
        // UK postcodes (SW1A 1AA).
        (.postcode, CompiledPattern(#"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"#)),
    ]

    /// Dates (`2026-03-23`, `2026-03-23 10:00`) look like phone numbers but are not personal.
    static let isoDate = CompiledPattern(#"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}[:.]\d{2})?$"#)

    /// The text with every enabled kind of personal data replaced.
    public func redact(_ text: String) -> String {
        var out = text
        for (kind, pattern) in rules {
            out = pattern.replace(in: out, with: "[\(kind.rawValue)]") { found in
                kind != .phone || (Self.digitCount(found) >= 7 && Self.isoDate.regex.firstMatch(in: found, range: NSRange(location: 0, length: (found as NSString).length)) == nil)
            }
        }
        return out
    }

    static func digitCount(_ s: String) -> Int { s.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.count }
}

/// Whether notifications redact, and which kinds. `enabled: false` sends text as written.
public struct RedactionPolicy: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var kinds: [Redactor.Kind]?

    public init(enabled: Bool = true, kinds: [Redactor.Kind]? = nil) {
        self.enabled = enabled
        self.kinds = kinds
    }

    public func apply(_ text: String) -> String {
        guard enabled else { return text }
        return Redactor(kinds: Set(kinds ?? Redactor.Kind.allCases)).redact(text)
    }

    /// The alert with every field that can leave the machine redacted: title, excerpt, the
    /// evidence of every reason, the contact's basis (which quotes the matched address, number
    /// or handle). Outbox rows are stored in this form, so raw personal data never waits there.
    public func apply(to alert: ThreadAlert) -> ThreadAlert {
        guard enabled else { return alert }
        let redactor = Redactor(kinds: Set(kinds ?? Redactor.Kind.allCases))
        var out = alert
        out.title = redactor.redact(alert.title)
        out.excerpt = redactor.redact(alert.excerpt)
        out.reasons = alert.reasons.map { Reason(rule: $0.rule, evidence: redactor.redact($0.evidence), weight: $0.weight) }
        if var contact = alert.contact {
            contact.basis = contact.basis.map(redactor.redact)
            out.contact = contact
        }
        return out
    }
}

/// A compiled `NSRegularExpression` (immutable, safe to share between threads).
struct CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String) {
        // The patterns are constants checked by the tests.
        regex = try! NSRegularExpression(pattern: pattern)
    }

    /// Replaces the matches that `accept` agrees to.
    func replace(in text: String, with replacement: String, accept: (String) -> Bool) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let found = ns.substring(with: m.range)
            guard accept(found) else { continue }
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += replacement
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }
}
