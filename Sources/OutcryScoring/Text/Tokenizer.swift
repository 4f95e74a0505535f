/// Token-level facts found while tokenising (not attributes of the word itself).
struct TokenFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let allCaps = TokenFlags(rawValue: 1 << 0)
    static let elongated = TokenFlags(rawValue: 1 << 1)
    static let mention = TokenFlags(rawValue: 1 << 2)
    static let hashtag = TokenFlags(rawValue: 1 << 3)
    static let emoji = TokenFlags(rawValue: 1 << 4)
    static let number = TokenFlags(rawValue: 1 << 5)
    /// Ends in "n't": a negation whatever the word.
    static let negatedNT = TokenFlags(rawValue: 1 << 6)
    static let emoticon = TokenFlags(rawValue: 1 << 7)
}

/// One token: a span of the normalised (lowercased) text and its vocabulary id.
struct Token {
    var start: Int32
    var length: Int32
    /// Vocabulary id, or -1 for a word the rules do not know.
    var id: Int32
    var flags: TokenFlags
    /// FNV-1a of the token's normalised bytes (0 for numbers and @handles, which are not looked up).
    var hash: UInt64 = 0
}

/// Counts gathered in the same pass.
struct TextStats {
    var exclamations = 0
    var questions = 0
    var latinLetters = 0
    var otherLetters = 0
    var capsTokens = 0
    var letterTokens = 0
    /// An emoticon token holds `"` or `\` (the only token bytes a JSON string must escape).
    var escapable = false
}

/// Splits UTF-8 bytes into tokens without making strings.
///
/// Whitespace-separated chunks that are emoticons in the lexicon (`:-(`, `<3`) stay whole;
/// otherwise a chunk is split into words (letters, digits, inner `'` and `-`; `’` becomes
/// `'`), single emoji, and `@mentions`/`#hashtags`. Words are lowercased into `norm` (one
/// space after each), hashed and looked up once. Elongated words ("sooooo") are retried with
/// their letter runs shortened. URLs are skipped. "3days" is split into a number and a word.
struct Tokenizer {
    let vocabulary: Vocabulary

    /// Capacity the caller must provide for `norm` and `tokens` given `n` input bytes.
    static func normCapacity(_ n: Int) -> Int { 2 * n + 16 }
    static func tokenCapacity(_ n: Int) -> Int { n + 4 }

    func tokenize(
        _ src: UnsafeBufferPointer<UInt8>, norm: UnsafeMutablePointer<UInt8>,
        tokens: UnsafeMutablePointer<Token>, stats: inout TextStats
    ) -> Int {
        guard let p = src.baseAddress else { return 0 }
        let n = src.count
        var out = 0
        var count = 0
        var i = 0
        let byteClass = Self.byteClass
        while i < n {
            while i < n && p[i] <= 0x20 { i += 1 }
            if i >= n { break }
            let a = i
            var punct = false
            while i < n {
                let k = byteClass[Int(p[i])]
                if k & Self.separator != 0 { break }
                if k & Self.punctuation != 0 {
                    punct = true
                    // Every '!' and '?' is in a chunk (both are above 0x20): counted here.
                    let c = p[i]
                    if c == 0x21 { stats.exclamations += 1 } else if c == 0x3F { stats.questions += 1 }
                }
                i += 1
            }
            let b = i
            if isURL(p + a, b - a) { continue }
            if punct && b - a <= 6 && hasPunctOnlyShape(p + a, b - a) {
                // Emoticon chunk? (The shape first: most short chunks with punctuation are words.)
                for k in 0..<(b - a) { norm[out + k] = lower(p[a + k]) }
                let hash = fnv1a(norm + out, b - a)
                let id = vocabulary.lookup(norm + out, b - a, hash: hash)
                if id >= 0 && vocabulary.flags[Int(id)].contains(.valence) {
                    for k in 0..<(b - a) where norm[out + k] == 0x22 || norm[out + k] == 0x5C { stats.escapable = true }
                    tokens[count] = Token(start: Int32(out), length: Int32(b - a), id: id, flags: .emoticon, hash: hash)
                    count += 1
                    out += b - a
                    norm[out] = 0x20
                    out += 1
                    continue
                }
            }
            splitChunk(p, a, b, norm: norm, out: &out, tokens: tokens, count: &count, stats: &stats)
        }
        return count
    }

