/// Similarity of personal names, 0…1, on folded tokens (`NameNormalizer.tokens`).
///
/// Each token is paired with its most similar token on the other side (Jaro-Winkler; an initial
/// matches a token it begins), both ways; the score is the mean of the average and the weakest
/// pairing, so one differing token ("John" vs "Jane") weighs more than in a plain average and
/// word order ("Smith John") does not matter.
///
/// ```swift
/// NameSimilarity.score(["jon", "smith"], ["john", "smith"])  // ≈ 0.95
/// NameSimilarity.score(["jane", "smith"], ["john", "smith"]) // ≈ 0.78
/// ```
public enum NameSimilarity {
    public static func score<S: StringProtocol>(_ left: [S], _ right: [S]) -> Double {
        guard !left.isEmpty, !right.isEmpty else { return 0 }
        let a = left.map { Array($0.utf8) }
        let b = right.map { Array($0.utf8) }
        return score(tokens: a, b)
    }

    static func score(bytes a: [[UInt8]], _ b: [[UInt8]]) -> Double { score(tokens: a, b) }

    /// The score of two token lists, whatever holds their bytes (arrays, or buffers into a
    /// match key when a contact index scores its candidates without copying their names).
    @inline(__always)
    static func score<A: RandomAccessCollection, B: RandomAccessCollection, T: RandomAccessCollection>(tokens a: A, _ b: B) -> Double
    where A.Element == T, B.Element == T, T.Element == UInt8, T.Index == Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var total = 0.0
        var weakest = 1.0
        pair(a, b, total: &total, weakest: &weakest)
        pair(b, a, total: &total, weakest: &weakest)
        let mean = total / Double(a.count + b.count)
        return (mean + weakest) / 2
    }

    /// Adds each token's best pairing on the other side to `total`, and keeps the weakest.
    @inline(__always)
    private static func pair<F: RandomAccessCollection, O: RandomAccessCollection, T: RandomAccessCollection>(
        _ from: F, _ to: O, total: inout Double, weakest: inout Double
    ) where F.Element == T, O.Element == T, T.Element == UInt8, T.Index == Int {
        for token in from {
            var best = 0.0
            for other in to {
                best = max(best, tokenScore(token, other))
                if best == 1 { break }
            }
            total += best
            weakest = min(weakest, best)
        }
    }

    static func tokenScore<T: RandomAccessCollection>(_ a: T, _ b: T) -> Double where T.Element == UInt8, T.Index == Int {
        if a.elementsEqual(b) { return 1 }
        if (a.count == 1 && ASCII.isLetter(a[a.startIndex])) || (b.count == 1 && ASCII.isLetter(b[b.startIndex])) {
            return a.first == b.first ? 0.85 : 0
        }
        if a.allSatisfy(ASCII.isDigit) && b.allSatisfy(ASCII.isDigit) { return 0 } // "2" and "3" are not alike
        return jaroWinkler(a, b)
    }

    /// Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up to 4 characters).
    public static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        jaroWinkler(a[...], b[...])
    }

    static func jaroWinkler<T: RandomAccessCollection>(_ a: T, _ b: T) -> Double where T.Element == UInt8, T.Index == Int {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let a0 = a.startIndex, b0 = b.startIndex
        let window = max(0, max(a.count, b.count) / 2 - 1)
        // Names are short: the matched flags fit in two words, with no allocation per pair
        // (this runs for every candidate of every fuzzy link).
        if a.count <= 64 && b.count <= 64 {
            var aMatched: UInt64 = 0, bMatched: UInt64 = 0
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window), high = min(b.count - 1, i + window)
                if low > high { continue }
                for j in low...high where bMatched & (1 << UInt64(j)) == 0 && a[a0 + i] == b[b0 + j] {
                    aMatched |= 1 << UInt64(i)
                    bMatched |= 1 << UInt64(j)
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<a.count where aMatched & (1 << UInt64(i)) != 0 {
                while bMatched & (1 << UInt64(j)) == 0 { j += 1 }
                if a[a0 + i] != b[b0 + j] { transpositions += 1 }
                j += 1
            }
            return winkler(a, b, matches: matches, transpositions: transpositions)
        }
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let low = max(0, i - window), high = min(b.count - 1, i + window)
            if low > high { continue }
            for j in low...high where !bMatched[j] && a[a0 + i] == b[b0 + j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[a0 + i] != b[b0 + j] { transpositions += 1 }
            j += 1
        }
        return winkler(a, b, matches: matches, transpositions: transpositions)
    }

    private static func winkler<T: RandomAccessCollection>(_ a: T, _ b: T, matches: Int, transpositions: Int) -> Double
    where T.Element == UInt8, T.Index == Int {
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[a.startIndex + prefix] == b[b.startIndex + prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Calls `body` with the space-separated tokens of a match key as buffers into it (no
    /// allocation for names of up to a few dozen tokens: the list lives on the stack).
    static func withTokens<R>(of key: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) -> R) -> R {
        var capacity = 1
        for byte in key where byte == UInt8(ascii: " ") { capacity += 1 }
        return withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: capacity) { tokens in
            var count = 0
            var start = 0
            for i in 0..<key.count where key[i] == UInt8(ascii: " ") {
                if i > start {
                    tokens.initializeElement(at: count, to: UnsafeBufferPointer(rebasing: key[start..<i]))
                    count += 1
                }
                start = i + 1
            }
            if key.count > start {
                tokens.initializeElement(at: count, to: UnsafeBufferPointer(rebasing: key[start...]))
                count += 1
            }
            return body(UnsafeBufferPointer(rebasing: tokens[..<count]))
        }
    }
}

extension NameSimilarity {
    /// Whether two names differ by at most one slip: every token equal (in any order) except one
    /// pair one typing error apart (a letter dropped, added, changed, or two swapped), or one
    /// extra initial. "Jon Smith" and "John Smith" do; "Sarah Brown" and "Sandra Brown", or
    /// "Martin" and "Martinez", do not.
    static func withinOneSlip(_ a: [[UInt8]], _ b: [[UInt8]]) -> Bool {
        var left = a
        var right = b
        left.removeAll { token in
            guard let match = right.firstIndex(of: token) else { return false }
            right.remove(at: match)
            return true
        }
        switch (left.count, right.count) {
        case (0, 0): return true
        case (1, 0): return left[0].count == 1 && !b.isEmpty
        case (0, 1): return right[0].count == 1 && !a.isEmpty
        case (1, 1):
            let x = left[0], y = right[0]
            if x.count == 1 || y.count == 1 { return x.first == y.first }
            return min(x.count, y.count) >= 3 && isOneEditApart(x, y)
        default: return false
        }
    }

    /// Damerau–Levenshtein distance of exactly one (or zero).
    static func isOneEditApart(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        if abs(x.count - y.count) > 1 { return false }
        var i = 0
        while i < min(x.count, y.count), x[i] == y[i] { i += 1 }
        if i == x.count && i == y.count { return true }
        if x.count == y.count {
            if x[(i + 1)...] == y[(i + 1)...] { return true } // substitution
            return i + 1 < x.count && x[i] == y[i + 1] && x[i + 1] == y[i] && x[(i + 2)...] == y[(i + 2)...] // transposition
        }
        return x.count > y.count ? x[(i + 1)...] == y[i...] : x[i...] == y[(i + 1)...] // deletion / insertion
    }
}
