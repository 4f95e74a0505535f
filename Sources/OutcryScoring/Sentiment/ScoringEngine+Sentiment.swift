import Foundation
import OutcryModel

/// Lexicon sentiment with VADER's rules (Hutto & Gilbert 2014), ported to byte tokens:
/// negation within three words ("not good", "never again" via idioms), boosters and
/// dampeners ("extremely", "kind of"), capitals among lower-case words, "but" shifting weight
/// to what follows (×0.5 before, ×1.5 after), "!" and "??" as emphasis, emoji and emoticons,
/// "least", idioms from the configuration. Additions: elongated words ("sooo good") count as
/// emphasised; `#hashtags` are read as words; `@mentions` and URLs are not.
extension ScoringEngine {
    func sentiment(
        _ t: UnsafeMutablePointer<Token>, _ n: Int, _ stats: TextStats, _ s: UnsafeMutablePointer<TokenScore>,
        _ matches: UnsafeMutablePointer<PhraseMatch>, _ matchCount: Int
    ) -> Double {
        let v = vocabulary
        let capDiff = stats.capsTokens > 0 && stats.capsTokens < n
        @inline(__always) func flags(_ i: Int) -> WordFlags { t[i].id >= 0 ? v.flags[Int(t[i].id)] : WordFlags(rawValue: 0) }
        @inline(__always) func negated(_ i: Int) -> Bool { flags(i).contains(.negation) || t[i].flags.contains(.negatedNT) }

        for i in 0..<n {
            s[i] = TokenScore(valence: 0, spanStart: Int32(i), negated: false, emphasised: false, idiomEnd: -1)
            let f = flags(i)
            if f.contains(.booster) { continue }
            if f.contains(.kind) && i + 1 < n && flags(i + 1).contains(.of) { continue }
            guard f.contains(.valence) else { continue }
            let base = v.valence[Int(t[i].id)]
            var valence = base
            if f.contains(.no) && i + 1 < n && flags(i + 1).contains(.valence) { valence = 0 }
            if (i > 0 && flags(i - 1).contains(.no)) || (i > 1 && flags(i - 2).contains(.no))
                || (i > 2 && flags(i - 3).contains(.no) && flags(i - 1).contains(.orNor)) {
                valence = base * RuleTables.negationScalar
                s[i].negated = true
                s[i].spanStart = Int32(i > 0 && flags(i - 1).contains(.no) ? i - 1 : i > 1 && flags(i - 2).contains(.no) ? i - 2 : i - 3)
            }
            if t[i].flags.contains(.allCaps) && capDiff {
                valence += valence > 0 ? RuleTables.capsIncrement : -RuleTables.capsIncrement
                s[i].emphasised = true
            }
            if t[i].flags.contains(.elongated) {
                valence += valence > 0 ? RuleTables.boosterIncrement : -RuleTables.boosterIncrement
                s[i].emphasised = true
            }
            for k in 0..<3 where i > k {
                let j = i - k - 1
                let fj = flags(j)
                if fj.contains(.valence) { continue }
                var scalar = 0.0
                if fj.contains(.booster) {
                    scalar = v.booster[Int(t[j].id)]
                    if valence < 0 { scalar = -scalar }
                    if t[j].flags.contains(.allCaps) && capDiff {
                        scalar += valence > 0 ? RuleTables.capsIncrement : -RuleTables.capsIncrement
                    }
                    if t[j].flags.contains(.elongated) {  // "sooooo good"
                        scalar += valence > 0 ? RuleTables.boosterIncrement : -RuleTables.boosterIncrement
                    }
                } else if fj.contains(.of) && j > 0 && flags(j - 1).contains(.sortOrKind) {
                    // "kind of", "sort of": dampeners.
                    scalar = valence < 0 ? RuleTables.boosterIncrement : -RuleTables.boosterIncrement
                    s[i].spanStart = min(s[i].spanStart, Int32(j - 1))
                }
                if scalar != 0 {
                    if k == 1 { scalar *= 0.95 } else if k == 2 { scalar *= 0.9 }
                    valence += scalar
                    s[i].emphasised = true
                    s[i].spanStart = min(s[i].spanStart, Int32(j))
                }
                // Negation check (VADER's _negation_check).
                switch k {
                case 0:
                    if negated(i - 1) { valence *= RuleTables.negationScalar; markNegated(s, i, i - 1) }
                case 1:
                    if flags(i - 2).contains(.never) && flags(i - 1).contains(.soOrThis) {
                        valence *= 1.25
                    } else if flags(i - 2).contains(.without) && flags(i - 1).contains(.doubt) {
                    } else if negated(i - 2) {
                        valence *= RuleTables.negationScalar; markNegated(s, i, i - 2)
                    }
                default:
                    if (flags(i - 3).contains(.never) && flags(i - 2).contains(.soOrThis)) || flags(i - 1).contains(.soOrThis) {
                        valence *= 1.25
                    } else if flags(i - 3).contains(.without) && (flags(i - 2).contains(.doubt) || flags(i - 1).contains(.doubt)) {
                    } else if negated(i - 3) {
                        valence *= RuleTables.negationScalar; markNegated(s, i, i - 3)
                    }
                }
            }
            // "least": "the least good" flips; "at least", "very least" do not.
            if i > 1 && !flags(i - 1).contains(.valence) && flags(i - 1).contains(.least) {
                if !flags(i - 2).contains(.atOrVery) { valence *= RuleTables.negationScalar; markNegated(s, i, i - 1) }
            } else if i == 1 && flags(0).contains(.least) {
                valence *= RuleTables.negationScalar; markNegated(s, i, 0)
            }
            s[i].valence = valence
        }

        // Idioms replace the valence of their span (value on the last word).
        for m in 0..<matchCount {
            let e = entryFor(matches[m])
            guard e.kind == .idiom else { continue }
            let a = Int(matches[m].first), b = Int(matches[m].end)
            for k in a..<b { s[k].valence = 0 }
            s[b - 1].valence = e.weight
            s[b - 1].spanStart = Int32(a)
            s[b - 1].idiomEnd = Int32(b)
            s[b - 1].negated = false
            if a > 0 && negated(a - 1) && !flags(a).contains(.never) {
                s[b - 1].valence *= RuleTables.negationScalar
                s[b - 1].negated = true
                s[b - 1].spanStart = Int32(a - 1)
            }
        }

        // "but": what follows weighs more than what precedes.
        var sum = 0.0
        var butAt = -1
        for i in 0..<n where flags(i).contains(.but) { butAt = i; break }
        for i in 0..<n {
            if butAt >= 0 {
                if i < butAt { s[i].valence *= 0.5 } else if i > butAt { s[i].valence *= 1.5 }
            }
            sum += s[i].valence
        }
        guard sum != 0 else { return 0 }
        let amp = punctuationAmplifier(stats)
        sum += sum > 0 ? amp : -amp
        let compound = sum / (sum * sum + 15).squareRoot()
        return min(1, max(-1, compound))
    }