    /// Each byte's class for the chunk scan: `separator` (0x00–0x20, ends a chunk) or
    /// `punctuation` (ASCII above 0x20 that is not a letter or digit); 0 for letters, digits and
    /// every byte of a non-ASCII character.
    static let separator: UInt8 = 1, punctuation: UInt8 = 2
    nonisolated(unsafe) static let byteClass: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)  // kept for the process's life
        for b in 0..<256 {
            let c = UInt8(b)
            let alnum = (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26
            table[b] = c <= 0x20 ? separator : c < 0x80 && !alnum ? punctuation : 0
        }
        return UnsafePointer(table)
    }()

    /// A byte that can end the local part of an e-mail address (letters, digits, `.`, `_`, `-`,
    /// `+`, `%`, or any byte of a non-ASCII character).
    @inline(__always) static func isAddressByte(_ c: UInt8) -> Bool {
        c >= 0x80 || (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26 || c == 0x2E || c == 0x5F || c == 0x2D || c == 0x2B || c == 0x25
    }

    @inline(__always) private func isAlnum(_ c: UInt8) -> Bool {
        (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26
    }

    @inline(__always) private func lower(_ c: UInt8) -> UInt8 {
        (c &- 0x41) < 26 ? c | 0x20 : c
    }

    private func isURL(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n >= 5 && (p[0] | 0x20) == 0x68 && (p[1] | 0x20) == 0x74 && (p[2] | 0x20) == 0x74 && (p[3] | 0x20) == 0x70 {
            return p[4] == 0x3A || ((p[4] | 0x20) == 0x73 && n >= 6 && p[5] == 0x3A)
        }
        return n >= 4 && (p[0] | 0x20) == 0x77 && (p[1] | 0x20) == 0x77 && (p[2] | 0x20) == 0x77 && p[3] == 0x2E
    }

    /// An emoticon has at most two letters (":D", "xD", "<3"), so "ok." is not one.
    private func hasPunctOnlyShape(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var letters = 0
        for k in 0..<n where ((p[k] | 0x20) &- 0x61) < 26 { letters += 1 }
        return letters <= 2
    }

    /// Decodes one scalar starting at a lead byte ≥ 0x80; returns (scalar, length).
    @inline(__always) private func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        let c = UInt32(p[i])
        if c < 0xE0, i + 1 < end { return (((c & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2) }
        if c < 0xF0, i + 2 < end {
            return (((c & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        if i + 3 < end {
            return (((c & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
                | (UInt32(p[i + 3]) & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    private enum ScalarClass { case latin, otherLetter, emoji, ignorable, separator, apostrophe }

    @inline(__always) private func classify(_ s: UInt32) -> ScalarClass {
        switch s {
        case 0x2018, 0x2019: return .apostrophe
        case 0xFE00...0xFE0F, 0x200B...0x200D, 0x1F3FB...0x1F3FF, 0x20E3, 0xE0000...0xE007F: return .ignorable
        case 0x2190...0x21FF, 0x2300...0x23FF, 0x2600...0x27BF, 0x2B00...0x2BFF, 0x1F000...0x1FAFF, 0x3030, 0x303D:
            return .emoji
        case 0x00C0...0x024F where s != 0xD7 && s != 0xF7: return .latin
        case 0x0080...0x00BF, 0x2000...0x206F, 0x20A0...0x20CF, 0x3000...0x303F, 0xFF00...0xFF0F, 0xFFFD: return .separator
        case 0x0250...0x036F: return .latin
        default: return .otherLetter
        }
    }

    private func splitChunk(
        _ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int, norm: UnsafeMutablePointer<UInt8>, out: inout Int,
        tokens: UnsafeMutablePointer<Token>, count: inout Int, stats: inout TextStats
    ) {
        var j = a
        var prefix = TokenFlags(rawValue: 0)
        while j < b {
            let c = p[j]
            if c < 0x80 {
                if !isAlnum(c) {
                    if c == 0x40 {
                        // An `@` right after a word character is inside an e-mail address
                        // (jane.doe@doefamily.net), not an @mention.
                        prefix = j > a && Self.isAddressByte(p[j - 1]) ? TokenFlags(rawValue: 0) : .mention
                    } else if c == 0x23 { prefix = .hashtag } else { prefix = TokenFlags(rawValue: 0) }
                    j += 1
                    continue
                }
            } else {
                let (s, len) = decode(p, j, b)
                switch classify(s) {
                case .ignorable, .separator, .apostrophe:
                    prefix = TokenFlags(rawValue: 0)
                    j += len
                    continue
                case .emoji:
                    for k in 0..<len { norm[out + k] = p[j + k] }
                    let hash = fnv1a(norm + out, len)
                    let id = vocabulary.lookup(norm + out, len, hash: hash)
                    tokens[count] = Token(start: Int32(out), length: Int32(len), id: id, flags: .emoji, hash: hash)
                    count += 1
                    out += len
                    norm[out] = 0x20
                    out += 1
                    j += len
                    prefix = TokenFlags(rawValue: 0)
                    continue
                case .latin, .otherLetter:
                    break
                }
            }
            // A word starts at j.
            let start = out
            var upper = 0
            var lowerCount = 0
            var digits = 0
            var letters = 0
            var last: UInt8 = 0
            var run = 0
            var elongated = false
            // FNV-1a of the bytes written to norm from `start`, kept as they are written.
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            @inline(__always) func hash(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            wordLoop: while j < b {
                let c = p[j]
                if c < 0x80 {
                    if (c &- 0x61) < 26 {
                        // A lower-case ASCII letter, the usual byte: the letter case below, made short.
                        if digits > 0 && letters == 0 && out > start { break wordLoop }  // "3days" → "3", "days"
                        letters += 1
                        lowerCount += 1
                        if c == last { run += 1; if run >= 3 { elongated = true } } else { run = 1; last = c }
                        norm[out] = c
                        hash(c)
                        out += 1
                        j += 1
                        continue
                    }
                    if (c &- 0x30) < 10 {
                        digits += 1
                    } else if ((c | 0x20) &- 0x61) < 26 {
                        if digits > 0 && letters == 0 && out > start { break wordLoop }  // "3days" → "3", "days"
                        letters += 1
                        if c < 0x61 { upper += 1 } else { lowerCount += 1 }
                    } else if (c == 0x27 || c == 0x2D) && out > start && j + 1 < b && isAlnum(p[j + 1]) {
                        norm[out] = c
                        hash(c)
                        out += 1
                        j += 1
                        last = c
                        run = 1
                        continue
                    } else {
                        break wordLoop
                    }
                    let l = lower(c)
                    if l == last { run += 1; if run >= 3 && letters > 0 { elongated = true } } else { run = 1; last = l }
                    norm[out] = l
                    hash(l)
                    out += 1
                    j += 1
                } else {
                    let (s, len) = decode(p, j, b)
                    switch classify(s) {
                    case .apostrophe:
                        if out > start && j + len < b && isAlnum(p[j + len]) {
                            norm[out] = 0x27
                            hash(0x27)
                            out += 1
                            j += len
                            last = 0x27
                            continue
                        }
                        break wordLoop
                    case .latin:
                        stats.latinLetters += 1
                        letters += 1
                        lowerCount += 1
                        // Latin-1 capitals (C3 80...C3 9E) lowercase by +0x20 on the second byte.
                        if len == 2 && p[j] == 0xC3 && p[j + 1] >= 0x80 && p[j + 1] <= 0x9E {
                            norm[out] = 0xC3
                            norm[out + 1] = p[j + 1] | 0x20
                            hash(0xC3)
                            hash(p[j + 1] | 0x20)
                        } else {
                            for k in 0..<len { norm[out + k] = p[j + k]; hash(p[j + k]) }
                        }
                    case .otherLetter:
                        stats.otherLetters += 1
                        letters += 1
                        for k in 0..<len { norm[out + k] = p[j + k]; hash(p[j + k]) }
                    default:
                        break wordLoop
                    }
                    out += len
                    j += len
                    last = 0
                    run = 0
                }
            }
            var length = out - start
            if length == 0 { j += 1; continue }
            stats.latinLetters += upper + lowerCount
            var flags = prefix
            prefix = TokenFlags(rawValue: 0)
            if letters > 0 {
                stats.letterTokens += 1
                if upper >= 2 && lowerCount == 0 { flags.insert(.allCaps); stats.capsTokens += 1 }
            }
            if length >= 3 && norm[start + length - 1] == 0x74 && norm[start + length - 2] == 0x27
                && norm[start + length - 3] == 0x6E {
                flags.insert(.negatedNT)
            }
            var id: Int32
            if flags.contains(.mention) {
                id = vocabulary.mentionID
                h = 0
            } else if letters == 0 {
                flags.insert(.number)
                id = vocabulary.numberID
                h = 0
            } else {
                id = vocabulary.lookup(norm + start, length, hash: h)
                if id < 0 && elongated {
                    for keep in 1...2 { let keep = 3 - keep
                        length = collapse(norm + start, start + length - start, keep: keep)
                        h = fnv1a(norm + start, length)
                        id = vocabulary.lookup(norm + start, length, hash: h)
                        if id >= 0 { break }
                    }
                    out = start + length
                    flags.insert(.elongated)
                } else if elongated {
                    flags.insert(.elongated)
                }
            }
            tokens[count] = Token(start: Int32(start), length: Int32(length), id: id, flags: flags, hash: h)
            count += 1
            norm[out] = 0x20
            out += 1
        }
    }

    /// Shortens runs of one byte longer than `keep` to `keep`, in place; returns the new length.
    private func collapse(_ w: UnsafeMutablePointer<UInt8>, _ n: Int, keep: Int) -> Int {
        var o = 0
        var run = 0
        var last: UInt8 = 0
        for k in 0..<n {
            let c = w[k]
            if c == last { run += 1 } else { run = 1; last = c }
            if run <= keep || c >= 0x80 || (c &- 0x30) < 10 { w[o] = c; o += 1 }
        }
        return o
    }
}
