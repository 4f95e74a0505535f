/// One rule that moved a score, with the words that triggered it and how much it weighed.
public struct Reason: Sendable, Equatable, Codable {
    /// Machine-readable rule name (`lexicon`, `negation`, `urgency.legal`, …).
    public var rule: String
    /// The words or facts that triggered it, as a reader would quote them.
    public var evidence: String
    /// Signed contribution to the score it belongs to.
    public var weight: Double

    public init(rule: String, evidence: String, weight: Double) {
        self.rule = rule
        self.evidence = evidence
        self.weight = weight
    }
}

public enum SentimentLabel: String, Sendable, Codable {
    case negative, neutral, positive
}

public struct Sentiment: Sendable, Equatable, Codable {
    /// Compound score in -1...1.
    public var compound: Double
    public var label: SentimentLabel
    /// False when the text is in a language the lexicon does not cover.
    public var scored: Bool

    public init(compound: Double, label: SentimentLabel, scored: Bool = true) {
        self.compound = compound
        self.label = label
        self.scored = scored
    }
}

public struct ComplaintIntent: Sendable, Equatable, Codable {
    public var isComplaint: Bool
    /// 0...1
    public var score: Double

    public init(isComplaint: Bool, score: Double) {
        self.isComplaint = isComplaint
        self.score = score
    }
}

/// Categories that make a mention urgent whatever its tone.
public enum UrgencyCategory: String, Sendable, Codable, CaseIterable {
    case legal
    case safety
    case privacy
    case regulator
    case press
    case churn
    case discrimination
    case vulnerable
}

/// Escalation severity: P1 is the most urgent.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4", none

    /// Lower rank is more urgent.
    public var rank: Int {
        switch self {
        case .p1: 1
        case .p2: 2
        case .p3: 3
        case .p4: 4
        case .none: 5
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank > rhs.rank }
}

/// Everything the scorer says about one mention.
public struct Score: Sendable, Equatable, Codable {
    public var sentiment: Sentiment
    public var complaint: ComplaintIntent
    public var urgency: [UrgencyCategory]
    public var severity: Severity
    public var reasons: [Reason]

    public init(sentiment: Sentiment, complaint: ComplaintIntent, urgency: [UrgencyCategory], severity: Severity, reasons: [Reason]) {
        self.sentiment = sentiment
        self.complaint = complaint
        self.urgency = urgency
        self.severity = severity
        self.reasons = reasons
    }
}