    @inline(__always)
    private func markNegated(_ s: UnsafeMutablePointer<TokenScore>, _ i: Int, _ from: Int) {
        s[i].negated.toggle()
        s[i].spanStart = min(s[i].spanStart, Int32(from))
    }

    func punctuationAmplifier(_ stats: TextStats) -> Double {
        let ep = Double(min(stats.exclamations, 4)) * 0.292
        let q = stats.questions
        let qm = q > 1 ? (q <= 3 ? Double(q) * 0.18 : 0.96) : 0
        return ep + qm
    }

    /// The strongest contributions, as reasons a reader can check against the text.
    func sentimentReasons(
        _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, _ n: Int,
        _ s: UnsafeMutablePointer<TokenScore>, _ stats: TextStats, compound: Double, into reasons: ReasonList
    ) {
        let limit = config.maxSentimentReasons
        guard limit > 0, compound != 0 else { return }
        // Pick up to `limit` strongest tokens (n is short; selection on the stack).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: limit) { picked in
            var count = 0
            for i in 0..<n where s[i].valence != 0 {
                if count < limit {
                    picked[count] = i
                    count += 1
                } else {
                    var weakest = 0
                    for k in 1..<count where abs(s[picked[k]].valence) < abs(s[picked[weakest]].valence) { weakest = k }
                    if abs(s[i].valence) > abs(s[picked[weakest]].valence) { picked[weakest] = i }
                }
            }
            // Strongest first (insertion sort).
            for a in 1..<max(count, 1) {
                var b = a
                while b > 0 && abs(s[picked[b]].valence) > abs(s[picked[b - 1]].valence) {
                    picked.swapAt(b, b - 1)
                    b -= 1
                }
            }
            for k in 0..<count {
                let i = picked[k]
                let rule: ReasonList.Rule
                if s[i].idiomEnd >= 0 { rule = s[i].negated ? .negation : .idiom }
                else if s[i].negated { rule = .negation }
                else if t[i].flags.contains(.emoji) { rule = .emoji }
                else if t[i].flags.contains(.emoticon) { rule = .emoticon }
                else if s[i].emphasised { rule = .emphasis }
                else { rule = .lexicon }
                let start = reasons.byteCount
                reasons.appendQuote(norm, t, first: Int(s[i].spanStart), last: i)
                reasons.commit(rule, from: start, weight: (s[i].valence * 1000).rounded() / 1000)
            }
        }
        var butAt = -1
        for i in 0..<n where t[i].id >= 0 && vocabulary.flags[Int(t[i].id)].contains(.but) { butAt = i; break }
        if butAt >= 0 {
            reasons.add(.contrast, "'but' (before ×0.5, after ×1.5)", weight: 0)
        }
        let amp = punctuationAmplifier(stats)
        if amp > 0 {
            let start = reasons.byteCount
            reasons.byte(0x27)
            for _ in 0..<min(stats.exclamations, 4) { reasons.byte(UInt8(ascii: "!")) }
            if stats.questions > 1 { for _ in 0..<min(stats.questions, 4) { reasons.byte(UInt8(ascii: "?")) } }
            reasons.byte(0x27)
            reasons.commit(.punctuation, from: start, weight: compound > 0 ? amp : -amp)
        }
    }

    func entryFor(_ m: PhraseMatch) -> PhraseEntry { phraseEntry(Int(m.entry)) }
}
