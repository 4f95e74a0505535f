import OutcryModel

/// The kinds of complaint cue; each has its own term list and weights.
public enum ComplaintCue: String, Sendable, Codable, CaseIterable {
    /// Time passing: "still", "again", "3 days", "weeks", "still waiting".
    case waiting
    /// Something broke or did not happen: "cancelled", "lost", "charged twice", "never arrived".
    case failure
    /// Asking for redress: "refund", "compensation", "cancel my account".
    case redress
    /// Contact that went unanswered: "no reply", "on hold", "nobody".
    case unanswered
    /// Addressed to the brand: "@handle", "you guys", "your". Counts only next to other cues.
    case directed
    /// Thanks or resolution: pulls the score down ("thank you", "sorted", "resolved").
    case gratitude
}

/// Everything the scorer can be told: extra lexicon, term lists, thresholds, escalation policy.
///
/// Term lists are phrases of lowercase words separated by spaces; `<num>` stands for any number
/// and `<mention>` for any `@handle`. Every list has sensible defaults (`ScoringConfig()`), and
/// a configuration replaces or extends them.
///
/// ```swift
/// var config = ScoringConfig()
/// config.extraLexicon["bumped"] = -1.5
/// config.urgencyTerms[.regulator, default: []].append("caa")
/// let scorer = Scorer(config: config)
/// ```
public struct ScoringConfig: Sendable, Equatable {
    /// Domain additions to the sentiment lexicon (valence −4…4). Single words override VADER;
    /// multi-word entries act as idioms.
    public var extraLexicon: [String: Double]
    /// Complaint cue phrases and their weights (gratitude weights are negative).
    public var complaintCues: [ComplaintCue: [String: Double]]
    /// Urgency phrases per category.
    public var urgencyTerms: [UrgencyCategory: [String]]
    /// Phrases that cancel an overlapping urgency match ("account disabled" is not about a
    /// disabled person).
    public var urgencyExclusions: [UrgencyCategory: [String]]
    /// `complaint.score` at or above which a mention is a complaint.
    public var complaintThreshold: Double
    /// Whether a complaint whose wording is not negative is given a negative label (with a
    /// `complaint.tone` reason): polite complaints are still complaints.
    public var complaintPullsSentiment: Bool
    /// Compound at or beyond ±this is positive/negative; inside, neutral.
    public var neutralBand: Double
    /// The most sentiment reasons kept per mention (the strongest).
    public var maxSentimentReasons: Int
    public var escalation: EscalationPolicy
    /// `outcry run` retrains the installation's model once this many new labels have arrived
    /// since the last training (0: only `outcry scorer train` trains).
    public var retrainAfterLabels = 50

    public init(
        extraLexicon: [String: Double] = ScoringDefaults.domainLexicon,
        complaintCues: [ComplaintCue: [String: Double]] = ScoringDefaults.complaintCues,
        urgencyTerms: [UrgencyCategory: [String]] = ScoringDefaults.urgencyTerms,
        urgencyExclusions: [UrgencyCategory: [String]] = ScoringDefaults.urgencyExclusions,
        complaintThreshold: Double = 0.45,
        complaintPullsSentiment: Bool = true,
        neutralBand: Double = 0.05,
        maxSentimentReasons: Int = 6,
        escalation: EscalationPolicy = EscalationPolicy()
    ) {
        self.extraLexicon = extraLexicon
        self.complaintCues = complaintCues
        self.urgencyTerms = urgencyTerms
        self.urgencyExclusions = urgencyExclusions
        self.complaintThreshold = complaintThreshold
        self.complaintPullsSentiment = complaintPullsSentiment
        self.neutralBand = neutralBand
        self.maxSentimentReasons = maxSentimentReasons
        self.escalation = escalation
    }
}
