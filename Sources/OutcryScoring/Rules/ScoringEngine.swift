import Foundation
import OutcryModel

/// What the text alone says: sentiment, complaint intent, urgency and their reasons.
struct TextScore {
    var sentiment: Sentiment
    var complaint: ComplaintIntent
    var urgency: [UrgencyCategory]
    var reasons: ReasonList
    var language: String?
    /// The text's model features (only when asked for: training and tests).
    var features: TextFeatures? = nil
}

/// Per-token sentiment working state.
struct TokenScore {
    var valence: Double
    /// First token of the span that shaped the valence (a negator or booster before it).
    var spanStart: Int32
    var negated: Bool
    var emphasised: Bool
    var idiomEnd: Int32
}

/// The compiled scorer: immutable after `init`, shared by every call and thread.
final class ScoringEngine: @unchecked Sendable {
    let config: ScoringConfig
    let vocabulary: Vocabulary
    private let entries: UnsafeMutableBufferPointer<PhraseEntry>
    func phraseEntry(_ i: Int) -> PhraseEntry { entries[i] }
    private let words: UnsafeMutableBufferPointer<Int32>

    init(config: ScoringConfig) {
        self.config = config
        let (v, e, w) = Self.build(config)
        vocabulary = v
        entries = .allocate(capacity: max(e.count, 1))
        _ = entries.initialize(from: e)
        words = .allocate(capacity: max(w.count, 1))
        _ = words.initialize(from: w)
    }

    deinit {
        entries.deallocate()
        words.deallocate()
    }

