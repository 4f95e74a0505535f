import OutcryModel

/// Scores mentions: sentiment, complaint intent, urgency and severity, each with its reasons.
///
/// Build one `Scorer` per configuration (it compiles the lexicon and every term list, a few
/// milliseconds) and share it: it is immutable, `Sendable` and pure.
///
/// ```swift
/// let scorer = Scorer(config: ScoringConfig())
/// let score = scorer.score(mention, context: ScoreContext(mentionsInLastHour: 12))
/// print(score.summary)   // P1: legal threat ('my lawyer'); negative (-0.82: 'worst', …)
/// ```
public struct Scorer: Sendable {
    public let config: ScoringConfig
    /// The learned model that decides sentiment and complaint (nil: the rules alone decide).
    public let model: LearnedModel?
    let engine: ScoringEngine

    /// A scorer by the rules alone (`model: nil`), or by a learned model over the rules' figures
    /// (`model: .base`, or an installation's model). A model's learned urgency phrases join the
    /// configured ones.
    public init(config: ScoringConfig = ScoringConfig(), model: LearnedModel? = nil) {
        self.config = config
        self.model = model
        var effective = config
        if let model {
            for (key, phrases) in model.info.learnedPhrases.sorted(by: { $0.key < $1.key }) {
                guard let category = UrgencyCategory(rawValue: key) else { continue }
                for p in phrases where !(effective.urgencyTerms[category] ?? []).contains(p) {
                    effective.urgencyTerms[category, default: []].append(p)
                }
            }
        }
        engine = ScoringEngine(config: effective)
    }

    /// The model's input features for a text, with its words (training uses this).
    public func features(text: String, language: String? = nil) -> TextFeatures {
        var text = text
        return text.withUTF8 { engine.score(utf8: $0, languageHint: language, collectFeatures: true).features! }
    }

    /// Scores a mention's `scoringText` with its reach and the facts in `context`.
    public func score(_ mention: Mention, context: ScoreContext = ScoreContext()) -> Score {
        score(text: mention.scoringText, language: mention.language, reach: mention.reach, context: context)
    }

    /// Scores bare text (the `outcry score` command and tests use this).
    public func score(
        text: String, language: String? = nil, reach: Reach = Reach(), context: ScoreContext = ScoreContext()
    ) -> Score {
        var text = text
        let t = text.withUTF8 { engine.score(utf8: $0, languageHint: language, model: model) }
        var reasons = t.reasons.reasons()
        let severity = config.escalation.severity(
            sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, reach: reach, context: context,
            reasons: &reasons)
        return Score(sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, severity: severity, reasons: reasons)
    }

    /// Scores text given as UTF-8 bytes (`outcry score`'s streaming path: no `String` per text).
    /// The same score as `score(text:)` for the same bytes.
    public func score(
        utf8: UnsafeBufferPointer<UInt8>, language: String? = nil, reach: Reach = Reach(), context: ScoreContext = ScoreContext()
    ) -> Score {
        let t = engine.score(utf8: utf8, languageHint: language, model: model)
        var reasons = t.reasons.reasons()
        let severity = config.escalation.severity(
            sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, reach: reach, context: context,
            reasons: &reasons)
        return Score(sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, severity: severity, reasons: reasons)
    }

    /// `outcry score`'s answer for text given as UTF-8 bytes, written onto `out` without making
    /// a `Score`: the same bytes as `ScoreLine.encode(id:_:into:)` of `score(utf8:language:)`.
    /// `id` is already JSON (`"a"`, `12`, `null`).
    public func answer(utf8: UnsafeBufferPointer<UInt8>, language: String? = nil, id: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var scratch: [UInt8] = []
        answer(utf8: utf8, language: language, id: id, into: &out, scratch: &scratch)
    }

    /// `answer(utf8:language:id:into:)` with room to make the answer in: `scratch`'s bytes
    /// (any count; 64 KiB suits any ordinary post), reused from answer to answer.
    public func answer(
        utf8: UnsafeBufferPointer<UInt8>, language: String? = nil, id: UnsafeBufferPointer<UInt8>, into out: inout [UInt8],
        scratch: inout [UInt8]
    ) {
        let t = engine.score(utf8: utf8, languageHint: language, model: model)
        var more: [Reason] = []
        let severity = config.escalation.severity(
            sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, reach: Reach(), context: ScoreContext(),
            reasons: &more)
        scratch.withUnsafeMutableBufferPointer {
            ScoreLine.encode(id: id, t, severity: severity, more: more, into: &out, scratch: $0)
        }
    }

    /// `answer(utf8:language:id:into:)` made in `workspace`'s room, reused from text to text
    /// (one workspace per thread): the same bytes, without allocating for an ordinary post.
    public func answer(
        utf8: UnsafeBufferPointer<UInt8>, language: String? = nil, id: UnsafeBufferPointer<UInt8>, into out: inout [UInt8],
        workspace: ScoreWorkspace
    ) {
        let t = engine.score(utf8: utf8, languageHint: language, model: model, workspace: workspace)
        var more: [Reason] = []
        let severity = config.escalation.severity(
            sentiment: t.sentiment, complaint: t.complaint, urgency: t.urgency, reach: Reach(), context: ScoreContext(),
            reasons: &more)
        ScoreLine.encode(id: id, t, severity: severity, more: more, into: &out, scratch: workspace.answer)
    }

    /// Sentiment only, for evaluation against sentiment-only corpora.
    public func sentiment(text: String, language: String? = nil) -> Sentiment {
        var text = text
        return text.withUTF8 { engine.score(utf8: $0, languageHint: language, model: model).sentiment }
    }

    /// The language the text was detected as, when it is not English (nil when English or
    /// unknown).
    public func detectedLanguage(text: String) -> String? {
        var text = text
        return text.withUTF8 { engine.score(utf8: $0, languageHint: nil).language }
    }

    /// The MIT licence of the embedded VADER lexicon, for `--licences` style output.
    public static var lexiconLicence: String { VaderLexiconData.licence }
}
