import OutcryModel

extension ScoringEngine {
    /// Compiles the lexicon, rule words and every configured phrase into one vocabulary and
    /// one phrase table. Runs once per `Scorer`.
    static func build(_ config: ScoringConfig) -> (Vocabulary, [PhraseEntry], [Int32]) {
        var b = VocabularyBuilder()
        b.intern("<num>")
        b.intern("<mention>")
        forEachEntry(VaderLexiconData.words) { word, v in
            b.setValence(word, v, override: false)
        }
        forEachEntry(VaderLexiconData.emoji) { word, v in
            b.setValence(word, v, override: false)
            b.add(word, flags: .emoji)
        }
        for w in RuleTables.negations { b.add(w, flags: .negation) }
        for w in RuleTables.boostersUp { let id = b.intern(w); b.booster[id] = RuleTables.boosterIncrement; b.flags[id].insert(.booster) }
        for w in RuleTables.boostersDown { let id = b.intern(w); b.booster[id] = -RuleTables.boosterIncrement; b.flags[id].insert(.booster) }
        b.add("but", flags: .but)
        b.add("least", flags: .least)
        b.add("no", flags: .no)
        b.add("kind", flags: [.kind, .sortOrKind])
        b.add("sort", flags: .sortOrKind)
        b.add("of", flags: .of)
        b.add("never", flags: .never)
        b.add("so", flags: .soOrThis)
        b.add("this", flags: .soOrThis)
        b.add("without", flags: .without)
        b.add("doubt", flags: .doubt)
        b.add("at", flags: .atOrVery)
        b.add("very", flags: .atOrVery)
        b.add("or", flags: .orNor)
        b.add("nor", flags: .orNor)
        for (lang, words) in RuleTables.stopWords.enumerated() {
            for w in words { let id = b.intern(w); b.languages[id] |= UInt8(1 << lang) }
        }

        var phrases: [(words: [Int], entry: PhraseEntry)] = []
        func addPhrase(_ text: String, _ kind: PhraseKind, _ category: UInt8, _ weight: Double) {
            let words = text.lowercased().split(separator: " ").map { b.intern(String($0)) }
            guard !words.isEmpty else { return }
            phrases.append((words, PhraseEntry(wordsStart: 0, length: Int32(words.count), kind: kind, category: category, weight: weight)))
        }
        for (text, v) in config.extraLexicon.sorted(by: { $0.key < $1.key }) {
            if text.contains(" ") { addPhrase(text, .idiom, 0, v) } else { b.setValence(text, v, override: true) }
        }
        for cue in ComplaintCue.ordered {
            for (text, w) in (config.complaintCues[cue] ?? [:]).sorted(by: { $0.key < $1.key }) {
                addPhrase(text, .complaint, cue.index, w)
            }
        }
        for category in UrgencyCategory.ordered {
            for text in config.urgencyTerms[category] ?? [] { addPhrase(text, .urgency, category.index, 1) }
            for text in config.urgencyExclusions[category] ?? [] { addPhrase(text, .urgencyExclusion, category.index, 0) }
        }

        // Group phrases by first word so one vocabulary lookup finds every candidate.
        phrases.sort { $0.words[0] < $1.words[0] }
        var heads = [Int32](repeating: 0, count: b.words.count)
        var counts = [Int32](repeating: 0, count: b.words.count)
        var entries: [PhraseEntry] = []
        var flat: [Int32] = []
        for (i, p) in phrases.enumerated() {
            let first = p.words[0]
            if counts[first] == 0 { heads[first] = Int32(i) }
            counts[first] += 1
            var e = p.entry
            e.wordsStart = Int32(flat.count)
            flat.append(contentsOf: p.words.map { Int32($0) })
            entries.append(e)
        }
        return (Vocabulary(builder: b, phraseHeads: heads, phraseCounts: counts), entries, flat)
    }

    /// Each `word<TAB>value` line of a lexicon text (lines without a tab or a number skipped),
    /// cut at line feed and tab bytes: the same lines and fields as splitting the text's
    /// characters (a grapheme always breaks before and after a line feed or a tab), without
    /// grapheme breaking at every start-up.
    static func forEachEntry(_ text: String, _ body: (String, Double) -> Void) {
        var text = text
        text.withUTF8 { u in
            var start = 0
            let n = u.count
            while start < n {
                var end = start
                while end < n && u[end] != 0x0A { end += 1 }
                if end > start {
                    var tab = start
                    while tab < end && u[tab] != 0x09 { tab += 1 }
                    if tab < end, let v = Double(String(decoding: UnsafeBufferPointer(rebasing: u[(tab + 1)..<end]), as: UTF8.self)) {
                        body(String(decoding: UnsafeBufferPointer(rebasing: u[start..<tab]), as: UTF8.self), v)
                    }
                }
                start = end + 1
            }
        }
    }
}
