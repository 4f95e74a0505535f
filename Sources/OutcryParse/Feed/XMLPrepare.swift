/// Makes a UTF-8 XML document safe and forgiving before libxml2 sees it.
///
/// - The DOCTYPE is blanked out (its bytes become spaces): no external subset, no entity
///   expansion, no billion laughs. Its safe internal entities (`<!ENTITY name "text">` or a
///   single character reference, feedparser's rule) are kept in a table instead.
/// - Named references other than the five XML ones are rewritten: declared safe entities and
///   HTML entities (`&nbsp;`, `&eacute;`) to their characters as numeric references, unknown
///   names to literal text (`&amp;name;`), a bare `&` to `&amp;`. Each of these makes the
///   document not well-formed, so the first is reported.
/// - Comments, CDATA sections and processing instructions are left alone.
///
/// Expansion of declared entities is bounded (`Limits`): entity values never contain
/// references (depth 1: a value with `&` other than one character reference is not kept),
/// each reference written in the document expands once, and the bytes all expansions add
/// together may not pass `max(1 MiB, 10 × the document)`, nor their number 1,000,000. Past
/// either limit nothing more is expanded and `Output.refused` names the entity and the limit:
/// the caller refuses the document instead of allocating.
enum XMLPrepare {
    /// The bounds on entity expansion, relative to the document's size.
    struct Limits: Sendable {
        /// Bytes all expansions of declared entities may add, in total.
        var maxExpandedBytes: Int
        /// References to declared entities that may be expanded.
        var maxReferences: Int

        static let minimumExpandedBytes = 1 << 20
        static let expansionFactor = 10
        static let defaultMaxReferences = 1_000_000

        /// `max(1 MiB, 10 × inputBytes)` bytes and 1,000,000 references.
        static func forInput(bytes inputBytes: Int) -> Limits {
            let relative = inputBytes.multipliedReportingOverflow(by: expansionFactor)
            let bytes = relative.overflow ? Int.max : max(minimumExpandedBytes, relative.partialValue)
            return Limits(maxExpandedBytes: bytes, maxReferences: defaultMaxReferences)
        }
    }

    struct Output {
        var bytes: [UInt8]
        var netscape = false
        var error: String?
        /// Set when an entity expansion limit was reached: the document must not be used.
        var refused: String?
    }

