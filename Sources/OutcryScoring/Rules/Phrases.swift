import OutcryModel

/// What a matched phrase means.
enum PhraseKind: UInt8 {
    /// Sentiment idiom: `weight` replaces the valence of the span.
    case idiom
    /// Complaint cue; `category` is a `ComplaintCue` index.
    case complaint
    /// Urgency term; `category` is an `UrgencyCategory` index.
    case urgency
    /// Cancels an overlapping urgency match of the same category.
    case urgencyExclusion
}

/// One compiled phrase: a run of vocabulary ids.
struct PhraseEntry {
    var wordsStart: Int32
    var length: Int32
    var kind: PhraseKind
    var category: UInt8
    var weight: Double
}

/// A phrase found in a text: entry index and token span `first..<end`.
struct PhraseMatch {
    var entry: Int32
    var first: Int32
    var end: Int32
}

extension ComplaintCue {
    static let ordered = ComplaintCue.allCases
    var index: UInt8 { UInt8(Self.ordered.firstIndex(of: self)!) }
}

extension UrgencyCategory {
    static let ordered = UrgencyCategory.allCases
    var index: UInt8 { UInt8(Self.ordered.firstIndex(of: self)!) }
}
