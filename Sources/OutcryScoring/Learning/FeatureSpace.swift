/// The learned model's input: hashed word and word-pair features plus the scorer's own rule and
/// lexicon figures as named ("dense") features.
///
/// A word is hashed from its normalised (lowercased) UTF-8 bytes; numbers count as `<num>`;
/// `@handles` are left to the rules' "addressed to the brand" feature and URLs are dropped by
/// the tokenizer. A word pair is the hash of
/// two neighbouring words. Hashes fall into `hashedCount` buckets; the dense features follow.
/// The words themselves are known when a text is scored, so explanations quote them.
public enum FeatureSpace {
    /// log2 of the number of hash buckets.
    public static let hashBits = 18
    public static let hashedCount = 1 << hashBits

    /// The named features, in index order after the hashed ones.
    public enum Dense: Int, CaseIterable, Sendable {
        case bias, compound, positiveWords, negativeWords
        case waiting, failure, redress, unanswered, directed, gratitude
        case complaintRules, urgency, exclamation, question, capitals, length, foreign

        /// How a reason names the feature.
        public var label: String {
            switch self {
            case .bias: "baseline"
            case .compound: "lexicon tone"
            case .positiveWords: "positive words"
            case .negativeWords: "negative words"
            case .waiting: "waiting cues"
            case .failure: "failure cues"
            case .redress: "redress cues"
            case .unanswered: "unanswered cues"
            case .directed: "addressed to the brand"
            case .gratitude: "thanks cues"
            case .complaintRules: "complaint rules"
            case .urgency: "urgency rule"
            case .exclamation: "'!'"
            case .question: "'??'"
            case .capitals: "capitals"
            case .length: "length"
            case .foreign: "not English"
            }
        }
    }

    public static let denseCount = Dense.allCases.count
    public static let dimension = hashedCount + denseCount

    /// The model's outputs, in weight order: three sentiment classes and the complaint logit.
    public static let heads = 4

    @inline(__always) static func dense(_ d: Dense) -> Int32 { Int32(hashedCount + d.rawValue) }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) static func unigram(_ h: UInt64) -> Int32 { Int32(truncatingIfNeeded: mix(h ^ 0x75) >> UInt64(64 - hashBits)) }

    @inline(__always) static func bigram(_ a: UInt64, _ b: UInt64) -> Int32 {
        Int32(truncatingIfNeeded: mix((a &* 0x100_0000_01B3) ^ mix(b) ^ 0x62) >> UInt64(64 - hashBits))
    }

    /// Hashes of the pseudo-words.
    static let numberHash: UInt64 = hashString("<num>")
    static let mentionHash: UInt64 = hashString("<mention>")

    static func hashString(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// One active feature of a text: a bucket (or dense index), its value, and the tokens it came
/// from (`first` < 0 for a dense feature), so that an explanation can quote them.
public struct FeatureHit: Sendable, Equatable {
    public var index: Int32
    public var value: Float
    public var first: Int16
    public var last: Int16

    public init(index: Int32, value: Float, first: Int16 = -1, last: Int16 = -1) {
        self.index = index
        self.value = value
        self.first = first
        self.last = last
    }
}

/// A text's features with the words they came from (for explanations and training).
public struct TextFeatures: Sendable {
    public var hits: [FeatureHit]
    /// The token texts, in order (normalised), for naming hashed features.
    public var tokens: [String]

    /// The readable name of a hit: the quoted words, or the dense feature's label.
    public func name(_ hit: FeatureHit) -> String {
        if hit.first < 0 {
            return FeatureSpace.Dense(rawValue: Int(hit.index) - FeatureSpace.hashedCount)?.label ?? "feature \(hit.index)"
        }
        let a = Int(hit.first), b = Int(hit.last)
        guard a >= 0, b < tokens.count, a <= b else { return "feature \(hit.index)" }
        return "'" + tokens[a...b].joined(separator: " ") + "'"
    }
}
