/// A mention together with what the scorer said about it.
public struct ScoredMention: Sendable, Equatable {
    public var mention: Mention
    public var score: Score

    public init(mention: Mention, score: Score) {
        self.mention = mention
        self.score = score
    }

    /// Whether the mention needs a person: it opens or joins a thread in the queue.
    public var isActionable: Bool { score.severity != .none }
}