    /// Scores UTF-8 text. Scratch space lives on the stack for ordinary posts.
    func score(
        utf8 src: UnsafeBufferPointer<UInt8>, languageHint: String?, model: LearnedModel? = nil, collectFeatures: Bool = false
    ) -> TextScore {
        let n = src.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Tokenizer.normCapacity(n)) { norm in
            withUnsafeTemporaryAllocation(of: Token.self, capacity: Tokenizer.tokenCapacity(n)) { tokens in
                var stats = TextStats()
                let count = Tokenizer(vocabulary: vocabulary).tokenize(
                    src, norm: norm.baseAddress!, tokens: tokens.baseAddress!, stats: &stats)
                // The model's features, and two pulls a feature (only with a model or for training).
                let hitCapacity = model != nil || collectFeatures ? FeatureSpace.denseCount + 2 * count + 2 : 1
                return withUnsafeTemporaryAllocation(of: TokenScore.self, capacity: count + 1) { scores in
                    withUnsafeTemporaryAllocation(of: PhraseMatch.self, capacity: 64) { matches in
                        withUnsafeTemporaryAllocation(of: FeatureHit.self, capacity: hitCapacity) { hits in
                            withUnsafeTemporaryAllocation(of: Pull.self, capacity: model != nil ? 2 * hitCapacity : 1) { pulls in
                                evaluate(
                                    norm: norm.baseAddress!, tokens: tokens.baseAddress!, count: count, stats: stats,
                                    scores: scores.baseAddress!, matches: matches.baseAddress!, languageHint: languageHint,
                                    model: model, collectFeatures: collectFeatures, reasons: ReasonList(),
                                    hits: hits.baseAddress!, pulls: pulls.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `score(utf8:languageHint:model:collectFeatures:)` with its working arrays and reason list
    /// taken from `workspace` (no allocation for a text that fits): the same `TextScore`, whose
    /// reasons are the workspace's list, good until the workspace scores the next text.
    func score(
        utf8 src: UnsafeBufferPointer<UInt8>, languageHint: String?, model: LearnedModel?, workspace: ScoreWorkspace
    ) -> TextScore {
        let n = src.count
        let tokenCapacity = Tokenizer.tokenCapacity(n)
        // The features' capacity for at most `tokenCapacity` tokens, and two pulls a feature.
        let hitCapacity = FeatureSpace.denseCount + 2 * tokenCapacity + 2
        @inline(__always) func room<T>(_ type: T.Type, _ count: Int) -> Int { (count * MemoryLayout<T>.stride + 63) & ~63 }
        let normBytes = room(UInt8.self, Tokenizer.normCapacity(n))
        let tokenBytes = room(Token.self, tokenCapacity)
        let scoreBytes = room(TokenScore.self, tokenCapacity + 1)
        let matchBytes = room(PhraseMatch.self, 64)
        let hitBytes = room(FeatureHit.self, hitCapacity)
        let pullBytes = room(Pull.self, 2 * hitCapacity)
        var at = workspace.room(normBytes + tokenBytes + scoreBytes + matchBytes + hitBytes + pullBytes)
        @inline(__always) func take<T>(_ type: T.Type, _ count: Int, _ bytes: Int) -> UnsafeMutablePointer<T> {
            defer { at += bytes }
            return at.bindMemory(to: T.self, capacity: count)
        }
        let norm = take(UInt8.self, Tokenizer.normCapacity(n), normBytes)
        let tokens = take(Token.self, tokenCapacity, tokenBytes)
        let scores = take(TokenScore.self, tokenCapacity + 1, scoreBytes)
        let matches = take(PhraseMatch.self, 64, matchBytes)
        let hits = take(FeatureHit.self, hitCapacity, hitBytes)
        let pulls = take(Pull.self, 2 * hitCapacity, pullBytes)
        var stats = TextStats()
        let count = Tokenizer(vocabulary: vocabulary).tokenize(src, norm: norm, tokens: tokens, stats: &stats)
        workspace.reasons.reset()
        return evaluate(
            norm: norm, tokens: tokens, count: count, stats: stats, scores: scores, matches: matches, languageHint: languageHint,
            model: model, collectFeatures: false, reasons: workspace.reasons, hits: hits, pulls: pulls)
    }

    // MARK: - Evaluation

    /// `reasons` is empty; `hits` and `pulls` have room for `denseCount + 2 * count + 2`
    /// features and two pulls each when there is a model (features alone when collecting them).
    private func evaluate(
        norm: UnsafeMutablePointer<UInt8>, tokens t: UnsafeMutablePointer<Token>, count: Int, stats: TextStats,
        scores s: UnsafeMutablePointer<TokenScore>, matches: UnsafeMutablePointer<PhraseMatch>, languageHint: String?,
        model: LearnedModel?, collectFeatures: Bool, reasons: ReasonList,
        hits: UnsafeMutablePointer<FeatureHit>, pulls: UnsafeMutablePointer<Pull>
    ) -> TextScore {
        reasons.mayNeedEscaping = stats.escapable
        var directedReasonAt = -1
        let matchCount = findPhrases(t, count, matches)
        let language = detectLanguage(t, count, stats, hint: languageHint)
        let scored = language == nil
        var compound = 0.0
        if scored {
            compound = sentiment(t, count, stats, s, matches, matchCount)
            sentimentReasons(norm, t, count, s, stats, compound: compound, into: reasons)
        } else {
            reasons.add(.language, text: "text looks \(language!); sentiment not scored", weight: 0)
        }

        // Complaint intent.
        var best = SIMD8<Double>(repeating: 0)
        var extra = SIMD8<Double>(repeating: 0)
        var urgency: [UrgencyCategory] = []
        for m in 0..<matchCount {
            let e = entries[Int(matches[m].entry)]
            guard e.kind == .urgency, !isShadowed(m, matches, matchCount), !isExcluded(m, matches, matchCount) else { continue }
            let cat = UrgencyCategory.ordered[Int(e.category)]
            if !urgency.contains(cat) {
                urgency.append(cat)
                let start = reasons.byteCount
                reasons.appendQuote(norm, t, first: Int(matches[m].first), last: Int(matches[m].end) - 1)
                reasons.commit(ReasonList.urgencyBase + Int32(e.category), from: start, weight: 1)
            }
        }
        let complaintReasonsStart = reasons.count
        for m in 0..<matchCount {
            let e = entries[Int(matches[m].entry)]
            guard e.kind == .complaint, !isShadowed(m, matches, matchCount) else { continue }
            let c = Int(e.category)
            if e.weight < 0 {
                best[c] = min(best[c], e.weight)
            } else if e.weight > best[c] {
                extra[c] += best[c] > 0 ? min(best[c], 0.25) : 0
                best[c] = e.weight
            } else {
                extra[c] += min(e.weight, 0.25)
            }
            if c == Self.directedIndex {
                if directedReasonAt >= 0 { continue }
                directedReasonAt = reasons.count
            }
            let start = reasons.byteCount
            reasons.appendQuote(norm, t, first: Int(matches[m].first), last: Int(matches[m].end) - 1)
            reasons.commit(ReasonList.complaintBase + Int32(c), from: start, weight: e.weight)
        }
        var sum = 0.0
        for c in 0..<ComplaintCue.ordered.count where c != Self.directedIndex { sum += best[c] + min(extra[c], 0.5) }
        let substantive = sum > 0 || compound <= -config.neutralBand
        let directed = best[Self.directedIndex] > 0
        if substantive && directed {
            sum += best[Self.directedIndex]
        } else if directedReasonAt >= 0 {
            reasons.remove(at: directedReasonAt)
        }
        if compound <= -config.neutralBand {
            let w = (directed ? 0.6 : 0.4) * -compound
            sum += w
            reasons.add(.complaintNegativeTone, "negative wording", weight: w)
        }
        let ruleScore = sum > 0 ? 1 - exp(-sum) : 0
        var complaintScore = ruleScore
        var isComplaint = complaintScore >= config.complaintThreshold
        if !(isComplaint || complaintScore > 0.2) {
            reasons.removeAll(from: complaintReasonsStart)
        }

        // The learned model: rule figures and hashed words in, sentiment and complaint out.
        var features: TextFeatures?
        var modelLabel: SentimentLabel?
        if model != nil || collectFeatures {
            var cues = SIMD8<Double>(repeating: 0)
            for c in 0..<ComplaintCue.ordered.count { cues[c] = best[c] + (c == Self.directedIndex ? 0 : min(extra[c], 0.5)) }
            if !(substantive && directed) { cues[Self.directedIndex] = 0 }
            let rule = RuleFigures(
                compound: compound, cues: cues, ruleScore: ruleScore, urgency: !urgency.isEmpty, scored: scored)
            do {
                let k = extractFeatures(norm, t, count, stats, s, rule, into: hits)
                let used = UnsafeBufferPointer(start: hits, count: k)
                if collectFeatures {
                    features = TextFeatures(hits: Array(used), tokens: (0..<count).map { tokenText(norm, t, $0) })
                }
                if let model {
                    let out = applyModel(model, used, norm, t, scored: scored, into: reasons, pulls: pulls)
                    complaintScore = out.complaint
                    isComplaint = out.complaint >= model.info.complaintThreshold
                    if scored {
                        compound = out.compound
                        modelLabel = out.label
                        // A complaint the model is sure of is not neutral: the training corpora
                        // seldom show a customer reporting a fault in flat words ("delayed for
                        // the third time, nobody at the gate"), so the sentiment outputs call
                        // it neutral while the complaint output sees it.
                        if isComplaint && out.label == .neutral && config.complaintPullsSentiment {
                            let target = min(compound, -config.neutralBand)
                            reasons.add(.complaintTone, "a complaint reads as negative", weight: Self.round(target - compound))
                            compound = target
                        }
                    }
                }
            }
        }

        // Polite complaints are still complaints: pull a non-negative label down (the rules
        // alone; with a learned model only a neutral label is pulled, above).
        if model == nil && scored && isComplaint && config.complaintPullsSentiment && compound > -config.neutralBand && compound < 0.6 {
            let target = -(0.1 + 0.5 * complaintScore)
            reasons.add(.complaintTone, "complaint cues outweigh the wording", weight: target - compound)
            compound = target
        }
        var label: SentimentLabel = compound >= config.neutralBand ? .positive : compound <= -config.neutralBand ? .negative : .neutral
        if let modelLabel, reasons.lastRule != ReasonList.Rule.complaintTone.rawValue { label = modelLabel }
        return TextScore(
            sentiment: Sentiment(compound: compound, label: scored ? label : .neutral, scored: scored),
            complaint: ComplaintIntent(isComplaint: isComplaint, score: complaintScore),
            urgency: urgency, reasons: reasons, language: language, features: features)
    }

    static let directedIndex = Int(ComplaintCue.directed.index)

    /// Finds every configured phrase, longest or not; one vocabulary id comparison per word.
    private func findPhrases(_ t: UnsafeMutablePointer<Token>, _ n: Int, _ out: UnsafeMutablePointer<PhraseMatch>) -> Int {
        var found = 0
        for i in 0..<n {
            let id = Int(t[i].id)
            if id < 0 { continue }
            let cnt = Int(vocabulary.phraseCount[id])
            if cnt == 0 { continue }
            let head = Int(vocabulary.phraseHead[id])
            for e in head..<(head + cnt) {
                let entry = entries[e]
                let len = Int(entry.length)
                if i + len > n { continue }
                var ok = true
                var k = 1
                while k < len {
                    if t[i + k].id != words[Int(entry.wordsStart) + k] { ok = false; break }
                    k += 1
                }
                if ok && found < 64 {
                    out[found] = PhraseMatch(entry: Int32(e), first: Int32(i), end: Int32(i + len))
                    found += 1
                }
            }
        }
        return found
    }

    /// A match inside a longer match of the same kind and category, or a repeat of an
    /// earlier identical phrase, does not count twice.
    private func isShadowed(_ m: Int, _ ms: UnsafeMutablePointer<PhraseMatch>, _ n: Int) -> Bool {
        let a = ms[m]
        let ea = entries[Int(a.entry)]
        for o in 0..<n where o != m {
            let b = ms[o]
            let eb = entries[Int(b.entry)]
            guard eb.kind == ea.kind, eb.category == ea.category else { continue }
            if b.entry == a.entry && o < m { return true }
            if b.first <= a.first && b.end >= a.end && (b.end - b.first) > (a.end - a.first) { return true }
        }
        return false
    }

    private func isExcluded(_ m: Int, _ ms: UnsafeMutablePointer<PhraseMatch>, _ n: Int) -> Bool {
        let a = ms[m]
        let ea = entries[Int(a.entry)]
        for o in 0..<n {
            let b = ms[o]
            let eb = entries[Int(b.entry)]
            if eb.kind == .urgencyExclusion && eb.category == ea.category && b.first < a.end && a.first < b.end { return true }
        }
        return false
    }

    /// nil for English (or unknown), else the detected language code.
    private func detectLanguage(_ t: UnsafeMutablePointer<Token>, _ n: Int, _ stats: TextStats, hint: String?) -> String? {
        if let hint, !hint.isEmpty {
            let code = hint.lowercased().prefix(2)
            if code != "en" { return String(code) }
        }
        if stats.otherLetters > 0 && stats.otherLetters * 2 > stats.latinLetters { return "non-Latin script" }
        var all = SIMD8<Int>(repeating: 0)
        var total = 0
        for i in 0..<n where t[i].id >= 0 {
            let mask = vocabulary.languages[Int(t[i].id)]
            if mask == 0 { continue }
            total += 1
            for l in 0..<7 where mask & (1 << l) != 0 { all[l] += 1 }
        }
        if total == 0 { return nil }
        var bestLang = 0
        for l in 1..<7 where all[l] > all[bestLang] { bestLang = l }
        if bestLang == 0 { return nil }
        let other = all[bestLang]
        if (other >= 2 && other > all[0]) || (other >= 1 && all[0] == 0 && stats.letterTokens <= 3) {
            return LanguageProfile.codes[bestLang]
        }
        return nil
    }
}
