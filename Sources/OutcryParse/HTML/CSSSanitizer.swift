/// Reduces a `style` attribute to declarations that cannot load anything or run script,
/// with feedparser's rules: `url(...)` removed, anything outside a conservative character
/// gauntlet rejects the whole style, and only allow-listed properties (or background, border,
/// margin and padding with known keywords and plain values) are kept.
enum CSSSanitizer {
    static func sanitize(_ input: String, svg: Bool) -> String {
        let style = removeURLs(Array(input.unicodeScalars))
        guard passesGauntlet(style), isOnlyDeclarations(style) else { return "" }
        var clean: [String] = []
        for (prop, value) in declarations(style) where !value.isEmpty {
            let lower = prop.lowercased()
            if HTMLSanitizer.acceptableCSSProperties.contains(lower) {
                clean.append(prop + ": " + value + ";")
            } else if ["background", "border", "margin", "padding"].contains(String(lower.split(separator: "-", omittingEmptySubsequences: false).first ?? "")) {
                let ok = value.split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.isPythonSpace) }).allSatisfy { kw in
                    HTMLSanitizer.acceptableCSSKeywords.contains(String(kw)) || isValidValue(String(kw))
                }
                if ok { clean.append(prop + ": " + value + ";") }
            } else if svg && HTMLSanitizer.acceptableSVGProperties.contains(lower) {
                clean.append(prop + ": " + value + ";")
            }
        }
        return clean.joined(separator: " ")
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c.isPythonSpace }
    private static func isWord(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// `url\s*\(\s*[^\s)]+?\s*\)\s*` → " "
    private static func removeURLs(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        let n = s.count
        while i < n {
            if i + 3 <= n, s[i] == "u", s[i + 1] == "r", s[i + 2] == "l" {
                var k = i + 3
                while k < n, isSpace(s[k]) { k += 1 }
                if k < n, s[k] == "(" {
                    k += 1
                    while k < n, isSpace(s[k]) { k += 1 }
                    let start = k
                    while k < n, !isSpace(s[k]), s[k] != ")" { k += 1 }
                    if k > start {
                        var m = k
                        while m < n, isSpace(s[m]) { m += 1 }
                        if m < n, s[m] == ")" {
                            m += 1
                            while m < n, isSpace(s[m]) { m += 1 }
                            out.append(" ")
                            i = m
                            continue
                        }
                    }
                }
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// `^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$`
    private static func passesGauntlet(_ s: [Unicode.Scalar]) -> Bool {
        let n = s.count
        var reach = [Bool](repeating: false, count: n + 1)
        reach[0] = true
        for i in 0..<n where reach[i] {
            let c = s[i]
            if (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) || ":,;#%.!".unicodeScalars.contains(c) || isSpace(c) {
                reach[i + 1] = true
            }
            if i + 2 < n, isWord(s[i]), s[i + 1] == "-", isWord(s[i + 2]) { reach[i + 3] = true }
            if c == "'" || c == "\"" {
                var k = i + 1
                while k < n, isSpace(s[k]) || isWord(s[k]) { k += 1 }
                if k > i + 1, k < n, s[k] == c { reach[k + 1] = true }
            }
            if c == "(" {
                var k = i + 1
                while k < n, ("0"..."9").contains(s[k]) || s[k] == "," || isSpace(s[k]) { k += 1 }
                if k > i + 1, k < n, s[k] == ")" { reach[k + 1] = true }
            }
        }
        return reach[n]
    }

    /// Matches `\s*[-\w]+\s*:\s*[^:;]*;?` at `i`.
    private static func declarationEnd(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        let n = s.count
        var k = i
        while k < n, isSpace(s[k]) { k += 1 }
        let ns = k
        while k < n, s[k] == "-" || isWord(s[k]) { k += 1 }
        guard k > ns else { return nil }
        while k < n, isSpace(s[k]) { k += 1 }
        guard k < n, s[k] == ":" else { return nil }
        k += 1
        while k < n, s[k] != ":", s[k] != ";" { k += 1 }
        if k < n, s[k] == ";" { k += 1 }
        return k
    }

    private static func isOnlyDeclarations(_ s: [Unicode.Scalar]) -> Bool {
        var i = 0
        while i < s.count {
            if let e = declarationEnd(s, i), e > i {
                i = e
            } else {
                if !isSpace(s[i]) { return false }
                i += 1
            }
        }
        return true
    }

    /// `([-\w]+)\s*:\s*([^:;]*)` found left to right.
    private static func declarations(_ s: [Unicode.Scalar]) -> [(String, String)] {
        var out: [(String, String)] = []
        let n = s.count
        var i = 0
        while i < n {
            var k = i
            while k < n, s[k] == "-" || isWord(s[k]) { k += 1 }
            if k > i {
                let prop = String(String.UnicodeScalarView(s[i..<k]))
                var m = k
                while m < n, isSpace(s[m]) { m += 1 }
                if m < n, s[m] == ":" {
                    m += 1
                    while m < n, isSpace(s[m]) { m += 1 }
                    let vs = m
                    while m < n, s[m] != ":", s[m] != ";" { m += 1 }
                    out.append((prop, String(String.UnicodeScalarView(s[vs..<m]))))
                    i = m
                    continue
                }
            }
            i += 1
        }
        return out
    }

    /// `^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$`
    static func isValidValue(_ v: String) -> Bool {
        let s = Array(v.unicodeScalars)
        let n = s.count
        func digit(_ i: Int) -> Bool { i < n && ("0"..."9").contains(s[i]) }
        if n >= 2, s[0] == "#" { return s.dropFirst().allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) } }
        if v.hasPrefix("rgb(") {
            var i = 4
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
            if i < n, s[i] == "%" { i += 1 }
            guard i < n, s[i] == "," else { return false }
            i += 1
            while digit(i) { i += 1 }
            if i < n, s[i] == "%" { i += 1 }
            if i < n, s[i] == "," { i += 1 }
            while digit(i) { i += 1 }
            if i < n, s[i] == "%" { i += 1 }
            if i < n, s[i] == ")" { i += 1 }
            return i == n
        }
        var i = 0
        var c = 0
        while digit(i), c < 2 { i += 1; c += 1 }
        if i < n, s[i] == "." { i += 1 }
        c = 0
        while digit(i), c < 2 { i += 1; c += 1 }
        let rest = String(String.UnicodeScalarView(s[i...]))
        return ["", "cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%", ",", ")"].contains(rest)
    }
}