    static func prepare(_ input: [UInt8], limits: Limits? = nil) -> Output {
        let limits = limits ?? Limits.forInput(bytes: input.count)
        var expandedBytes = 0
        var expansions = 0
        var sizes: [String: Int] = [:]
        var d = input
        var out = Output(bytes: [])
        var entities: [String: String] = [:]
        let n = d.count

        // Head: everything before the first element.
        var firstElement = n
        var i = 0
        while i + 1 < n {
            if d[i] == UInt8(ascii: "<") && isNameStart(d[i + 1]) { firstElement = i; break }
            i += 1
        }
        var doctypes = 0
        var declared: [(String, String)] = []
        i = 0
        while i < firstElement {
            if d[i] == UInt8(ascii: "<") && i + 1 < n && d[i + 1] == UInt8(ascii: "!") {
                if matchesCI(d, i + 2, "doctype") {
                    doctypes += 1
                    let end = doctypeEnd(d, i)
                    let text = String(decoding: d[i..<end], as: UTF8.self)
                    let headerEnd = text.firstIndex(of: "[") ?? text.endIndex
                    if text[..<headerEnd].lowercased().contains("netscape") { out.netscape = true }
                    declared += entityDeclarations(text)
                    for k in i..<end where d[k] != 0x0A { d[k] = 0x20 }
                    i = end
                    continue
                }
                if matchesCI(d, i + 2, "entity") {
                    let end = d[i...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? firstElement
                    declared += entityDeclarations(String(decoding: d[i..<end], as: UTF8.self))
                    for k in i..<end where d[k] != 0x0A { d[k] = 0x20 }
                    i = end
                    continue
                }
            }
            i += 1
        }
        if doctypes == 1 {
            for (name, value) in declared where entities[name] == nil { entities[name] = value }
        }

        // Body: rewrite references.
        var result: [UInt8] = []
        var copiedUpTo = 0
        i = firstElement < n ? firstElement : 0
        while i < n {
            // Most bytes are neither '<' nor '&': skip them without bounds checks.
            i = d.withUnsafeBufferPointer { b -> Int in
                var k = i
                while k < n {
                    let x = b[k]
                    if x == UInt8(ascii: "<") || x == UInt8(ascii: "&") { break }
                    k += 1
                }
                return k
            }
            if i >= n { break }
            let c = d[i]
            if c == UInt8(ascii: "<") {
                if i + 3 < n && d[i + 1] == UInt8(ascii: "!") && d[i + 2] == UInt8(ascii: "-") && d[i + 3] == UInt8(ascii: "-") {
                    i = find(d, "-->", from: i + 4).map { $0 + 3 } ?? n
                    continue
                }
                if matches(d, i, "<![CDATA[") {
                    i = find(d, "]]>", from: i + 9).map { $0 + 3 } ?? n
                    continue
                }
                if i + 1 < n && d[i + 1] == UInt8(ascii: "?") {
                    i = find(d, "?>", from: i + 2).map { $0 + 2 } ?? n
                    continue
                }
                i += 1
                continue
            }
            if c != UInt8(ascii: "&") { i += 1; continue }
            // a reference?
            var k = i + 1
            if k < n && d[k] == UInt8(ascii: "#") {
                k += 1
                var hex = false
                if k < n && (d[k] == UInt8(ascii: "x") || d[k] == UInt8(ascii: "X")) { hex = true; k += 1 }
                let s = k
                while k < n, hex ? isHex(d[k]) : isDigit(d[k]) { k += 1 }
                if k > s && k < n && d[k] == UInt8(ascii: ";") { i = k + 1; continue }
            } else if k < n && isNameStart(d[k]) {
                while k < n, isNameChar(d[k]) { k += 1 }
                if k < n && d[k] == UInt8(ascii: ";") {
                    let name = String(decoding: d[(i + 1)..<k], as: UTF8.self)
                    switch name {
                    case "amp", "lt", "gt", "quot", "apos":
                        i = k + 1
                        continue
                    default:
                        break
                    }
                    if let value = entities[name] {
                        expansions += 1
                        expandedBytes += escapedCount(value, name: name, cache: &sizes)
                        if expandedBytes > limits.maxExpandedBytes || expansions > limits.maxReferences {
                            out.refused = refusal(
                                name: name, value: value, references: references(to: name, in: d, from: i),
                                inputBytes: n, limits: limits, countLimit: expansions > limits.maxReferences)
                            out.bytes = []
                            return out
                        }
                        result.append(contentsOf: d[copiedUpTo..<i])
                        appendEscaped(value, to: &result)
                        i = k + 1
                        copiedUpTo = i
                        continue
                    }
                    result.append(contentsOf: d[copiedUpTo..<i])
                    if let scalar = HTMLEntities.table[name] {
                        result.append(contentsOf: "&#\(scalar);".utf8)
                        if out.error == nil { out.error = "undefined entity &\(name);" }
                    } else {
                        result.append(contentsOf: "&amp;".utf8)
                        result.append(contentsOf: d[(i + 1)...k])
                        if out.error == nil { out.error = "undefined entity &\(name);" }
                    }
                    i = k + 1
                    copiedUpTo = i
                    continue
                }
            }
            // bare ampersand
            result.append(contentsOf: d[copiedUpTo..<i])
            result.append(contentsOf: "&amp;".utf8)
            if out.error == nil { out.error = "not well-formed (invalid token): bare '&'" }
            i += 1
            copiedUpTo = i
        }
        if copiedUpTo == 0 {
            out.bytes = d
        } else {
            result.append(contentsOf: d[copiedUpTo...])
            out.bytes = result
        }
        return out
    }

    /// The bytes `appendEscaped` writes for `value`.
    private static func escapedCount(_ value: String, name: String, cache: inout [String: Int]) -> Int {
        if let known = cache[name] { return known }
        var count = 0
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "&"): count += 5
            case UInt8(ascii: "<"): count += 4
            default: count += 1
            }
        }
        cache[name] = count
        return count
    }

    /// References to `name` from `start` on (for the error message; one linear scan).
    private static func references(to name: String, in d: [UInt8], from start: Int) -> Int {
        let needle = Array("&\(name);".utf8)
        var count = 0
        var i = start
        while i + needle.count <= d.count {
            if d[i] == UInt8(ascii: "&") && d[i..<(i + needle.count)].elementsEqual(needle) {
                count += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return count
    }

    private static func refusal(
        name: String, value: String, references: Int, inputBytes: Int, limits: Limits, countLimit: Bool
    ) -> String {
        if countLimit {
            return "entity expansion refused: more than \(limits.maxReferences) references to declared entities "
                + "(at &\(name);); the limit is \(limits.maxReferences) expansions per document"
        }
        return "entity expansion refused: &\(name); (\(value.utf8.count) bytes) has \(references) references left to expand "
            + "and the expansions would pass \(limits.maxExpandedBytes) bytes; the limit is max(1 MiB, "
            + "\(Limits.expansionFactor) × the \(inputBytes)-byte document)"
    }

    private static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            default: out.append(b)
            }
        }
    }

    /// `\s+(\w+)\s+"(&#\w+;|[^&"]*)"` inside `<!ENTITY …>` declarations.
    static func entityDeclarations(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = Substring(text)
        while let r = rest.range(of: "<!ENTITY") {
            rest = rest[r.upperBound...]
            let decl = rest.prefix(while: { $0 != ">" })
            let scalars = Array(decl.unicodeScalars)
            var k = 0
            guard k < scalars.count, scalars[k].isPythonSpace else { continue }
            while k < scalars.count, scalars[k].isPythonSpace { k += 1 }
            let ns = k
            while k < scalars.count, scalars[k] == "_" || scalars[k].properties.isAlphabetic || scalars[k].properties.numericType != nil { k += 1 }
            guard k > ns, k < scalars.count, scalars[k].isPythonSpace else { continue }
            let name = String(String.UnicodeScalarView(scalars[ns..<k]))
            while k < scalars.count, scalars[k].isPythonSpace { k += 1 }
            guard k < scalars.count, scalars[k] == "\"" else { continue }
            k += 1
            let vs = k
            while k < scalars.count, scalars[k] != "\"" { k += 1 }
            guard k < scalars.count else { continue }
            let value = String(String.UnicodeScalarView(scalars[vs..<k]))
            if !value.contains("&") {
                result.append((name, value))
            } else if value.hasPrefix("&#"), value.hasSuffix(";"), value.dropFirst().dropLast().dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                value.filter({ $0 == "&" }).count == 1
            {
                result.append((name, HTMLEntities.decode(value)))
            }
        }
        return result
    }

    private static func doctypeEnd(_ d: [UInt8], _ start: Int) -> Int {
        var i = start + 2
        var bracket = 0
        var quote: UInt8 = 0
        while i < d.count {
            let c = d[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: "[") {
                bracket += 1
            } else if c == UInt8(ascii: "]") {
                bracket -= 1
            } else if c == UInt8(ascii: ">") && bracket <= 0 {
                return i + 1
            }
            i += 1
        }
        return d.count
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }
    static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }

    private static func matches(_ d: [UInt8], _ i: Int, _ s: StaticString) -> Bool {
        let c = s.utf8CodeUnitCount
        guard i + c <= d.count else { return false }
        for k in 0..<c where d[i + k] != s.utf8Start[k] { return false }
        return true
    }

    private static func matchesCI(_ d: [UInt8], _ i: Int, _ s: StaticString) -> Bool {
        let c = s.utf8CodeUnitCount
        guard i + c <= d.count else { return false }
        for k in 0..<c {
            var b = d[i + k]
            if b >= 0x41 && b <= 0x5A { b += 32 }
            if b != s.utf8Start[k] { return false }
        }
        return true
    }

    private static func find(_ d: [UInt8], _ s: StaticString, from: Int) -> Int? {
        let c = s.utf8CodeUnitCount
        let first = s.utf8Start[0]
        var i = from
        while i + c <= d.count {
            if d[i] == first {
                var ok = true
                for k in 1..<c where d[i + k] != s.utf8Start[k] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }
}
